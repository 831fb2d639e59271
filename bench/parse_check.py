"""How free prose is split into suggestions, on a parse-only set: bench/eval/parse-k holds proposals and, per
proposal, a short exact substring of each suggestion in order, written blind by a helper who never saw the parser.

    .venv/bin/python bench/parse_check.py [bench/eval/parse-k] [-v] [--rules]

Reads each proposal as drafting does (the rules, then the second reading's asks listed: ask_reader.complete_reading;
``--rules`` for the rules alone). Prints each proposal read wrong (what was found, what was wanted; every one with -v)
and the counts.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.letter.ask_reader import complete_reading
from assistant.letter.proposal import parse_proposal


def reading_texts(proposal) -> list[str]:
    """Each suggestion with its details, where a labelled substring is looked for."""
    return [f"{s} {proposal.details[i] if i < len(proposal.details) else ''}" for i, s in enumerate(proposal.suggestions)]


def placed(texts: list[str], wanted: list[str]) -> bool:
    """As many suggestions as wanted, each holding its wanted substring, in order."""
    return len(texts) == len(wanted) and all(want in texts[i] for i, want in enumerate(wanted))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", type=Path, default=Path("bench/eval/parse-k"))
    parser.add_argument("-v", "--verbose", action="store_true", help="print every proposal, not only those read wrong")
    parser.add_argument("--rules", action="store_true", help="the rules' reading alone, without the second reading's asks")
    args = parser.parse_args()
    labels = json.loads((args.folder / "labels.json").read_text(encoding="utf-8"))
    counted = in_place = kinds = proposers = 0
    for name, label in sorted(labels.items()):
        proposal = parse_proposal((args.folder / name).read_text(encoding="utf-8"))
        if not args.rules:
            proposal = complete_reading(proposal)[0]
        wanted = label["suggestions"]
        count_right = len(proposal.suggestions) == len(wanted)
        texts = reading_texts(proposal)
        right = placed(texts, wanted)
        counted += count_right
        in_place += right
        kinds += proposal.kind == label["kind"]
        proposers += list(proposal.proposers) == label["proposers"]
        if args.verbose or not right:
            print(f"{name}: {len(proposal.suggestions)}/{len(wanted)} · {proposal.kind} · {'、'.join(proposal.proposers)}")
            print("\n".join([*(f"   found  {s[:60]}" for s in proposal.suggestions), *(f"   wanted {s}" for s in wanted)]))
    n = len(labels)
    print(f"suggestions counted right {counted}/{n}, each in its place {in_place}/{n}, kind {kinds}/{n}, proposers {proposers}/{n}")


if __name__ == "__main__":
    main()
