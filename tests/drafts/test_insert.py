"""插入当前草稿 (issue 26): what of a passage goes in, and where."""

from __future__ import annotations

from assistant.drafts.service import _insert_at_section_end, passage_sentences

LETTER = """# 关于x的答复函

张三委员：

您提出的提案收悉，现答复如下：

## 一、工作举措及成效

已做的事。

## 二、下一步工作计划

### （一）关于“甲”的建议。

甲的计划。

### （二）关于“乙”的建议。

乙的计划。

最后感谢您的关心和支持。

联系人：李四。

温州市科学技术局

2026年12月5日

抄送：市府办。
"""


def blocks(text: str) -> list[str]:
    return [b for b in text.split("\n\n") if b.strip()]


def test_only_the_passages_own_sentences_go_in():
    reply = (
        "（三）关于“优化创新生态”的建议。\n我们将持续优化创新生态。\n联系人制度已推开。\n最后感谢您的关心和支持。\n"
        "联系人：项秋霞，联系电话：88962072。\n温州市科学技术局\n2024年6月27日\n抄送：市府办。"
    )
    assert passage_sentences(reply) == "我们将持续优化创新生态。联系人制度已推开。"
    article = "第五条 支持方式如下：\n（一）对新认定的企业给予20万元奖励；\n（二）对复核通过的给予10万元奖励。"
    assert passage_sentences(article, "policy") == article.replace("\n", "")  # a regulation's items are its content
    assert passage_sentences("二、下一步工作计划\n最后感谢您的关心和支持。") == ""


def test_at_the_end_of_the_section_being_edited_never_after_the_closing():
    line_in_first = LETTER.split("\n").index("甲的计划。") + 1
    placed = blocks(_insert_at_section_end(LETTER, "插入的段落。[^c9]", line_in_first))
    assert placed[placed.index("插入的段落。[^c9]") + 1] == "### （二）关于“乙”的建议。"
    for caret in (None, 1, 3, len(LETTER.split("\n"))):  # none, the title, the salutation, 抄送: the last section's end
        placed = blocks(_insert_at_section_end(LETTER, "插入的段落。[^c9]", caret))
        assert placed[placed.index("插入的段落。[^c9]") - 1] == "乙的计划。" and placed[-1] == "抄送：市府办。\n"


def test_an_inserted_article_of_an_old_regulation_asks_to_confirm_its_version(assistant, tmp_path):
    """A probe inserted a 2011 article from search: the drafted basis lines asked to confirm an old version, the
    inserted one did not. An inserted passage of articles is cited as 条文 and asks the same."""
    from assistant.corpus.ingest import run_all

    docs = tmp_path / "docs"
    docs.mkdir()
    regulation = "# 浙江省科学技术进步条例\n\n第十条 县级以上人民政府应当支持科技特派员下乡服务。\n"
    (docs / "浙江省科学技术进步条例(2011-05-25).md").write_text(regulation, encoding="utf-8")
    assert not run_all(assistant.ingest([docs])).errors
    draft_id = assistant.drafts.create("关于x的答复函", "提案", {}, LETTER, user="")
    chunk = assistant.search("科技特派员", k=1).results[0].chunk_id
    text = assistant.insert_passage(draft_id, LETTER, chunk, at_line=LETTER.split("\n").index("甲的计划。") + 1)
    draft = assistant.edited_draft(draft_id, text)
    [cited] = [c for c in draft.citations if c.chunk_id == chunk]
    assert cited.role == "条文" and cited.kind_label == "政策依据"
    assert any(f.kind == "version" and "2011年版本" in f.message for f in draft.flags)
