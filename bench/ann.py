"""Would an approximate (HNSW) vector index pay here? Flat FAISS against HNSW, in one run.

    .venv/bin/python bench/ann.py ../shared/eval/dev.jsonl

Part 1, quality: the dev index (`make eval`, real m3e-small vectors) searched through flat
FAISS and through HNSW built from the same vectors: success@1/@5, MRR@10 of dense alone and
of the hybrid search. Part 2, speed: the full laws-scale index of bench/scale.py (66k vectors
of the same shape): search time, build time and overlap of the top 50 with the exact answer.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
from machine import SCALE_QUERIES as QUERIES  # bench/machine.py
from machine import describe

from assistant.corpus.vectors import VectorIndex
from assistant.search.evaluation import evaluate, load_queries
from assistant.search.retrieval import Retriever
from assistant.service import Assistant
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SCALE_INDEX = ROOT / "bench" / ".cache" / "scale-full" / "index"


def hnsw_like(flat: VectorIndex, m: int = 32, ef_search: int = 64) -> tuple[VectorIndex, float]:
    """An HNSW index over the flat index's vectors and ids (and its build time in seconds)."""
    import faiss

    ids = faiss.vector_to_array(flat.index.id_map).astype(np.int64)
    vectors = flat.vectors_of(ids.tolist())
    inner = faiss.IndexHNSWFlat(flat.dim, m, faiss.METRIC_INNER_PRODUCT)
    inner.hnsw.efConstruction = 80
    inner.hnsw.efSearch = ef_search
    faiss.omp_set_num_threads(os.cpu_count())  # building is a batch job: all cores
    started = time.perf_counter()
    index = faiss.IndexIDMap2(inner)
    index.add_with_ids(vectors, ids)
    seconds = time.perf_counter() - started
    return VectorIndex(flat.dim, index), seconds  # VectorIndex sets searching back to one thread


def quality(eval_file: Path, index_dir: Path) -> None:
    assistant = Assistant(Settings(index_dir=index_dir, _env_file=None))
    queries = load_queries(eval_file)
    flat = assistant.corpus.backend.vectors
    print(f"### dev.jsonl ({len(queries)} queries) over {len(flat):,} m3e-small vectors\n")
    print("| vector index | dense s@1 / s@5 / MRR@10 | hybrid s@1 / s@5 / MRR@10 |")
    print("|---|---:|---:|")
    variants = [("flat (exact)", flat, 0.0)]
    for ef in (64, 256):
        index, seconds = hnsw_like(flat, ef_search=ef)
        variants.append((f"HNSW M=32, efSearch={ef}", index, seconds))
    for label, index, _ in variants:
        assistant.corpus.backend._vectors = index
        modes = evaluate(Retriever(assistant.corpus), queries, modes=("dense", "hybrid"))["modes"]
        cells = [" / ".join(f"{modes[m][key]:.2f}" for key in ("success@1", "success@5", "mrr@10")) for m in ("dense", "hybrid")]
        print(f"| {label} | {cells[0]} | {cells[1]} |")
    assistant.corpus.backend._vectors = flat
    assistant.close()


def speed() -> None:
    if not (SCALE_INDEX / "store.db").exists():
        print("\n(no full-size index yet: run bench/scale.py first)")
        return
    assistant = Assistant(Settings(index_dir=SCALE_INDEX, _env_file=None))
    flat = assistant.corpus.backend.vectors
    query_vectors = [assistant.corpus.embed_query(q) for q in QUERIES]
    exact = [{i for i, _ in flat.search(v, 50)} for v in query_vectors]

    def timing(index: VectorIndex) -> tuple[float, float]:
        samples = []
        for _ in range(5):
            for v in query_vectors:
                started = time.perf_counter()
                index.search(v, 50)
                samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        return samples[len(samples) // 2], samples[int(len(samples) * 0.95) - 1]

    print(f"\n### search over {len(flat):,} vectors (512-d, laws-scale), top 50, one thread\n")
    print("| vector index | p50 / p95 ms | build s | overlap of top 50 with exact |")
    print("|---|---:|---:|---:|")
    p50, p95 = timing(flat)
    print(f"| flat (exact) | {p50:.1f} / {p95:.1f} | 0 | 100 % |")
    for ef in (64, 256):
        index, seconds = hnsw_like(flat, ef_search=ef)
        p50, p95 = timing(index)
        overlap = np.mean([len(e & {i for i, _ in index.search(v, 50)}) / 50 for e, v in zip(exact, query_vectors)])
        print(f"| HNSW M=32, efSearch={ef} | {p50:.1f} / {p95:.1f} | {seconds:.0f} | {100 * overlap:.0f} % |")
    assistant.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("eval_file", type=Path)
    parser.add_argument("--index", type=Path, default=ROOT / "bench" / ".cache" / "dev-index")
    args = parser.parse_args()
    print(describe() + "\n")
    quality(args.eval_file, args.index)
    speed()


if __name__ == "__main__":
    main()
