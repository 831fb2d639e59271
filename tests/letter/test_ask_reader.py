"""The second reading: units, the bundled learned reader, and the check it makes of the rule reader's list."""

from __future__ import annotations

import json

import pytest

from assistant.learned import Gate
from assistant.letter.ask_reader import AskReader, body_paragraphs, bundled_reader, check_reading, complete_reading, units_of
from assistant.letter.proposal import Proposal, parse_proposal

from ..conftest import newest_blind_batch

# In words of our own (no set's): a numbered prose list after 为此建议：
LISTED = """关于加快科技成果就地转化的提案
提案人：王明
近年来，我市高校院所的成果不少，但就地转化的比例偏低，不少成果流向外地。
为此建议：一是设立科技成果转化引导基金，对在温落地的项目给予股权投资；二是在各县（市、区）建设一批共享中试基地；三是加强技术经理人队伍建设，对促成交易的给予奖励。
"""
# Problems numbered first, the asks after them in the same paragraph
PROBLEMS_THEN_ASKS = """关于完善科研人员收入分配的建议
领衔代表：陈红
我在一所高职院校任教多年。一是科研人员收入偏低，积极性不高；二是成果转化奖励兑现慢，往往拖一两年；三是技术转移岗位没有职称通道。对此，我们希望市里督促各高校按规定及时兑现成果转化奖励。
"""
# An ask in plain words between two the rules read (盼着有更多……培训: no 建议, no number)
UNMARKED_ASK = """关于加强农村科技服务的建议
领衔代表：周立
山区乡镇的种养大户普遍缺技术，新品种、新农机推广慢，农技人员年龄偏大，服务跟不上。
建议市科技局扩大科技特派员选派规模，每个山区乡镇至少配备两名科技特派员。
村里的干部群众也盼着有更多面向农民的实用技术培训，把课堂搬到田间地头。
此外，建议在山区县建设若干农业科技示范基地。
"""


def reader_of(*words: str) -> AskReader:
    """A reader that takes a sentence holding any of ``words`` for an ask, and nothing else: what the
    completed reading does with its doubts, apart from what the bundled reader learned."""
    return AskReader(Gate({f"w:{word}": 30.0 for word in words}, -10.0), missed_at=0.6, doubtful_at=0.0, trained_on=[])


def test_units_start_at_numbers_and_end_at_semicolons_after_the_header():
    proposal = parse_proposal(LISTED)
    paragraphs = body_paragraphs(LISTED, proposal.title)
    assert paragraphs[0].startswith("近年来") and len(paragraphs) == 2  # title and proposer are not the body
    units = [unit.text for unit in units_of(paragraphs)]
    assert units[1] == "为此建议："
    assert [u[:2] for u in units[2:]] == ["一是", "二是", "三是"] and units[2].endswith("；")


def test_the_bundled_reader_reads_asks_high_and_background_low():
    reader = bundled_reader()
    # the newest parse set and blind batch stay blind: a check learned from them would report its own exam
    assert reader is not None and reader.trained_on and "parse-ac" not in reader.trained_on and newest_blind_batch() not in reader.trained_on
    units = units_of(body_paragraphs(LISTED, parse_proposal(LISTED).title))
    probabilities = reader.probabilities(units)
    assert probabilities[0] < 0.1 and probabilities[1] < 0.1  # background, and the opener that asks nothing itself
    assert min(probabilities[2:]) > 0.6


def test_a_complete_reading_raises_nothing():
    proposal = parse_proposal(LISTED)
    assert len(proposal.suggestions) == 3
    assert not check_reading(proposal)


def test_an_ask_left_out_of_the_list_is_shown_with_its_words():
    proposal = parse_proposal(LISTED)
    proposal.suggestions = [proposal.suggestions[0], proposal.suggestions[2]]  # as if the rules had lost the second
    proposal.details = [proposal.details[0], proposal.details[2]]
    check = check_reading(proposal)
    assert len(check.missed) == 1 and "共享中试基地" in check.missed[0]
    assert complete_reading(proposal)[0].suggestions[1] == "在各县（市、区）建设一批共享中试基地"
    (message,) = check.messages(proposal.suggestions)
    assert "未列入建议条目" in message and "not listed" in message


