"""Structural chunking of Chinese official text."""

from __future__ import annotations

import re

from assistant.corpus.chunking import chunk_text
from assistant.genre.headings import heading_kind
from assistant.genre.sentences import split_sentences

from ..conftest import SEED_106, SEED_110, SHARED

REGULATION = SHARED / "corpora" / "zhejiang-local-regulations" / "中国（浙江）自由贸易试验区条例.md"


def _sentences(text: str) -> list[str]:
    return [s.strip() for line in text.split("\n") for s in split_sentences(line) if s.strip()]


def test_heading_kinds():
    assert heading_kind("一、工作举措及成效") == "cn"
    assert heading_kind("（二）关于“建立科创平台”的建议。") == "paren_cn"
    assert heading_kind("1、 我市推进科创平台建设") == "num"
    assert heading_kind("1.5亿元") is None
    assert heading_kind("第三章  投资开放") == "chapter"
    assert heading_kind("第三条 市人民政府") is None  # articles are units, not headings
    assert heading_kind("## 附则") == "md2"


def test_sentence_split_keeps_terminators_and_closing_quotes():
    assert split_sentences("一是加强。二是“完善！”三是推进；结束") == ["一是加强。", "二是“完善！”", "三是推进；", "结束"]


def test_seed_106_sections_become_heading_paths():
    chunks = chunk_text(SEED_106.read_text(encoding="utf-8"))
    paths = [c.heading for c in chunks]
    assert any(p.startswith("1、 我市推进科创平台建设的工作举措及成效") for p in paths)
    # "二、" closes the misnumbered "1、" instead of nesting under it
    plan = [c for c in chunks if c.heading_path[:1] == ["二、下一步工作计划"]]
    assert len(plan) >= 3
    assert plan[1].heading_path[1] == "（二）关于“建立科创平台的可持续发展机制”的建议。"
    assert "拨投联动" in plan[1].text


def test_no_sentence_is_cut_and_sizes_hold():
    for path in (SEED_110, SEED_106, REGULATION):
        text = path.read_text(encoding="utf-8")
        chunks = chunk_text(text, target_chars=300, max_chars=400)
        assert all(len(c.text.replace("\n", "")) <= 400 for c in chunks)
        produced = [s for c in chunks for s in _sentences(c.text)]
        original = _sentences(text)
        # every sentence of the body appears whole in some chunk (pure heading lines live in paths)
        kept = set(produced)
        headings = {h for c in chunks for h in c.heading_path}
        missing = [s for s in original if s not in kept and not any(s in h or h.rstrip("…") in s for h in headings)]
        assert missing == []


def test_regulation_articles_are_packed_and_chapters_kept():
    text = REGULATION.read_text(encoding="utf-8")
    chunks = chunk_text(text, target_chars=300, max_chars=400)
    chapter_chunks = [c for c in chunks if len(c.heading_path) >= 2]
    assert chapter_chunks and all(re.match(r"第[一二三四五六七八九十]+章", c.heading_path[1]) for c in chapter_chunks)
    sizes = [len(c.text) for c in chunks]
    assert sum(sizes) / len(sizes) > 200  # short articles are packed toward the target
    # list items （一）（二） inside an article do not become headings that leak into later articles
    assert not any(h.startswith("（") for c in chunks for h in c.heading_path)


def test_overlong_sentence_is_split_at_commas():
    sentence = "，".join(["推进科技创新和产业创新深度融合"] * 40) + "。"
    chunks = chunk_text(sentence, target_chars=300, max_chars=400)
    assert len(chunks) > 1 and all(len(c.text) <= 400 for c in chunks)
    assert "".join(c.text for c in chunks) == sentence


def _articles(text: str) -> list[list[str]]:
    """The 第X条 articles of a regulation, each as its paragraphs (lead-in, items, further paragraphs)."""
    articles: list[list[str]] = []
    for line in (raw.strip() for raw in text.split("\n")):
        if re.match(r"^第[一二三四五六七八九十百零]+条", line):
            articles.append([line])
        elif line and articles and not line.startswith("#") and not re.match(r"^第.+[章节]", line):
            articles[-1].append(line)
        elif line:
            articles.append([])  # a heading ends the article before it
    return [a for a in articles if a]


def test_an_article_that_fits_is_never_split_from_its_items():
    text = (SHARED / "corpora" / "zhejiang-local-regulations" / "温州市民间融资管理条例(2013-11-22).md").read_text(encoding="utf-8")
    chunks = chunk_text(text, target_chars=300, max_chars=400)
    fitting = [a for a in _articles(text) if sum(len(p) for p in a) <= 400]
    lists = [a for a in fitting if a[0].endswith("：")]
    assert len(fitting) > 30 and len(lists) >= 3
    for article in fitting:
        holders = [c for c in chunks if article[0] in c.text]
        assert len(holders) == 1 and all(p in holders[0].text for p in article), article[0][:20]
    assert all(len(c.text.replace("\n", "")) <= 400 for c in chunks)


def test_an_article_too_long_for_one_chunk_starts_one():
    text = (SHARED / "corpora" / "zhejiang-local-regulations" / "浙江省促进科技成果转化条例(2021-09-30).md").read_text(encoding="utf-8")
    chunks = chunk_text(text, target_chars=300, max_chars=400)
    long_ones = [a for a in _articles(text) if sum(len(p) for p in a) > 400]
    assert long_ones
    for article in long_ones:  # e.g. 第三十七条 …给予奖励时，按照下列规定执行：（一）…
        holder = next(c for c in chunks if article[0][:30] in c.text)
        assert holder.text.startswith(article[0][:30]) and article[1] in holder.text


def test_headings_beyond_ten_start_chunks():
    from assistant.genre.numerals import cn_numeral

    assert heading_kind("（十一）关于“完善评价机制”的建议。") == "paren_cn"
    assert heading_kind("十一、其他事项") == "cn" and heading_kind("12. 细项") == "num"
    sections = "\n".join(f"（{cn_numeral(n)}）关于“第{n}项建议”的建议。\n一是推进第{n}项工作。十一是继续完善相关机制。" for n in range(1, 14))
    chunks = chunk_text(f"二、下一步工作计划\n{sections}", target_chars=300, max_chars=400)
    eleventh = [c for c in chunks if c.heading_path[-1:] == ["（十一）关于“第11项建议”的建议。"]]
    assert len(eleventh) == 1 and eleventh[0].heading_path[0] == "二、下一步工作计划"
    assert eleventh[0].text.startswith("一是推进第11项工作。") and "第12项" not in eleventh[0].text
    assert [c.heading_path[1] for c in chunks] == [f"（{cn_numeral(n)}）关于“第{n}项建议”的建议。" for n in range(1, 14)]
