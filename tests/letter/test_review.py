"""review: coverage, 空泛, copying, stale figures, promises followed up, handling class — on real
drafts over a real index of the seed letters (hashing embedder), through the service and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app as cli_app

from ..conftest import CORPUS, ROOT, SEED_106, SEED_110

FINANCING = ROOT / "examples" / "proposal-financing.txt"
runner = CliRunner()

SAME_PROPOSER = """关于进一步发挥新型研发机构作用的提案

提案人：谢新宇
市政协十二届四次会议 提案第66号

为此，提出以下建议：
一、推动新型研发机构与龙头企业共建研发中心。
二、完善新型研发机构绩效评价。
"""

LETTER_TO_XIE = """温科提复〔2025〕88号

# 关于市政协十二届四次会议66号提案的答复函

谢新宇委员：

您在市政协十二届四次会议期间所提的《关于进一步发挥新型研发机构作用的提案》（政协提案66号）收悉。现答复如下：

## 一、工作举措及成效

截至2025年5月底，全市新型研发机构与企业共建研发中心86家，市科技局组织开展了年度绩效评价。

## 二、下一步工作计划

### （一）关于“推动新型研发机构与龙头企业共建研发中心”的建议。

下一步，市科技局将组织新型研发机构对接本地龙头企业，2025年底前新增共建研发中心10家。

### （二）关于“完善新型研发机构绩效评价”的建议。

修订《温州市新型研发机构绩效评价办法》，2025年10月前印发实施。

感谢您对我市科技创新工作的关心和支持，欢迎您再提宝贵意见。

温州市科学技术局

2025年6月30日
"""


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    from assistant.corpus.ingest import run_all
    from assistant.service import Assistant
    from assistant.settings import Settings

    directory = tmp_path_factory.mktemp("review-index")
    built = Assistant(Settings(index_dir=directory, embedding_model="hash:128", _env_file=None))
    assert run_all(built.ingest([CORPUS])).added == 2
    built.close()
    return directory


@pytest.fixture
def reviewer(index_dir):
    from assistant.service import Assistant
    from assistant.settings import Settings

    instance = Assistant(Settings(index_dir=index_dir, embedding_model="hash:128", _env_file=None))
    yield instance
    instance.close()


def real_draft(index_dir, embedder, proposal_path) -> str:
    """A sample proposal drafted over the seed letters with the real model: drafting weighs a unit's
    meaning on the model's calibrated cosine band, which the hashing embedder has not."""
    from assistant.letter.markdown import draft_to_markdown
    from assistant.service import Assistant
    from assistant.settings import Settings

    drafter = Assistant(Settings(index_dir=index_dir, _env_file=None), embedder)
    return draft_to_markdown(drafter.draft(drafter.parse_proposal(path=proposal_path)))


def gap_of(markdown: str) -> tuple[str, str]:
    """(ordinal, suggestion) of the draft's first section that holds only a 【待补充】 placeholder."""
    match = re.search(r"### （(.)）关于“([^\n]+?)”的建议。\n\n【待补充", markdown)
    assert match, "the draft has no placeholder section"
    return match.group(1), match.group(2)


@pytest.fixture(scope="module")
def financing_markdown(seed_index_dir, real_embedder):
    return real_draft(seed_index_dir, real_embedder, FINANCING)


def review_text(reviewer, tmp_path, text: str, proposal: Path | None = None, handling_class: str | None = None, name="draft.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return reviewer.review_file(path, proposal, handling_class)


def of(report, check: str):
    return [f for f in report.findings if f.check == check]


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.lstrip("# ").startswith(start))


def section_removed(markdown: str, ordinal: str) -> str:
    """The Markdown without the （N） heading and its paragraphs."""
    out, skipping = [], False
    for line in markdown.split("\n"):
        if line.startswith("### "):
            skipping = line.startswith(f"### {ordinal}")
        elif line.startswith(("## ", "最后感谢", "---")):
            skipping = False
        if not skipping:
            out.append(line)
    return "\n".join(out)


