"""Precedent units and their roles, on the two real seed letters and on small made-up texts."""

from __future__ import annotations

import re
import sqlite3

import pytest

from assistant.corpus.ingest import run_all
from assistant.corpus.loaders import load_file
from assistant.corpus.store import Store
from assistant.corpus.units import classify, policy_units, reply_units, split_units, unit_body

from ..conftest import SEED_106, SEED_110


def units_of(path):
    return reply_units(load_file(path)[0].text)


def find(units, fragment):
    return next(u for u in units if fragment in u.text)


def test_seed_110_results_measures_and_plans():
    units = units_of(SEED_110)
    assert find(units, "累计建设市级以上企业研发机构2365家").role == "成效"
    assert find(units, "截至2024年5月底，市科创基金").role == "成效"
    assert find(units, "近年来，我市高度重视民营企业创新发展工作").role == "举措"
    # everything after the 下一步 turn is a next step, with the topical heading it stood under
    plan = find(units, "继续优化“科创指数”模型")
    assert plan.role == "计划" and plan.heading == "强化要素保障助力民营科技企业高质量发展"
    assert plan.text.startswith("二是强化金融支持。")


def test_seed_110_restatement_and_formulas_are_never_reusable():
    units = units_of(SEED_110)
    assert find(units, "您在提案中建议加大对民营企业科技创新的政策支持力度").role == "复述"
    for fragment in ("收悉", "吸收采纳", "联系人：项秋霞", "抄送：市府办", "最后感谢您"):
        assert find(units, fragment).role == "套话", fragment
    # "将重点做好以下工作" introduces the plan; it is dropped from the 下一步 unit, not reused
    turn = find(units, "下一步，我市将围绕产业链布局创新链")
    assert turn.role == "计划" and "以下工作" not in turn.text


def test_seed_106_front_matter_is_restatement_and_plans_keep_the_old_suggestion_as_heading():
    units = units_of(SEED_106)
    restating = find(units, "提出要完善科创平台工作交流机制")
    assert restating.role == "复述"
    assert find(units, "建立科创平台的可持续发展机制以及要优化创新生态").role == "复述"
    assert find(units, "该提案具有一定的前瞻性").role == "套话"
    # the misnumbered "1、" heading still opens the measures part
    assert find(units, "截至目前，全市已建高能级平台68家").role == "成效"
    assert find(units, "完善顶层设计").role == "举措"
    plan = find(units, "加强组织保障")
    assert plan.role == "计划" and "关于“完善科创平台工作交流机制" in plan.heading
    # the echoed suggestion of the old letter is a restatement, not a measure
    echo = next(u for u in units if u.text == "建立科创平台的可持续发展机制")
    assert echo.role == "复述"
    # a short lead-in to the items (我们将根据三年行动方案积极推进……，一是) is not a unit of its own
    assert not any(u.text.startswith("我们将根据三年行动方案") for u in units)


def test_every_reusable_unit_is_real_content():
    for path in (SEED_106, SEED_110):
        reusable = [unit for unit in units_of(path) if unit.role in ("成效", "举措", "计划")]
        assert len(reusable) >= 5, path  # the seed letters are full of them: an empty list checks nothing
        for unit in reusable:
            assert len(unit.text) >= 20, unit
            assert "收悉" not in unit.text and not re.search(r"(?:委员|代表)[:：]", unit.text)


@pytest.mark.parametrize(
    "text, part, role",
    [
        ("截至2024年底，全市累计认定高新技术企业4000家。", "measures", "成效"),
        ("全面实行“揭榜挂帅”工作机制，支持企业联合攻关。", "measures", "举措"),
        ("力争到2026年建成省级孵化器10家。", "measures", "计划"),
        ("全面实行“揭榜挂帅”工作机制，支持企业联合攻关。", "plan", "计划"),
        ("您在提案中建议设立科技金融专营机构。", "measures", "复述"),
        ("感谢您对我市科技工作的关心和支持。", "plan", "套话"),
    ],
)
def test_classify(text, part, role):
    assert classify(text, part) == role


def test_policy_units_are_whole_articles_with_numbers():
    text = (
        "# 浙江省促进科技成果转化条例\n\n## 第一章 总则\n\n第一条 为了促进科技成果转化，制定本条例。\n\n"
        "第二条 县级以上人民政府应当采取下列措施：\n（一）建立科技成果转化服务平台；\n（二）设立转化基金。\n\n"
        "## 第二章 组织实施\n\n第十一条 鼓励金融机构开展知识产权质押融资。"
    )
    units = policy_units(text)
    assert [(u.article, u.role) for u in units] == [("第一条", "条文"), ("第二条", "条文"), ("第十一条", "条文")]
    assert units[1].text.endswith("（二）设立转化基金。") and "（一）建立" in units[1].text
    assert units[2].heading.endswith("第二章 组织实施")
    assert split_units(text, "policy") == units


def test_unit_body_strips_the_source_numbering():
    assert unit_body("二是强化金融支持。继续优化模型。") == "强化金融支持。继续优化模型。"
    assert unit_body("（十一）加强平台交流，开展活动。") == "加强平台交流，开展活动。"
    assert unit_body("4、厚植民企发展沃土。") == "厚植民企发展沃土。"


