"""The explorable of the chapter "Overfitting and dropout", in Chromium.

What only this explorable knows:

- its grid is the one the build trained (the sizes and rates of its lists are the bundle's),
  and its first view is the chapter's own run, 1,000 images without dropout;
- the gaps it shows, in its table, its figure and its sentence, are the build's: each equals
  the gap computed in Python from the same curves, and the gaps the prose quotes (to the 0.1
  printed);
- a pair picked in the table or with the two lists (by keyboard) updates the curves.
"""

from __future__ import annotations

import re

import pytest
from explorables import SITE, explorable_page, page_of

from mnist_lessons.explore import read_bundle

pytestmark = pytest.mark.site

NAME = "dropout-grid"
SELECT = f"document.querySelector('#explorable-{NAME}')"


def page_path() -> str:
    return page_of(NAME)


@pytest.fixture(scope="module")
def bundle():
    data, _ = read_bundle(SITE / "_static" / "explore" / "data" / f"{NAME}.bin")
    return data


@pytest.fixture(scope="module")
def page(browser, site_url):
    with explorable_page(browser, site_url, NAME) as page:
        yield page


def gap(run) -> float:
    """The gap in percentage points after the last epoch, from the bundle's curves."""
    return 100 * (run["accuracy"][-1] - run["val_accuracy"][-1])


def key(size, rate) -> str:
    return f"{size}_{rate:g}"


def status(page) -> str:
    page.wait_for_timeout(600)  # the live region speaks once the reader pauses
    return page.locator(f"#explorable-{NAME} .explorable-status").inner_text()


def test_the_grid_is_the_builds_and_opens_on_the_chapters_run(page, bundle):
    options = page.evaluate(
        f"""() => [...{SELECT}.querySelectorAll('select')].map(
            s => [...s.options].map(o => Number(o.value)))"""
    )
    assert options == [bundle["sizes"], bundle["rates"]]
    assert page.evaluate(f"{SELECT}.explorable.state") == {"size": 1000, "rate": 0}
    run = bundle["runs"][key(1000, 0)]
    assert len(run["accuracy"]) == len(run["val_loss"]) == bundle["epochs"]
    assert f"a gap of {gap(run):.1f} points" in status(page)
    assert page.errors == []


def test_every_gap_shown_is_the_builds_and_the_prose_quotes_them(page, bundle):
    text = page.locator("main").inner_text()
    match = re.search(
        r"the gap is\s+(\d+\.\d)\s+percentage\s+points with 500 images,\s+(\d+\.\d) with "
        r"1,000 and\s+(\d+\.\d) with 5,000; dropout at 0.5 makes it\s+(\d+\.\d),\s+"
        r"(\d+\.\d) and\s+(\d+\.\d)",
        text,
    )
    assert match, "the prose no longer quotes the grid's gaps"
    quoted = [float(v) for v in match.groups()]
    runs = bundle["runs"]
    expected = [gap(runs[key(n, r)]) for r in (0, 0.5) for n in (500, 1000, 5000)]
    assert quoted == [round(v, 1) for v in expected]
    buttons = page.locator(f"#explorable-{NAME} table button")
    assert buttons.count() == len(bundle["sizes"]) * len(bundle["rates"])
    k = 0
    for size in bundle["sizes"]:
        for rate in bundle["rates"]:
            run = runs[key(size, rate)]
            assert buttons.nth(k).inner_text() == f"{gap(run):.1f}"
            shown = page.evaluate(
                f"([n, r]) => {SELECT}.explorable.api.finalGap(n, r)", [size, rate]
            )
            assert shown == pytest.approx(gap(run), abs=1e-9)
            k += 1
    # the prose's claim: less data, a larger gap
    assert gap(runs[key(500, 0)]) > gap(runs[key(5000, 0)])


def test_the_table_and_the_keyboard_pick_a_pair(page, bundle):
    sizes, rates = bundle["sizes"], bundle["rates"]
    page.locator(f"#explorable-{NAME} table button").nth(
        len(rates) - 1
    ).click()  # first row, last rate
    assert page.evaluate(f"{SELECT}.explorable.state") == {"size": sizes[0], "rate": rates[-1]}
    said = status(page)
    run = bundle["runs"][key(sizes[0], rates[-1])]
    assert f"{sizes[0]:,} training images, dropout {rates[-1]:g}" in said
    assert f"a gap of {gap(run):.1f} points" in said
    size_list = page.locator(f"#explorable-{NAME} select").first
    size_list.focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate(f"{SELECT}.explorable.state.size") == sizes[1]
    assert page.errors == []
