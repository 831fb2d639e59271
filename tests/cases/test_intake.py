"""Reading a 交办清单: its header found under title rows, our rows and roles, bad rows reported by number."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.cases.deadlines import add_months, due_date
from assistant.cases.intake import read_list, unit_names
from assistant.errors import LoadError

from .samples import write_list

OURS = unit_names("温州市科学技术局")


def test_our_unit_goes_by_its_short_names_too():
    assert {"温州市科学技术局", "市科学技术局", "市科技局", "科技局"} <= OURS
    assert "市" not in OURS and unit_names("") == set()


def test_the_list_is_read_under_its_title_rows_with_roles_from_the_unit_columns(tmp_path):
    read = read_list(write_list(tmp_path / "清单.xlsx"), OURS)
    by_number = {c.number: c for c in read.cases}
    assert sorted(by_number) == ["56", "57", "58"]
    assert by_number["56"].role == "主办" and by_number["56"].proposers == ["陈明", "刘洋"]
    assert by_number["57"].role == "会办" and by_number["57"].lead_unit == "市人力社保局" and by_number["57"].co_units == ["市科技局", "市住建局"]
    assert by_number["58"].role == "分办" and by_number["58"].due == date(2026, 5, 31)
    assert {c.assigned for c in read.cases} == {date(2026, 3, 10)}  # a date cell, 2026-03-10 and 2026年3月10日 alike
    assert all(c.kind == "提案" and c.session == "市政协十二届四次会议" for c in read.cases)  # from the title row
    assert read.not_ours == 1
    rows = [row for row, _ in read.problems]
    assert rows == [8, 9]  # the unreadable date and the missing number, by their sheet rows
    assert "三月十日" in read.problems[0][1]


def test_a_sheet_without_a_header_is_refused_in_both_languages(tmp_path):
    path = write_list(tmp_path / "x.xlsx", rows=[[1, 2, 3]], header=["甲", "乙", "丙"])
    with pytest.raises(LoadError, match="表头.*header"):
        read_list(path, OURS)
    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(LoadError, match="Excel"):
        read_list(tmp_path / "bad.xlsx", OURS)


def test_deadlines_follow_the_rules_for_each_role():
    assigned = date(2026, 3, 10)
    assert due_date("提案", "主办", assigned) == due_date("建议", "分办", assigned) == date(2026, 6, 10)  # three months
    assert due_date("建议", "会办", assigned) == date(2026, 5, 10)  # 第十八条: two months
    assert due_date("提案", "会办", assigned) == date(2026, 4, 10)  # one month
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)  # the month's last day where it is shorter
