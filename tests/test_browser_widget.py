"""The draw-a-digit widget of the built site, in Chromium (Playwright, real input events).

Runs after the build, like tests/test_site.py (marked ``site``). The site is _build/html, or
the folder named by ``$MNIST_LESSONS_SITE`` (a small book built elsewhere). Mouse, keyboard and
finger each draw a digit the network must read; the sample digits are read as themselves; the
answer is announced in a polite live region; the widget fits a 375-pixel phone; its text keeps
WCAG AA contrast in light and in dark mode. The Try it page offers the chapter "Other people's
digits"' CNN beside the MLP (two groups of bars, both readings announced): these tests check it
on the built page, and tests/test_widget_cnn.py on a page of its own, with and without it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest
from browser import WIDGET, benign, draw, js_probabilities, serve, wait_for_model
from browser.strokes import DIGITS
from playwright.sync_api import expect

from mnist_lessons.data import flatten, scale
from mnist_lessons.explore import read_bundle
from mnist_lessons.widget import (
    CNN_FILENAME,
    FILENAME,
    TOO_SMALL,
    keras_cnn,
    keras_model,
    preprocess,
)

REPO = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("MNIST_LESSONS_SITE", REPO / "_build" / "html"))
TRY_IT = "book/try_it.html"
MODEL = SITE / "_static" / "widget" / FILENAME
CNN = SITE / "_static" / "widget" / CNN_FILENAME

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
EMPTY = "The canvas is empty: draw a digit first."

pytestmark = pytest.mark.site


def a_digit(d: int) -> str:
    """'a 7', 'an 8': the digit with its article, as the widget says it."""
    return f"an {d}" if d == 8 else f"a {d}"


def reads(d: int) -> str:
    """How the live region starts for digit ``d``: the MLP's reading, named as the MLP's when
    the CNN reads too (test_the_try_it_page_offers_the_cnn_beside_the_mlp wants the CNN)."""
    return f"The {'MLP' if CNN.is_file() else 'network'} reads {a_digit(d)} ("


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
    assert any(url.endswith("/_static/widget/models.json") for url in requests)
    assert any(url.endswith(f"/_static/widget/{CNN_FILENAME}") for url in requests) == (
        CNN.is_file()
    )
    assert message == "The canvas is empty: draw a digit first."


def test_the_try_it_page_offers_the_cnn_beside_the_mlp(page):
    assert CNN.is_file(), f"No {CNN_FILENAME}: the chapter other_digits exports it"
    titles = page.locator(f"{WIDGET} .mnist-widget-bars > .mnist-widget-caption")
    assert titles.count() == 2
    for title, path in zip(titles.all_inner_texts(), (MODEL, CNN), strict=True):
        meta = read_bundle(path)[0]["meta"]  # the file's name and scores, as the build wrote
        scores = [100 * meta[key] for key in ("mnist_test_accuracy", "other_accuracy")]
        assert title == (
            f"{meta['name']}: {scores[0]:.1f} % on MNIST test, "
            f"{scores[1]:.1f} % on other writers' digits"
        )
    shown = draw(page, DIGITS[2])
    assert shown["message"].startswith(reads(2)) and "; the CNN reads a 2 (" in shown["message"]
    assert page.errors == []


def test_the_javascript_cnn_matches_keras_on_mnist_test_digits(page, real_mnist):
    if not CNN.is_file():
        pytest.fail(f"No {CNN_FILENAME} in the site: the chapter other_digits exports it")
    (_, _), (x_test, y_test) = real_mnist
    images = scale(x_test[:20]).astype(np.float64)  # (20, 28, 28)
    in_page = np.array(
        page.evaluate(
            """async (images) => {
            const cnn = await window.MnistWidget.loadCnn();
            return images.map((x) => Array.from(window.MnistWidget.predictCnn(cnn, x)));
        }""",
            images.reshape(20, -1).tolist(),
        )
    )
    in_keras = keras_cnn(CNN).predict(images[..., None], verbose=0)  # the page's weights
    np.testing.assert_allclose(in_page, in_keras, rtol=0, atol=1e-4)
    assert (in_page.argmax(axis=1) == y_test[:20]).mean() >= 0.95


@pytest.mark.parametrize("digit", sorted(DIGITS))
def test_a_digit_drawn_with_the_mouse_is_read(page, digit):
    shown = draw(page, DIGITS[digit])
    assert shown["error"] is None, shown["message"]
    assert int(np.argmax(shown["probabilities"])) == digit, shown["message"]
    assert shown["message"].startswith(reads(digit))
    if CNN.is_file():
        cnn = page.evaluate(
            f"() => Array.from(document.querySelector('{WIDGET}').mnistWidget.last.cnn"
            ".probabilities)"
        )
        assert int(np.argmax(cnn)) == digit, shown["message"]
        assert f"; the CNN reads {a_digit(digit)} (" in shown["message"]
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


def test_a_given_mnist_image_is_shown_pixel_for_pixel_and_read(page, real_mnist):
    # The pad's setImage (explore/lib/digits.js, which explorables use to show a digit): the
    # canvas holds the 28x28 image 10 times larger, and the network reads the image itself.
    (_, _), (x_test, y_test) = real_mnist
    x = scale(x_test[7]).astype(np.float64)  # (28, 28) in [0, 1]
    shown = page.evaluate(
        f"""(x) => {{
        const w = document.querySelector('{WIDGET}').mnistWidget;
        w.pad.setImage(x);
        return {{ink: Array.from(w.ink()), image: Array.from(w.last.image),
                 probabilities: Array.from(w.last.probabilities),
                 message: w.message.textContent}};
    }}""",
        x.ravel().tolist(),
    )
    ink = np.array(shown["ink"]).reshape(280, 280)
    np.testing.assert_array_equal(ink, np.kron(np.round(255 * x), np.ones((10, 10))) / 255)
    np.testing.assert_array_equal(np.array(shown["image"]).reshape(28, 28), x)
    assert int(np.argmax(shown["probabilities"])) == y_test[7]
    assert shown["message"].startswith(reads(int(y_test[7])))
    # Drawn on further, the canvas goes through the preprocessing like any drawing.
    again = page.evaluate(
        f"() => Array.from(document.querySelector('{WIDGET}').mnistWidget.update().probabilities)"
    )
    assert len(again) == 10 and int(np.argmax(again)) == y_test[7]
    assert page.errors == []


def test_an_empty_canvas_and_a_dot_get_a_message(page):
    empty = draw(page, [])
    assert empty["error"] == "empty" and empty["probabilities"] is None
    assert empty["message"] == "The canvas is empty: draw a digit first."
    dot = draw(page, [[(140, 140)]])
    assert dot["error"] == "dot" and dot["probabilities"] is None
    assert dot["message"] == TOO_SMALL
    bars = page.locator(".mnist-widget-value").all_inner_texts()
    assert bars == [""] * (20 if CNN.is_file() else 10)  # ten a network
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
    message = page.locator(".mnist-widget-message").first
    expect(message).to_have_text(TOO_SMALL, timeout=5_000)  # once the drawing settles
    context.close()


# A 7 drawn with the arrow keys from the pen's start at the centre (140, 140), 10 pixels a key:
# lift to (70, 60), put the pen down, right to (210, 60), a staircase down to (120, 240), lift.
KEYBOARD_SEVEN = [
    *["ArrowLeft"] * 7,
    *["ArrowUp"] * 8,
    "Space",
    *["ArrowRight"] * 14,
    *["ArrowDown", "ArrowDown", "ArrowLeft"] * 9,
    "Space",
]


def count_announcements(page):
    """Start counting the changes of the first widget's live region (read with announced())."""
    page.evaluate(
        f"""() => {{
        const region = document.querySelector('{WIDGET} .mnist-widget-message');
        window.announced = [];
        new MutationObserver(() => window.announced.push(region.textContent))
            .observe(region, {{childList: true, characterData: true, subtree: true}});
    }}"""
    )


