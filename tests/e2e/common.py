"""What the end-to-end tests share: the real clients they drive (LibreOffice, Chromium) and where
they keep what a person should look at (artifacts/)."""

from __future__ import annotations

import shutil
from contextlib import contextmanager

from ..conftest import ROOT

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
ARTIFACTS = ROOT / "artifacts" / "export"
FONTS_CONF = ROOT / "assistant" / "data" / "fonts.conf"
MM = 72 / 25.4
TYPE_AREA = (28.0, 37.0, 28.0 + 156.0, 37.0 + 225.0)  # left, top, right, bottom in mm

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "artifacts" / "ui"
FINANCING = (ROOT / "examples" / "proposal-financing.txt").read_text(encoding="utf-8")


def log_in(page, url: str, user: str, password: str) -> None:
    """Through the login form, as a person does; returns once 起草答复 is on the page."""
    page.goto(url)
    page.wait_for_selector("input[type=password]")
    page.locator("input:not([type=password])").first.fill(user)
    page.fill("input[type=password]", password)
    page.press("input[type=password]", "Enter")
    page.wait_for_selector("#proposal-text textarea")


def draft_financing(page) -> None:
    """Paste the financing proposal, parse it, draft it; returns once the draft is in the editor."""
    page.fill("#proposal-text textarea", FINANCING)
    page.click("#parse-button")
    page.wait_for_function("document.querySelector('#field-title input, #field-title textarea').value.includes('融资难题')")
    page.click("#generate-button")
    page.wait_for_function("document.querySelector('#draft-text textarea').value.includes('答复函')")


ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]


@contextmanager
def app_page(tmp_path_factory, name: str, width: int = 1400, height: int = 1000, **overrides):
    """A running app over a tmp index of the seed letters (``overrides``: settings) and a Debian Chromium page
    on it, 起草答复 loaded: (page, assistant). Everything is closed on the way out."""
    from playwright.sync_api import sync_playwright

    from ..web.conftest import start_app

    assistant, demo, url = start_app(tmp_path_factory.mktemp(name), **overrides)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            context = browser.new_context(accept_downloads=True, viewport={"width": width, "height": height}, locale="zh-CN")
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(url)
            page.wait_for_selector("#proposal-text textarea")
            yield page, assistant
            browser.close()
    finally:
        demo.close()
        assistant.close()
