"""The register on both databases: intake is idempotent, every status move is checked and recorded."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.errors import QueryError
from assistant.service import Assistant
from assistant.settings import Settings

from .samples import ROWS, write_list


@pytest.fixture
def season(tmp_path, database):
    settings = Settings(
        index_dir=tmp_path / "index",
        data_dir=tmp_path / "data",
        corpus_dir=tmp_path / "corpus",  # a sent reply is filed here
        embedding_model="hash:64",
        issuing_unit="温州市科学技术局",
        database_url=database,
        _env_file=None,
    )
    assistant = Assistant(settings)
    yield assistant
    assistant.close()


def test_importing_a_list_twice_changes_nothing_and_a_changed_row_is_updated(season, tmp_path):
    sheet = write_list(tmp_path / "清单.xlsx")
    first = season.import_cases(sheet, user="甲")
    assert len(first.added) == 3 and len(first.problems) == 2 and first.not_ours == 1
    assert {c.number: c.due for c in first.added} == {"56": "2026-06-10", "57": "2026-04-10", "58": "2026-05-31"}
    again = season.import_cases(sheet, user="甲")
    assert not again.added and not again.updated and len(again.unchanged) == 3
    rows = [list(r) for r in ROWS]
    rows[0][8] = "2026-07-31"  # the office extends 56 in a new list
    update = season.import_cases(write_list(tmp_path / "清单2.xlsx", rows=rows), user="乙")
    assert [c.number for c in update.updated] == ["56"] and update.updated[0].due == "2026-07-31"
    assert len(season.list_cases()) == 3
    history = season.case_history(update.updated[0].id)
    assert [h["action"] for h in history] == ["登记", "更新"] and history[1]["user"] == "乙" and "2026-07-31" in history[1]["detail"]


def test_proposal_files_are_attached_by_number(season, tmp_path):
    folder = tmp_path / "原文"
    folder.mkdir()
    (folder / "第56号提案.txt").write_text("关于加快科技成果转化的提案\n提案人：陈明\n建议：\n一、建设概念验证中心。\n", encoding="utf-8")
    report = season.import_cases(write_list(tmp_path / "清单.xlsx"), proposals=folder)
    assert report.attached == 1
    case = next(c for c in season.list_cases() if c.number == "56")
    assert case.proposal_file.endswith("第56号提案.txt") and "概念验证中心" in case.proposal_text


def test_every_status_move_is_checked_and_recorded(season, tmp_path):
    season.import_cases(write_list(tmp_path / "清单.xlsx"))
    case = next(c for c in season.list_cases() if c.number == "56")
    with pytest.raises(QueryError, match="不能改为“已答复”"):
        season.move_case(case.id, "已答复")
    with pytest.raises(QueryError, match="答复后才能登记反馈"):
        season.record_feedback(case.id, "满意")
    assert season.move_case(case.id, "起草中", user="甲").status == "起草中"
    assert season.move_case(case.id, "待审", user="甲").status == "待审"
    with pytest.raises(QueryError, match="没有答复函的文本"):
        season.record_reply(case.id, "温科提复〔2026〕12号", date(2026, 6, 1))  # nothing to file as a precedent: nothing recorded
    letter = tmp_path / "答复函.txt"
    letter.write_text("温科提复〔2026〕12号\n陈明委员：\n您提出的关于加快科技成果转化的提案收悉，现答复如下：\n我局已建成概念验证中心3家。\n", encoding="utf-8")
    replied = season.record_reply(case.id, "温科提复〔2026〕12号", date(2026, 6, 1), file=letter, user="乙")
    assert (replied.status, replied.reply_doc_number, replied.reply_date) == ("已答复", "温科提复〔2026〕12号", "2026-06-01")
    again = season.record_feedback(case.id, "不满意", date(2026, 6, 20), user="乙")
    assert again.status == "再次办理" and again.due == "2026-07-20" and again.feedback == "不满意"  # 第二十四条: a month
    with pytest.raises(QueryError, match="cases reply"):
        season.move_case(case.id, "已答复")  # only a reply with its 文号 makes a case 已答复
    assert season.record_reply(case.id, "温科提复〔2026〕30号", date(2026, 7, 10), file=letter).status == "已答复"
    assert season.record_feedback(case.id, "满意", date(2026, 7, 20)).status == "已办结"
    with pytest.raises(QueryError, match="批准"):
        season.extend_case(case.id, date(2026, 9, 10), " ")
    actions = [(h["action"], h["user"]) for h in season.case_history(case.id)]
    assert actions[:6] == [("登记", ""), ("状态", "甲"), ("状态", "甲"), ("答复", "乙"), ("入库", "乙"), ("反馈", "乙")]
    with pytest.raises(QueryError, match="不能延期"):
        season.extend_case(case.id, date(2026, 12, 31), "经市政协提案委同意")  # closed


def test_due_lists_what_is_late_and_what_is_due_soon(season, tmp_path):
    season.import_cases(write_list(tmp_path / "清单.xlsx"))
    report = season.due_cases(within=30, as_of=date(2026, 5, 1))
    assert [c.number for c in report.late] == ["57"]  # 会办 of a 提案: due 2026-04-10
    assert [c.number for c in report.due_soon] == ["58"]  # due 2026-05-31; 56 (06-10) is further
    assert season.due_cases(within=30, as_of=date(2026, 3, 11)).late == []


def test_a_list_without_dates_read_again_later_and_an_extension_stand(season, tmp_path):
    rows = [[1, "61", "关于科技特派员的提案", "周敏", "提案", "市科技局", "", None, None]]
    sheet = write_list(tmp_path / "无日期.xlsx", rows=rows)
    first = season.import_cases(sheet, today=date(2026, 3, 10)).added[0]
    assert (first.assigned, first.due) == ("2026-03-10", "2026-06-10")
    assert len(season.import_cases(sheet, today=date(2026, 3, 11)).unchanged) == 1  # the rule's dates are not re-derived
    season.extend_case(first.id, date(2026, 9, 10), "经市政协提案委同意")
    dated = [[1, "61", "关于科技特派员的提案", "周敏", "提案", "市科技局", "", "2026-03-10", "2026-06-10"]]
    season.import_cases(write_list(tmp_path / "有日期.xlsx", rows=dated))
    assert season.cases_service.register.get(first.id).due == "2026-09-10"  # an approved extension stands
    with pytest.raises(QueryError, match="晚于"):
        season.extend_case(first.id, date(2026, 8, 1), "经市政协提案委同意")


def test_a_proposal_file_is_attached_on_a_later_import_and_never_the_other_kinds(season, tmp_path):
    sheet = write_list(tmp_path / "清单.xlsx")
    season.import_cases(sheet)
    folder = tmp_path / "原文"
    folder.mkdir()
    (folder / "第56号建议.txt").write_text("关于别的事的建议\n代表：某某\n", encoding="utf-8")
    (folder / "第156号提案.txt").write_text("关于别的事的提案\n", encoding="utf-8")
    (folder / "提案56.txt").write_text("关于加快科技成果转化的提案\n提案人：陈明\n建议：\n一、建设概念验证中心。\n", encoding="utf-8")
    report = season.import_cases(sheet, proposals=folder)
    assert report.attached == 1 and [c.number for c in report.updated] == ["56"]
    assert season.cases_service.register.find("提案", "市政协十二届四次会议", "56").proposal_file.endswith("提案56.txt")


def test_assigning_stats_and_the_register_as_a_sheet(season, tmp_path):
    import openpyxl

    season.import_cases(write_list(tmp_path / "清单.xlsx"))
    cases = {c.number: c for c in season.list_cases()}
    assert season.assign_case(cases["56"].id, "group:综合科", user="主任").assignee == "group:综合科"
    with pytest.raises(QueryError, match="请填写用户名或 group:组名"):
        season.assign_case(cases["57"].id, "group: ")
    letter = tmp_path / "答复函.txt"
    letter.write_text("温科提复〔2026〕12号\n陈明委员：\n您的提案收悉，现答复如下：\n我局已建成概念验证中心3家。\n", encoding="utf-8")
    season.record_reply(cases["56"].id, "温科提复〔2026〕12号", date(2026, 6, 1), file=letter)  # on time (due 06-10)
    season.record_feedback(cases["56"].id, "满意", date(2026, 6, 20))
    stats = season.case_stats(2026, as_of=date(2026, 5, 1))
    assert stats["cases"] == 3 and stats["by_kind_and_role"] == {"提案·主办": 1, "提案·会办": 1, "提案·分办": 1}
    assert (stats["answered"], stats["on_time"], stats["on_time_rate"], stats["late"]) == (1, 1, 1.0, 1)
    assert stats["feedback"] == {"满意": 1} and season.case_stats(2025)["cases"] == 0
    sheet = openpyxl.load_workbook(season.export_cases(tmp_path / "台账.xlsx", as_of=date(2026, 5, 1))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "类别", "会议届次", "编号", "案由") and len(rows) == 4
    by_number = {row[3]: row for row in rows[1:]}
    assert by_number["56"][11:14] == ("已办结", "group:综合科", "温科提复〔2026〕12号") and by_number["57"][10] == -21


def test_a_group_members_greeting_counts_the_groups_cases(season, tmp_path):
    from datetime import timedelta

    register = season.cases_service.register
    today = date.today()
    for number, assignee in (("1", "group:综合科"), ("2", "乙")):
        case, _ = register.put(
            {
                "kind": "提案",
                "session": "",
                "number": number,
                "title": f"关于第{number}件的提案",
                "proposers": [],
                "role": "主办",
                "assigned": today - timedelta(days=60),
                "due": today + timedelta(days=2),
            }
        )
        register.assign(case.id, assignee)
    from assistant.users import add_user, set_roles

    users = tmp_path / "users.json"
    for name in ("甲", "乙", "丙"):
        add_user(users, name, "password-123")
    set_roles(users, "甲", groups=["综合科"])
    season.settings.users_file = users  # login on: each sees their own and their groups' cases
    assert season.season_greeting("甲") == "办理台账：1 件 7 日内到期，0 件已逾期"
    assert season.season_greeting("乙") == "办理台账：1 件 7 日内到期，0 件已逾期"
    assert season.season_greeting("丙") == ""
