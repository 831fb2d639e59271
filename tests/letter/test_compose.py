"""Composing the letter by role, over a small real-model index where statutes compete with
precedents: the two seed letters plus five regulations (three near the subject, two far)."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest

from assistant.db import today_in
from assistant.errors import QueryError
from assistant.letter.compose import Drafter
from assistant.letter.markdown import draft_to_markdown
from assistant.letter.proposal import load_proposal, parse_proposal
from assistant.letter.rubric import score_draft
from assistant.search.retrieval import Retriever

from ..conftest import CORPUS, ROOT, SHARED, private_copy

pytestmark = pytest.mark.model
FINANCING = ROOT / "examples" / "proposal-financing.txt"
REGULATIONS = SHARED / "corpora" / "zhejiang-local-regulations"
MINI_REGULATIONS = [
    "浙江省促进科技成果转化条例(2021-09-30).md",
    "浙江省地方金融条例(2020-05-15).md",
    "湖州市绿色金融促进条例(2021-10-14).md",
    "宁波市科学技术普及条例(2018-12-19).md",
    "杭州市机动车驾驶员培训管理条例(2017-12-08).md",
]
ARTICLE_START = re.compile(r"^第[一二三四五六七八九十百零\d]+条")


@pytest.fixture(scope="session")
def mini_index_dir(tmp_path_factory, real_embedder):
    from assistant.corpus.ingest import run_all
    from assistant.service import Assistant
    from assistant.settings import Settings

    missing = [name for name in MINI_REGULATIONS if not (REGULATIONS / name).exists()]
    assert not missing, f"../shared regulations missing: {missing}"
    directory = tmp_path_factory.mktemp("mini-index")
    built = Assistant(Settings(index_dir=directory, _env_file=None), real_embedder)
    report = run_all(built.ingest([CORPUS, *(REGULATIONS / name for name in MINI_REGULATIONS)]))
    assert report.added == 7 and not report.errors
    built.close()
    return directory


@pytest.fixture
def mini(mini_index_dir, tmp_path, real_embedder):
    instance = private_copy(mini_index_dir, tmp_path, real_embedder)
    yield instance
    instance.close()


@pytest.fixture
def financing_draft(mini):
    return mini.draft(load_proposal(FINANCING))


def bodies(draft, prefix):
    return [(i, p) for i, p in enumerate(draft.paragraphs) if p.role == "body" and p.section.startswith(prefix)]


def test_skeleton_structure_in_order(financing_draft):
    d = financing_draft
    roles = [p.role for p in d.paragraphs]
    assert roles[:5] == ["doc_number", "title", "salutation", "opening", "heading1"]
    assert roles[-5:] == ["closing", "contact", "signature", "date", "cc"]
    texts = [p.text for p in d.paragraphs]
    assert texts[1] == "关于市政协十二届四次会议128号提案的答复函"
    assert texts[2] == "林志远、郑晓雯委员："
    assert texts[4] == "一、工作举措及成效"
    assert "二、下一步工作计划" in texts
    assert [p.text for p in d.paragraphs if p.role == "heading2"] == [
        "（一）关于“创新科技信贷产品”的建议。",
        "（二）关于“发挥政府引导基金作用”的建议。",
        "（三）关于“完善科技金融服务体系”的建议。",
    ]
    opening = texts[3]
    assert opening.startswith("你们在市政协十二届四次会议期间所提的《关于破解民营科技企业融资难题的提案》（政协提案128号）收悉。")
    assert opening.endswith("现答复如下：")
    today = today_in("Asia/Shanghai")  # the office's day, not the server's (a UTC host is 8 hours behind)
    assert texts[-2] == f"{today.year}年{today.month}月{today.day}日"
    assert texts[-1] == "抄送：市府办，市政协提案委。"


def test_the_body_is_our_work_not_statute_text(financing_draft):
    score = score_draft(financing_draft, ["林志远", "郑晓雯"])
    assert score.article_pastes == 0 and score.past_results_in_plan == 0 and score.restatements_reused == 0
    assert score.passes(), score.failures()
    for _, paragraph in bodies(financing_draft, ""):
        assert not ARTICLE_START.match(paragraph.text)


def test_roles_go_where_they_belong(financing_draft):
    d = financing_draft
    cited = {c.id: c for c in d.citations}
    for _, paragraph in bodies(d, "measures"):
        roles = {cited[c].role for c in paragraph.citations}
        assert roles <= {"成效", "举措", "条文"}
    for _, paragraph in bodies(d, "plan:"):
        for citation_id in paragraph.citations:
            role = cited[citation_id].role
            assert role in ("计划", "举措", "条文")
            if role == "举措":  # an ongoing measure only behind the forward lead-in from prompts/
                assert paragraph.text.startswith(("下一步，我们将继续", "一是下一步，我们将继续", "二是下一步，我们将继续"))
            if role == "条文":
                assert paragraph.text.startswith("根据《")
    # 一、 holds what was achieved: at least one 成效 unit from the seeds, renumbered 一是、二是…
    measures = [p for _, p in bodies(d, "measures") if not p.text.startswith("根据《")]
    assert any(cited[c].role == "成效" for p in measures for c in p.citations)
    if len(measures) >= 2:
        assert [p.text[:2] for p in measures] == [f"{'一二三四五六七八九十'[n]}是" for n in range(len(measures))]


def test_each_unit_is_used_once_and_precedent_specifics_are_gone(financing_draft):
    d = financing_draft
    chunk_texts = [c.excerpt for c in d.citations if c.role != "条文"]
    assert len(chunk_texts) == len(set(chunk_texts))
    body = "".join(p.text for _, p in bodies(d, ""))
    for leftover in ("祝彬", "谢新宇", "温科提复", "收悉", "370号", "74号", "委员：", "提出要完善科创平台"):
        assert leftover not in body


def test_basis_lines_are_short_exact_and_few(financing_draft):
    d = financing_draft
    cited = {c.id: c for c in d.citations}
    per_section: dict[str, int] = {}
    for _, paragraph in bodies(d, ""):
        if not paragraph.text.startswith("根据《"):
            continue
        per_section[paragraph.section] = per_section.get(paragraph.section, 0) + 1
        [citation] = [cited[c] for c in paragraph.citations]
        assert citation.role == "条文" and citation.doc_type == "policy"
        match = re.match(r"^根据《(.+?)》（(\d{4})年(\d{1,2})月(\d{1,2})日）(第.+?条)，“(.+)”。$", paragraph.text)
        assert match, paragraph.text
        title, year, month, day, article, quote = match.groups()
        assert title == citation.title and article == citation.article
        assert citation.date == f"{year}-{int(month):02d}-{int(day):02d}"  # the version quoted is named
        assert len(quote) <= 80
        assert quote.rstrip("…") in citation.excerpt  # quoted exactly from the article the citation shows
        assert citation.excerpt.startswith(article)
    assert per_section.get("measures", 0) == 0  # a statute is not among our achievements
    assert all(count <= 1 for section, count in per_section.items() if section.startswith("plan:"))
    # of our field only: 《浙江省地方金融条例》 is a finance regulation the proposal does not name
    assert not any("金融条例" in c.title for c in d.citations if c.role == "条文")


def test_an_unrelated_suggestion_gets_an_honest_placeholder(mini):
    proposal = parse_proposal(
        "关于加强实验动物福利和城市养蜂管理的提案\n提案人：周敏\n市政协十二届四次会议 提案第9号\n建议：\n"
        "一、加强实验动物福利审查，规范实验动物饲养笼具标准。\n二、规范城市阳台养蜂，防止蜂群扰民。"
    )
    d = mini.draft(proposal)
    for number in (1, 2):
        section = [d.paragraphs[i] for i in d.sections[f"plan:{number}"] if d.paragraphs[i].role == "body"]
        assert section[0].text.startswith("【待补充：关于“"), section[0].text
        assert section[0].text.endswith("（未检索到相关答复先例）】")
        # nothing unrelated is pasted beside it: at most a basis line
        assert all(p.text.startswith("根据《") for p in section[1:])
    assert d.gaps == proposal.suggestions
    # sections with nothing in them lead the checks, before fields to fill and figures
    assert [f.text[:4] for f in d.flags[:3]] == ["【待补充"] * 3
    assert any("实验动物" in f.text for f in d.flags[:3])


def test_a_suggestion_whose_result_stands_in_one_says_so(mini, monkeypatch):
    """A result a suggestion's matter brought into 一、, and no next step found for it: its 【待补充】 says the work done is
    in 一、 (not that nothing was found); a suggestion with nothing in 一、 keeps the plain placeholder."""
    original = Drafter._assign
    filed: list[int] = []

    def results_only(self, units, relevance, whole=None):
        plan, measures = original(self, units, relevance, whole)
        filed[:] = sorted({item.suggestion for item in measures})
        return [[] for _ in plan], measures  # no next step for any suggestion

    monkeypatch.setattr(Drafter, "_assign", results_only)
    proposal = load_proposal(FINANCING)
    d = mini.draft(proposal)
    assert filed and len(filed) < len(proposal.suggestions)  # some suggestions have a result in 一、, some not
    for number in range(1, len(proposal.suggestions) + 1):
        placeholder = next(d.paragraphs[i].text for i in d.sections[f"plan:{number}"] if d.paragraphs[i].text.startswith("【待补充"))
        assert placeholder.startswith("【待补充：关于“")
        assert ("已开展的相关工作见一、，未检索到下一步举措的答复先例" in placeholder) == (number - 1 in filed), placeholder
        assert ("（未检索到相关答复先例" in placeholder) == (number - 1 not in filed)


def test_checks_one_per_reused_paragraph_years_are_not_figures(financing_draft):
    d = financing_draft
    for paragraph in d.paragraphs:
        figure_flags = [f for f in paragraph.flags if f.kind == "figure"]
        assert len(figure_flags) <= 1
        for flag in figure_flags:
            assert re.match(r"本段 \d+ 个数据来自2024年6月的答复（温科提复〔2024〕1(?:06|10)号），请核实最新数据$", flag.message)
            assert flag.figures and not any(re.fullmatch(r"\d{4}年", x) for x in flag.figures)
    assert len(d.flags) <= 15


def test_a_known_defect_of_the_source_is_flagged_as_such(mini):
    """Seed 110 writes 累计实缴到位26.4元 among 亿元 figures; when that unit is reused the draft says so."""
    proposal = parse_proposal(
        "关于做大做强科创基金的提案\n提案人：王五\n建议：\n一、做大做强市科创基金，扩大子基金规模和返投金额。\n二、推广科创指数融资模式。"
    )
    d = mini.draft(proposal)
    reused = [p for p in d.paragraphs if "26.4元" in p.text]
    assert reused, draft_to_markdown(d)
    defects = [f for p in reused for f in p.flags if f.kind == "defect"]
    assert defects and "金额单位疑似缺失" in defects[0].message and "26.4亿元" in defects[0].message


def test_twelve_suggestions_are_numbered_beyond_ten(mini):
    lines = "\n".join(
        f"（{n}）加强科技型企业培育第{i}项工作。" for i, n in enumerate(["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"], start=1)
    )
    d = mini.draft(parse_proposal(f"关于科技创新的提案\n提案人：甲乙\n建议如下：\n{lines}"))
    headings = [p.text for p in d.paragraphs if p.role == "heading2"]
    assert len(headings) == 12
    assert headings[10].startswith("（十一）") and headings[11].startswith("（十二）")
    assert [s for s in d.sections if s.startswith("plan:")] == [f"plan:{n}" for n in range(1, 13)]


def test_joint_suggestion_answers_its_lead_representative(mini):
    text = (ROOT / "examples" / "suggestion-low-altitude-economy.txt").read_text(encoding="utf-8")
    d = mini.draft(parse_proposal(text))
    assert d.paragraphs[2].text == "陈明代表："  # 附议代表：刘洋、黄丽 second it
    opening = d.paragraphs[3].text
    assert "您在" in opening and "领衔提出的《" in opening
    summary = re.search(r"您在建议中[^。]*。", opening).group(0)
    assert len(summary) <= 90


def test_missing_fields_become_placeholders_not_inventions(mini):
    d = mini.draft(parse_proposal("应加大对科技型中小企业的培育力度。要完善孵化载体体系。"))
    assert d.paragraphs[1].text == "关于【待填：会议届次】【待填：编号】号提案的答复函"
    assert d.paragraphs[2].text == "【待填：提案人】委员："
    assert any(f.text == "【待填：提案标题】" for f in d.flags)


def test_markdown_rendering_carries_citations_roles_and_checks(financing_draft):
    text = draft_to_markdown(financing_draft)
    assert text.startswith("【待填：文号】\n\n# 关于市政协十二届四次会议128号提案的答复函")
    for citation in financing_draft.citations:
        assert f"[^{citation.id}]: " in text
    assert "## 需核实" in text


def test_wording_comes_from_prompt_templates(mini, tmp_path):
    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    (prompts / "letter" / "closing.j2").write_text("特此函复，感谢您对{{ work_area }}工作的支持。", encoding="utf-8")
    (prompts / "letter" / "gap.j2").write_text("【待补充：{{ what }}（请承办处室补充）】", encoding="utf-8")
    settings = mini.settings.model_copy(update={"prompts_dir": prompts, "work_area": "科技金融"})
    drafter = Drafter(Retriever(mini.corpus), settings)
    d = drafter.draft(parse_proposal("关于养蜂的提案\n建议：\n一、规范城市阳台养蜂，防止蜂群扰民。"), appraisal="adopt")
    assert next(p.text for p in d.paragraphs if p.role == "closing") == "特此函复，感谢您对科技金融工作的支持。"
    assert any(p.text.endswith("（请承办处室补充）】") for p in d.paragraphs)
    assert "吸收采纳" in d.paragraphs[3].text
    with pytest.raises(QueryError, match="adopt"):
        drafter.draft(load_proposal(FINANCING), appraisal="nonexistent")


def test_an_appraisal_that_claims_results_the_letter_lacks_is_changed_and_says_so(mini):
    """部分内容已在实践中落实 needs 一、 to show the work done: without it the wording changes, and a warning says why."""
    unanswered = mini.draft(parse_proposal("关于养蜂的提案\n建议：\n一、规范城市阳台养蜂，防止蜂群扰民。"), appraisal="partial")
    assert "认真研究吸收" in unanswered.paragraphs[3].text and any(w.startswith("评价用语") for w in unanswered.warnings)
    answered = mini.draft(load_proposal(FINANCING), appraisal="partial")
    assert "部分内容已在实践中落实" in answered.paragraphs[3].text and not any(w.startswith("评价用语") for w in answered.warnings)
    assert not any(w.startswith("评价用语") for w in mini.draft(parse_proposal("关于养蜂的提案\n建议：\n一、规范城市阳台养蜂。"), appraisal="adopt").warnings)


def test_no_plan_units_when_none_are_asked_for(mini):
    settings = mini.settings.model_copy(update={"draft_per_suggestion": 0})
    d = Drafter(Retriever(mini.corpus), settings).draft(load_proposal(FINANCING))
    cited = {c.id: c for c in d.citations}
    assert not any(cited[c].doc_type == "reply" for _, p in bodies(d, "plan:") for c in p.citations)


class _Store:
    """IDF 1 for every word: the scoring of one suggestion without an index."""

    @staticmethod
    def idf_weights(tokens):
        return {t: 1.0 for t in tokens}


class _Settings:
    draft_dense_share, draft_cosine_band, draft_specific_floor = 0.0, (0.74, 0.86), 0.25


def test_a_basis_line_never_quotes_a_sentence_that_leans_on_its_neighbours():
    from assistant.corpus.store import UnitRow
    from assistant.letter.compose import Relevance, _best_sentence

    unit = UnitRow(
        1,
        1,
        1,
        0,
        "条文",
        "",
        "第六条",
        "第六条 前款规定的科技成果转化工作，由科技主管部门组织实施。科技主管部门应当建立科技成果转化工作协调机制，推动科技成果拍卖和交易。",
        None,
        "s",
        "浙江省促进科技成果转化条例",
        "policy",
        {},
    )
    quote = _best_sentence(unit, Relevance(_Store(), "办好科技成果拍卖", "", None, _Settings()), 2026)
    assert quote.startswith("科技主管部门应当建立") and not quote.startswith("前款")


def test_a_basis_line_never_quotes_a_target_whose_year_has_passed():
    from assistant.corpus.store import UnitRow
    from assistant.letter.compose import Relevance, _best_sentence

    text = (
        "第五条 到2015年，全省研究与试验发展经费支出占生产总值的比重应当达到百分之二点五。县级以上人民政府应当逐步提高研究与试验发展经费支出占生产总值的比重。"
    )
    unit = UnitRow(1, 1, 1, 0, "条文", "", "第五条", text, None, "s", "浙江省科学技术进步条例", "policy", {})
    relevance = Relevance(_Store(), "提高研究与试验发展经费支出占生产总值的比重", "", None, _Settings())
    assert _best_sentence(unit, relevance, 2026).startswith("县级以上人民政府应当逐步提高")
    target_only = UnitRow(1, 1, 1, 0, "条文", "", "第五条", text.split("。")[0] + "。", None, "s", "浙江省科学技术进步条例", "policy", {})
    assert _best_sentence(target_only, relevance, 2026) is None
    assert _best_sentence(target_only, relevance, 2014).startswith("到2015年")  # not yet past then


def test_a_provision_is_quoted_up_to_what_it_grants_not_cut_after_its_conditions():
    """《浙江省促进科技成果转化条例》第十九条 for 建立尽职免责机制: the probe's quote stopped at ……公示的……, before
    不承担……决策责任, the only words that answer the suggestion."""
    from assistant.corpus.store import UnitRow
    from assistant.letter.compose import BASIS_QUOTE_MAX, Relevance, _best_sentence

    text = (
        "第十九条 政府设立的研究开发机构、高等院校通过在技术交易市场挂牌交易、拍卖等方式确定科技成果价格，或者通过协议定价并按照规定在本单位和"
        "技术交易市场公示的，单位负责人已按照本单位科技成果转化管理规定履行勤勉尽责义务且没有牟取非法利益的，不承担因科技成果转化后续价值变化产生的决策责任。"
    )
    unit = UnitRow(1, 1, 1, 0, "条文", "", "第十九条", text, None, "s", "浙江省促进科技成果转化条例", "policy", {})
    quote = _best_sentence(unit, Relevance(_Store(), "建立尽职免责机制，对科技成果定价决策免除责任", "", None, _Settings()), 2026)
    assert quote.startswith("……单位负责人") and quote.endswith("不承担因科技成果转化后续价值变化产生的决策责任") and len(quote) <= BASIS_QUOTE_MAX
    assert quote.lstrip("…") in text


def test_another_fields_article_is_quoted_by_its_sentence_and_clause_on_science():
    """Of 《浙江省海洋环境保护条例》's article, the sentence that speaks of science, and past its long opening on
    publicity, the clause that does (……鼓励海洋环境科学技术的研究开发……); a science regulation's keeps its opening."""
    from assistant.corpus.store import UnitRow
    from assistant.letter.compose import BASIS_QUOTE_MAX, Relevance, _best_sentence

    opening = "地方各级人民政府及其有关部门应当加强海洋环境保护法律、法规和海洋生态文明知识的宣传教育，提高全社会特别是沿海居民和涉海企业的海洋环境保护意识，"
    text = f"第三条 海洋环境保护应当坚持保护优先。{opening}鼓励海洋环境科学技术的研究开发和先进适用技术的推广应用，支持海洋环境保护产业发展。"
    unit = UnitRow(1, 1, 1, 0, "条文", "", "第三条", text, None, "s", "浙江省海洋环境保护条例", "policy", {})
    relevance = Relevance(_Store(), "推广海洋环境保护先进技术", "", None, _Settings())
    quote = _best_sentence(unit, relevance, 2026, ["科学技术", "研究开发"])
    assert quote.startswith("……鼓励海洋环境科学技术的研究开发") and len(quote) <= BASIS_QUOTE_MAX
    assert quote.rstrip("…").lstrip("…") in text
    plain = _best_sentence(unit, relevance, 2026)
    assert plain.startswith("地方各级人民政府") and plain.endswith("……") and len(plain) <= BASIS_QUOTE_MAX
    only_opening = UnitRow(1, 1, 1, 0, "条文", "", "第三条", f"第三条 {opening.rstrip('，')}。", None, "s", "浙江省海洋环境保护条例", "policy", {})
    assert _best_sentence(only_opening, relevance, 2026, ["科学技术", "研究开发"]) is None  # no sentence of it speaks of science


