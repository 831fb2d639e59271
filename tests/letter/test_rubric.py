"""The drafting rubric on hand-built drafts: each rule catches what it should and passes what it should."""

from __future__ import annotations

import pytest

from assistant.letter.model import Citation, Draft, Flag, Paragraph
from assistant.letter.rubric import (
    MAX_SUMMARY_CHARS,
    addresses,
    is_restatement,
    judge_precedents,
    judgement_table,
    looks_forward,
    markdown_table,
    score_draft,
)

REPLY = Citation(
    id="r1",
    chunk_id=1,
    source="corpus/温科提复〔2024〕110号.txt",
    title="关于市政协十二届三次会议370号提案的答复函",
    doc_type="reply",
    doc_number="温科提复〔2024〕110号",
    date="2024-06-27",
    excerpt="……",
    role="计划",
)
RESULT = REPLY.model_copy(update={"id": "r2", "chunk_id": 2, "role": "成效"})
ARTICLE_TEXT = (
    "第二十八条 鼓励设立科技创新融资担保机构，为科技型中小企业提供融资担保服务。县级以上人民政府可以通过风险补偿、"
    "担保费补贴等方式，支持融资担保机构开展科技型企业融资担保业务。鼓励银行业金融机构设立科技支行，开发适合科技型企业"
    "特点的金融产品，开展知识产权质押融资、股权质押融资和科技保险等业务，为科技成果转化提供金融支持。"
)
POLICY = Citation(
    id="p1",
    chunk_id=3,
    source="浙江省促进科技成果转化条例.md",
    title="浙江省促进科技成果转化条例",
    doc_type="policy",
    excerpt=ARTICLE_TEXT,
    role="条文",
    article="第二十八条",
)
OLD_POLICY = POLICY.model_copy(update={"id": "p2", "chunk_id": 4, "role": ""})  # a draft from before roles
QUOTE_60 = "县级以上人民政府应当建立健全科技成果转化工作协调机制，统筹推进科技成果转化工作，加大科技成果转化资金投入力度。"


def body(text: str, section: str, *cites: str) -> Paragraph:
    return Paragraph(role="body", section=section, text=text, citations=list(cites))


def make_draft(
    plan: dict[int, list[Paragraph]],
    measures: list[Paragraph] = (),
    salutation="陈明、刘洋、黄丽代表：",
    opening="您在市十四届人大四次会议期间所提的《关于加快低空经济发展的建议》（人大建议56号）收悉。"
    "您在建议中就规划建设低空经济试验区、实施关键技术攻关等方面提出了建议。现答复如下：",
    citations=(REPLY, RESULT, POLICY, OLD_POLICY),
    proposers=("陈明", "刘洋", "黄丽"),
) -> Draft:
    paragraphs = [
        Paragraph(role="doc_number", section="header", text="【待填：文号】"),
        Paragraph(role="title", section="header", text="关于市十四届人大四次会议56号建议的答复函"),
        Paragraph(role="salutation", section="header", text=salutation),
        Paragraph(role="opening", section="opening", text=opening),
        Paragraph(role="heading1", section="measures", text="一、工作举措及成效"),
        *measures,
        Paragraph(role="heading1", section="plan", text="二、下一步工作计划"),
    ]
    for number, items in plan.items():
        paragraphs.append(Paragraph(role="heading2", section=f"plan:{number}", text=f"（{number}）关于“建议{number}”的建议。"))
        paragraphs += items
    paragraphs += [Paragraph(role="closing", section="closing", text="感谢您对我市科技创新工作的关心与支持，欢迎您再提宝贵意见。")]
    return Draft(proposal={"proposers": list(proposers), "role": "代表", "kind": "建议"}, paragraphs=paragraphs, citations=list(citations))


GOOD_PLAN = {
    1: [body("下一步，我们将继续深化“揭榜挂帅”机制，每年发布关键核心技术需求榜单。", "plan:1", "r1")],
    2: [
        body("【待补充：关于“开放低空应用场景”的工作举措（未检索到相关答复先例）】", "plan:2"),
        body(f"根据《浙江省促进科技成果转化条例》第十条，“{QUOTE_60}”", "plan:2", "p1"),
    ],
}


def test_a_clean_draft_passes():
    score = score_draft(make_draft(GOOD_PLAN), ["陈明", "刘洋", "黄丽"], "代表")
    assert score.failures() == [] and score.passes()
    assert (score.article_pastes, score.past_results_in_plan, score.restatements_reused) == (0, 0, 0)
    assert score.forward_share == 1.0 and score.forward_counted == 1  # placeholder and basis line not judged
    assert (score.suggestions, score.answered, score.placeholders, score.basis_lines) == (2, 1, 1, 1)


