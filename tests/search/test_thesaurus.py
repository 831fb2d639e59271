"""Query expansion (thesaurus, learned abbreviations) and the relevance floor, on small indexes."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.corpus.ingest import run_all
from assistant.errors import AssistantError
from assistant.genre.aliases import Alias, learn_aliases
from assistant.search.thesaurus import load_fields, load_thesaurus, load_vocabulary, other_names, parse_thesaurus, thesaurus_terms

from ..conftest import SEED_106, SHARED, both_backends

FINANCE = "第十二条 鼓励银行业金融机构开展知识产权质押融资业务，支持科技型中小企业发展。"
TOURISM = "第五条 旅游主管部门应当加强景区管理，提升游客服务质量。"


@pytest.fixture
def policy_dir(tmp_path):
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "浙江省科技金融条例.md").write_text(f"# 浙江省科技金融条例\n\n{FINANCE}\n", encoding="utf-8")
    (folder / "浙江省旅游条例.md").write_text(f"# 浙江省旅游条例\n\n{TOURISM}\n", encoding="utf-8")
    return folder


def test_entries_need_all_their_words():
    entries = parse_thesaurus("知识产权质押 = 专利 抵押 | 商标 质押\n# comment\n\n加计扣除 = 研发 扣除\n")
    assert [e.term for e in entries] == ["知识产权质押", "加计扣除"]
    assert thesaurus_terms("科技企业用专利作抵押向银行贷款", entries) == ["知识产权质押"]
    assert thesaurus_terms("专利申请资助", entries) == []  # 专利 alone is not 抵押
    assert thesaurus_terms("知识产权质押用专利作抵押", entries) == []  # already said: nothing to add


def test_a_malformed_line_names_itself():
    with pytest.raises(AssistantError, match="第 2 行"):
        parse_thesaurus("加计扣除 = 研发 扣除\n只有术语没有说法\n", "mine.txt")


def test_the_packaged_thesaurus_loads_and_a_user_file_extends_it(tmp_path):
    packaged = load_thesaurus()
    assert len(packaged) > 80 and all(e.cues for e in packaged)
    assert "知识产权质押" in thesaurus_terms("用专利作抵押贷款", packaged)
    extra = tmp_path / "mine.txt"
    extra.write_text("数字孪生 = 虚拟 映射 城市\n", encoding="utf-8")
    entries = load_thesaurus(extra)
    assert len(entries) == len(packaged) + 1
    assert thesaurus_terms("把城市做一个虚拟映射", entries) == ["数字孪生"]


def test_abbreviations_are_learned_in_both_forms():
    seed = SEED_106.read_text(encoding="utf-8")
    assert Alias("三年行动方案", "温州市新型研发机构创新链与产业链融合提升三年行动方案（2023-2025年") in learn_aliases(seed)
    text = "本条例适用于经国务院批准设立的中国（浙江）自由贸易试验区（以下简称自贸试验区）。"
    assert learn_aliases(text) == {Alias("自贸试验区", "中国（浙江）自由贸易试验区", scoped=True)}
    # a definition is not an abbreviation: 单位 takes no characters in order from 其他社会组织
    assert learn_aliases("鼓励企业、其他社会组织（以下简称单位）参与。") == set()
    aliases = [
        Alias("三年行动方案", "温州市新型研发机构创新链与产业链融合提升三年行动方案"),
        Alias("管理机构", "湿地公园管理机构", scoped=True),
        Alias("新区", "宁波杭州湾新区"),
    ]
    assert other_names("三年行动方案的落实", aliases) == ["温州市新型研发机构创新链与产业链融合提升三年行动方案"]
    assert other_names("温州市新型研发机构创新链与产业链融合提升三年行动方案", aliases) == []  # already holds its alias
    # a statute's own shorthand does not spread: 管理机构 elsewhere is any such body
    assert other_names("管理机构的职责", aliases) == []
    assert other_names("湿地公园管理机构的职责", aliases) == []
    assert other_names("新区建设", aliases) == []  # a short alias is an everyday word too


def test_everyday_queries_call_up_no_term():
    entries = load_vocabulary()  # the thesaurus and the field vocabulary
    for query in (
        "提高企业创新能力",
        "产业链长期稳定",
        "开展集中试点",
        "城乡居民养老保险",
        "国有土地挂牌出让",
        "加强技术人员培训",
        "免责声明",
        "免税店",
        "集群注册",
        "科技企业融资",
        "人才引进",
        "专利申请",
        "建议对科技企业在证券交易所上市给予补贴",
        "科技企业发放消费券给予补贴",
        "推动企业技术改造、以旧换新和股份制改造",
        "农产品检验检测费用给予补贴",
        "博士后流动站",
    ):
        assert thesaurus_terms(query, entries) == [], query
    assert thesaurus_terms("发展AI产业", entries) == ["人工智能"]  # cues match in any case


def test_search_finds_the_normative_term_for_plain_words(assistant, policy_dir):
    run_all(assistant.ingest([policy_dir]))
    response = assistant.search("科技企业用专利作抵押向银行贷款", k=3)
    assert "知识产权质押" in response.expansions
    assert response.results and "知识产权质押" in response.results[0].text
    assert response.results[0].match >= assistant.settings.search_floor
    plain = assistant.settings.model_copy(update={"expansion_weight": 0.0, "expansion_in_dense": False})
    from assistant.search.retrieval import Retriever

    retriever = Retriever(assistant.corpus)
    retriever.settings = plain
    without = retriever.search("科技企业用专利作抵押向银行贷款", k=3, mode="bm25").results
    assert all("知识产权质押" not in r.text for r in without)  # the words alone do not reach it


def test_aliases_are_stored_at_ingest_and_go_with_their_file(assistant):
    run_all(assistant.ingest([SEED_106]))
    db = sqlite3.connect(assistant.settings.db_path)
    assert db.execute("SELECT alias FROM aliases").fetchall() == [("三年行动方案",)]
    assert assistant.search("三年行动方案的落实情况", k=1).expansions == ["温州市新型研发机构创新链与产业链融合提升三年行动方案（2023-2025年"]
    assistant.remove(str(SEED_106))
    assert db.execute("SELECT COUNT(*) FROM aliases").fetchone() == (0,)


def test_the_floor_hides_noise_and_all_shows_it(assistant, policy_dir):
    run_all(assistant.ingest([policy_dir]))
    nothing = assistant.search("量子纠缠的猫", k=5)
    assert nothing.results == [] and nothing.hidden >= 1
    everything = assistant.search("量子纠缠的猫", k=5, show_all=True)
    assert len(everything.results) == nothing.hidden and all(r.match < assistant.settings.search_floor for r in everything.results)
    found = assistant.search("知识产权质押", k=5)
    assert [r.text for r in found.results] == [FINANCE] and found.hidden == 1  # the tourism article is held back


def test_cli_all_and_json_carry_the_floor(tmp_path, policy_dir, monkeypatch):
    monkeypatch.setenv("REPLY_ASSISTANT_EMBEDDING_MODEL", "hash:64")
    index = ["--index", str(tmp_path / "index")]
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(policy_dir), *index]).exit_code == 0
    result = runner.invoke(app, ["search", "量子纠缠的猫", *index])
    assert result.exit_code == 0 and "未找到相关先例" in result.output and "--all" in result.output
    payload = json.loads(runner.invoke(app, ["search", "量子纠缠的猫", "--json", *index]).stdout)
    assert payload["results"] == [] and payload["hidden"] >= 1 and "expansions" in payload
    hidden = payload["hidden"]
    payload = json.loads(runner.invoke(app, ["search", "量子纠缠的猫", "--json", "--all", *index]).stdout)
    assert len(payload["results"]) == hidden and payload["hidden"] == 0  # shown, so nothing is hidden


def test_a_missing_user_thesaurus_is_said_at_start(settings, tmp_path):
    from assistant.service import Assistant

    with pytest.raises(AssistantError, match="同义词表"):
        Assistant(settings.model_copy(update={"synonyms_file": tmp_path / "nowhere.txt"}))


def test_long_queries_meet_a_lower_floor(assistant):
    from assistant.search.retrieval import Retriever

    retriever = Retriever(assistant.corpus)
    short, long = (
        retriever.floor_for("揭榜挂帅"),
        retriever.floor_for("建议完善揭榜挂帅项目组织方式，每年面向龙头骨干企业征集关键核心技术需求榜单，支持企业联合高校院所开展攻关"),
    )
    assert short == assistant.settings.search_floor and 0 < long < short


def test_a_passage_filling_in_for_a_held_back_one_keeps_its_roles(assistant, policy_dir, monkeypatch):
    from assistant.search.retrieval import Retriever

    run_all(assistant.ingest([policy_dir]))
    ranked = [r.chunk_id for r in assistant.search("知识产权质押 景区管理", k=2, show_all=True).results]
    assert len(ranked) == 2
    # the first passage falls below the floor: the second, ranked beyond k=1, takes its place
    monkeypatch.setattr(Retriever, "match", lambda self, query, terms, rows: {i: 0.0 if i == ranked[0] else 1.0 for i in rows})
    response = assistant.search("知识产权质押 景区管理", k=1)
    assert [r.chunk_id for r in response.results] == [ranked[1]] and response.hidden == 1
    assert response.results[0].roles == ["条文"]


@both_backends
def test_a_passage_found_by_one_list_gets_its_exact_score_from_the_other(assistant, tmp_path):
    """The query's words and the thesaurus terms are two BM25 lists. A passage with the normative
    term but few query words sits deep in the query list: merged after both were cut at n, it got
    nothing for those words. It must be scored for them too."""
    from assistant.search.retrieval import Retriever

    docs = tmp_path / "docs"
    docs.mkdir()
    for number in range(20):  # 8 passages full of the query's words, none with the term
        words = "鼓励科研人员大胆探索，科研人员探索失误的" if number < 8 else "加强旅游景区管理，提升服务"
        (docs / f"条例{number:02}.md").write_text(f"# 条例{number}\n\n第一条 {words}第{number}项。\n", encoding="utf-8")
    (docs / "氛围.md").write_text("# 氛围条例\n\n第一条 营造激励科研人员大胆创新、宽容失败的社会氛围，支持其长期开展工作。\n", encoding="utf-8")
    assert not run_all(assistant.ingest([docs])).errors
    query, terms = "科研人员探索出现失误", ["宽容失败"]
    retriever = Retriever(assistant.corpus)
    deep = dict(retriever.keyword(query, 100, expansions=terms))  # every passage in both lists
    target = next(r.chunk_id for r in assistant.search("宽容失败", k=1, mode="bm25").results)
    shallow = dict(retriever.keyword(query, 5, expansions=terms))
    words_only = [i for i, _ in retriever.keyword(query, 5)]
    assert target not in words_only  # cut from the query list at n = 5 …
    assert shallow[target] == pytest.approx(deep[target])  # … and still scored for its query words
    assert dict(retriever.keyword(query, 100))[target] > 0  # the words do score it
    assert all(shallow[i] == pytest.approx(deep[i]) for i in shallow)


def test_everyday_words_call_up_the_regulations_name_for_their_field():
    """天气预报 is 气象 to a regulation, 农机 农业机械, 地图 测绘地理信息: without the field's name a plain
    question shares no word with the article that answers it."""
    with_fields, without = load_vocabulary(), load_vocabulary(fields=False)
    for query, term in (("搞天气预报新技术研究，国家鼓励吗", "气象"), ("买收割机政府给补贴吗", "农业机械"), ("做地图的企业有什么扶持", "测绘地理信息")):
        assert term in thesaurus_terms(query, with_fields) and term not in thesaurus_terms(query, without), query
    assert load_vocabulary() is load_vocabulary()  # one object while the files stand: term vectors are cached by it


def test_search_by_meaning_reads_one_description_a_term():
    """A term both lists name keeps the thesaurus's description for search by meaning; its field cues still match words."""
    described = {e.term for e in load_thesaurus()}
    doubled = [e for e in load_fields() if e.term in described]
    assert doubled, "the field vocabulary adds cues to terms the thesaurus has"
    for_meaning = load_vocabulary(described_once=True)
    assert [e.term for e in for_meaning].count(doubled[0].term) == 1
    assert len(for_meaning) == len(load_thesaurus()) + len(load_fields()) - len(doubled)


