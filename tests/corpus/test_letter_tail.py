"""A reply letter's closing is never a search result (issue 26): 套话, the 联系人's name and phone and the 抄送
list stay in the document (its full text opens whole) but are not cut into passages; and the 相关度 shown
means the same for every hit: 高 / 中 from the query's own floor, 低 only below it."""

from __future__ import annotations

from assistant.corpus.ingest import run_all
from assistant.corpus.letters import body_end

from ..conftest import CORPUS, SEED_110


def test_the_closing_starts_at_the_thanks_after_the_salutation():
    text = SEED_110.read_text(encoding="utf-8")
    tail = text[body_end(text) :]
    assert tail.startswith("最后感谢您对我市民营企业科技创新工作的关心和支持") and "项秋霞" in tail and "抄送" in tail
    assert "项秋霞" not in text[: body_end(text)]
    assert body_end("关于感谢的提案\n\n张三委员：\n\n正文一句。") == len("关于感谢的提案\n\n张三委员：\n\n正文一句。")  # no closing: all of it


def test_search_never_returns_a_letters_tail(assistant):
    assert not run_all(assistant.ingest([CORPUS])).errors
    for query in ("联系人 项秋霞 联系电话", "抄送 市府办 市政协提案委", "感谢您对我市科技创新工作的关心和支持"):
        response = assistant.search(query, k=20, show_all=True)
        assert not [r for r in response.results if "项秋霞" in r.text or "抄送" in r.text or "关心和支持" in r.text], query
    document = assistant.document(next(d["source"] for d in assistant.documents() if "110号" in d["title"]))
    assert "项秋霞" in document["text"]  # the letter itself is whole


def test_relevance_is_judged_against_the_querys_own_floor(assistant):
    run_all(assistant.ingest([CORPUS]))
    shown = assistant.search("揭榜挂帅", k=10)
    everything = assistant.search("揭榜挂帅", k=10, show_all=True)
    assert shown.results and {shown.relevance(r) for r in shown.results} <= {"高", "中"}
    for r in everything.results:
        expected = "低" if r.match < everything.floor else ("高" if r.match >= everything.floor + (1 - everything.floor) / 2 else "中")
        assert everything.relevance(r) == expected
    assert {r["relevance"] for r in everything.to_dict()["results"]} <= {"高", "中", "低"}


def test_a_body_line_that_starts_with_thanks_or_contact_is_not_the_closing():
    letter = (
        "关于x的答复函\n张三委员：\n感谢您对我市教育工作的关心和支持！您提出的提案收悉，现答复如下：\n一、工作举措\n"
        "联系人制度已在全市推开。\n感谢市财政局大力支持，我市投入资金1亿元。\n二、下一步\n我们将继续推进。\n"
        "最后感谢您的关心和支持。\n联系人：李四，联系电话：88960000。\n\n温州市科学技术局\n2026年12月5日\n抄送：市府办。\n"
    )
    body = letter[: body_end(letter)]
    assert body.endswith("我们将继续推进。\n") and "感谢市财政局大力支持" in body and "联系人制度已在全市推开" in body
    assert "李四" not in body and "抄送" not in body
