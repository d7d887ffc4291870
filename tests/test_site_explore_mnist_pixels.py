"""The MNIST dataset chapter's pixel explorer ("mnist-pixels", book/mnist_dataset), in Chromium.

What only this explorable knows: it opens on the chapter's random digit (training image
``rng.integers(60000)`` with seed 0, as the chapter draws it); every digit it carries is the
training image of the index it names, pixel for pixel, with that image's label (read from the
IDX files by mnist_lessons.data); the digit canvas shows each pixel X as the grey 255 - X in
light mode; the value it reads out for a pixel under the mouse is X, X / 255 to three decimals
and the entry 28 r + c; the arrow keys move the pixel cursor and the live region announces the
new pixel's value; the class menu and the buttons browse the digits of one class; a link with
the settings in its URL opens on that digit and pixel.
"""

from __future__ import annotations

import numpy as np
import pytest
from browser import benign
from explorables import page_of
from playwright.sync_api import expect

pytestmark = pytest.mark.site

NAME = "mnist-pixels"
ROOT = f"#explorable-{NAME}"
TIMES = "\N{MULTIPLICATION SIGN}"


def page_path() -> str:
    return page_of(NAME)


def open_page(browser, site_url, query=""):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and not benign(m) and page.errors.append(m))
    page.on("pageerror", lambda e: not benign(e) and page.errors.append(e))
    page.goto(f"{site_url}/{page_path()}{query}")
    page.locator(ROOT).scroll_into_view_if_needed()
    page.wait_for_selector(f"{ROOT}[data-state=ready]", timeout=30_000)
    return context, page


@pytest.fixture(scope="module")
def page(browser, site_url):
    context, page = open_page(browser, site_url)
    yield page
    context.close()


def api(page, call: str):
    return page.evaluate(f"() => document.querySelector('{ROOT}').explorable.api.{call}")


def status(page) -> str:
    return page.locator(f"{ROOT} .explorable-status").inner_text()


def reading(x_train, train_index: int, r: int, c: int) -> str:
    """The sentence the explorable says for pixel (r, c) of a training digit."""
    v = int(x_train[train_index, r, c])
    return (
        f"X = {v}, scaled x' = {v} / 255 = {v / 255:.3f}, "
        f"entry 28 {TIMES} {r} + {c} = {28 * r + c} of the 784-vector."
    )


def test_it_opens_on_the_chapters_random_digit_at_the_centre_pixel(page, real_mnist):
    (x_train, y_train), _ = real_mnist
    index = int(np.random.default_rng(0).integers(len(x_train)))  # as the chapter picks it
    shown = api(page, "current()")
    assert shown["train_index"] == index and shown["label"] == y_train[index]
    np.testing.assert_array_equal(np.array(shown["pixels"]).reshape(28, 28), x_train[index])
    expect(page.locator(f"{ROOT} .explorable-status")).to_contain_text(
        f"Pixel (row 14, column 14) of training image {index:,}, "
    )
    assert status(page).endswith(reading(x_train, index, 14, 14))


def test_every_digit_it_carries_is_the_training_image_it_names(page, real_mnist):
    (x_train, y_train), _ = real_mnist
    digits = api(page, "digits()")
    n = api(page, "n")
    assert n == len(digits["train_index"]) >= 30
    indices = np.array(digits["train_index"])
    np.testing.assert_array_equal(digits["labels"], y_train[indices])
    per_class = np.bincount(digits["labels"], minlength=10)
    assert (per_class == per_class[0]).all(), per_class  # as many digits of each class
    for slot in range(n):
        page.evaluate(f"() => document.querySelector('{ROOT}').explorable.set('index', {slot})")
        shown = api(page, "current()")
        assert shown["train_index"] == indices[slot]
        np.testing.assert_array_equal(
            np.array(shown["pixels"]).reshape(28, 28), x_train[indices[slot]]
        )
    assert page.errors == []


