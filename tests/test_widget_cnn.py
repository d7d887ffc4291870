"""The widget's CNN: its file (export_cnn, read_cnn, keras_cnn), and the page that runs it.

The unit tests export small build_cnn models and read them back. The browser tests (marked
``site``) take the two networks the build exported (``_static/widget`` of ``_build/html``, or of
``$MNIST_LESSONS_SITE``) and serve the widget's live script and style on a page of their own, in
two sites: one with the CNN, one with the MLP alone (a book built without the CNN's chapter).
With the CNN, the page's probabilities must equal Keras' (the same float16 weights, keras_cnn)
within 1e-4, and a digit drawn with the mouse must be read as itself by both networks; without
it, the widget must work as before and never ask for the CNN.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from mnist_lessons.explore import read_bundle
from mnist_lessons.models import build_cnn
from mnist_lessons.quiet import import_keras
from mnist_lessons.widget import (
    CNN_FILENAME,
    FILENAME,
    export_cnn,
    keras_cnn,
    read_cnn,
)
from mnist_lessons.widget.sphinxext import LIST, STATIC, copy_networks

keras = import_keras()

REPO = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("MNIST_LESSONS_SITE", REPO / "_build" / "html"))
EXPORTED = SITE / "_static" / "widget"  # the networks the build exported
EXPLORE = REPO / "mnist_lessons" / "explore" / "static" / "explore"
TOLERANCE = 1e-4  # float32 Keras against the page's float64 arithmetic on the same weights
API = "document.querySelector('.mnist-widget').mnistWidget"


def a_digit(d: int) -> str:
    return f"an {d}" if d == 8 else f"a {d}"


@pytest.fixture(scope="module")
def small_cnn():
    keras.utils.set_random_seed(0)
    model = build_cnn(filters=(4, 8), dense_units=16)
    # Batch statistics that are not the initial 0 and 1, so that every array matters.
    rng = np.random.default_rng(0)
    for i in (1, 2):
        layer = model.get_layer(f"batchnorm_{i}")
        gamma, beta, mean, variance = layer.get_weights()
        layer.set_weights(
            [
                rng.uniform(0.5, 1.5, gamma.shape).astype(np.float32),
                rng.normal(0, 0.1, beta.shape).astype(np.float32),
                rng.normal(0, 0.1, mean.shape).astype(np.float32),
                rng.uniform(0.5, 2.0, variance.shape).astype(np.float32),
            ]
        )
    return model


def test_the_arrays_are_named_as_cnn_forward_reads_them_in_float16(tmp_path, small_cnn):
    path = export_cnn(small_cnn, tmp_path, meta={"name": "A small CNN", "other_accuracy": 0.5})
    assert path == tmp_path / CNN_FILENAME
    data, raw = read_bundle(path)
    assert data["format"] == "mnist-lessons widget CNN"
    assert data["meta"] == {"name": "A small CNN", "other_accuracy": 0.5}
    assert data["epsilon"] == pytest.approx(small_cnn.get_layer("batchnorm_1").epsilon)
    assert (data["filters"], data["kernel_size"], data["dense_units"]) == ([4, 8], 3, 16)
    blocks = [
        f"{key}_{i}" for i in (1, 2) for key in ("conv", "gamma", "beta", "mean", "variance")
    ]
    dense = ["dense_kernel", "dense_bias", "out_kernel", "out_bias"]
    assert sorted(raw) == sorted(blocks + dense)
    assert {a.dtype for a in raw.values()} == {np.dtype(np.float16)}
    _, arrays = read_cnn(path)
    assert arrays["conv_2"].shape == (3, 3, 4, 8)  # Keras' (k, k, channels in, filters)
    np.testing.assert_array_equal(
        arrays["variance_1"],
        small_cnn.get_layer("batchnorm_1").get_weights()[3].astype(np.float16),
    )
    np.testing.assert_array_equal(
        arrays["dense_kernel"],
        small_cnn.get_layer("dense").get_weights()[0].astype(np.float16).astype(np.float32),
    )


def test_keras_cnn_equals_the_model_within_float16_rounding(tmp_path, small_cnn):
    half = keras_cnn(export_cnn(small_cnn, tmp_path))
    x = np.random.default_rng(1).random((16, 28, 28, 1)).astype(np.float32)
    p_half, p_full = np.asarray(half(x)), np.asarray(small_cnn(x))
    assert 0 < np.abs(p_half - p_full).max() < 2e-3  # rounded, but only just
    # Every weight of the copy is the model's, rounded to float16.
    for mine, theirs in zip(half.get_weights(), small_cnn.get_weights(), strict=True):
        np.testing.assert_array_equal(mine, theirs.astype(np.float16).astype(np.float32))


def test_the_book_cnn_fits_in_200_kb_and_its_copy_computes_the_same(tmp_path):
    model = build_cnn()  # the chapter's network, untrained: its size is what counts
    path = export_cnn(model, tmp_path)
    assert 190_000 < path.stat().st_size < 205_000
    assert 2 * model.count_params() < path.stat().st_size
    assert keras_cnn(path).count_params() == model.count_params()


def test_augmentation_layers_in_front_are_left_out(tmp_path, small_cnn):
    inputs = keras.Input(shape=(28, 28, 1), name="image")
    x = keras.layers.RandomTranslation(0.1, 0.1, name="augment_shift")(inputs)
    x = keras.layers.RandomRotation(0.05, name="augment_rotate")(x)
    x = keras.layers.RandomZoom(0.1, name="augment_zoom")(x)
    for layer in small_cnn.layers[1:]:  # the same layers, with the same weights
        x = layer(x)
    augmented = keras.Model(inputs, x)
    plain = read_bundle(export_cnn(small_cnn, tmp_path / "plain"))
    with_augment = read_bundle(export_cnn(augmented, tmp_path / "augmented"))
    assert plain[0] == with_augment[0]
    assert sorted(plain[1]) == sorted(with_augment[1])
    for key, array in plain[1].items():
        np.testing.assert_array_equal(array, with_augment[1][key])


def test_a_model_that_is_not_the_books_cnn_is_refused(tmp_path):
    from mnist_lessons.models import build_mlp

    with pytest.raises(ValueError, match="is not one of build_cnn's layers"):
        export_cnn(build_mlp(hidden_units=(8,)), tmp_path)
    inputs = keras.Input(shape=(28, 28, 1))
    x = keras.layers.Conv2D(4, 3, padding="valid", use_bias=False, name="conv_1")(inputs)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(10, activation="softmax", name="probabilities")(x)
    with pytest.raises(ValueError, match="same-padded, stride-1 convolution without bias"):
        export_cnn(keras.Model(inputs, outputs), tmp_path)
    inputs = keras.Input(shape=(28, 28, 1))
    x = keras.layers.Conv2D(4, 3, padding="same", use_bias=False, name="first")(inputs)
    with pytest.raises(ValueError, match="should be named conv_1"):
        export_cnn(keras.Model(inputs, x), tmp_path)
    inputs = keras.Input(shape=(28, 28, 1))
    x = keras.layers.Flatten()(inputs)
    outputs = keras.layers.Dense(10, activation="softmax", name="probabilities")(x)
    with pytest.raises(ValueError, match="at least one conv_1 block"):
        export_cnn(keras.Model(inputs, outputs), tmp_path)
    assert not (tmp_path / CNN_FILENAME).exists()


def test_read_cnn_refuses_other_files(tmp_path, small_cnn):
    from mnist_lessons.models import build_mlp
    from mnist_lessons.widget import export_mlp

    with pytest.raises(ValueError, match="is not a widget CNN"):
        read_cnn(export_mlp(build_mlp(hidden_units=(8,)), tmp_path))
    (tmp_path / "junk.bin").write_bytes(b"junk")
    with pytest.raises(ValueError, match="no b'MNX1' magic"):
        read_cnn(tmp_path / "junk.bin")


def test_the_site_lists_the_networks_it_copies(tmp_path):
    exported, target = tmp_path / "exported", tmp_path / "site"
    exported.mkdir()
    (exported / FILENAME).write_bytes(b"mlp")
    assert copy_networks(exported, target) == [FILENAME]
    assert (target / LIST).read_text() == '{"models": ["mnist-mlp.bin"]}\n'
    (exported / CNN_FILENAME).write_bytes(b"cnn")
    assert copy_networks(exported, target) == [CNN_FILENAME, FILENAME]
    assert (target / CNN_FILENAME).read_bytes() == b"cnn"


# ------------------------------------------------------------------ in Chromium ----------

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Draw a digit</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="../_static/mnist_widget.css">
<script type="module" src="../_static/mnist_widget.js"></script>
</head><body><main><h1>Draw a digit</h1>
<div class="mnist-widget"><p>This widget needs JavaScript.</p></div>
</main></body></html>
"""


