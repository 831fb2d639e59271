"""Retrieval evaluation on a JSONL file of queries with known relevant passages.

Each line: {"id": str, "query": str, "relevant": [{"source_contains": str, "text_contains": str}]}.
A result is relevant when its source contains ``source_contains`` and its text contains
``text_contains`` (whitespace ignored on both sides).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import QueryError
from .retrieval import RETRIEVERS, Retriever

MODES = ("hybrid", *RETRIEVERS)
_WS = re.compile(r"\s+")


@dataclass
class EvalQuery:
    id: str
    query: str
    relevant: list[dict]


def load_queries(path: Path) -> list[EvalQuery]:
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise QueryError(f"无法读取评测文件 {path}（{exc.strerror}）", f"cannot read eval file {path} ({exc.strerror})") from exc
    queries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            relevant = record["relevant"]
            if not isinstance(record["query"], str) or not isinstance(relevant, list) or not relevant:
                raise ValueError("query must be text and relevant a non-empty list")
            for spec in relevant:
                if not {"source_contains", "text_contains"} <= set(spec):
                    raise ValueError("each relevant item needs source_contains and text_contains")
        except (ValueError, KeyError, TypeError) as exc:
            raise QueryError(f"评测文件第 {number} 行格式错误：{exc}", f"eval file line {number} is malformed: {exc}") from exc
        queries.append(EvalQuery(str(record.get("id", number)), record["query"], relevant))
    if not queries:
        raise QueryError("评测文件没有任何查询", "the eval file has no queries")
    return queries


def is_relevant(source: str, text: str, relevant: list[dict]) -> bool:
    squeezed = _WS.sub("", text)
    return any(spec["source_contains"] in source and _WS.sub("", spec["text_contains"]) in squeezed for spec in relevant)


def passages_named(passages: Iterable[tuple[int, str, str]], queries: list[EvalQuery]) -> dict[str, set[int]]:
    """query id → the ids of the passages, (id, source, text), its labels name."""
    passages = list(passages)
    return {q.id: {i for i, source, text in passages if is_relevant(source, text, q.relevant)} for q in queries}


def split_by_seen(queries: list[EvalQuery], named: dict[str, set[int]], seen: set[int]) -> dict[str, list[EvalQuery]]:
    """The queries that ask for a passage of ``seen`` (one named by the sets something was learned or
    tuned on), the others, and those whose labels name no passage the index holds (``unmatched``:
    they can never succeed, and would drag either group down). Eval sets written over one corpus keep
    asking for the same passages: a method that learns which passages get asked for gains on ``seen``
    without understanding any."""
    groups: dict[str, list[EvalQuery]] = {"seen": [], "novel": [], "unmatched": []}
    for q in queries:
        groups["unmatched" if not named[q.id] else "seen" if named[q.id] & seen else "novel"].append(q)
    return groups


def evaluate(retriever: Retriever, queries: list[EvalQuery], k: int = 5, modes=MODES) -> dict:
    """success@1, success@k and MRR@10 per mode, overall and per query."""
    depth = max(10, k)
    report: dict = {"k": k, "queries": len(queries), "modes": {}}
    for mode in modes:
        rows: list[dict[str, Any]] = []
        for q in queries:
            results = retriever.search(q.query, k=depth, mode=mode).results
            rank = next((i for i, r in enumerate(results, 1) if is_relevant(r.source, r.text, q.relevant)), None)
            rows.append({"id": q.id, "query": q.query, "rank": rank})
        n = len(rows)
        report["modes"][mode] = {
            "success@1": sum(1 for r in rows if r["rank"] == 1) / n,
            f"success@{k}": sum(1 for r in rows if r["rank"] and r["rank"] <= k) / n,
            "mrr@10": sum(1 / r["rank"] for r in rows if r["rank"] and r["rank"] <= 10) / n,
            "per_query": rows,
        }
    return report