# -- coverage ----------------------------------------------------------------------------------
def test_a_deleted_section_is_named_by_its_suggestion(reviewer, tmp_path, financing_markdown):
    edited = section_removed(financing_markdown, "（三）")
    assert "完善科技金融服务体系" not in edited.split("## 二、")[1].split("---")[0]
    report = review_text(reviewer, tmp_path, edited, FINANCING)
    coverage = of(report, "coverage")
    missing = [f for f in coverage if "完善科技金融服务体系" in f.message]
    assert len(missing) == 1 and "没有单独答复" in missing[0].message and "（三）" in missing[0].fix
    assert missing[0].line == line_of(edited, "二、下一步工作计划")
    # the section that holds only 【待补充】 is named too; the answered ones are not
    _, gap = gap_of(financing_markdown)
    [answered] = {"创新科技信贷产品", "发挥政府引导基金作用"} - {gap}
    assert any(gap in f.message and "只有占位符" in f.message for f in coverage)
    assert not any(answered in f.message for f in coverage)
    # the untouched draft: only the placeholder section
    full = review_text(reviewer, tmp_path, financing_markdown, FINANCING)
    assert [f.message for f in of(full, "coverage")] == [f"建议“{gap}”的答复只有占位符，未说明办理情况"]


def test_coverage_needs_a_proposal_for_markdown_but_not_for_json(reviewer, tmp_path):
    markdown = review_text(reviewer, tmp_path, LETTER_TO_XIE)
    assert not of(markdown, "coverage") and any("--proposal" in note for note in markdown.notes)
    draft = reviewer.draft(reviewer.parse_proposal(path=FINANCING))
    path = tmp_path / "draft.json"
    path.write_text(json.dumps(draft.to_json_dict(), ensure_ascii=False), encoding="utf-8")
    report = reviewer.review_file(path)  # the JSON carries the proposal the Drafter put there
    assert of(report, "coverage") and not any("--proposal" in note for note in report.notes)


# -- specificity -------------------------------------------------------------------------------
def test_a_paragraph_of_stock_phrases_is_vague(reviewer, tmp_path):
    vague = "我局高度重视，认真研究，将在今后工作中研究采纳，进一步加强相关工作。"
    text = LETTER_TO_XIE.replace(
        "修订《温州市新型研发机构绩效评价办法》，2025年10月前印发实施。", f"修订《温州市新型研发机构绩效评价办法》，2025年10月前印发实施。\n\n{vague}"
    )
    report = review_text(reviewer, tmp_path, text)
    flagged = of(report, "specificity")
    assert len(flagged) == 1 and "空泛" in flagged[0].message and "认真研究" in flagged[0].message
    assert flagged[0].line == line_of(text, "我局高度重视") and flagged[0].paragraph.startswith("我局高度重视")
    assert (report.specific, report.paragraphs) == (3, 4) and "具体段落 3/4（75%）" in report.summary()
    # the same wording with a deadline and a responsible unit is specific
    anchored = text.replace(vague, "市科技局高度重视，将于2025年底前进一步加强相关工作。")
    assert not of(review_text(reviewer, tmp_path, anchored), "specificity")


def test_one_answer_pasted_under_two_suggestions_is_named(reviewer, tmp_path):
    """The probe's 重复 it never saw: the same paragraph under （一） and （二） answers only one of them."""
    answer = "下一步，市科技局将组织新型研发机构对接本地龙头企业，2025年底前新增共建研发中心10家。"
    text = LETTER_TO_XIE.replace("修订《温州市新型研发机构绩效评价办法》，2025年10月前印发实施。", answer)
    repeated = [f for f in of(review_text(reviewer, tmp_path, text), "copying") if "答复相同" in f.message]
    assert len(repeated) == 1 and "推动新型研发机构" in repeated[0].message
    assert repeated[0].line == max(n for n, line in enumerate(text.split("\n"), 1) if line == answer)
    assert not [f for f in of(review_text(reviewer, tmp_path, LETTER_TO_XIE), "copying") if "答复相同" in f.message]


def test_users_extend_the_stock_phrases(index_dir, tmp_path):
    from assistant.service import Assistant
    from assistant.settings import Settings

    mine = tmp_path / "mine.txt"
    mine.write_text("# 本单位常用的空话\n稳中求进地推动工作落地见效\n", encoding="utf-8")
    text = LETTER_TO_XIE.replace("修订《温州市新型研发机构绩效评价办法》，2025年10月前印发实施。", "我们将稳中求进地推动工作落地见效。")
    plain = Assistant(Settings(index_dir=index_dir, embedding_model="hash:128", _env_file=None))
    extended = Assistant(Settings(index_dir=index_dir, embedding_model="hash:128", stock_phrases_file=mine, _env_file=None))
    try:
        assert not of(review_text(plain, tmp_path, text), "specificity")
        assert len(of(review_text(extended, tmp_path, text), "specificity")) == 1
    finally:
        plain.close()
        extended.close()