def test_a_problem_listed_as_a_suggestion_is_doubted():
    proposal = Proposal(text=PROBLEMS_THEN_ASKS, title="关于完善科研人员收入分配的建议")
    proposal.suggestions = ["科研人员收入偏低，积极性不高", "按规定及时兑现成果转化奖励"]
    proposal.details = ["一是科研人员收入偏低，积极性不高；", "对此，我们希望市里督促各高校按规定及时兑现成果转化奖励。"]
    check = check_reading(proposal)
    assert check.doubtful == [0]
    assert "问题描述或背景情况" in check.messages(proposal.suggestions)[0]


def test_the_rules_read_the_asks_after_a_problem_list_in_the_same_paragraph():
    proposal = parse_proposal(PROBLEMS_THEN_ASKS)
    assert proposal.suggestions and not any("收入偏低" in s for s in proposal.suggestions)
    assert proposal.suggestions[0] == "督促各高校按规定及时兑现成果转化奖励"  # the colloquial 市里 is not the ask's heading
    # a list the paragraph opens itself (建议从以下方面入手：) stays the asks, whatever follows it
    opened = (
        "关于发展社区养老的建议\n领衔代表：李华\n"
        "我市老龄化加快。建议从以下方面入手：1.养老服务补贴标准。2.社区食堂布点。3.护理人员队伍。同时希望市民政局牵头制定方案。\n"
    )
    assert parse_proposal(opened).suggestions[:3] == ["养老服务补贴标准", "社区食堂布点", "护理人员队伍"]


def test_an_item_named_in_the_background_too_is_judged_by_its_own_sentence():
    text = LISTED.replace("不少成果流向外地。", "不少成果流向外地。外地纷纷设立科技成果转化引导基金。")
    proposal = parse_proposal(text)
    assert proposal.suggestions[0].startswith("设立科技成果转化引导基金") and not check_reading(proposal).doubtful


@pytest.mark.parametrize(
    "change",
    [
        lambda record: record.update(version=0),
        lambda record: record["gate"]["weights"].update({"embedding:0": 1.0}),  # a feature this code does not make
        lambda record: record["gate"]["weights"].update({"r:asks_politely": 1.0}),  # a rule predicate it no longer measures
        lambda record: record.update(missed_at=float("nan")),  # would report every sentence as missed
        lambda record: record.pop("missed_at"),
    ],
)
def test_a_reader_file_of_another_version_or_features_is_refused(tmp_path, change):
    reader = bundled_reader()
    assert reader is not None
    path = tmp_path / "reader.json"
    reader.save(path)
    assert AskReader.load(path) == reader  # what is written reads back the same
    record = json.loads(path.read_text(encoding="utf-8"))
    change(record)
    path.write_text(json.dumps(record), encoding="utf-8")
    assert AskReader.load(path) is None


def test_a_suggestion_reworded_by_hand_still_covers_its_sentence():
    proposal = parse_proposal(LISTED)
    proposal.suggestions = ["设立成果转化引导基金", "在各县建设共享中试基地", "加强技术经理人队伍"]  # typed over the parsed ones
    proposal.details = list(proposal.suggestions)
    assert not check_reading(proposal).missed
    proposal.suggestions, proposal.details = proposal.suggestions[:1], proposal.details[:1]
    assert [m[:2] for m in check_reading(proposal).missed] == ["二是", "三是"]


