"""The explorable of the physics-informed networks chapter, in Chromium.

What only this explorable knows:

- its first view is the chapter's figure: the chapter's damping and data interval, the largest
  errors inside and beyond the measurements that the chapter's prose and the figure's alt text
  print (to their rounding), and the build's own numbers (to the 7 digits the bundle keeps);
- for every setting of the grid the build trained, the exact curve it draws is
  ``mnist_lessons.pinn.oscillator_solution`` (1e-12), the errors it prints in its table and
  announces are the build's, and the PINN is far ahead of the plain network beyond the data.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from explorables import explorable_page, page_of

pytestmark = pytest.mark.site

NAME = "pinn-grid"
SELECT = f"document.querySelector('#explorable-{NAME}')"
ROUNDED = 1e-6  # the bundle's JSON keeps 7 significant digits of the build's errors


def page_path() -> str:
    return page_of(NAME)


@pytest.fixture(scope="module")
def page(browser, site_url):
    with explorable_page(browser, site_url, NAME) as page:
        yield page


def api(page, call: str, *args):
    return page.evaluate(f"a => {SELECT}.explorable.api.{call}(...a)", list(args))


def prose_number(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    assert match, f"the chapter no longer says {pattern!r}"
    return match.group(1)


def test_the_first_view_is_the_chapters_figure(page):
    shown = api(page, "shown")
    errors, built = api(page, "errors", shown), api(page, "built", shown)
    for net in ("pinn", "plain"):
        for where in ("inside", "beyond"):
            assert errors[net][where] == pytest.approx(built[net][where], rel=ROUNDED)
    curves = api(page, "curves", shown)
    assert (curves["delta"], curves["data_end"]) == (1.5, 0.4)  # the chapter's setting
    text = page.locator("main").inner_text()
    pinn_beyond = prose_number(text, r"the largest error of the PINN is\s+([\d.]+)")
    plain_beyond = prose_number(text, r"that of the plain network\s+([\d.]+)")
    plain_inside = prose_number(text, r"\(largest error\s+([\d.]+), mean")
    pinn_inside = prose_number(text, r"against the PINN.s\s+([\d.]+)")
    assert f"{errors['pinn']['beyond']:.3f}" == pinn_beyond
    assert f"{errors['plain']['beyond']:.2f}" == plain_beyond
    assert f"{errors['plain']['inside']:.4f}" == plain_inside
    assert f"{errors['pinn']['inside']:.4f}" == pinn_inside
    alt = page.locator("img[alt*='largest error']").first.get_attribute("alt")
    assert f"{errors['pinn']['beyond']:.3f} for the PINN" in alt
    assert f"{errors['plain']['beyond']:.2f} for the plain network" in alt
    assert not page.errors


def test_every_setting_shows_the_builds_curves_and_errors(page):
    from mnist_lessons.pinn import oscillator_solution

    n = page.evaluate(f"{SELECT}.explorable.api.configs")
    assert n >= 4
    choices = page.evaluate(
        f"[...{SELECT}.querySelectorAll('select')].map(s => [...s.options].map(o => o.value))"
    )
    seen = set()
    for delta in choices[0]:
        for interval in choices[1]:
            setting = {"delta": delta, "interval": interval}
            page.evaluate(f"s => {SELECT}.explorable.set(s)", setting)
            i = api(page, "shown")
            seen.add(i)
            c = api(page, "curves", i)
            assert (c["delta"], c["data_end"]) == (float(delta), float(interval))
            exact = oscillator_solution(np.array(c["t"]), delta=c["delta"], omega0=c["omega0"])
            np.testing.assert_allclose(c["exact"], exact, rtol=0, atol=1e-12)
            built = api(page, "built", i)
            errors = api(page, "errors", i)
            for net in ("pinn", "plain"):
                for where in ("inside", "beyond"):
                    assert errors[net][where] == pytest.approx(built[net][where], rel=ROUNDED)
            assert errors["pinn"]["beyond"] < errors["plain"]["beyond"] / 10
            table = page.locator(f"#explorable-{NAME} table").inner_text()
            for net in ("pinn", "plain"):
                for where in ("inside", "beyond"):
                    v = built[net][where]
                    assert f"{v:.{4 if v < 0.1 else 3}f}" in table
            status = f"{SELECT}.querySelector('.explorable-status').textContent"
            page.wait_for_function(f"{status}.includes('δ = {delta},')")
    assert len(seen) == n  # every setting the build trained can be reached
    page.get_by_role("button", name="The chapter's setting").click()
    assert api(page, "curves", api(page, "shown"))["data_end"] == 0.4
    assert not page.errors
