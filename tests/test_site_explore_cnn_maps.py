"""The CNN feature-map explorable (book/convolutional_networks), in Chromium on the built site.

What only this explorable knows: the CNN the page runs (Conv2D, inference BatchNormalization,
ReLU, max pooling, Dense, softmax, in float64 on the build's float32 weights) answers as Keras'
``build_cnn`` holding the same weights, within 1e-4 per probability and per feature-map value,
on the exported test digits (whose Keras probabilities the build also wrote), on other test
digits and on a drawn digit; its first view is the chapter's feature-map figure (the first test
digit, block 1 after ReLU).
"""

from __future__ import annotations

import numpy as np
import pytest
from explorables import bundle_of, explorable_page, page_of

from mnist_lessons.data import scale

pytestmark = pytest.mark.site

NAME = "cnn-maps"
TOLERANCE = 1e-4  # float32 Keras against the page's float64 arithmetic on the same weights
API = f"document.querySelector('#explorable-{NAME}').explorable"
LAYERS = ("relu_1", "pool_1", "relu_2", "pool_3", "dense", "probabilities")


def page_path() -> str:
    return page_of(NAME)


@pytest.fixture(scope="module")
def bundle():
    return bundle_of(NAME)


@pytest.fixture(scope="module")
def keras_cnn(bundle):
    """build_cnn holding exactly the bundle's weights, and a model giving its inner layers."""
    from mnist_lessons.models import build_cnn, keras

    data, a = bundle
    model = build_cnn()
    for i in (1, 2, 3):
        model.get_layer(f"conv_{i}").set_weights([a[f"conv_{i}"]])
        model.get_layer(f"batchnorm_{i}").set_weights(
            [a[f"{k}_{i}"] for k in ("gamma", "beta", "mean", "variance")]
        )
        assert model.get_layer(f"batchnorm_{i}").epsilon == pytest.approx(data["epsilon"])
    model.get_layer("dense").set_weights([a["dense_kernel"], a["dense_bias"]])
    model.get_layer("probabilities").set_weights([a["out_kernel"], a["out_bias"]])
    return keras.Model(model.input, [model.get_layer(name).output for name in LAYERS])


@pytest.fixture(scope="module")
def page(browser, site_url):
    with explorable_page(browser, site_url, NAME) as page:
        yield page


def js_layers(page, images) -> dict[str, np.ndarray]:
    """The page's CNN on each image (n, 28, 28): {layer: (n, ...)} for LAYERS."""
    out = page.evaluate(
        f"""([images, names]) => images.map(x => {{
            const layers = {API}.api.forward(x);
            return names.map(n => Array.from(layers[n]));
        }})""",
        [np.asarray(images, dtype=float).reshape(len(images), -1).tolist(), list(LAYERS)],
    )
    return {name: np.array([o[k] for o in out]) for k, name in enumerate(LAYERS)}


def compare(page, keras_cnn, images):
    expected = keras_cnn.predict(np.asarray(images, np.float32)[..., None], verbose=0)
    got = js_layers(page, images)
    for name, e in zip(LAYERS, expected, strict=True):
        np.testing.assert_allclose(
            got[name], e.reshape(len(images), -1), rtol=0, atol=TOLERANCE, err_msg=name
        )


def test_the_page_cnn_answers_as_keras_on_the_exported_digits(page, bundle, keras_cnn):
    data, arrays = bundle
    images = scale(arrays["digits"])
    compare(page, keras_cnn, images)
    # and as the chapter's model itself, whose answers the build exported
    got = js_layers(page, images)["probabilities"]
    np.testing.assert_allclose(got, data["probabilities"], rtol=0, atol=TOLERANCE)


def test_the_page_cnn_answers_as_keras_on_other_test_digits(page, keras_cnn, real_mnist):
    (_, _), (x_test, _) = real_mnist
    compare(page, keras_cnn, scale(x_test[100:130]))


def test_a_drawn_digit_is_read_as_keras_reads_it(page, keras_cnn):
    page.evaluate(f"{API}.api.pad.sample(3)")
    image = np.array(page.evaluate(f"Array.from({API}.api.pad.last.image)")).reshape(28, 28)
    compare(page, keras_cnn, image[None])
    current = page.evaluate(f"Array.from({API}.api.current().layers.probabilities)")
    np.testing.assert_allclose(
        current, js_layers(page, image[None])["probabilities"][0], rtol=0, atol=TOLERANCE
    )
    page.wait_for_function(
        f"document.querySelector('#explorable-{NAME} .explorable-status').textContent"
        ".includes('your drawing')"
    )


def test_the_first_view_is_the_chapters_figure(page, bundle):
    data, _ = bundle
    page.evaluate(f"{API}.set({{digit: 0, layer: 'relu_1'}})")
    page.evaluate(f"{API}.set({{digit: 7}})")
    state = page.evaluate(f"{API}.state")
    assert data["labels"][state["digit"]] == data["first_digit"]
    assert state["layer"] == "relu_1"
    status = page.locator(f"#explorable-{NAME} .explorable-status")
    page.wait_for_function(
        f"document.querySelector('#explorable-{NAME} .explorable-status').textContent"
        ".includes('first test 7')"
    )
    assert "16 feature maps of 28 by 28" in status.inner_text()
    assert page.errors == []
