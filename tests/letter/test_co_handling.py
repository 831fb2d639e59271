"""The 会办意见 (issue 25, point 5): when we are 会办, the letter goes to the lead unit, not the proposer —
drafted from the same precedents in prompts/letter/co_handling's wording, held to its genre by lint and
review, exported as a letter and read back from Word as one."""

from __future__ import annotations

import re
from datetime import date

import pytest
from docx import Document
from typer.testing import CliRunner

from assistant.cli import app
from assistant.genre.patterns import TO_PROPOSER, self_reference
from assistant.letter.export import export_docx
from assistant.letter.lint import lint_text
from assistant.letter.markdown import draft_to_markdown, markdown_to_draft
from assistant.letter.proposal import parse_proposal
from assistant.letter.review import review_draft
from assistant.letter.word_import import import_docx

PROPOSAL = """关于加快科技成果转化促进青年人才就业的提案

市政协十二届四次会议 第56号提案
提案人：王丽

近年来我市高校毕业生留温就业比例不高，科技成果转化平台吸纳青年人才能力不足。为此建议：
一、加大科技企业孵化器建设力度，为青年创业提供场地和服务。
二、完善技术经纪人队伍建设，促进科技成果转化。
三、提高高校毕业生就业补贴标准。
"""
TITLE = "关于市政协十二届四次会议第56号提案的会办意见"


@pytest.fixture
def opinion(seed_assistant):
    seed_assistant.settings.issuing_unit = "温州市科学技术局"
    return seed_assistant.draft(parse_proposal(PROPOSAL), use_llm=False, lead_unit="市人力社保局")


def test_drafted_to_the_lead_unit_from_the_same_precedents(opinion):
    roles = [p.role for p in opinion.paragraphs]
    texts = {p.role: p.text for p in opinion.paragraphs}
    assert opinion.letter_kind == "会办意见" and opinion.proposal["lead_unit"] == "市人力社保局"
    assert texts["title"] == TITLE and texts["salutation"] == "市人力社保局："
    assert texts["opening"].startswith("贵单位主办的市政协十二届四次会议第56号提案《关于加快科技成果转化促进青年人才就业的提案》收悉。我局")
    assert "doc_number" not in roles and "cc" not in roles  # no 文号 placeholder, no 抄送 to the proposer's bodies
    assert roles[-3:] == ["contact", "signature", "date"] and texts["signature"] == "温州市科学技术局"
    assert texts["closing"] == "以上意见，供贵单位答复时参考。"
    # our measures and plans, cited, one section per suggestion; nothing said to the proposer
    assert [p.text for p in opinion.paragraphs if p.role == "heading1"] == ["一、工作开展情况", "二、下一步工作打算"]
    assert sum(p.role == "heading2" for p in opinion.paragraphs) == 3
    assert any(p.citations for p in opinion.paragraphs if p.section.startswith("plan:"))
    assert not [p.text for p in opinion.paragraphs if TO_PROPOSER.search(p.text) and p.role != "contact"]


def test_a_suggestion_outside_our_remit_says_it_may_be_dropped(opinion):
    gaps = [p.text for p in opinion.paragraphs if p.text.startswith("【待补充")]
    assert gaps and all("如不涉及我局职责，可删去本条" in g for g in gaps)


def test_the_reply_is_unchanged_without_a_lead_unit(seed_assistant):
    reply = seed_assistant.draft(parse_proposal(PROPOSAL), use_llm=False)
    assert reply.letter_kind == "答复函" and reply.paragraphs[0].role == "doc_number"
    assert any(p.role == "cc" for p in reply.paragraphs) and "王丽委员：" in reply.text()


def test_markdown_round_trip_keeps_the_genre(opinion):
    back = markdown_to_draft(draft_to_markdown(opinion), opinion)
    assert back.letter_kind == "会办意见"
    assert [(p.role, p.text) for p in back.paragraphs] == [(p.role, p.text) for p in opinion.paragraphs]


def test_lint_holds_it_to_its_genre(opinion):
    markdown = draft_to_markdown(opinion)
    assert not [f for f in lint_text(markdown) if f.rule.startswith("co_handling")]
    wrong = markdown.replace("市人力社保局：", "王丽委员：").replace("以上意见，供贵单位答复时参考。", "感谢您对我市科技工作的关心和支持。")
    found = {f.rule: f for f in lint_text(wrong)}
    lines = wrong.split("\n")
    assert lines[found["co_handling_addressee"].line - 1] == "王丽委员："
    assert "感谢您" in lines[found["co_handling_tone"].line - 1]
    no_contact = "\n".join(line for line in markdown.split("\n") if not line.startswith("联系人"))
    assert "co_handling_contact" in {f.rule for f in lint_text(no_contact)}
    # a reply letter may thank the proposer
    assert not [f for f in lint_text("关于市政协十二届三次会议74号提案的答复函\n\n谢新宇委员：\n\n感谢您的关心和支持。") if f.rule.startswith("co_handling")]


