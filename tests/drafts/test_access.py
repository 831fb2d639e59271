"""Who may see which saved draft (issue 13, finding 5), on a real drafts.db: owners, shares with a
user or a group, admins, the drafts_access=shared office, and no login at all."""

from __future__ import annotations

import json

import pytest

from assistant.errors import AssistantError
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.users import add_user, load_roles, load_users, set_roles

NAMES = ("甲", "乙", "丙", "管理员")


@pytest.fixture
def users(tmp_path):
    path = tmp_path / "users.json"
    for name in NAMES:
        add_user(path, name, f"password-{name}")
    set_roles(path, "管理员", admin=True)
    set_roles(path, "丙", groups=["综合科"])
    return path


def make(tmp_path, **overrides) -> Assistant:
    return Assistant(Settings(index_dir=tmp_path / "index", data_dir=tmp_path / "data", embedding_model="hash:64", _env_file=None, **overrides))


@pytest.fixture
def office(tmp_path, users, database):
    """Login on, default drafts_access=owner; 甲 and 乙 each own a draft, one draft predates login.
    On drafts.db and on PostgreSQL (``database``, tests/drafts/conftest.py)."""
    assistant = make(tmp_path, users_file=users, database_url=database)
    ids = {name: assistant.drafts.create(f"{name}的答复函", "提案", {}, f"{name}的正文", user=name) for name in ("甲", "乙")}
    ids[""] = assistant.drafts.create("登录前的草稿", "提案", {}, "旧正文")
    yield assistant, ids
    assistant.close()


def listed(assistant, user):
    return sorted(d["id"] for d in assistant.list_drafts(user))


