"""Small learned decisions: a logistic gate over named evidence, and its versioned file.

Search's reranker (search/rerank.py) and drafting's judge (letter/judge.py) each weigh a few named
pieces of evidence with weights learned from labelled sets by a script in bench/. The file says
its format version and which evidence it weighs; a reader refuses one of another version or with
evidence it does not measure (the caller falls back to its rules) rather than misread it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Gate:
    """A logistic model: p = σ(bias + Σ weight·evidence); a pair is admitted at p ≥ threshold, and counted
    sure at p ≥ ``confident`` (where one wrong costs more than one missed; None: the threshold)."""

    weights: dict[str, float]
    bias: float
    threshold: float = 0.5
    confident: float | None = None

    @property
    def sure(self) -> float:
        return self.threshold if self.confident is None else max(self.threshold, self.confident)

    def probability(self, evidence: Mapping[str, float]) -> float:
        z = self.bias + sum(w * evidence.get(name, 0.0) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def read_learned(
    path: Path, version: int, gates: Iterable[str], evidence: Iterable[str] | Callable[[str], bool]
) -> tuple[dict[str, Gate], dict[str, Any]] | None:
    """(the named gates, the whole record) from ``path``; None when the file is missing or
    unreadable, of another ``version``, lacks a gate, or weighs evidence not in ``evidence`` (the names,
    or a test of a name where they are open-ended: a word feature)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != version:
        return None
    known = evidence if callable(evidence) else set(evidence).__contains__
    try:
        # ``confident`` is optional: a file without it reads as before (sure = the threshold)
        read = {
            name: Gate(
                {str(k): float(w) for k, w in data[name]["weights"].items()},
                float(data[name]["bias"]),
                float(data[name]["threshold"]),
                None if data[name].get("confident") is None else float(data[name]["confident"]),
            )
            for name in gates
        }
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if not all(known(name) for gate in read.values() for name in gate.weights):
        return None
    numbers = [x for gate in read.values() for x in (*gate.weights.values(), gate.bias, gate.threshold, gate.sure)]
    if not all(math.isfinite(x) for x in numbers):
        return None  # JSON allows NaN and Infinity: either would admit everything or nothing
    return read, data


def load_learned(make: Callable[..., T], path: Path, version: int, gates: Iterable[str], evidence: Iterable[str]) -> T | None:
    """``make(model=…, trained_on=[…], <gate>=Gate, …)`` from the file at ``path`` (``read_learned``), or None."""
    gates = tuple(gates)
    read = read_learned(path, version, gates, evidence)
    if read is None:
        return None
    found, data = read
    return make(model=str(data.get("model", "")), trained_on=[str(f) for f in data.get("trained_on", [])], **found)


def bundled(name: str | None) -> Path | None:
    """The path of a learned file shipped in assistant/data/, if ``name`` is given."""
    return Path(__file__).resolve().parent / "data" / name if name else None


def write_learned(path: Path, record: Mapping[str, Any]) -> None:
    """Write a learned record (its gates as dicts, its version, what it was learned from)."""
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