def widget_site(folder: Path, networks: list[str]) -> Path:
    """A one-page site with the live widget files and the build's ``networks``; its folder."""
    missing = [name for name in networks if not (EXPORTED / name).is_file()]
    if missing:
        pytest.fail(
            f"No {', '.join(missing)} in {EXPORTED}: build the book with the Try it page and "
            "the chapter that exports the CNN (or set MNIST_LESSONS_SITE to a site with them)."
        )
    static = folder / "_static"
    shutil.copytree(EXPLORE, static / "explore")
    for name in ("mnist_widget.js", "mnist_widget.css"):
        shutil.copy2(STATIC / name, static / name)
    exported = folder / "exported"
    exported.mkdir()
    for name in networks:
        shutil.copy2(EXPORTED / name, exported / name)
    copy_networks(exported, static / "widget")
    (folder / "book").mkdir()
    (folder / "book" / "try_it.html").write_text(PAGE, encoding="utf-8")
    return folder


def open_widget(browser, url: str, **context_options):
    """The page at ``url``, networks loaded; its console errors and requests are collected."""
    from browser import benign, wait_for_model

    options = {"viewport": {"width": 1280, "height": 1000}, **context_options}
    context = browser.new_context(**options)
    page = context.new_page()
    page.errors, page.requests, page.failed = [], [], []
    page.on("console", lambda m: m.type == "error" and not benign(m) and page.errors.append(m))
    page.on("pageerror", lambda e: not benign(e) and page.errors.append(e))
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("requestfailed", lambda request: page.failed.append(request.url))
    page.on("response", lambda r: r.status >= 400 and page.failed.append(r.url))
    page.goto(f"{url}/book/try_it.html", wait_until="networkidle")
    wait_for_model(page)
    return page


