"""The forward-propagation explorable (book/forward_propagation), in Chromium on the built site.

What only this explorable knows: its forward pass, run in the page with the bundle's weights
(the chapter's trained MLP rounded to float16), gives the probabilities Keras gives with the
same weights, within 1e-4, on the ten exported test digits, on random images and on a digit
drawn on its pad; every layer's z matches NumPy's float64 pass on those weights within 1e-9;
its first view is the chapter's digit (test image 0) with all layers computed, as in the
chapter's figure; its buttons step through the layers.
"""

from __future__ import annotations

import numpy as np
import pytest
from explorables import SITE, explorable_page, page_of

from mnist_lessons.explore import read_bundle

pytestmark = pytest.mark.site

NAME = "forward-steps"
KERAS_TOLERANCE = 1e-4  # probabilities: float32 Keras against the page's float64
NUMPY_TOLERANCE = 1e-9  # every z, relative to max(1, |z|): float64 on both sides
ROOT = f"document.querySelector('#explorable-{NAME}')"


def page_path() -> str:
    return page_of(NAME)


@pytest.fixture(scope="module")
def bundle():
    path = SITE / "_static" / "explore" / "data" / f"{NAME}.bin"
    if not path.is_file():
        pytest.fail(f"No {path}: the forward_propagation chapter exports it when it is built.")
    return read_bundle(path)


@pytest.fixture(scope="module")
def weights(bundle):
    """[W1, b1, W2, b2, W3, b3] of the bundle, float16 values in float64."""
    _, arrays = bundle
    return [arrays[k].astype(np.float64) for k in ("W1", "b1", "W2", "b2", "W3", "b3")]


@pytest.fixture(scope="module")
def keras_model(weights):
    """build_mlp (the chapter's network) holding exactly the bundle's weights."""
    from mnist_lessons.models import build_mlp

    model = build_mlp()
    model.set_weights([w.T.astype(np.float32) if w.ndim == 2 else w.astype(np.float32)
                       for w in weights])  # fmt: skip
    return model


def numpy_pass(weights, x) -> list[np.ndarray]:
    """Every layer's z for one image x (784,), in float64."""
    zs, a = [], x
    for k in range(3):
        W, b = weights[2 * k], weights[2 * k + 1]
        z = W @ a + b
        zs.append(z)
        a = np.maximum(z, 0)
    return zs


@pytest.fixture(scope="module")
def page(browser, site_url):
    with explorable_page(browser, site_url, NAME) as page:
        yield page


def js_forward(page, images) -> list[dict]:
    """The page's pass on each image: {x, z: [z1, z2, z3], a: [a1, a2, p]} as lists."""
    return page.evaluate(
        f"""images => images.map(x => {{
            const pass = {ROOT}.explorable.api.forward(x);
            return {{ x: Array.from(pass.x), z: pass.z.map((v) => Array.from(v)),
                     a: pass.a.map((v) => Array.from(v)) }};
        }})""",
        [list(map(float, x)) for x in images],
    )


def check(page_passes, images, weights, keras_model):
    p_keras = np.asarray(keras_model(np.asarray(images, dtype=np.float32)))
    for i, (got, x) in enumerate(zip(page_passes, images, strict=True)):
        np.testing.assert_allclose(got["a"][2], p_keras[i], rtol=0, atol=KERAS_TOLERANCE)
        for k, want in enumerate(numpy_pass(weights, np.asarray(x, dtype=np.float64))):
            error = np.abs(np.asarray(got["z"][k]) - want) / np.maximum(1, np.abs(want))
            assert error.max() <= NUMPY_TOLERANCE, f"image {i}, z{k + 1}"


def test_test_digits_match_keras_and_the_build(page, bundle, weights, keras_model):
    data, arrays = bundle
    images = arrays["x"].reshape(len(arrays["x"]), 784) / 255.0
    passes = js_forward(page, images)
    check(passes, images, weights, keras_model)
    # The build's own Keras pass (with the same rounded weights) agrees as well.
    got = np.array([p["a"][2] for p in passes])
    np.testing.assert_allclose(got, arrays["p_keras"], rtol=0, atol=KERAS_TOLERANCE)
    assert [int(np.argmax(p)) for p in got] == data["labels"]  # all ten are read right
    assert not page.errors


def test_random_images_match_keras(page, weights, keras_model):
    rng = np.random.default_rng(15)
    images = rng.random((3, 784)) * (rng.random((3, 784)) < 0.2)  # sparse ink
    check(js_forward(page, images), images, weights, keras_model)


def test_the_first_view_is_the_chapters_figure(page, bundle, weights):
    data, arrays = bundle
    state = page.evaluate(f"{ROOT}.explorable.state")
    assert state == {"digit": "0", "step": 4, "show": "a"}
    assert data["index"][0] == 0  # the chapter's figure shows test image 0
    shown = page.evaluate(f"Array.from({ROOT}.explorable.api.pass().x)")
    np.testing.assert_array_equal(np.array(shown) * 255, arrays["x"][0].reshape(784))
    z1, z2, z3 = numpy_pass(weights, np.asarray(shown))
    label = data["labels"][0]
    page.wait_for_function(f"{ROOT}.querySelector('.explorable-status').textContent !== ''")
    status = page.locator(f"#explorable-{NAME} .explorable-status").text_content()
    assert f"answers {label} with probability" in status
    caption = page.locator(f"#explorable-{NAME} canvas.explorable-canvas").get_attribute(
        "aria-label"
    )
    assert f"answers {label}" in caption
    assert int(np.argmax(z3)) == label
    assert np.count_nonzero(z1 > 0) > 0 and np.count_nonzero(z2 > 0) > 0


def test_the_buttons_step_through_the_layers(page):
    previous = page.get_by_role("button", name="◀ Previous layer")
    following = page.get_by_role("button", name="Next layer ▶")
    for step in (3, 2, 1, 0, 0):
        previous.click()
        assert page.evaluate(f"{ROOT}.explorable.state.step") == step
    status = page.locator(f"#explorable-{NAME} .explorable-status")
    page.wait_for_function(f"{ROOT}.querySelector('.explorable-status').textContent"
                           ".includes('784 pixel values')")  # fmt: skip
    assert "Computed up to the input" in status.text_content()
    for step in (1, 2, 3, 4, 4):
        following.click()
        assert page.evaluate(f"{ROOT}.explorable.state.step") == step
    assert not page.errors


def test_a_drawn_digit_runs_through_the_same_network(page, weights, keras_model):
    page.get_by_role("button", name="Draw your own digit").click()  # open the pad
    page.locator(f"#explorable-{NAME}").get_by_role("button", name="Sample 3").click()
    page.wait_for_function(f"{ROOT}.explorable.state.digit === 'drawn'")
    got = page.evaluate(
        f"""(() => {{ const pass = {ROOT}.explorable.api.pass();
            return {{ x: Array.from(pass.x), z: pass.z.map((v) => Array.from(v)),
                     a: pass.a.map((v) => Array.from(v)) }}; }})()"""
    )
    assert sum(got["x"]) > 10  # the sample's ink
    check([got], [got["x"]], weights, keras_model)
    page.locator(f"#explorable-{NAME} select").first.select_option("0")
    assert page.evaluate(f"{ROOT}.explorable.state.digit") == "0"
    assert not page.errors
