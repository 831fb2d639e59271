"""The Milvus backend beside the default one: quality on both dev sets and query latency.

    .venv/bin/python bench/milvus.py                 # dev corpus (8.3k chunks, real m3e-small vectors)

The dev index built by `make eval` (bench/.cache/dev-index) is copied to bench/.cache/dev-index-milvus
first — never written — and its stored vectors are migrated into a Milvus Lite file there
(`Assistant.migrate_index("milvus")`, nothing re-embedded). Both backends then answer the same
queries in this one process: quality through the same fusion, latency as p50 / p95 of warm searches
(queries embedded with the real model in every timed search, as in bench/scale.py).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

from machine import SCALE_QUERIES as QUERIES  # bench/machine.py
from machine import describe

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
CACHE = ROOT / "bench" / ".cache"


def prepare(source: Path, target: Path) -> Path:
    """A copy of ``source`` (store.db and the FAISS file) with a Milvus Lite file migrated into it."""
    from assistant.service import Assistant
    from assistant.settings import Settings

    if not (target / "store.db").exists():
        target.mkdir(parents=True, exist_ok=True)
        for item in source.iterdir():
            if item.is_file() and not item.name.startswith("."):
                shutil.copy2(item, target / item.name)
    settings = Settings(index_dir=target, data_dir=target.parent / (target.name + "-data"), _env_file=None)
    assistant = Assistant(settings)
    from assistant.corpus.milvus_backend import MilvusBackend

    backend = MilvusBackend(assistant.corpus.store, assistant.corpus.directory, assistant.settings)
    chunks = assistant.corpus.store.counts()["chunks"]
    held = backend.count()
    backend.close()
    if held != chunks:
        started = time.perf_counter()
        counts = assistant.migrate_index("milvus")
        print(f"  migrated {counts} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    assistant.close()
    return target


def open_assistant(index: Path, backend: str):
    from assistant.service import Assistant
    from assistant.settings import Settings

    return Assistant(Settings(index_dir=index, data_dir=index.parent / (index.name + "-data"), backend=backend, _env_file=None))


def quality(assistant, eval_file: Path) -> dict:
    from assistant.search.evaluation import evaluate, load_queries
    from assistant.search.retrieval import Retriever

    return evaluate(Retriever(assistant.corpus), load_queries(eval_file))["modes"]


def latency(assistant, queries: list[str], mode: str = "hybrid") -> tuple[float, float]:
    times = []
    for q in queries:
        started = time.perf_counter()
        assistant.search(q, k=5, mode=mode)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, default=CACHE / "dev-index")
    parser.add_argument("--copy", type=Path, default=CACHE / "dev-index-milvus")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    index = prepare(args.index, args.copy)
    from assistant.search.evaluation import load_queries

    eval_queries = [q.query for f in ("dev.jsonl", "paraphrase.jsonl") for q in load_queries(EVAL / f)]
    print(describe())
    rows = {}
    for backend in ("embedded", "milvus"):
        assistant = open_assistant(index, backend)
        assistant.search(QUERIES[0], k=5)  # warm: model, FAISS / Milvus client, caches
        result = {f: quality(assistant, EVAL / f) for f in ("dev.jsonl", "paraphrase.jsonl")}
        queries = (QUERIES + eval_queries) * args.repeat
        result["latency"] = {mode: latency(assistant, queries, mode) for mode in ("hybrid", "bm25", "dense")}
        result["chunks"] = assistant.corpus.backend.count()
        rows[backend] = result
        assistant.close()
    print("| backend | chunks | dev s@1 / s@5 / MRR | paraphrase s@1 / s@5 / MRR | hybrid p50 / p95 ms | BM25 p50 / p95 | dense p50 / p95 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for backend, r in rows.items():
        q = lambda m: f"{m['success@1']:.2f} / {m['success@5']:.2f} / {m['mrr@10']:.2f}"  # noqa: E731
        lat = lambda pair: f"{pair[0]:.0f} / {pair[1]:.0f}"  # noqa: E731
        print(
            f"| {backend} | {r['chunks']:,} | {q(r['dev.jsonl']['hybrid'])} | {q(r['paraphrase.jsonl']['hybrid'])} | "
            f"{lat(r['latency']['hybrid'])} | {lat(r['latency']['bm25'])} | {lat(r['latency']['dense'])} |"
        )
    print()
    print("| backend | set | BM25 alone s@1 / s@5 / MRR | dense alone s@1 / s@5 / MRR |")
    print("|---|---|---:|---:|")
    for backend, r in rows.items():
        for f in ("dev.jsonl", "paraphrase.jsonl"):
            q = lambda m: f"{m['success@1']:.2f} / {m['success@5']:.2f} / {m['mrr@10']:.2f}"  # noqa: E731
            print(f"| {backend} | {f} | {q(r[f]['bm25'])} | {q(r[f]['dense'])} |")
    for f in ("dev.jsonl", "paraphrase.jsonl"):
        diff = [
            (x["id"], x["rank"], y["rank"])
            for x, y in zip(rows["embedded"][f]["hybrid"]["per_query"], rows["milvus"][f]["hybrid"]["per_query"])
            if x["rank"] != y["rank"]
        ]
        print(f"{f}: hybrid ranks that differ (id, embedded, milvus): {diff}")


if __name__ == "__main__":
    main()
