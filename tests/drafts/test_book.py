"""Saved drafts: versions, autosave, status, diff, audit — and a write failure loses nothing."""

from __future__ import annotations

import pytest

from assistant.drafts.book import DraftBook
from assistant.errors import AssistantError


@pytest.fixture
def book(tmp_path, database):
    """On drafts.db and on PostgreSQL (tests/drafts/conftest.py)."""
    instance = DraftBook(database or tmp_path / "drafts.db")
    yield instance
    instance.close()


def test_versions_autosave_and_diff(book):
    draft_id = book.create("关于128号提案的答复函", "提案原文", {"citations": []}, "第一稿", user="张三")
    assert book.autosave(draft_id, "第一稿，改了一句") == 1  # the working text's first change
    assert book.autosave(draft_id, "第一稿，改了一句") is None  # nothing new
    assert [v["number"] for v in book.versions(draft_id)] == [1]
    assert book.save_version(draft_id, "第二稿", user="李四") == 2
    assert book.get(draft_id).working_text == "第二稿" and book.get(draft_id).revision == 2
    assert "-第一稿" in book.diff(draft_id, 1, 2) and "+第二稿" in book.diff(draft_id, 1, 2)
    book.set_status(draft_id, "待审")
    assert book.list()[0]["status"] == "待审" and book.list()[0]["versions"] == 2
    with pytest.raises(AssistantError, match="状态只能是"):
        book.set_status(draft_id, "作废")


def test_the_list_names_a_draft_by_the_title_its_text_has_now(book):
    """A probe filled in 【待填：会议届次】 and the list still showed the title the draft was made with."""
    draft_id = book.create("关于【待填：会议届次】182号提案的答复函", "原文", {}, "# 关于【待填：会议届次】182号提案的答复函\n\n正文", user="张三")
    book.autosave(draft_id, "# 关于市政协十二届五次会议182号提案的答复函\n\n正文")
    assert book.get(draft_id).title == "关于市政协十二届五次会议182号提案的答复函"
    book.save_version(draft_id, "# 关于市政协十二届五次会议第182号提案的答复函\n\n正文")
    assert [d["title"] for d in book.list() if d["id"] == draft_id] == ["关于市政协十二届五次会议第182号提案的答复函"]
    book.autosave(draft_id, "只有正文，没有标题行")  # a text without its title line keeps the last one
    assert book.get(draft_id).title == "关于市政协十二届五次会议第182号提案的答复函"


def test_missing_draft_is_a_clear_error(book):
    with pytest.raises(AssistantError, match="不存在"):
        book.get(99)
    with pytest.raises(AssistantError, match="不存在"):
        book.autosave(99, "x")


def test_read_only_database_refuses_the_write_and_keeps_the_text(book):
    if book.dialect.name != "sqlite":
        pytest.skip("SQLite's query_only stands for a full disk; PostgreSQL's failures are tested in test_postgres.py")
    draft_id = book.create("t", "", {}, "已保存的内容")
    book._conn.execute("PRAGMA query_only = ON")  # what a read-only or full disk looks like to SQLite
    with pytest.raises(AssistantError, match="无法写入.*之前保存的内容未受影响"):
        book.save_version(draft_id, "新内容")
    book._conn.execute("PRAGMA query_only = OFF")
    assert book.get(draft_id).working_text == "已保存的内容"
    assert [v["number"] for v in book.versions(draft_id)] == [1]


def test_audit_log(book):
    book.audit("export", "draft#1", "答复函.docx", user="张三")
    assert book.audit_log()[0] == {"at": book.audit_log()[0]["at"], "user": "张三", "action": "export", "target": "draft#1", "detail": "答复函.docx"}


def test_an_edit_based_on_an_older_text_is_refused_not_overwritten(book):
    """Issue 23, finding 7: two tabs (or two servers) autosaving one draft — the first edit was lost."""
    from assistant.drafts.book import EditConflict

    draft_id = book.create("关于128号提案的答复函", "提案原文", {}, "第一稿", user="张三")
    base = book.get(draft_id).revision
    assert book.autosave(draft_id, "张三改的", base, user="张三") == base + 1
    with pytest.raises(EditConflict, match="此草稿已在别处修改（第 1 版后，张三") as conflict:  # 李四's tab still has the old text
        book.autosave(draft_id, "李四改的", base, user="李四")
    assert " / " in str(conflict.value) and "reload" in conflict.value.en
    with pytest.raises(EditConflict):
        book.save_version(draft_id, "李四改的", user="李四", base_revision=base)
    assert book.get(draft_id).working_text == "张三改的" and [v["number"] for v in book.versions(draft_id)] == [1]
    # after reloading, 李四 saves on the current text
    current = book.get(draft_id).revision
    assert book.save_version(draft_id, "张三改的，李四补充", user="李四", base_revision=current) == 2
    assert book.get(draft_id).revised_by == "李四"
