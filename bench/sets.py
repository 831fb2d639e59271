"""Retrieval quality on every eval set at once: success@1 / success@5 / MRR@10 per set and mode.

    .venv/bin/python bench/sets.py [--index bench/.cache/dev-index] [--modes hybrid,bm25,dense] FILE.jsonl ...

Defaults to the shared sets, the long-queries set and the blind sets under bench/eval/blind-*/
(short.jsonl, long.jsonl). With ``--misses`` the queries whose relevant passage is not in the top 5
are listed (for the sets one may tune on; do not read the blind sets' misses before the end).

``--learned-from FILE ...`` also splits each set by whether its queries' relevant passages are ones
those files (the sets something was learned or tuned on) name as well — ``seen`` — or not —
``novel`` (``unmatched``: labels naming no passage of the index). The blind batches were all written
over the same few hundred S&T passages: seven to eight in ten of their short queries ask for a passage
an earlier batch already names, so a method that learns which passages are asked for scores on
``seen`` queries without understanding any; read ``novel``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from assistant.search.evaluation import evaluate, load_queries, passages_named, split_by_seen
from assistant.search.retrieval import Retriever
from assistant.service import Assistant
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEFAULT = [
    SHARED / "eval" / "dev.jsonl",
    SHARED / "eval" / "paraphrase.jsonl",
    ROOT / "bench" / "eval" / "long-queries.jsonl",
    *sorted((ROOT / "bench" / "eval").glob("blind-*/short.jsonl")),
    *sorted((ROOT / "bench" / "eval").glob("blind-*/long.jsonl")),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--index", type=Path, default=ROOT / "bench" / ".cache" / "dev-index")
    parser.add_argument("--modes", default="hybrid,bm25,dense")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument(
        "--learned-from",
        nargs="*",
        type=Path,
        default=[],
        help="split each set into queries whose passages these files name (seen), the rest (novel) and those naming none the index holds (unmatched)",
    )
    args = parser.parse_args()
    if not (args.index / "store.db").exists():
        sys.exit(f"no index at {args.index}: build it with `make eval`")
    assistant = Assistant(Settings(index_dir=args.index))
    retriever = Retriever(assistant.corpus)
    modes = tuple(args.modes.split(","))
    print(f"index: {args.index} · model {assistant.stats()['embedding_model']}")
    print("| set | queries | mode | success@1 | success@5 | MRR@10 | ms/query |")
    print("|---|---:|---|---:|---:|---:|---:|")
    passages = list(assistant.corpus.store.iter_passages()) if args.learned_from else []
    seen = {i for path in args.learned_from for ids in passages_named(passages, load_queries(path)).values() for i in ids}
    for path in args.files or DEFAULT:
        queries = load_queries(path)
        name = path.stem if path.parent.name in ("eval",) else f"{path.parent.name}/{path.stem}"
        groups = {"": queries}
        if args.learned_from:
            groups.update({f" ({group})": part for group, part in split_by_seen(queries, passages_named(passages, queries), seen).items() if part})
        for (suffix, part), mode in ((g, m) for g in groups.items() for m in modes):
            started = time.perf_counter()
            report = evaluate(retriever, part, k=5, modes=(mode,))["modes"][mode]
            ms = (time.perf_counter() - started) * 1000 / len(part)
            print(f"| {name}{suffix} | {len(part)} | {mode} | {report['success@1']:.2f} | {report['success@5']:.2f} | {report['mrr@10']:.2f} | {ms:.0f} |")
            if args.misses and mode == "hybrid" and not suffix:
                for row in report["per_query"]:
                    if not row["rank"] or row["rank"] > 5:
                        print(f"  miss {row['id']} (rank {row['rank'] or '-'}): {row['query']}")


if __name__ == "__main__":
    main()
