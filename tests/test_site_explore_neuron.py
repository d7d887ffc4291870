"""The neuron chapter's two explorables (book/neuron), neuron-line and neuron-xor, in Chromium.

What only they know:
- neuron-line opens on the neuron the chapter trained: the loss and the count of digits on
  their side that the page computes for the drawn test digits equal the build's (1e-9: the page
  keeps the weights to 12 significant digits); for any w1, w2, b the neuron's output at a point
  is sigmoid(w1 x1 + w2 x2 + b) as scratch computes it (1e-12), and the probe says so for its
  point; a slider moved from the keyboard moves its weight, the arrow keys on the map or a
  click move the probe.
- neuron-xor opens on the chapter's 2-4-1 network after its 2000 epochs: the page's outputs
  for the four points equal the build's float64 run of scratch.MLP.fit (1e-10) and the
  chapter's float32 network (1e-3); with no hidden neuron the page ends where scratch does,
  the four outputs at 0.5 (1e-10), and its loss at ln 2.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_site_explorables import SITE, open_explorable

from mnist_lessons import scratch

pytestmark = pytest.mark.site


def page_path() -> str:
    for doc in ("book/neuron.html", "neuron.html"):
        if (SITE / doc).is_file():
            return doc
    pytest.fail(f"No neuron page in {SITE}: build the book (or the chapter) first.")


def test_neuron_line_first_view_is_the_trained_neuron(browser, site_url):
    context, page, root, log = open_explorable(browser, site_url, page_path(), "neuron-line")
    try:
        score = root.evaluate("el => el.explorable.api.score()")
        first = root.evaluate("el => el.explorable.api.first")
        assert score["n"] == 300
        assert score["right"] == first["right"]
        assert abs(score["loss"] - first["loss"]) < 1e-9
        status = root.locator(".explorable-status")
        page.wait_for_timeout(600)
        assert f"{first['right']} of 300 digits" in status.inner_text()
        state = root.evaluate("el => el.explorable.state")
        x1, x2 = state["at"]
        z = state["w1"] * x1 + state["w2"] * x2 + state["b"]
        a = float(scratch.sigmoid(np.float64(z)))
        assert abs(root.evaluate(f"el => el.explorable.api.output({x1}, {x2})") - a) < 1e-12
        assert f"(z) = {a:.4f}" in status.inner_text()  # a = sigma(z)
        assert not log["errors"]
    finally:
        context.close()


def test_neuron_line_output_is_the_sigmoid_of_w_x_plus_b(browser, site_url):
    context, page, root, _ = open_explorable(browser, site_url, page_path(), "neuron-line")
    try:
        for w1, w2, b in [(3.5, -7.25, 0.5), (-12.0, 4.0, 2.75), (0.0, 0.0, -1.5)]:
            root.evaluate(f"el => el.explorable.set({{w1: {w1}, w2: {w2}, b: {b}}})")
            for x1, x2 in [(0.1, 0.3), (0.5, 0.05), (0.0, 0.0)]:
                a = root.evaluate(f"el => el.explorable.api.output({x1}, {x2})")
                expected = float(scratch.sigmoid(np.float64(w1 * x1 + w2 * x2 + b)))
                assert abs(a - expected) < 1e-12, (w1, w2, b, x1, x2)
        # the keyboard moves a weight as dragging the slider does
        before = root.evaluate("el => el.explorable.state.w1")
        slider = root.locator("input[type=range]").first
        slider.focus()
        page.keyboard.press("ArrowRight")
        assert root.evaluate("el => el.explorable.state.w1") > before
        # the probe: the arrow keys on the map move it, a click puts it where it lands
        canvas = root.locator("canvas")
        at = root.evaluate("el => el.explorable.state.at")
        canvas.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowUp")
        moved = root.evaluate("el => el.explorable.state.at")
        assert moved[0] > at[0] and moved[1] > at[1]
        box = canvas.bounding_box()
        canvas.click(position={"x": box["width"] * 0.5, "y": box["height"] * 0.5})
        assert root.evaluate("el => el.explorable.state.at") != moved
    finally:
        context.close()


def xor_scratch(hidden: int, epochs: int = 2000) -> np.ndarray:
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    y = np.array([[0], [1], [1], [0]], dtype=np.float64)
    sizes = (2, hidden, 1) if hidden else (2, 1)
    net = scratch.MLP(sizes, activation="tanh", output="sigmoid", seed=0).astype(np.float64)
    net.fit(x, y, epochs=epochs, batch_size=4, optimizer=scratch.SGD(learning_rate=1.0), seed=0,
            log=None)  # fmt: skip
    return net.predict(x)[:, 0]


def test_neuron_xor_first_view_is_the_chapters_network(browser, site_url):
    context, _, root, log = open_explorable(browser, site_url, page_path(), "neuron-xor")
    try:
        state = root.evaluate("el => el.explorable.state")
        assert (state["hidden"], state["start"], state["epoch"]) == (4, 0, 2000)
        outputs = np.array(root.evaluate("el => el.explorable.api.predict()"))
        first = root.evaluate("el => el.explorable.api.first")
        np.testing.assert_allclose(outputs, first["predict"], rtol=0, atol=1e-10)
        np.testing.assert_allclose(outputs, first["chapter"], rtol=0, atol=1e-3)
        np.testing.assert_allclose(outputs, xor_scratch(4), rtol=0, atol=1e-10)
        assert not log["errors"]
    finally:
        context.close()


def test_neuron_xor_without_hidden_neurons_cannot_fit(browser, site_url):
    context, _, root, _ = open_explorable(browser, site_url, page_path(), "neuron-xor")
    try:
        root.evaluate("el => el.explorable.set('hidden', 0)")
        outputs = np.array(root.evaluate("el => el.explorable.api.predict()"))
        np.testing.assert_allclose(outputs, xor_scratch(0), rtol=0, atol=1e-10)
        np.testing.assert_allclose(outputs, 0.5, atol=1e-6)
        loss = root.evaluate("el => el.explorable.api.loss()")
        assert abs(loss - np.log(2)) < 1e-6
    finally:
        context.close()


def test_neuron_xor_trains_from_epoch_0_on_the_button(browser, site_url):
    context, page, root, log = open_explorable(browser, site_url, page_path(), "neuron-xor")
    try:
        root.evaluate("el => el.explorable.set('hidden', 2)")
        root.get_by_role("button", name="Train from epoch 0").click()
        page.wait_for_timeout(300)
        assert root.evaluate("el => el.explorable.state.epoch") < 2000  # under way
        page.wait_for_function(
            "el => el.explorable.state.epoch === 2000", arg=root.element_handle(), timeout=15_000
        )
        outputs = np.array(root.evaluate("el => el.explorable.api.predict()"))
        np.testing.assert_allclose(outputs, xor_scratch(2), rtol=0, atol=1e-10)
        assert not log["errors"]
    finally:
        context.close()