# -- copying -----------------------------------------------------------------------------------
def seed_110_body() -> list[str]:
    lines = [line.strip() for line in SEED_110.read_text(encoding="utf-8").split("\n") if line.strip()]
    return [line for line in lines if line.startswith(("近年来", "下一步", "（一）", "（二）", "（三）"))]


def test_a_draft_made_of_seed_110_repeats_it(reviewer, tmp_path, financing_markdown):
    body = seed_110_body()
    head, _, rest = financing_markdown.partition("## 一、工作举措及成效")
    copied = (
        head + "## 一、工作举措及成效\n\n" + body[0] + "\n\n## 二、下一步工作计划\n\n" + "\n\n".join(body[1:]) + "\n\n最后感谢" + rest.split("最后感谢", 1)[1]
    )
    report = review_text(reviewer, tmp_path, copied, FINANCING)
    whole = [f for f in of(report, "copying") if f.scope == "全文"]
    assert len(whole) == 1 and whole[0].severity == "问题"
    match = re.search(r"与温科提复〔2024〕110号答复重复 (\d+)%", whole[0].message)
    assert match and int(match.group(1)) >= 80, whole[0].message
    # per paragraph: the share and the letter, a problem where the paragraph does not cite it
    per = [f for f in of(report, "copying") if f.scope == "段落"]
    assert len(per) == 5 and all("〔2024〕110号" in f.message and "未注明出处" in f.message for f in per)
    assert per[0].line == line_of(copied, "近年来")


def test_cited_reuse_is_a_note_not_a_repeat(reviewer, tmp_path, financing_markdown):
    report = review_text(reviewer, tmp_path, financing_markdown, FINANCING)
    copying = of(report, "copying")
    assert copying and all(f.severity == "提示" and f.scope == "段落" and "已注明出处" in f.message for f in copying)
    assert all(re.search(r"本段 \d+% 与温科提复〔2024〕110号答复相同", f.message) for f in copying)


def test_a_seed_letter_is_not_compared_with_itself(reviewer):
    report = reviewer.review_file(SEED_110)
    assert not of(report, "copying")


# -- staleness ---------------------------------------------------------------------------------
def test_figures_older_than_a_year_than_the_letter(reviewer, tmp_path, financing_markdown):
    date = re.search(r"^\d{4}年\d{1,2}月\d{1,2}日$", financing_markdown, re.M).group(0)
    fresh = review_text(reviewer, tmp_path, financing_markdown.replace(date, "2024年12月1日"), FINANCING)
    assert not of(fresh, "staleness")
    stale_text = financing_markdown.replace(date, "2025年9月1日")
    stale = of(review_text(reviewer, tmp_path, stale_text, FINANCING), "staleness")
    assert len(stale) == 1  # one per paragraph, not one per figure (it holds 15)
    assert "15 个数据" in stale[0].message and "2024年6月" in stale[0].message and "温科提复〔2024〕110号" in stale[0].message
    assert "15 个月" in stale[0].message and stale[0].line == line_of(stale_text, "厚植民企发展沃土")


# -- promises ----------------------------------------------------------------------------------
def test_a_promise_of_the_last_reply_to_the_same_proposer(reviewer, tmp_path):
    proposal = tmp_path / "proposal.txt"
    proposal.write_text(SAME_PROPOSER, encoding="utf-8")
    report = review_text(reviewer, tmp_path, LETTER_TO_XIE, proposal)
    promises = [f.message for f in of(report, "promises")]
    assert "上次答复承诺“到2025年，实现‘5+5’产业新型研发机构全覆盖”，请说明进展（温科提复〔2024〕106号，2024年6月，同一提案人）" in promises
    assert any("到2025年，联合龙头骨干企业共建研发中心（院）超100家" in m for m in promises)
    # saying what became of it answers it
    answered = LETTER_TO_XIE.replace("市科技局组织开展了年度绩效评价。", "市科技局组织开展了年度绩效评价。“5+5”产业新型研发机构已实现全覆盖。")
    after = [f.message for f in of(review_text(reviewer, tmp_path, answered, proposal), "promises")]
    assert not any("5+5" in m for m in after) and len(after) == len(promises) - 1


