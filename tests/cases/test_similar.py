"""Similar cases across years (issue 25, point 4): a repeat of a seed letter's proposal, registered this
year, lists that letter with its 计划 units (the promises to follow up); a proposal on another matter that
shares its words lists nothing; an earlier case in the register is found too, and a case of this season
never is. Real model (m3e-small), seed index."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.cases.similar import similar_line

REPEAT_370 = """关于进一步激发民营企业科技创新活力的提案

市政协十二届五次会议 第88号提案
提案人：周敏

民营企业是我市科技创新的主体，但不少民营企业研发投入不足、核心技术受制于人。为此建议：
一、加大对民营企业研发投入的政策支持和奖补力度。
二、支持民营企业牵头开展关键核心技术攻关。
三、拓宽民营企业科技创新的融资渠道。
"""
OTHER_MATTER = """关于优化引进人才子女入学服务的提案

市政协十二届五次会议 第89号提案
提案人：林青

引进人才普遍反映子女入学难、手续繁。为此建议：
一、为引进人才子女统筹安排公办学位。
二、简化人才子女入学的证明材料，实行一站式办理。
"""
REPEAT_89 = """关于解决高层次人才子女就学难题的提案

市政协十二届六次会议 第12号提案
提案人：陈立

人才子女上学难是留住人才的一大难题。为此建议：
一、扩大人才集聚区域的优质公办学位供给。
二、放宽人才子女入学的落户和购房条件。
"""


@pytest.fixture
def season(seed_assistant, tmp_path):
    seed_assistant.settings.issuing_unit = "温州市科学技术局"
    seed_assistant.settings.corpus_dir = tmp_path / "corpus"
    return seed_assistant


def add(season, tmp_path, text: str, name: str, assigned: date):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return season.add_case(path, assigned, user="甲")[0]


def test_a_repeat_of_a_seed_proposal_lists_the_letter_and_its_promises(season, tmp_path):
    case = add(season, tmp_path, REPEAT_370, "88号提案.txt", date(2026, 3, 10))
    assert [s["doc_number"] for s in case.similar][:1] == ["温科提复〔2024〕110号"]
    found = case.similar[0]
    assert found["session"] == "市政协十二届三次会议" and found["number"] == "370" and found["kind"] == "提案"
    assert similar_line(found).startswith("与市政协十二届三次会议370号提案相似，已于2024年6月答复：温科提复〔2024〕110号")
    assert found["promises"] and all("。" in p for p in found["promises"])  # the letter's 计划 units, whole
    listed = season.list_cases(user="甲")[0].to_dict(date(2026, 3, 11))["similar"][0]
    assert listed == {k: found[k] for k in ("kind", "session", "number", "doc_number", "date", "score")}
    assert [h["action"] for h in season.case_history(case.id)][-1] == "相似件"


def test_another_matter_sharing_words_lists_nothing_and_this_season_is_not_earlier(season, tmp_path):
    repeat = add(season, tmp_path, REPEAT_370, "88号提案.txt", date(2026, 3, 10))
    other = add(season, tmp_path, OTHER_MATTER, "89号提案.txt", date(2026, 3, 10))
    assert other.similar == []
    assert "市政协十二届五次会议" not in {s["session"] for s in repeat.similar}  # a case of this season is no precedent
    # a year later, the repeat of 89号 finds the earlier case in the register (not yet answered: no 文号)
    later = add(season, tmp_path, REPEAT_89, "12号提案.txt", date(2027, 3, 10))
    assert [(s["session"], s["number"], s["doc_number"]) for s in later.similar] == [("市政协十二届五次会议", "89", None)]
    assert later.similar[0]["case_id"] == other.id
