"""Users apart (issue 13, finding 5): with login on, user B's own session can neither list, open,
edit nor export user A's draft, until A shares it; with drafts_access=shared everyone sees all."""

from __future__ import annotations

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from ..conftest import ROOT
from .conftest import start_app

FINANCING = ROOT / "examples" / "proposal-financing.txt"
PASSWORDS = {"甲": "password-of-jia", "乙": "password-of-yi"}


@pytest.fixture(scope="module")
def users(tmp_path_factory):
    from assistant.users import add_user

    path = tmp_path_factory.mktemp("users") / "users.json"
    for name, password in PASSWORDS.items():
        add_user(path, name, password)
    return path


def sessions(url):
    return [Client(url, auth=(name, password), verbose=False) for name, password in PASSWORDS.items()]


def draft_by(client) -> tuple[int, str]:
    fields = client.predict("", handle_file(str(FINANCING)), api_name="/parse_proposal")
    draft_id, _, text, *_ = client.predict(*fields[:8], "partial", api_name="/generate_draft")
    return draft_id, text


def listed(client) -> list:
    table, _ = client.predict(api_name="/list_drafts")
    return [row[0] for row in table["data"] if row[0] not in ("", None)]


def test_b_cannot_reach_a_draft_until_it_is_shared(tmp_path, users):
    assistant, demo, url = start_app(tmp_path, users_file=users)
    try:
        a, b = sessions(url)
        draft_id, text = draft_by(a)
        assert listed(a) == [draft_id]
        assert listed(b) == []
        refused = f"无权访问草稿 #{draft_id}"
        calls = [
            ((str(draft_id),), "/open_draft"),
            ((str(draft_id),), "/draft_versions"),
            ((str(draft_id), "1", "1"), "/diff_versions"),
            ((draft_id, text, False, False), "/export_draft"),
            (("1 · 标题 · 段落", draft_id, text), "/insert_passage"),
            ((draft_id, "乙改写的内容"), "/autosave"),
            ((draft_id, "乙改写的内容"), "/save_draft"),
            ((str(draft_id), "待审"), "/set_status"),
            ((str(draft_id), "乙"), "/share_draft"),
            ((draft_id, text), "/check_draft"),
        ]
        for args, api_name in calls:
            with pytest.raises(AppError, match=refused):
                b.predict(*args, api_name=api_name)
        saved = assistant.drafts.get(draft_id)
        assert (saved.working_text, saved.status) == (text, "草稿")  # nothing B sent was kept
        assert [v["number"] for v in assistant.drafts.versions(draft_id)] == [1]
        assert not any(entry["action"] == "export" for entry in assistant.drafts.audit_log())
        # a draft that does not exist gets the very same answer: ids cannot be probed
        with pytest.raises(AppError, match="无权访问草稿 #9999"):
            b.predict("9999", api_name="/open_draft")

        # once A shares it, B's session lists, opens and exports it; the share is audited
        note = a.predict(str(draft_id), "乙", api_name="/share_draft")
        assert "乙" in note
        assert listed(b) == [draft_id]
        assert b.predict(str(draft_id), api_name="/open_draft")[2] == text
        path, *_ = b.predict(draft_id, text, True, False, api_name="/export_draft")
        assert path.endswith(".docx")
        assert any(e["action"] == "share" and e["user"] == "甲" and e["detail"] == "乙" for e in assistant.drafts.audit_log())
        # B may edit a draft shared with them, but only its owner (or an admin) shares it further
        with pytest.raises(AppError, match="只有创建人或管理员"):
            b.predict(str(draft_id), "乙", api_name="/share_draft")
    finally:
        demo.close()
        assistant.close()


def test_shared_office_sees_everything(tmp_path, users):
    assistant, demo, url = start_app(tmp_path, users_file=users, drafts_access="shared")
    try:
        a, b = sessions(url)
        draft_id, text = draft_by(a)
        assert listed(b) == [draft_id]
        assert b.predict(str(draft_id), api_name="/open_draft")[2] == text
        path, *_ = b.predict(draft_id, text, False, False, api_name="/export_draft")
        assert path.endswith(".docx")
    finally:
        demo.close()
        assistant.close()