def test_a_promise_on_the_same_topic_to_another_proposer(reviewer, tmp_path):
    proposal = tmp_path / "proposal.txt"
    proposal.write_text(SAME_PROPOSER.replace("谢新宇", "王五"), encoding="utf-8")
    report = review_text(reviewer, tmp_path, LETTER_TO_XIE.replace("谢新宇委员", "王五委员"), proposal)
    promises = [f.message for f in of(report, "promises")]
    assert any("到2025年，实现‘5+5’产业新型研发机构全覆盖" in m and "同一主题" in m for m in promises)
    # an earlier letter on another topic promises nothing here (110: 孵化载体、全省前3)
    assert not any("110号" in m for m in promises)


def test_a_promise_made_days_before_is_not_due(reviewer):
    assert not of(reviewer.review_file(SEED_110), "promises")  # 106 is dated one day before 110


# -- handling class ----------------------------------------------------------------------------
def test_class_a_needs_results_and_class_c_a_reason(reviewer, tmp_path, financing_markdown):
    no_results = re.sub(r"(## 一、工作举措及成效\n\n).*?(\n\n## 二、)", r"\1【待补充：已开展的工作举措及成效】\2", financing_markdown, flags=re.S)
    found = [f for f in of(review_text(reviewer, tmp_path, no_results, FINANCING, "A"), "class") if "没有办理成效" in f.message]
    assert len(found) == 1 and "A类（已解决或采纳）" in found[0].message
    assert found[0].line == line_of(no_results, "一、工作举措及成效")
    # the draft as made: one section is a placeholder and its opening holds the rest back (条件许可时统筹实施)
    ordinal, gap = gap_of(financing_markdown)
    placeholder = f"【待补充：关于“{gap}”的工作举措（未检索到相关答复先例）】"
    as_made = of(review_text(reviewer, tmp_path, financing_markdown, FINANCING, "A"), "class")
    assert any(f"（{ordinal}）关于" in f.message and "尚无办理内容" in f.message for f in as_made)
    assert any("条件许可" in f.message for f in as_made) and len(as_made) == 2
    filled = financing_markdown.replace(placeholder, "截至2026年9月底，市科创基金子基金增至30支，总规模80亿元。").replace(
        "其余内容将在条件许可时统筹实施", "我们将认真研究吸收采纳"
    )
    assert not of(review_text(reviewer, tmp_path, filled, FINANCING, "A"), "class")

    no_reason = of(review_text(reviewer, tmp_path, financing_markdown, FINANCING, "C"), "class")
    assert len(no_reason) == 1 and "没有说明不能解决的原因" in no_reason[0].message
    reason = financing_markdown.replace(placeholder, "因市级财力受到减收影响，扩大科创类基金规模目前暂不具备条件，待财力好转后再行研究。")
    assert not of(review_text(reviewer, tmp_path, reason, FINANCING, "C"), "class")


def test_the_class_comes_from_the_draft_and_round_trips_through_markdown(reviewer, tmp_path, financing_markdown):
    from assistant.letter.markdown import draft_to_markdown, markdown_to_draft

    marked = "办理结果类别：C\n\n" + financing_markdown
    draft = markdown_to_draft(marked)
    assert draft.handling_class == "C" and draft.paragraphs[0].role == "doc_number"
    assert draft_to_markdown(draft).startswith("办理结果类别：C\n\n【待填：文号】")
    assert markdown_to_draft(draft_to_markdown(draft)).model_dump() == draft.model_dump()
    report = review_text(reviewer, tmp_path, marked, FINANCING)  # no --class: the draft's own
    assert report.handling_class == "C" and of(report, "class")
    # the line is not a paragraph of the letter, and lint has nothing to say about it
    assert "办理结果" not in draft.text() and not [f for f in reviewer.lint(marked) if f.line == 1]


def test_an_unknown_class_is_a_clear_error(reviewer, tmp_path, financing_markdown):
    from assistant.errors import AssistantError

    with pytest.raises(AssistantError) as caught:
        review_text(reviewer, tmp_path, financing_markdown, FINANCING, "Z")
    assert "未知的办理结果类别" in str(caught.value) and "unknown handling class" in str(caught.value) and "D（留作参考）" in str(caught.value)


