"""Who sees and changes a case (issue 25, point 8), and a case's draft: with login on, a user sees the
cases assigned to them or to a group of theirs, admins and the command line's operator see all; only they
import, register and assign. A case's draft is made from its proposal — a 会办意见 to the lead unit when we
are 会办 —, linked (起草中) and shared with the case's assignee."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.corpus.ingest import run_all
from assistant.errors import QueryError
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.users import add_user, set_roles

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
def users(tmp_path):
    path = tmp_path / "users.json"
    for name in ("管理员", "张三", "李四", "王五"):
        add_user(path, name, "password-123")
    set_roles(path, "管理员", admin=True)
    set_roles(path, "张三", groups=["综合科"])
    set_roles(path, "王五", groups=["综合科"])
    return path


def office(tmp_path, users, operator: bool = False, **overrides) -> Assistant:
    """The bureau's assistant with login on (``operator``: as the command line opens it on the server)."""
    settings = Settings(
        index_dir=tmp_path / "index",
        data_dir=tmp_path / "data",
        corpus_dir=tmp_path / "corpus",
        embedding_model="hash:128",
        users_file=users,
        _env_file=None,
        **{"issuing_unit": "温州市科学技术局", **overrides},
    )
    return Assistant(settings, operator=operator)


@pytest.fixture
def season(tmp_path, users):
    assistant = office(tmp_path, users)
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
    assert season.list_cases(user="命令行:root") == []  # a name is not a power: only the command line's door is the operator
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
    operator = office(tmp_path, season.settings.users_file, operator=True)
    assert numbers(operator.list_cases(user="命令行:root")) == ["56", "57", "58"]
    assert operator.assign_case(case_of(season, "56").id, "李四", user="命令行:root").assignee == "李四"
    operator.close()
    with pytest.raises(QueryError, match="只有管理员可以登记延期"):
        season.extend_case(case_of(season, "56").id, date(2026, 9, 1), "经批准", user="李四")


def test_a_shared_office_sees_all_but_only_admins_manage(tmp_path, users):
    shared = office(tmp_path, users, drafts_access="shared")
    shared.import_cases(write_list(tmp_path / "清单.xlsx"), user="管理员")
    assert numbers(shared.list_cases(user="李四")) == ["56", "57", "58"]
    with pytest.raises(QueryError, match="只有管理员可以分派"):
        shared.assign_case(case_of(shared, "56").id, "李四", user="李四")
    shared.close()


def test_an_unknown_assignee_is_refused_and_a_group_typed_with_a_full_width_colon_is_one(season):
    case = case_of(season, "57")
    with pytest.raises(QueryError, match="用户文件中没有 张 三"):
        season.assign_case(case.id, "张 三", user="管理员")
    assert season.assign_case(case.id, "group：综合科", user="管理员").assignee == "group:综合科"
    assert season.get_case(case.id, user="管理员").draft_id is None  # nothing drafted on the way


def test_a_reassigned_case_opens_its_draft_for_the_new_assignee(season):
    case = case_of(season, "57")
    season.assign_case(case.id, "张三", user="管理员")
    _, draft_id, _ = season.start_case_draft(case.id, user="张三", use_llm=False)
    with pytest.raises(QueryError):
        season.get_draft(draft_id, "李四")
    season.assign_case(case.id, "李四", user="管理员")
    assert season.get_draft(draft_id, "李四").id == draft_id  # 李四 carries on with the same draft
    assert season.start_case_draft(case.id, user="李四")[1:] == (draft_id, False)


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


def test_a_case_without_text_says_so_then_drafts_a_reply_once_its_text_is_attached(season, tmp_path):
    case = case_of(season, "56")  # 主办, no file came with the list
    with pytest.raises(QueryError, match="还没有提案原文"):
        season.start_case_draft(case.id, user="管理员")
    file = tmp_path / "56.txt"
    file.write_text(PROPOSAL_57.replace("第57号", "第56号").replace("完善人才住房保障", "加快科技成果转化"), encoding="utf-8")
    assert "加快科技成果转化" in season.attach_proposal(case.id, file, user="管理员").proposal_text
    _, draft_id, made = season.start_case_draft(case.id, user="管理员", use_llm=False)
    text = season.get_draft(draft_id, "管理员").working_text
    assert made and "56号提案的答复函" in text.split("\n")[2] and "陈明、刘洋委员：" in text  # a reply to the proposers the list names