def test_a_unit_sharing_only_generic_words_answers_nothing():
    """一站式、服务、平台、机制 say how, not what: the 科企通 paragraph is no answer to 一站式 housing services."""
    from assistant.letter.compose import Relevance

    relevance = Relevance(_Store(), "为引进人才提供住房、子女入学、医疗等一站式服务", "", None, _Settings())
    assert not relevance.answers("上线“科企通”平台，为企业提供政策兑现一站式服务，完善服务机制。")
    assert relevance.answers("落实人才住房保障，新建人才公寓。")
    shared = {"人才", "住房"}  # of 引进、人才、住房、子女、入学、医疗 …
    assert shared < set(relevance.specific) and not {"一站式", "服务", "提供"} & set(relevance.specific)
    assert relevance.specific_coverage("落实人才住房保障") == sum(relevance.specific[w] for w in shared) / sum(relevance.specific.values())


def test_an_old_or_undated_regulation_asks_to_confirm_its_version():
    from assistant.letter.model import Citation, _version_flags

    def cite(date):
        return Citation(
            id="c1", chunk_id=1, source="s", title="浙江省科学技术进步条例", doc_type="policy", date=date, excerpt="第五条 …", role="条文", article="第五条"
        )

    [flag] = _version_flags(cite("2011-05-25"), today=date(2026, 12, 5))
    assert flag.kind == "version" and "2011年版本" in flag.message and "现行有效" in flag.message
    assert _version_flags(cite("2023-01-01"), today=date(2026, 12, 5)) == []
    assert "版本日期不明" in _version_flags(cite(None), today=date(2026, 12, 5))[0].message


