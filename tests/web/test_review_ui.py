"""The 审核 panel of 起草答复, through gradio_client against the real server on localhost."""

from __future__ import annotations

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from ..conftest import ROOT

FINANCING = ROOT / "examples" / "proposal-financing.txt"


@pytest.fixture(scope="module")
def client(app):
    return Client(app[1], verbose=False)


def test_review_panel_names_a_deleted_section_and_checks_the_class(client):
    fields = client.predict("", handle_file(str(FINANCING)), api_name="/parse_proposal")
    draft_id, _, text, *_ = client.predict(*fields[:8], "partial", api_name="/generate_draft")
    summary, table = client.predict(draft_id, text, None, api_name="/review_draft")
    rows = table["data"]
    assert "审核" in summary and "具体段落" in summary
    assert any(row[1] == "逐条答复" and "发挥政府引导基金作用" in row[4] for row in rows)
    assert not any("完善科技金融服务体系" in row[4] for row in rows)

    # the （三） section deleted in the text box: named by its suggestion, with the line of 二、
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("### （三）"))
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith("最后感谢"))
    edited = "\n".join(lines[:start] + lines[end:])
    _, table = client.predict(draft_id, edited, None, api_name="/review_draft")
    missing = [row for row in table["data"] if "完善科技金融服务体系" in row[4]]
    plan_line = next(n for n, line in enumerate(edited.split("\n"), 1) if line.startswith("## 二、"))
    assert len(missing) == 1 and missing[0][2] == "问题" and missing[0][0] == str(plan_line)

    # class C chosen in the panel: no reason stated is a finding; a class not offered is refused
    _, table = client.predict(draft_id, text, "C", api_name="/review_draft")
    assert any(row[1] == "办理结果类别" and "没有说明不能解决的原因" in row[4] for row in table["data"])
    with pytest.raises(AppError, match="not in the list of choices"):
        client.predict(draft_id, text, "Z", api_name="/review_draft")
