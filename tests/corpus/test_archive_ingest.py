"""A folder as offices keep it (issue 22, points 4–5): every file accounted for, copies indexed once,
the newer version of a letter kept, OCR progress and cancel in the ingest job."""

from __future__ import annotations

import os
import shutil
import threading

from typer.testing import CliRunner

from assistant.cli import app
from assistant.corpus.ingest import Ingestor, run_all

from ..conftest import SEED_106, SEED_110
from . import archive_samples
from .conftest import LETTER_106

runner = CliRunner()


def archive(folder, letter_files, page_images):
    """One letter in six forms, another letter, and two files we do not read."""
    folder.mkdir()
    shutil.copy(letter_files["docx"], folder / "106号答复.docx")
    shutil.copy(letter_files["doc"], folder / "106号答复（旧版Word）.doc")
    shutil.copy(letter_files["doc"], folder / "106号答复（WPS）.wps")
    paragraphs = [line.strip() for line in LETTER_106.split("\n") if line.strip()]
    archive_samples.ofd_package(paragraphs, folder / "106号答复.ofd", signed=True)
    archive_samples.scanned_pdf([archive_samples.scanned(i, skew=1.0, noise=6) for i in page_images], folder / "106号答复（扫描）.pdf")
    shutil.copy(SEED_110, folder / "110号答复.txt")
    (folder / "通讯录.xlsx").write_bytes(b"PK\x03\x04 not ours")
    (folder / "说明.xyz").write_text("x")
    return folder