def test_quotes_inside_a_quoted_suggestion_become_single_quotes(mini):
    d = mini.draft(parse_proposal("关于科技特派员的建议\n代表：王五\n建议：\n一、推动从“派个人”向“派团队”转变，精准选派科技特派员。"))
    [heading] = [p.text for p in d.paragraphs if p.role == "heading2"]
    assert heading == "（一）关于“推动从‘派个人’向‘派团队’转变，精准选派科技特派员”的建议。"


TALENT = (
    "关于优化高层次人才服务保障的建议\n市十四届人大四次会议 第21号建议\n代表：李四、王五\n为此建议：\n"
    "一、为引进的高层次人才提供住房保障、子女入学、医疗保健等一站式服务。\n二、提高青年科技人才的安家补贴标准。"
)


def test_a_shared_generic_word_borrows_nothing_and_claims_nothing(mini):
    """The seeds say 一站式服务 of 科企通 and report 高企 counts: neither answers a talent proposal,
    so its sections and 一、 are honest placeholders, and the opening claims no results."""
    d = mini.draft(parse_proposal(TALENT))
    assert not any(c.role in ("成效", "举措", "计划") for c in d.citations), draft_to_markdown(d)
    assert not any("科企通" in p.text for p in d.paragraphs)
    [measures] = [p.text for _, p in bodies(d, "measures")]
    assert measures.startswith("【待补充：已开展的工作举措及成效")
    assert "已在实践中落实" not in d.paragraphs[3].text and d.paragraphs[3].text.endswith("现答复如下：")


