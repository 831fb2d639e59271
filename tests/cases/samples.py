"""A 交办清单 as a 政协 office sends it: a title row, a blank row, then the header, with the column
names and dates written the several ways real lists write them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

TITLE = "市政协十二届四次会议提案交办清单（市科技局）"
HEADER = ["序号", "提案号", "案由", "提案人", "类别", "主办单位", "会办单位", "交办日期", "办理期限"]
ROWS = [
    [1, "56", "关于加快科技成果转化的提案", "陈明、刘洋", "提案", "市科技局", "", datetime(2026, 3, 10), None],
    [2, "57", "关于完善人才住房保障的提案", "黄丽", "提案", "市人力社保局", "市科技局、市住建局", "2026-03-10", None],
    [3, "58", "关于发展数字经济的提案", "王强", "提案", "市经信局、市科技局", "", "2026年3月10日", "2026-05-31"],
    [4, "59", "关于城市绿化的提案", "李华", "提案", "市园林局", "市住建局", "2026-03-10", None],  # not ours
    [5, "60", "关于科技金融的提案", "赵敏", "提案", "温州市科学技术局", "", "三月十日", None],  # a date nobody can read
    [6, "", "关于缺编号的提案", "钱多", "提案", "市科技局", "", "2026-03-10", None],  # no number
]


def write_list(path: Path, rows=ROWS, header=HEADER, title=TITLE) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