def test_review_finds_the_wrong_genre_and_leaves_the_class_to_the_lead_unit(opinion):
    suggestions = parse_proposal(PROPOSAL).suggestions
    clean = review_draft(opinion, suggestions=suggestions, handling_class="A", class_names={"A": "已解决或采纳"}, today=date(2026, 12, 5))
    assert not [f for f in clean.findings if f.check == "genre"]
    assert any("会办意见不定办理结果类别" in n for n in clean.notes) and not [f for f in clean.findings if f.check == "class"]
    # a suggestion we left to the lead unit is a note, not a problem (an empty 一、 still is one)
    per_suggestion = [f for f in clean.findings if f.check == "coverage" and f.message.startswith("建议“")]
    assert per_suggestion and {f.severity for f in per_suggestion} == {"提示"}
    assert all("会办意见只需就涉及本单位职责的部分提出意见" in f.message for f in per_suggestion)
    text = draft_to_markdown(opinion).replace("以上意见，供贵单位答复时参考。", "您的提案具有很强的现实意义，感谢您的关心。")
    wrong = markdown_to_draft(text, opinion)
    genre = [f for f in review_draft(wrong, suggestions=suggestions, today=date(2026, 12, 5)).findings if f.check == "genre"]
    assert len(genre) == 1 and genre[0].severity == "问题" and text.split("\n")[genre[0].line - 1].startswith("您的提案")


def test_exported_as_a_letter_and_read_back_from_word(opinion, tmp_path):
    path = export_docx(opinion, tmp_path / "会办意见.docx")
    lines = [p.text for p in Document(str(path)).paragraphs if p.text.strip()]
    assert lines[0] == "关于市政协十二届四次会议第56号提案的\n会办意见"  # broken before 会办意见, as the seed titles before 答复函
    assert lines[1] == "市人力社保局：" and not any(re.match(r"^抄\s*送", line) for line in lines)
    back = import_docx(path, opinion).draft
    assert back.letter_kind == "会办意见"
    roles = {p.text: p.role for p in back.paragraphs}
    assert roles[TITLE] == "title" and roles["市人力社保局："] == "salutation" and roles["以上意见，供贵单位答复时参考。"] == "closing"


def test_self_reference_follows_the_unit():
    assert [self_reference(u) for u in ("温州市科学技术局", "温州市发展和改革委员会", "市政府办公室", "某某")] == ["我局", "我委", "我办", "我单位"]


runner = CliRunner()


def test_cli_asks_for_both_flags(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLY_ASSISTANT_EMBEDDING_MODEL", "hash:64")
    monkeypatch.setenv("REPLY_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    proposal = tmp_path / "p.txt"
    proposal.write_text(PROPOSAL, encoding="utf-8")
    index = ["--index", str(tmp_path / "index")]
    alone = runner.invoke(app, ["draft", str(proposal), "--lead-unit", "市人力社保局", *index])
    assert alone.exit_code == 2 and "--co-handling" in alone.output
    missing = runner.invoke(app, ["draft", str(proposal), "--co-handling", *index])
    assert missing.exit_code == 2 and "主办单位" in missing.output
    ok = runner.invoke(app, ["draft", str(proposal), "--co-handling", "--lead-unit", "市人力社保局", *index])
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.startswith(f"# {TITLE}\n\n市人力社保局：")


def test_any_lead_unit_is_its_addressee_and_our_own_words_are_not_the_wrong_genre(opinion, tmp_path):
    """A 会办意见 to 市总工会 or 温州大学 keeps its salutation through Markdown, lint and Word; 在省科技厅的关心和
    支持下 and 具有示范意义 in our own measures are not words to the proposer."""
    markdown = draft_to_markdown(opinion)
    for unit in ("市总工会", "温州大学", "市消防救援支队"):
        text = markdown.replace("市人力社保局：", f"{unit}：")
        back = markdown_to_draft(text, opinion)
        assert [p.role for p in back.paragraphs][:3] == ["title", "salutation", "opening"]
        assert not [f for f in lint_text(text) if f.rule == "co_handling_addressee"]
        word = import_docx(export_docx(back, tmp_path / f"{unit}.docx"), opinion).draft
        assert next(p.text for p in word.paragraphs if p.role == "salutation") == f"{unit}："
    ours = markdown.replace("以上意见，供贵单位答复时参考。", "在省科技厅的关心和支持下，该平台具有重要的示范意义。\n\n以上意见，供贵单位答复时参考。")
    assert not [f for f in lint_text(ours) if f.rule == "co_handling_tone"]
    titled = markdown.replace(f"# {TITLE}", "# 关于市政协十二届四次会议第56号提案会办意见的函")
    assert markdown_to_draft(titled).letter_kind == "会办意见"


def test_cli_refuses_a_class_for_a_co_handling_opinion(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLY_ASSISTANT_EMBEDDING_MODEL", "hash:64")
    monkeypatch.setenv("REPLY_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    proposal = tmp_path / "p.txt"
    proposal.write_text(PROPOSAL, encoding="utf-8")
    result = runner.invoke(app, ["draft", str(proposal), "--co-handling", "--lead-unit", "市人力社保局", "--class", "A", "--index", str(tmp_path / "i")])
    assert result.exit_code == 2 and "会办意见不定办理结果类别" in result.output