def test_units_are_stored_at_ingest_with_chunks_and_vectors(assistant, tmp_path):
    report = run_all(assistant.ingest([SEED_106.parent]))
    assert report.added == 2 and not report.errors
    db = sqlite3.connect(assistant.settings.db_path)
    roles = dict(db.execute("SELECT role, COUNT(*) FROM units GROUP BY role").fetchall())
    assert roles["成效"] >= 5 and roles["计划"] >= 15 and roles["复述"] >= 3 and roles["套话"] >= 8
    # reusable units carry a vector (drafting scores them); formulas and restatements need none
    assert db.execute("SELECT COUNT(*) FROM units WHERE role IN ('成效','举措','计划') AND vector IS NULL").fetchone() == (0,)
    assert db.execute("SELECT COUNT(*) FROM units WHERE role IN ('复述','套话') AND vector IS NOT NULL").fetchone() == (0,)
    # every unit points at the chunk that holds its opening words
    for text, chunk in db.execute("SELECT u.text, c.text FROM units u JOIN chunks c ON c.id = u.chunk_id"):
        assert text.split("\n")[0][:16] in chunk
    # …but the letter's closing (thanks, 联系人, 抄送): 套话 that no chunk holds, since search never returns it
    assert db.execute("SELECT COUNT(*) FROM units WHERE chunk_id IS NULL AND role != '套话'").fetchone() == (0,)
    assert {t for (t,) in db.execute("SELECT text FROM units WHERE chunk_id IS NULL")} >= {"联系人：项秋霞，联系电话：88962072。"}
    assert db.execute("PRAGMA user_version").fetchone() == (len(Store.migrations),)


def test_a_version_1_index_gets_its_units_on_the_next_ingest(assistant):
    """An index from before roles: files signed without the roles version are re-derived."""
    run_all(assistant.ingest([SEED_110]))
    db = sqlite3.connect(assistant.settings.db_path)
    with db:
        db.execute("DELETE FROM units")
        db.execute("UPDATE files SET chunking = 'v3:300:400'")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', '1')")  # as before versioning
        db.execute("PRAGMA user_version = 0")
    assistant.close()
    report = run_all(assistant.ingest([SEED_110]))
    reusable = db.execute("SELECT COUNT(*) FROM units WHERE role IN ('成效','举措','计划')").fetchone()[0]
    # re-derived: only the new units are embedded, every chunk vector is reused
    assert report.replaced == 1 and reusable > 10 and report.chunks_embedded == reusable
    assert db.execute("PRAGMA user_version").fetchone() == (len(Store.migrations),)
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() is None


def test_removing_a_document_removes_its_units(assistant):
    run_all(assistant.ingest([SEED_110, SEED_106]))
    assistant.remove(str(SEED_110))
    db = sqlite3.connect(assistant.settings.db_path)
    sources = {r[0] for r in db.execute("SELECT d.source FROM units u JOIN documents d ON d.id = u.doc_id")}
    assert sources == {str(SEED_106)}
    assert db.execute("SELECT COUNT(*) FROM units WHERE doc_id NOT IN (SELECT id FROM documents)").fetchone() == (0,)


def test_search_filters_on_unit_roles(assistant):
    from assistant.errors import QueryError

    run_all(assistant.ingest([SEED_106.parent]))
    everything = assistant.search("揭榜挂帅", k=10)
    plans = assistant.search("揭榜挂帅", k=10, role="计划")
    results = assistant.search("揭榜挂帅", k=10, role="成效")
    assert plans.results and results.results
    assert all("计划" in r.roles for r in plans.results)
    assert all("成效" in r.roles for r in results.results)
    assert {r.chunk_id for r in plans.results} != {r.chunk_id for r in results.results}
    assert any(r.roles for r in everything.results)  # every result says what its units are
    with pytest.raises(QueryError, match="单元角色"):
        assistant.search("揭榜挂帅", role="结论")


LETTER_WITHOUT_RECEIPT = """温科建复〔2025〕12号
关于市十五届人大三次会议12号建议的答复函
张三同志：
一、工作举措及成效
一是完善政策体系。制定印发《温州市科技金融三年行动方案》，建立银行、担保、基金协同机制。二是加大信贷投放。截至2025年3月底，累计发放科技贷款120亿元，惠及企业3000家。
二、下一步工作计划
截至2025年5月底，全市已累计认定科技型中小企业8000家，数量居全省第2。下一步，我们将扩大科技信贷覆盖面，力争到2027年科技贷款余额突破200亿元。
感谢您对我市科技工作的关心和支持。
温州市科学技术局
2025年6月20日
温州市科学技术局办公室    2025年6月20日印发
"""


def test_a_letter_without_a_receipt_still_gives_units_and_printing_is_not_a_formula():
    units = reply_units(LETTER_WITHOUT_RECEIPT)
    # 印发 inside a measure is a measure; only the printing line at the foot is a formula
    assert find(units, "制定印发《温州市科技金融三年行动方案》").role == "举措"
    assert find(units, "累计发放科技贷款120亿元").role == "成效"
    assert find(units, "办公室    2025年6月20日印发").role == "套话"


def test_results_reported_in_the_plan_part_stay_results_and_sentences_are_units():
    units = reply_units(LETTER_WITHOUT_RECEIPT)
    result = find(units, "全市已累计认定科技型中小企业8000家")
    plan = find(units, "扩大科技信贷覆盖面")
    assert result.role == "成效" and plan.role == "计划"
    assert result is not plan  # a paragraph without 一是 is cut into its sentences


def test_idf_weights_favour_rare_words(assistant):
    run_all(assistant.ingest([SEED_106.parent]))
    weights = assistant.corpus.store.idf_weights(["揭榜挂帅", "企业", "量子纠缠"])
    assert weights["量子纠缠"] > weights["揭榜挂帅"] > weights["企业"] > 0
