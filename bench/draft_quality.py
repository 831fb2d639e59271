"""Draft quality: the rubric of assistant/draft_rubric.py over the sample proposals, one Markdown table.

    .venv/bin/python bench/draft_quality.py [--index bench/.cache/dev-index] [--show examples/suggestion-low-altitude-economy.txt]

Every examples/*.txt with an entry in examples/expected.json is parsed and drafted by the service
over the dev index (the seed letters + the 410 Zhejiang regulations, built by `make eval`) and
scored: article pastes, past results under 二、, forward share, restatements reused, proposers
addressed, summary length, suggestions answered vs placeholders, basis lines, 需核实 entries; then
each 二、（N） is judged against examples/relevant-precedents.json (which units a 承办人 would accept).
A second table compares the parse with expected.json (written by hand from the texts).
``--show FILE`` drafts that one proposal and prints its row and the whole draft as Markdown.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from machine import describe  # bench/machine.py

from assistant.letter.markdown import draft_to_markdown
from assistant.letter.rubric import ROLE_BY_KIND, TABLE_HEAD, judge_precedents, judgement_table, markdown_table, score_draft, table_row
from assistant.service import Assistant
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def draft_one(assistant: Assistant, path: Path, expected: dict):
    started = time.perf_counter()
    proposal = assistant.parse_proposal(path.read_text(encoding="utf-8"))
    draft = assistant.draft(proposal, use_llm=False)  # the template drafter: what the rubric measures
    seconds = time.perf_counter() - started
    score = score_draft(draft, expected["proposers"], ROLE_BY_KIND[expected["kind"]], name=path.name)
    return proposal, draft, score, seconds


def parse_row(name: str, proposal, expected: dict) -> str:
    def mark(ok: bool) -> str:
        return "✓" if ok else "✗"

    proposers = proposal.proposers == expected["proposers"]
    shown = "、".join(proposal.proposers) or "–"
    return (
        f"| {name} | {mark(proposers)} {shown}{'' if proposers else ' (expected ' + '、'.join(expected['proposers']) + ')'} "
        f"| {mark(proposal.kind == expected['kind'])} {proposal.kind or '–'} "
        f"| {mark(len(proposal.suggestions) == expected['suggestions'])} {len(proposal.suggestions)}/{expected['suggestions']} |"
    )


def index_line(assistant: Assistant, index: Path) -> str:
    """Chunks and precedent units by role; an index built before units existed drafts nothing but
    placeholders, which would read as a drafter result."""
    line = f"index: {index} · {assistant.stats()['chunks']} chunks"
    roles = assistant.corpus.store.role_counts()
    line += " · units: " + (", ".join(f"{r} {n}" for r, n in sorted(roles.items())) if roles else "none")
    if not roles:
        line += "\nwarning: this index has no precedent units (built before roles): rebuild it with `make eval`"
    return line


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, default=Path("bench/.cache/dev-index"))
    parser.add_argument("--examples", type=Path, default=ROOT / "examples")
    parser.add_argument("--show", type=Path, help="print this proposal's whole draft as Markdown")
    args = parser.parse_args()

    if not (args.index / "store.db").exists():
        print(f"no index at {args.index}: build it with `make eval` (the seed letters + the Zhejiang regulations)")
        sys.exit(1)
    expected_all = json.loads((args.examples / "expected.json").read_text(encoding="utf-8"))
    assistant = Assistant(Settings(index_dir=args.index))

    if args.show:
        expected = expected_all.get(args.show.name)
        if expected is None:
            print(f"{args.show.name} has no entry in {args.examples / 'expected.json'}")
            sys.exit(1)
        _, draft, score, _ = draft_one(assistant, args.show, expected)
        print(describe())
        print(index_line(assistant, args.index) + "\n")
        print(TABLE_HEAD)
        print(table_row(score) + "\n")
        print(draft_to_markdown(draft))
        return

    files = sorted(p for p in args.examples.glob("*.txt") if p.name in expected_all)
    results = [(path, *draft_one(assistant, path, expected_all[path.name])) for path in files]
    print(describe())
    print(index_line(assistant, args.index))
    print(f"{len(files)} sample proposals, drafted in {sum(r[4] for r in results):.1f} s\n")
    print(markdown_table([score for _, _, _, score, _ in results]))
    labels_path = args.examples / "relevant-precedents.json"
    if labels_path.exists():
        labels = json.loads(labels_path.read_text(encoding="utf-8"))
        judgements = [judge_precedents(draft, labels[path.name], name=path.name) for path, _, draft, _, _ in results if path.name in labels]
        print("\nPrecedents under 二、 against examples/relevant-precedents.json (hand labels: which seed units a")
        print("承办人 would accept per suggestion; the relevance floors were chosen on these same labels, so read as optimistic):\n")
        print(judgement_table(judgements))
    print("\nParse vs examples/expected.json:\n")
    print("| proposal | proposers | kind | suggestions found/expected |\n|---|---|---|---|")
    for path, proposal, _, _, _ in results:
        print(parse_row(path.name, proposal, expected_all[path.name]))


if __name__ == "__main__":
    main()
