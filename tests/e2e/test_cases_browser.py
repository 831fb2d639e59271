"""The 办理台账 tab in Debian Chromium (issue 25, point 7): a 交办清单 and a proposal file imported, a case's
draft started in 起草答复, the reply marked sent (and found by search as a precedent), the proposer's feedback
recorded; a 会办 case opens as a 会办意见; the deadline column says late or days left. Screenshots under
artifacts/ui/."""

from __future__ import annotations

import os

import openpyxl
import pytest

from ..cases.samples import write_list
from .common import CHROMIUM, SHOTS, app_page

if not os.path.exists(CHROMIUM) and os.environ.get("CI"):
    pytest.fail("Debian chromium is required in CI: .ci/run installs it", pytrace=False)
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed (apt-get install chromium)")

PROPOSAL_56 = """关于加快科技成果转化的提案

市政协十二届四次会议 第56号提案
提案人：陈明、刘洋

我市科技成果转化率不高，技术经纪服务薄弱。为此建议：
一、完善技术经纪人队伍建设，促进科技成果转化。
二、支持企业与高校共建概念验证中心。
"""
PROPOSAL_57 = """关于完善人才住房保障的提案

市政协十二届四次会议 第57号提案
提案人：黄丽

青年科技人才住房负担较重。为此建议：
一、扩大人才公寓供给，优先保障科技企业研发人员。
二、加大科技企业孵化器配套服务，为青年创业者提供场地。
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    with app_page(tmp_path_factory, "cases-browser", 1400, 1100, issuing_unit="温州市科学技术局") as (page, assistant):
        yield page, assistant


def pick_case(page, number: str) -> None:
    """Choose a case in the picker as a person does: type part of its label, click the option."""
    page.locator("#case-pick input").first.fill(f"第{number}号")
    page.get_by_role("option", name=f"第{number}号").first.click()
    page.wait_for_function(f"document.querySelector('#case-detail').innerText.includes('第{number}号')")


def test_import_draft_reply_and_feedback_in_the_register_tab(page, tmp_path):
    page, assistant = page
    sheet = write_list(tmp_path / "交办清单.xlsx")
    (tmp_path / "第56号提案.txt").write_text(PROPOSAL_56, encoding="utf-8")
    (tmp_path / "第57号提案.txt").write_text(PROPOSAL_57, encoding="utf-8")
    page.get_by_role("tab", name="办理台账").click()
    page.get_by_text("导入交办清单（管理员）").click()
    page.set_input_files("#cases-sheet input[type=file]", str(sheet))
    page.set_input_files("#cases-proposals input[type=file]", [str(tmp_path / "第56号提案.txt"), str(tmp_path / "第57号提案.txt")])
    page.wait_for_timeout(500)
    page.click("#cases-import")
    page.wait_for_function("document.querySelector('#cases-import-note').innerText.includes('新增 3')")
    note = page.inner_text("#cases-import-note")
    assert "无法读取 2" in note and "第 8 行" in note  # the bad rows, by row number
    page.wait_for_function("document.querySelectorAll('#cases-table tr[data-case]').length === 3")
    table = page.inner_text("#cases-table")
    assert "市政协十二届四次会议第56号提案" in table and "关于完善人才住房保障的提案" in table
    assert page.locator("#cases-table .due-late, #cases-table .due-soon, #cases-table .due-ok").count() == 3  # 期限 coloured by days left
    page.screenshot(path=str(SHOTS / "6-办理台账.png"), full_page=True)

    # 56 (主办): its draft starts in 起草答复 with the proposal loaded
    pick_case(page, "56")
    page.click("#case-open")
    page.wait_for_function("document.querySelector('#draft-text textarea').value.includes('56号提案的答复函')")
    assert "关于加快科技成果转化的提案" in page.input_value("#proposal-text textarea")
    case = next(c for c in assistant.list_cases() if c.number == "56")
    assert case.status == "起草中" and case.draft_id is not None

    # 57 (会办): a 会办意见 to the lead unit
    page.get_by_role("tab", name="办理台账").click()
    pick_case(page, "57")
    assert "起草会办意见" in page.inner_text("#case-detail")
    page.click("#case-open")
    page.wait_for_function("document.querySelector('#draft-text textarea').value.includes('第57号提案的会办意见')")
    assert "\n\n市人力社保局：" in page.input_value("#draft-text textarea")

    # the reply to 56 is marked sent: recorded, filed and ingested as a precedent
    page.get_by_role("tab", name="办理台账").click()
    pick_case(page, "56")
    page.get_by_text("标记已答复", exact=True).first.click()
    page.fill("#reply-doc-number input, #reply-doc-number textarea", "温科提复〔2026〕12号")
    page.fill("#reply-date input, #reply-date textarea", "2026-06-20")
    page.click("#reply-button")
    page.wait_for_function("document.querySelector('#case-note').innerText.includes('答复函已入库')")
    page.wait_for_function("document.querySelector('#cases-table').innerText.includes('温科提复〔2026〕12号')")
    hits = assistant.search("技术经纪人队伍建设", k=10).results
    assert any(h.metadata.get("doc_number") == "温科提复〔2026〕12号" for h in hits)

    # the proposer is satisfied: closed
    page.get_by_text("登记反馈", exact=True).first.click()
    page.locator("#feedback-pick input").first.fill("满意")
    page.get_by_role("option", name="满意", exact=True).click()
    page.click("#feedback-button")
    page.wait_for_function("document.querySelector('#case-note').innerText.includes('已办结')")
    case = next(c for c in assistant.list_cases() if c.number == "56")
    assert (case.status, case.reply_doc_number, case.feedback) == ("已办结", "温科提复〔2026〕12号", "满意")
    page.wait_for_function("document.querySelector('#case-detail').innerText.includes('已办结')")

    # the year-end figures and the register as .xlsx
    page.click("#stats-button")
    page.wait_for_function("document.querySelector('#cases-stats').innerText.includes('共 3 件')")
    assert "满意 1 件" in page.inner_text("#cases-stats")
    with page.expect_download() as download:
        page.click("#cases-export")
        page.wait_for_selector("#cases-export-file a[download]")
        page.click("#cases-export-file a[download]")
    saved = tmp_path / "台账.xlsx"
    download.value.save_as(saved)
    rows = list(openpyxl.load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "类别", "会议届次", "编号", "案由") and len(rows) == 4
    page.screenshot(path=str(SHOTS / "7-办理台账-已办结.png"), full_page=True)