@pytest.fixture(scope="module")
def cnn_page(browser, tmp_path_factory):
    from browser import serve

    folder = widget_site(tmp_path_factory.mktemp("with-cnn"), [FILENAME, CNN_FILENAME])
    with serve(folder) as url:
        page = open_widget(browser, url)
        yield page
        page.context.close()


def shown(page) -> dict:
    """What the widget showed last: both networks' probabilities, the image, the message."""
    return page.evaluate(
        f"""() => {{
        const r = {API}.last;
        return {{
            image: r.image ? Array.from(r.image) : null,
            mlp: r.probabilities ? Array.from(r.probabilities) : null,
            cnn: r.cnn ? Array.from(r.cnn.probabilities) : null,
            message: document.querySelector('.mnist-widget-message').textContent,
        }};
    }}"""
    )


@pytest.mark.site
def test_the_page_cnn_matches_keras_on_mnist_test_digits(cnn_page, real_mnist):
    from mnist_lessons.data import scale

    (_, _), (x_test, y_test) = real_mnist
    images = scale(x_test[:20]).astype(np.float64)  # (20, 28, 28)
    in_page = np.array(
        cnn_page.evaluate(
            f"""(images) => images.map((x) => {{
            {API}.pad.setImage(x);  // the widget itself, as a reader's digit
            return Array.from({API}.last.cnn.probabilities);
        }})""",
            images.reshape(20, -1).tolist(),
        )
    )
    in_keras = keras_cnn(EXPORTED / CNN_FILENAME).predict(images[..., None], verbose=0)
    assert in_page.shape == (20, 10)
    np.testing.assert_allclose(in_page, in_keras, rtol=0, atol=TOLERANCE)
    assert (in_page.argmax(axis=1) == y_test[:20]).mean() >= 0.95
    assert cnn_page.errors == []


