"""Every explorable on the built site, in Chromium, checked the same way.

An explorable (mnist_lessons.explore) must load with no console error and no request to another
host, answer every control it shows by changing its figure, keep its settings in the URL (a
link reopens it as it was), be reachable control by control with the Tab key, pass axe-core once
it is drawn (light and dark), redraw in dark mode, and fit a 375 px wide phone. Its pages load
its script and data only when the reader comes near it; pages without one load none of it.
What only one explorable knows (its numbers against the package's) is in
tests/test_site_explore_<name>.py.

``MNIST_LESSONS_SITE_HTML`` points these tests at another build (one chapter's) while working.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from browser import benign
from bs4 import BeautifulSoup
from test_site import HTML
from test_site_accessibility import AXE, WCAG_AA

from mnist_lessons.explore import MODULES

pytestmark = pytest.mark.site

SITE = Path(os.environ.get("MNIST_LESSONS_SITE_HTML", HTML))
READY = 30_000  # ms for an explorable to fetch its module and bundle and draw


def placed() -> list[tuple[str, str]]:
    """(page, explorable name) for every explorable placed in the built site."""
    found = []
    for path in sorted(SITE.rglob("*.html")):
        if path.relative_to(SITE).parts[0].startswith("_"):
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for div in soup.select("div.explorable[data-explorable]"):
            found.append((str(path.relative_to(SITE)), div["data-explorable"]))
    return found


PLACED = placed()


def test_every_explorable_module_is_placed_in_the_book_once():
    if "MNIST_LESSONS_SITE_HTML" in os.environ:
        pytest.skip("a single-page build places only its own chapter's explorables")
    modules = sorted(p.stem for p in MODULES.glob("*.js"))
    names = [name for _, name in PLACED]
    assert len(names) == len(set(names)), f"an explorable is placed twice: {names}"
    assert sorted(names) == modules, "each module in explore/explorables is placed exactly once"
    assert len({page for page, _ in PLACED}) >= 16, "the issue asks for one per chapter"


def open_explorable(browser, site_url, page_path, name, *, width=1280, query=""):
    """A page scrolled to the explorable, once it is drawn; with its console and requests."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    log = {"errors": [], "requests": [], "failed": []}
    page.on(
        "console",
        lambda m: m.type == "error" and not benign(m) and log["errors"].append(m.text),
    )
    page.on("pageerror", lambda e: not benign(e) and log["errors"].append(str(e)))
    page.on("request", lambda r: log["requests"].append(r.url))
    page.on(
        "response",
        lambda r: r.status >= 400 and log["failed"].append(f"{r.status} {r.url}"),
    )
    page.goto(f"{site_url}/{page_path}{query}", wait_until="load")
    root = page.locator(f"#explorable-{name}")
    root.scroll_into_view_if_needed()
    page.wait_for_selector(f"#explorable-{name}[data-state=ready]", timeout=READY)
    return context, page, root, log


def signature(root) -> str:
    """What the explorable shows now: its canvases' pixels and its panels' and status's text."""
    return root.evaluate(
        """el => [...el.querySelectorAll('canvas')].map(c => c.toDataURL()).join('|')
                 + '|' + [...el.querySelectorAll('.explorable-figures, .explorable-panel')]
                           .map(p => p.innerText).join('|')"""
    )


CONTROLS = (
    ".explorable-controls input:not([disabled]), .explorable-controls select:not([disabled])"
)


def change(page, control) -> None:
    """Change a control as a reader would: keys on a slider, another option, a click."""
    kind = control.evaluate("c => c.type")
    if kind == "range":
        control.focus()
        at_max = control.evaluate("c => Number(c.value) >= Number(c.max)")
        page.keyboard.press("Home" if at_max else "End")
    elif kind in ("select-one",):
        options = control.evaluate("c => [...c.options].map(o => o.value)")
        current = control.input_value()
        control.select_option(next(o for o in options if o != current))
    elif kind == "checkbox":
        control.focus()
        page.keyboard.press("Space")
    elif kind == "number":
        value = float(control.input_value() or 0)
        low = control.get_attribute("min")
        high = control.get_attribute("max")
        new = value + 0.5
        if high not in (None, "") and new > float(high):
            new = value - 0.5
        if low not in (None, "") and new < float(low):
            new = float(low)
        control.fill(f"{new:g}")
        control.press("Enter")
        control.blur()
    else:
        raise AssertionError(f"unknown control type {kind}")


@pytest.mark.parametrize(("page_path", "name"), PLACED, ids=[n for _, n in PLACED])
def test_explorable_loads_answers_its_controls_and_keeps_its_state(
    browser, site_url, page_path, name
):
    context, page, root, log = open_explorable(browser, site_url, page_path, name)
    try:
        controls = [c for c in root.locator(CONTROLS).all() if c.is_visible()]
        assert controls, f"{name} has no control"
        # Every control is labelled (a <label for> or aria-label) and changes the figure.
        for control in controls:
            label = control.evaluate(
                "c => (c.labels && c.labels[0] && c.labels[0].innerText) || "
                "c.getAttribute('aria-label') || ''"
            )
            assert label.strip(), f"{name}: a control has no label"
            before = signature(root)
            change(page, control)
            page.wait_for_timeout(50)
            assert signature(root) != before, f"{name}: changing '{label}' changed nothing"
        # The URL keeps the settings: opening it draws the same state.
        page.wait_for_timeout(600)
        state = root.evaluate("el => el.explorable.state")
        query = urlparse(page.url).query
        assert query, f"{name}: the URL did not take the changed settings"
        context2, _page2, root2, log2 = open_explorable(
            browser, site_url, page_path, name, query=f"?{query}"
        )
        assert root2.evaluate("el => el.explorable.state") == state, f"{name}: URL round trip"
        context2.close()
        assert not log["errors"] + log2["errors"], f"{name}: console errors"
        assert not log["failed"], f"{name}: failed requests {log['failed']}"
        host = urlparse(site_url).netloc
        foreign = [u for u in log["requests"] if urlparse(u).netloc not in ("", host)]
        assert not foreign, f"{name}: requests to other hosts {foreign}"
        assert root.get_attribute("data-state") == "ready", f"{name} stopped: {signature(root)}"
    finally:
        context.close()


