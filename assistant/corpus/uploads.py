"""Files uploaded through the web app: checked by content, stored under the corpus folder
with a safe name. Nothing from the browser decides a path on disk."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from pathlib import Path

from .loaders import check_docx_archive, decode_bytes
from ..errors import LoadError
from ..files import atomic_write, file_digest, safe_file_name

_TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"}


def safe_name(name: str, max_length: int = 100) -> str:
    """The base name only, in a plain alphabet (CJK, letters, digits, brackets): nothing from the
    browser steers a path, and the name is valid on every system (files.safe_file_name)."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"[^\w\u4e00-\u9fff().（）〔〕【】《》\-]+", "_", name)
    stem, dot, suffix = name.rpartition(".")
    return safe_file_name(f"{stem}.{suffix.lower()}" if dot else name, fallback="upload", max_length=max_length)


def sniff_suffix(data: bytes, claimed: str) -> str:
    """The file type from its bytes (the name's suffix only chooses among text formats)."""
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        import io

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
                if "word/document.xml" not in names:
                    raise LoadError("压缩文件不是 Word 文档（只支持 .docx）", "a zip that is not a Word document (.docx only)")
                check_docx_archive(zf, "上传文件")
        except zipfile.BadZipFile as exc:
            raise LoadError("压缩包已损坏，不是有效的 .docx", "a broken zip, not a valid .docx") from exc
        return ".docx"
    text = decode_bytes(data)  # raises for binary content
    claimed = claimed.lower()
    if claimed in {".html", ".htm"} and not re.search(r"<(html|body|p|div|h1|title)\b", text[:5000], re.I):
        return ".txt"
    return claimed if claimed in _TEXT_SUFFIXES else ".txt"


def store_upload(data: bytes, original_name: str, folder: Path, max_bytes: int) -> tuple[Path, bool]:
    """Save an upload under ``folder``; returns (path, already_there). Same content → same file."""
    shown = safe_name(original_name)
    if len(data) > max_bytes:
        raise LoadError(f"{shown}：文件过大（{len(data) / 2**20:.1f} MB，上限 {max_bytes / 2**20:.0f} MB）",
                        f"{shown}: file too large ({len(data) / 2**20:.1f} MB > {max_bytes / 2**20:.0f} MB)")
    if not data.strip():
        raise LoadError(f"{shown}：文件是空的", f"{shown}: the file is empty")
    try:
        suffix = sniff_suffix(data, Path(shown).suffix)
    except LoadError as exc:
        raise LoadError(f"{shown}：{exc.zh}", f"{shown}: {exc.en}") from exc
    stem = Path(shown).stem if Path(shown).suffix else shown
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()
    for attempt in range(1000):
        candidate = folder / (f"{stem}{suffix}" if attempt == 0 else f"{stem}-{attempt}{suffix}")
        if candidate.resolve().parent != folder.resolve():  # belt and braces against traversal
            raise LoadError(f"{shown}：文件名不安全", f"{shown}: unsafe file name")
        if candidate.exists():
            if file_digest(candidate) == digest:
                return candidate, True
            continue
        return atomic_write(candidate, data), False
    raise LoadError(f"{shown}：同名文件过多", f"{shown}: too many files with this name")
