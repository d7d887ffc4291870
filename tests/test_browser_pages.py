"""Every page of the built site in Debian's Chromium: it loads from the local server alone.

The static checks in test_site_quality.py read the HTML; this one watches what a real browser
fetches while a page loads and runs its scripts (MathJax pulls its fonts and extensions at run
time, for instance), and checks that the formulas are typeset offline.
"""

from __future__ import annotations

import pytest
from browser import benign
from test_site import HTML, PAGES

pytestmark = pytest.mark.site


def has_math(doc: str) -> bool:
    return 'class="math' in (HTML / f"{doc}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("doc", PAGES)
def test_page_loads_everything_from_the_site_and_typesets_its_math(browser, site_url, doc):
    context = browser.new_context()
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda m: m.type == "error" and not benign(m) and errors.append(m.text))
    page.on("pageerror", lambda error: not benign(error) and errors.append(str(error)))
    page.goto(f"{site_url}/{doc}.html", wait_until="networkidle")
    if has_math(doc):
        # MathJax replaces each formula by an <mjx-container> once it has typeset it.
        page.wait_for_selector("mjx-container", state="attached", timeout=30_000)
        page.wait_for_load_state("networkidle")
    context.close()
    outside = [url for url in requests if not url.startswith(f"{site_url}/")]
    assert requests and not outside, f"{doc} fetched from other servers: {outside}"
    assert errors == [], f"{doc} logged console errors: {errors}"
