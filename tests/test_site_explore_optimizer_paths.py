"""Explorable "optimizer-paths" (chapter Optimizers) in Chromium, against scratch and the build.

What only this explorable knows (tests/test_site_explorables.py checks every explorable for
the rest): its first view is the chapter's Figure fig-opt-paths (Rosenbrock panel), its paths
are scratch.descend's to 1e-12 for every surface and optimizer with the build's settings, and
the steps each needs to come within 0.1 of a minimum are the ones the chapter's table prints;
clicking the map sets the start; another surface or optimizer starts from the chapter's rate.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup
from test_site import HTML

from mnist_lessons import scratch

pytestmark = pytest.mark.site

SITE = Path(os.environ.get("MNIST_LESSONS_SITE_HTML", HTML))
# the book's page, or a single-page build's
PAGE = "book/optimizers.html" if (SITE / "book").is_dir() else "optimizers.html"
NAME = "optimizer-paths"
OPTS = {"sgd": "SGD", "momentum": "momentum", "rmsprop": "RMSProp", "adam": "Adam"}
RTOL = 1e-12  # float64 on both sides, the same operations in the same order


@pytest.fixture(scope="module")
def page(browser, site_url):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site_url}/{PAGE}")
    page.locator(f"#explorable-{NAME}").scroll_into_view_if_needed()
    page.wait_for_function(
        f"document.querySelector('#explorable-{NAME}').dataset.state === 'ready'",
        timeout=30_000,
    )
    page.errors = errors
    yield page
    page.close()


def ex(page, expression: str):
    """Evaluate `expression` with x = the explorable's element.explorable."""
    return page.evaluate(
        f"(() => {{ const x = document.querySelector('#explorable-{NAME}').explorable; "
        f"return {expression}; }})()"
    )


def scratch_optimizer(opt, eta, hyper):
    """The chapter's make_optimizers, one of them, with the build's hyperparameters."""
    if opt == "sgd":
        return scratch.SGD(eta)
    if opt == "momentum":
        return scratch.SGD(eta, momentum=hyper["mu"])
    if opt == "rmsprop":
        return scratch.RMSProp(eta, rho=hyper["rho"], epsilon=hyper["epsilon_rmsprop"])
    return scratch.Adam(
        eta, beta1=hyper["beta1"], beta2=hyper["beta2"], epsilon=hyper["epsilon_adam"]
    )


def assert_close(ours, theirs, what):
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    assert ours.shape == theirs.shape, what
    err = np.abs(ours - theirs) / np.maximum(1, np.abs(theirs))
    assert err.max() <= RTOL, f"{what}: {err.max():.2e}"


def test_first_view_is_the_chapters_rosenbrock_panel(page):
    data = ex(page, "x.api.data")
    state = ex(page, "x.state")
    first = data["first"]
    surface = data["surfaces"][first["surface"]]
    assert state["surface"] == first["surface"] and state["opt"] == first["opt"]
    assert state["eta"] == surface["rates"][first["opt"]]
    assert [state["x0"], state["y0"]] == surface["start"]
    assert state["others"] is True  # all four paths, as the chapter's panel
    assert (state["mu"], state["beta1"], state["beta2"]) == tuple(
        data["hyper"][k] for k in ("mu", "beta1", "beta2")
    )
    current = ex(page, "x.api.current()")
    grad = scratch.LANDSCAPES[first["surface"]][1]
    path = scratch.descend(
        grad,
        surface["start"],
        scratch_optimizer(first["opt"], state["eta"], data["hyper"]),
        surface["steps"],
    )
    assert_close(np.reshape(current["path"], (-1, 2)), path, "first view")
    assert page.errors == []


def test_every_path_is_scratch_descend_with_the_chapters_settings(page):
    data = ex(page, "x.api.data")
    for name, surface in data["surfaces"].items():
        page_paths = page.evaluate(
            """([name, surface, start]) => {
                const x = document.querySelector(`#explorable-${name}`).explorable;
                const s = {...x.state, surface, x0: start[0], y0: start[1]};
                s.eta = x.api.data.surfaces[surface].rates[s.opt];
                const p = x.api.paths(s);
                return Object.fromEntries(
                    Object.entries(p).map(([k, v]) => [k, Array.from(v)]));
            }""",
            [NAME, name, surface["start"]],
        )
        assert sorted(page_paths) == sorted(OPTS)
        grad = scratch.LANDSCAPES[name][1]
        for opt, path in page_paths.items():
            theirs = scratch.descend(
                grad,
                surface["start"],
                scratch_optimizer(opt, surface["rates"][opt], data["hyper"]),
                surface["steps"],
            )
            assert_close(np.reshape(path, (-1, 2)), theirs, f"{opt} on {name}")


def table_steps(page) -> dict:
    """The chapter's table: (surface, optimizer label) -> steps to within 0.1 of a minimum."""
    soup = BeautifulSoup(page.content(), "html.parser")
    for table in soup.find_all("table"):
        header = [th.get_text(" ", strip=True) for th in table.find_all("th")]
        if "Rosenbrock: steps" in header:
            out = {}
            for tr in table.find("tbody").find_all("tr"):
                cells = [td.get_text(" ", strip=True) for td in tr.find_all("td")]
                for k, surface in enumerate(("rosenbrock", "valley", "saddle")):
                    out[surface, cells[0]] = int(cells[1 + 2 * k])
            return out
    raise AssertionError("no table with a 'Rosenbrock: steps' column on the page")


def test_steps_to_the_minimum_are_the_chapters_table(page):
    """The sentence the page announces gives the table's number for every pair."""
    expected = table_steps(page)
    data = ex(page, "x.api.data")
    for (surface, label), steps in expected.items():
        opt = next(k for k, v in OPTS.items() if v == label)
        ex(page, f"x.set({{surface: '{surface}', opt: '{opt}'}})")
        state = ex(page, "x.state")
        assert state["eta"] == data["surfaces"][surface]["rates"][opt]  # the chapter's rate
        said = ex(page, "x.api.sentence()")
        if steps >= 0:
            assert f"after {steps:,} steps" in said, (surface, label, said)
        else:
            assert "never within" in said, (surface, label, said)
    ex(page, "x.set({surface: 'rosenbrock', opt: 'adam'})")


def test_a_click_on_the_map_sets_the_start(page):
    ex(page, "x.set({surface: 'saddle', opt: 'adam'})")
    canvas = page.locator(f"#explorable-{NAME} canvas").first
    box = canvas.bounding_box()
    canvas.click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.35})
    state = ex(page, "x.state")
    assert (state["x0"], state["y0"]) != (1.5, 1e-4)
    assert -2 <= state["x0"] <= 2 and -1.6 <= state["y0"] <= 1.6
    assert state["x0"] < 0 < state["y0"]  # left of centre, above the middle
    ex(page, "x.set({surface: 'rosenbrock', opt: 'adam'})")


def test_another_optimizer_starts_from_the_chapters_rate(page):
    data = ex(page, "x.api.data")
    ex(page, "x.set('eta', 0.2)")
    ex(page, "x.set('opt', 'momentum')")
    assert ex(page, "x.state.eta") == data["surfaces"]["rosenbrock"]["rates"]["momentum"]
    ex(page, "x.set({surface: 'rosenbrock', opt: 'adam'})")
