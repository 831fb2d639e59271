"""Every input a request carries has a bound (issue 23, finding 4), control characters never stop
an export (finding 5), and no raw exception text reaches a page (finding 8)."""

from __future__ import annotations

import pytest

from assistant.corpus.ingest import run_all
from assistant.errors import AssistantError

from .conftest import CORPUS

PROPOSAL = "关于科技创新的提案\n提案人：张三\n建议：一是加大投入。二是完善机制。"


@pytest.fixture
def seeded(assistant):
    run_all(assistant.ingest([CORPUS]))
    return assistant


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("suggestions", "\n".join(f"第{n}条建议" for n in range(10_000)), "建议条目过多（10,000 条，上限 40 条）"),
        ("suggestions", "加大投入" * 1000, "单条建议过长（4,000 字，上限 2,000 字）"),
        ("title", "关于" * 200, "标题过长"),
        ("number", "1" * 400, "编号过长"),
        ("session", "届" * 400, "会议届次过长"),
        ("proposers", "、".join(["张三"] * 200), "提案人过长"),
    ],
)
def test_each_proposal_field_is_bounded(seeded, field, value, message):
    fields = {"title": "关于科技创新的提案", "suggestions": "加大投入\n完善机制", field: value}
    with pytest.raises(AssistantError, match=message) as info:
        seeded.proposal_from_fields(PROPOSAL, **fields)
    assert " / " in str(info.value)


@pytest.mark.parametrize(
    "filters, message",
    [
        ({"unit": "局" * 400}, "发文单位筛选过长"),
        ({"year_from": 20240}, "起始年份应在 1949–2100 之间"),
        ({"year_to": -5}, "截止年份应在 1949–2100 之间"),
        ({"k": 100_000}, "条数应在 1–100 之间"),
    ],
)
def test_search_filters_are_bounded(seeded, filters, message):
    with pytest.raises(AssistantError, match=message):
        seeded.search("揭榜挂帅", **filters)


def test_a_draft_text_is_bounded_on_save_autosave_and_export(seeded):
    draft_id, text, _ = seeded.start_draft(seeded.parse_proposal(PROPOSAL))
    huge = text + "字" * 200_001
    for call in (lambda: seeded.autosave_draft(draft_id, huge, ""), lambda: seeded.save_draft(draft_id, huge, ""), lambda: seeded.export_saved(draft_id, huge)):
        with pytest.raises(AssistantError, match="草稿正文过长"):
            call()
    assert seeded.drafts.get(draft_id).working_text == text  # nothing written


def test_control_characters_are_cleaned_on_save_and_never_stop_an_export(seeded, tmp_path):
    """Word's soft return pasted into the editor arrives as a vertical tab; a page break as a form
    feed: saved, then every export failed with lxml's English “All strings must be XML compatible”."""
    import docx

    draft_id, text, _ = seeded.start_draft(seeded.parse_proposal(PROPOSAL))
    pasted = text.replace("感谢", "感\x0b谢", 1).replace("收悉。", "收悉。补\x08充一段\x0c第二页。", 1)
    assert seeded.autosave_draft(draft_id, pasted, "") is not None
    stored = seeded.drafts.get(draft_id).working_text
    assert not any(ch in stored for ch in "\x0b\x0c\x08") and "感\n谢" in stored and "补充一段\n第二页。" in stored
    path = seeded.export_saved(draft_id, pasted, directory=tmp_path)  # the text as the page holds it, still dirty
    paragraphs = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "第二页。" in paragraphs


def test_the_cli_exports_a_markdown_file_with_control_characters(seeded, tmp_path):
    from typer.testing import CliRunner

    from assistant.cli import app
    from assistant.letter.markdown import draft_to_markdown

    draft = seeded.draft(PROPOSAL)
    source = tmp_path / "draft.md"
    source.write_text(draft_to_markdown(draft).replace("感谢", "感\x0b谢", 1), encoding="utf-8")
    result = CliRunner().invoke(app, ["export", str(source), "-o", str(tmp_path / "out.docx")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.docx").exists()


def test_the_page_never_shows_a_raw_exception(seeded):
    import gradio as gr

    from assistant.web.common import Context, handler
    from assistant.web.draft_tab import DraftHandlers
    from assistant.web.drafts_tab import DraftsHandlers

    ctx = Context(seeded)
    draft_id, _, _ = seeded.start_draft(seeded.parse_proposal(PROPOSAL))
    handlers = DraftsHandlers(ctx, DraftHandlers(ctx))
    opened = handlers.open_draft(f"{draft_id}.0", None)  # what a Number sends: once “invalid literal for int()”
    assert opened[0] == draft_id

    @handler
    def broken(value, request=None):
        raise KeyError("drafts.working_text")  # a fault of ours

    with pytest.raises(gr.Error) as raised:
        broken(1)
    assert "程序内部错误" in str(raised.value) and "working_text" not in str(raised.value)


def test_export_and_insert_never_write_over_a_newer_text(seeded, tmp_path):
    """Found by re-running the probe: an export (or an inserted passage) from a page with an older
    text wrote it over an edit made elsewhere, and an insert slipped past the draft-size bound."""
    from assistant.drafts.book import EditConflict

    draft_id, text, _ = seeded.start_draft(seeded.parse_proposal(PROPOSAL))
    stale = seeded.get_draft(draft_id, "").revision
    seeded.autosave_draft(draft_id, text + "\n\n另一窗口的修改。", "", base_revision=stale)
    exports = tmp_path / "exports"
    exports.mkdir()
    with pytest.raises(EditConflict):
        seeded.export_saved(draft_id, text, directory=exports, base_revision=stale)
    chunk = seeded.search("揭榜挂帅", k=1).results[0].chunk_id
    with pytest.raises(EditConflict):
        seeded.insert_passage(draft_id, text, chunk, base_revision=stale)
    assert seeded.get_draft(draft_id, "").working_text.endswith("另一窗口的修改。")
    assert not list(exports.iterdir())  # nothing exported either
    with pytest.raises(AssistantError, match="草稿正文过长"):
        seeded.insert_passage(draft_id, "字" * 1_000_000, chunk)
