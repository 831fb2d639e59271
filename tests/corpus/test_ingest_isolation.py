"""Searching while an ingest writes (issue 13, findings 1 and 2): searches never wait for the
writer, a document appears at one instant with its keyword rows and its vectors together, and
what an upload can make the machine do is bounded."""

from __future__ import annotations

import sqlite3
import threading
import time
import zipfile

import pytest

from assistant.corpus.ingest import Ingestor, run_all
from assistant.errors import LoadError

MARK = "瓯海星火专项"


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def big_document(paragraphs: int) -> str:
    """One document of many passages, each naming MARK (every chunk matches a search for it)."""
    body = "\n\n".join(
        f"第{n}条 {MARK}第{n}批次支持科技企业开展关键核心技术攻关，" + "完善项目组织实施和资金管理办法，推动创新成果转化应用，" * 6
        for n in range(1, paragraphs + 1)
    )
    return f"# {MARK}管理办法\n\n{body}\n"


def test_a_search_does_not_wait_for_an_open_write_transaction(assistant, tmp_path):
    """Before: every read took the store's one connection lock, held through a whole ingest
    transaction — a search during an 806 KB upload blocked 144 s."""
    docs = tmp_path / "docs"
    write(docs, "base.md", "# 基础办法\n\n第一条 推行揭榜挂帅机制，完善科技金融服务。\n")
    assert not run_all(assistant.ingest([docs])).errors
    store = assistant.corpus.store
    finished = threading.Event()
    results = []

    def search() -> None:
        results.append(assistant.search("揭榜挂帅", k=3))
        finished.set()

    with store.transaction() as db:  # a writer mid-transaction, with uncommitted rows
        db.execute("UPDATE meta SET value = value WHERE key = 'generation'")
        thread = threading.Thread(target=search)
        thread.start()
        assert finished.wait(timeout=20), "the search waited for the open write transaction"
    thread.join()
    assert results[0].results and "揭榜挂帅" in results[0].results[0].text


def test_searches_during_a_large_ingest_see_the_document_all_at_once(assistant, tmp_path):
    docs = tmp_path / "docs"
    write(docs, "base.md", "# 基础办法\n\n第一条 推行揭榜挂帅机制，完善科技金融服务。\n")
    assert not run_all(assistant.ingest([docs])).errors
    big = write(tmp_path / "big", "large.md", big_document(1500))
    settled = threading.Event()
    errors: list[BaseException] = []
    seen: list[tuple[float, int, int]] = []  # (time, passages of the big document shown, total of them in the store)

    def search_until_settled() -> None:
        try:
            while not settled.is_set():
                response = assistant.search(MARK, k=50, mode="hybrid")
                ours = [r for r in response.results if r.source.endswith("large.md")]
                # every passage shown has its vector: found by the keyword side only after FAISS has it
                index = assistant.corpus.backend.vectors
                ids = [r.chunk_id for r in ours]
                assert len(index.known_vectors(ids)) == len(ids), "a passage was shown before its vector was in FAISS"
                seen.append((time.perf_counter(), len(ours), len(response.results)))
        except BaseException as exc:  # noqa: BLE001 - any failure in the thread fails the test
            errors.append(exc)

    searcher = threading.Thread(target=search_until_settled)
    searcher.start()
    report = run_all(assistant.ingest([big.parent]))
    time.sleep(0.2)
    settled.set()
    searcher.join()
    assert errors == []
    assert not report.errors and report.chunks_added > 500
    counts = [ours for _, ours, _ in seen]
    assert counts and counts[0] == 0 and counts[-1] == 50  # searched before and after it landed
    # atomic and monotonic: the document was either absent or fully there (all 50 places are
    # its passages, since each names MARK), and once there it stayed
    assert set(counts) <= {0, 50}
    first = counts.index(50)
    assert all(c == 50 for c in counts[first:])


def test_a_cancelled_ingest_stops_before_writing_and_keeps_the_index(assistant, tmp_path):
    docs = tmp_path / "docs"
    write(docs, "base.md", "# 基础办法\n\n第一条 推行揭榜挂帅机制，完善科技金融服务。\n")
    assert not run_all(assistant.ingest([docs])).errors
    before = assistant.stats()["chunks"]
    write(docs, "large.md", big_document(400))
    cancel = threading.Event()
    events = []
    for event in Ingestor(assistant.corpus, cancel=cancel).run([docs]):
        events.append(event)
        if event.kind == "embed" and event.done == 0:
            cancel.set()  # as the 取消导入 button does, from another thread
    outcome = {e.path.rsplit("/", 1)[-1]: e.status for e in events if e.kind == "file"}
    assert outcome == {"base.md": "unchanged", "large.md": "cancelled"}
    assert assistant.stats()["chunks"] == before and assistant.check() == []
    assert not assistant.search(MARK, k=5, show_all=True, mode="bm25").results


def test_a_document_over_the_character_cap_is_refused_before_embedding(settings, tmp_path):
    from assistant.service import Assistant

    capped = Assistant(settings.model_copy(update={"max_document_chars": 20_000}))
    try:
        docs = tmp_path / "docs"
        write(docs, "letter.md", "# 答复\n\n第一条 推行揭榜挂帅机制。\n")
        write(docs, "huge.md", big_document(200))  # ~ 30k characters
        report = run_all(capped.ingest([docs]))
        assert report.added == 1 and report.chunks_embedded < 10
        ((path, message),) = report.errors
        assert path.endswith("huge.md") and "文档过长" in message and "document too long" in message
    finally:
        capped.close()


