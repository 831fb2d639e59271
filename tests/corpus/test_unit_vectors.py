"""The unit-vector matrix: a chunk scored by its closest unit, found by brute force."""

from __future__ import annotations

import numpy as np

from assistant.corpus.unit_vectors import UnitMatrix


def unit(*values) -> bytes:
    vector = np.array(values, dtype=np.float32)
    return (vector / np.linalg.norm(vector)).tobytes()


ROWS = [  # (chunk id, doc type, vector), by chunk
    (3, "policy", unit(1, 0, 0)),
    (3, "policy", unit(0, 1, 0)),
    (7, "reply", unit(0.6, 0.8, 0)),
    (9, "policy", unit(0, 0, 1)),
    (9, "policy", unit(0.8, 0, 0.6)),
    (9, "policy", unit(0, 0.28, 0.96)),
]


def test_no_rows_no_matrix():
    assert UnitMatrix.from_rows([]) is None


def test_a_chunk_scores_its_closest_unit_not_the_first_or_the_mean():
    units = UnitMatrix.from_rows(ROWS)
    assert units.chunk_ids.tolist() == [3, 7, 9] and len(units) == 6
    best = units.best(np.array([0, 1, 0], dtype=np.float32))
    assert np.allclose(best, [1.0, 0.8, 0.28])  # chunk 3's second unit, 7's only one, 9's third
    assert units.lookup(best, [9, 4, 3]) == {9: best[2], 3: best[0]}  # 4 holds no embedded unit


def test_top_keeps_the_doc_type_asked_for_best_first():
    units = UnitMatrix.from_rows(ROWS)
    best = units.best(np.array([0, 1, 0], dtype=np.float32))
    assert [c for c, _ in units.top(best, 5)] == [3, 7, 9]
    assert [c for c, _ in units.top(best, 5, doc_type="policy")] == [3, 9]
    assert [c for c, _ in units.top(best, 1, doc_type="reply")] == [7]
    assert units.top(best, 0) == []