def test_meaning_counts_where_words_fail_only_on_a_calibrated_band():
    """A unit sharing no specific word answers when its cosine is at the top of the model's band;
    a model without a calibrated band (the hashing embedder) drafts on words alone."""
    import numpy as np

    from assistant.letter.compose import Relevance

    query = np.array([1.0, 0.0], dtype=np.float32)
    near = np.array([0.95, np.sqrt(1 - 0.95**2)], dtype=np.float32)  # cosine 0.95
    far = np.array([0.80, 0.60], dtype=np.float32)  # cosine 0.80
    with_band = Relevance(_Store(), "建立科研项目容错机制", "", query, _Settings(), band=(0.88, 0.93))
    text = "对承担探索性强、风险高的项目，已经履行勤勉尽责义务仍未完成的，予以免责。"
    assert with_band.specific_coverage(text) == 0  # 容错 is not in it: words alone would miss it
    assert with_band.answers(text, near) and not with_band.answers(text, far)

    class Uncalibrated(_Settings):
        draft_cosine_band = None

    no_band = Relevance(_Store(), "建立科研项目容错机制", "", query, Uncalibrated(), band=None)
    assert no_band.vector is None and not no_band.answers(text, near)


def test_a_unit_near_every_topic_answers_only_what_it_means_distinctly():
    """科企通 shares 成果、转化 with an ask on 新型研发机构分类评价 and its cosine is as high as the
    right unit's; but it sits as near the field's other programmes (high hubness), so corrected for
    that (CSLS) it falls under the floor. Unmeasurable (no hubness, no vector): nothing is refused."""
    import numpy as np

    from assistant.letter.compose import Relevance

    def unit(*xs):
        v = np.array(xs, dtype=np.float32)
        return v / np.linalg.norm(v)

    query = unit(1, 0, 0)
    specific, hub = unit(0.9, 0.3, 0.3), unit(0.9, 0.3, -0.3)  # the same cosine to the ask (0.905) ...
    hubs = {specific.tobytes(): 0.5, hub.tobytes(): 0.95}  # ... one near every programme, one not
    hubness = lambda v: hubs.get(v.tobytes(), 0.6)  # noqa: E731
    ask, text = "建立新型研发机构成果转化考核", "深化“科企通”应用，促进科技成果就地转化。"
    relevance = Relevance(_Store(), ask, "", query, _Settings(), hubness=hubness, distinct_floor=0.5, band=(0.74, 0.86))
    assert relevance.hub == pytest.approx(0.6)  # the ask's own hubness
    # 2·0.905 − 0.5 − 0.6 = 0.71 ≥ 0.5; 2·0.905 − 0.95 − 0.6 = 0.26 < 0.5
    assert relevance.distinct(specific) and not relevance.distinct(hub)
    assert relevance.specific_coverage(text) >= 0.25  # enough shared words to be a candidate ...
    assert relevance.specific_coverage(text) < 0.5
    assert relevance.answers(text, specific) and not relevance.answers(text, hub)  # ... the hub is refused
    word_for_word = "建立新型研发机构成果转化考核制度。"  # half the specific weight or more: words alone decide
    assert relevance.answers(word_for_word, hub)
    assert relevance.distinct(None)
    unmeasured = Relevance(_Store(), ask, "", query, _Settings(), band=(0.74, 0.86))
    assert unmeasured.hub is None and unmeasured.distinct(hub) and unmeasured.answers(text, hub)


