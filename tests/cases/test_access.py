"""Who sees and changes a case (issue 25, point 8), and a case's draft: with login on, a user sees the
cases assigned to them or to a group of theirs, admins and the command line's operator see all; only they
import, register and assign. A case's draft is made from its proposal — a 会办意见 to the lead unit when we
are 会办 —, linked (起草中) and shared with the case's assignee."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.corpus.ingest import run_all
from assistant.errors import AssistantError, QueryError
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.users import add_user, check_new_user, set_roles

from ..conftest import CORPUS
from .samples import write_list

PROPOSAL_57 = """关于完善人才住房保障的提案

市政协十二届四次会议 第57号提案
提案人：黄丽

我市青年科技人才住房负担较重，为此建议：
一、扩大人才公寓供给，优先保障科技企业研发人员。
二、加大科技企业孵化器配套服务，为青年创业者提供场地。
"""


@pytest.fixture
def season(tmp_path):
    users = tmp_path / "users.json"
    for name in ("管理员", "张三", "李四", "王五"):
        add_user(users, name, "password-123")
    set_roles(users, "管理员", admin=True)
    set_roles(users, "张三", groups=["综合科"])
    set_roles(users, "王五", groups=["综合科"])
    settings = Settings(
        index_dir=tmp_path / "index",
        data_dir=tmp_path / "data",
        corpus_dir=tmp_path / "corpus",
        embedding_model="hash:128",
        issuing_unit="温州市科学技术局",
        users_file=users,
        _env_file=None,
    )
    assistant = Assistant(settings)
    assert not run_all(assistant.ingest([CORPUS])).errors
    folder = tmp_path / "原文"
    folder.mkdir()
    (folder / "第57号提案.txt").write_text(PROPOSAL_57, encoding="utf-8")
    assistant.import_cases(write_list(tmp_path / "清单.xlsx"), proposals=folder, user="管理员")
    yield assistant
    assistant.close()


def numbers(cases) -> list[str]:
    return sorted(c.number for c in cases)


def case_of(season, number: str):
    return next(c for c in season.list_cases(user="管理员") if c.number == number)


def test_each_user_sees_their_own_and_their_groups_cases(season):
    season.assign_case(case_of(season, "56").id, "张三", user="管理员")
    season.assign_case(case_of(season, "57").id, "group:综合科", user="管理员")
    assert numbers(season.list_cases(user="管理员")) == ["56", "57", "58"]
    assert numbers(season.list_cases(user="命令行:root")) == ["56", "57", "58"]  # the server's operator
    assert numbers(season.list_cases(user="张三")) == ["56", "57"]
    assert numbers(season.list_cases(user="王五")) == ["57"]
    assert season.list_cases(user="李四") == [] and season.list_cases(user="") == []
    assert numbers(season.due_cases(400, date(2026, 3, 11), user="王五").due_soon) == ["57"]
    assert season.case_stats(user="王五")["cases"] == 1
    # a case not theirs is answered as a missing one (ids cannot be probed), for reading and for changing
    hidden = case_of(season, "56").id
    for attempt in (
        lambda: season.get_case(hidden, user="李四"),
        lambda: season.case_history(hidden, user="李四"),
        lambda: season.move_case(hidden, "起草中", user="李四"),
        lambda: season.extend_case(hidden, date(2026, 9, 1), "经批准", user="王五"),
        lambda: season.get_case(99999, user="张三"),
    ):
        with pytest.raises(QueryError, match="不存在或无权访问"):
            attempt()
    assert season.move_case(hidden, "起草中", user="张三").status == "起草中"
    assert season.case_history(hidden, user="张三")[-1]["user"] == "张三"  # every change audited with who made it


def test_only_admins_import_register_and_assign(season, tmp_path):
    with pytest.raises(QueryError, match="只有管理员可以分派"):
        season.assign_case(case_of(season, "56").id, "张三", user="张三")
    with pytest.raises(QueryError, match="只有管理员可以导入"):
        season.import_cases(write_list(tmp_path / "另一份.xlsx"), user="张三")
    assert season.assign_case(case_of(season, "56").id, "李四", user="命令行:root").assignee == "李四"


def test_a_case_draft_is_made_linked_and_shared_with_its_group(season):
    case = case_of(season, "57")  # we are 会办, 市人力社保局 leads
    season.assign_case(case.id, "group:综合科", user="管理员")
    linked, draft_id, made = season.start_case_draft(case.id, user="张三", use_llm=False)
    assert made and linked.draft_id == draft_id and linked.status == "起草中"
    text = season.get_draft(draft_id, "王五").working_text  # another member of the group opens it
    assert text.startswith("# 关于市政协十二届四次会议第57号提案的会办意见\n\n市人力社保局：")
    assert "您" not in text.split("\n---\n")[0]
    again = season.start_case_draft(case.id, user="王五")
    assert again[1:] == (draft_id, False)  # the linked draft, not a second one
    with pytest.raises(QueryError):
        season.get_draft(draft_id, "李四")
    assert [h["action"] for h in season.case_history(case.id, user="张三")][-1] == "关联草稿"


def test_a_lead_case_drafts_a_reply_and_one_without_text_says_so(season):
    case = case_of(season, "56")  # 主办, no file attached
    with pytest.raises(QueryError, match="还没有提案原文"):
        season.start_case_draft(case.id, user="管理员")


def test_the_operator_name_is_not_a_login_name():
    with pytest.raises(AssistantError):
        check_new_user("命令行", "password-123")
