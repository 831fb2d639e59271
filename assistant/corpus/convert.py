"""Legacy Word (.doc/.dot), WPS (.wps, a Word-97 binary as WPS saves it) and RTF → .docx, by
LibreOffice headless, so they are then read exactly as a .docx is (headings, tables, 文号).

One conversion at a time in this process (LibreOffice is memory-hungry and the machine has two
cores); each run gets its own throw-away profile folder, so two processes (a CLI ingest beside the
web app) never fight over LibreOffice's lock file. A converter that hangs is killed at its
timeout, with everything it started.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from ..errors import LoadError

_ONE_AT_A_TIME = threading.Lock()
_KNOWN_PLACES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)
INSTALL_HINT_ZH = (
    "读取 .doc/.wps/.rtf 需要 LibreOffice：Debian/Ubuntu 用 sudo apt install libreoffice-writer-nogui 安装，"
    "Windows/macOS 从 libreoffice.org 安装（或设置 REPLY_ASSISTANT_LIBREOFFICE）；也可在 Word/WPS 中另存为 .docx 再导入"
)
INSTALL_HINT_EN = (
    "reading .doc/.wps/.rtf needs LibreOffice: sudo apt install libreoffice-writer-nogui (Debian/Ubuntu), "
    "or install it from libreoffice.org (or set REPLY_ASSISTANT_LIBREOFFICE); or save the file as .docx in Word/WPS"
)


def find_soffice(configured: str = "") -> str | None:
    """The LibreOffice program: the configured one, else on PATH, else where installers put it."""
    if configured:
        return configured if Path(configured).exists() or shutil.which(configured) else None
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return found or next((p for p in _KNOWN_PLACES if Path(p).exists()), None)


def to_docx(path: Path, target_dir: Path, *, timeout: float = 120, soffice: str = "", legacy_suffix: str = ".doc") -> Path:
    """Convert ``path`` into ``target_dir``/converted.docx and return that path.

    The input is copied under an ASCII name with the suffix its bytes call for (``legacy_suffix``):
    LibreOffice reads a file named .wps as Microsoft Works, not as the Word binary WPS writes.
    """
    program = find_soffice(soffice)
    if program is None:
        raise LoadError(f"{path.name}：未安装 LibreOffice。{INSTALL_HINT_ZH}", f"{path.name}: LibreOffice is not installed; {INSTALL_HINT_EN}")
    target_dir = Path(target_dir)
    source = target_dir / f"converted{legacy_suffix}"
    shutil.copyfile(path, source)
    with _ONE_AT_A_TIME, tempfile.TemporaryDirectory(prefix="ra-lo-profile-") as profile:
        command = [
            program,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(target_dir),
            str(source),
        ]
        _run(command, timeout, path.name)
    result = target_dir / "converted.docx"
    if not result.exists() or result.stat().st_size == 0:
        raise LoadError(
            f"{path.name}：LibreOffice 无法转换此文件（可能已损坏，或不是文字文档）",
            f"{path.name}: LibreOffice could not convert the file (damaged, or not a text document?)",
        )
    return result


def _run(command: list[str], timeout: float, name: str) -> None:
    # A session of its own: on timeout the whole group goes (soffice starts a child soffice.bin).
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "HOME": os.environ.get("HOME", tempfile.gettempdir())},
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_group(process)
        raise LoadError(
            f"{name}：转换超时（{timeout:.0f} 秒），已停止；文件可能已损坏或过于复杂", f"{name}: conversion timed out after {timeout:.0f} s and was stopped"
        ) from exc
    if process.returncode != 0:
        tail = output.decode("utf-8", "replace").strip()[-300:]
        raise LoadError(f"{name}：LibreOffice 转换失败（{tail or process.returncode}）", f"{name}: LibreOffice failed ({tail or process.returncode})")


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):  # gone already, or not POSIX
        process.kill()
    process.wait()