def test_a_case_drafted_before_the_list_came_opens_that_draft(season):
    """A probe drafted 56号 in 起草答复 and edited it; opened from the register, the case asked for the text again
    and then made a second draft. The case takes the draft already made for its proposal (kind, number, session)."""
    text = PROPOSAL_57.replace("第57号", "第56号").replace("完善人才住房保障", "加快科技成果转化")
    other = season.parse_proposal(text.replace("第56号", "第156号"))
    season.start_draft(other, user="管理员", use_llm=False)  # another number: not this case's
    earlier, _, _ = season.start_draft(season.parse_proposal(text), user="管理员", use_llm=False)
    another_session = season.parse_proposal(text.replace("十二届四次", "十二届三次"))
    season.start_draft(another_session, user="管理员", use_llm=False)  # last year's 56号: not this one either
    case = case_of(season, "56")  # 主办, no file came with the list
    linked, draft_id, made = season.start_case_draft(case.id, user="管理员")
    assert (draft_id, made) == (earlier, False) and linked.draft_id == earlier
    assert [h["action"] for h in season.case_history(case.id, user="管理员")][-1] == "关联草稿"


def test_a_co_handling_case_with_no_lead_unit_is_drafted_with_a_placeholder_and_closes_when_sent(season, tmp_path):
    from datetime import date as day

    folder = tmp_path / "原文2"
    folder.mkdir()
    (folder / "第61号提案.txt").write_text(PROPOSAL_57.replace("第57号", "第61号"), encoding="utf-8")
    rows = [[1, "61", "关于完善人才住房保障的提案", "黄丽", "提案", "", "市科技局", "2026-03-10", None]]  # 主办 left empty
    season.import_cases(write_list(tmp_path / "无主办.xlsx", rows=rows), proposals=folder, user="管理员")
    case = case_of(season, "61")
    assert (case.role, case.lead_unit) == ("会办", "")
    _, draft_id, _ = season.start_case_draft(case.id, user="管理员", use_llm=False)
    text = season.get_draft(draft_id, "管理员").working_text
    assert "会办意见\n\n【待填：主办单位】：\n" in text  # addressed to a placeholder to fill, not refused
    from assistant.letter.markdown import markdown_to_draft

    assert [p.role for p in markdown_to_draft(text).paragraphs][:3] == ["title", "salutation", "opening"]
    sent = season.record_reply(case.id, "温科函〔2026〕5号", day(2026, 4, 1), user="管理员")
    assert (sent.status, sent.reply_doc_number) == ("已办结", "温科函〔2026〕5号")  # the proposer's feedback is the lead unit's
    assert any(p.name.endswith("会办意见.txt") for p in (tmp_path / "corpus" / "replies").iterdir())


def test_an_admin_names_the_unit_from_the_app_and_the_list_is_read_at_once(tmp_path, users, monkeypatch):
    """The probe's first import stopped at 请管理员先设置本单位名称 with only a file on the server to edit: an
    admin names the unit in the app; it is written to .env (read again at the next start) and in force now."""
    monkeypatch.chdir(tmp_path)  # .env is read from (and written to) the working directory
    assistant = office(tmp_path, users, issuing_unit="")
    try:
        sheet = write_list(tmp_path / "清单.xlsx")
        with pytest.raises(QueryError, match="本单位名称"):
            assistant.import_cases(sheet, user="管理员")
        with pytest.raises(QueryError, match="只有管理员"):
            assistant.set_issuing_unit("温州市科学技术局", user="张三")
        with pytest.raises(QueryError, match="中文全称"):
            assistant.set_issuing_unit("x", user="管理员")
        assert assistant.set_issuing_unit(" 温州市 科学技术局 ", user="管理员") == ("温州市科学技术局", "")
        assert "REPLY_ASSISTANT_ISSUING_UNIT=温州市科学技术局" in (tmp_path / ".env").read_text(encoding="utf-8").splitlines()
        assert Settings(index_dir=tmp_path / "index").issuing_unit == "温州市科学技术局"  # the next start reads it
        assert assistant.import_cases(sheet, user="管理员").added  # without a restart
        assert any(a["action"] == "set_issuing_unit" and a["user"] == "管理员" for a in assistant.drafts.audit_log())
        # the server's environment outranks .env at the next start: said, not silently lost
        monkeypatch.setenv("REPLY_ASSISTANT_ISSUING_UNIT", "温州市科技局")
        assert "优先于 .env" in assistant.set_issuing_unit("温州市科学技术局", user="管理员")[1]
        # a .env that cannot be written (here a folder of that name; a read-only mount alike): our message, naming
        # the file and what to put in it
        (tmp_path / "elsewhere" / ".env").mkdir(parents=True)
        monkeypatch.chdir(tmp_path / "elsewhere")
        with pytest.raises(QueryError, match="无法写入.*REPLY_ASSISTANT_ISSUING_UNIT=温州市科学技术局"):
            assistant.set_issuing_unit("温州市科学技术局", user="管理员")
    finally:
        assistant.close()
