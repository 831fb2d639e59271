"""The Milvus backend (issue 16) on Milvus Lite in tmp_path, with the hashing embedder: the same
promises as the embedded index — search and filters, a file's chunks replaced as one unit, a failed
or killed write leaving the previous state searchable, check/reindex, migration from embedded."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import CORPUS, SEED_106, SEED_110

if os.environ.get("CI"):
    import pymilvus  # noqa: F401  - CI installs the extra: a missing client must fail there
else:
    pytest.importorskip("pymilvus")
    pytest.importorskip("milvus_lite")

from assistant.corpus.backends import Filters
from assistant.corpus.ingest import remove, run_all
from assistant.corpus.milvus_backend import MilvusBackend, filter_expression

QUERY = "揭榜挂帅"


def _settings(tmp_path, backend: str, **extra):
    from assistant.settings import Settings

    return Settings(index_dir=tmp_path / "index", data_dir=tmp_path / "data", embedding_model="hash:128", backend=backend, _env_file=None, **extra)


@pytest.fixture
def milvus(tmp_path):
    from assistant.service import Assistant

    instance = Assistant(_settings(tmp_path, "milvus"))
    yield instance
    instance.close()


def _sources(response) -> set[str]:
    return {r.source for r in response.results}


def _consistent(assistant) -> None:
    """Milvus holds exactly the committed chunk rows."""
    backend = assistant.corpus.backend
    assert isinstance(backend, MilvusBackend)
    assert backend.ids() == assistant.corpus.store.chunk_ids()
    assert assistant.check() == []


def test_seed_corpus_is_searchable_in_milvus(milvus, tmp_path):
    report = run_all(milvus.ingest([CORPUS]))
    assert report.added == 2 and not report.errors
    response = milvus.search(QUERY, k=5)
    assert {str(SEED_110), str(SEED_106)} <= _sources(response)
    assert any(r.retrievers == ["bm25", "dense"] for r in response.results)  # both Milvus searches fed the fusion
    assert QUERY in response.results[0].text
    assert milvus.corpus.backend.count() == milvus.stats()["chunks"]
    assert not list((tmp_path / "index").glob("vectors-*.faiss"))  # no FAISS file with this backend
    assert (tmp_path / "index" / "milvus.db").exists()  # empty milvus_uri: Milvus Lite under index_dir
    _consistent(milvus)


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_each_mode_answers_from_milvus(milvus, mode):
    run_all(milvus.ingest([CORPUS]))
    results = milvus.search(QUERY, k=5, mode=mode).results
    assert results and all(mode in r.retrievers or mode == "hybrid" for r in results)


def test_filters_are_pushed_down_as_milvus_expressions(milvus):
    run_all(milvus.ingest([CORPUS]))
    assert filter_expression(Filters("reply", 2023, 2024, '温州"市', "计划")) == (
        'doc_type == "reply" and year >= 2023 and year <= 2024 and unit like "%温州\\"市%" and array_contains(roles, "计划")'
    )
    backend = milvus.corpus.backend
    roles = milvus.corpus.store.chunk_roles(milvus.corpus.store.chunk_ids())
    # inside Milvus, not after: the raw BM25 and vector hits already keep only 成效 chunks
    tokens = ["揭榜", "挂帅", "揭榜挂帅", "科技"]
    vector = milvus.corpus.embed_query(QUERY)
    for hits in (backend.keyword(tokens, 50, Filters(role="成效")), backend.dense(vector, 50, Filters(role="成效"))):
        assert hits and all("成效" in roles.get(i, ()) for i, _ in hits)
    assert backend.keyword(tokens, 50, Filters(doc_type="policy")) == []
    # through the service, every filter
    assert milvus.search(QUERY, doc_type="policy").results == []
    assert milvus.search(QUERY, doc_type="reply").results
    assert milvus.search(QUERY, year_from=2025).results == []
    assert {str(SEED_110), str(SEED_106)} <= _sources(milvus.search(QUERY, year_from=2024, year_to=2024))
    assert milvus.search(QUERY, unit="科学技术局").results
    assert milvus.search(QUERY, unit="教育局").results == []
    planned = milvus.search(QUERY, role="计划").results
    assert planned and all("计划" in r.roles for r in planned)


def _one_seed(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    path = folder / SEED_110.name
    shutil.copy(SEED_110, path)
    return path


def test_reingest_of_a_changed_file_replaces_its_chunks(milvus, tmp_path):
    path = _one_seed(tmp_path)
    run_all(milvus.ingest([path]))
    old_ids = milvus.corpus.store.chunk_ids()
    assert milvus.search("独角兽企业孵化器", mode="bm25").results == []
    text = path.read_text(encoding="utf-8")
    closing = text.index("最后感谢")  # a sentence added to the body (the closing is never chunked)
    path.write_text(text[:closing] + "下一步，我们将建设独角兽企业孵化器。\n" + text[closing:], encoding="utf-8")
    report = run_all(milvus.ingest([path]))
    assert report.replaced == 1 and not report.errors
    new_ids = milvus.corpus.store.chunk_ids()
    assert not old_ids & new_ids  # every chunk of the file replaced, none left behind in Milvus
    assert milvus.corpus.backend.ids() == new_ids
    assert any("独角兽" in r.text for r in milvus.search("独角兽企业孵化器").results)
    _consistent(milvus)


def test_remove_takes_the_chunks_out_of_milvus(milvus):
    run_all(milvus.ingest([CORPUS]))
    removed = milvus.remove(str(SEED_106))
    assert removed == [str(SEED_106)]
    assert str(SEED_106) not in _sources(milvus.search(QUERY, k=10, show_all=True))
    assert str(SEED_110) in _sources(milvus.search(QUERY, k=10))
    _consistent(milvus)
    remove(milvus.corpus, str(SEED_110))
    assert milvus.corpus.backend.count() == 0 and milvus.search(QUERY).results == []


def _changed(path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace("揭榜挂帅", "揭榜制"), encoding="utf-8")


def test_a_failing_milvus_write_keeps_the_previous_state(milvus, tmp_path, monkeypatch):
    path = _one_seed(tmp_path)
    run_all(milvus.ingest([path]))
    before = [r.chunk_id for r in milvus.search(QUERY).results]
    _changed(path)

    def unreachable(self, entries):
        raise ConnectionError("Milvus unreachable")

    monkeypatch.setattr(MilvusBackend, "_upsert", unreachable)
    report = run_all(milvus.ingest([path]))
    assert report.errors and "原索引保持不变" in report.errors[0][1]
    monkeypatch.undo()
    assert [r.chunk_id for r in milvus.search(QUERY).results] == before
    _consistent(milvus)


def test_a_commit_failing_after_milvus_took_the_chunks_keeps_the_previous_state(milvus, tmp_path, monkeypatch):
    """The entities are in Milvus, then the SQLite commit fails: they are taken out again."""
    path = _one_seed(tmp_path)
    run_all(milvus.ingest([path]))
    before = [r.chunk_id for r in milvus.search(QUERY).results]
    _changed(path)
    stage = MilvusBackend.stage

    def stage_then_fail(self, entries, dim):
        stage(self, entries, dim)
        raise OSError("disk I/O error")

    monkeypatch.setattr(MilvusBackend, "stage", stage_then_fail)
    report = run_all(milvus.ingest([path]))
    assert report.errors
    monkeypatch.undo()
    assert [r.chunk_id for r in milvus.search(QUERY).results] == before
    _consistent(milvus)
    assert run_all(milvus.ingest([path])).replaced == 1  # and the next run gets through
    assert milvus.search(QUERY, mode="bm25").results == [] or all("揭榜挂帅" not in r.text for r in milvus.search(QUERY).results)
    _consistent(milvus)


def test_a_killed_ingest_leaves_the_previous_state_searchable(milvus, tmp_path, monkeypatch):
    """Killed between Milvus's upsert and the SQLite commit (nothing cleans up): the staged
    entities have no committed row, so no search shows them; check says so, reindex clears them."""
    path = _one_seed(tmp_path)
    run_all(milvus.ingest([path]))
    before = [r.chunk_id for r in milvus.search(QUERY).results]
    _changed(path)
    stage = MilvusBackend.stage

    def stage_then_die(self, entries, dim):
        stage(self, entries, dim)
        raise KeyboardInterrupt  # not an Exception: no handler runs, as with kill -9

    monkeypatch.setattr(MilvusBackend, "stage", stage_then_die)
    with pytest.raises(KeyboardInterrupt):
        run_all(milvus.ingest([path]))
    monkeypatch.undo()
    assert [r.chunk_id for r in milvus.search(QUERY).results] == before
    assert milvus.search("揭榜制", mode="bm25").results == []  # the new text's chunks are not shown
    assert any("Milvus ids without a chunk row" in p for p in milvus.check())
    list(milvus.reindex())
    _consistent(milvus)
    assert [r.chunk_id for r in milvus.search(QUERY).results] == before


def test_reindex_rebuilds_the_collection(milvus):
    run_all(milvus.ingest([CORPUS]))
    backend = milvus.corpus.backend
    backend.drop(sorted(milvus.corpus.store.chunk_ids())[:3])
    assert any("chunks without a Milvus entity" in p for p in milvus.check())
    list(milvus.reindex())
    _consistent(milvus)


def test_migrate_from_embedded_gives_equal_counts_and_results(tmp_path):
    from assistant.service import Assistant

    embedded = Assistant(_settings(tmp_path, "embedded"))
    run_all(embedded.ingest([CORPUS]))
    queries = [QUERY, "科技金融 贷款", "新型研发机构", "科技成果转化"]
    expected = {q: [r.chunk_id for r in embedded.search(q, k=5).results] for q in queries}
    counts = embedded.migrate_index("milvus")
    chunks = embedded.stats()["chunks"]
    assert counts == {"documents": 2, "chunks": chunks, "milvus": chunks}
    assert embedded.check() == []  # the embedded index is untouched
    embedded.close()

    moved = Assistant(_settings(tmp_path, "milvus"))
    try:
        _consistent(moved)
        for q in queries:
            got = [r.chunk_id for r in moved.search(q, k=5).results]
            assert got[:1] == expected[q][:1] and set(got[:3]) == set(expected[q][:3]), q
    finally:
        moved.close()


def test_migrate_command(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from assistant.cli import app

    monkeypatch.setenv("REPLY_ASSISTANT_EMBEDDING_MODEL", "hash:64")
    monkeypatch.setenv("REPLY_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    index = ["--index", str(tmp_path / "index")]
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(CORPUS), *index]).exit_code == 0
    result = runner.invoke(app, ["migrate", "--to-backend", "milvus", *index])
    assert result.exit_code == 0, result.output
    assert "milvus" in result.output
    monkeypatch.setenv("REPLY_ASSISTANT_BACKEND", "milvus")
    result = runner.invoke(app, ["search", QUERY, "--json", *index])
    assert result.exit_code == 0 and SEED_110.name in result.output


def test_another_process_searches_what_one_ingested(tmp_path):
    """Milvus Lite persists to its file: a new process (a restarted or second app server) loads the
    collection and finds the same chunks."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = (
        "import sys, json\n"
        "from assistant.settings import Settings\n"
        "from assistant.service import Assistant\n"
        "from assistant.corpus.ingest import run_all\n"
        f"s = Settings(index_dir={str(tmp_path / 'index')!r}, data_dir={str(tmp_path / 'data')!r}, "
        "embedding_model='hash:128', backend='milvus', _env_file=None)\n"
        "a = Assistant(s)\n"
        "if sys.argv[1] == 'ingest':\n"
        f"    run_all(a.ingest([{str(CORPUS)!r}]))\n"
        f"print(json.dumps([r.source for r in a.search({QUERY!r}, k=5).results], ensure_ascii=False))\n"
        "print(json.dumps(a.check()))\n"
        "a.close()\n"
    )
    outputs = []
    for step in ("ingest", "search"):
        done = subprocess.run([sys.executable, "-c", script, step], capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        outputs.append(done.stdout.strip().splitlines()[-2:])
    assert outputs[0] == outputs[1] and outputs[1][1] == "[]"
    assert str(SEED_110) in outputs[1][0] and str(SEED_106) in outputs[1][0]
