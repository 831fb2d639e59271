"""Nothing confidential stays in the browser (issue 13, finding 3): after a login, a draft and a
logout, no localStorage/sessionStorage value holds the proposal or the draft, and the run-history
page (/gradio_api/runs) lists neither — Gradio's run history is off."""

from __future__ import annotations

import json
import os

import pytest

from ..web.conftest import start_app
from .common import CHROMIUM, FINANCING, draft_financing, log_in

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed (apt-get install chromium)")

USER, PASSWORD = "王五", "storage-test-password"
STORAGE = "() => [localStorage, sessionStorage].flatMap(s => Object.keys(s).map(k => [k, s.getItem(k)]))"


def test_no_proposal_or_draft_left_in_the_browser_after_logout(tmp_path):
    from playwright.sync_api import sync_playwright

    from assistant.users import add_user

    users = tmp_path / "users.json"
    add_user(users, USER, PASSWORD)
    assistant, demo, url = start_app(tmp_path, users_file=users)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
            )
            page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN").new_page()
            page.set_default_timeout(60_000)
            log_in(page, url, USER, PASSWORD)
            draft_financing(page)
            draft = page.input_value("#draft-text textarea")
            page.wait_for_timeout(1500)  # let any after-run bookkeeping (history writes) happen
            # a line of the proposal and one of the draft that are not on the page's own labels
            secrets = [
                next(line for line in FINANCING.splitlines() if len(line) > 30)[:30],
                next(line for line in draft.splitlines() if "关于" in line and len(line) > 15)[:20],
            ]

            page.goto(url + "logout")
            page.wait_for_selector("input[type=password]")
            stored = page.evaluate(STORAGE)
            leaked = [key for key, value in stored if any(s in (value or "") for s in secrets)]
            assert not leaked, f"proposal/draft text in browser storage after logout: {leaked}"

            # logged in again, the run-history page has nothing to show (it is off: 404)
            log_in(page, url, USER, PASSWORD)
            response = page.goto(url + "gradio_api/runs")
            page.wait_for_timeout(2000)
            body = page.content()
            assert not any(s in body for s in secrets), "run history lists the proposal/draft"
            assert response.status in (401, 403, 404), response.status
            stored = page.evaluate(STORAGE)
            assert not any(k.startswith("gradio:run-history") for k, _ in stored), json.dumps(stored, ensure_ascii=False)[:500]
            browser.close()
    finally:
        demo.close()
        assistant.close()
