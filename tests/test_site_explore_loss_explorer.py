"""The loss functions chapter's explorable (book/loss_functions), loss-explorer, in Chromium.

What only it knows: it opens where the build says (the chapter's confident mistake p = 0.01
and its starting residual), and there every loss and gradient it shows equals what
``mnist_lessons.scratch`` computed in the build, within 1e-12 (float64 on both sides); at other
predictions it equals scratch computed here; dragging on a figure moves the prediction, as its
slider does from the keyboard.
"""

from __future__ import annotations

import numpy as np
import pytest
from explorables import page_of
from test_site_explorables import open_explorable

from mnist_lessons import scratch

pytestmark = pytest.mark.site
NAME = "loss-explorer"
TOLERANCE = 1e-12  # relative to max(1, |value|)


def page_path() -> str:
    return page_of(NAME)


def close(actual, expected):
    return abs(actual - expected) <= TOLERANCE * max(1.0, abs(expected))


def at(name: str, y: float, a: float) -> tuple[float, float]:
    loss, grad = getattr(scratch, name), getattr(scratch, name + "_grad")
    return loss([[y]], [[a]]), float(grad([[y]], [[a]])[0, 0])


def test_first_view_shows_the_builds_numbers(browser, site_url):
    context, _, root, log = open_explorable(browser, site_url, page_path(), NAME)
    try:
        state = root.evaluate("el => el.explorable.state")
        values = root.evaluate("el => el.explorable.api.values()")
        first = root.evaluate("el => el.explorable.api.first")
        first_regression = root.evaluate("el => el.explorable.api.firstRegression")
        assert state["p"] == pytest.approx(0.01) and state["wrt"] == "z"
        for name, (loss, grad) in first.items():
            page_loss, page_grad, _ = values["classification"][name]
            assert close(page_loss, loss) and close(page_grad, grad), name
        for name, (loss, grad) in first_regression.items():
            assert all(map(close, values["regression"][name], (loss, grad))), name
        # the chapter's own number: the cross-entropy of p = 0.01 for the true class
        bce = scratch.binary_crossentropy([[1.0]], [[0.01]])
        assert close(values["classification"]["binary_crossentropy"][0], bce)
        assert not log["errors"]
    finally:
        context.close()


@pytest.mark.parametrize(("p", "r"), [(0.3, -1.25), (0.999, 0.0), (0.5, 3.0)])
def test_values_match_scratch(browser, site_url, p, r):
    context, _, root, _ = open_explorable(browser, site_url, page_path(), NAME)
    try:
        root.evaluate(f"el => el.explorable.set({{p: {p}, r: {r}}})")
        values = root.evaluate("el => el.explorable.api.values()")
        z = np.log(p / (1 - p))
        slope = float(scratch.sigmoid_grad(np.float64(z)))
        for name, (loss, grad, pull) in values["classification"].items():
            expected = at(name, 1.0, p)
            assert close(loss, expected[0]) and close(grad, expected[1]), (name, p)
            assert close(pull, abs(expected[1]) * slope), (name, p)
        for name, (loss, grad) in values["regression"].items():
            expected = at(name, 0.0, r)
            assert close(loss, expected[0]) and close(grad, expected[1]), (name, r)
    finally:
        context.close()


def test_dragging_moves_the_prediction(browser, site_url):
    context, page, root, _ = open_explorable(browser, site_url, page_path(), NAME)
    try:
        canvases = root.locator("canvas")
        for index, key in ((0, "p"), (2, "r")):
            canvas = canvases.nth(index)
            canvas.scroll_into_view_if_needed()
            box = canvas.bounding_box()
            before = root.evaluate(f"el => el.explorable.state.{key}")
            y = box["y"] + box["height"] / 2
            page.mouse.move(box["x"] + box["width"] * 0.45, y)
            page.mouse.down()
            page.mouse.move(box["x"] + box["width"] * 0.6, y, steps=4)
            page.mouse.up()
            after = root.evaluate(f"el => el.explorable.state.{key}")
            assert after != before, key
    finally:
        context.close()
