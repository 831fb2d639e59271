"""The web handlers called directly, without a server: each tab's handlers are plain methods over
the service, and a service error reaches the page as its Chinese/English message."""

from __future__ import annotations

from types import SimpleNamespace

import gradio as gr
import pytest

from assistant.corpus.ingest import run_all

from ..conftest import CORPUS, ROOT

ALICE = SimpleNamespace(username="alice")


@pytest.fixture
def ctx(assistant):
    from assistant.web.common import Context

    run_all(assistant.ingest([CORPUS]))
    return Context(assistant)


def test_draft_handlers_parse_generate_save_and_refuse_without_a_draft(ctx):
    from assistant.web.draft_tab import DraftHandlers

    handlers = DraftHandlers(ctx)
    text = (ROOT / "examples" / "proposal-financing.txt").read_text(encoding="utf-8")
    fields = handlers.parse(text, None, ALICE)
    assert fields[1] == "关于破解民营科技企业融资难题的提案" and fields[-1] == "已识别全部字段。"
    draft_id, label, markdown, *panels, revision = handlers.generate(*fields[:8], "partial", ALICE)
    assert f"草稿 #{draft_id}" in label and "答复函" in markdown and len(panels) == 6 and revision == 0
    assert "第 2 版" in handlers.save(draft_id, markdown + "\n补充一句。", None, ALICE)[0]
    with pytest.raises(gr.Error, match="请先生成或打开一份草稿"):
        handlers.save(None, markdown, None, ALICE)
    with pytest.raises(gr.Error, match="请先粘贴"):  # an AssistantError from the service, shown in the page
        handlers.generate("", "", "", "", "", None, None, "", "partial", ALICE)
    # 解析 with nothing pasted says so under the fields and changes none (a probe saw Error marks cover every box)
    empty = handlers.parse("  ", None, ALICE)
    assert all(value == gr.skip() for value in empty[:8]) and "请先粘贴或上传提案内容" in empty[-1]


def test_search_and_corpus_handlers(ctx):
    from assistant.web.corpus_tab import CorpusHandlers
    from assistant.web.search_tab import SearchHandlers

    html, documents, passages = SearchHandlers(ctx).search("揭榜挂帅", "全部", None, None, "", 5)
    assert "<mark>揭榜挂帅</mark>" in html
    # the file by its name (the path on hover), what found it in words, no retriever jargon
    assert "文件：温科提复〔2024〕110号.txt" in html and "bm25" not in html and ("关键词" in html or "语义" in html)
    assert len(documents.choices) == 2 and documents.value == documents.choices[0][1]  # both seed letters, the first chosen
    corpus = CorpusHandlers(ctx)
    rows, _, summary = corpus.documents_table()
    assert len(rows) == 2 and "文档 2 份" in summary
    with pytest.raises(gr.Error, match="不在索引中"):  # a folder is never removed from the web
        corpus.remove_document(str(CORPUS), True, ALICE)
    assert len(corpus.documents_table()[0]) == 2
    listed = rows[0][0]
    assert corpus.remove_document(listed, False, ALICE)[-1] == f"未删除：{listed}"  # the browser's 确定删除？ answered no
    assert len(corpus.documents_table()[0]) == 2


def test_the_corpus_tab_lists_copies_that_were_not_indexed(ctx, tmp_path):
    import shutil

    from assistant.web.corpus_tab import CorpusHandlers

    from ..conftest import SEED_110

    copy = tmp_path / "110号副本.txt"
    shutil.copy(SEED_110, copy)
    report = run_all(ctx.assistant.ingest([copy]))
    assert report.duplicate == 1
    rows, _, summary = CorpusHandlers(ctx).documents_table()
    assert len(rows) == 2 and "发现重复或旧版本文件 1 个" in summary
    assert "110号副本.txt（重复，内容见 温科提复〔2024〕110号.txt）" in summary


def test_an_assistant_error_becomes_a_page_error_that_stays_open():
    from assistant.errors import QueryError
    from assistant.web.common import handler

    @handler
    def failing(value, request=None):
        raise QueryError(f"无权访问草稿 #{value}", f"no access to draft #{value}")

    with pytest.raises(gr.Error) as raised:
        failing(7)
    assert "无权访问草稿 #7" in str(raised.value) and "no access to draft #7" in str(raised.value)
    assert raised.value.duration is None
    import inspect

    assert list(inspect.signature(failing).parameters) == ["value", "request"]  # what Gradio reads for its inputs


