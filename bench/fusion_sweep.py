"""Sweep the fusion settings on an eval set and print one Markdown table.

    .venv/bin/python bench/fusion_sweep.py ../shared/eval/dev.jsonl --index bench/.cache/dev-index

Each row changes one setting from the defaults (convex, α=0.25, proximity 0.2 within 2 chars,
heading/title weight 1.0). Tuning on the set you report on overfits: use this to see how flat
the optimum is, not to chase the last query.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.search.evaluation import evaluate, load_queries
from assistant.search.retrieval import Retriever
from assistant.service import Assistant
from assistant.settings import Settings
from machine import describe  # bench/machine.py

CONFIGS = [
    {"fusion": "rrf", "bm25_weight": 1.0, "dense_weight": 1.0, "rrf_k": 60},
    {"fusion": "rrf", "bm25_weight": 1.0, "dense_weight": 0.5, "rrf_k": 60},
    {"fusion": "rrf", "bm25_weight": 1.0, "dense_weight": 0.35, "rrf_k": 10},
    {"fusion": "rrf", "bm25_weight": 1.0, "dense_weight": 0.25, "rrf_k": 10},
    *({"fusion": "convex", "dense_alpha": alpha} for alpha in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)),
    *({"fusion": "convex", "proximity_weight": beta} for beta in (0.0, 0.05, 0.1, 0.15, 0.3)),
    *({"fusion": "convex", "proximity_window": window} for window in (0, 6)),
    *({"fusion": "convex", "keyword_context_weight": weight} for weight in (0.5, 1.5, 2.0)),
    # α and proximity together: how wide the plateau around the defaults is
    *({"fusion": "convex", "dense_alpha": a, "proximity_weight": b} for a in (0.2, 0.3) for b in (0.15, 0.3)),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("eval_file", type=Path)
    parser.add_argument("--index", type=Path, default=Path("bench/.cache/dev-index"))
    args = parser.parse_args()

    base = Settings(index_dir=args.index)
    assistant = Assistant(base)
    queries = load_queries(args.eval_file)
    print(describe() + "\n")
    print("| fusion | parameters | success@1 | success@5 | MRR@10 |")
    print("|---|---|---:|---:|---:|")
    singles = evaluate(Retriever(assistant.corpus), queries, modes=("bm25", "dense"))["modes"]
    for mode, scores in singles.items():
        print(f"| {mode} alone | | {scores['success@1']:.2f} | {scores['success@5']:.2f} | {scores['mrr@10']:.2f} |")
    for config in CONFIGS:
        retriever = Retriever(assistant.corpus)
        retriever.settings = base.model_copy(update=config)
        scores = evaluate(retriever, queries, modes=("hybrid",))["modes"]["hybrid"]
        params = ", ".join(f"{k}={v}" for k, v in config.items() if k != "fusion")
        print(f"| {config['fusion']} | {params} | {scores['success@1']:.2f} | {scores['success@5']:.2f} | {scores['mrr@10']:.2f} |")


if __name__ == "__main__":
    main()
