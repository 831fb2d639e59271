"""The exported letter opened by a real client: LibreOffice renders it to PDF, and the PDF is
measured. The PDF and a PNG of page 1 are kept under artifacts/export/ for a person to look at."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from assistant.letter.export import export_docx
from assistant.letter.model import Paragraph

from ..letter.samples import letter
from .common import ARTIFACTS, FONTS_CONF, MM, SOFFICE, TYPE_AREA

CJK_PUNCTUATION = set("，。、；：！？”’）》")

if SOFFICE is None and os.environ.get("CI"):
    pytest.fail("LibreOffice (soffice) is required in CI: .ci/run installs libreoffice-writer-nogui", pytrace=False)
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed (apt-get install libreoffice-writer-nogui)")


def two_page_letter():
    draft = letter()
    at = next(i for i, p in enumerate(draft.paragraphs) if p.role == "heading1") + 1
    body = [
        Paragraph(
            role="body",
            text=f"{n}是深入实施科技企业梯队培育，构建创新型初创企业、科技型中小企业、高新技术企业、科技领军企业梯队，"
            "推动孵化载体提质增效，完善科技金融服务，强化要素保障，持续优化民营企业创新发展环境。",
        )
        for n in "一二三四五"
    ]
    draft.paragraphs[at:at] = body
    return draft


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    import pdfplumber

    work = tmp_path_factory.mktemp("render")
    draft = two_page_letter()
    docx_path = export_docx(draft, work / "reply.docx")
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(work)}
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{work}/profile", "--convert-to", "pdf", "--outdir", str(work), str(docx_path)],
        check=True,
        env=env,
        capture_output=True,
        timeout=180,
    )
    pdf_path = work / "reply.pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf_path, ARTIFACTS / "reply.pdf")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf_path), str(ARTIFACTS / "page-1")], check=True)
    with pdfplumber.open(str(pdf_path)) as pdf:
        pages = [{"size": (page.width, page.height), "chars": list(page.chars), "text": page.extract_text() or ""} for page in pdf.pages]
    return draft, pages


def page_number_chars(chars):
    """The characters below the type area: the page number line."""
    return [c for c in chars if c["top"] / MM > TYPE_AREA[3] + 2]


def test_a4_two_pages(rendered):
    _, pages = rendered
    assert len(pages) == 2
    for page in pages:
        width, height = page["size"]
        assert abs(width / MM - 210) < 1 and abs(height / MM - 297) < 1


def test_text_stays_in_the_type_area(rendered):
    _, pages = rendered
    left, top, right, bottom = TYPE_AREA
    for page in pages:
        body = [c for c in page["chars"] if c not in page_number_chars(page["chars"]) and c["text"].strip()]
        assert min(c["x0"] for c in body) / MM >= left - 2
        assert min(c["top"] for c in body) / MM >= top - 2
        assert max(c["bottom"] for c in body) / MM <= bottom + 2
        for c in body:
            if c["x1"] / MM > right + 2:
                # LibreOffice hangs a closing punctuation mark that may not start a line just past
                # the margin (Word's 标点溢出); it must still start at the edge.
                assert c["text"] in CJK_PUNCTUATION and c["x0"] / MM <= right + 1, c


def test_page_numbers(rendered):
    _, pages = rendered
    assert page_number_chars(pages[0]["chars"]) == []  # none on page 1
    numbers = page_number_chars(pages[1]["chars"])
    line = "".join(c["text"] for c in sorted(numbers, key=lambda c: c["x0"]))
    assert line.replace(" ", "") == "—2—"
    assert max(c["x1"] for c in numbers) / MM < 105  # even page: on the left
    assert min(c["top"] for c in numbers) / MM >= TYPE_AREA[3] + 5  # about 7 mm under the type area


def test_full_text_present(rendered):
    draft, pages = rendered
    rendered_text = "".join(p["text"] for p in pages).replace(" ", "").replace("\n", "")
    for paragraph in draft.paragraphs:
        expected = paragraph.text.replace(" ", "")
        if paragraph.role == "contact":
            expected = "（" + expected.rstrip("。") + "）"
        assert expected in rendered_text, paragraph.text