def test_the_answer_is_in_a_polite_live_region(page):
    region = page.locator(f"{WIDGET} .mnist-widget-message").first
    assert region.get_attribute("aria-live") == "polite"
    assert region.get_attribute("role") == "status"
    assert region.is_visible()


def test_the_controls_are_named_and_reached_in_order_by_the_tab_key(page):
    canvas = page.locator(f"{WIDGET} .mnist-widget-canvas").first
    assert canvas.get_attribute("tabindex") == "0"
    assert "keyboard" in canvas.get_attribute("aria-label")
    hint = page.locator("#" + canvas.get_attribute("aria-describedby"))
    assert hint.is_visible() and "arrow keys" in hint.inner_text()
    canvas.focus()
    names = []
    for _ in range(11):
        page.keyboard.press("Tab")
        names.append(
            page.evaluate(
                "() => document.activeElement.getAttribute('aria-label')"
                " || document.activeElement.textContent"
            )
        )
    assert names == ["Clear", *[f"Sample {d}" for d in range(10)]]


def test_a_digit_drawn_with_the_keyboard_alone_is_read_and_announced(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto(f"{site_url}/{TRY_IT}")
    wait_for_model(page)
    message = page.locator(f"{WIDGET} .mnist-widget-message").first
    expect(message).to_have_text(EMPTY)
    for _ in range(500):  # from the top of the page, as a keyboard user gets there
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('.mnist-widget-canvas')"):
            break
    else:
        pytest.fail("500 presses of Tab never reached the widget's canvas")
    count_announcements(page)
    for key in KEYBOARD_SEVEN:
        page.keyboard.press(key)
    expect(message).to_contain_text(reads(7), timeout=5_000)
    text = message.inner_text()
    shown = page.evaluate(
        f"() => Array.from(document.querySelector('{WIDGET}').mnistWidget.last.probabilities)"
    )
    announced = page.evaluate("() => window.announced")
    page.keyboard.press("Escape")
    expect(message).to_have_text(EMPTY)
    context.close()
    assert int(np.argmax(shown)) == 7
    if CNN.is_file():
        assert "sure); the CNN reads " in text
    else:
        assert "sure); next most likely " in text
    # Announced once the keys stop, not at each of the 60-odd key presses.
    assert 1 <= len(announced) <= 3 and announced[-1] == text, announced


@pytest.mark.parametrize("digit", range(10))
def test_each_sample_digit_is_read_as_itself(page, digit):
    page.get_by_role("button", name=f"Sample {digit}", exact=True).first.click()
    message = page.locator(f"{WIDGET} .mnist-widget-message").first
    expect(message).to_contain_text(reads(digit))
    shown = page.evaluate(
        f"() => Array.from(document.querySelector('{WIDGET}').mnistWidget.last.probabilities)"
    )
    assert int(np.argmax(shown)) == digit
    assert page.errors == []


def test_a_sample_is_drawn_by_the_enter_key_on_its_button(page):
    page.get_by_role("button", name="Sample 4", exact=True).first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"{WIDGET} .mnist-widget-message").first).to_contain_text(reads(4))


