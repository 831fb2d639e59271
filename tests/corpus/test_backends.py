"""One contract, both index backends (SQLite FTS5 + FAISS, Milvus Lite), each built alone from a
store, its index folder and settings — no Corpus, no model: what retrieval and ingest rely on."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.corpus.backends import EmbeddedBackend, Filters, make_entry, match_expression
from assistant.corpus.index import open_backend
from assistant.corpus.store import NewChunk, Store
from assistant.corpus.text import tokenize

from ..conftest import both_backends

pytestmark = both_backends

DIM = 8
PASSAGES = [  # (title, body, doc_type, year)
    ("科技金融办法", "推出科创指数贷，支持科技型中小企业知识产权质押融资。", "policy", 2023),
    ("揭榜挂帅答复", "推行揭榜挂帅机制，企业出题、政府立题、人才答题。", "reply", 2024),
    ("实验动物条例", "建设实验动物公共服务平台，开放共享大型科学仪器。", "policy", 2021),
]


def unit_vector(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).normal(size=DIM).astype(np.float32)
    return vector / np.linalg.norm(vector)


@pytest.fixture
def built(tmp_path, backend):
    """A store with three committed passages, and the backend over it holding them."""
    from assistant.settings import Settings

    settings = Settings(index_dir=tmp_path / "index", data_dir=tmp_path / "data", embedding_model="hash:8", backend=backend, _env_file=None)
    settings.index_dir.mkdir(parents=True)
    store = Store(settings.db_path)
    index = open_backend(store, settings.index_dir, settings)
    entries = []
    with store.transaction() as db:
        store.set_meta(db, "embedding_dim", str(DIM))
        for n, (title, body, doc_type, year) in enumerate(PASSAGES):
            doc_id = store.insert_document(
                db, file_path=f"{n}.txt", source=f"{n}.txt", sha256=str(n), title=title, doc_type=doc_type, metadata={"year": year}, text=body
            )
            [chunk_id] = store.insert_chunks(db, doc_id, [NewChunk(0, "", body, str(n), unit_vector(n), " ".join(tokenize(title)), " ".join(tokenize(body)))])
            entries.append(make_entry(chunk_id, unit_vector(n), title, "", body, doc_type, {"year": year}, f"{n}.txt"))
        index.stage(entries, DIM)  # staged before the rows commit, as ingest does
    index.save()
    yield index, [e.id for e in entries]
    index.close()
    store.close()


def test_a_backend_is_built_from_its_settings(built, backend):
    index, _ = built
    assert index.name == backend and index.dim == DIM


def test_keyword_search_finds_the_passage_that_says_it(built):
    index, ids = built
    hits = index.keyword(list(dict.fromkeys(tokenize("揭榜挂帅"))), 5, Filters())
    assert hits and hits[0][0] == ids[1]
    assert [i for i, _ in index.keyword(tokenize("实验动物"), 5, Filters(doc_type="reply"))] == []


def test_dense_search_ranks_the_same_vector_first_and_filters_by_type(built):
    index, ids = built
    hits = index.dense(unit_vector(2), 3, Filters())
    assert hits[0][0] == ids[2] and hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert all(i != ids[1] for i, _ in index.dense(unit_vector(1), 3, Filters(doc_type="policy")))


def test_known_vectors_count_and_check(built):
    index, ids = built
    assert index.has_vectors() and index.count() == 3
    known = index.known_vectors([ids[0], 999_999])
    assert set(known) == {ids[0]} and np.allclose(known[ids[0]], unit_vector(0), atol=1e-5)
    assert index.check() == []


def test_dropped_chunks_leave_and_check_says_so_until_rebuilt(built):
    index, ids = built
    index.drop([ids[0]])
    index.save()
    assert index.count() == 2 and ids[0] not in index.known_vectors(ids)
    problems = index.check()  # the row is still in the store: the index lacks its vector
    assert problems and any("reindex" in p for p in problems)
    assert index.rebuild() == 3 and index.check() == []


def test_the_fts_query_syntax_is_the_embedded_backends_own(built, backend):
    if backend != "embedded":
        pytest.skip("Milvus tokenises the text itself")
    assert isinstance(built[0], EmbeddedBackend)
    assert match_expression(['a"b', "OR"]) == '"a""b" OR "OR"'
    assert match_expression([]) is None
