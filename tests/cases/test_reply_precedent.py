"""A sent reply becomes a precedent: recorded with its 文号, filed under corpus_dir/replies, ingested as a
reply letter that search finds and the next draft cites; a second reply to the same case replaces it."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.corpus.ingest import run_all
from assistant.errors import QueryError
from assistant.service import Assistant
from assistant.settings import Settings

from ..conftest import CORPUS

REPLY = """【待填：文号】
关于市政协十二届四次会议第56号提案的答复函
陈明委员：
您提出的关于建设概念验证中心的提案收悉，现答复如下：
一、工作举措及成效
2025年我局启动概念验证中心建设，已在温州大学、温州医科大学布局概念验证中心6家，累计验证项目42项。
二、下一步工作计划
我局将在2026年底前新建概念验证中心4家，推动验证项目与产业基金对接。
感谢您对我市科技创新工作的关心和支持。
温州市科学技术局
【待填：日期】
"""


@pytest.fixture
def season(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for letter in CORPUS.glob("*.txt"):  # the seed letters (not corpus/uploads/, which a run of the app makes)
        (corpus / letter.name).write_bytes(letter.read_bytes())
    settings = Settings(
        index_dir=tmp_path / "index", data_dir=tmp_path / "data", corpus_dir=corpus, embedding_model="hash:128", issuing_unit="温州市科学技术局", _env_file=None
    )
    assistant = Assistant(settings)
    assert not run_all(assistant.ingest([corpus])).errors
    yield assistant
    assistant.close()


def registered(season):
    case, _ = season.cases_service.register.put(
        {
            "kind": "提案",
            "session": "市政协十二届四次会议",
            "number": "56",
            "title": "关于建设概念验证中心的提案",
            "proposers": ["陈明"],
            "role": "主办",
            "assigned": date(2026, 3, 10),
            "due": date(2026, 6, 10),
        }
    )
    draft_id = season.drafts.create("关于市政协十二届四次会议第56号提案的答复函", "提案", {}, REPLY, user="甲")
    season.cases_service.register.link_draft(case.id, draft_id)
    return case


def test_the_linked_drafts_text_becomes_a_reply_letter_search_finds_and_a_draft_cites(season):
    case = registered(season)
    replied = season.record_reply(case.id, "温科提复〔2026〕12号", date(2026, 6, 1), user="甲")
    assert replied.status == "已答复"
    filed = season.settings.corpus_dir / "replies" / f"{case.id}_市政协十二届四次会议第56号提案答复.txt"
    text = filed.read_text(encoding="utf-8")
    assert text.startswith("温科提复〔2026〕12号") and "2026年6月1日" in text and "【待填" not in text
    listed = {d["source"]: d for d in season.documents()}
    assert listed[str(filed)]["doc_type"] == "reply"
    hits = season.search("概念验证中心", k=3).results
    assert hits and hits[0].source == str(filed) and hits[0].metadata.get("doc_number") == "温科提复〔2026〕12号"
    draft = season.draft("关于加快概念验证中心建设的提案\n提案人：刘洋\n建议：\n一、扩大概念验证中心布局，提升验证项目数量。", use_llm=False)
    assert "温科提复〔2026〕12号" in {c.doc_number for c in draft.citations}
    assert [h["action"] for h in season.case_history(case.id)][-2:] == ["答复", "入库"]


def test_a_second_reply_to_the_case_replaces_the_first_and_a_bad_number_changes_nothing(season, tmp_path):
    case = registered(season)
    with pytest.raises(QueryError, match="文号"):
        season.record_reply(case.id, "12号", date(2026, 6, 1))
    assert season.cases_service.register.get(case.id).status == "起草中"
    season.record_reply(case.id, "温科提复〔2026〕12号", date(2026, 6, 1))
    season.record_feedback(case.id, "不满意", date(2026, 6, 20))
    again = tmp_path / "再次答复.txt"
    again.write_text(REPLY.replace("6家", "8家").replace("【待填：文号】", "温科提复〔2026〕30号"), encoding="utf-8")
    season.record_reply(case.id, "温科提复〔2026〕30号", date(2026, 7, 10), file=again)
    replies = [d for d in season.documents() if "/replies/" in d["source"]]
    assert len(replies) == 1  # the same case's file, replaced
    hit = season.search("概念验证中心", k=1).results[0]
    assert hit.metadata.get("doc_number") == "温科提复〔2026〕30号" and "8家" in hit.text
