"""The web app in a real browser: Debian Chromium driven by Playwright (never a downloaded
browser). Screenshots of each tab are kept under artifacts/ui/."""

from __future__ import annotations

import os
import re

import docx
import pytest

from .common import CHROMIUM, FINANCING, SHOTS, app_page, draft_financing

if not os.path.exists(CHROMIUM) and os.environ.get("CI"):
    pytest.fail("Debian chromium is required in CI: .ci/run installs it", pytrace=False)
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    with app_page(tmp_path_factory, "browser", 1400, 1000) as (page, assistant):
        yield page, assistant


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def choose(page, dropdown_id: str, text: str) -> None:
    """Pick the option of a dropdown that names ``text``, as a person types and clicks."""
    pick = page.locator(f"#{dropdown_id} input").first
    pick.click()
    pick.fill(text)
    page.get_by_role("option", name=re.compile(text)).first.click()


def answer_the_confirm(page, button_id: str, note_id: str, accept: bool) -> list[str]:
    """Click a button that asks first, answer its question, wait for the note (已删除 / 未删除); the questions asked."""
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept() if accept else dialog.dismiss()))
    page.click(f"#{button_id}")
    said = "已删除" if accept else "未删除"
    page.wait_for_function(f"document.querySelector('#{note_id}').innerText.includes('{said}')", timeout=60_000)
    return asked


def test_draft_edit_export_in_the_browser(page, tmp_path):
    page, assistant = page
    open_tab(page, "起草答复")
    draft_financing(page)
    page.wait_for_selector("#citations details")
    text = page.input_value("#draft-text textarea")
    assert "### （一）关于“创新科技信贷产品”的建议。" in text
    edited = text.replace("【待填：发文单位】", "温州市科学技术局（浏览器中修改）")
    page.fill("#draft-text textarea", edited)
    page.wait_for_function("document.querySelector('#draft-label').innerText.includes('已自动保存')")
    draft_id = max(d["id"] for d in assistant.drafts.list())
    assert assistant.drafts.get(draft_id).working_text == edited
    page.screenshot(path=str(SHOTS / "1-起草答复.png"), full_page=True)
    # a suggestion the seed letters say nothing about is marked, and one click searches it
    gap = re.search(r"【待补充：关于“(.+?)”的工作举措", text).group(1)
    assert "答复函·计划" in page.inner_text("#citations")
    page.click("#gap-search-button")
    page.wait_for_function("([gap]) => (e => e && e.value === gap)(document.querySelector('#search-query textarea, #search-query input'))", arg=[gap])
    page.wait_for_selector("#search-results")
    open_tab(page, "起草答复")

    page.once("dialog", lambda dialog: dialog.accept())  # 【待补充】 is left: asked, and the person goes on
    page.click("#export-button")
    link = page.wait_for_selector("#export-file a[download], #export-file a")
    with page.expect_download() as download:
        link.click()
    target = tmp_path / "reply.docx"
    download.value.save_as(target)
    paragraphs = [p.text for p in docx.Document(str(target)).paragraphs]
    assert "温州市科学技术局（浏览器中修改）" in paragraphs


def test_a_proposal_kept_as_word_97_is_read_in_the_draft_tab(page, tmp_path):
    """Issue 22: a .doc proposal (as many offices still send them) is parsed, not refused."""
    import shutil
    import subprocess

    page, _ = page
    open_tab(page, "起草答复")
    document = docx.Document()
    for line in FINANCING.split("\n"):
        document.add_paragraph(line)
    document.save(tmp_path / "proposal.docx")
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
            "--headless",
            "--convert-to",
            "doc:MS Word 97",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "proposal.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    shutil.move(tmp_path / "proposal.doc", tmp_path / "关于破解科技型企业融资难题的提案.doc")
    page.fill("#proposal-text textarea", "")
    page.fill("#field-title input, #field-title textarea", "")
    page.set_input_files("#proposal-file input[type=file]", str(tmp_path / "关于破解科技型企业融资难题的提案.doc"))
    # the file's text fills the proposal box and its fields (parsed from the converted Word 97 file)
    page.wait_for_function("document.querySelector('#proposal-text textarea').value.includes('融资难题')")
    assert "融资难题" in page.input_value("#field-title input, #field-title textarea")
    assert "创新科技信贷产品" in page.input_value("#field-suggestions textarea")