@pytest.mark.parametrize(("page_path", "name"), PLACED, ids=[n for _, n in PLACED])
def test_explorable_is_reachable_by_keyboard_and_passes_axe_in_both_modes(
    browser, site_url, page_path, name
):
    context, page, root, _ = open_explorable(browser, site_url, page_path, name)
    try:
        focusable = root.evaluate(
            """el => [...el.querySelectorAll('input, select, button, textarea, [tabindex]')]
                   .filter(c => !c.disabled && c.tabIndex >= 0 && c.offsetParent !== null)
                   .map((c, i) => { c.dataset.tabProbe = i; return i; })"""
        )
        assert focusable, f"{name}: nothing to reach with the keyboard"
        root.locator("[data-tab-probe='0']").focus()
        reached = set()
        for _ in range(len(focusable) + 2):
            probe = page.evaluate("document.activeElement.dataset.tabProbe")
            if probe is not None:
                reached.add(int(probe))
            page.keyboard.press("Tab")
        assert reached == set(focusable), f"{name}: Tab skips controls {set(focusable) - reached}"
        page.add_script_tag(path=str(AXE))
        before = None
        for mode in ("light", "dark"):
            page.evaluate(
                """mode => { localStorage.setItem('mode', mode);
                             document.documentElement.dataset.mode = mode;
                             document.documentElement.dataset.theme = mode; }""",
                mode,
            )
            page.wait_for_timeout(100)
            drawn = signature(root)
            if before is not None and root.locator("canvas").count():
                assert drawn != before, f"{name}: the canvases did not redraw for dark mode"
            before = drawn
            result = page.evaluate(
                """([id, tags]) => axe.run(document.getElementById(id),
                        {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
                [f"explorable-{name}", WCAG_AA],
            )
            violations = [
                (v["id"], v["nodes"][0]["target"], v["nodes"][0]["failureSummary"][:160])
                for v in result["violations"]
            ]
            assert not violations, f"{name} in {mode} mode: {violations}"
    finally:
        context.close()


@pytest.mark.parametrize(("page_path", "name"), PLACED, ids=[n for _, n in PLACED])
def test_explorable_fits_a_phone(browser, site_url, page_path, name):
    context, page, root, _ = open_explorable(browser, site_url, page_path, name, width=375)
    try:
        overflow = root.evaluate(
            """el => { const box = el.getBoundingClientRect();
                       return [...el.querySelectorAll('*')]
                         .filter(c => c.offsetParent !== null &&
                                 !c.closest('.explorable-panel') &&
                                 c.getBoundingClientRect().right > box.right + 1)
                         .map(c => c.tagName + '.' + c.className).slice(0, 5); }"""
        )
        assert not overflow, f"{name} at 375 px: sticks out of its frame: {overflow}"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        context.close()


def test_explorables_load_only_where_and_when_they_are_needed(browser, site_url):
    if not PLACED:
        pytest.skip("no explorable in this build")
    pages = {page for page, _ in PLACED}
    plain = next(
        (
            p.relative_to(SITE)
            for p in sorted(SITE.rglob("*.html"))
            if not p.relative_to(SITE).parts[0].startswith("_")
            and str(p.relative_to(SITE)) not in pages
            and "explorable" not in p.read_text(encoding="utf-8")
        ),
        None,
    )
    if plain is None:
        pytest.skip("every page of this build has an explorable")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{site_url}/{plain}", wait_until="networkidle")
    assert not [u for u in requests if "/_static/explore/" in u], f"{plain} loads explorables"
    # On a page with an explorable far below the first screen, its bundle waits for the reader.
    for page_path in sorted(pages):
        requests.clear()
        page.goto(f"{site_url}/{page_path}", wait_until="networkidle")
        far = page.evaluate(
            """() => [...document.querySelectorAll('div.explorable')]
                 .filter(d => d.getBoundingClientRect().top > window.innerHeight + 1200)
                 .map(d => d.dataset.explorable)"""
        )
        if not far:
            continue
        fetched = [u for u in requests if re.search(rf"/data/{far[0]}\.bin$", u)]
        assert not fetched, f"{page_path}: {far[0]}'s data loaded before the reader got near"
        page.locator(f"#explorable-{far[0]}").scroll_into_view_if_needed()
        page.wait_for_selector(f"#explorable-{far[0]}[data-state=ready]", timeout=READY)
        assert [u for u in requests if re.search(rf"/data/{far[0]}\.bin$", u)]
        break
    else:
        if "MNIST_LESSONS_SITE_HTML" in os.environ:
            pytest.skip("no explorable far enough down this one-chapter build's page")
        pytest.fail("no explorable sits far enough down a page to check its lazy loading")
    context.close()
