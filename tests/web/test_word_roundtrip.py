"""The web app's Word controls (issue 14): 公开版 export in 起草答复, and 草稿 → 上传修改后的 Word,
through gradio_client against the real server on localhost."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from gradio_client import handle_file
from gradio_client.exceptions import AppError

from ..conftest import ROOT
from .conftest import start_app

FINANCING = ROOT / "examples" / "proposal-financing.txt"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    assistant, demo, url = start_app(tmp_path_factory.mktemp("word"), class_mark=True, contact_name="项秋霞", contact_phone="0577-88962072")
    yield assistant, url
    demo.close()
    assistant.close()


def test_public_export_and_class_mark(app, client, generated):
    draft_id, _, text, *_ = generated[1]
    assert "联系人：项秋霞，联系电话：0577-88962072。" in text
    text = "办理结果类别：B\n\n" + text
    # the 公开版 is published: refused while anything is left to fill in (named), then while 审核 finds a 问题
    with pytest.raises(AppError, match="公开版不能含待填内容（4 处：【待填：文号】"):
        client.predict(draft_id, text, False, True, api_name="/export_draft")
    filled = re.sub(r"【待(?:填|补充)[^】]*】", "已补充的内容。", text.replace("【待填：文号】", "温科提复〔2025〕9号"))
    unanswered = filled.replace("### （二）关于“发挥政府引导基金作用”的建议。\n\n已补充的内容。\n\n", "")  # a suggestion left unanswered
    assert unanswered != filled
    with pytest.raises(AppError, match="审核发现 1 处问题.*请填写理由"):
        client.predict(draft_id, unanswered, False, True, api_name="/export_draft")
    client.predict(draft_id, unanswered, False, True, None, True, "分管领导已审定，按时公开", api_name="/export_draft")
    assert any(a["action"] == "export_public_override" and "分管领导已审定" in a["detail"] for a in app[0].drafts.audit_log())
    path, label, *_ = client.predict(draft_id, filled, False, True, api_name="/export_draft")  # nothing to fill, no 问题: no reason asked
    assert Path(path).name.endswith("_公开版.docx") and "办理结果类别 B" in label
    document = docx.Document(path)
    body = "\n".join(p.text for p in document.paragraphs)
    assert document.paragraphs[0].text == "B"
    assert "联系人" not in body and "88962072" not in body and not re.search(r"\d{7,}", body)
    assert len(list(document.comments)) == 0
    path, *_ = client.predict(draft_id, text, False, False, api_name="/export_draft")  # the ordinary copy keeps both
    ordinary = docx.Document(path)
    assert "（联系人：项秋霞，联系电话：0577-88962072）" in [p.text for p in ordinary.paragraphs] and len(list(ordinary.comments)) > 0


def test_upload_an_edited_word_letter_as_a_new_version(app, client, generated, tmp_path):
    assistant, _ = app
    draft_id, _, text, *_ = generated[1]
    path, *_ = client.predict(draft_id, text, False, False, api_name="/export_draft")
    document = docx.Document(path)
    closing = next(p for p in document.paragraphs if p.text.startswith("最后感谢"))
    closing.runs[0].text = "最后再次感谢您对我市科技金融工作的关心和支持。"
    for run in closing.runs[1:]:
        run.text = ""
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    before = len(assistant.drafts.versions(draft_id))
    note, versions, _, _, opened_id, label, new_text, *_ = client.predict(str(draft_id), handle_file(str(edited)), api_name="/import_word")
    assert opened_id == draft_id and "已从 Word 导入" in label
    assert "最后再次感谢您对我市科技金融工作的关心和支持。" in new_text
    assert len(assistant.drafts.versions(draft_id)) == before + 1
    assert assistant.drafts.get(draft_id).working_text == new_text
    cited = re.findall(r"\[\^(c\d+)\]", text.split("\n---\n")[0])
    assert cited and re.findall(r"\[\^(c\d+)\]", new_text.split("\n---\n")[0]) == cited  # every citation back
    assert "已导入为草稿" in note and "恢复" in note
    assert versions["data"][-1][1] == "导入 Word"
