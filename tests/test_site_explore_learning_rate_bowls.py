"""Explorable "learning-rate-bowls" (chapter Gradient descent) in Chromium, against the chapter.

What only this explorable knows (tests/test_site_explorables.py checks every explorable for
the rest): its first view is the chapter's "about right" runs of Figures fig-descent-1d and
fig-descent-2d (the same start, steps and rates), its paths and losses are the chapter's
gradient_descent() (w <- w - eta * gradient(w), rewritten here) to 1e-12 at the chapter's three
rates and at others, and the edge of stability it marks is 2 / E'' as the chapter glues it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest
from test_site import HTML

pytestmark = pytest.mark.site

SITE = Path(os.environ.get("MNIST_LESSONS_SITE_HTML", HTML))
# the book's page, or a single-page build's
PAGE = "book/gradient_descent.html" if (SITE / "book").is_dir() else "gradient_descent.html"
NAME = "learning-rate-bowls"
RTOL = 1e-12  # float64 on both sides, the same operations in the same order
KEYS = {"one": "eta1", "two": "eta2"}


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


def gradient_descent(curvatures, w0, eta, steps):
    """The chapter's gradient_descent on E = sum(c w^2) / 2: gradient (c_1 w_1, c_2 w_2)."""
    c = np.asarray(curvatures, dtype=float)
    w = [np.asarray(w0, dtype=float)]
    for _ in range(steps):
        w.append(w[-1] - eta * (c * w[-1]))
    return np.array(w)


def close(ours, theirs, what):
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    assert ours.shape == theirs.shape, what
    both = np.isfinite(theirs)
    assert (np.isfinite(ours) == both).all(), what
    err = np.abs(ours[both] - theirs[both]) / np.maximum(1, np.abs(theirs[both]))
    assert err.max() <= RTOL, f"{what}: {err.max():.2e}"


def test_the_bowls_are_the_chapters(page):
    data = ex(page, "x.api.data")
    # the chapter's losses: E(w) = w^2 (E'' = 2) and (w1^2 + 10 w2^2) / 2 (curvatures 1, 10)
    assert data["one"]["curvatures"] == [2.0]
    assert data["two"]["curvatures"] == [1.0, 10.0]
    assert data["one"]["start"] == [1.8] and data["one"]["steps"] == 20
    assert data["two"]["start"] == [-4.0, 1.5] and data["two"]["steps"] == 30
    assert page.errors == []


def test_first_view_is_the_chapters_about_right_runs(page):
    data = ex(page, "x.api.data")
    state = ex(page, "x.state")
    results = ex(page, "x.api.results().map(r => ({path: Array.from(r.path), losses: r.losses}))")
    for k, (bowl, key) in enumerate(KEYS.items()):
        b = data[bowl]
        assert state[key] == b["rates"][b["first"]]
        path = gradient_descent(b["curvatures"], b["start"], state[key], b["steps"])
        close(np.reshape(results[k]["path"], path.shape), path, f"{bowl} first view")
        loss = 0.5 * (np.asarray(b["curvatures"]) * path**2).sum(axis=1)
        close(results[k]["losses"], loss, f"{bowl} losses")


@pytest.mark.parametrize("bowl", KEYS)
def test_paths_match_the_chapters_rule_at_its_rates_and_others(page, bowl):
    data = ex(page, "x.api.data")
    b = data[bowl]
    edge = 2 / max(b["curvatures"])
    rates = [*b["rates"].values(), 0.37 * edge, edge, 1.2 * edge]
    for eta in rates:
        ours = page.evaluate(
            """([name, c, w0, eta, steps]) => Array.from(document.querySelector(
                `#explorable-${name}`).explorable.api.descentPath(c, w0, eta, steps))""",
            [NAME, b["curvatures"], b["start"], eta, b["steps"]],
        )
        path = gradient_descent(b["curvatures"], b["start"], eta, b["steps"])
        close(np.reshape(ours, path.shape), path, f"{bowl}, eta = {eta}")


def test_the_edge_of_stability_is_the_chapters(page):
    """The glued 2 / E'' of the prose, and the page's own sentence, name the same edge."""
    data = ex(page, "x.api.data")
    text = page.inner_text("body")
    glued = re.search(r"edge of stability[^,]*, (\S+) for one weight and (\S+) for two", text)
    assert glued, "the prose's sentence about the edge of stability"
    for k, bowl in enumerate(KEYS):
        edge = 2 / max(data[bowl]["curvatures"])
        assert float(glued.group(k + 1)) == pytest.approx(edge)
    # past the edge the page says it diverges, below it that it converges
    for bowl, key in KEYS.items():
        edge = 2 / max(data[bowl]["curvatures"])
        ex(page, f"x.set('{key}', {1.1 * edge})")
        said = ex(page, f"x.api.results()[{list(KEYS).index(bowl)}].said")
        assert "diverges" in said and f"edge of stability is η = {edge:g}" in said, said
        ex(page, f"x.set('{key}', {0.5 * edge})")
        said = ex(page, f"x.api.results()[{list(KEYS).index(bowl)}].said")
        assert "converges" in said, said
        ex(page, f"x.set('{key}', x.api.data.{bowl}.rates['about right'])")
