"""Files uploaded through the web app: checked by content, stored under the corpus folder
with a safe name. Nothing from the browser decides a path on disk."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import zipfile
from pathlib import Path

from ..errors import LoadError
from ..files import atomic_write, file_digest, safe_file_name
from ..genre.numerals import HAN
from . import formats
from .loaders import check_docx_archive, decode_bytes


def safe_name(name: str, max_length: int = 100) -> str:
    """The base name only, in a plain alphabet (CJK, letters, digits, brackets): nothing from the
    browser steers a path, and the name is valid on every system (files.safe_file_name)."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(rf"[^\w{HAN}().（）〔〕【】《》\-]+", "_", name)
    stem, dot, suffix = name.rpartition(".")
    return safe_file_name(f"{stem}.{suffix.lower()}" if dot else name, fallback="upload", max_length=max_length)


def sniff_suffix(data: bytes, claimed: str, name: str = "上传文件") -> str:
    """The suffix to store an upload under, from its bytes (corpus/formats.py): the claimed one
    when it fits the content, else the content's own (a .docx renamed .wps is stored as .docx)."""
    kind = formats.sniff(data[:8192], claimed, name, whole=data)
    if kind == "docx":
        import io

        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_docx_archive(zf, name)
    elif kind in ("text", "html", "jsonl"):
        text = decode_bytes(data, name)  # raises for binary content
        if kind == "html" and not re.search(r"<(html|body|p|div|h1|title)\b", text[:5000], re.I):
            return ".txt"
    return formats.stored_suffix(kind, claimed, data[:16])


def store_upload(data: bytes, original_name: str, folder: Path, max_bytes: int) -> tuple[Path, bool, Path | None]:
    """Save an upload under ``folder``; returns (path, already_there, backup). Same content → the
    same file, untouched. The same name with new content replaces the file — it is a new version of
    that document, and the ingest updates it (更新) instead of adding a second one; the old bytes are
    kept in ``backup`` until the ingest has succeeded, so a failed or cancelled one puts them back."""
    shown = safe_name(original_name)
    if len(data) > max_bytes:
        raise LoadError(
            f"{shown}：文件过大（{len(data) / 2**20:.1f} MB，上限 {max_bytes / 2**20:.0f} MB）",
            f"{shown}: file too large ({len(data) / 2**20:.1f} MB > {max_bytes / 2**20:.0f} MB)",
        )
    if not data.strip():
        raise LoadError(f"{shown}：文件是空的", f"{shown}: the file is empty")
    suffix = sniff_suffix(data, Path(shown).suffix, shown)  # its messages name the file as every reader does
    stem = Path(shown).stem if Path(shown).suffix else shown
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stem}{suffix}"
    if target.resolve().parent != folder.resolve():  # belt and braces against traversal
        raise LoadError(f"{shown}：文件名不安全", f"{shown}: unsafe file name")
    if target.exists():
        if file_digest(target) == hashlib.sha256(data).hexdigest():
            return target, True, None
        backup = target.with_name(f".{target.name}.previous")
        pending_mark(target).touch()
        os.replace(target, backup)
        return atomic_write(target, data), False, backup
    pending_mark(target).touch()  # until its job has finished: a killed run's upload is known as such at the next start
    return atomic_write(target, data), False, None


def pending_mark(path: Path) -> Path:
    return Path(path).with_name(f".{Path(path).name}.pending")


def leftovers(folder: Path) -> tuple[list[Path], list[Path]]:
    """What an interrupted run (kill -9) can leave in the uploads folder: (uploads whose job never
    finished — their pending marks —, half-written temp files). Files put there by hand are not touched."""
    folder = Path(folder)
    if not folder.is_dir():
        return [], []
    hidden = [p for p in folder.iterdir() if p.name.startswith(".")]
    return sorted(p for p in hidden if p.name.endswith(".pending")), sorted(p for p in hidden if p.name.endswith(".tmp"))
