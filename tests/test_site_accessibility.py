"""axe-core on every page of the built site, in light and in dark mode: no WCAG 2.1 A/AA failure.

axe-core is vendored in tests/vendor (from npm, with its licence and lockfile), so the check
needs no download. Each page is loaded in Chromium from a local server, its formulas typeset,
the colour mode set as the theme's switch sets it, and axe run with the WCAG 2.0 and 2.1 A and
AA rules. Nothing is excluded from the scan.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import wait_for_math
from test_site import HTML
from test_site_quality import SITE_PAGES, soup_of

pytestmark = pytest.mark.site

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def site_path(path: Path) -> str:
    return str(path.relative_to(HTML))


def axe_violations(page, mode: str) -> list[dict]:
    """Set the colour mode, wait for MathJax, run axe; the violations, one line of detail each."""
    page.evaluate(
        """mode => { localStorage.setItem('mode', mode);
                     document.documentElement.dataset.mode = mode;
                     document.documentElement.dataset.theme = mode; }""",
        mode,
    )
    wait_for_math(page)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                      resultTypes: ['violations']})""",
        WCAG_AA,
    )
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "nodes": len(v["nodes"]),
            "first": v["nodes"][0]["target"],
            "why": v["nodes"][0]["failureSummary"][:200],
        }
        for v in result["violations"]
    ]


def test_axe_is_vendored_with_its_licence():
    assert AXE.stat().st_size > 100_000
    assert "Mozilla Public License" in AXE.with_name("LICENSE").read_text()


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("doc", SITE_PAGES, ids=site_path)
def test_no_wcag_violation_on_any_page(browser, site_url, doc, mode):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{site_url}/{site_path(doc)}", wait_until="networkidle")
    violations = axe_violations(page, mode)
    context.close()
    assert not violations, f"{doc} in {mode} mode: {violations}"


def images_of(path: Path):
    return soup_of(path).select("main img, article img")


PATH_OR_HASH = re.compile(r"(\.(png|jpe?g|svg)\b|_images/|\b[0-9a-f]{16,}\b)", re.IGNORECASE)


@pytest.mark.parametrize("doc", SITE_PAGES, ids=site_path)
def test_every_image_says_what_it_shows(doc):
    bad = []
    for img in images_of(doc):
        alt = (img.get("alt") or "").strip()
        drawn = "_images/" in img.get("src", "")
        # a figure the build drew says what it shows; an icon (the Binder logo) names itself
        too_short = len(alt) < (20 if drawn else 3)
        if too_short or len(alt) > 300 or PATH_OR_HASH.search(alt):
            bad.append(f"{img.get('src')}: alt={alt!r}")
    assert not bad, f"{doc}: images without alt text that says what they show: {bad}"


@pytest.mark.parametrize("doc", SITE_PAGES, ids=site_path)
def test_every_drawn_figure_has_a_dark_variant(doc):
    drawn = [img for img in images_of(doc) if "_images/" in img.get("src", "")]
    light = [img for img in drawn if "only-light" in img.get("class", [])]
    dark = [img for img in drawn if "only-dark" in img.get("class", [])]
    assert len(light) == len(dark) == len(drawn) / 2, (
        f"{doc}: {len(drawn)} drawn images, {len(light)} for light mode, {len(dark)} for dark"
    )


@pytest.mark.parametrize("doc", SITE_PAGES, ids=site_path)
def test_every_drawn_figure_has_a_caption(doc):
    uncaptioned = [
        img.get("src")
        for img in images_of(doc)
        if "_images/" in img.get("src", "")
        and not (img.find_parent("figure") and img.find_parent("figure").find("figcaption"))
    ]
    assert not uncaptioned, f"{doc}: figures drawn without a caption: {uncaptioned}"