# -- article pastes ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "第二十八条 鼓励设立科技创新融资担保机构，为科技型中小企业提供融资担保服务。",
        "第28条鼓励设立科技创新融资担保机构。",
        "一是第十条 县级以上人民政府应当加强对科技成果转化工作的领导。",
        "用于前款第十六项的资金不得超过本级科技经费的百分之十。第四十八条　省人民政府设立自然科学基金。",
    ],
)
def test_article_text_is_a_paste(text):
    draft = make_draft({1: [body(text, "plan:1")]}, measures=[body(text, "measures")])
    assert score_draft(draft).article_pastes == 2


def test_short_basis_line_is_not_a_paste():
    assert len(QUOTE_60) <= 80
    line = body(f"根据《浙江省促进科技成果转化条例》第十条，“{QUOTE_60}”。", "plan:1", "p1")
    score = score_draft(make_draft({1: [line]}))
    assert score.article_pastes == 0 and score.basis_lines == 1


def test_long_basis_quote_or_uncited_form_citing_an_article_is_a_paste():
    long_quote = QUOTE_60 * 2
    too_long = body(f"根据《浙江省促进科技成果转化条例》第十条，“{long_quote}”。", "plan:1", "p1")
    rewritten = body("我们将鼓励银行业金融机构设立科技支行，开展知识产权质押融资。", "plan:2", "p1")
    old = body("鼓励银行业金融机构设立科技支行。", "plan:3", "p2")  # old drafts: role '' on a policy passage
    score = score_draft(make_draft({1: [too_long], 2: [rewritten], 3: [old]}))
    assert score.article_pastes == 3


def test_long_stretch_of_an_article_is_a_paste_even_uncited():
    pasted = "下一步，我们将" + ARTICLE_TEXT[6:140]
    score = score_draft(make_draft({1: [body(pasted, "plan:1", "r1")]}))
    assert score.article_pastes == 1
    short = "下一步，我们将" + ARTICLE_TEXT[6:100]  # < 120 characters shared
    assert score_draft(make_draft({1: [body(short, "plan:1", "r1")]})).article_pastes == 0


def test_reply_paragraph_mentioning_a_regulation_is_not_a_paste():
    text = "下一步，我们将深入实施《温州市民营企业科技创新促进条例》第十二条规定的各项扶持措施。"
    assert score_draft(make_draft({1: [body(text, "plan:1", "r1")]})).article_pastes == 0


# -- past results under 二、 -----------------------------------------------------------------------
def test_past_results_under_plan_are_caught():
    text = "截至2024年5月底，市科创基金注册设立子基金21支，总规模59亿元，累计实缴到位26.4亿元。"
    score = score_draft(make_draft({2: [body(text, "plan:2", "r1")]}))
    assert score.past_results_in_plan == 1 and "past_results_in_plan" in score.failures()
    # the same text under 一、 is where results belong
    assert score_draft(make_draft({}, measures=[body(text, "measures", "r1")])).past_results_in_plan == 0


def test_forward_lead_in_does_not_excuse_a_result_sentence():
    text = "下一步，我们将继续做大科创基金。截至2024年5月底，累计实缴到位26.4亿元。"
    assert score_draft(make_draft({1: [body(text, "plan:1", "r1")]})).past_results_in_plan == 1


def test_result_citation_under_plan_is_caught():
    text = "下一步，我们将继续推广“科创指数贷”融资模式。"
    assert score_draft(make_draft({1: [body(text, "plan:1", "r2")]})).past_results_in_plan == 1


@pytest.mark.parametrize(
    "text",
    [
        "力争到2025年，累计建成新型研发机构100家。",
        "下一步，我们将继续深化“双清零一提升”行动，确保高新技术企业总数保持全省前3。",
        "2023年温州市发布了三年行动方案，优化科研力量布局。",  # a year is not a figure
    ],
)
def test_targets_and_years_are_not_past_results(text):
    assert score_draft(make_draft({1: [body(text, "plan:1", "r1")]})).past_results_in_plan == 0


# -- forward share ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "下一步，我们将继续推广“头部企业+大学（研究院）”创新联合体模式。",
        "到2025年，实现“5+5”产业新型研发机构全覆盖。",
        "力争5年孵化载体超1000万方。",
        "进一步激发民营企业创新活力。",
    ],
)
def test_forward_wording(text):
    assert looks_forward(text)