def test_the_drafter_measures_hubness_only_for_a_calibrated_model(settings, tmp_path, monkeypatch):
    """The floor comes from the model's tuning (or the setting); hubness is read from the thesaurus
    entries' vectors, once per vector and draft."""
    from contextlib import closing

    from assistant.corpus import embeddings
    from assistant.corpus.embeddings import ModelTuning
    from assistant.corpus.ingest import run_all
    from assistant.letter.compose import Drafter
    from assistant.search.retrieval import Retriever
    from assistant.service import Assistant

    from ..topics import TopicEmbedder

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "浙江省科学技术进步条例(2024-03-01).md").write_text(f"# 浙江省科学技术进步条例\n\n第三十七条 {INTEGRITY}\n", encoding="utf-8")
    banded = settings.model_copy(update={"draft_cosine_band": (0.3, 1.01)})
    with closing(Assistant(banded, TopicEmbedder())) as assistant:
        assert not run_all(assistant.ingest([docs])).errors
        assert Drafter(Retriever(assistant.corpus), banded)._hubness() is None  # no floor for this model
        override = Drafter(Retriever(assistant.corpus), banded.model_copy(update={"draft_distinct_floor": 0.1}))
        assert override.distinct_floor == 0.1 and override._hubness() is not None  # the setting alone turns it on
        wordless = banded.model_copy(update={"draft_distinct_floor": 0.1, "draft_dense_share": 0.0})
        assert Drafter(Retriever(assistant.corpus), wordless)._hubness() is None  # drafting on words alone
        monkeypatch.setitem(embeddings.MODEL_TUNING, "topics:test", ModelTuning(0.5, None, None, -0.02))
        drafter = Drafter(Retriever(assistant.corpus), banded)
        assert drafter.distinct_floor == -0.02
        terms = drafter.retriever.term_meaning()
        calls = []
        monkeypatch.setattr(terms, "hubness", lambda v: calls.append(v) or 0.42)
        hubness = drafter._hubness()
        vector = TopicEmbedder().embed_query("弄虚作假")
        assert hubness(vector) == hubness(vector.copy()) == 0.42 and len(calls) == 1  # once per vector and draft


