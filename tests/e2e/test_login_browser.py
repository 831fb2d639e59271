"""Logins and edits in a real browser (issue 23): a page on another site cannot log Chromium in as
the account it chooses; eight tabs logging in at once all get in; two tabs editing one draft never
overwrite each other silently."""

from __future__ import annotations

import http.server
import os
import threading

import pytest

from ..web.conftest import free_port, start_app
from .common import ARGS, CHROMIUM, draft_financing, log_in

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed (apt-get install chromium)")

USER, PASSWORD = "alice", "alice-password-1"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from assistant.users import add_user

    tmp_path = tmp_path_factory.mktemp("login-browser")
    users = tmp_path / "users.json"
    add_user(users, USER, PASSWORD)
    add_user(users, "attacker", "attacker-password")
    assistant, demo, url = start_app(tmp_path, users_file=users, login_max_failures=3)
    yield assistant, url
    demo.close()
    assistant.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield instance
        instance.close()


def test_a_page_on_another_site_cannot_log_the_browser_in(served, browser, tmp_path):
    """The attack of finding 6: another origin's page posts the attacker's credentials to /login, so
    the victim's browser works (and drafts) inside the attacker's account."""
    _, url = served
    (tmp_path / "evil.html").write_text(
        f'<form id="f" method="post" action="{url}login"><input name="username" value="attacker">'
        '<input name="password" value="attacker-password"></form><script>document.getElementById("f").submit()</script>',
        encoding="utf-8",
    )
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path), **k)  # noqa: E731
    evil = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        context = browser.new_context()
        page = context.new_page()
        answers = []
        page.on("response", lambda r: answers.append(r.status) if r.url.endswith("/login") else None)
        page.goto(f"http://127.0.0.1:{evil.server_address[1]}/evil.html")
        page.wait_for_timeout(1500)
        assert answers == [403]
        assert not [c for c in context.cookies(url) if c["name"].startswith("access-token")]
        page.goto(url)
        page.wait_for_selector("input[type=password]")  # still the login page: not logged in as anyone
        context.close()
    finally:
        evil.shutdown()


def test_eight_tabs_logging_in_at_once_all_get_in(served, browser):
    """Finding 1: eight parallel correct logins gave five sessions and three “locked”."""
    _, url = served
    context = browser.new_context()
    pages = [context.new_page() for _ in range(8)]
    for page in pages:
        page.goto(url)
        page.wait_for_selector("input[type=password]")
        page.locator("input:not([type=password])").first.fill(USER)
        page.fill("input[type=password]", PASSWORD)
    for page in pages:  # all submitted before any answer comes back
        page.press("input[type=password]", "Enter")
    for page in pages:
        page.wait_for_selector("#proposal-text textarea", timeout=60_000)
    context.close()


def test_two_tabs_editing_one_draft_never_overwrite_each_other(served, browser):
    """Finding 7: both tabs said “已自动保存” and the first edit was gone."""
    assistant, url = served
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    first, second = context.new_page(), context.new_page()
    for page in (first, second):
        page.set_default_timeout(60_000)
    log_in(first, url, USER, PASSWORD)
    draft_financing(first)
    draft_id = max(d["id"] for d in assistant.drafts.list())
    # the same draft opened in a second tab
    second.goto(url)
    second.wait_for_selector("#proposal-text textarea")
    second.get_by_role("tab", name="草稿").click()
    second.locator("#draft-pick input").first.fill(str(draft_id))
    second.keyboard.press("Enter")
    second.click("#open-draft-button")
    second.wait_for_function("document.querySelector('#draft-text textarea').value.includes('答复函')")

    text = first.input_value("#draft-text textarea")
    first.fill("#draft-text textarea", text + "\n\n第一个窗口的修改。")
    first.wait_for_function("document.querySelector('#draft-label').innerText.includes('已自动保存')")
    second.fill("#draft-text textarea", text + "\n\n第二个窗口的修改。")
    second.wait_for_function("document.querySelector('#draft-label').innerText.includes('此草稿已在别处修改')")
    assert assistant.drafts.get(draft_id).working_text.endswith("第一个窗口的修改。")  # not overwritten
    second.click("#save-new-version-button")
    second.wait_for_function("document.querySelector('#draft-label').innerText.includes('已另存为')")
    saved = assistant.drafts.get(draft_id)
    assert saved.working_text.endswith("第二个窗口的修改。")
    texts = [assistant.drafts.version_text(draft_id, v["number"]) for v in assistant.drafts.versions(draft_id)]
    assert any(t.endswith("第一个窗口的修改。") for t in texts)  # both kept
    context.close()


def test_the_front_door_is_chinese_says_who_is_in_and_lets_them_out(served, browser):
    """Issue 26: Gradio's English login (Login / username / “Incorrect Credentials”), no logout, no “who am I”."""
    from .common import SHOTS

    _, url = served
    context = browser.new_context(viewport={"width": 1200, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.wait_for_selector("#login-button")
    assert page.inner_text("label[for=username]") == "用户名" and page.inner_text("label[for=password]") == "密码"
    assert page.inner_text("#login-button") == "登录" and "Login" not in page.content()
    page.fill("#username", USER)
    page.fill("#password", "wrong-password-x")
    page.click("#login-button")
    page.wait_for_function("document.querySelector('#error').innerText.length > 0")
    assert page.inner_text("#error") == "用户名或密码错误"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "12-登录.png"))
    log_in(page, url, USER, PASSWORD)
    page.wait_for_function("document.querySelector('#current-user').innerText.includes('当前用户：alice')")
    assert "退出" in page.inner_text("#current-user")
    page.click("#logout-link")
    page.wait_for_selector("#login-button")  # out, and back at our login page
    assert not [c for c in context.cookies(url) if c["name"].startswith("access-token")]
    context.close()