@pytest.mark.parametrize(
    "text",
    [
        "全面实行“揭榜挂帅”工作机制，立项支持实施一批重大科技创新攻关项目。",
        "已将新型研发机构建设工作纳入县（市、区）年度考绩。",
        "2023年温州市发布了《温州市新型研发机构创新链与产业链融合提升三年行动方案》。",
    ],
)
def test_not_forward_wording(text):
    assert not looks_forward(text)


def test_forward_share_below_target_fails():
    plan = {1: [body("下一步，我们将继续深化“揭榜挂帅”机制。", "plan:1", "r1"), body("全面实行“揭榜挂帅”工作机制，立项支持一批攻关项目。", "plan:1", "r1")]}
    score = score_draft(make_draft(plan))
    assert score.forward_share == 0.5 and "forward_share" in score.failures()


def test_only_placeholders_leave_forward_share_undefined():
    plan = {1: [body("【待补充：关于“开放低空应用场景”的工作举措（未检索到相关答复先例）】", "plan:1")]}
    score = score_draft(make_draft(plan))
    assert score.forward_share is None and "forward_share" not in score.failures()
    assert (score.answered, score.placeholders) == (0, 1)


# -- restatements ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "您在提案中建议加大对民营企业科技创新的政策支持力度。",
        "提案立足于温州发挥高能级科创平台塑造地方经济发展新优势的发展新阶段，提出要完善科创平台工作交流机制。",
        "关于“建立科创平台的可持续发展机制”的建议。根据新型研发机构“十个一批”建设要求。",
        "代表在建议中提出要简化试飞空域申请流程。",
    ],
)
def test_restatements_are_caught(text):
    assert is_restatement(text)
    assert score_draft(make_draft({1: [body(text, "plan:1", "r1")]})).restatements_reused == 1


def test_heading_restating_our_own_proposer_is_fine():
    # the （一）关于“…”的建议。 headings are ours, not body text
    assert score_draft(make_draft(GOOD_PLAN)).restatements_reused == 0
    assert not is_restatement("下一步，我们将支持研发机构主动对接本土优质企业。")


# -- proposers -------------------------------------------------------------------------------------
def test_salutation_dropping_a_joint_proposer_fails():
    draft = make_draft(GOOD_PLAN, salutation="陈明、黄丽代表：")
    score = score_draft(draft, ["陈明", "刘洋", "黄丽"], "代表")
    assert not score.proposers_addressed and "proposers_addressed" in score.failures()


@pytest.mark.parametrize(
    "salutation, role, ok",
    [
        ("陈明、刘洋、黄丽代表：", "代表", True),
        ("陈明、刘洋、黄丽代表:", "代表", True),  # the colon's width is lint's business
        ("陈明、刘洋、黄丽委员：", "代表", False),  # wrong role for a 人大建议
        ("刘洋、陈明、黄丽代表：", "代表", False),  # the lead comes first
        ("陈明代表：", "代表", False),
        ("陈明等代表：", "代表", False),
        ("【待填：提案人】委员：", "委员", False),
    ],
)
def test_salutation_forms(salutation, role, ok):
    assert addresses(salutation, ["陈明", "刘洋", "黄丽"], role) is ok


def test_proposers_default_to_the_drafts_own():
    assert score_draft(make_draft(GOOD_PLAN)).proposers_addressed
    assert not score_draft(make_draft(GOOD_PLAN, proposers=())).proposers_addressed


# -- summary ---------------------------------------------------------------------------------------
def test_summary_length():
    score = score_draft(make_draft(GOOD_PLAN))
    assert score.summary_chars == len("您在建议中就规划建设低空经济试验区、实施关键技术攻关等方面提出了建议。")
    long = "您在建议中就" + "，".join(["规划建设集试飞测试、适航验证、人才培训于一体的无人机综合试验基地"] * 3) + "等方面提出了建议。"
    assert len(long) > MAX_SUMMARY_CHARS
    opening = "您在……期间所提的《关于加快低空经济发展的建议》（人大建议56号）收悉。" + long + "现答复如下："
    score = score_draft(make_draft(GOOD_PLAN, opening=opening))
    assert score.summary_chars == len(long) and "summary_chars" in score.failures()
    missing = score_draft(make_draft(GOOD_PLAN, opening="……收悉。现答复如下："))
    assert missing.summary_chars is None and "summary_chars" in missing.failures()