def test_a_file_that_cannot_be_read_leaves_the_pasted_text_to_be_parsed(page, tmp_path):
    """The probe pasted a proposal, then uploaded a spreadsheet by mistake: the refusal must not stay in the
    upload box and block every later 解析提案, nor touch the text pasted."""
    page, _ = page
    page.reload()  # an upload box an earlier test left holding its file
    open_tab(page, "起草答复")
    page.fill("#proposal-text textarea", FINANCING)
    (tmp_path / "list.xlsx").write_bytes(b"PK\x03\x04 not a proposal")
    page.set_input_files("#proposal-file input[type=file]", str(tmp_path / "list.xlsx"))
    page.wait_for_selector("text=不支持的文件类型 .xlsx")
    page.wait_for_function("!document.querySelector('#proposal-file').innerText.includes('.xlsx')", timeout=15000)
    assert page.input_value("#proposal-text textarea") == FINANCING
    page.click("#parse-button")
    page.wait_for_function("document.querySelector('#field-title input, #field-title textarea').value.includes('融资难题')")
    assert "创新科技信贷产品" in page.input_value("#field-suggestions textarea")


def test_search_lists_both_seed_letters(page):
    page, _ = page
    open_tab(page, "先例检索")
    page.fill("#search-query textarea, #search-query input", "揭榜挂帅")
    page.click("#search-button")
    page.wait_for_selector("#search-results mark")
    results = page.inner_text("#search-results")
    assert "温科提复〔2024〕110号" in results and "温科提复〔2024〕106号" in results
    page.screenshot(path=str(SHOTS / "2-先例检索.png"), full_page=True)


def upload_to_corpus(page, folder, name: str, article: str) -> None:
    """A policy file ``name``.md uploaded in 语料库, waited for until the document list shows it."""
    open_tab(page, "语料库")
    upload = folder / f"{name}.md"
    upload.write_text(f"# {name}\n\n第一条 {article}", encoding="utf-8")
    page.set_input_files("#corpus-upload input[type=file]", str(upload))
    page.wait_for_timeout(500)
    page.click("#upload-button")
    page.wait_for_function(f"document.querySelector('#documents').innerText.includes('{name}')", timeout=120_000)


def test_upload_appears_in_the_corpus_list(page, tmp_path):
    page, _ = page
    upload_to_corpus(page, tmp_path, "瓯江科技政策", "为了推行揭榜挂帅机制，制定本政策。")
    page.screenshot(path=str(SHOTS / "3-语料库.png"), full_page=True)


def test_removing_a_document_asks_first_and_a_no_keeps_it(page, tmp_path):
    """A probe removed a regulation from the index with one click: 删除 now asks, naming the document."""
    page, assistant = page
    upload_to_corpus(page, tmp_path, "瓯江删除试验", "为了试验删除，制定本规定。")
    listed = lambda: any("瓯江删除试验" in d["source"] for d in assistant.documents())  # noqa: E731
    choose(page, "remove-pick", "瓯江删除试验")
    asked = answer_the_confirm(page, "remove-button", "remove-note", accept=False)
    assert asked and "瓯江删除试验" in asked[0] and listed()
    answer_the_confirm(page, "remove-button", "remove-note", accept=True)
    assert not listed()


def test_drafts_tab_lists_the_saved_draft(page):
    page, assistant = page
    open_tab(page, "草稿")
    page.wait_for_function("document.querySelector('#drafts').innerText.includes('128号提案')")
    page.screenshot(path=str(SHOTS / "4-草稿.png"), full_page=True)


