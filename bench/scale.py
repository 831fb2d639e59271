"""Search latency, memory, index size and cold start at 10k / 50k / full size of laws-scale.

    .venv/bin/python bench/scale.py            # builds under bench/.cache/scale-*, reuses them after
    .venv/bin/python bench/scale.py --milvus   # the same indexes in Milvus Lite beside the default (issue 16)

Embedding ~100k chunks with m3e-small on 2 CPU cores would take about 3 hours, so the stored
vectors here come from the deterministic hashing embedder (512-d, same shape as m3e-small). The
cost of a flat FAISS search depends on the number and size of vectors, not on their values, so
latency and memory are representative; the *query* is embedded with the real m3e-small model in
every timed search (the index is relabelled for that, in this benchmark only). Quality at this
scale is not measured here: see bench/quality.py.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

from machine import SCALE_QUERIES as QUERIES  # bench/machine.py
from machine import describe

ROOT = Path(__file__).resolve().parent.parent
LAWS = ROOT.parent / "shared" / "corpora" / "laws-scale.jsonl.gz"
CACHE = ROOT / "bench" / ".cache"


def build(target_chunks: int | None) -> Path:
    """An index of the first laws that give about ``target_chunks`` chunks (None = all)."""
    from assistant.corpus.ingest import run_all
    from assistant.service import Assistant
    from assistant.settings import Settings

    name = f"scale-{target_chunks or 'full'}"
    index = CACHE / name / "index"
    if (index / "store.db").exists():
        return index
    source = CACHE / name / "laws.jsonl"
    source.parent.mkdir(parents=True, exist_ok=True)
    estimate = 0
    with gzip.open(LAWS, "rt", encoding="utf-8") as src, open(source, "w", encoding="utf-8") as out:
        for line in src:
            record = json.loads(line)
            out.write(json.dumps({"title": record["title"], "text": record["text"]}, ensure_ascii=False) + "\n")
            estimate += max(1, len(record["text"]) // 280)
            if target_chunks and estimate >= target_chunks:
                break
    settings = Settings(index_dir=index, data_dir=CACHE / name / "data", embedding_model="hash:512", max_file_mb=500, _env_file=None)
    assistant = Assistant(settings)
    started = time.perf_counter()
    report = run_all(assistant.ingest([source]))
    print(f"  built {name}: {report.chunks_added} chunks in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with assistant.corpus.store.transaction() as db:  # benchmark only: let m3e-small embed the queries
        assistant.corpus.store.set_meta(db, "embedding_model", "m3e-small")
    assistant.close()
    return index


# Both measurements time searches the same way: p50 / p95 ms of each mode over the queries.
LATENCIES = """def lat(fn):
    out = []
    for q in queries:
        s = time.perf_counter(); fn(q); out.append((time.perf_counter() - s) * 1000)
    out.sort()
    return out[len(out) // 2], out[int(len(out) * 0.95) - 1]
hybrid = lat(lambda q: a.search(q, k=5))
bm25 = lat(lambda q: a.search(q, k=5, mode="bm25"))
dense = lat(lambda q: a.search(q, k=5, mode="dense"))
"""


def measure(index: Path) -> dict:
    """Run in a fresh process: cold start to first answer, then warm latencies and peak RSS."""
    code = f"""
import json, time, statistics, resource
t0 = time.perf_counter()
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.search.retrieval import Retriever
a = Assistant(Settings(index_dir={str(index)!r}, _env_file=None))
a.search({QUERIES[0]!r}, k=5)
cold = time.perf_counter() - t0
r = Retriever(a.corpus)
queries = {QUERIES!r} * 5
{LATENCIES}embed = lat(lambda q: a.corpus.embed_query(q))
from langchain_community.vectorstores import FAISS
from langchain_community.docstore.in_memory import InMemoryDocstore
from langchain_core.documents import Document
from assistant.corpus.embeddings import as_langchain
idx = a.corpus.backend.vectors.index
ids = [int(i) for i in __import__('faiss').vector_to_array(idx.id_map)]
store = FAISS(as_langchain(a.corpus.embedder), idx, InMemoryDocstore({{str(i): Document(page_content='') for i in ids}}),
              {{n: str(i) for n, i in enumerate(ids)}})
naive = lat(lambda q: store.similarity_search(q, k=5))
print(json.dumps(dict(cold=cold, hybrid=hybrid, bm25=bm25, dense=dense, embed=embed, naive=naive,
                      chunks=a.stats()['chunks'], rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


MILVUS_MEASURE = (
    """
import json, time, resource
t0 = time.perf_counter()
from assistant.service import Assistant
from assistant.settings import Settings
a = Assistant(Settings(index_dir=INDEX, data_dir=INDEX + '-data', backend=BACKEND, _env_file=None))
a.search(QUERIES[0], k=5)
cold = time.perf_counter() - t0
queries = QUERIES * 5
"""
    + LATENCIES
    + """print(json.dumps(dict(cold=cold, hybrid=hybrid, bm25=bm25, dense=dense, chunks=a.corpus.backend.count(),
                      rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
"""
)


def measure_backend(index: Path, backend: str) -> dict:
    """Cold start and warm p50 / p95 of one backend over ``index``, in a fresh process."""
    code = f"INDEX = {str(index)!r}\nBACKEND = {backend!r}\nQUERIES = {QUERIES!r}\n" + MILVUS_MEASURE
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def milvus_rows(targets) -> None:
    """Each scale index copied to scale-*-milvus (the original is never written), its stored vectors
    migrated into Milvus Lite there (nothing re-embedded), then both backends measured on the copy."""
    print("| backend | chunks | hybrid p50 / p95 ms | BM25 p50 / p95 | dense p50 / p95 | peak RSS MB | cold start s | migration s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for target in targets:
        index = build(target)
        copy = CACHE / f"scale-{target or 'full'}-milvus" / "index"
        started = time.perf_counter()
        # in its own process: Milvus Lite keeps its file locked while the process that opened it lives
        subprocess.run(
            [sys.executable, "-c", f"from milvus import prepare; from pathlib import Path; prepare(Path({str(index)!r}), Path({str(copy)!r}))"],
            cwd=ROOT / "bench",
            check=True,
        )
        migrated = time.perf_counter() - started
        fmt = lambda pair: f"{pair[0]:.0f} / {pair[1]:.0f}"  # noqa: E731
        for backend in ("embedded", "milvus"):
            m = measure_backend(copy, backend)
            print(
                f"| {backend} | {m['chunks']:,} | {fmt(m['hybrid'])} | {fmt(m['bm25'])} | {fmt(m['dense'])} | "
                f"{m['rss_mb']:.0f} | {m['cold']:.1f} | {migrated if backend == 'milvus' else 0:.0f} |",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--milvus", action="store_true", help="Milvus Lite rows beside the default (10k and full)")
    args = parser.parse_args()
    if args.milvus:
        print(f"{describe()} · corpus: {LAWS.name}")
        milvus_rows((10_000, None))
        return
    print(f"{describe()} · corpus: {LAWS.name}")
    print(
        "| chunks | hybrid p50 / p95 ms | BM25 p50 / p95 | dense p50 / p95 | m3e query embed p50 | naive LangChain FAISS p50 / p95 "
        "| peak RSS MB | index on disk MB | cold start to first answer s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for target in (10_000, 50_000, None):
        index = build(target)
        m = measure(index)
        disk = sum(p.stat().st_size for p in index.iterdir()) / 2**20
        fmt = lambda pair: f"{pair[0]:.0f} / {pair[1]:.0f}"  # noqa: E731
        print(
            f"| {m['chunks']:,} | {fmt(m['hybrid'])} | {fmt(m['bm25'])} | {fmt(m['dense'])} | {m['embed'][0]:.0f} | "
            f"{fmt(m['naive'])} | {m['rss_mb']:.0f} | {disk:.0f} | {m['cold']:.1f} |"
        )


if __name__ == "__main__":
    main()
