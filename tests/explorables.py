"""Pieces the per-explorable browser tests share (tests/test_site_explore_<name>.py).

``SITE`` is the built site (``_build/html``, or ``MNIST_LESSONS_SITE_HTML``: one chapter's
build while working on it); :func:`page_of` finds the page that places an explorable there,
:func:`bundle_of` reads the data the build exported for it, and :func:`explorable_page` opens
that page in Chromium, scrolled to the explorable once it is drawn, with the console's errors
collected in ``page.errors``.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_site import HTML

from mnist_lessons.explore import read_bundle

SITE = Path(os.environ.get("MNIST_LESSONS_SITE_HTML", HTML))
READY = 30_000  # ms for an explorable to fetch its module and bundle and draw


def page_of(name: str) -> str:
    """The page (relative to SITE) that places explorable ``name``."""
    for path in sorted(SITE.rglob("*.html")):
        if path.relative_to(SITE).parts[0].startswith("_"):
            continue
        text = path.read_text(encoding="utf-8")
        if f'data-explorable="{name}"' in text:
            soup = BeautifulSoup(text, "html.parser")
            if soup.select_one(f'div.explorable[data-explorable="{name}"]') is not None:
                return str(path.relative_to(SITE))
    pytest.fail(f"No page of {SITE} places explorable {name}: build the book (or its chapter).")


def bundle_of(name: str) -> tuple[dict, dict]:
    """The data and arrays the build exported for explorable ``name``."""
    path = SITE / "_static" / "explore" / "data" / f"{name}.bin"
    if not path.is_file():
        pytest.fail(f"No {path}: the chapter exports it when the book is built.")
    return read_bundle(path)


@contextlib.contextmanager
def explorable_page(browser, site_url, name, *, width=1280, height=1000, query=""):
    """Explorable ``name``'s page, scrolled to it once drawn; console errors in page.errors."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    try:
        page.goto(f"{site_url}/{page_of(name)}{query}")
        page.locator(f"#explorable-{name}").scroll_into_view_if_needed()
        page.wait_for_selector(f"#explorable-{name}[data-state=ready]", timeout=READY)
        yield page
    finally:
        context.close()
