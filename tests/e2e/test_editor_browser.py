"""The letter as staff see it (issue 26), in Debian Chromium: the draft beside a 公文 preview that holds the
same paragraphs as the exported Word file, sources and checks in their panels (not in the text), and a
finding that, clicked, marks its paragraph and selects its line. Screenshots under artifacts/ui/."""

from __future__ import annotations

import os

import docx
import pytest

from .common import CHROMIUM, SHOTS, app_page, draft_financing

if not os.path.exists(CHROMIUM) and os.environ.get("CI"):
    pytest.fail("Debian chromium is required in CI: .ci/run installs it", pytrace=False)
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed (apt-get install chromium)")

PREVIEW_TEXTS = """() => [...document.querySelectorAll('#letter-preview .lp')].map((p) => {
  const copy = p.cloneNode(true);
  copy.querySelectorAll('.ln, details').forEach((e) => e.remove());
  return copy.textContent.trim();
})"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    with app_page(tmp_path_factory, "editor", 1600, 1100) as (page, assistant):
        draft_financing(page)
        page.wait_for_selector("#letter-preview .lp-title")
        yield page, assistant


def test_the_preview_is_the_letter_the_export_writes(page, tmp_path):
    page, assistant = page
    text = page.input_value("#draft-text textarea")
    assert "引用来源" not in text and "[^c1]:" not in text and "## 需核实" not in text  # sources and checks live in their panels
    assert "[^c1]" in text and page.locator("#citations details").count() > 0
    assert page.locator("#letter-preview .lp .placeholder").count() > 0  # placeholders in red
    assert page.locator("#letter-preview details.source summary").first.inner_text().startswith(("答复函", "政策依据"))  # role badges
    shown = page.evaluate(PREVIEW_TEXTS)
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    with page.expect_download() as download:
        page.click("#export-button")
        page.wait_for_selector("#export-file a[download]")
        page.click("#export-file a[download]")
    path = tmp_path / "letter.docx"
    download.value.save_as(path)
    exported = [p.text.replace("\n", "") for p in docx.Document(str(path)).paragraphs if p.text.strip()]
    assert asked and "仍要导出吗" in asked[0] and "【待填：文号】" in asked[0]  # asked first, naming what is left
    contact = next(t for t in shown if t.startswith("联系人"))
    assert [t for t in exported if not t.startswith("（联系人")] == [t.replace("\n", "") for t in shown if t != contact]
    assert "（" + contact.rstrip("。") + "）" in exported  # the contact line as GB/T 9704's 附注, under the date
    page.screenshot(path=str(SHOTS / "8-编辑器与公文预览.png"), full_page=True)


def test_a_finding_clicked_marks_its_paragraph_and_selects_its_line(page):
    page, _ = page
    page.click("text=检查格式 / 刷新核实项")
    text = page.input_value("#draft-text textarea")
    line = next(n for n, t in enumerate(text.split("\n"), 1) if "【待填：联系人】" in t)  # a finding far down the letter
    cell = page.locator("#lint-table").get_by_text("尚未填写：【待填：联系人】", exact=True).first
    cell.scroll_into_view_if_needed()
    cell.click()
    page.wait_for_selector("#letter-preview .lp.marked")
    marked = int(page.get_attribute("#letter-preview .lp.marked", "data-line"))
    assert marked == line
    selected = page.evaluate(
        "() => { const t = document.querySelector('#draft-text textarea'); return t.value.slice(0, t.selectionStart).split('\\n').length; }"
    )
    assert selected == line
    page.screenshot(path=str(SHOTS / "9-点击检查结果定位段落.png"), full_page=True)


def test_the_preview_follows_the_text_pane(page):
    page, _ = page
    text = page.input_value("#draft-text textarea")
    page.fill("#draft-text textarea", text.replace("【待填：发文单位】", "温州市科学技术局"))
    page.wait_for_function("[...document.querySelectorAll('#letter-preview .lp-signature')].some((p) => p.innerText.includes('温州市科学技术局'))")
    assert page.locator("#letter-preview .lp-signature .placeholder").count() == 0


def test_an_export_with_placeholders_asks_and_the_public_copy_is_refused(page):
    page, assistant = page
    draft_id = max(d["id"] for d in assistant.drafts.list())
    versions = len(assistant.drafts.versions(draft_id))
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("#export-button")
    page.wait_for_function("document.querySelector('#draft-label').innerText.includes('未导出')")
    assert "处待填内容" in asked[0] and len(assistant.drafts.versions(draft_id)) == versions
    page.check("#export-public input")
    page.click("#export-button")  # no question: the server refuses a 公开版 with anything left to fill in
    page.wait_for_selector("text=公开版不能含待填内容")
    page.screenshot(path=str(SHOTS / "10-公开版拒绝.png"), full_page=False)
    page.uncheck("#export-public input")


def test_two_versions_side_by_side_with_the_changed_characters_marked(page):
    page, assistant = page
    text = page.input_value("#draft-text textarea")
    page.fill("#draft-text textarea", text.replace("【待填：联系人】", "项秋霞"))
    page.click("#save-button")
    page.wait_for_function("document.querySelector('#draft-label').innerText.includes('已保存第')")
    draft_id = max(d["id"] for d in assistant.drafts.list())
    page.get_by_role("tab", name="草稿").click()
    page.locator("#draft-pick input").first.fill(str(draft_id))
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    page.click("#diff-button")
    page.wait_for_selector("#diff-view table.version-diff")
    row = page.locator("#diff-view tr.diff-mod").filter(has_text="项秋霞").first
    assert row.locator("ins").first.inner_text() == "项秋霞" and "【待填：联系人】" in row.locator("del").first.inner_text()
    heads = page.inner_text("#diff-view thead")
    assert "第 1 版 · 生成草稿" in heads and "保存" in heads
    page.screenshot(path=str(SHOTS / "11-版本对比.png"), full_page=True)


def test_a_passage_goes_where_the_person_was_editing_without_the_old_letters_heading_or_tail(page):
    page, assistant = page
    page.get_by_role("tab", name="起草答复").click()
    text = page.input_value("#draft-text textarea")
    lines = text.split("\n")
    first_section = next(n for n, line in enumerate(lines, 1) if line.startswith("### （一）"))
    caret = "(n) => { const t = document.querySelector('#draft-text textarea'); const at = t.value.split('\\n').slice(0, n).join('\\n').length;"
    page.evaluate(caret + " t.focus(); t.setSelectionRange(at, at); }", first_section + 1)  # the caret in section （一）, as a person clicks there
    page.get_by_role("tab", name="先例检索").click()
    page.fill("#search-query textarea, #search-query input", "优化创新生态")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results .passage")
    assert page.input_value("#search-year-from input, #search-year-from textarea") == ""  # year filters empty by default
    page.click("#insert-button")
    page.wait_for_function("document.querySelector('#draft-text textarea').value.length > %d" % len(text))
    blocks = [b for b in page.input_value("#draft-text textarea").split("\n\n") if b.strip()]
    inserted = next(b for b in blocks if b not in text.split("\n\n"))
    at = blocks.index(inserted)
    assert blocks[at + 1].startswith("### （二）")  # at the end of the section being edited
    assert "联系人" not in inserted and "抄送" not in inserted and not inserted.startswith(("（", "#"))
    assert "[^c" in inserted
