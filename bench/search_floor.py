"""What the relevance floor costs and buys, on each eval set: one Markdown table.

    .venv/bin/python bench/search_floor.py ../shared/eval/dev.jsonl ../shared/eval/paraphrase.jsonl bench/eval/long-queries.jsonl

For every query the top 5 passages are split by the floor (``Retriever.match``; a long query meets a
proportionally lower one, ``Retriever.floor_for``): relevant ones kept
(recall the floor must not lose), non-relevant ones held back (noise it removes), and queries whose
first relevant passage is still shown. Choose the floor on one set and read the others: the floor
shipped (0.5) was chosen on dev.jsonl, the highest value with a margin below its weakest relevant match.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from machine import describe  # bench/machine.py

from assistant.search.evaluation import is_relevant, load_queries
from assistant.search.retrieval import Retriever
from assistant.service import Assistant
from assistant.settings import Settings

FLOORS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("eval_files", type=Path, nargs="+")
    parser.add_argument("--index", type=Path, default=Path("bench/.cache/dev-index"))
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    assistant = Assistant(Settings(index_dir=args.index))
    retriever = Retriever(assistant.corpus)
    print(describe() + "\n")
    print("| set | floor | relevant shown / in top k | noise held back / in top k | queries still answered |")
    print("|---|---:|---:|---:|---:|")
    for path in args.eval_files:
        queries = load_queries(path)
        scored = []  # per query: [(match relative to the query's own floor, relevant)] for the top k
        for q in queries:
            results = retriever.search(q.query, k=args.k).results
            scale = retriever.settings.search_floor / retriever.floor_for(q.query)  # long queries meet a lower floor
            scored.append([(r.match * scale, is_relevant(r.source, r.text, q.relevant)) for r in results])
        relevant = sum(1 for rows in scored for _, ok in rows if ok)
        noise = sum(1 for rows in scored for _, ok in rows if not ok)
        for floor in FLOORS:
            kept = sum(1 for rows in scored for m, ok in rows if ok and m >= floor)
            dropped = sum(1 for rows in scored for m, ok in rows if not ok and m < floor)
            answered = sum(1 for rows in scored if any(ok and m >= floor for m, ok in rows))
            print(f"| {path.stem} | {floor:.1f} | {kept} / {relevant} | {dropped} / {noise} | {answered} / {len(queries)} |")


if __name__ == "__main__":
    main()