def test_only_the_newest_version_of_a_regulation_is_quoted_and_its_date_named(assistant, tmp_path):
    from assistant.corpus.ingest import run_all

    docs = tmp_path / "docs"
    docs.mkdir()
    article = "第二十条 企业开发新技术、新产品、新工艺发生的研究开发费用，可以按照国家有关规定税前列支并加计扣除。"
    (docs / "浙江省科学技术进步条例(2011-05-25).md").write_text(f"# 浙江省科学技术进步条例\n\n{article}\n", encoding="utf-8")
    proposal = parse_proposal(
        "关于研发投入的提案\n提案人：王五\n建议：\n一、落实企业研究开发费用税前加计扣除政策，鼓励企业技术创新。\n二、加强企业研发费用归集辅导。"
    )
    assert not run_all(assistant.ingest([docs])).errors
    [old] = [p for p in assistant.draft(proposal).paragraphs if p.text.startswith("根据《")]
    assert old.text.startswith("根据《浙江省科学技术进步条例》（2011年5月25日）第二十条，")
    assert any(f.kind == "version" and "2011年版本" in f.message for f in old.flags)  # older than five years: confirm
    # the index also gets the revised text: only that one is quoted
    (docs / "浙江省科学技术进步条例(2024-03-01).md").write_text(f"# 浙江省科学技术进步条例\n\n{article.replace('可以按照', '按照')}\n", encoding="utf-8")
    assert not run_all(assistant.ingest([docs])).errors
    [new] = [p for p in assistant.draft(proposal).paragraphs if p.text.startswith("根据《")]
    assert new.text.startswith("根据《浙江省科学技术进步条例》（2024年3月1日）第二十条，") and "可以按照" not in new.text
    assert not any(f.kind == "version" for f in new.flags)


INTEGRITY = "科学技术人员在科学技术活动中不得弄虚作假。"
ASK_INTEGRITY = "关于加强科研诚信建设的提案\n提案人：王五\n建议：\n一、加强科研诚信教育。\n二、加强青年人才培养。"


def basis_lines(settings, tmp_path, files: dict[str, str], proposal: str = ASK_INTEGRITY, **overrides) -> list[tuple[str, str]]:
    """(section, text) of each basis line drafted for ``proposal`` (ASK_INTEGRITY) over ``files``,
    with the topic embedder (tests/topics.py: 科研诚信 and 弄虚作假 lie on one axis, share no word)
    and a band the topic cosines (≈ 1 or ≈ 0.05) sit inside, so only the nearest rule can pass an
    article on meaning."""
    from contextlib import closing

    from assistant.corpus.ingest import run_all
    from assistant.service import Assistant

    from ..topics import TopicEmbedder

    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    for name, body in files.items():
        (docs / name).write_text(body, encoding="utf-8")
    banded = settings.model_copy(update={"draft_cosine_band": (0.3, 1.01), **overrides})
    with closing(Assistant(banded, TopicEmbedder())) as assistant:
        assert not run_all(assistant.ingest([docs])).errors
        return [(p.section, p.text) for p in assistant.draft(parse_proposal(proposal)).paragraphs if p.text.startswith("根据《")]


PROGRESS_REGULATION = f"# 浙江省科学技术进步条例\n\n第三十六条 县级以上人民政府应当改善科研园区周边道路交通条件。\n\n第三十七条 {INTEGRITY}\n"


def test_the_article_closest_in_meaning_is_a_basis_though_it_shares_no_word(settings, tmp_path, monkeypatch):
    from assistant.letter import compose

    files = {"浙江省科学技术进步条例(2024-03-01).md": PROGRESS_REGULATION}
    lines = basis_lines(settings, tmp_path, files)
    assert [(section, text[:30]) for section, text in lines] == [("plan:1", "根据《浙江省科学技术进步条例》（2024年3月1日）第三十七")]
    monkeypatch.setattr(compose, "NEAREST_BAND_SHARE", 1.0)  # the rule off: nothing worded, nothing close
    assert basis_lines(settings, tmp_path, files) == []


def test_an_article_of_another_field_that_speaks_of_science_is_a_basis(settings, tmp_path):
    """《浙江省中医药条例》 is not a science regulation by its title, but its article on 中医药科学研究
    is a science bureau's basis; ``basis_article_words`` empty leaves such articles out."""
    files = {"浙江省中医药条例(2024-03-01).md": "# 浙江省中医药条例\n\n第十条 中医药科学研究人员不得弄虚作假。\n"}
    assert [text.partition("》")[0] for _, text in basis_lines(settings, tmp_path, files)] == ["根据《浙江省中医药条例"]
    assert basis_lines(settings, tmp_path, files, basis_article_words="") == []


def test_a_regulation_whose_subject_the_proposals_title_names_is_ours(settings, tmp_path):
    """A proposal on 中医药 makes 《浙江省中医药条例》 a regulation of our field for its answer: its articles
    are quoted without speaking of science; for a proposal on anything else they are not."""
    files = {"浙江省中医药条例(2024-03-01).md": f"# 浙江省中医药条例\n\n第十条 {INTEGRITY}\n"}
    on_tcm = ASK_INTEGRITY.replace("关于加强科研诚信建设的提案", "关于加强中医药科研诚信建设的提案")
    lines = basis_lines(settings, tmp_path, files, proposal=on_tcm, basis_article_words="")
    assert [text.partition("》")[0] for _, text in lines] == ["根据《浙江省中医药条例"]
    assert basis_lines(settings, tmp_path, files, basis_article_words="") == []


def test_a_regulation_whose_subject_a_suggestion_names_is_ours_for_that_suggestion(settings, tmp_path):
    """落实无人机…… names 《浙江省无人驾驶航空器公共安全管理规定》's subject in everyday words (data/fields.txt:
    无人机 → 无人驾驶航空器): its article may answer that suggestion though it never speaks of science;
    not the next one, which names no drone, nor a proposal that names none."""
    files = {"浙江省无人驾驶航空器公共安全管理规定(2024-03-01).md": f"# 浙江省无人驾驶航空器公共安全管理规定\n\n第十条 {INTEGRITY}\n"}
    on_drones = ASK_INTEGRITY.replace("一、加强科研诚信教育。", "一、加强无人机飞手的科研诚信教育。")
    lines = basis_lines(settings, tmp_path, files, proposal=on_drones, basis_article_words="")
    assert [(section, text.partition("》")[0]) for section, text in lines] == [("plan:1", "根据《浙江省无人驾驶航空器公共安全管理规定")]
    assert basis_lines(settings, tmp_path, files, basis_article_words="") == []
    # with the field vocabulary off, 无人机 names nothing
    assert basis_lines(settings, tmp_path, files, proposal=on_drones, basis_article_words="", field_vocabulary=False) == []