def test_the_page_greets_a_user_with_what_is_due_and_late(ctx, tmp_path):
    from datetime import date, timedelta

    assert ctx.season_greeting(None) == ""  # an empty register says nothing
    register = ctx.assistant.cases_service.register
    today = date.today()
    for number, due, assignee in (("1", today + timedelta(days=3), ""), ("2", today - timedelta(days=1), ""), ("3", today + timedelta(days=5), "乙")):
        register.put(
            {
                "kind": "提案",
                "session": "",
                "number": number,
                "title": f"关于第{number}件的提案",
                "proposers": [],
                "role": "主办",
                "assigned": today - timedelta(days=60),
                "due": due,
            }
        )
        if assignee:
            register.assign(register.find("提案", "", number).id, assignee)
    assert ctx.season_greeting(None) == "办理台账：1 件 7 日内到期，1 件已逾期"  # 乙's case is 乙's
    assert ctx.assistant.season_greeting("乙") == "办理台账：2 件 7 日内到期，1 件已逾期"


def test_times_are_local_and_the_status_is_shown_as_it_is(ctx, tmp_path):
    """Issue 26, item 6: raw UTC (2026-12-05T09:19:41+00:00) in the tables; 草稿 shown for a draft 已导出."""
    import re
    from datetime import datetime, timedelta, timezone

    from assistant.web.draft_tab import DraftHandlers
    from assistant.web.drafts_tab import DraftsHandlers

    draft_id = ctx.assistant.drafts.create("关于第1号提案的答复函", "提案", {}, "正文", user="alice")
    ctx.assistant.export_saved(draft_id, "正文", user="alice", directory=tmp_path)
    handlers = DraftsHandlers(ctx, DraftHandlers(ctx))
    rows, _ = handlers.drafts_table(ALICE)
    shown = rows[0][3]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", shown)
    stored = datetime.fromisoformat(ctx.assistant.drafts.get(draft_id).updated_at)
    assert shown == (stored.astimezone(timezone(timedelta(hours=8)))).strftime("%Y-%m-%d %H:%M")  # Asia/Shanghai
    versions, _, _ = handlers.versions(str(draft_id), ALICE)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", v[3]) for v in versions)
    assert handlers.status_of(str(draft_id), ALICE).value == "已导出"


def test_the_draft_pick_names_each_draft_and_keeps_its_number_as_the_value(ctx):
    """A probe found the 选择草稿 list showing bare numbers: each entry names its letter and status."""
    from assistant.web.draft_tab import DraftHandlers
    from assistant.web.drafts_tab import DraftsHandlers

    short = ctx.assistant.drafts.create("关于第1号提案的答复函", "提案", {}, "正文", user="alice")
    long = ctx.assistant.drafts.create("关于加快推进我市科技成果转移转化和产业化进程、进一步完善技术市场体系的提案的答复函", "提案", {}, "正文", user="alice")
    _, pick = DraftsHandlers(ctx, DraftHandlers(ctx)).drafts_table(ALICE)
    labels = dict((value, label) for label, value in pick.choices)
    assert labels[str(short)] == f"#{short} 关于第1号提案的答复函（草稿）"
    assert labels[str(long)].startswith(f"#{long} 关于加快推进") and "…（草稿）" in labels[str(long)] and len(labels[str(long)]) < 45
    assert pick.value in labels  # a number, as open_draft and the API take it


def test_a_draft_is_deleted_only_after_the_browser_asked_and_was_answered_yes(ctx):
    """A probe found no way to take a trial draft out of the 草稿 list: 删除草稿, after a confirm."""
    from assistant.web.draft_tab import DraftHandlers
    from assistant.web.drafts_tab import DraftsHandlers

    kept = ctx.assistant.drafts.create("关于第1号提案的答复函", "提案", {}, "正文", user="alice")
    trial = ctx.assistant.drafts.create("关于第2号提案的答复函", "提案", {}, "试一试", user="alice")
    handlers = DraftsHandlers(ctx, DraftHandlers(ctx))
    assert handlers.delete_draft(str(trial), False, ALICE)[-1] == f"未删除草稿 #{trial}"  # 确定删除？ answered no
    assert {r[0] for r in handlers.drafts_table(ALICE)[0]} >= {kept, trial}
    rows, pick, note = handlers.delete_draft(str(trial), True, ALICE)
    assert note == f"已删除草稿 #{trial}" and trial not in {r[0] for r in rows} and kept in {r[0] for r in rows}
    assert str(trial) not in {value for _, value in pick.choices}
    assert any(entry["action"] == "delete_draft" and entry["target"] == f"draft#{trial}" for entry in ctx.assistant.drafts.audit_log())
    with pytest.raises(gr.Error, match="请选择草稿"):
        handlers.delete_draft("", True, ALICE)


