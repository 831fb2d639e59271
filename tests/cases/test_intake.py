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
    # another kind of file put in the list's place (the probe's notes.txt): said so, not openpyxl's English
    (tmp_path / "notes.txt").write_text("交办清单", encoding="utf-8")
    with pytest.raises(LoadError, match="须为 Excel .xlsx.*must be an Excel .xlsx"):
        read_list(tmp_path / "notes.txt", OURS)


def test_deadlines_follow_the_rules_for_each_role():
    assigned = date(2026, 3, 10)
    assert due_date("提案", "主办", assigned) == due_date("建议", "分办", assigned) == date(2026, 6, 10)  # three months
    assert due_date("建议", "会办", assigned) == date(2026, 5, 10)  # 第十八条: two months
    assert due_date("提案", "会办", assigned) == date(2026, 4, 10)  # one month
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)  # the month's last day where it is shorter


def test_real_layouts_merged_cells_a_two_row_header_and_notes_on_units(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["温州市第十四届人民代表大会第四次会议代表建议交办清单"])
    sheet.append(["建议号", "案由", "领衔代表", "办理单位", None, "交办日期", "办理期限"])
    sheet.append([None, None, None, "主办", "会办", None, None])
    sheet.merge_cells("D2:E2")
    rows = [
        ["第056号", "关于建设概念验证中心的建议", "陈明", "市科技局 （牵头）", "", 46091, "2026年6月30日前"],
        ["057", "关于发展低空经济的建议", "刘洋", "市发改委（牵头）、温州市科技局", "", "2026-03-10 00:00:00", "三个月"],
        ["58", "关于乡镇科技站的建议", "黄丽", "瓯海区科技局", "", "2026.3.10", None],
        ["59", "关于城市绿化的建议", "李华", "市园林局", "", "2026-03-10", None],  # 主办 merged down over the next row
        ["60", "关于公园改造的建议", "王强", None, "", "2026-03-10", None],
    ]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("D7:D8")
    book.save(tmp_path / "建议.xlsx")
    read = read_list(tmp_path / "建议.xlsx", OURS, city="温州市")
    by_number = {c.number: c for c in read.cases}
    assert sorted(by_number) == ["56", "57"]  # 056 and 第056号 are 56; 瓯海区科技局 and the merged 市园林局 rows are not ours
    assert read.not_ours == 3
    first, second = by_number["56"], by_number["57"]
    assert first.role == "主办" and first.kind == "建议" and first.session == "市十四届人大四次会议"
    assert first.assigned == date(2026, 3, 10) and first.due == date(2026, 6, 30)  # a serial date; 2026年6月30日前
    assert second.role == "分办" and second.lead_unit == "市发改委" and second.assigned == date(2026, 3, 10)
    assert second.due is None and any("三个月" in text and "按规定期限" in text for _, text in read.problems)  # the rule decides


def test_one_session_however_it_is_written():
    from assistant.cases.intake import canonical_session

    assert canonical_session("十二届四次会议", "提案") == canonical_session("市政协第十二届第四次会议", "提案") == "市政协十二届四次会议"
    assert canonical_session("市第十四届人民代表大会第四次会议", "建议") == "市十四届人大四次会议"
    assert canonical_session("2026年春季", "提案") == "2026年春季"