def test_a_law_implementing_rule_whose_subject_the_title_names_in_everyday_words_is_ours(settings, tmp_path):
    """关于……节能……的提案 names 节约能源 in everyday words (data/fields.txt: 节能 → 节约能源), the subject of
    《浙江省实施〈节约能源法〉办法》: its article may be quoted though it never speaks of science."""
    files = {"浙江省实施《节约能源法》办法(2017-11-30).md": f"# 浙江省实施《节约能源法》办法\n\n第十条 {INTEGRITY}\n"}
    on_saving = ASK_INTEGRITY.replace("关于加强科研诚信建设的提案", "关于加强节能领域科研诚信建设的提案")
    lines = basis_lines(settings, tmp_path, files, proposal=on_saving, basis_article_words="")
    assert [text.partition("》")[0] for _, text in lines] == ["根据《浙江省实施〈节约能源法〉办法"]
    assert basis_lines(settings, tmp_path, files, basis_article_words="") == []


def test_a_regulations_subject_is_what_a_title_would_name():
    from assistant.letter.compose import regulation_subject

    assert regulation_subject("浙江省中医药条例(2021-09-30)") == "中医药"
    assert regulation_subject("浙江省数字经济促进条例") == "数字经济"
    assert regulation_subject("温州市气候资源保护和利用条例") == "气候资源"
    assert regulation_subject("中华人民共和国中医药法") == "中医药"
    assert regulation_subject("温州市养老服务促进条例") == "养老服务"  # not 养老: too short to be a subject alone
    assert regulation_subject("浙江省促进中小企业发展条例") == "中小企业"
    assert regulation_subject("生成式人工智能服务管理暂行办法") == "生成式人工智能"
    assert regulation_subject("人力资源市场暂行条例") == "人力资源市场"  # 市 inside a word is no place
    # a law's implementing rule rules the law's subject; a decision rules none
    assert regulation_subject("浙江省实施〈中华人民共和国农业技术推广法〉办法") == "农业技术推广"
    assert regulation_subject("浙江省实施《节约能源法》办法(2017-11-30)") == "节约能源"
    assert regulation_subject("浙江省人民代表大会常务委员会关于促进中医药传承创新发展的决定") == ""


def test_of_two_articles_about_the_ask_the_field_regulation_is_quoted(settings, tmp_path):
    """The same provision in the bureau's own regulation and in another field's: one basis line, ours."""
    files = {
        "浙江省中医药条例(2024-03-01).md": f"# 浙江省中医药条例\n\n第十条 {INTEGRITY}\n",
        "浙江省科学技术普及条例(2024-03-01).md": f"# 浙江省科学技术普及条例\n\n第十二条 {INTEGRITY}\n",
    }
    # a band both cosines (≈ 1) top, so both articles are about the ask
    lines = basis_lines(settings, tmp_path, files, draft_cosine_band=(0.3, 0.9))
    assert [text.partition("》")[0] for _, text in lines] == ["根据《浙江省科学技术普及条例"]


def test_an_article_two_suggestions_want_goes_to_the_one_with_no_other(settings, tmp_path, monkeypatch):
    """Each article is quoted once. （一） would take either of two articles, （二） only the first: （二）
    gets it and （一） the other, where numbering order gave （一） both choices and （二） a placeholder."""
    from assistant.letter import compose

    def ruled(self, qualifying, rel, topic_words):
        by_title = {unit.title: (unit, quote) for unit, quote, _ in qualifying}
        wanted = [("浙江省科学技术进步条例", 0.9), ("浙江省科学技术普及条例", 0.5)] if "教育" in rel.tokens_lead else [("浙江省科学技术进步条例", 0.4)]
        return [(score, *by_title[title]) for title, score in wanted if title in by_title]

    monkeypatch.setattr(compose.Drafter, "_ruled_articles", ruled)
    files = {
        "浙江省科学技术进步条例(2024-03-01).md": "# 浙江省科学技术进步条例\n\n第十条 各级人民政府应当加强科研诚信教育和青年人才培养。\n",
        "浙江省科学技术普及条例(2024-03-01).md": "# 浙江省科学技术普及条例\n\n第十二条 科普工作应当加强科研诚信教育，弘扬科学精神。\n",
    }
    lines = basis_lines(settings, tmp_path, files)
    assert [(section, text.partition("》")[0]) for section, text in lines] == [
        ("plan:1", "根据《浙江省科学技术普及条例"),
        ("plan:2", "根据《浙江省科学技术进步条例"),
    ]


def test_an_article_without_a_vector_of_its_own_is_never_nearest(settings, tmp_path):
    """Articles that share their passage's vector tie: the first (on traffic) must not win."""
    files = {"浙江省科学技术进步条例(2024-03-01).md": PROGRESS_REGULATION}
    assert basis_lines(settings, tmp_path, files, embed_articles=False) == []


def test_the_meaning_route_keeps_every_gate_of_the_word_route(settings, tmp_path):
    """Closer in meaning but another city's, off our field, or only an expired target: the article
    that qualifies is the basis, though it is further from the suggestion."""
    files = {
        "杭州市科学技术进步条例(2024-03-01).md": f"# 杭州市科学技术进步条例\n\n第十条 {INTEGRITY}\n",
        # off our field by its title, and its article does not speak of science either
        "浙江省道路交通安全条例(2024-03-01).md": "# 浙江省道路交通安全条例\n\n第十条 机动车驾驶人在考试中不得弄虚作假。\n",
        "浙江省专利条例(2024-03-01).md": "# 浙江省专利条例\n\n第十条 到2015年，全省科研人员弄虚作假案件发生率下降一半。\n",
        # on 科普 and 诚信 both: further from the ask than the three above, but ours
        "浙江省科学技术普及条例(2024-03-01).md": "# 浙江省科学技术普及条例\n\n第十二条 科普活动应当宣传科学精神，抵制弄虚作假。\n",
    }
    lines = basis_lines(settings, tmp_path, files)
    assert [text[:22] for _, text in lines] == ["根据《浙江省科学技术普及条例》（2024年3"]