# -- the command -------------------------------------------------------------------------------
def test_review_command_exit_codes_and_json(index_dir, tmp_path, monkeypatch, financing_markdown):
    monkeypatch.setenv("REPLY_ASSISTANT_EMBEDDING_MODEL", "hash:128")
    index = ["--index", str(index_dir)]
    path = tmp_path / "draft.md"
    path.write_text(financing_markdown, encoding="utf-8")
    result = runner.invoke(cli_app, ["review", str(path), "--proposal", str(FINANCING), *index])
    assert result.exit_code == 1, result.output
    assert f"[逐条答复·问题] 建议“{gap_of(financing_markdown)[1]}”的答复只有占位符" in result.stdout
    assert "    建议：" in result.stdout and "具体段落" in result.stdout
    result = runner.invoke(cli_app, ["review", str(path), "--json", *index])
    payload = json.loads(result.stdout)
    assert result.exit_code == 1 and payload["problems"] == len([f for f in payload["findings"] if f["severity"] == "问题"])
    assert {"check", "line", "paragraph", "message", "fix", "severity"} <= set(payload["findings"][0])
    assert any("--proposal" in note for note in payload["notes"])
    # a letter with nothing to find: exit 0
    result = runner.invoke(cli_app, ["review", str(SEED_106), *index])
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.stdout
    result = runner.invoke(cli_app, ["review", str(path), "--class", "Z", *index])
    assert result.exit_code == 2 and "unknown handling class" in result.output


# -- issue 14 follow-up: false alarms and misses found by a user test ----------------------------
RND = ROOT / "examples" / "proposal-enterprise-rnd-centers.txt"
LETTER_DAY = "2026年11月25日"


@pytest.fixture(scope="module")
def rnd_markdown(seed_index_dir, real_embedder):
    return real_draft(seed_index_dir, real_embedder, RND)


def dated(markdown: str, day: str = LETTER_DAY) -> str:
    return re.sub(r"^\d{4}年\d{1,2}月\d{1,2}日$", day, markdown, count=1, flags=re.M)


PLAN_106 = (
    "下一步，我们将支持共建研发中心，支持研发机构主动对接一批本土优质企业及产业链上下游的核心企业，推广“龙头企业+创新平台”"
    "创新联合体模式。到2025年，联合龙头骨干企业共建研发中心（院）超100家。"
)
CITE_106 = (
    "[^c9]: 〔答复函·计划〕温科提复〔2024〕106号 关于市政协十二届三次会议74号提案的答复函，2024-06-26 · "
    "corpus/温科提复〔2024〕106号.txt · 段落#12 — “一是支持共建研发中心，支持研发机构主动对接一批本土优质企业及产业链上下游的核心企业…”"
)


def test_targets_in_a_plan_are_not_stale_data(reviewer, tmp_path, rnd_markdown):
    """The plan paragraph a draft takes from 106 (cited), with a goal the 承办人 added."""
    placeholder = re.search(rf"【待补充：关于“{re.escape(gap_of(rnd_markdown)[1])}”[^】]*】", rnd_markdown).group(0)
    text = dated(rnd_markdown).replace(placeholder, PLAN_106 + "力争到2027年，省级企业研究院数量保持全省前3。 [^c9]")
    text = text.replace("\n## 需核实", f"{CITE_106}\n\n## 需核实")
    stale = of(review_text(reviewer, tmp_path, text, RND), "staleness")
    assert not any("超100家" in f.message or "全省前3" in f.message for f in stale), [f.message for f in stale]
    # the results in 一、 are still old data
    assert any("2365家" in f.message for f in stale)


def test_a_paragraph_brought_up_to_date_is_not_stale(reviewer, tmp_path, financing_markdown):
    text = dated(financing_markdown)
    assert any("厚植民企" in f.paragraph for f in of(review_text(reviewer, tmp_path, text, FINANCING), "staleness"))
    updated = text.replace("截至2024年5月底，市科创基金注册设立子基金 21支", "截至2026年9月底，市科创基金注册设立子基金 30支")
    assert updated != text
    assert not any("厚植民企" in f.paragraph for f in of(review_text(reviewer, tmp_path, updated, FINANCING), "staleness"))
    # a figure the 承办人 added (not in the cited reply) is not the reply's figure
    added = dated(financing_markdown, "2025年9月1日").replace("2024年新增投资项目3个", "2025年新增投资项目12个，2024年新增投资项目3个")
    stale = of(review_text(reviewer, tmp_path, added, FINANCING), "staleness")
    assert len(stale) == 1 and "15 个数据" in stale[0].message and "12个" not in stale[0].message


