"""Files: one helper each for atomic writes, safe names, content digests, and the word lists
shipped in assistant/data/ that users extend with a file of their own.

Letters land on Windows desktops and shared drives, so a name must be valid everywhere (no
CON/NUL/COM1, no <>:"|?*, no trailing dot); a write must never leave half a file behind.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable

from pathvalidate import sanitize_filename


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; a no-op where directories cannot be opened)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def replace_atomically(tmp: Path, final: Path) -> Path:
    """Move a fully written ``tmp`` over ``final``: its bytes flushed, then the rename, then the folder."""
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, final)
    fsync_dir(Path(final).parent)
    return Path(final)


def atomic_write(path: Path, data: bytes | str, mode: int = 0o600) -> Path:
    """Write ``data`` to ``path`` so that a reader (or a crash) sees the old file or the new one,
    never a mix; the file gets ``mode`` before it has any content (0600: owner only)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode), "wb") as handle:
        handle.write(payload)
    os.chmod(tmp, mode)  # O_CREAT's mode is cut by the umask
    return replace_atomically(tmp, path)


def file_digest(path: Path, algorithm: str = "sha256") -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, algorithm).hexdigest()


def safe_file_name(name: str, fallback: str = "file", max_length: int = 100) -> str:
    """A base name valid on Windows, macOS and Linux: folders, control characters and reserved
    characters dropped, reserved names (CON, NUL, COM1 …) and leading dots avoided, at most
    ``max_length`` characters and 240 bytes (a Chinese title is 3 bytes a character; most file
    systems allow 255), the suffix kept."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem.strip(" ._"):
        stem, suffix = name, ""
    suffix = sanitize_filename(suffix, platform="universal", replacement_text="_")[:16]
    stem = sanitize_filename(stem, platform="universal", replacement_text="_", max_len=1024).strip(" ._") or fallback
    room = max_length - (len(suffix) + 1 if suffix else 0)
    stem = stem[: max(1, room)]
    while len(stem.encode("utf-8")) + len(suffix) + 1 > 240:
        stem = stem[:-1]
    name = f"{stem}.{suffix}" if suffix else stem
    # again: a shortened or bare stem can be a reserved name (CON.txt → CON_.txt)
    return sanitize_filename(name, platform="universal", replacement_text="_", max_len=1024) or fallback


def packaged_and_user_list(name: str, user_file: Path | None, parse: Callable[[str, str], list], what: tuple[str, str]) -> tuple:
    """The entries of ``assistant/data/<name>``, then those of the user's file (re-read when it
    changes). ``parse(text, file name)`` turns a file into entries; ``what``: (中文名, English name)
    of the list, for the message when the user's file cannot be read."""
    if user_file is None:
        return _packaged_and_user(name, None, None, parse, what)
    path = Path(user_file)
    return _packaged_and_user(name, str(path), path.stat().st_mtime if path.exists() else None, parse, what)


@lru_cache(maxsize=16)
def _packaged_and_user(name: str, path: str | None, mtime: float | None, parse, what: tuple[str, str]) -> tuple:
    from .errors import AssistantError

    entries = list(parse((resources.files("assistant") / "data" / name).read_text(encoding="utf-8"), f"data/{name}"))
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise AssistantError(f"无法读取{what[0]} {path}（{exc.strerror}）", f"cannot read {what[1]} {path} ({exc.strerror})") from exc
        entries += parse(text, Path(path).name)
    return tuple(entries)
