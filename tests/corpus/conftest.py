"""The archive samples (tests/corpus/archive_samples.py), made once per test session: LibreOffice
and the renderer take seconds each."""

from __future__ import annotations

import shutil

import pytest

from ..conftest import SEED_106
from . import archive_samples

LETTER_106 = SEED_106.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def letter_files(tmp_path_factory):
    """The 106 letter as .docx, its Word-97 .doc (LibreOffice), and a PDF of its pages with a text layer."""
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is required: .ci/run installs libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("letter")
    docx = archive_samples.letter_docx(LETTER_106, folder / "letter.docx")
    return {
        "docx": docx,
        "doc": archive_samples.convert(docx, "doc", folder),
        "rtf": archive_samples.convert(docx, "rtf", folder),
        "pdf": archive_samples.convert(docx, "pdf", folder),
    }


@pytest.fixture(scope="session")
def page_images(letter_files):
    """The letter's pages rendered in grey at 200 dpi."""
    return archive_samples.page_images(letter_files["pdf"], dpi=200)