def test_figures_of_a_year_named_first_are_dated_by_it(reviewer, tmp_path):
    """2023年，全市建成中试平台12家 in a letter of June 2025: 18 months old, stale (the probe's letter was not told);
    2023年以来…… still runs, and is not."""
    stale = LETTER_TO_XIE.replace("截至2025年5月底，全市新型研发机构与企业共建研发中心86家", "2023年，全市新型研发机构与企业共建研发中心86家")
    found = of(review_text(reviewer, tmp_path, stale), "staleness")
    assert len(found) == 1 and "2023年12月" in found[0].message and "86家" in found[0].message
    running = stale.replace("2023年，全市", "2023年以来，全市")
    assert not of(review_text(reviewer, tmp_path, running), "staleness")


def test_an_expired_promise_repeated_word_for_word_is_due(reviewer, tmp_path):
    proposal = tmp_path / "proposal.txt"
    proposal.write_text(SAME_PROPOSER, encoding="utf-8")
    promise = "到2025年，联合龙头骨干企业共建研发中心（院）超100家"
    repeated = LETTER_TO_XIE.replace("2025年6月30日", LETTER_DAY).replace("2025年底前新增共建研发中心10家。", f"2025年底前新增共建研发中心10家。{promise}。")
    found = [f.message for f in of(review_text(reviewer, tmp_path, repeated, proposal), "promises")]
    assert any(f"上次答复承诺“{promise}”（到2025年），已到期，请说明完成情况" in m for m in found), found
    # stating the outcome follows it up
    answered = repeated.replace(f"{promise}。", "截至2026年10月底，已联合龙头骨干企业共建研发中心（院）108家。")
    after = [f.message for f in of(review_text(reviewer, tmp_path, answered, proposal), "promises")]
    assert not any("共建研发中心（院）超100家" in m for m in after), after
    # a promise not yet due is still answered by a mention (the letter of 2025)
    in_time = [
        f.message for f in of(review_text(reviewer, tmp_path, LETTER_TO_XIE.replace("年度绩效评价。", f"年度绩效评价。{promise}。"), proposal), "promises")
    ]
    assert not any("共建研发中心（院）超100家" in m for m in in_time) and not any("已到期" in m for m in in_time)


def test_promises_on_another_topic_are_left_out(reviewer, financing_markdown, rnd_markdown):
    """With few replies in the index every letter is among those found for a proposal, and a unit's
    heading and whole text share words with most suggestions: the service passes on every 计划 unit of
    the seed letters as 同一主题 (as on the real index). The target sentence itself must answer a suggestion."""
    from assistant.letter.markdown import markdown_to_draft
    from assistant.letter.review import EarlierLetter, Promise, review_draft

    letters, promises = [], []
    for row in reviewer.corpus.store.reply_letters():
        meta = row["metadata"]
        letters.append(
            EarlierLetter(
                meta.get("doc_number") or "",
                row["title"],
                row["source"],
                meta.get("date"),
                list(meta.get("proposers") or []),
                "\n".join(u["text"] for u in row["units"]),
                "同一主题",
            )
        )
        promises += [Promise(u["text"], meta.get("doc_number"), meta.get("date"), "同一主题") for u in row["units"] if u["role"] == "计划"]
    assert any("揭榜挂帅" in p.text for p in promises)

    def found(markdown, proposal):
        suggestions = reviewer.parse_proposal(path=proposal).to_dict()["suggestions"]
        report = review_draft(markdown_to_draft(dated(markdown)), markdown=dated(markdown), suggestions=suggestions, letters=letters, promises=promises)
        return [f.message for f in of(report, "promises")]

    financing = found(financing_markdown, FINANCING)
    assert not any("揭榜挂帅" in m for m in financing), financing
    rnd = found(rnd_markdown, RND)
    # same-topic promises are followed up unless the draft already carries them forward
    assert any("5+5" in m for m in rnd)
    carried = "共建研发中心（院）超100家" in rnd_markdown.split("## 引用来源")[0]
    assert any("共建研发中心（院）超100家" in m for m in rnd) != carried, rnd
    assert not any("揭榜挂帅" in m or "孵化载体" in m for m in rnd), rnd