def test_an_ask_folded_into_the_detail_of_the_one_before_is_shown_until_listed():
    proposal = parse_proposal(LISTED)
    proposal.suggestions = [proposal.suggestions[0], proposal.suggestions[2]]
    proposal.details = [proposal.details[0] + proposal.details[1], proposal.details[2]]  # as if read as one ask with its detail
    check = check_reading(proposal)
    assert not check.missed and [(i, text[:2]) for i, text in check.folded] == [(0, "二是")]
    assert "建议条目（1）的说明中" in check.messages(proposal.suggestions)[0]
    assert complete_reading(proposal)[0].suggestions[1] == "在各县（市、区）建设一批共享中试基地"
    proposal.suggestions.insert(1, "在各县（市、区）建设一批共享中试基地")  # what 补入 does: then it is listed
    assert not check_reading(proposal)


def test_the_completed_reading_lists_a_missed_ask_where_the_text_puts_it_and_marks_it():
    reader = reader_of("建议", "技术培训")
    rules = parse_proposal(UNMARKED_ASK)
    assert len(rules.suggestions) == 2 and not any("技术培训" in s for s in rules.suggestions)  # what the rules miss
    completed, added = complete_reading(rules, reader)
    assert added == [1]
    assert [s[:6] for s in completed.suggestions] == ["扩大科技特派", "村里的干部群", "在山区县建设"]  # in the text's order
    assert completed.details[1].startswith("村里的干部群众") and len(completed.details) == 3
    check = check_reading(completed, reader)
    assert not check.missed and check.added == [1]  # listed now, and marked as the model's line
    (message,) = check.messages(completed.suggestions)
    assert message.startswith("建议条目（2）") and "第二次阅读补入" in message and "second reading" in message
    assert complete_reading(completed, reader) == (completed, [])  # read once more: nothing more to list
    # the 承办人 deletes the line (not an ask to them): no mark, and the sentence is named again as a doubt
    kept = Proposal(text=UNMARKED_ASK, suggestions=rules.suggestions, details=rules.details)
    check = check_reading(kept, reader)
    assert check.added == [] and [m[:6] for m in check.missed] == ["村里的干部群"]


def test_the_added_ask_goes_between_items_that_open_alike():
    reader = reader_of("建议", "技术培训")
    text = UNMARKED_ASK.replace("建议市科技局扩大", "建议市科技局会同市农业农村局扩大").replace("此外，建议在山区县", "建议市科技局会同市农业农村局在山区县")
    completed, added = complete_reading(parse_proposal(text), reader)
    assert added == [1] and completed.suggestions[1].startswith("村里的干部群众")
    # a background line that says what the missed ask says does not move it there
    text = UNMARKED_ASK.replace("服务跟不上。", "服务跟不上，村里的干部群众也盼着有更多培训。")
    completed, added = complete_reading(parse_proposal(text), reader)
    assert added == [1] and completed.suggestions[1].startswith("村里的干部群众")


def test_the_completed_reading_takes_a_folded_ask_out_of_its_hosts_detail():
    proposal = parse_proposal(LISTED)
    proposal.suggestions = [proposal.suggestions[0], proposal.suggestions[2]]
    proposal.details = [proposal.details[0] + proposal.details[1], proposal.details[2]]  # as if read as one ask with its detail
    completed, added = complete_reading(proposal)
    assert added == [1] and completed.suggestions[1] == "在各县（市、区）建设一批共享中试基地"
    assert "共享中试基地" not in completed.details[0] and completed.details[0].startswith("设立科技成果转化引导基金")
    assert "共享中试基地" in completed.details[1] and "技术经理人" in completed.details[2]


def test_a_suggestion_typed_over_keeps_its_place_when_an_ask_is_listed():
    reader = reader_of("建议", "技术培训")
    rules = parse_proposal(UNMARKED_ASK)
    rules.suggestions = ["多派科技特派员", rules.suggestions[1]]  # reworded by hand: not found in the text as written
    rules.details = list(rules.suggestions)
    completed, added = complete_reading(rules, reader)
    assert completed.suggestions[0] == "多派科技特派员" and added == [1]


