"""Sweep the ranking settings over several eval sets and print Markdown tables.

    .venv/bin/python bench/fusion_sweep.py ../shared/eval/dev.jsonl ../shared/eval/paraphrase.jsonl \
        bench/eval/long-queries.jsonl --index bench/.cache/dev-index

Each row changes one or two settings from the defaults (convex, α 0.25, proximity 0.2 within 2
chars, heading/title weight 1.0, thesaurus terms at 0.7, dense weighs 0.6 when the best keyword
hits bear out < 0.4 of the query) and shows every set side by side. Then "both ways": the row each
set would choose (best MRR@10, then success@5, then the defaults on a tie) and what that choice
gives on the other sets: a number read on the set that chose it is optimistic.
"""

from __future__ import annotations

import argparse
from contextlib import closing
from pathlib import Path

from machine import describe  # bench/machine.py

from assistant.search.evaluation import evaluate, load_queries
from assistant.search.retrieval import Retriever
from assistant.service import Assistant
from assistant.settings import Settings

CONFIGS = [
    {},  # the shipped defaults
    {"fusion": "rrf", "bm25_weight": 1.0, "dense_weight": 1.0, "rrf_k": 60},
    {"fusion": "rrf", "bm25_weight": 1.0, "dense_weight": 0.5, "rrf_k": 60},
    {"fusion": "rrf", "bm25_weight": 1.0, "dense_weight": 0.25, "rrf_k": 10},
    *({"dense_alpha": alpha} for alpha in (0.15, 0.2, 0.3, 0.35, 0.4, 0.5, 0.6)),
    # a passage's cosine blended with its closest article's (0 = its own only, 1 = the article's)
    *({"unit_dense_weight": weight} for weight in (0.0, 0.3, 0.7, 1.0)),
    *({"proximity_weight": beta} for beta in (0.0, 0.1, 0.15, 0.3)),
    *({"proximity_window": window} for window in (0, 6)),
    *({"keyword_context_weight": weight} for weight in (0.5, 2.0)),
    *({"expansion_weight": weight} for weight in (0.0, 0.5, 1.0, 1.5)),
    *({"weak_keyword_coverage": share} for share in (0.0, 0.3, 0.5, 0.6)),
    *({"dense_alpha_weak_keywords": alpha} for alpha in (0.4, 0.5, 0.75)),
    # α and proximity together: how wide the plateau around the defaults is
    *({"dense_alpha": a, "proximity_weight": b} for a in (0.2, 0.3) for b in (0.15, 0.3)),
]


def label(config: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in config.items()) or "**defaults**"


def cell(scores: dict) -> str:
    return f"{scores['success@1']:.2f} / {scores['success@5']:.2f} / {scores['mrr@10']:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("eval_files", type=Path, nargs="+")
    parser.add_argument("--index", type=Path, default=Path("bench/.cache/dev-index"))
    args = parser.parse_args()

    base = Settings(index_dir=args.index)
    assistant = Assistant(base)
    sets = {path.stem: load_queries(path) for path in args.eval_files}
    print(describe() + "\n")
    print("success@1 / success@5 / MRR@10\n")
    print("| parameters | " + " | ".join(f"{name} ({len(q)})" for name, q in sets.items()) + " |")
    print("|---|" + "---:|" * len(sets))
    for mode in ("bm25", "dense"):
        row = [evaluate(Retriever(assistant.corpus), q, modes=(mode,))["modes"][mode] for q in sets.values()]
        print(f"| {mode} alone | " + " | ".join(cell(s) for s in row) + " |")
    results: list[tuple[dict, dict[str, dict]]] = []
    for config in CONFIGS:
        # a whole assistant per row: some settings are read by the index backend, not the retriever
        # (the heading weight goes into FTS5's bm25()); the loaded model is shared
        with closing(Assistant(base.model_copy(update=config), embedder=assistant.corpus.embedder)) as other:
            retriever = Retriever(other.corpus)
            row = {name: evaluate(retriever, q, modes=("hybrid",))["modes"]["hybrid"] for name, q in sets.items()}
        results.append((config, row))
        print(f"| {label(config)} | " + " | ".join(cell(row[name]) for name in sets) + " |", flush=True)

    print("\nBoth ways: the row each set chooses, read on every set (* = the set that chose it)\n")
    print("| chosen on | parameters | " + " | ".join(sets) + " |")
    print("|---|---|" + "---:|" * len(sets))
    for chooser in sets:
        # ties go to the earliest row, so to the defaults when they are among the best
        config, row = max(results, key=lambda item: (item[1][chooser]["mrr@10"], item[1][chooser]["success@5"], -results.index(item)))
        cells = [cell(row[name]) + (" *" if name == chooser else "") for name in sets]
        print(f"| {chooser} | {label(config)} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
