"""Where exported letters live: ``data_dir/exports/<user folder>/<one folder per export>/``.

Folders are 0700 and files 0600 (only the app's own account reads them); a folder per export means a
re-export never overwrites a file someone may still be downloading; ``cleanup`` deletes what is
older than ``export_keep_hours``. The web app serves a file from here (or Gradio's copy of it) only
to the user whose folder it is in (web/security.py).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import time
from pathlib import Path

DIR_MODE, FILE_MODE = 0o700, 0o600


def exports_root(data_dir: Path) -> Path:
    return Path(data_dir).resolve() / "exports"


def user_folder_name(user: str) -> str:
    # a digest, not the name: user names are free text (CJK, slashes, dots) and must never steer a path
    return "u-" + hashlib.sha256(f"reply-assistant-user:{user}".encode("utf-8")).hexdigest()[:24]


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) with mode 0700, and make ``path`` itself 0700."""
    path = Path(path)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path, DIR_MODE)
    return path


def new_export_dir(data_dir: Path, user: str) -> Path:
    """A fresh 0700 folder for one export by ``user``."""
    root = exports_root(data_dir)
    private_dir(root)
    user_dir = private_dir(root / user_folder_name(user))
    return private_dir(user_dir / f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(4)}")


def protect(path: Path) -> Path:
    os.chmod(path, FILE_MODE)
    return path


def owner_folder(path: Path, data_dir: Path) -> str | None:
    """The user folder name a path under the exports root belongs to (None if it is not under it)."""
    root = exports_root(data_dir)
    try:
        relative = Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
    except ValueError:
        return None
    return relative.parts[0] if relative.parts else ""


def remove_older_than(folder: Path, hours: float) -> int:
    """Delete the entries directly under ``folder`` last modified more than ``hours`` ago; returns how many."""
    folder = Path(folder)
    if not folder.is_dir():
        return 0
    cutoff = time.time() - hours * 3600
    removed = 0
    for entry in folder.iterdir():
        try:
            newest = max([entry.lstat().st_mtime] + ([p.lstat().st_mtime for p in entry.rglob("*")] if entry.is_dir() else []))
            if newest < cutoff:
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
                removed += 1
        except OSError:  # removed meanwhile, or in use: the next round takes it
            continue
    return removed


def cleanup(data_dir: Path, hours: float) -> int:
    """Delete exports older than ``hours`` (whole per-export folders)."""
    root = exports_root(data_dir)
    if not root.is_dir():
        return 0
    removed = 0
    for user_dir in root.iterdir():
        if user_dir.is_dir():
            removed += remove_older_than(user_dir, hours)  # user folders stay: an export may be starting
    return removed


def empty_dir(folder: Path) -> None:
    """Delete everything inside ``folder`` (the folder stays, 0700)."""
    folder = private_dir(folder)
    for entry in folder.iterdir():
        try:
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        except OSError:
            continue