def test_deleting_a_draft_asks_first_and_a_no_keeps_it(page):
    """A probe could not take a trial draft out of the 草稿 list: 删除草稿 does, after the browser asks."""
    page, assistant = page
    trial = assistant.drafts.create("关于瓯江删除草稿试验的答复函", "提案", {}, "试一试")
    page.reload()
    open_tab(page, "草稿")
    page.wait_for_function("document.querySelector('#drafts').innerText.includes('瓯江删除草稿试验')", timeout=60_000)
    choose(page, "draft-pick", "瓯江删除草稿试验")
    exists = lambda: any(d["id"] == trial for d in assistant.drafts.list())  # noqa: E731
    asked = answer_the_confirm(page, "delete-draft-button", "delete-note", accept=False)
    assert asked and f"#{trial}" in asked[0] and "瓯江删除草稿试验" in asked[0] and exists()  # its title, not a bare number
    answer_the_confirm(page, "delete-draft-button", "delete-note", accept=True)
    assert not exists()
    page.wait_for_function("!document.querySelector('#drafts').innerText.includes('瓯江删除草稿试验')", timeout=60_000)


def test_markup_in_a_proposal_is_shown_as_text(page):
    page, _ = page
    open_tab(page, "起草答复")
    page.evaluate("window.__xss = 0")
    page.fill("#proposal-text textarea", '关于<img src=x onerror="window.__xss=1">的提案\n建议：一是<script>window.__xss=2</script>加强安全。二是完善制度。')
    page.click("#parse-button")
    page.wait_for_function("document.querySelector('#field-suggestions textarea').value.includes('完善制度')")
    page.click("#generate-button")
    page.wait_for_function("document.querySelector('#draft-text textarea').value.includes('<img')")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss") == 0


def test_the_parse_note_follows_a_field_edited_by_hand(page):
    """The note 解析 wrote is re-read when the 承办人 leaves a field: a proposer cleared is said to be missing."""
    page, _ = page
    open_tab(page, "起草答复")
    page.fill("#proposal-text textarea", "关于加强科普工作的提案\n提案人：王明\n建议：一是建设科普基地。二是培养科普人才。")
    page.click("#parse-button")
    page.wait_for_function("document.querySelector('#field-proposers textarea, #field-proposers input').value === '王明'")
    assert "提案人" not in page.inner_text("#parse-note")
    page.fill("#field-proposers textarea, #field-proposers input", "")
    page.click("#field-title textarea, #field-title input")  # leaving the field
    page.wait_for_function("document.querySelector('#parse-note').innerText.includes('提案人')")


def test_leaving_a_pasted_proposal_before_drafting_asks_first(page):
    """The probe reloaded the page after typing fields and before 生成草稿, and lost them: the browser now asks
    before leaving text that no draft holds yet; a page with nothing pasted leaves without asking."""
    page, _ = page

    def fresh_page(typed: str):
        fresh = page.context.new_page()
        fresh.goto(page.url)
        fresh.wait_for_selector("#proposal-text textarea")
        fresh.click("#proposal-text textarea")  # a person's input: browsers ask only on a page someone has used
        fresh.keyboard.type(typed)
        return fresh

    pasted = fresh_page("关于加强科普工作的提案")
    with pasted.expect_event("dialog") as asked:
        pasted.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()  # 留在此页: the text stays
    assert not pasted.is_closed() and pasted.input_value("#proposal-text textarea") == "关于加强科普工作的提案"
    pasted.close()

    # a draft generated from it: saved, so leaving asks no more (autosave keeps the letter from here on)
    drafted = fresh_page("")
    drafted.fill("#proposal-text textarea", "")
    drafted.keyboard.type("关于加强科普工作的提案\n提案人：王明\n建议建设科普基地。")
    drafted.click("#parse-button")
    drafted.wait_for_function("document.querySelector('#field-proposers textarea, #field-proposers input').value === '王明'")
    drafted.click("#generate-button")
    drafted.wait_for_function("document.querySelector('#draft-text textarea').value.includes('答复函')")
    drafted.wait_for_function("!window.replyAssistantUnsaved()")  # 生成草稿's success step has run
    dialogs = []
    drafted.on("dialog", lambda dialog: dialogs.append(dialog.type))
    drafted.close(run_before_unload=True)
    page.wait_for_timeout(1000)
    assert dialogs == [] and drafted.is_closed()

    empty = fresh_page("")
    dialogs = []
    empty.on("dialog", lambda dialog: dialogs.append(dialog.type))
    empty.close(run_before_unload=True)
    page.wait_for_timeout(1000)
    assert dialogs == [] and empty.is_closed()
