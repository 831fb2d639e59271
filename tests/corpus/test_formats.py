"""A file's type comes from its bytes (issue 22): the name only proposes."""

from __future__ import annotations

import io
import zipfile

import pytest

from assistant.corpus import formats
from assistant.corpus.uploads import sniff_suffix
from assistant.errors import LoadError


def zip_bytes(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "head, name, kind",
    [
        (formats.OLE_MAGIC + b"\0" * 100, "公函.wps", "legacy-word"),  # WPS saves Word-97 binaries
        (formats.OLE_MAGIC + b"\0" * 100, "公函.doc", "legacy-word"),
        (b"{\\rtf1\\ansi ...", "公函.doc", "legacy-word"),
        (b"%PDF-1.7\n", "扫描.jpg", "pdf"),  # a PDF mailed under a photo's name
        (b"\xff\xd8\xff\xe0\0\x10JFIF", "照片.jpeg", "image"),
        (b"\x89PNG\r\n\x1a\n\0\0", "scan.png", "image"),
        (b"II*\0\x08\0\0\0", "多页扫描.tif", "image"),
        (b"<html><body><table><tr><td>", "网页导出.doc", "html"),  # "export to Word" from a web system
        ("温科提复〔2024〕106号".encode("gb18030"), "公函.doc", "text"),
        (b"BM plain words", "notes.txt", "text"),
    ],
)
def test_the_bytes_decide_the_kind(head, name, kind):
    assert formats.sniff(head, "." + name.rsplit(".", 1)[1], name) == kind


def test_a_zip_is_word_or_ofd_by_its_parts_whatever_its_name():
    assert formats.sniff(b"PK\x03\x04", ".wps", "a.wps", whole=zip_bytes("word/document.xml")) == "docx"
    assert formats.sniff(b"PK\x03\x04", ".zip", "a.zip", whole=zip_bytes("OFD.xml", "Doc_0/Document.xml")) == "ofd"
    with pytest.raises(LoadError, match="既不是 Word 文档.*也不是 OFD"):
        formats.sniff(b"PK\x03\x04", ".docx", "a.docx", whole=zip_bytes("xl/workbook.xml"))


def test_a_named_type_whose_bytes_are_something_else_is_called_damaged():
    with pytest.raises(LoadError, match="内容不是PDF.*损坏") as info:
        formats.sniff(b"\0\0\0garbage", ".pdf", "a.pdf")
    assert " / " in str(info.value)


def test_one_message_lists_every_supported_type():
    error = formats.unsupported("a.xyz", ".xyz")
    assert "不支持的文件类型 .xyz" in error.zh and "unsupported file type .xyz" in error.en
    for suffix in (".doc", ".wps", ".rtf", ".ofd", ".pdf", ".jpg", ".png", ".tif", ".docx", ".txt"):
        assert suffix in error.zh


def test_uploads_are_stored_under_the_suffix_of_their_content():
    assert sniff_suffix(formats.OLE_MAGIC + b"\0" * 600, ".wps") == ".wps"  # a Word binary named .wps stays .wps
    assert sniff_suffix(zip_bytes("word/document.xml"), ".wps") == ".docx"  # a .docx renamed .wps is a .docx
    assert sniff_suffix(zip_bytes("OFD.xml"), ".zip") == ".ofd"
    assert sniff_suffix(b"\x89PNG\r\n\x1a\n" + b"\0" * 40, ".pdf") == ".png"  # a photo named .pdf
    assert sniff_suffix("答复函正文".encode("utf-8"), ".md") == ".md"
    with pytest.raises(LoadError, match="不支持的文件类型 .exe"):
        sniff_suffix(b"MZ\x90\x00", ".exe")


def test_what_office_systems_call_a_word_file(tmp_path):
    """Word 2003 XML and MHT web archives named .doc, a PDF with bytes before its header, a WEBP
    named .jpg, and a scan with no suffix at all — each read, not refused (a cold review's finds)."""
    assert formats.sniff(b'<?xml version="1.0"?>\n<?mso-application progid="Word.Document"?><w:wordDocument', ".doc", "a.doc") == "legacy-word"
    mht = b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n'
    assert formats.sniff(mht, ".doc", "a.doc") == "mht"
    assert formats.sniff(b"\r\n\r\n%PDF-1.4\n", ".pdf", "a.pdf") == "pdf"
    assert formats.sniff(b"RIFF\x10\x00\x00\x00WEBPVP8 ", ".jpg", "a.jpg") == "image"
    assert formats.sniff(b"\xff\xd8\xff\xe0\0\x10JFIF", "", "扫描件") == "image"
    with pytest.raises(LoadError, match="不支持的文件类型 .xlsx"):
        formats.sniff(b"PK\x03\x04", ".xlsx", "a.xlsx", whole=zip_bytes("xl/workbook.xml"))


def test_an_mht_letter_named_doc_is_read(tmp_path):
    from assistant.corpus.loaders import load_file

    html = "<html><body><p>温科提复〔2024〕106号</p><p>关于市政协十二届三次会议74号提案的答复函</p></body></html>"
    body = (
        b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n'
        b'Content-Type: text/html; charset="utf-8"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n' + html.encode("utf-8") + b"\r\n--b--\r\n"
    )
    (tmp_path / "导出.doc").write_bytes(body)
    document = load_file(tmp_path / "导出.doc")[0]
    assert document.text.split("\n")[:2] == ["温科提复〔2024〕106号", "关于市政协十二届三次会议74号提案的答复函"]


def test_the_upload_message_names_the_file_once(tmp_path):
    from assistant.corpus.uploads import store_upload

    with pytest.raises(LoadError) as info:
        store_upload(b"\0\0\0 not a photo" * 10, "照片.jpg", tmp_path, 2**20)
    assert info.value.zh.startswith("照片.jpg：文件内容不是图片") and info.value.zh.count("照片.jpg") == 1