# -- basis lines, answered, checks ------------------------------------------------------------------
def test_basis_line_limits():
    line = f"根据《浙江省促进科技成果转化条例》第十条，“{QUOTE_60}”。"
    plan = {1: [body("下一步，我们将继续推进成果转化。", "plan:1", "r1"), body(line, "plan:1", "p1"), body(line, "plan:1", "p1")]}
    measures = [body(line, "measures", "p1")] * 3
    score = score_draft(make_draft(plan, measures=measures))
    assert score.basis_lines == 5 and sorted(score.basis_over) == ["measures", "plan:1"]
    assert "basis_lines" in score.failures() and score.article_pastes == 0
    ok = score_draft(make_draft({1: plan[1][:2]}, measures=measures[:2]))
    assert ok.basis_lines == 3 and ok.basis_over == []


def test_answered_needs_a_reply_citation_and_checks_count_flags():
    plan = {
        1: [body("下一步，我们将继续推进成果转化。", "plan:1", "r1")],
        2: [body(f"根据《浙江省促进科技成果转化条例》第十条，“{QUOTE_60}”。", "plan:2", "p1")],
    }
    draft = make_draft(plan)
    draft.paragraphs[-2].flags = [Flag(kind="figure", text="21支", message="请核实")]
    score = score_draft(draft)
    assert (score.suggestions, score.answered, score.placeholders, score.checks) == (2, 1, 0, 1)


def test_twelve_suggestions():
    plan = {n: [body(f"下一步，我们将继续推进第{n}项工作。", f"plan:{n}", "r1")] for n in range(1, 13)}
    score = score_draft(make_draft(plan))
    assert score.suggestions == 12 and score.answered == 12 and score.passes()


def test_markdown_table_has_a_row_per_draft_and_overall():
    good = score_draft(make_draft(GOOD_PLAN), name="good.txt")
    bad = score_draft(
        make_draft({1: [body("第二十八条 鼓励设立科技创新融资担保机构。", "plan:1")]}, salutation="陈明、黄丽代表："), ["陈明", "刘洋", "黄丽"], name="bad.txt"
    )
    table = markdown_table([good, bad]).splitlines()
    assert len(table) == 2 + 2 + 1
    assert table[2].startswith("| good.txt |") and table[2].endswith("| ✓ |")
    assert "article_pastes" in table[3] and "proposers_addressed" in table[3]
    assert table[-1].startswith("| **overall (2 drafts)** |") and "1/2 pass" in table[-1] and "1/2" in table[-1]


def test_precedents_judged_against_labels():
    fund = REPLY.model_copy(update={"id": "r3", "excerpt": "二是强化金融支持。继续优化“科创指数”模型……"})
    attack = REPLY.model_copy(update={"id": "r4", "excerpt": "二是鼓励重大科技攻关，全面实行“揭榜挂帅”工作机制……"})
    draft = make_draft(
        {
            1: [body("下一步，我们将继续优化“科创指数”模型。", "plan:1", "r3")],  # acceptable
            2: [body("下一步，我们将鼓励重大科技攻关。", "plan:2", "r4")],  # a precedent exists, the wrong one was used
            3: [body("【待补充：关于“开放低空应用场景”的工作举措（未检索到相关答复先例）】", "plan:3")],  # right: none exists
            4: [body("下一步，我们将鼓励重大科技攻关。", "plan:4", "r4")],  # none exists, yet one was pasted
            5: [body("【待补充：关于“做大科创基金”的工作举措（未检索到相关答复先例）】", "plan:5")],  # missed
        },
        citations=(fund, attack, POLICY),
    )
    labels = {"1": ["强化金融支持"], "2": ["探索可持续财政支持方式"], "3": [], "4": [], "5": ["强化金融支持"]}
    j = judge_precedents(draft, labels, name="x")
    assert (j.answered_right, j.answered_wrong, j.missed, j.gap_right, j.gap_filled) == (1, 1, 1, 1, 1)
    assert (j.units_used, j.units_acceptable) == (3, 1)
    table = judgement_table([j, j])
    assert "| **overall (2 drafts)** | 2 | 2 | 2 | 2 | 2 | 0.33 |" in table


@pytest.mark.parametrize(
    "salutation, proposers, ok",
    [
        ("九三学社温州市委会：", ["九三学社温州市委会"], True),
        ("九三学社温州市委会委员：", ["九三学社温州市委会"], True),  # named; that no 委员 follows is the template's (test_proposal)
        ("民盟温州市委会，张三、李四委员：", ["民盟温州市委会", "张三", "李四"], True),
        ("民盟温州市委会：", ["民盟温州市委会", "张三"], False),  # a person left out
        ("张三委员：", ["九三学社温州市委会"], False),
    ],
)
def test_an_organisation_is_addressed_by_its_name(salutation, proposers, ok):
    assert addresses(salutation, proposers, "委员") is ok