def test_two_suggestions_one_next_step_paragraph_each_takes_its_own_clauses():
    """继续优化“科创指数”模型，全面推广“科创指数贷”…，做大做强科创基金: the fund's ask keeps the fund's
    clause, the credit ask takes the 科创指数贷 clauses, where one paragraph used to go to the first alone."""
    from assistant.letter.compose import Relevance, _part_clauses

    fund = Relevance(_Store(), "做大做强市科创基金", "", None, _Settings())
    credit = Relevance(_Store(), "扩大科创指数贷款覆盖面", "推广以科技指标为依据的信用贷款", None, _Settings())
    text = "强化金融支持。全面推广“科创指数贷”融资模式，做大做强科创基金，缓解企业融资难融资贵问题。"
    kept, taken = _part_clauses(text, fund, credit)
    assert "科创基金" in kept and "科创指数贷" not in kept and kept.endswith("。")
    assert taken == "全面推广“科创指数贷”融资模式。"
    # nothing to part: every clause is about one of them, or the other's words are nowhere
    assert _part_clauses("做大做强科创基金，扩大子基金规模。", fund, credit) is None
    assert _part_clauses("全面推广“科创指数贷”融资模式。", fund, credit) is None
    # a clause that joins the one before (并……) stands alone once parted; brackets are not cut
    kept, taken = _part_clauses("做大做强科创基金（含天使基金，以及子基金），并全面推广“科创指数贷”融资模式。", fund, credit)
    assert kept == "做大做强科创基金（含天使基金，以及子基金）。" and taken == "全面推广“科创指数贷”融资模式。"
    # a paragraph whose clauses point back at each other (两者协同发力) is not parted
    assert _part_clauses("全面推广“科创指数贷”融资模式，做大做强科创基金，两者协同发力。", fund, credit) is None


def test_an_article_two_suggestions_want_is_quoted_again_for_another_sentence(settings, tmp_path, monkeypatch):
    """（一） and （二） want only 第二十四条: （二） gets it by its other sentence, not a placeholder."""
    from assistant.letter import compose

    def ruled(self, qualifying, rel, topic_words):
        (unit, _, _), *_ = qualifying
        sentence = "县级以上人民政府可以通过保险费补贴等方式支持科技保险。" if "保险" in rel.tokens_lead else "鼓励金融机构开展知识产权质押贷款。"
        return [(0.9, unit, sentence)]

    monkeypatch.setattr(compose.Drafter, "_ruled_articles", ruled)
    files = {
        "浙江省促进科技成果转化条例(2024-03-01).md": "# 浙江省促进科技成果转化条例\n\n第二十四条 鼓励金融机构开展知识产权质押贷款。"
        "县级以上人民政府可以通过保险费补贴等方式支持科技保险。\n"
    }
    lines = basis_lines(settings, tmp_path, files, "关于科技金融的提案\n提案人：王五\n建议：\n一、扩大知识产权质押贷款。\n二、发展科技保险。")
    assert [(section, "质押" in text, "保险费" in text) for section, text in lines] == [("plan:1", True, False), ("plan:2", False, True)]


def test_a_long_free_prose_suggestion_is_headed_by_its_first_clauses_not_its_purpose(mini):
    """The seeds quote 14–28 characters in 关于“…”的建议; a suggestion of free prose runs to 60. Its heading keeps whole
    clauses up to 40 characters and drops a closing clause that only says what the ask is for; the section still
    answers the whole suggestion (its placeholder quotes the same heading)."""
    text = (
        "关于青年科技人才的提案\n提案者：陈思远\n青年人才拿不到项目。\n"
        "建议市里设立青年科技人才专项，每年拿出一定名额，专门资助35周岁以下的青年科技人员独立主持项目，帮助他们迈出第一步。"
        "同时建议建立人才公寓，让他们安心留在温州。"
    )
    proposal = parse_proposal(text)
    d = mini.draft(proposal)
    headings = [p.text for p in d.paragraphs if p.role == "heading2"]
    assert headings == ["（一）关于“设立青年科技人才专项，每年拿出一定名额”的建议。", "（二）关于“建立人才公寓”的建议。"], headings
    assert len(proposal.suggestions[0]) > 40  # the suggestion itself, searched and summarised, is whole


def test_an_article_goes_to_the_ask_it_answers_most_surely():
    """Basis lines the gate admitted are matched to the suggestions on its margins, not by who has fewest: an
    article sure for one ask (0.97) and barely admitted for another (0.35) goes to the first, which then quotes
    it rather than its second choice; an article two asks want alike goes to the ask that has no other. Lines the
    rules admitted (a pass, whose score is no margin) keep the fewest-first order: each ask keeps a line."""
    from types import SimpleNamespace

    from assistant.letter.compose import chosen_lines

    article = {name: SimpleNamespace(id=number) for number, name in enumerate(["第四十三条", "第二十条", "第八条"])}

    def ids(chosen):
        return {index: line[1].id for index, line in chosen.items()}

    contested = [
        [(0.35, article["第四十三条"], "风险补偿")],
        [(0.97, article["第四十三条"], "风险补偿"), (0.70, article["第二十条"], "信贷")],
    ]
    assert ids(chosen_lines(contested, [0.34, 0.34])) == {1: article["第四十三条"].id}
    ruled = [[(0.45, article["第四十三条"], "风险补偿")], [(0.80, article["第四十三条"], "风险补偿"), (0.30, article["第二十条"], "信贷")]]
    assert ids(chosen_lines(ruled, [None, None])) == {0: article["第四十三条"].id, 1: article["第二十条"].id}
    alike = [
        [(0.80, article["第八条"], "转移"), (0.60, article["第二十条"], "信贷")],
        [(0.80, article["第八条"], "转移")],
    ]
    assert ids(chosen_lines(alike, [0.34, 0.34])) == {0: article["第二十条"].id, 1: article["第八条"].id}
    # an ask left without a line quotes an article chosen already, for another of its sentences
    again = [[(0.90, article["第八条"], "转移机构")], [(0.50, article["第八条"], "技术经纪人")]]
    chosen = chosen_lines(again, [0.34, 0.34])
    assert ids(chosen) == {0: article["第八条"].id, 1: article["第八条"].id} and chosen[1][2] == "技术经纪人"
