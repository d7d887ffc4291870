"""Finding a Chromium for the browser tests on a fresh machine (no Debian package needed)."""

from __future__ import annotations

import browser
from playwright.sync_api import sync_playwright


def test_debians_chromium_is_used_where_it_is_installed(monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("")
    monkeypatch.setattr(browser, "CHROMIUM", fake)
    assert browser.chromium_path() == fake
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "missing")
    assert browser.chromium_path() is None


def test_without_debians_chromium_playwrights_own_or_one_clear_sentence(monkeypatch, tmp_path):
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "missing")
    with sync_playwright() as playwright:
        try:
            chromium = browser.launch(playwright)
        except FileNotFoundError as error:
            message = str(error)
            assert "apt-get install chromium" in message
            assert "playwright install chromium" in message
            assert message.count(".") <= 3 and "\n" not in message
        else:  # Playwright's own download is on this machine: it must really run
            page = chromium.new_page()
            page.set_content("<p id='x'>ok</p>")
            assert page.text_content("#x") == "ok"
            chromium.close()


def test_the_hint_says_what_to_run_next():
    assert "make test" in browser.INSTALL_HINT
