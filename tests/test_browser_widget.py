"""The draw-a-digit widget of the built site, in Debian's Chromium (Playwright, real mouse events).

Runs after the build, like tests/test_site.py (marked ``site``). The site is _build/html, or
the folder named by ``$MNIST_LESSONS_SITE`` (a small book built elsewhere).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from browser import benign, draw, js_probabilities, serve, wait_for_model
from browser.strokes import DIGITS

from mnist_lessons.data import flatten, scale
from mnist_lessons.widget import FILENAME, TOO_SMALL, keras_model, preprocess

REPO = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("MNIST_LESSONS_SITE", REPO / "_build" / "html"))
TRY_IT = "book/try_it.html"
MODEL = SITE / "_static" / "widget" / FILENAME

pytestmark = pytest.mark.site


def widget_pages() -> list[str]:
    """Every built page with a widget on it."""
    return sorted(
        path.relative_to(SITE).as_posix()
        for path in SITE.glob("book/*.html")
        if 'class="mnist-widget"' in path.read_text(encoding="utf-8")
    )


@pytest.fixture(scope="module")
def site_url():
    if not (SITE / TRY_IT).is_file():
        pytest.fail(f"No {TRY_IT} in {SITE}: list book/try_it in _toc.yml and build the book.")
    with serve(SITE) as url:
        yield url


@pytest.fixture(scope="module")
def page(browser, site_url):
    """The Try-it page, loaded once, network ready; its console errors are collected."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and not benign(m) and page.errors.append(m))
    page.on("pageerror", lambda e: not benign(e) and page.errors.append(e))
    page.goto(f"{site_url}/{TRY_IT}")
    wait_for_model(page)
    yield page
    context.close()


def test_the_try_it_page_and_the_first_network_chapter_have_the_widget():
    assert TRY_IT in widget_pages()
    assert "book/first_network.html" in widget_pages()


@pytest.mark.parametrize("doc", widget_pages() or [TRY_IT])
def test_a_widget_page_loads_cleanly_from_the_local_server_alone(browser, site_url, doc):
    context = browser.new_context()
    page = context.new_page()
    errors, requests = [], []
    page.on("console", lambda m: m.type == "error" and not benign(m) and errors.append(m.text))
    page.on("pageerror", lambda error: not benign(error) and errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{site_url}/{doc}", wait_until="networkidle")
    wait_for_model(page)
    message = page.locator(".mnist-widget-message").first.inner_text()
    context.close()
    assert errors == []
    assert requests and all(url.startswith(f"{site_url}/") for url in requests), [
        url for url in requests if not url.startswith(f"{site_url}/")
    ]
    assert any(url.endswith(f"/_static/widget/{FILENAME}") for url in requests)
    assert message == "The canvas is empty: draw a digit first."


@pytest.mark.parametrize("digit", sorted(DIGITS))
def test_a_digit_drawn_with_the_mouse_is_read(page, digit):
    shown = draw(page, DIGITS[digit])
    assert shown["error"] is None, shown["message"]
    assert int(np.argmax(shown["probabilities"])) == digit, shown["message"]
    assert shown["message"].startswith(f"The network reads a {digit} (")
    assert page.errors == []


@pytest.mark.parametrize("digit", [3, 7, 8])
def test_the_javascript_preprocessing_matches_python(page, digit):
    shown = draw(page, DIGITS[digit])
    ink = np.array(shown["ink"]).reshape(280, 280)  # the canvas's alpha / 255
    assert ink.max() > 0
    np.testing.assert_allclose(
        np.array(shown["image"]).reshape(28, 28), preprocess(ink), rtol=0, atol=1e-9
    )


def test_the_javascript_network_matches_keras_on_mnist_test_digits(page, real_mnist):
    (_, _), (x_test, y_test) = real_mnist
    images = flatten(scale(x_test[:300]))  # (300, 784)
    in_page = np.array(js_probabilities(page, images.astype(np.float64).tolist()))
    in_keras = keras_model(MODEL).predict(images, verbose=0)  # the weights the page reads
    assert in_page.shape == (300, 10)
    np.testing.assert_allclose(in_page, in_keras, rtol=0, atol=1e-4)
    assert (in_page.argmax(axis=1) == y_test[:300]).mean() > 0.95


def test_an_empty_canvas_and_a_dot_get_a_message(page):
    empty = draw(page, [])
    assert empty["error"] == "empty" and empty["probabilities"] is None
    assert empty["message"] == "The canvas is empty: draw a digit first."
    dot = draw(page, [[(140, 140)]])
    assert dot["error"] == "dot" and dot["probabilities"] is None
    assert dot["message"] == TOO_SMALL
    bars = page.locator(".mnist-widget-value").all_inner_texts()
    assert bars == [""] * 10
    assert page.errors == []


def test_a_small_blob_gets_the_message_not_a_confident_guess(page):
    # A circle 50 pixels across drawn with the 20-pixel pen: preprocessed, it would be read as
    # a 0 at over 99 % (the Try it page shows it); under a quarter of the canvas, it is refused.
    t = np.linspace(0.0, 2.0 * np.pi, 30)
    blob = draw(page, [[(140 + 15 * np.cos(a), 140 + 15 * np.sin(a)) for a in t]])
    assert blob["error"] == "dot" and blob["probabilities"] is None
    assert blob["message"] == TOO_SMALL
    assert page.errors == []


def test_a_finger_draws_too(browser, site_url):
    context = browser.new_context(has_touch=True)
    page = context.new_page()
    page.goto(f"{site_url}/{TRY_IT}")
    wait_for_model(page)
    canvas = page.locator(".mnist-widget-canvas").first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.touchscreen.tap(box["x"] + 140, box["y"] + 140)
    page.wait_for_function(
        "() => document.querySelector('.mnist-widget').mnistWidget.last.error === 'dot'",
        timeout=5_000,
    )
    message = page.locator(".mnist-widget-message").first.inner_text()
    context.close()
    assert message == TOO_SMALL
