"""OFD packages (issue 22, point 2): pages in order, text objects by position, paragraphs by layout."""

from __future__ import annotations

import pytest

from assistant.corpus.loaders import load_file
from assistant.corpus.ofd import read_ofd
from assistant.errors import LoadError

from pathlib import Path

from .archive_samples import image_ofd, ofd_package
from .conftest import LETTER_106

FIXTURES = Path(__file__).parent / "fixtures"

PARAGRAPHS = [line.strip() for line in LETTER_106.split("\n") if line.strip()]


def paragraphs_of(text: str) -> list[str]:
    return ["".join(p.split()) for p in text.split("\n") if p.strip()]


@pytest.mark.parametrize("layout", [
    {"shuffle": 3},  # text objects written in a scrambled order
    {"shuffle": 11, "ctm": True},  # positions through a scaling CTM
    {"shuffle": 5, "signed": True},  # a signed, sealed letter
    {"shuffle": None},
])
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
        archive.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody>"
                                    "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
    with pytest.raises(LoadError, match="缺少 Doc_0/Document.xml"):
        load_file(path)
