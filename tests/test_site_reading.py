"""What a reader sees on the built pages: code that fits its box, prose numbers, whole equations.

- every line of chapter code fits the code box (at most :data:`CODE_LINE_LIMIT` characters), so
  no code cell scrolls sideways at 1280 px (a static check of the HTML);
- the numbers the build glued into the prose are set in the prose's weight, not in bold;
- no display equation is cut off: at 1280 px every one fits its column, and at 375 px (a phone)
  each one fits or scrolls inside its own box.

The last two run in Debian's Chromium, since only a browser knows the computed style and width.
"""

from __future__ import annotations

import re

import pytest
from browser import wait_for_math
from test_site import HTML, NOTEBOOKS, PAGES
from test_site import page as page_soup

pytestmark = pytest.mark.site

CODE_LINE_LIMIT = 80


@pytest.mark.parametrize("doc", NOTEBOOKS)
def test_every_line_of_chapter_code_fits_the_code_box(doc):
    long_lines = [
        line
        for block in page_soup(doc).select("div.cell_input pre")
        for line in block.get_text().splitlines()
        if len(line) > CODE_LINE_LIMIT
    ]
    assert not long_lines, (
        f"{doc} has {len(long_lines)} code lines over {CODE_LINE_LIMIT} characters, which "
        f"scroll sideways in the page: {[line[:40] + '...' for line in long_lines[:5]]}"
    )


def test_the_limit_is_checked_on_real_code():
    blocks = [b for doc in NOTEBOOKS for b in page_soup(doc).select("div.cell_input pre")]
    assert len(blocks) > 5 * len(NOTEBOOKS), "the code cells were not found in the pages"


def open_page(browser, site_url, doc, width, height=900):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{site_url}/{doc}.html", wait_until="networkidle")
    wait_for_math(page)
    return context, page


def built_pages_with(docs: list[str], selector: str) -> list[str]:
    """The pages among ``docs`` that hold ``selector``; none before the book is built."""
    return [d for d in docs if (HTML / f"{d}.html").is_file() and page_soup(d).select(selector)]


GLUED_NUMBERS = built_pages_with(NOTEBOOKS, "span.pasted-text")


@pytest.mark.parametrize("doc", GLUED_NUMBERS)
def test_glued_numbers_read_as_prose_not_in_bold(browser, site_url, doc):
    context, page = open_page(browser, site_url, doc, 1280)
    weights = page.eval_on_selector_all(
        "span.pasted-text",
        """spans => spans.map(s => [getComputedStyle(s).fontWeight,
                                   getComputedStyle(s.parentElement).fontWeight])""",
    )
    context.close()
    assert weights, f"{doc}: no glued number found"
    bolder = [own for own, parent in weights if int(own) > int(parent)]
    assert not bolder, f"{doc}: {len(bolder)} of {len(weights)} glued numbers are bolder"


DISPLAY_MATH = built_pages_with(PAGES, "div.math")

MEASURE = """els => els.map(e => ({
    id: e.closest('div.math')?.id || '',
    scroll: e.scrollWidth, client: e.clientWidth,
    overflow: getComputedStyle(e).overflowX}))"""


@pytest.mark.parametrize("doc", DISPLAY_MATH)
@pytest.mark.parametrize("width", [1280, 375])
def test_no_display_equation_is_cut_off(browser, site_url, doc, width):
    context, page = open_page(browser, site_url, doc, width)
    boxes = page.eval_on_selector_all('mjx-container[display="true"]', MEASURE)
    context.close()
    assert boxes, f"{doc}: no typeset display equation found"
    too_wide = [b for b in boxes if b["scroll"] > b["client"] + 1]
    if width >= 1280:
        assert not too_wide, f"{doc}: equations wider than the column at {width} px: {too_wide}"
    cut = [b for b in too_wide if b["overflow"] not in ("auto", "scroll")]
    assert not cut, f"{doc}: equations cut off at {width} px, with no way to scroll: {cut}"


SLIPS = {
    "a doubled word": re.compile(r"\b(\w{2,})\s+\1\b", re.IGNORECASE),
    "a number too precise to read": re.compile(r"\b100\.0{3,} ?%"),
    "'a' before a number read with a vowel": re.compile(r"\ba (8|11|18|8\d)\b"),
    "one of a plural": re.compile(r"\b1 (mistakes|errors|images|digits|points|steps|epochs)\b"),
}


def prose_of(doc: str) -> str:
    """The text of the page's paragraphs, list items, captions and definitions, without code."""
    soup = page_soup(doc)
    for tag in soup.select("pre, code, div.cell_input, div.cell_output, .math, script, style"):
        tag.decompose()
    main = soup.select_one("main") or soup
    return " ".join(el.get_text(" ", strip=True) for el in main.select("p, li, dd, figcaption"))


@pytest.mark.parametrize("doc", PAGES)
def test_the_prose_has_no_slips(doc):
    text = prose_of(doc)
    found = {
        name: sorted({m.group(0) for m in pattern.finditer(text)})
        for name, pattern in SLIPS.items()
        if pattern.search(text)
    }
    assert not found, f"{doc} has slips in its prose: {found}"


PHONE_CHECK = """() => {
  const scrolls = el => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const o = getComputedStyle(e).overflowX;
      if ((o === 'auto' || o === 'scroll') && e.scrollWidth > e.clientWidth + 1) return true;
      if (o === 'auto' || o === 'scroll') return e.scrollWidth <= e.clientWidth + 1;
    }
    return false;
  };
  const cut = [];
  for (const el of document.querySelectorAll('main table, main pre, main img, main figure')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;  // hidden (the other colour mode's image, for instance)
    const wide = el.scrollWidth > el.clientWidth + 1 || box.right > innerWidth + 1;
    if (wide && !scrolls(el)) cut.push(el.tagName + ' ' + (el.className || '') + ' ' + box.right);
  }
  return {page: document.scrollingElement.scrollWidth, cut};
}"""


@pytest.mark.parametrize("doc", PAGES)
def test_nothing_is_cut_off_on_a_phone(browser, site_url, doc):
    context, page = open_page(browser, site_url, doc, 375, 812)
    found = page.evaluate(PHONE_CHECK)
    context.close()
    assert found["page"] <= 376, f"{doc} scrolls sideways at 375 px ({found['page']} px wide)"
    assert not found["cut"], f"{doc}: cut off at 375 px with no way to scroll: {found['cut']}"
