"""Loaders: every format, encodings, and the clear errors for bad files."""

from __future__ import annotations

import json
import zipfile

import pytest

from assistant.corpus.loaders import decode_bytes, iter_files, load_file
from assistant.errors import LoadError

from ..conftest import SEED_110
from .samples import make_pdf

LETTER = SEED_110.read_text(encoding="utf-8")


def test_txt_utf8_keeps_text_and_title(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text(LETTER, encoding="utf-8")
    [doc] = load_file(path)
    assert "揭榜挂帅" in doc.text
    assert doc.title == "温科提复〔2024〕110号"
    assert doc.source == str(path)


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-16"])
def test_chinese_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(LETTER.encode(encoding))
    [doc] = load_file(path)
    assert "双清零一提升" in doc.text and "\ufeff" not in doc.text


def test_short_gbk_text_is_not_mistaken_for_another_encoding():
    assert decode_bytes("关于揭榜挂帅的答复".encode("gbk")) == "关于揭榜挂帅的答复"


def test_markdown_drops_html_comments_and_uses_heading_as_title(tmp_path):
    path = tmp_path / "温州市民间融资管理条例(2013-11-22).md"
    path.write_text("# 温州市民间融资管理条例\n\n通过日期\n\n<!-- INFO END -->\n\n第一条 为了规范民间融资。", encoding="utf-8")
    [doc] = load_file(path)
    assert doc.title == "温州市民间融资管理条例"
    assert "INFO END" not in doc.text
    assert doc.metadata == {"date": "2013-11-22", "year": 2013}


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("关于市政协十二届三次会议370号提案的答复函")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "高新技术企业", "超4000家"
    document.add_paragraph("最后感谢您的关心和支持。")
    path = tmp_path / "reply.docx"
    document.save(path)
    [doc] = load_file(path)
    lines = doc.text.split("\n")
    assert lines[0] == "关于市政协十二届三次会议370号提案的答复函"
    assert "高新技术企业 | 超4000家" in lines
    assert lines[-1] == "最后感谢您的关心和支持。"


def test_broken_docx_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(LoadError, match="损坏"):
        load_file(path)


def test_docx_zip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * (210 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(LoadError, match="解压后体积异常"):
        load_file(path)


def test_pdf_text_layer(tmp_path):
    path = tmp_path / "policy.pdf"
    make_pdf(path, ["Science and technology policy", "Article 1 applies from 2024"])
    [doc] = load_file(path)
    assert "Science and technology policy" in doc.text
    assert "Article 1 applies from 2024" in doc.text


def test_a_blank_page_without_text_layer_is_recognised_and_found_empty(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    with pytest.raises(LoadError, match="识别后没有文字"):
        load_file(path)


def test_html_drops_scripts_and_styles(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>科技政策</title><style>p{color:red}</style></head>"
        "<body><h1>标题</h1><p>推行揭榜挂帅机制。</p><script>alert('x')</script></body></html>",
        encoding="utf-8",
    )
    [doc] = load_file(path)
    assert doc.title == "科技政策"
    assert "推行揭榜挂帅机制。" in doc.text
    assert "alert" not in doc.text and "color" not in doc.text


def test_jsonl_one_document_per_line(tmp_path):
    path = tmp_path / "reports.jsonl"
    rows = [
        {"title": "2024年政府工作报告", "content": "过去一年……", "url": "https://example.org/a", "year": 2024},
        {"text": "第二份文件的正文"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8")
    first, second = load_file(path)
    assert first.title == "2024年政府工作报告" and first.metadata == {"url": "https://example.org/a", "year": 2024}
    assert first.source.endswith("reports.jsonl#L1") and second.source.endswith("reports.jsonl#L2")
    assert second.title == "第二份文件的正文"


def test_jsonl_line_without_text_names_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok"}\n{"title": "no body"}\n', encoding="utf-8")
    with pytest.raises(LoadError, match="第 2 行"):
        load_file(path)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "空"),
        ("blank.txt", b"  \n\t\n ", "空"),
        ("garbage.txt", bytes(range(256)) * 50, "二进制"),
        ("image.png", b"\x89PNG\r\n", "损坏"),  # a cut-off PNG header: not an image after all
        ("notes.xyz", b"hello", "不支持"),
    ],
)
def test_bad_files_raise_clear_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError, match=message) as info:
        load_file(path)
    assert " / " in str(info.value)  # Chinese, then English


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("字" * 2000, encoding="utf-8")
    with pytest.raises(LoadError, match="过大"):
        load_file(path, max_bytes=1000)


def test_iter_files_recurses_and_skips_hidden_and_unsupported(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.md").write_text("x")
    (tmp_path / "a" / "y.txt").write_text("y")
    (tmp_path / "a" / "z.png").write_bytes(b"")  # images are read now (OCR)
    (tmp_path / "a" / "w.xyz").write_bytes(b"")
    (tmp_path / "a" / ".hidden.txt").write_text("h")
    skipped: list = []
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path / "a"], skipped)]
    assert found == ["a/b/x.md", "a/y.txt", "a/z.png"]
    assert [p.name for p in skipped] == ["w.xyz"]


def test_network_guard_blocks_outside_connections():
    import socket

    with socket.socket() as s:
        with pytest.raises(OSError, match="network access blocked"):
            s.connect(("example.invalid", 80))
