"""The activations chapter's gradient-size explorable (book/activations), in Chromium.

What only this explorable knows:

- the gradient norms it computes in the page equal what ``mnist_lessons.scratch.MLP`` computes
  in float64 on the same digits and the same weights (the page's draws, handed to NumPy), within
  1e-10, for every activation and initialisation;
- its first view is the chapter's sigmoid network of ten hidden layers, and for every network
  the chapter measured, the page's curve lies within a stated band of the chapter's. The page's
  random numbers are not NumPy's and it uses 32 of the 256 digits, so the curves cannot be
  equal; the bands come from NumPy itself: over 30 to 40 other seeds on 32 digits, the largest
  gap at any layer to the chapter's seed-0 curve was 0.34 decades for the sigmoid, 0.24 for
  tanh and 0.73 for relu; the mean gap over the layers 0.26, 0.18 and 0.59; and the span from
  the first layer to the last moved by at most 0.36 decades;
- the sentence it announces gives the chapter's first- and last-layer numbers.
"""

from __future__ import annotations

import numpy as np
import pytest
from explorables import explorable_page, page_of

from mnist_lessons.scratch import MLP, init_variance

pytestmark = pytest.mark.site

NAME = "gradient-depth"
SELECT = f"document.querySelector('#explorable-{NAME}')"
TOLERANCE = 1e-10  # relative: float64 on both sides, sums in another order
# decades (log10): the largest gap at one layer, the mean gap, the change of the span
BANDS = {"sigmoid": (0.5, 0.3, 0.5), "tanh": (0.5, 0.3, 0.5), "relu": (1.0, 0.7, 0.5)}
FIRST_VIEW = {"act": "sigmoid", "depth": 10, "init": "glorot", "seed": 0}


def page_path() -> str:
    return page_of(NAME)


@pytest.fixture(scope="module")
def page(browser, site_url):
    with explorable_page(browser, site_url, NAME) as page:
        yield page


def page_norms(page, act, init, depth, seed=0) -> np.ndarray:
    args = [act, init, depth, seed]
    return np.array(page.evaluate(f"a => {SELECT}.explorable.api.norms(...a)", args))


def scale(N: np.ndarray, init: str) -> float:
    """The page's rule: Glorot's or He's standard deviation, or 0.01 / std(N)."""
    n_out, n_in = N.shape
    if init == "small":
        return 0.01 / N.std()
    return float(np.sqrt(init_variance(n_in, n_out, f"{init}_normal")))


def test_the_first_view_is_the_chapters_sigmoid_network(page):
    assert page.evaluate(f"{SELECT}.explorable.state") == FIRST_VIEW
    reference = page.evaluate(f"{SELECT}.explorable.api.reference")
    sigmoid = next(r for r in reference if r["activation"] == "sigmoid")
    status = page.locator(f"#explorable-{NAME} .explorable-status")
    page.wait_for_function(f"{SELECT}.querySelector('.explorable-status').textContent !== ''")
    text = status.text_content()
    first = f"{sigmoid['norms'][0]:.1e}".replace("e-0", "e-")
    assert f"The chapter measured {first}" in text, text
    assert not page.errors


def test_every_chapter_curve_lies_within_its_band(page):
    reference = page.evaluate(f"{SELECT}.explorable.api.reference")
    assert {(r["activation"], r["init"]) for r in reference} >= {
        ("sigmoid", "glorot"),
        ("tanh", "glorot"),
        ("relu", "he"),
    }
    for r in reference:
        chapter = np.array(r["norms"])
        ours = page_norms(page, r["activation"], r["init"], len(chapter) - 1)
        gap = np.log10(ours / chapter)
        worst, mean, span = BANDS[r["activation"]]
        what = f"{r['activation']}, {r['init']}: gaps {gap.round(2)}"
        assert np.abs(gap).max() <= worst, what
        assert np.abs(gap).mean() <= mean, what
        assert abs(gap[-1] - gap[0]) <= span, what
    # and the sigmoid's gradient does vanish in the page, by more than five decades
    sigmoid = page_norms(page, "sigmoid", "glorot", 10)
    assert np.log10(sigmoid[-1] / sigmoid[0]) > 5
    assert not page.errors


@pytest.mark.parametrize("act", ["sigmoid", "tanh", "relu", "leaky_relu"])
def test_the_page_computes_what_scratch_computes(page, act):
    depth = 2
    digits = page.evaluate(f"{SELECT}.explorable.api.digits()")
    x = np.array(digits["x"], dtype=np.float64).reshape(digits["n"], digits["n0"]) / 255
    draws = page.evaluate(f"a => {SELECT}.explorable.api.draws(...a)", [0, depth])
    N = [np.array(d["values"]).reshape(d["shape"]) for d in (*draws["hidden"], draws["output"])]
    y = np.eye(N[-1].shape[0])[digits["labels"]]  # one-hot
    for init in ("glorot", "he", "small"):
        sizes = (x.shape[1], *(n.shape[0] for n in N))
        net = MLP(sizes, activation=act, seed=0).astype(np.float64)
        for layer, draw in zip(net.layers, N, strict=True):
            layer.W = scale(draw, init) * draw
        net.forward(x)
        net.backward(y)
        expected = np.array([np.linalg.norm(layer.dW) for layer in net.layers])
        ours = page_norms(page, act, init, depth)
        np.testing.assert_allclose(ours, expected, rtol=TOLERANCE, err_msg=f"{act}, {init}")
    assert not page.errors