def test_who_made_a_draft_is_said_without_login_too(ctx):
    """Without accounts the 创建人 and 修改人 cells were blank: they say so."""
    from assistant.web.draft_tab import DraftHandlers
    from assistant.web.drafts_tab import DraftsHandlers
    from assistant.web.render import NO_LOGIN

    draft_id = ctx.assistant.drafts.create("关于第1号提案的答复函", "提案", {}, "正文", user="")
    handlers = DraftsHandlers(ctx, DraftHandlers(ctx))
    rows, _ = handlers.drafts_table(None)
    assert [r[4] for r in rows if r[0] == draft_id] == [NO_LOGIN]
    versions, _, _ = handlers.versions(str(draft_id), None)
    assert versions and all(v[2] == NO_LOGIN for v in versions)
    ctx.assistant.drafts.save_version(draft_id, "正文改过", user="")
    assert handlers.diff(str(draft_id), "1", "2", None).count(NO_LOGIN) == 2  # the comparison's heads say it too


def test_an_ask_the_rules_miss_is_listed_by_the_second_reading_and_marked_under_parse(assistant, monkeypatch):
    from assistant.letter import ask_reader
    from assistant.web.common import Context
    from assistant.web.draft_tab import DraftHandlers

    from ..letter.test_ask_reader import UNMARKED_ASK, reader_of

    monkeypatch.setattr(ask_reader, "bundled_reader", lambda: reader_of("建议", "技术培训"))
    handlers = DraftHandlers(Context(assistant))
    fields = handlers.parse(UNMARKED_ASK, None, ALICE)
    lines = fields[7].split("\n")
    assert len(lines) == 3 and lines[1].startswith("村里的干部群众")  # listed where the text puts it
    assert "建议条目（2）" in fields[-1] and "第二次阅读补入" in fields[-1]  # and marked as the model's line
    monkeypatch.setattr(assistant.settings, "reading_adds_asks", False)  # off: the rules' list, the doubt named
    fields = handlers.parse(UNMARKED_ASK, None, ALICE)
    assert len(fields[7].split("\n")) == 2 and "未列入建议条目" in fields[-1] and "第二次阅读补入" not in fields[-1]


def test_the_parse_note_follows_the_fields_as_edited(ctx):
    from assistant.web.draft_tab import DraftHandlers

    from ..letter.test_ask_reader import LISTED

    handlers = DraftHandlers(ctx)
    fields = handlers.parse(LISTED, None, ALICE)
    lines, note = fields[7].split("\n"), fields[-1]
    assert "解析复核" not in note and "提案人" not in note
    # the 承办人 deletes a line: leaving the box names it as a doubt (the note from 解析 did not)
    shortened = (*fields[:7], "\n".join([lines[0], lines[2]]))
    assert "解析复核" in handlers.recheck(*shortened)
    # and clears the proposer: the field is said to be missing, until typed in again
    assert "提案人" in handlers.recheck(*fields[:4], "", *fields[5:8])
    rechecked = handlers.recheck(*fields[:4], "王明", *fields[5:8])
    assert "解析复核" not in rechecked and "提案人" not in rechecked
    assert handlers.recheck("", "", "", "", "", None, None, "") == gr.skip()  # before anything is pasted
    assert handlers.recheck("", "标题", "", "", "王明", None, None, "一条建议") == gr.skip()  # fields typed first: no error on leaving one


def test_the_second_readings_doubts_under_parse_and_the_missed_ask_added_in_one_click(ctx):
    from assistant.web.draft_tab import DraftHandlers

    from ..letter.test_ask_reader import LISTED

    handlers = DraftHandlers(ctx)
    fields = handlers.parse(LISTED, None, ALICE)
    lines = fields[7].split("\n")
    assert len(lines) == 3 and "解析复核" not in fields[-1]
    # the 承办人 (or the rules) lost the second: the note says which sentence, and the button puts it back
    fields = (*fields[:7], "\n".join([lines[0], lines[2]]))
    suggestions, note = handlers.add_missed(*fields)
    assert suggestions.split("\n") == lines and "已按原文顺序补入 1 条疑似遗漏的建议：（2）" in note  # where the text has it
    assert "未能识别" in note and "解析复核" not in note  # the parse note stays, its doubt answered
    assert handlers.add_missed(*fields[:7], "") == (gr.skip(), gr.skip())  # before 解析提案: nothing thrown away
    draft_id, label, *_ = handlers.generate(*fields, "partial", ALICE)
    assert "解析复核" in label and "共享中试基地" in label  # drafting with the list short says so too
    assert handlers.add_missed(*fields[:7], suggestions) == (gr.skip(), gr.skip())  # nothing left to add: the box kept as it is


