"""The Word round trip through a real office program (issue 14): LibreOffice opens our export and
saves it as .docx again, or turns a plain-text letter into a .docx, and the import reads the same
letter out of it; the 公开版 and the class mark are checked in LibreOffice's rendering."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from assistant.letter.export import ExportOptions, export_docx
from assistant.letter.redaction import leaks
from assistant.letter.word_import import import_docx

from ..conftest import SEED_110
from ..letter.samples import cited_letter, normal
from .common import FONTS_CONF, MM, SOFFICE, TYPE_AREA

if SOFFICE is None and os.environ.get("CI"):
    pytest.fail("LibreOffice (soffice) is required in CI: .ci/run installs libreoffice-writer-nogui", pytrace=False)
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed (apt-get install libreoffice-writer-nogui)")


def soffice(work, source, target: str, *options: str):
    """``soffice --headless --convert-to TARGET`` into a folder of its own; the converted file."""
    out = work / f"out-{target.split(':')[0]}-{source.stem}"
    out.mkdir(exist_ok=True)
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(work)}
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{work}/profile", *options, "--convert-to", target, "--outdir", str(out), str(source)],
        check=True,
        env=env,
        capture_output=True,
        timeout=180,
    )
    return out / f"{source.stem}.{target.split(':')[0]}"


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("roundtrip")


def test_a_libreoffice_saved_export_imports_with_the_same_text_and_citations(work):
    draft = cited_letter()
    ours = export_docx(draft, work / "reply.docx", ExportOptions(class_mark="A", letterhead="温州市科学技术局"))
    saved = soffice(work, ours, "docx:MS Word 2007 XML")
    assert saved.read_bytes() != ours.read_bytes()  # LibreOffice wrote its own package
    direct, through = import_docx(ours), import_docx(saved)
    assert through.markdown == direct.markdown
    assert through.markdown == "办理结果类别：A\n\n" + normal(draft)
    assert [(c.id, c.chunk_id) for c in through.draft.citations] == [(c.id, c.chunk_id) for c in draft.citations]
    # and once more: export what came back, through LibreOffice again, import
    again = soffice(work, export_docx(through.draft, work / "again.docx", ExportOptions(class_mark=through.draft.handling_class)), "docx:MS Word 2007 XML")
    assert import_docx(again).markdown == through.markdown


def test_a_plain_letter_made_by_libreoffice_imports(work):
    seed = work / "seed.txt"
    shutil.copy(SEED_110, seed)
    letter = soffice(work, seed, "docx:MS Word 2007 XML", "--infilter=Text (encoded):UTF8,LF,,,")
    imported = import_docx(letter)
    roles = {p.role: p.text for p in reversed(imported.draft.paragraphs)}
    assert roles["title"] == "关于市政协十二届三次会议370号提案的答复函" and roles["salutation"] == "祝彬委员:"
    assert (roles["signature"], roles["date"]) == ("温州市科学技术局", "2024年6月27日")
    assert roles["contact"] == "联系人：项秋霞，联系电话：88962072。" and roles["cc"] == "抄送：市府办，市政协提案委"
    lines = SEED_110.read_text(encoding="utf-8").split("\n")
    assert "".join(p.text for p in imported.draft.paragraphs) == "".join(line.strip() for line in lines).replace("答 复 函", "答复函")


def test_public_copy_and_class_mark_as_rendered(work):
    import pdfplumber

    path = export_docx(cited_letter(), work / "public.docx", ExportOptions(public=True, class_mark="B"))
    pdf = soffice(work, path, "pdf")
    with pdfplumber.open(str(pdf)) as document:
        pages = [(page.extract_text() or "", list(page.chars)) for page in document.pages]
    text = "".join(t for t, _ in pages).replace(" ", "")
    assert "联系人" not in text and "88962072" not in text and not re.search(r"\d{7,}", text)
    assert leaks(text) == [] and "超4000家" in text
    # the mark: the first line of page 1, at the right edge of the type area
    first = min((c for c in pages[0][1] if c["text"].strip()), key=lambda c: (round(c["top"]), c["x0"]))
    assert first["text"] == "B"
    assert abs(first["top"] / MM - TYPE_AREA[1]) < 8 and abs(first["x1"] / MM - TYPE_AREA[2]) < 3