@pytest.mark.site
@pytest.mark.parametrize("digit", range(10))
def test_a_digit_drawn_with_the_mouse_is_read_by_both_networks(cnn_page, digit):
    from browser import draw
    from browser.strokes import DIGITS

    draw(cnn_page, DIGITS[digit])
    seen = shown(cnn_page)
    assert int(np.argmax(seen["mlp"])) == digit, seen["message"]
    assert int(np.argmax(seen["cnn"])) == digit, seen["message"]
    image = np.array(seen["image"]).reshape(1, 28, 28, 1)
    in_keras = keras_cnn(EXPORTED / CNN_FILENAME).predict(image, verbose=0)[0]
    np.testing.assert_allclose(seen["cnn"], in_keras, rtol=0, atol=TOLERANCE)
    cnn_page.wait_for_function(
        "() => document.querySelector('.mnist-widget-message').textContent.includes('CNN')"
    )
    message = shown(cnn_page)["message"]
    assert message.startswith(f"The MLP reads {a_digit(digit)} ("), message
    assert f"; the CNN reads {a_digit(digit)} (" in message
    assert cnn_page.errors == []


@pytest.mark.site
def test_two_groups_of_bars_are_titled_from_the_files_meta(cnn_page):
    mlp = read_bundle(EXPORTED / FILENAME)[0]["meta"]
    cnn = read_bundle(EXPORTED / CNN_FILENAME)[0]["meta"]
    titles = cnn_page.locator(".mnist-widget-bars > .mnist-widget-caption").all_inner_texts()
    assert len(titles) == 2
    for title, meta in zip(titles, (mlp, cnn), strict=True):
        assert title.startswith(meta.get("name", "The "))
        for key, where in (("mnist_test_accuracy", "MNIST test"), ("other_accuracy", "other")):
            if key in meta:
                assert f"{100 * meta[key]:.1f} % on {where}" in title
    groups = cnn_page.locator(".mnist-widget-bars[role=group]")
    assert groups.count() == 2
    assert cnn_page.locator(".mnist-widget-cnn .mnist-widget-bar").count() == 10
    cnn_page.get_by_role("button", name="Sample 4", exact=True).click()
    best = cnn_page.locator(".mnist-widget-best .mnist-widget-digit").all_inner_texts()
    assert best == ["4", "4"]
    assert any(url.endswith(f"/_static/widget/{CNN_FILENAME}") for url in cnn_page.requests)
    assert cnn_page.failed == []


@pytest.mark.site
def test_without_the_cnn_the_widget_reads_with_the_mlp_and_never_asks_for_it(
    browser, tmp_path_factory
):
    from browser import draw, serve
    from browser.strokes import DIGITS

    folder = widget_site(tmp_path_factory.mktemp("mlp-only"), [FILENAME])
    with serve(folder) as url:
        page = open_widget(browser, url)
        result = draw(page, DIGITS[7])
        seen = shown(page)
        titles = page.locator(".mnist-widget-bars > .mnist-widget-caption").all_inner_texts()
        page.context.close()
    assert int(np.argmax(result["probabilities"])) == 7
    assert seen["cnn"] is None
    assert result["message"].startswith("The network reads a 7 (")
    assert titles == ["How sure it is of each digit"]
    assert any(url.endswith(f"/_static/widget/{LIST}") for url in page.requests)
    assert not any(url.endswith(CNN_FILENAME) for url in page.requests)
    assert page.failed == [] and page.errors == []
