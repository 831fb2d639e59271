"""OFD packages (issue 22, point 2): pages in order, text objects by position, paragraphs by layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus.loaders import load_file
from assistant.corpus.ofd import read_ofd
from assistant.errors import LoadError

from .archive_samples import image_ofd, ofd_package
from .conftest import LETTER_106

FIXTURES = Path(__file__).parent / "fixtures"

PARAGRAPHS = [line.strip() for line in LETTER_106.split("\n") if line.strip()]


def paragraphs_of(text: str) -> list[str]:
    return ["".join(p.split()) for p in text.split("\n") if p.strip()]


@pytest.mark.parametrize(
    "layout",
    [
        {"shuffle": 3},  # text objects written in a scrambled order
        {"shuffle": 11, "ctm": True},  # positions through a scaling CTM
        {"shuffle": 5, "signed": True},  # a signed, sealed letter
        {"shuffle": None},
    ],
)
def test_the_letter_comes_back_paragraph_by_paragraph(tmp_path, layout):
    text, _, _ = read_ofd(ofd_package(PARAGRAPHS, tmp_path / "letter.ofd", title="答复函", **layout))
    assert paragraphs_of(text) == ["".join(p.split()) for p in PARAGRAPHS]


def test_an_ofd_written_by_a_real_converter_reads_back(tmp_path):
    """easyofd's output (fixtures/README.md): its own namespace, a lower-case size attribute."""
    from assistant.corpus.ocr import character_error_rate

    document = load_file(FIXTURES / "106-by-easyofd.ofd")[0]
    assert character_error_rate(LETTER_106, document.text) == 0
    assert "二、下一步工作计划" in document.text.split("\n") and "ocr_pages" not in document.metadata


def test_an_ofd_made_from_a_scan_is_recognised(page_images, tmp_path):
    from assistant.corpus.ocr import character_error_rate

    document = load_file(image_ofd(page_images, tmp_path / "扫描.ofd"))[0]
    assert character_error_rate(LETTER_106, document.text) <= 0.01
    assert document.metadata["ocr_pages"] == document.metadata["pages"] == len(page_images)


def test_an_ofd_is_ingested_with_its_letter_metadata(assistant, tmp_path):
    from assistant.corpus.ingest import run_all

    path = ofd_package(PARAGRAPHS, tmp_path / "温科提复106.ofd", signed=True)
    report = run_all(assistant.ingest([path]))
    assert report.added == 1 and not report.errors
    document = next(d for d in assistant.documents() if d["source"] == str(path))
    assert document["metadata"]["doc_number"] == "温科提复〔2024〕106号" and document["doc_type"] == "reply"
    assert document["metadata"]["source_format"] == "ofd"
    assert any(r.source == str(path) for r in assistant.search("新型研发机构 运营经费 拨投联动", k=5).results)


def test_a_broken_ofd_says_what_is_wrong(tmp_path):
    import zipfile

    path = tmp_path / "broken.ofd"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody/></ofd:OFD>")
    with pytest.raises(LoadError, match="DocRoot") as info:
        load_file(path)
    assert " / " in str(info.value)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
        )
    with pytest.raises(LoadError, match="缺少 Doc_0/Document.xml"):
        load_file(path)


def test_an_ofd_built_to_exhaust_memory_or_time_is_refused_or_bounded(tmp_path):
    """From a cold review: a 919-byte OFD whose DeltaX repeats a gap three billion times, a page of
    20,001 text objects, an OFD of more pages than the cap."""
    import time

    from assistant.corpus.loaders import ReadOptions

    path = ofd_package(["温科提复〔2024〕106号"], tmp_path / "delta.ofd", shuffle=None)
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    page = "Doc_0/Pages/Page_0/Content.xml"
    parts[page] = parts[page].replace(b'DeltaX="g ', b'DeltaX="g 3000000000 3.5 g ')
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    started = time.monotonic()
    assert load_file(path)[0].text.startswith("温科提复")
    assert time.monotonic() - started < 5
    objects = "".join(
        f'<ofd:TextObject ID="{n}" Boundary="{n % 180} {n // 180} 3 3" Size="3"><ofd:TextCode X="0" Y="3">字</ofd:TextCode></ofd:TextObject>'
        for n in range(20_001)
    )
    parts[page] = (f'<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1">{objects}</ofd:Layer></ofd:Content></ofd:Page>').encode(
        "utf-8"
    )
    many = tmp_path / "many.ofd"
    with zipfile.ZipFile(many, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(LoadError, match="文字对象过多"):
        load_file(many)
    pages = ofd_package([f"第{n}页" for n in range(30)], tmp_path / "pages.ofd", per_line=40, shuffle=None)
    with pytest.raises(LoadError, match="页数过多"):
        load_file(pages, options=ReadOptions(max_pages=1))
