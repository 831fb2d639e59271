"""How well the second reading (assistant/letter/ask_reader.py) catches the rule reader's misreadings.

    .venv/bin/python bench/reading_check.py bench/eval/parse-ac bench/eval/blind-t/proposals [--reader FILE] [-v]

Per set: the proposals the rules place wrong (bench/parse_check.py's test) and how many of them the
check flags, the ones placed right and how many it flags anyway (false alarms). -v prints each
flagged proposal's messages.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from parse_check import placed, reading_texts  # bench/parse_check.py

from assistant.letter.ask_reader import AskReader, bundled_reader, check_reading
from assistant.letter.proposal import parse_proposal


def wanted_texts(label: dict) -> list[str] | None:
    suggestions = label["suggestions"]
    if all(isinstance(s, str) for s in suggestions):
        return suggestions
    return [s["text"] for s in suggestions] if all("text" in s for s in suggestions) else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--reader", type=Path, help="a reader file (default: the bundled one)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    reader = AskReader.load(args.reader) if args.reader else bundled_reader()
    if reader is None:
        raise SystemExit("no readable ask reader")
    print("| set | proposals | rules wrong | flagged | rules right | flagged (false alarms) |\n|---|---:|---:|---:|---:|---:|")
    totals = [0, 0, 0, 0, 0]
    for folder in args.folders:
        labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        counts = [0, 0, 0, 0, 0]
        for name, label in sorted(labels.items()):
            wanted = wanted_texts(label)
            if wanted is None:
                continue
            proposal = parse_proposal((folder / name).read_text(encoding="utf-8"))
            right = placed(reading_texts(proposal), wanted)
            check = check_reading(proposal, reader)
            counts[0] += 1
            counts[3 if right else 1] += 1
            counts[4 if right else 2] += bool(check)
            if args.verbose and check:
                print(f"{folder.name}/{name} ({'placed right' if right else 'placed wrong'}):")
                for message in check.messages(proposal.suggestions):
                    print("   " + message)
        totals = [a + b for a, b in zip(totals, counts)]
        print(f"| {folder.parent.name if folder.name == 'proposals' else folder.name} | {counts[0]} | {counts[1]} | {counts[2]} | {counts[3]} | {counts[4]} |")
    if len(args.folders) > 1:
        print(f"| all | {totals[0]} | {totals[1]} | {totals[2]} | {totals[3]} | {totals[4]} |")


if __name__ == "__main__":
    main()