def test_a_field_changed_after_drafting_is_said_not_to_change_the_draft(ctx):
    """The probe fixed a proposer's name after 生成草稿 and looked for it in the letter: the note says the
    draft was made from the fields before, and which differ; fields as drafted say nothing of the kind."""
    from assistant.web.draft_tab import DraftHandlers

    handlers = DraftHandlers(ctx)
    text = (ROOT / "examples" / "proposal-financing.txt").read_text(encoding="utf-8")
    fields = handlers.parse(text, None, ALICE)
    draft_id, *_ = handlers.generate(*fields[:8], "partial", ALICE)
    assert "修改前的字段" not in handlers.recheck(*fields[:8], draft_id, ALICE)
    note = handlers.recheck(*fields[:4], "林志远", *fields[5:8], draft_id, ALICE)
    assert f"草稿 #{draft_id} 是按修改前的字段生成的（已改：提案人）" in note and "生成草稿" in note
    edited = handlers.recheck(fields[0], "关于另一件事的提案", *fields[2:7], fields[7] + "\n新增一条建议", draft_id, ALICE)
    assert "（已改：标题、建议条目）" in edited
    assert "修改前的字段" not in handlers.recheck(*fields[:4], "林志远", *fields[5:8], None, ALICE)  # no draft open: nothing to compare
    # another proposal pasted and being read while the draft is still open: its fields are not that draft's
    assert "修改前的字段" not in handlers.recheck("关于另一件事的提案\n提案人：王明\n建议建设科普基地。", *fields[1:8], draft_id, ALICE)
    assert "修改前的字段" not in handlers.recheck(*fields[:8], 999_999, ALICE)  # a draft gone since: no error on leaving a field


def test_a_text_that_is_no_proposal_is_refused_when_drafted(ctx):
    from assistant.web.draft_tab import DraftHandlers

    handlers = DraftHandlers(ctx)
    fields = handlers.parse("今天天气不错，我们去公园散步吧。", None, ALICE)
    assert "不像提案或建议" in fields[-1]
    with pytest.raises(gr.Error, match="不像提案或建议"):
        handlers.generate(*fields[:8], "partial", ALICE)
    typed = (*fields[:7], "建设科普基地")  # the 承办人 types the ask: it drafts
    assert "答复函" in handlers.generate(*typed, "partial", ALICE)[2]


def test_the_unit_is_named_in_the_register_tab(ctx, tmp_path, monkeypatch):
    from assistant.web.cases_tab import CasesHandlers

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(ctx.assistant.settings, "issuing_unit", "")
    handlers = CasesHandlers(ctx, None)
    with pytest.raises(gr.Error, match="中文全称"):
        handlers.set_unit("", ALICE)
    assert "已设置本单位名称：温州市科学技术局" in handlers.set_unit("温州市科学技术局", ALICE)
    assert ctx.assistant.settings.issuing_unit == "温州市科学技术局" and "ISSUING_UNIT=温州市科学技术局" in (tmp_path / ".env").read_text(encoding="utf-8")


def test_the_full_text_pick_names_documents_and_the_passage_follows_it(ctx):
    """A probe saw file paths in 查看全文, and after choosing another document there the 选择段落 still held a
    passage of the first — inserted by mistake. Documents are named by title (文号); a passage of another document
    is cleared, to be chosen again."""
    from assistant.web.search_tab import SearchHandlers

    handlers = SearchHandlers(ctx)
    _, documents, passages, *_ = handlers.search("揭榜挂帅", "全部", None, None, None, 10)
    labels = dict((value, label) for label, value in documents.choices)
    assert len(labels) >= 2 and all("/" not in label and "温科提复" in label for label in labels.values())
    first, second = list(labels)[:2]
    assert documents.value == first and passages.value.endswith(f" · {first}")
    assert all(label.split(" · ")[0] == value.split(" · ")[0] for label, value in passages.choices)  # the chunk the insert takes
    assert handlers.follow_document(second, passages.value).value is None  # another document's passage: cleared
    assert handlers.follow_document(first, passages.value) == gr.skip()  # one of its own: left
