"""Remove takes only documents that exist (issue 13, finding 6): ``remove_document("corpus/uploads")``
once removed every uploaded document; a web call now removes one listed document or nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from assistant.corpus.ingest import run_all
from assistant.errors import AssistantError

from ..conftest import SEED_106, SEED_110


@pytest.fixture(scope="module")
def uploaded(app):
    """Two documents in corpus/uploads, as the 语料库 tab would have stored them."""
    assistant, _ = app
    folder = Path(assistant.settings.corpus_dir) / "uploads"
    folder.mkdir(exist_ok=True)
    paths = [folder / "上传一.txt", folder / "上传二.txt"]
    # the app's index holds the seed letters already: uploads under other 文号, or they are skipped as copies
    paths[0].write_text(SEED_110.read_text(encoding="utf-8").replace("〔2024〕110号", "〔2024〕210号"), encoding="utf-8")
    paths[1].write_text(SEED_106.read_text(encoding="utf-8").replace("〔2024〕106号", "〔2024〕206号"), encoding="utf-8")
    run_all(assistant.ingest(paths))
    return folder, [str(p) for p in paths]


def sources(assistant) -> list[str]:
    return [d["source"] for d in assistant.documents()]


def test_a_folder_sent_to_the_web_endpoint_removes_nothing(app, uploaded):
    assistant, url = app
    folder, paths = uploaded
    before = sources(assistant)
    assert set(paths) <= set(before)
    client = Client(url, verbose=False)
    corpus = assistant.settings.corpus_dir
    for typed in (str(folder), str(folder) + "/", os.path.relpath(folder), str(corpus), f"{folder}/上传"):
        with pytest.raises(AppError, match="not in the list of choices|文档不在索引中"):
            client.predict(typed, api_name="/remove_document")
    assert sources(assistant) == before and all(Path(p).exists() for p in paths)


def test_the_service_removes_exactly_one_listed_document(app, uploaded):
    assistant, _ = app
    folder, paths = uploaded
    before = sources(assistant)
    # whatever an API call sends: a folder, a path prefix, a file never ingested, an unknown id
    for typed in (str(folder), str(folder) + "/", str(assistant.settings.corpus_dir), f"{folder}/上传", str(folder / "从未导入.txt"), "999999", ""):
        with pytest.raises(AssistantError, match="文档不在索引中.*not in the index"):
            assistant.remove_document(typed, user="测试")
    assert sources(assistant) == before and all(Path(p).exists() for p in paths)

    first = next(d for d in assistant.documents() if d["source"] == paths[0])
    assert assistant.remove_document(str(first["id"]), user="测试") == [paths[0]]  # by id
    assert paths[0] not in sources(assistant) and not Path(paths[0]).exists()
    assert paths[1] in sources(assistant) and Path(paths[1]).exists()  # its neighbour stays
    assert assistant.remove_document(paths[1], user="测试") == [paths[1]]  # by source as listed
    assert sources(assistant) == [s for s in before if s not in paths]
    assert [e["target"] for e in assistant.drafts.audit_log() if e["action"] == "delete_document"][:2] == [paths[1], str(first["id"])]