def repetitive_docx(path, repeats: int):
    """A small .docx whose text XML is the same run repeated: it compresses ~1000:1."""
    run = "<w:p><w:r><w:t>推行揭榜挂帅机制，完善科技金融服务。</w:t></w:r></w:p>" * repeats
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{run}</w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", xml)
    return path


def test_a_docx_that_inflates_a_hundredfold_is_refused(tmp_path):
    """Before: the guard allowed 200 MB uncompressed; an 806 KB file became 166,667 chunks."""
    from assistant.corpus.loaders import load_file
    from assistant.corpus.uploads import sniff_suffix

    bomb = repetitive_docx(tmp_path / "bomb.docx", 20_000)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(LoadError, match="压缩比"):
        load_file(bomb)
    with pytest.raises(LoadError, match="zip bomb"):
        sniff_suffix(bomb.read_bytes(), ".docx")


def test_removing_a_large_document_gives_the_space_back(assistant, tmp_path):
    docs = tmp_path / "docs"
    write(docs, "base.md", "# 基础办法\n\n第一条 推行揭榜挂帅机制，完善科技金融服务。\n")
    big = write(docs, "large.md", big_document(1500))
    assert not run_all(assistant.ingest([docs])).errors
    db = assistant.settings.db_path
    wal = db.with_name(db.name + "-wal")
    full = db.stat().st_size
    assistant.remove(str(big))
    on_disk = db.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    assert on_disk < full / 2, f"{full} bytes before, {on_disk} after removing most of the index"
    assert assistant.search("揭榜挂帅", k=3).results and assistant.check() == []


def test_read_connections_do_not_pile_up_with_threads(assistant, tmp_path):
    """Before: a read connection per thread, kept for ever; the web server's worker threads come
    and go, so 200 short-lived threads left 200 open connections (and 400 file descriptors)."""
    import os

    docs = tmp_path / "docs"
    write(docs, "base.md", "# 基础办法\n\n第一条 推行揭榜挂帅机制，完善科技金融服务。\n")
    assert not run_all(assistant.ingest([docs])).errors
    store = assistant.corpus.store

    def open_files() -> int:
        return len(os.listdir("/proc/self/fd"))

    before = open_files()
    for _ in range(5):
        threads = [threading.Thread(target=lambda: store.generation) for _ in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert open_files() - before <= 3 * 8 + 4  # at most the idle pool (each reader: db, wal, shm)
    store.close()
    with pytest.raises(sqlite3.ProgrammingError, match="is closed"):
        _ = store.generation  # a closed store does not quietly open new connections


def test_a_picture_beside_the_text_does_not_hide_a_repetitive_docx(tmp_path):
    from assistant.corpus.loaders import load_file

    bomb = repetitive_docx(tmp_path / "padded.docx", 20_000)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_STORED) as zf:  # 2 MB of incompressible "picture"
        zf.writestr("word/media/image1.png", __import__("os").urandom(2 * 2**20))
    with pytest.raises(LoadError, match="压缩比"):
        load_file(bomb)


def test_a_rebuilt_vector_file_is_told_to_the_ingest_that_found_it(settings, tmp_path):
    """Before: the notice went to whichever search came next (another user's), and stayed there."""
    from assistant.service import Assistant

    docs = tmp_path / "docs"
    write(docs, "base.md", "# 基础办法\n\n第一条 推行揭榜挂帅机制，完善科技金融服务。\n")
    first = Assistant(settings)
    assert not run_all(first.ingest([docs])).errors
    first.close()
    for faiss_file in settings.index_dir.glob("vectors-*.faiss"):
        faiss_file.unlink()
    second = Assistant(settings)
    try:
        write(docs, "more.md", "# 另一办法\n\n第一条 完善孵化载体建设。\n")
        events = list(second.ingest([docs]))
        assert any(e.kind == "warning" and "重建" in e.message for e in events)
        assert not second.search("揭榜挂帅", k=3).warnings
    finally:
        second.close()


def test_vectors_are_in_faiss_before_their_rows_are_visible(assistant, tmp_path, monkeypatch):
    """The order that makes a document appear at one instant: when its vectors enter FAISS no
    reader can see its rows yet (they commit after), so no search finds a row without its vector."""
    from assistant.corpus.vectors import VectorIndex

    docs = tmp_path / "docs"
    write(docs, "base.md", "# 基础办法\n\n第一条 推行揭榜挂帅机制，完善科技金融服务。\n")
    assert not run_all(assistant.ingest([docs])).errors
    store = assistant.corpus.store
    seen_by_readers: list[int] = []
    real_add = VectorIndex.add

    def add(self, ids, vectors):
        if len(ids):
            reader = threading.Thread(target=lambda: seen_by_readers.append(len(store.get_chunks(list(ids)))))
            reader.start()
            reader.join()
        return real_add(self, ids, vectors)

    monkeypatch.setattr(VectorIndex, "add", add)
    write(docs, "more.md", big_document(30))
    assert not run_all(assistant.ingest([docs])).errors
    assert seen_by_readers == [0]  # one add, while its rows were still invisible
    visible = assistant.search(MARK, k=50, mode="bm25", show_all=True).results
    assert visible and len(assistant.corpus.backend.vectors.known_vectors([r.chunk_id for r in visible])) == len(visible)