def test_the_canvas_shows_each_pixel_as_its_grey_level(page, real_mnist):
    (x_train, _), _ = real_mnist
    page.evaluate(f"() => document.querySelector('{ROOT}').explorable.set('index', 3)")
    shown = api(page, "current()")
    greys = page.evaluate(
        f"""() => {{
        const el = document.querySelector('{ROOT}');
        const canvas = el.querySelector('.mnist-pixels-grid');
        const ctx = canvas.getContext('2d');
        const rect = canvas.getBoundingClientRect();
        const scale = canvas.width / rect.width;
        const out = [];
        for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) {{
            const p = el.explorable.api.pixelBox(r, c);
            const x = Math.round((p.x - rect.left) * scale);
            const y = Math.round((p.y - rect.top) * scale);
            out.push(ctx.getImageData(x, y, 1, 1).data[0]);
        }}
        return out;
    }}"""
    )
    expected = 255 - x_train[shown["train_index"]].astype(int).ravel()
    # At the centre of each pixel's square (the cursor's frame and guides run along the edges).
    np.testing.assert_array_equal(greys, expected)


@pytest.mark.parametrize(("r", "c"), [(14, 14), (5, 20), (22, 3), (0, 27)])
def test_pointing_at_a_pixel_reads_its_value_scaled_value_and_vector_entry(page, real_mnist, r, c):
    (x_train, _), _ = real_mnist
    page.evaluate(f"() => document.querySelector('{ROOT}').explorable.set('index', 9)")
    train_index = api(page, "current()")["train_index"]
    point = page.evaluate(
        f"() => document.querySelector('{ROOT}').explorable.api.pixelBox({r}, {c})"
    )
    page.mouse.move(point["x"], point["y"])
    expect(page.locator(f"{ROOT} .explorable-status")).to_contain_text(
        f"Pixel (row {r}, column {c}) of training image {train_index:,}, "
    )
    assert status(page).endswith(reading(x_train, train_index, r, c))
    state = page.evaluate(f"() => document.querySelector('{ROOT}').explorable.state")
    assert state["pixel"] == [r, c]


def test_the_arrow_keys_move_the_pixel_cursor_and_each_pixel_is_announced(page, real_mnist):
    (x_train, _), _ = real_mnist
    page.evaluate(
        f"""() => document.querySelector('{ROOT}').explorable.set({{index: 0,
            pixel: [14, 14]}})"""
    )
    train_index = api(page, "current()")["train_index"]
    grid = page.locator(f"{ROOT} .mnist-pixels-grid")
    assert grid.get_attribute("tabindex") == "0"
    assert "Arrow keys move the pixel cursor" in grid.get_attribute("aria-label")
    region = page.locator(f"{ROOT} .explorable-status")
    assert region.get_attribute("aria-live") == "polite"
    grid.focus()
    for key in ["ArrowRight", "ArrowRight", "ArrowUp", "Shift+ArrowLeft"]:
        page.keyboard.press(key)
    r, c = 13, 16 - 7
    expect(region).to_contain_text(f"Pixel (row {r}, column {c}) of training image")
    assert status(page).endswith(reading(x_train, train_index, r, c))
    assert f"now at row {r}, column {c}" in grid.get_attribute("aria-label")
    for _ in range(40):  # the cursor stops at the edge
        page.keyboard.press("ArrowDown")
    expect(region).to_contain_text(f"Pixel (row 27, column {c}) ")
    assert page.errors == []


def test_the_class_menu_and_the_buttons_browse_one_class(page, real_mnist):
    (_, y_train), _ = real_mnist
    root = page.locator(ROOT)
    root.get_by_label("digit class").select_option("7")
    seen = []
    for _ in range(12):
        shown = api(page, "current()")
        seen.append(shown["train_index"])
        assert shown["label"] == 7 == y_train[shown["train_index"]]
        root.get_by_role("button", name="Next digit").click()
    per_class = api(page, "n") // 10
    assert len(set(seen)) == per_class and seen[per_class] == seen[0]  # round and back
    root.get_by_role("button", name="Previous digit").click()  # from the 13th back to the 12th
    assert api(page, "current()")["train_index"] == seen[11 % per_class]
    assert page.errors == []


def test_a_link_opens_on_its_digit_and_pixel(browser, site_url, real_mnist):
    (x_train, _), _ = real_mnist
    context, page = open_page(browser, site_url, f"?{NAME}.index=25&{NAME}.pixel=6_19")
    try:
        shown = api(page, "current()")
        assert shown["slot"] == 25
        expect(page.locator(f"{ROOT} .explorable-status")).to_contain_text(
            f"Pixel (row 6, column 19) of training image {shown['train_index']:,}, "
        )
        assert status(page).endswith(reading(x_train, shown["train_index"], 6, 19))
        assert page.errors == []
    finally:
        context.close()
