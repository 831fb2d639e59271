"""Uploads ingest as background jobs: queued one at a time, with progress, cancel, and no file
left in corpus/uploads that the index does not hold (issue 13, findings 2 and 7)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from assistant.corpus.embeddings import HashEmbedder
from assistant.errors import QueryError
from assistant.service import Assistant

MARK = "瓯海星火专项"


class SlowEmbedder(HashEmbedder):
    """The hashing embedder at the pace of a real model on 2 cores (and a gate to hold it)."""

    def __init__(self, dim: int = 64, seconds: float = 0.02):
        super().__init__(dim)
        self.seconds = seconds
        self.gate = threading.Event()
        self.gate.set()

    def embed(self, texts):
        self.gate.wait(timeout=30)
        time.sleep(self.seconds)
        return super().embed(texts)


def document(paragraphs: int, word: str = MARK) -> bytes:
    # the filler names the programme too: two programmes' files must not be copies of each other
    body = "\n\n".join(
        f"第{n}条 {word}第{n}批次支持科技企业开展关键核心技术攻关，" + f"完善{word}项目组织实施和资金管理办法，" * 8 for n in range(1, paragraphs + 1)
    )
    return f"# {word}管理办法\n\n{body}\n".encode("utf-8")


@pytest.fixture
def slow(tmp_path):
    from assistant.settings import Settings

    embedder = SlowEmbedder()
    settings = Settings(index_dir=tmp_path / "index", corpus_dir=tmp_path / "corpus", data_dir=tmp_path / "data", embedding_model="hash:64", _env_file=None)
    instance = Assistant(settings, embedder)
    yield instance, embedder
    instance.close()


def uploads_folder(assistant) -> Path:
    return Path(assistant.settings.corpus_dir) / "uploads"


def test_upload_returns_at_once_and_jobs_run_one_at_a_time(slow):
    assistant, embedder = slow
    embedder.gate.clear()  # the first job stalls in its first embedding batch
    first = assistant.upload([("一号文件.md", document(40))], user="甲")
    second = assistant.upload([("二号文件.md", document(40, "瓯江揭榜专项"))], user="甲")
    time.sleep(0.3)
    assert first.state == "running" and second.state == "queued"  # one at a time, in order
    assert [row[1] for row in second.rows()] == ["排队中"]
    embedder.gate.set()
    assistant.uploads.wait(second.id, timeout=60)
    assert (first.state, second.state) == ("done", "done")
    assert first.total and first.done == first.total  # progress reached its end
    assert [row[1] for row in first.rows()] == ["新增"] and first.rows()[0][2].endswith("段")
    assert assistant.search(MARK, k=3).results and assistant.search("瓯江揭榜专项", k=3).results


def test_a_job_belongs_to_its_user(slow):
    assistant, _ = slow
    job = assistant.upload([("文件.md", document(2))], user="甲")
    assistant.uploads.wait(job.id)
    assert assistant.upload_job(job.id, user="甲") is job
    with pytest.raises(QueryError, match=rf"导入任务 #{job.id} 不存在"):
        assistant.upload_job(job.id, user="乙")
    with pytest.raises(QueryError, match=rf"导入任务 #{job.id} 不存在"):
        assistant.cancel_upload(job.id, user="乙")


def test_cancel_stops_the_job_and_removes_what_was_not_indexed(slow):
    assistant, embedder = slow
    kept = assistant.upload([("已有文件.md", document(3, "瓯江揭榜专项"))], user="甲")
    assistant.uploads.wait(kept.id)
    embedder.gate.clear()
    job = assistant.upload([("大文件.md", document(200))], user="甲")
    time.sleep(0.2)
    assistant.cancel_upload(job.id, user="甲")
    embedder.gate.set()
    assistant.uploads.wait(job.id, timeout=60)
    assert job.state == "cancelled" and [row[1] for row in job.rows()] == ["已取消"]
    names = sorted(p.name for p in uploads_folder(assistant).iterdir())
    assert names == ["已有文件.md"]  # the cancelled upload's file is gone, the indexed one stays
    assert not assistant.search(MARK, k=3, show_all=True, mode="bm25").results
    assert assistant.check() == []
    assert any(a["action"] == "cancel_upload" for a in assistant.drafts.audit_log())


def test_failed_uploads_do_not_stay_in_the_uploads_folder(slow):
    """Before: a file that failed to ingest stayed in corpus/uploads, listed nowhere."""
    assistant, _ = slow
    capped = assistant.settings.max_document_chars
    too_long = document(capped // 100 + 10)
    assert len(too_long.decode()) > capped
    job = assistant.upload([("超长文件.md", too_long), ("正常文件.md", document(2)), ("二进制.txt", bytes(range(256)) * 8)], user="甲")
    assistant.uploads.wait(job.id, timeout=60)
    outcome = {row[0]: row[1] for row in job.rows()}
    assert outcome == {"超长文件.md": "失败", "正常文件.md": "新增", "二进制.txt": "失败"}
    assert "文档过长" in dict((row[0], row[2]) for row in job.rows())["超长文件.md"]
    assert sorted(p.name for p in uploads_folder(assistant).iterdir()) == ["正常文件.md"]


def test_re_uploading_an_indexed_file_that_then_fails_keeps_the_file(slow):
    """A file already in the index (same content) is not ours to delete when a later job fails."""
    assistant, _ = slow
    first = assistant.upload([("文件.md", document(2))], user="甲")
    assistant.uploads.wait(first.id)
    again = assistant.upload([("文件.md", document(2))], user="甲")
    assistant.uploads.wait(again.id)
    assert [row[1] for row in again.rows()] == ["未变"]
    assert [p.name for p in uploads_folder(assistant).iterdir()] == ["文件.md"]


def test_one_uploaded_file_is_bounded_as_a_whole(slow):
    """A .jsonl holds many documents, each under the per-document cap: the upload is capped too."""
    import json

    assistant, _ = slow
    line = "第一条 推行揭榜挂帅机制，完善科技金融服务和项目管理办法。" * 100  # ~3,000 characters
    many = "\n".join(json.dumps({"title": f"文件{n}", "text": line}, ensure_ascii=False) for n in range(400))
    job = assistant.upload([("批量.jsonl", many.encode("utf-8"))], user="甲")
    assistant.uploads.wait(job.id, timeout=60)
    ((name, result, message),) = job.rows()
    assert result == "失败" and "文字过多" in message and "too much text" in message
    assert assistant.stats()["documents"] == 0


def test_a_cancel_that_comes_after_everything_was_written_leaves_the_job_done():
    from assistant.corpus.ingest import IngestEvent
    from assistant.corpus.jobs import IngestQueue, UploadedFile

    def run(job):
        yield IngestEvent("file", str(job.files[0].path), "added", chunks=3)
        job.cancel.set()  # pressed while the run was finishing
        yield IngestEvent("finish")

    queue = IngestQueue(run)
    job = queue.submit("甲", [UploadedFile("a.md", Path("/nonexistent/a.md"))])
    queue.wait(job.id, timeout=10)
    assert job.state == "done" and [row[1] for row in job.rows()] == ["新增"]
    queue.close(timeout=5)


def test_the_same_name_with_new_content_updates_the_document(slow, tmp_path):
    """Issue 23, finding 8: a changed file uploaded again under its name was added beside the old one
    (both searchable and citable). Now it is the document's new version; a failed one puts the old back."""
    assistant, embedder = slow
    embedder.gate.set()
    first = assistant.upload([("瓯江办法.md", document(3, "瓯江揭榜专项"))], user="甲")
    assistant.uploads.wait(first.id, timeout=60)
    second = assistant.upload([("瓯江办法.md", document(3, "瓯江星火专项"))], user="甲")
    assistant.uploads.wait(second.id, timeout=60)
    assert [row[1] for row in second.rows()] == ["更新"] and second.rows()[0][2].startswith("替换了同名文件的上一版本")
    assert any(a["action"] == "upload" and "瓯江办法.md" in a["detail"] for a in assistant.drafts.audit_log(50))
    assert [d["source"] for d in assistant.documents()] == [str(second.files[0].path)]
    assert assistant.search("瓯江星火专项", k=3).results and not assistant.search("瓯江揭榜专项", k=3, mode="bm25").results
    folder = second.files[0].path.parent
    assert sorted(p.name for p in folder.iterdir()) == ["瓯江办法.md"]  # no second copy, no backup left
    # a replacement that fails (over the upload's character cap) leaves the previous version in place
    third = assistant.upload([("瓯江办法.md", ("字" * 1_100_000).encode("utf-8"))], user="甲")
    assistant.uploads.wait(third.id, timeout=60)
    assert third.rows()[0][1] == "失败"
    assert "瓯江星火专项" in (folder / "瓯江办法.md").read_text(encoding="utf-8") and sorted(p.name for p in folder.iterdir()) == ["瓯江办法.md"]


def test_leftovers_of_a_killed_upload_are_tidied_at_start(slow, tmp_path):
    from assistant.corpus.uploads import store_upload

    assistant, embedder = slow
    embedder.gate.set()
    job = assistant.upload([("已导入.md", document(2, "瓯海揭榜专项"))], user="甲")
    assistant.uploads.wait(job.id, timeout=60)
    folder = job.files[0].path.parent
    # the process killed after storing two uploads, before their job ran: one new, one replacing 已导入.md
    store_upload(document(2, "永嘉揭榜专项"), "未导入.md", folder, 2**20)
    store_upload(document(2, "瓯海星火专项"), "已导入.md", folder, 2**20)
    (folder / ".半截.md.123.tmp").write_bytes(b"half")
    (folder / "手工放入.md").write_bytes(document(2, "乐清揭榜专项"))  # put there by hand: not ours to touch
    done = assistant.tidy_uploads()
    assert sorted(p.name for p in folder.iterdir()) == ["已导入.md", "手工放入.md"]
    assert "瓯海揭榜专项" in (folder / "已导入.md").read_text(encoding="utf-8")  # the indexed version is back
    assert len(done) == 3 and any("未导入.md" in line for line in done)