def test_a_folder_of_every_format_accounts_for_every_file(tmp_path, letter_files, page_images, monkeypatch):
    monkeypatch.setenv("REPLY_ASSISTANT_EMBEDDING_MODEL", "hash:64")
    monkeypatch.setenv("REPLY_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    folder = archive(tmp_path / "档案", letter_files, page_images)
    index = ["--index", str(tmp_path / "index")]
    result = runner.invoke(app, ["ingest", str(folder), *index])
    print(result.output)  # the note on issue 22 quotes this
    lines = {
        line.split(" ", 1)[1].split("：")[0].split(" (")[0]: line
        for line in result.output.splitlines()
        if line.startswith(("新增", "重复", "跳过", "失败", "未变"))
    }
    assert set(lines) == {str(p) for p in folder.iterdir()}, result.output  # one line for every file
    assert lines[str(folder / "通讯录.xlsx")].startswith("跳过") and "不支持的文件类型 .xlsx" in lines[str(folder / "通讯录.xlsx")]
    assert lines[str(folder / "说明.xyz")].startswith("跳过")
    added = [name for name, line in lines.items() if line.startswith("新增")]
    assert sorted(os.path.basename(n) for n in added) == ["106号答复.docx", "110号答复.txt"]
    for name in ("106号答复（旧版Word）.doc", "106号答复（WPS）.wps", "106号答复.ofd", "106号答复（扫描）.pdf"):
        line = lines[str(folder / name)]
        assert line.startswith("重复") and "106号答复.docx" in line and ("内容相同" in line or "内容基本相同" in line), line
    assert "新增 2，更新 0，未变 0，重复 4，跳过 2，失败 0" in result.output
    # a second run reads nothing again and still says what each file is
    again = runner.invoke(app, ["ingest", str(folder), *index])
    assert "新增 0，更新 0，未变 6，重复 0，跳过 2，失败 0" in again.output
    assert "与 106号答复.docx 重复，未导入" in again.output
    stats = runner.invoke(app, ["stats", *index]).output
    assert "duplicate_files: 4" in stats and "documents: 2" in stats


def test_each_format_is_found_by_search_when_it_is_the_only_copy(assistant, tmp_path, letter_files, page_images):
    """Every reader feeds the index: each form of the letter alone in its own index is found."""
    forms = {
        "106.doc": lambda p: shutil.copy(letter_files["doc"], p),
        "106.wps": lambda p: shutil.copy(letter_files["doc"], p),
        "106.ofd": lambda p: archive_samples.ofd_package([line.strip() for line in LETTER_106.split("\n") if line.strip()], p),
        "106.pdf": lambda p: archive_samples.scanned_pdf([archive_samples.scanned(page_images[0], skew=1.0)], p),
        "106.jpg": lambda p: archive_samples.photo(page_images[0], p),
    }
    for name, make in forms.items():
        path = tmp_path / name
        make(path)
        report = run_all(assistant.ingest([path]))
        assert report.added == 1 and not report.errors, (name, report)
        document = assistant.document(str(path))
        assert document["metadata"].get("doc_number") == "温科提复〔2024〕106号", name
        hits = assistant.search("提升科创平台管理 有影响力科创企业", k=3, mode="bm25").results  # words of page 1
        assert any(hit.source == str(path) for hit in hits), name
        assistant.remove(str(path))


def test_a_scanned_letter_is_marked_where_it_is_shown(assistant, tmp_path, page_images):
    path = archive_samples.scanned_pdf([archive_samples.scanned(i, skew=0.8) for i in page_images], tmp_path / "扫描.pdf")
    run_all(assistant.ingest([path]))
    document = assistant.document(str(path))
    assert document["metadata"]["doc_number"] == "温科提复〔2024〕106号" and document["doc_type"] == "reply"
    assert document["metadata"].get("date"), document["metadata"]  # the letter's date, read from the scan
    assert assistant.stats()["scanned"] == 1
    from assistant.web.render import search_results

    html = search_results(assistant.search("新型研发机构 拨投联动", k=3, mode="bm25"))
    assert "扫描件·识别（识别置信度" in html


def test_the_newer_version_of_a_letter_is_kept_and_says_why(assistant, tmp_path):
    older, newer = tmp_path / "110号（送审稿）.txt", tmp_path / "110号（正式）.txt"
    text = SEED_110.read_text(encoding="utf-8")
    older.write_text(text.replace("2024年", "2024年", 1), encoding="utf-8")
    # the sent letter: one sentence reworded and a later date in the signature
    date_line = next(line for line in text.split("\n") if line.strip().startswith("2024年") and line.strip().endswith("日"))
    newer.write_text(text.replace("。", "，并持续推进。", 1).replace(date_line, "2024年12月30日"), encoding="utf-8")
    first = run_all(assistant.ingest([older]))
    assert first.added == 1
    events = list(assistant.ingest([newer]))
    line = next(e for e in events if e.kind == "file")
    assert line.status == "added" and "较新版本（日期较晚）" in line.message and "110号（送审稿）.txt" in line.message
    assert [d["source"] for d in assistant.documents()] == [str(newer)]
    assert assistant.unindexed_files() == [(str(older), "旧版本", str(newer))]
    # the older one again: kept out, and said so
    again = [e for e in assistant.ingest([older]) if e.kind == "file"]
    assert again[0].status in ("unchanged", "duplicate") and "未导入" in again[0].message


def test_alike_documents_that_are_not_one_stay_two(assistant, tmp_path):
    """Two cities' regulations written on one model (96 % the same) and two letters under two 文号."""
    from ..conftest import SHARED

    regulations = SHARED / "corpora" / "zhejiang-local-regulations"
    pair = [regulations / "嘉兴市制定地方性法规条例(2016-06-08).md", regulations / "丽水市制定地方性法规条例(2016-04-15).md"]
    other = tmp_path / "118号.txt"
    other.write_text(SEED_110.read_text(encoding="utf-8").replace("〔2024〕110号", "〔2024〕118号"), encoding="utf-8")
    report = run_all(assistant.ingest([*pair, SEED_110, other]))
    assert report.added == 4 and report.duplicate == 0


def test_removing_the_kept_copy_lets_the_skipped_one_in(assistant, tmp_path):
    copy = tmp_path / "副本.txt"
    shutil.copy(SEED_106, copy)
    run_all(assistant.ingest([SEED_106]))
    assert run_all(assistant.ingest([copy])).duplicate == 1
    assistant.remove(str(SEED_106))
    assert run_all(assistant.ingest([copy])).added == 1


def test_ocr_progress_is_reported_per_page_and_cancel_stops_between_pages(assistant, tmp_path, page_images):
    path = archive_samples.scanned_pdf(page_images[:3], tmp_path / "三页扫描.pdf")
    events = [e for e in assistant.ingest([path]) if e.kind == "ocr"]
    assert [(e.done, e.total) for e in events] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert all(e.path == str(path) for e in events)

    cancel = threading.Event()
    second = tmp_path / "另一份扫描.pdf"
    archive_samples.scanned_pdf([archive_samples.scanned(i, skew=0.5) for i in page_images[1:4]], second)
    seen = []
    for event in Ingestor(assistant.corpus, cancel=cancel).run([second]):
        seen.append(event)
        if event.kind == "ocr" and event.done == 1:
            cancel.set()  # the 取消 button, pressed while page 2 is being read
    outcome = [e for e in seen if e.kind == "file"]
    assert [e.status for e in outcome] == ["cancelled"]
    assert max(e.done for e in seen if e.kind == "ocr") < 3  # it stopped before the last page
    assert str(second) not in {d["source"] for d in assistant.documents()}


def test_a_draft_that_borrows_from_a_scan_says_so_and_asks_to_check_its_figures(assistant, tmp_path, page_images):
    path = archive_samples.scanned_pdf([archive_samples.scanned(i, skew=0.8) for i in page_images], tmp_path / "扫描.pdf")
    run_all(assistant.ingest([path]))
    draft = assistant.draft(
        "关于加快新型研发机构建设的提案\n建议：一是优化新型研发机构赛道布局，明确主攻产业领域。二是探索新型研发机构可持续财政支持方式，推行拨投联动。"
    )
    scanned = [c for c in draft.citations if c.scanned]
    assert scanned and all(c.source == str(path) for c in draft.citations)
    assert all("扫描件识别" in c.kind_label or "扫描件·识别" in c.kind_label for c in scanned)
    figure_flags = [f for f in draft.flags if f.kind == "figure"]
    assert figure_flags and all("扫描件识别所得，请对照原件核对数字" in f.message for f in figure_flags)
    # the mark survives the Markdown round trip staff edit in, even without the draft it came from
    from assistant.letter.markdown import draft_to_markdown, markdown_to_draft

    again = markdown_to_draft(draft_to_markdown(draft))
    assert {c.id for c in again.citations if c.scanned} == {c.id for c in scanned}


def test_leaving_an_ingest_mid_scan_stops_it_at_the_next_page(assistant, tmp_path, page_images, monkeypatch):
    """Ctrl-C in the CLI, or a closed generator: the reader stops after the page it is on, not
    after the whole scan (a cold review waited 10 s for a 6-page TIFF). Counted in pages read, not
    seconds: a busy machine must not make it fail, nor a slow stop pass."""
    from assistant.corpus import ocr

    read: list[int] = []
    recognise = ocr.recognise
    monkeypatch.setattr(ocr, "recognise", lambda image: read.append(1) or recognise(image))
    path = archive_samples.scanned_pdf(page_images * 2, tmp_path / "八页扫描.pdf")
    pages = len(page_images) * 2
    events = assistant.ingest([path])
    for event in events:
        if event.kind == "ocr" and event.done == 1:
            break
    events.close()  # returns once the reader has stopped (its pool is shut down, waiting)
    assert len(read) <= 3 < pages  # the page being read when it was left (a slow consumer: the next): not the rest
    assert str(path) not in {d["source"] for d in assistant.documents()}