# 一、 holds a second ask behind its semicolon, and what follows it is that ask's
FOLDED_WITH_MORE = """关于完善科研人员收入分配的提案
提案人：王明
目前我市高校科研人员收入偏低，成果转化奖励兑现慢。去年有委员提出加强技术经理人队伍建设，对促成交易的给予奖励，至今尚未落实。
为此建议：
一、奖励支出要单列，不纳入绩效工资总量；可以选择部分学科开展试点，把成果转化收益更多奖励给团队。试点学科由高校自主确定，每年评估一次。
二、加强技术经理人队伍建设，对促成交易的给予奖励。
"""


def test_a_folded_ask_takes_what_follows_it_and_the_list_keeps_its_order():
    rules = parse_proposal(FOLDED_WITH_MORE)
    assert len(rules.suggestions) == 2  # the rules read 一、 as one ask
    completed, added = complete_reading(rules)
    assert added == [1] and completed.suggestions[1].startswith("选择部分学科开展试点")
    assert completed.details[0] == "奖励支出要单列，不纳入绩效工资总量；"
    assert completed.details[1].startswith("可以选择部分学科") and completed.details[1].endswith("每年评估一次。")
    # 二、's words in the background do not move 二、 before 一、
    assert completed.suggestions[2].startswith("加强技术经理人队伍建设")
    assert complete_reading(completed) == (completed, [])


def test_a_folded_clause_with_no_action_stays_in_its_detail_and_named():
    text = FOLDED_WITH_MORE.replace(
        "可以选择部分学科开展试点，把成果转化收益更多奖励给团队。试点学科由高校自主确定，每年评估一次。", "同时建议市科技局：对促成交易的技术经理人给予奖励。"
    )
    rules = parse_proposal(text)
    check = check_reading(rules)
    assert [t for _, t in check.folded] == ["同时建议市科技局："]  # it reads as an ask, but heads nothing
    completed, added = complete_reading(rules)
    assert added == [] and completed == rules  # nothing cut out of 一、's detail, nothing listed
    assert "疑似另一条建议" in check_reading(completed).messages(completed.suggestions)[0]


def test_an_unlisted_sentence_inside_a_numbered_item_is_named_and_listed_only_on_request():
    reader = reader_of("技术培训")
    text = """关于加强企业创新的提案
提案人：李华
我市企业创新能力不强。
为此建议：
一、对首次认定的高新技术企业给予一次性奖励，奖励标准参照先进地区确定。
我们也盼着有更多技术培训进企业。
二、建设共享中试基地，向中小企业开放。
"""
    rules = parse_proposal(text)
    assert len(rules.suggestions) == 2 and [m[:6] for m in check_reading(rules, reader).missed] == ["我们也盼着有"]
    assert complete_reading(rules, reader) == (rules, [])  # it explains 一、 as likely as it asks: named, not listed
    completed, added = complete_reading(rules, reader, inside_items=True)  # 补入 lists it, where the text has it
    assert added == [1] and completed.suggestions[1].startswith("我们也盼着有更多技术培训")


def test_an_ask_said_in_so_many_words_is_not_doubted_for_the_background_before_it():
    """瓯江实验室是……平台，希望市里进一步加大……: the sentence opens with background but asks (a probe's false alarm);
    企业找到我们，希望在温州做临床试验 is the firms' wish, told as background, and is still doubted."""
    from assistant.letter.ask_reader import _asked_before

    sentence = "瓯江实验室是我市重要的创新平台，希望市里进一步加大对瓯江实验室的经费支持力度。"
    assert _asked_before(sentence, "市里进一步加")
    assert not _asked_before("本地企业找到我们，希望在温州做临床试验，但往往去了上海。", "在温州做临床")
    assert _asked_before("为此，我们建议设立专项资金。", "设立专项资金")
    p = parse_proposal("关于加快瓯江实验室建设的建议\n代表：张伟\n" + sentence)
    assert check_reading(p).doubtful == []