@pytest.mark.parametrize(
    "vague",
    [
        "今年以来，我局高度重视企业研发机构建设工作，认真研究，积极推动，取得了一定成效。",
        "我市高度重视此项工作，进一步加强组织领导，强化统筹协调，确保各项任务落到实处。",
        "我们将加强部门协同，形成工作合力，推动相关工作取得实效。",
    ],
)
def test_common_boilerplate_is_vague(reviewer, tmp_path, vague):
    text = LETTER_TO_XIE.replace(
        "修订《温州市新型研发机构绩效评价办法》，2025年10月前印发实施。", f"修订《温州市新型研发机构绩效评价办法》，2025年10月前印发实施。\n\n{vague}"
    )
    flagged = of(review_text(reviewer, tmp_path, text), "specificity")
    assert len(flagged) == 1 and flagged[0].line == line_of(text, vague[:8]), [f.message for f in flagged]


def test_an_empty_first_part_is_reported_and_a_basis_line_is_not_counted(reviewer, tmp_path):
    text = re.sub(r"(## 一、工作举措及成效\n\n).*?(\n\n## 二、)", r"\1【待补充：已开展的工作举措及成效】\2", LETTER_TO_XIE, flags=re.S)
    text = text.replace(
        "下一步，市科技局将组织新型研发机构对接本地龙头企业，2025年底前新增共建研发中心10家。",
        "【待补充：关于“推动新型研发机构与龙头企业共建研发中心”的工作举措】\n\n"
        "根据《浙江省科学技术进步条例》第二十条，“县级以上人民政府应当支持新型研发机构建设”。",
    )
    text = text.replace("修订《温州市新型研发机构绩效评价办法》，2025年10月前印发实施。", "【待补充：关于“完善新型研发机构绩效评价”的工作举措】")
    report = review_text(reviewer, tmp_path, text)
    assert "100%" not in report.summary() and "没有可检查的正文段落" in report.summary()
    empty = [f for f in of(report, "coverage") if "一、工作举措及成效" in f.message]
    assert len(empty) == 1 and "只有占位符" in empty[0].message and empty[0].line == line_of(text, "一、工作举措及成效")


def test_class_b_needs_a_dated_plan(reviewer, tmp_path):
    undated = LETTER_TO_XIE.replace("2025年底前新增共建研发中心10家", "新增一批共建研发中心").replace(
        "修订《温州市新型研发机构绩效评价办法》，2025年10月前印发实施。", "修订《温州市新型研发机构绩效评价办法》。"
    )
    found = of(review_text(reviewer, tmp_path, undated, handling_class="B"), "class")
    assert len(found) == 1 and "B类（正在解决或列入计划）" in found[0].message and "时限" in found[0].message
    assert not of(review_text(reviewer, tmp_path, LETTER_TO_XIE, handling_class="B"), "class")


def test_a_date_in_chinese_numerals_is_the_letter_date(reviewer, tmp_path):
    report = review_text(reviewer, tmp_path, LETTER_TO_XIE.replace("2025年6月30日", "二〇二六年十一月二十五日"))
    assert report.letter_date == "2026-11-25" and not any("没有成文日期" in n for n in report.notes)


def test_a_section_headed_by_a_long_suggestions_first_clauses_is_found_after_renumbering(reviewer, tmp_path):
    """Drafting heads a long suggestion by its first clauses (proposal.heading_of); coverage must still know which
    suggestion a section answers when the 承办人 deletes （一） and renumbers （二） as （一）."""
    from assistant.letter.markdown import draft_to_markdown

    proposal_path = tmp_path / "proposal.txt"
    proposal_path.write_text(
        "关于青年科技人才的提案\n提案者：陈思远\n青年人才拿不到项目。\n"
        "建议市里设立青年科技人才专项，每年拿出一定名额，专门资助35周岁以下的青年科技人员独立主持项目，帮助他们迈出第一步。"
        "同时建议进一步改革科研经费管理，精简预算科目，把预算调剂权更多地下放给项目承担单位，让青年人把精力用在科研上。",
        encoding="utf-8",
    )
    markdown = draft_to_markdown(reviewer.draft(reviewer.parse_proposal(path=proposal_path)))
    assert "### （二）关于“进一步改革科研经费管理，精简预算科目，把预算调剂权更多地下放给项目承担单位”的建议。" in markdown
    edited = section_removed(markdown, "（一）").replace("### （二）", "### （一）")
    missing = [f.message for f in of(review_text(reviewer, tmp_path, edited, proposal_path), "coverage") if "没有单独答复" in f.message]
    assert len(missing) == 1 and "设立青年科技人才专项" in missing[0], missing
