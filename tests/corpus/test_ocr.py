"""Scans and photos (issue 22, point 3): recognised offline, in reading order, as paragraphs,
with the letter's own punctuation; marked as OCR'd wherever they are shown."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest

from assistant.corpus import ocr
from assistant.corpus.loaders import ReadOptions, load_file
from assistant.errors import LoadError

from . import archive_samples
from .conftest import LETTER_106


@pytest.fixture(scope="session")
def scanned_letter(page_images, tmp_path_factory):
    """All pages, grey, turned 1.5°, speckled, 200 dpi, no text layer."""
    pages = [archive_samples.scanned(image, skew=1.5, noise=8, seed=n) for n, image in enumerate(page_images)]
    return archive_samples.scanned_pdf(pages, tmp_path_factory.mktemp("scan") / "扫描件.pdf")


def page_text(pdf: Path, number: int) -> str:
    from pypdf import PdfReader

    return PdfReader(str(pdf)).pages[number].extract_text()


def test_the_models_ship_in_the_wheel_and_load_with_the_network_blocked():
    """The session's network guard (conftest.no_network) is on: loading and recognising must not connect."""
    from importlib.util import find_spec

    folder = Path(find_spec("rapidocr_onnxruntime").origin).parent / "models"
    assert {p.name for p in folder.glob("*.onnx")} >= {"ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx"}
    assert ocr.engine() is not None


def test_a_scanned_letter_reads_back_at_under_one_percent_error_in_reading_order(scanned_letter):
    document = load_file(scanned_letter)[0]
    assert ocr.character_error_rate(LETTER_106, document.text) <= 0.01
    text = document.text
    order = ["温科提复〔2024〕106号", "谢新宇委员：", "收悉", "现答复如下：", "二、下一步工作计划", "（一）关于", "（二）关于", "（三）关于"]
    positions = [text.find(marker) for marker in order]
    assert -1 not in positions and positions == sorted(positions), positions
    assert document.metadata["ocr_pages"] == document.metadata["pages"] == 4
    assert document.metadata["ocr_confidence"] > 0.9 and document.metadata["source_format"] == "pdf"
    # paragraphs as the letter has them: the (un-indented) continuation lines joined, each heading its own
    lines = text.split("\n")
    assert "二、下一步工作计划" in lines and len(lines) <= len(LETTER_106.strip().split("\n")) + 2


def test_a_photo_of_a_page_is_recognised(page_images, letter_files, tmp_path):
    path = archive_samples.photo(page_images[0], tmp_path / "手机拍照.jpg")
    document = load_file(path)[0]
    assert ocr.character_error_rate(page_text(letter_files["pdf"], 0), document.text) <= 0.02
    assert document.text.startswith("温科提复〔2024〕106号") and document.metadata["source_format"] == "image"


def test_only_the_scanned_pages_of_a_mixed_pdf_are_recognised(letter_files, scanned_letter, tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(str(letter_files["pdf"])).pages[0])  # a page with its text layer
    for page in PdfReader(str(scanned_letter)).pages[1:]:
        writer.add_page(page)
    path = tmp_path / "混合.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    seen: list[tuple[int, int]] = []
    document = load_file(path, options=ReadOptions(progress=lambda what, done, total: seen.append((done, total))))[0]
    assert document.metadata["ocr_pages"] == 3 and document.metadata["pages"] == 4
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert ocr.character_error_rate(LETTER_106, document.text) <= 0.01


def test_a_blank_separator_page_does_not_make_a_printed_pdf_a_scan(letter_files, tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(str(letter_files["pdf"])).pages[0])
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "带空白页.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    document = load_file(path)[0]
    assert "ocr_pages" not in document.metadata and document.text.startswith("温科提复〔2024〕106")


@pytest.mark.parametrize(
    "raw, fixed",
    [
        ("温科提复[2024】106号", "温科提复〔2024〕106号"),
        ("温科提复〔[2024]106号", "温科提复〔2024〕106号"),
        ("温政办（2023) 12 号", "温政办〔2023〕12号"),
        ("现答复如下:", "现答复如下："),
        ("一是加强组织保障,二是", "一是加强组织保障，二是"),
        ('实现"5+5"产业全覆盖', "实现“5+5”产业全覆盖"),
        ("增长3.5%，达2,000家", "增长3.5%，达2,000家"),
        ("(一)关于", "（一）关于"),
    ],
)
def test_the_letters_own_punctuation_is_restored(raw, fixed):
    assert ocr.fix_punctuation(raw) == fixed


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size: IHDR and a tiny (wrong) IDAT — what an image bomb looks like to a reader."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def test_an_image_bomb_is_refused_before_it_is_decoded(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header(30_000, 30_000))
    with pytest.raises(LoadError, match="图像过大"):
        load_file(path)
    path.write_bytes(png_header(9_000, 9_000))  # 81 MP: under Pillow's guard, over ours
    with pytest.raises(LoadError, match="图像过大（9000×9000 像素，上限 60 百万像素）"):
        load_file(path)


def test_a_pdf_with_too_many_pages_is_refused_before_any_page_is_read(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(2000):
        writer.add_blank_page(width=595, height=842)
    path = tmp_path / "two-thousand.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    with pytest.raises(LoadError, match="页数过多（2000 页，上限 500 页）"):
        load_file(path)


def test_a_page_too_large_to_render_is_refused(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=14400, height=14400)  # 200 × 200 inches: 1,600 MP at 200 dpi
    path = tmp_path / "poster.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    with pytest.raises(LoadError, match=re.escape("第 1 页：图像过大")):
        load_file(path)


def test_a_short_page_of_a_printed_pdf_keeps_its_own_text(tmp_path):
    """A born-digital letter whose last page holds only the date is not a scan (a cold review found
    that page OCR'd and the whole letter labelled 扫描件)."""
    from ..corpus.samples import make_pdf

    path = make_pdf(tmp_path / "dated.pdf", ["Hangzhou, 2024-05-08"])
    document = load_file(path)[0]
    assert document.text == "Hangzhou, 2024-05-08" and "ocr_pages" not in document.metadata