def test_roles_live_beside_users_and_old_files_still_load(tmp_path, users):
    assert load_roles(users) == ({"管理员"}, {"综合科": {"丙"}})
    assert set(load_users(users)) == set(NAMES)  # the login still reads the same file
    old = tmp_path / "old.json"
    add_user(old, "甲", "password-甲")
    assert "admins" not in json.loads(old.read_text(encoding="utf-8")) and load_roles(old) == (set(), {})
    assert oct(users.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(AssistantError, match="没有用户"):
        set_roles(users, "无名氏", admin=True)


def test_owners_see_their_own_and_nobody_probes_ids(office):
    assistant, ids = office
    assert listed(assistant, "甲") == [ids["甲"]]
    assert listed(assistant, "乙") == [ids["乙"]]
    assert listed(assistant, "") == []  # login is on: a call without a user is nobody's
    assert assistant.get_draft(ids["甲"], "甲").working_text == "甲的正文"
    for call in (
        lambda: assistant.get_draft(ids["甲"], "乙"),
        lambda: assistant.draft_versions(ids["甲"], "乙"),
        lambda: assistant.diff_versions(ids["甲"], 1, 1, "乙"),
        lambda: assistant.edited_draft(ids["甲"], "x", "乙"),
        lambda: assistant.autosave_draft(ids["甲"], "乙改的", "乙"),
        lambda: assistant.save_draft(ids["甲"], "乙改的", "乙"),
        lambda: assistant.set_draft_status(ids["甲"], "待审", "乙"),
        lambda: assistant.delete_draft(ids["甲"], "乙"),
        lambda: assistant.get_draft(ids[""], "甲"),
        lambda: assistant.get_draft(ids["甲"], ""),
    ):
        with pytest.raises(AssistantError, match="无权访问草稿") as refused:
            call()
    with pytest.raises(AssistantError) as missing:
        assistant.get_draft(999, "乙")
    assert str(missing.value) == str(refused.value).replace(f"#{ids['甲']}", "#999")  # same words for missing and refused
    saved = assistant.drafts.get(ids["甲"])
    assert (saved.working_text, saved.status, len(assistant.drafts.versions(ids["甲"]))) == ("甲的正文", "草稿", 1)


def test_export_of_someone_elses_draft_writes_nothing(office, tmp_path):
    assistant, ids = office
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(AssistantError, match="无权访问草稿"):
        assistant.export_saved(ids["甲"], "乙的改写", user="乙", directory=out)
    assert list(out.iterdir()) == [] and assistant.drafts.get(ids["甲"]).status == "草稿"
    assert len(assistant.drafts.versions(ids["甲"])) == 1
    assert assistant.export_saved(ids["甲"], "甲的正文", user="甲", directory=out).exists()


def test_sharing_with_a_user_or_a_group(office):
    assistant, ids = office
    assert assistant.share_draft(ids["甲"], "乙", "甲") == ["乙"]
    assert listed(assistant, "乙") == sorted([ids["甲"], ids["乙"]])
    assert assistant.save_draft(ids["甲"], "乙审改后的正文", "乙") == 2  # a share is for working together
    with pytest.raises(AssistantError, match="只有创建人或管理员"):
        assistant.share_draft(ids["甲"], "丙", "乙")  # …but only the owner passes it on
    assert listed(assistant, "丙") == []
    assert assistant.share_draft(ids["甲"], "group：综合科", "甲") == ["group:综合科", "乙"]  # full-width colon too
    assert listed(assistant, "丙") == [ids["甲"]]
    assert assistant.share_draft(ids["甲"], "group:综合科", "甲", revoke=True) == ["乙"]
    assert listed(assistant, "丙") == []
    for unknown in ("无名氏", "group:不存在的组", ""):
        with pytest.raises(AssistantError, match="用户文件中没有|请填写"):
            assistant.share_draft(ids["甲"], unknown, "甲")
    assistant.set_draft_status(ids["甲"], "待审", "乙")
    actions = [(e["action"], e["user"], e["target"], e["detail"]) for e in assistant.drafts.audit_log()]
    assert ("status", "乙", f"draft#{ids['甲']}", "待审") in actions
    assert ("share", "甲", f"draft#{ids['甲']}", "group:综合科") in actions
    assert ("unshare", "甲", f"draft#{ids['甲']}", "group:综合科") in actions


def test_admins_see_and_manage_everything(office, users):
    assistant, ids = office
    assert listed(assistant, "管理员") == sorted(ids.values())  # the draft from before login too
    assistant.share_draft(ids["乙"], "甲", "管理员")
    assert ids["乙"] in listed(assistant, "甲")
    with pytest.raises(AssistantError, match="只有创建人或管理员"):
        assistant.delete_draft(ids["乙"], "甲")
    assistant.delete_draft(ids["乙"], "管理员")
    assert listed(assistant, "管理员") == sorted([ids["甲"], ids[""]])
    assert assistant.drafts.shares(ids["乙"]) == []  # its shares went with it
    set_roles(users, "甲", admin=True)  # add-user --admin while the app runs: no restart needed
    assert listed(assistant, "甲") == sorted([ids["甲"], ids[""]])


def test_a_shared_office_sees_everything_but_only_owners_share(tmp_path, users):
    assistant = make(tmp_path, users_file=users, drafts_access="shared")
    try:
        first = assistant.drafts.create("甲的答复函", "提案", {}, "甲的正文", user="甲")
        assert listed(assistant, "乙") == [first]
        assert assistant.get_draft(first, "乙").working_text == "甲的正文"
        with pytest.raises(AssistantError, match="只有创建人或管理员"):
            assistant.delete_draft(first, "乙")
    finally:
        assistant.close()


def test_without_login_everything_is_visible_as_before(tmp_path):
    assistant = make(tmp_path)
    try:
        first = assistant.drafts.create("t", "", {}, "正文", user="")
        assert listed(assistant, "") == [first] and assistant.get_draft(first, "").working_text == "正文"
        assistant.share_draft(first, "任何人", "")
        assistant.delete_draft(first, "")
        assert listed(assistant, "") == []
    finally:
        assistant.close()


def test_an_export_makes_a_version_only_when_the_text_changed(office, tmp_path):
    """Issue 26, item 4: v3 “导出”, v4 “导出（公开版）” were copies of v2."""
    assistant, ids = office
    draft = ids["甲"]
    assistant.save_draft(draft, "甲的正文，改过一处", "甲")  # version 2
    for public in (False, True, False):
        assert assistant.export_saved(draft, "甲的正文，改过一处", user="甲", directory=tmp_path, public=public).exists()
    assert [v["note"] for v in assistant.drafts.versions(draft)] == ["生成草稿", "保存"]
    assert assistant.drafts.get(draft).status == "已导出"
    assistant.export_saved(draft, "甲的正文，导出前又改", user="甲", directory=tmp_path)
    assert [v["note"] for v in assistant.drafts.versions(draft)] == ["生成草稿", "保存", "导出"]


def test_an_appendix_sent_along_keeps_the_citations_it_alone_defines_and_a_typed_rule_keeps_its_text(office):
    """A Markdown file pasted (or a script's save) with its 引用来源: the letter is kept, its appendix rebuilt, and
    a citation only its definitions named joins the draft's own; a --- the person typed is their text."""
    assistant, ids = office
    draft = ids["甲"]
    pasted = (
        "# 关于第1号提案的答复函\n\n张三委员：\n\n全市高新技术企业总数超4000家。 [^c7]\n\n---\n\n## 引用来源（导出时不含本节）\n\n"
        "[^c7]: 〔答复函·成效〕温科提复〔2024〕110号 关于…的答复函，2024-06-27 · corpus/110.txt · 段落#10 — “全市高新技术企业总数超4000家。”\n"
    )
    assistant.save_draft(draft, pasted, "甲")
    stored = assistant.drafts.get(draft)
    assert "引用来源" not in stored.working_text and stored.working_text.rstrip().endswith("[^c7]")
    assert [c.doc_number for c in assistant.edited_draft(draft, stored.working_text, "甲").citations] == ["温科提复〔2024〕110号"]
    typed = "正文第一段。\n\n---\n\n第二部分正文，很重要。\n"
    assistant.save_draft(draft, typed, "甲")
    assert assistant.drafts.get(draft).working_text == typed  # nothing the person wrote is dropped


def test_the_public_copy_is_not_refused_for_a_placeholder_it_does_not_print(office, tmp_path):
    assistant, ids = office
    letter = (
        "# 关于第1号提案的答复函\n\n张三委员：\n\n您的提案收悉。\n\n"
        "联系人：【待填：联系人】，联系电话：【待填：联系电话】。\n\n温州市科学技术局\n\n2026年12月5日\n"
    )
    path = assistant.export_saved(ids["甲"], letter, user="甲", directory=tmp_path, public=True, override_reason="测试")
    assert path.name.endswith("_公开版.docx")  # the 联系人 line (and its placeholders) is left out of the 公开版
    with pytest.raises(AssistantError, match="公开版不能含待填内容（1 处：【待填：文号】）"):
        assistant.export_saved(ids["甲"], "【待填：文号】\n\n" + letter, user="甲", directory=tmp_path, public=True, override_reason="测试")
