"""The backpropagation chapter's editable worked example (book/backpropagation), in Chromium.

What only this explorable knows: every number it computes (each z, a, f'(z), delta, dW, db and
the loss) equals what ``mnist_lessons.scratch`` computes for the same x, y and weights, within
1e-12 (both in float64), for the chapter's example and for edited ones; the diagram prints
those numbers (rounded to four decimals, as the chapter's tables); editing a weight in its box
changes them.
"""

from __future__ import annotations

import numpy as np
import pytest
from explorables import explorable_page, page_of

from mnist_lessons.scratch import MLP, sigmoid_grad

pytestmark = pytest.mark.site

NAME = "backprop-2-3-1"
TOLERANCE = 1e-12  # relative to max(1, |value|): float64 on both sides
# The chapter's worked example (book/backpropagation.md), as the page's state keys.
EXAMPLE = {
    "x1": 1.0, "x2": 0.5, "y": 1.0,
    "W1_11": 0.1, "W1_12": -0.2, "W1_21": 0.4, "W1_22": 0.3, "W1_31": -0.5, "W1_32": 0.2,
    "b1_1": 0.1, "b1_2": -0.1, "b1_3": 0.2,
    "W2_11": 0.3, "W2_12": -0.6, "W2_13": 0.7,
    "b2_1": 0.2,
}  # fmt: skip
EDITS = [
    {"y": 0.0},  # the chapter's exercise: every gradient changes sign
    {"x2": 0.0, "W1_21": -2.5, "b2_1": 1.3},
    {"x1": -3.2, "x2": 4.75, "y": 0.3, "W1_11": 5.0, "W1_32": -5.0, "W2_12": 2.2, "b1_3": -1.0},
]


def page_path() -> str:
    return page_of(NAME)


def scratch_values(s: dict) -> dict:
    """What the page shows for settings s, computed by scratch's MLP in float64."""
    net = MLP(sizes=(2, 3, 1), activation="sigmoid", output="sigmoid", dtype=np.float64)
    hidden, output = net.layers
    hidden.W[...] = [[s["W1_11"], s["W1_12"]], [s["W1_21"], s["W1_22"]], [s["W1_31"], s["W1_32"]]]
    hidden.b[...] = [s["b1_1"], s["b1_2"], s["b1_3"]]
    output.W[...] = [[s["W2_11"], s["W2_12"], s["W2_13"]]]
    output.b[...] = [s["b2_1"]]
    x, y = np.array([[s["x1"], s["x2"]]]), np.array([[s["y"]]])
    loss = net.loss(x, y)
    net.backward(y)
    delta2 = (output.a - y) / 1  # the fused output delta, N = k = 1
    delta1 = (delta2 @ output.W) * sigmoid_grad(hidden.z)
    return {
        "z1": hidden.z[0], "a1": hidden.a[0], "fprime1": sigmoid_grad(hidden.z)[0],
        "delta1": delta1[0], "dW1": hidden.dW.ravel(), "db1": hidden.db,
        "z2": output.z[0], "a2": output.a[0], "fprime2": sigmoid_grad(output.z)[0],
        "delta2": delta2[0], "dW2": output.dW.ravel(), "db2": output.db, "E": np.array([loss]),
    }  # fmt: skip


def assert_matches(page_values: dict, s: dict) -> None:
    expected = scratch_values(s)
    for key, want in expected.items():
        got = np.atleast_1d(np.asarray(page_values[key], dtype=np.float64))
        assert got.shape == want.shape, key
        error = np.abs(got - want) / np.maximum(1, np.abs(want))
        assert error.max() <= TOLERANCE, f"{key}: page {got}, scratch {want} for {s}"


@pytest.fixture(scope="module")
def page(browser, site_url):
    with explorable_page(browser, site_url, NAME) as page:
        yield page


def page_values(page) -> dict:
    return page.evaluate(f"document.querySelector('#explorable-{NAME}').explorable.api.values()")


def set_state(page, settings: dict) -> None:
    page.evaluate(f"s => document.querySelector('#explorable-{NAME}').explorable.set(s)", settings)


def diagram_text(page) -> str:
    return page.locator(f"#explorable-{NAME} svg").text_content()


def four(v: float) -> str:
    """A number as the diagram prints it: four decimals, a real minus sign."""
    text = f"{v:.4f}"
    return ("0.0000" if text == "-0.0000" else text).replace("-", "\u2212")


def test_the_first_view_is_the_chapters_example(page):
    state = page.evaluate(f"document.querySelector('#explorable-{NAME}').explorable.state")
    assert state == EXAMPLE
    assert_matches(page_values(page), EXAMPLE)
    text = diagram_text(page)
    expected = scratch_values(EXAMPLE)
    for key in ("z1", "a1", "delta1", "db1", "dW1", "z2", "a2", "delta2", "dW2", "E"):
        for v in np.atleast_1d(expected[key]):
            assert four(v) in text, f"{key} = {four(v)} is not on the diagram"
    assert not page.errors


@pytest.mark.parametrize("edit", EDITS, ids=["target-0", "x2-0", "far"])
def test_edited_examples_match_scratch(page, edit):
    settings = {**EXAMPLE, **edit}
    set_state(page, settings)
    assert_matches(page_values(page), settings)
    set_state(page, EXAMPLE)
    assert not page.errors


def test_typing_a_weight_updates_the_diagram(page):
    box = page.get_by_label("W⁽¹⁾₂₁", exact=True)
    box.fill("-2.5")
    box.press("Enter")
    box.press("Tab")
    settings = {**EXAMPLE, "W1_21": -2.5}
    page.wait_for_function(
        f"document.querySelector('#explorable-{NAME}').explorable.state.W1_21 === -2.5"
    )
    assert_matches(page_values(page), settings)
    z = scratch_values(settings)["z1"][1]
    assert f"z  {four(z)}" in diagram_text(page)
    set_state(page, EXAMPLE)
    assert not page.errors