@pytest.mark.skipif(not (SHARED / "corpora" / "zhejiang-local-regulations").is_dir(), reason="needs ../shared")
def test_every_field_term_is_the_regulations_own_word():
    texts = "".join(path.read_text(encoding="utf-8") for path in (SHARED / "corpora" / "zhejiang-local-regulations").glob("*.md"))
    assert [e.term for e in load_fields() if e.term not in texts] == []
    single = [word for e in load_fields() for cue in e.cues for word in cue if len(word) < 2]
    assert single == []  # a single character sits inside too many everyday words


def test_the_field_vocabulary_can_be_switched_off(settings):
    from contextlib import closing

    from assistant.search.retrieval import Retriever
    from assistant.service import Assistant

    for on in (True, False):
        with closing(Assistant(settings.model_copy(update={"field_vocabulary": on}))) as assistant:
            assert ("农业机械" in Retriever(assistant.corpus).thesaurus_terms("买收割机政府给补贴吗")) is on


def test_an_edited_user_thesaurus_is_read_with_the_field_vocabulary(tmp_path):
    """The joined vocabulary follows the user's file through every edit (it once kept a join by a reused id)."""
    import os

    mine = tmp_path / "mine.txt"
    for round_ in range(6):
        mine.write_text(f"测试术语{round_} = 测试 说法{round_}\n", encoding="utf-8")
        os.utime(mine, (1_000_000 + round_, 1_000_000 + round_))  # a new mtime each edit, however fast
        terms = {e.term for e in load_vocabulary(mine)}
        assert f"测试术语{round_}" in terms and f"测试术语{round_ - 1}" not in terms and "气象" in terms
