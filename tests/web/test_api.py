"""Every endpoint of the web app through gradio_client, against the real server on localhost."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError, AuthenticationError

from ..conftest import ROOT
from .conftest import start_app, upload_and_wait

FINANCING = ROOT / "examples" / "proposal-financing.txt"


def value_of(output):
    """A dropdown returned with new choices comes back as its update; the value is inside."""
    return output["value"] if isinstance(output, dict) else output


def test_parse_from_file_and_text(client):
    fields = client.predict("", handle_file(str(FINANCING)), api_name="/parse_proposal")
    text, title, number, session, proposers, role, kind, suggestions, note = fields
    assert title == "关于破解民营科技企业融资难题的提案" and number == "128" and session == "市政协十二届四次会议"
    assert proposers == "林志远、郑晓雯" and (role, kind) == ("委员", "提案")
    assert suggestions.split("\n")[0] == "创新科技信贷产品" and "全部字段" in note
    fields = client.predict("应加大研发投入力度。", None, api_name="/parse_proposal")
    assert fields[1] == "" and "标题" in fields[-1] and "不是中文" not in fields[-1]
    english = "Proposal on angel investment\nProposer: John Smith\nWe suggest establishing a municipal angel fund for early-stage firms."
    assert "原文大部分不是中文" in client.predict(english, None, api_name="/parse_proposal")[-1]  # the probe's English text drafted garbled leads
    note = client.predict("今天天气不错，我们去公园散步吧。", None, api_name="/parse_proposal")[-1]
    assert "不像提案或建议" in note and "does not look like a proposal" in note  # said at 解析, before 生成草稿 refuses


def test_generate_save_autosave_export(client, app, generated):
    assistant, _ = app
    _, (draft_id, label, text, citations, flags, lint, gap_pick, *_) = generated
    assert draft_id and f"草稿 #{draft_id}" in label and "再次生成将另存为新草稿" in label
    assert "### （一）关于“创新科技信贷产品”的建议。" in text
    assert "<details" in citations and "需核实" in flags
    assert "答复函·计划" in citations  # each citation names its source's role
    assert any(row[1] == "待填内容" for row in lint["data"])  # rule names in Chinese

    edited = text.replace("【待填：发文单位】", "温州市科学技术局（测试修改）")
    client.predict(draft_id, edited, api_name="/autosave")
    assert assistant.drafts.get(draft_id).working_text == edited  # nothing lost on refresh
    label, revision, *_ = client.predict(draft_id, edited, api_name="/save_draft")
    assert revision == 2  # the autosave, then the save
    assert "第 2 版" in label

    path, label, _, _ = client.predict(draft_id, edited, False, api_name="/export_draft")
    document = docx.Document(path)
    assert "温州市科学技术局（测试修改）" in [p.text for p in document.paragraphs]
    assert len(list(document.comments)) > 0
    assert Path(path).name.startswith("关于市政协十二届四次会议128号提案的答复函")
    assert assistant.drafts.get(draft_id).status == "已导出"
    assert any(a["action"] == "export" and a["target"] == f"draft#{draft_id}" for a in assistant.drafts.audit_log())


def test_a_suggestion_without_precedent_is_one_click_from_a_search(client, generated):
    _, (_, _, text, _, flags, _, gap_pick, *_) = generated
    # over the two seed letters some suggestion has no precedent: its section says so, the checks lead with it
    gaps = re.findall(r"【待补充：关于“(.+?)”的工作举措", text)
    assert gaps, text
    assert "未找到答复先例" in flags and flags.index("待补充") < flags.index("待填")
    gap = value_of(gap_pick)
    assert gap == gaps[0]
    query, html, *_ = client.predict(gap, api_name="/search_gap")
    assert query == gap and ("<div class='doc'>" in html or "未找到相关先例" in html)


def test_drafts_tab_versions_diff_reopen(client, generated):
    fields, (draft_id, _, text, *_) = generated
    client.predict(draft_id, text + "\n\n新增的一段。", api_name="/save_draft")
    versions, old, new = client.predict(str(draft_id), api_name="/draft_versions")
    numbers = [row[0] for row in versions["data"]]
    assert numbers == sorted(numbers) and len(numbers) >= 2
    diff = client.predict(str(draft_id), str(numbers[0]), str(numbers[-1]), api_name="/diff_versions")
    assert "diff-add" in diff and "新增的一段。" in diff
    reopened = client.predict(str(draft_id), api_name="/open_draft")
    assert reopened[0] == draft_id and reopened[2].endswith("新增的一段。")
    # the fields it was drafted from come back with it (title … suggestions, after the tab)
    assert list(reopened[-7:]) == list(fields[1:8]) and fields[1] and fields[7]
    table = client.predict(str(draft_id), "待审", api_name="/set_status")
    assert any(row[0] == draft_id and row[2] == "待审" for row in table["data"])


def test_search_groups_highlights_and_inserts(client, generated):
    html, documents, passages = client.predict("揭榜挂帅", "全部", None, None, "", 10, api_name="/search")
    assert "温科提复〔2024〕110号" in html and "温科提复〔2024〕106号" in html
    assert "<mark>揭榜挂帅</mark>" in html
    assert html.count("<div class='doc'>") == 2  # grouped by document
    html, *_ = client.predict("揭榜挂帅", "政策文件", None, None, "", 10, api_name="/search")
    assert "未找到相关先例" in html
    html, *_ = client.predict("揭榜挂帅", "全部", "2025", "2026", "", 10, api_name="/search")
    assert "未找到相关先例" in html
    html, *_ = client.predict("揭榜挂帅", "全部", "2024", "2024", "科学技术局", 10, api_name="/search")
    assert "温科提复" in html
    # a query nothing in the corpus speaks of: no list of random passages, but a count of what was held back
    html, *_ = client.predict("量子纠缠的猫", "全部", None, None, "", 10, api_name="/search")
    assert html.startswith("<p>未找到相关先例。</p>") and "<div class='doc'>" not in html
    html, *_ = client.predict("量子纠缠的猫", "全部", None, None, "", 10, "全部", True, api_name="/search")
    assert "<div class='doc'>" in html  # 显示更多 shows them, marked with their low relevance
    # only passages holding a next step (计划) of the earlier letters
    html, *_ = client.predict("揭榜挂帅", "全部", None, None, "", 10, "答复函·计划", api_name="/search")
    assert "答复函·计划" in html and html.count("<div class='passage'>") >= 1
    assert all("答复函·计划" in part for part in html.split("<div class='passage'>")[1:])
    html, first_source, _ = client.predict("揭榜挂帅", "全部", None, None, "", 10, api_name="/search")
    full = client.predict(value_of(first_source), api_name="/open_document")
    assert full.startswith("温科提复〔2024〕") and "揭榜挂帅" in full  # the whole letter, not a passage
    _, (draft_id, _, text, *_) = generated
    _, _, passage_choices = client.predict("拨投联动", "全部", None, None, "", 5, api_name="/search")
    choice = value_of(passage_choices)
    new_text, note, _ = client.predict(choice, draft_id, text, api_name="/insert_passage")
    blocks = [b for b in new_text.split("\n\n") if b.strip()]
    inserted = next(b for b in blocks if "拨投联动" in b and "[^c" in b and b not in text)
    assert blocks.index(inserted) < next(i for i, b in enumerate(blocks) if b.startswith("最后感谢"))  # never after the closing, nor after 抄送
    assert not inserted.startswith(("（", "一、", "二、")) and "联系人" not in inserted and "抄送" not in inserted  # its own sentences only
    assert "最后一节的末尾" in note
    # found by 以此检索先例 for a suggestion the draft left a 【待补充】 for: the passage takes that placeholder's place
    gap = re.search(r"【待补充：关于“([^”]+)”", new_text).group(1)
    _, _, passage_choices = client.predict(gap, "全部", None, None, "", 5, "全部", True, api_name="/search")
    filled, note, _ = client.predict(value_of(passage_choices), draft_id, new_text, None, None, gap, api_name="/insert_passage")
    assert f"【待补充：关于“{gap}”" not in filled and "待补充处" in note
    section = filled.split(f"关于“{gap}”的建议")[1].split("\n\n### ")[0].split("最后感谢")[0]
    assert "[^c" in section  # the passage, cited, under its own suggestion


def test_open_unknown_document_is_empty(client):
    assert client.predict("corpus/none.txt", api_name="/open_document") == ""


def test_upload_checks_content_and_names(client, app, tmp_path):
    assistant, _ = app
    good = tmp_path / "科技政策.txt"
    good.write_text("关于推行揭榜挂帅和拨投联动的实施意见。第一条 为了推进科技创新，制定本意见。", encoding="utf-8")
    binary = tmp_path / "fake.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    sneaky = tmp_path / "..%2F..%2Fevil.md"
    sneaky.write_text("# 标题\n\n正文内容足够长，用于测试路径穿越的文件名。", encoding="utf-8")
    results, documents, _, summary, *_ = upload_and_wait(client, [handle_file(str(good)), handle_file(str(binary)), handle_file(str(sneaky))])
    outcome = {row[0]: (row[1], row[2]) for row in results["data"]}
    assert outcome["科技政策.txt"][0] == "新增"
    assert outcome["fake.txt"][0] == "失败" and "二进制" in outcome["fake.txt"][1]
    uploads = Path(assistant.settings.corpus_dir) / "uploads"
    stored = sorted(p.name for p in uploads.iterdir())
    assert "科技政策.txt" in stored and all("/" not in n and not n.startswith(".") for n in stored)
    assert all(p.resolve().parent == uploads.resolve() for p in uploads.iterdir())
    sources = [row[0] for row in documents["data"]]
    assert any(s.endswith("科技政策.txt") for s in sources) and "文档" in summary

    target = next(s for s in sources if s.endswith("科技政策.txt"))
    documents, _, _, note = client.predict(target, api_name="/remove_document")
    assert target not in [row[0] for row in documents["data"]] and "已删除" in note
    assert not Path(target).exists()
    assert any(a["action"] == "delete_document" for a in assistant.drafts.audit_log())


def test_errors_are_clear(client):
    with pytest.raises(AppError, match="请先粘贴或上传提案内容"):
        client.predict("", "", "", "", "", None, None, "", "partial", api_name="/generate_draft")
    with pytest.raises(AppError, match="检索词不能为空"):
        client.predict("  ", "全部", None, None, "", 5, api_name="/search")


def test_login_required_when_users_are_configured(tmp_path):
    from assistant.users import add_user

    users = tmp_path / "users.json"
    add_user(users, "张三", "correct-horse-battery")
    assert "correct-horse" not in users.read_text(encoding="utf-8")  # stored hashed
    assert json.loads(users.read_text(encoding="utf-8"))["users"]["张三"].startswith("$argon2id$")
    assistant, demo, url = start_app(tmp_path, users_file=users)
    try:
        with pytest.raises(AuthenticationError, match="credentials were not provided"):
            Client(url, verbose=False).predict("揭榜挂帅", "全部", None, None, "", 5, api_name="/search")
        with pytest.raises(ValueError, match="Could not login") as refused:
            Client(url, auth=("张三", "wrong-password"), verbose=False)
        assert refused.type is ValueError  # the login's own refusal (400), not an error of the app
        authed = Client(url, auth=("张三", "correct-horse-battery"), verbose=False)
        html, *_ = authed.predict("揭榜挂帅", "全部", None, None, "", 5, api_name="/search")
        assert "温科提复" in html
    finally:
        demo.close()
        assistant.close()


def test_every_route_refuses_unauthenticated_calls(tmp_path):
    """With users configured, the page, the API description, the queue, uploads, files and every
    named endpoint answer 401 without a session; the session cookie is HttpOnly."""
    import httpx

    from assistant.users import add_user

    users = tmp_path / "users.json"
    add_user(users, "李四", "another-long-password")
    assistant, demo, url = start_app(tmp_path, users_file=users)
    try:
        endpoints = sorted(fn.api_name for fn in demo.fns.values() if fn.api_name and fn.api_visibility != "private")
        assert {"generate_draft", "export_draft", "search", "upload", "remove_document", "open_draft"} <= set(endpoints)
        refused = {}
        for name in endpoints:
            refused[f"call/{name}"] = httpx.post(f"{url}gradio_api/call/{name}", json={"data": []}).status_code
        for path in ("config", "gradio_api/info", "gradio_api/openapi.json"):
            refused[path] = httpx.get(url + path).status_code
        for path in ("gradio_api/queue/join", "gradio_api/upload"):
            refused[path] = httpx.post(url + path, json={}).status_code
        refused["file"] = httpx.get(f"{url}gradio_api/file={assistant.settings.corpus_dir}/温科提复〔2024〕110号.txt").status_code
        assert set(refused.values()) <= {401, 403}, refused
        login = httpx.post(url + "login", data={"username": "李四", "password": "another-long-password"})
        assert login.status_code == 200
        cookies = login.headers.get_list("set-cookie")
        assert cookies and all("HttpOnly" in c for c in cookies)
    finally:
        demo.close()
        assistant.close()


def test_gradio_analytics_are_off(app):
    """The running app itself reports analytics off (Gradio sends nothing at launch or per event)."""
    import httpx

    _, url = app
    assert httpx.get(url + "config").json()["analytics_enabled"] is False


def test_search_warnings_reach_the_search_tab(client, app):
    """Before: a shortened over-long query and the "FAISS rebuilt" notice were never shown there."""
    assistant, _ = app
    long_query = "揭榜挂帅" * (assistant.settings.query_max_chars // 4 + 50)
    html, *_ = client.predict(long_query, "全部", None, None, "", 5, api_name="/search")
    assert "class='warning'" in html and "截" in html
    assistant.corpus.backend._notices.append("向量索引文件缺失或已过期，已从数据库重建 / FAISS file missing, stale or corrupt: rebuilt from the database")
    html, *_ = client.predict("揭榜挂帅", "全部", None, None, "", 5, api_name="/search")
    assert "已从数据库重建" in html
    html, *_ = client.predict("揭榜挂帅", "全部", None, None, "", 5, api_name="/search")
    assert "已从数据库重建" not in html  # said once, not on every later search of a long-running server
