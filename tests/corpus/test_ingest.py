"""Incremental, atomic ingest on a real SQLite file and FAISS file (hashing embedder). Tests marked
`both_backends` run again with the chunks in Milvus Lite (issue 16); the ones about the FAISS file
itself (its rebuild, its temporary files, a failing save) stay embedded-only."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import closing

import pytest

from assistant.corpus.ingest import run_all
from assistant.corpus.store import Store
from assistant.errors import IndexStateError
from assistant.service import Assistant
from assistant.settings import Settings

from ..conftest import CORPUS, SEED_106, SEED_110, SHARED, both_backends


@pytest.fixture
def corpus_copy(tmp_path):
    target = tmp_path / "docs"
    shutil.copytree(CORPUS, target)
    return target


def sources(assistant, query, mode="bm25"):
    return [r.source for r in assistant.search(query, k=10, mode=mode).results]


@both_backends
def test_first_ingest_types_and_metadata(assistant, corpus_copy):
    report = run_all(assistant.ingest([corpus_copy]))
    assert (report.added, report.unchanged, report.errors) == (2, 0, [])
    docs = {d["metadata"]["doc_number"]: d for d in assistant.documents()}
    assert set(docs) == {"温科提复〔2024〕110号", "温科提复〔2024〕106号"}
    assert all(d["doc_type"] == "reply" for d in docs.values())
    assert docs["温科提复〔2024〕110号"]["title"] == "温科提复〔2024〕110号 关于市政协十二届三次会议370号提案的答复函"
    stats = assistant.stats()
    assert stats["chunks"] == stats["fts_rows"] == report.chunks_added > 0
    assert assistant.check() == []


@both_backends
def test_unchanged_files_are_skipped_without_embedding(assistant, corpus_copy):
    run_all(assistant.ingest([corpus_copy]))
    generation = assistant.stats()["generation"]
    again = run_all(assistant.ingest([corpus_copy]))
    assert (again.unchanged, again.added, again.replaced, again.chunks_embedded) == (2, 0, 0, 0)
    assert assistant.stats()["generation"] == generation  # nothing was written


@both_backends
def test_changed_file_replaces_its_chunks_and_reuses_vectors(assistant, corpus_copy):
    run_all(assistant.ingest([corpus_copy]))
    target = corpus_copy / SEED_110.name
    before = assistant.stats()["chunks"]
    text = target.read_text(encoding="utf-8").replace("大孵化集群战略", "大孵化集群战略和瓯江星火计划")
    target.write_text(text, encoding="utf-8")
    report = run_all(assistant.ingest([corpus_copy]))
    assert (report.replaced, report.unchanged) == (1, 1)
    assert 0 < report.chunks_embedded < report.chunks_added  # only the edited passage is embedded again
    assert assistant.stats()["chunks"] == before
    assert str(target) in sources(assistant, "瓯江星火计划")[:1]
    assert assistant.check() == []


@both_backends
def test_changed_chunking_rechunks_unchanged_files_reusing_vectors(settings, corpus_copy, tmp_path):
    laws = corpus_copy / "laws"
    laws.mkdir()
    shutil.copy(SHARED / "corpora" / "zhejiang-local-regulations" / "温州市民间融资管理条例(2013-11-22).md", laws)
    with closing(Assistant(settings)) as first:
        first_report = run_all(first.ingest([corpus_copy]))
        assert run_all(first.ingest([corpus_copy])).unchanged == 3  # same text, same chunking: skipped
    # another chunk size cuts the same text differently: every file is re-chunked, not skipped
    resized = settings.model_copy(update={"chunk_target_chars": 200, "chunk_max_chars": 300})
    with closing(Assistant(resized)) as second:
        report = run_all(second.ingest([corpus_copy]))
        assert (report.replaced, report.unchanged, report.errors) == (3, 0, [])
        assert report.chunks_added > first_report.chunks_added
        assert report.chunks_embedded < report.chunks_added  # chunks cut the same way keep their vectors
        assert all(len(r.text.replace("\n", "")) <= 300 for r in second.search("民间借贷", k=20, mode="bm25").results)
        assert second.check() == []
        assert run_all(second.ingest([corpus_copy])).unchanged == 3


def test_index_from_before_chunking_was_recorded_is_rechunked(assistant, corpus_copy):
    run_all(assistant.ingest([corpus_copy]))
    with assistant.corpus.store.transaction() as db:  # what an older index looks like after migration
        db.execute("UPDATE files SET chunking = ''")
    report = run_all(assistant.ingest([corpus_copy]))
    assert (report.replaced, report.chunks_embedded) == (2, 0)  # same cuts for the letters: nothing re-embedded
    assert run_all(assistant.ingest([corpus_copy])).unchanged == 2


@both_backends
def test_remove_deletes_document_everywhere(assistant, corpus_copy):
    run_all(assistant.ingest([corpus_copy]))
    target = str(corpus_copy / SEED_106.name)
    assert target in sources(assistant, "拨投联动")
    assert assistant.remove(target) == [target]
    assert target not in sources(assistant, "拨投联动")
    assert target not in sources(assistant, "拨投联动", mode="dense")
    assert assistant.stats()["documents"] == 1
    assert assistant.check() == []
    assert assistant.remove(target) == []


@both_backends
def test_bad_files_are_reported_and_the_batch_goes_on(assistant, corpus_copy, tmp_path):
    run_all(assistant.ingest([corpus_copy / SEED_106.name]))
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(SEED_110, batch / "good.txt")
    (batch / "empty.txt").write_bytes(b"")
    (batch / "garbage.txt").write_bytes(os.urandom(4096))
    (batch / "broken.docx").write_bytes(b"not a zip")
    report = run_all(assistant.ingest([batch]))
    assert report.added == 1
    failed = {os.path.basename(path): message for path, message in report.errors}
    assert set(failed) == {"empty.txt", "garbage.txt", "broken.docx"}
    assert "空" in failed["empty.txt"] and "二进制" in failed["garbage.txt"]
    assert assistant.stats()["documents"] == 2  # the earlier document is untouched


@both_backends
def test_failure_while_writing_keeps_the_previous_index(assistant, corpus_copy, monkeypatch):
    run_all(assistant.ingest([corpus_copy / SEED_106.name]))
    before = assistant.search("拨投联动", k=3).to_dict()
    stats = assistant.stats()

    def explode(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Store, "insert_chunks", staticmethod(explode))
    target = corpus_copy / SEED_106.name
    target.write_text(target.read_text(encoding="utf-8") + "\n新增一段。", encoding="utf-8")
    report = run_all(assistant.ingest([corpus_copy]))
    assert len(report.errors) == 2 and all("原索引保持不变" in m for _, m in report.errors)
    monkeypatch.undo()

    assert assistant.stats() == stats
    assert assistant.search("拨投联动", k=3).to_dict() == before
    reopened = Assistant(assistant.settings)
    assert reopened.search("拨投联动", k=3).to_dict()["results"] == before["results"]
    assert reopened.check() == []
    reopened.close()


@both_backends
def test_killed_ingest_leaves_a_consistent_index_and_rerun_completes(tmp_path, backend):
    """kill -9 a real `reply-assistant ingest` process mid-run, twice, then finish the run."""
    regulations = SHARED / "corpora" / "zhejiang-local-regulations"
    files = sorted(regulations.glob("*.md"))[:60]
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in files:
        shutil.copy(path, docs / path.name)
    env = {
        **os.environ,
        "REPLY_ASSISTANT_EMBEDDING_MODEL": "hash:64",
        "REPLY_ASSISTANT_INDEX_DIR": str(tmp_path / "index"),
        "REPLY_ASSISTANT_BACKEND": backend,
        "REPLY_ASSISTANT_MILVUS_URI": "",
    }
    # what a kill may leave behind, named by check and harmless to search: a FAISS file that lags the
    # database (the next open rebuilds it), or Milvus entities staged before the SQLite commit that
    # never got their rows (no search shows them; the rerun overwrites them when it reuses the ids)
    lag = "FAISS file" if backend == "embedded" else "Milvus ids without a chunk row"
    command = [sys.executable, "-m", "assistant.cli", "ingest", str(docs)]
    # Milvus Lite takes ~3 s more to start (its server and collection load): kill later, mid-run too
    for delay in (1.5, 2.5) if backend == "embedded" else (4.5, 5.5):
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        check = subprocess.run([sys.executable, "-m", "assistant.cli", "check"], env=env, capture_output=True, text=True)
        # the database is never half-written; at most the index lags behind it: any other problem fails
        problems = check.stderr.split("✗")[1:]
        assert check.returncode == 0 or (problems and all(lag in p for p in problems)), check.stderr
    finished = subprocess.run(command, env=env, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    check = subprocess.run([sys.executable, "-m", "assistant.cli", "check"], env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    reopened = Assistant(Settings(index_dir=tmp_path / "index", embedding_model="hash:64", backend=backend, _env_file=None))
    assert reopened.stats()["documents"] == len(files)
    assert reopened.search("条例", k=3, mode="bm25").results and reopened.search("条例", k=3, mode="dense").results
    reopened.close()


# embedded-only: about the FAISS file itself; the Milvus counterpart is in test_milvus_backend.py
def test_missing_faiss_file_is_rebuilt_from_the_database(assistant, corpus_copy):
    run_all(assistant.ingest([corpus_copy]))
    expected = sources(assistant, "揭榜挂帅", mode="dense")
    assistant.close()
    index_dir = assistant.settings.index_dir
    for path in index_dir.glob("vectors-*.faiss"):
        path.write_bytes(b"corrupt")
    reopened = Assistant(assistant.settings)
    assert any("corrupt" in p or "不一致" in p for p in reopened.check())
    response = reopened.search("揭榜挂帅", k=10, mode="dense")
    assert [r.source for r in response.results] == expected
    assert any("重建" in w for w in response.warnings)
    assert reopened.check() == []
    reopened.close()


@both_backends
def test_jsonl_lines_are_documents_and_only_changed_lines_are_replaced(assistant, tmp_path):
    path = tmp_path / "reports.jsonl"
    rows = [{"title": f"报告{i}", "content": f"第{i}份报告，推进科技创新第{i}项工作。"} for i in range(3)]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    run_all(assistant.ingest([path]))
    ids = {d["source"]: d["id"] for d in assistant.documents()}
    rows[1]["content"] = "第1份报告已修订，改为推进数字经济。"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    report = run_all(assistant.ingest([path]))
    assert report.replaced == 1
    after = {d["source"]: d["id"] for d in assistant.documents()}
    assert after[f"{path}#L1"] == ids[f"{path}#L1"] and after[f"{path}#L3"] == ids[f"{path}#L3"]
    assert after[f"{path}#L2"] != ids[f"{path}#L2"]
    assert all(d["doc_type"] == "policy" for d in assistant.documents())


@both_backends
def test_term_learned_later_is_found_in_earlier_documents(assistant, tmp_path):
    early = tmp_path / "early.txt"
    early.write_text("我市实施瓯江英才引领计划，吸引青年人才。", encoding="utf-8")
    run_all(assistant.ingest([early]))
    later = tmp_path / "later.txt"
    later.write_text("关于“瓯江英才引领计划”的实施细则。", encoding="utf-8")
    run_all(assistant.ingest([later]))
    hits = assistant.search("瓯江英才引领计划", k=5, mode="bm25").results
    assert str(early) in [r.source for r in hits]
    (body,) = assistant.corpus.store._query(
        "SELECT f.body FROM chunks_fts f JOIN chunks c ON c.id = f.rowid JOIN documents d ON d.id = c.doc_id WHERE d.source = ?",
        (str(early),),
    )[0:1]
    assert "瓯江英才引领计划" in body[0].split()


@both_backends
def test_type_override_and_model_mismatch(assistant, corpus_copy, settings):
    run_all(assistant.ingest([corpus_copy / SEED_110.name], doc_type="policy"))
    assert [d["doc_type"] for d in assistant.documents()] == ["policy"]
    other = Assistant(settings.model_copy(update={"embedding_model": "hash:32"}))
    with pytest.raises(IndexStateError, match="reindex"):
        run_all(other.ingest([corpus_copy]))
    other.close()


# embedded-only: about saving the FAISS file; the Milvus counterpart is in test_milvus_backend.py
def test_faiss_write_failure_is_a_warning_and_the_index_heals(assistant, corpus_copy, monkeypatch):
    from assistant.corpus.vectors import VectorIndex

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(VectorIndex, "save", read_only)
    events = list(assistant.ingest([corpus_copy]))
    warnings = [e for e in events if e.kind == "warning"]
    assert len(warnings) == 1 and "重建" in warnings[0].message
    assert [e.status for e in events if e.kind == "file"] == ["added", "added"]
    monkeypatch.undo()
    assistant.close()
    reopened = Assistant(assistant.settings)
    assert str(corpus_copy / SEED_106.name) in [r.source for r in reopened.search("拨投联动", k=3, mode="dense").results]
    assert reopened.check() == []
    reopened.close()


# embedded-only: about the FAISS file's temporary files; the Milvus counterpart is in test_milvus_backend.py
def test_saving_removes_temporary_files_of_killed_writers(assistant, corpus_copy):
    index_dir = assistant.settings.index_dir
    index_dir.mkdir(parents=True, exist_ok=True)
    dead = index_dir / ".vectors-7.faiss.999999999.tmp"
    live = index_dir / f".vectors-7.faiss.{os.getpid()}.tmp"
    dead.write_bytes(b"left by a killed run")
    live.write_bytes(b"being written right now")
    run_all(assistant.ingest([corpus_copy]))
    assert not dead.exists() and live.exists()


# embedded-only: about the FAISS vector index class; the Milvus counterpart is in test_milvus_backend.py
def test_known_vectors_skips_chunks_not_yet_in_faiss():
    import numpy as np

    from assistant.corpus.vectors import VectorIndex

    index = VectorIndex(4)
    index.add([7, 9], np.eye(4, dtype=np.float32)[:2])
    found = index.known_vectors([7, 8, 9])  # 8: written to SQLite by an ingest, not yet added here
    assert sorted(found) == [7, 9] and np.allclose(found[9], [0, 1, 0, 0])


def test_a_full_disk_while_writing_vectors_is_one_line_and_leaves_no_temp_file(assistant, corpus_copy, monkeypatch):
    """Issue 23, finding 8: the raw “faiss::write_index … No space left on device” and a 0644 temp file."""
    import faiss

    def full(index, path):
        with open(path, "wb") as handle:
            handle.write(b"partial")
        raise RuntimeError("Error in faiss::write_index: fwrite(...) failed: No space left on device")

    monkeypatch.setattr(faiss, "write_index", full)
    events = list(assistant.ingest([corpus_copy]))
    warnings = [e.message for e in events if e.kind == "warning"]
    assert warnings and "磁盘已满 / no space left on device" in warnings[0] and "faiss::" not in warnings[0]
    assert not [p for p in assistant.settings.index_dir.iterdir() if p.name.endswith(".tmp")]
    assert len(assistant.documents()) == 2  # the database holds everything: the file is rebuilt at the next start