def touch_stroke(cdp, box, stroke, scale):
    """One stroke with one finger (Chromium's touch input, so pointer events of type touch).

    The finger rests a moment before it lifts, as a hand does: a finger lifted at speed starts a
    fling, and Chromium swallows the next tap (the one on Clear) to stop it.
    """
    points = [(box["x"] + x * scale, box["y"] + y * scale) for x, y in stroke]
    kinds = ["touchStart", *["touchMove"] * (len(points) - 1)]
    for kind, (x, y) in zip(kinds, points, strict=True):
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})
    time.sleep(0.15)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


@pytest.fixture(scope="module")
def phone(browser, site_url):
    """The Try-it page on a 375-pixel phone with a touch screen, network ready."""
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.goto(f"{site_url}/{TRY_IT}")
    wait_for_model(page)
    yield page
    context.close()


def test_on_a_375_pixel_phone_the_widget_fits_without_scrolling_sideways(phone):
    widget = phone.locator(WIDGET).first
    sizes = widget.evaluate(
        "w => ({scroll: w.scrollWidth, client: w.clientWidth,"
        " right: Math.max(...Array.from(w.querySelectorAll('*'),"
        " e => e.getBoundingClientRect().right)), viewport: window.innerWidth})"
    )
    assert sizes["viewport"] == 375
    assert sizes["scroll"] <= sizes["client"], sizes
    assert sizes["right"] <= 375, sizes
    groups = widget.locator(".mnist-widget-bars")
    assert groups.count() == (2 if CNN.is_file() else 1)
    assert all(group.is_visible() for group in groups.all())


@pytest.mark.parametrize("digit", [3, 7])
def test_on_a_phone_a_digit_drawn_with_a_finger_is_read(phone, digit):
    message = phone.locator(f"{WIDGET} .mnist-widget-message").first
    phone.locator(f"{WIDGET} .mnist-widget-clear").first.tap()
    expect(message).to_have_text(EMPTY)
    canvas = phone.locator(f"{WIDGET} .mnist-widget-canvas").first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    cdp = phone.context.new_cdp_session(phone)
    for stroke in DIGITS[digit]:
        touch_stroke(cdp, box, stroke, box["width"] / 280)
    cdp.detach()
    expect(message).to_contain_text(reads(digit), timeout=5_000)
    assert phone.evaluate("() => window.scrollX") == 0


CONTRAST = """root => {
    // WCAG relative luminance and contrast ratio of each text's colour on its background.
    const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
    const lin = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    const lum = ([r, g, b]) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    const background = (e) => {
        for (; e; e = e.parentElement) {
            const c = getComputedStyle(e).backgroundColor;
            if (rgb(c)[3] !== 0) return c;  // opaque (the widget uses no translucent backgrounds)
        }
        return "rgb(255, 255, 255)";
    };
    const texts = Array.from(root.querySelectorAll("*")).filter((e) =>
        Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim()));
    return texts.map((e) => {
        const [a, b] = [lum(rgb(getComputedStyle(e).color)), lum(rgb(background(e)))];
        return {text: e.textContent.trim().slice(0, 30), color: getComputedStyle(e).color,
                background: background(e),
                ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
    });
}"""


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_widget_text_keeps_aa_contrast_in_both_colour_modes(browser, site_url, mode):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto(f"{site_url}/{TRY_IT}", wait_until="networkidle")
    page.evaluate(
        """mode => { localStorage.setItem('mode', mode);
                     document.documentElement.dataset.mode = mode;
                     document.documentElement.dataset.theme = mode; }""",
        mode,
    )
    wait_for_model(page)
    page.get_by_role("button", name="Sample 2", exact=True).first.click()
    widget = page.locator(WIDGET).first
    texts = widget.evaluate(CONTRAST)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """([selector, tags]) => axe.run(document.querySelector(selector),
                {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        [WIDGET, WCAG_AA],
    )
    context.close()
    assert len(texts) > 30  # hint, message, buttons, captions, digits and values
    low = [t for t in texts if t["ratio"] < 4.5]
    assert not low, low
    assert result["violations"] == [], [
        (v["id"], v["nodes"][0]["target"]) for v in result["violations"]
    ]
