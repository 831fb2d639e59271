"""Legacy Word and WPS through LibreOffice headless (issue 22, point 1): read as a .docx is."""

from __future__ import annotations

import shutil
import stat
import time

import pytest

from assistant.corpus.loaders import ReadOptions, load_file
from assistant.errors import LoadError

from .conftest import LETTER_106


def same_text(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


@pytest.mark.parametrize("kind, name", [("doc", "答复函.doc"), ("doc", "答复函.wps"), ("rtf", "答复函.rtf")])
def test_a_word_97_wps_or_rtf_letter_reads_as_its_docx(letter_files, tmp_path, kind, name):
    """A Word-97 binary under .doc and under .wps (as WPS saves it), and RTF: the letter's text as
    the .docx gives it, so 文号 and headings are found as for the .docx."""
    path = tmp_path / name
    shutil.copy(letter_files[kind], path)
    document = load_file(path)[0]
    assert same_text(document.text, load_file(letter_files["docx"])[0].text)
    assert same_text(document.text, LETTER_106)
    assert document.title == "温科提复〔2024〕106号" and document.metadata["source_format"] == "legacy-word"


def test_a_docx_renamed_wps_is_read_as_a_docx_without_libreoffice(letter_files, tmp_path):
    path = tmp_path / "改名.wps"
    shutil.copy(letter_files["docx"], path)
    document = load_file(path, options=ReadOptions(libreoffice="/nonexistent/soffice"))[0]
    assert same_text(document.text, LETTER_106) and "source_format" not in document.metadata


def test_without_libreoffice_the_message_says_so_with_the_install_hint(letter_files, tmp_path):
    path = tmp_path / "旧函.doc"
    shutil.copy(letter_files["doc"], path)
    with pytest.raises(LoadError) as info:
        load_file(path, options=ReadOptions(libreoffice="/nonexistent/soffice"))
    assert "未安装 LibreOffice" in info.value.zh and "apt install libreoffice-writer-nogui" in info.value.zh
    assert "LibreOffice is not installed" in info.value.en and "二进制" not in str(info.value)


def test_a_converter_that_hangs_is_killed_at_its_timeout(letter_files, tmp_path):
    """A stand-in soffice that never finishes (and leaves a child behind): the file fails after the
    timeout, and nothing it started is left running."""
    marker = tmp_path / "child.pid"
    hanging = tmp_path / "soffice"
    hanging.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {marker}\nsleep 300\n")
    hanging.chmod(hanging.stat().st_mode | stat.S_IEXEC)
    path = tmp_path / "卡住.doc"
    shutil.copy(letter_files["doc"], path)
    started = time.monotonic()
    with pytest.raises(LoadError, match="转换超时"):
        load_file(path, options=ReadOptions(libreoffice=str(hanging), convert_timeout=1.5))
    assert time.monotonic() - started < 20
    child = int(marker.read_text())
    time.sleep(0.2)
    assert not running(child)


def running(pid: int) -> bool:
    """Alive and not a zombie (an orphan killed in a container may wait for PID 1 to reap it)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False
