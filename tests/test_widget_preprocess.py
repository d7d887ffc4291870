"""mnist_lessons.widget.preprocess against closed forms, scipy.ndimage and real MNIST digits."""

from __future__ import annotations

import re

import numpy as np
import pytest
from scipy import ndimage

from mnist_lessons.data import scale
from mnist_lessons.widget import (
    BOX,
    FIELD,
    MIN_EXTENT,
    TOO_SMALL,
    DrawingTooSmall,
    area_resize,
    center_of_mass,
    preprocess,
    preprocess_steps,
    render_strokes,
)

SEVEN = [[(80, 70), (215, 60), (150, 160), (110, 245)]]


def ink_box(image, level=0.0):
    rows = np.flatnonzero(image.max(axis=1) > level)
    cols = np.flatnonzero(image.max(axis=0) > level)
    return rows[-1] + 1 - rows[0], cols[-1] + 1 - cols[0]


def test_area_resize_by_whole_factors_is_the_block_mean():
    image = np.random.default_rng(0).random((40, 60))
    expected = image.reshape(20, 2, 20, 3).mean(axis=(1, 3))
    np.testing.assert_allclose(area_resize(image, (20, 20)), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("shape", [(7, 13), (20, 11), (1, 1), (33, 5)])
def test_area_resize_keeps_the_mean_grey_level(shape):
    image = np.random.default_rng(1).random((37, 23))
    out = area_resize(image, shape)
    # Each output pixel covers s_r x s_c input pixels, so the totals scale by that area.
    area = (37 / shape[0]) * (23 / shape[1])
    assert out.shape == shape
    np.testing.assert_allclose(out.sum() * area, image.sum(), rtol=1e-12)


def test_area_resize_to_the_same_shape_is_the_identity():
    image = np.random.default_rng(2).random((9, 14))
    np.testing.assert_allclose(area_resize(image, image.shape), image, atol=1e-12)


def test_center_of_mass_matches_scipy():
    for seed in range(5):
        image = np.random.default_rng(seed).random((17, 23)) ** 4
        np.testing.assert_allclose(center_of_mass(image), ndimage.center_of_mass(image), 1e-12)


def test_a_drawing_becomes_an_mnist_like_image():
    steps = preprocess_steps(render_strokes(SEVEN))
    image = steps.image
    assert image.shape == (FIELD, FIELD)
    assert image.min() >= 0.0
    assert image.max() == pytest.approx(1.0)
    assert max(ink_box(image)) == BOX
    # The whole-pixel shift leaves the centre of mass within half a pixel of (14, 14).
    row, col = ndimage.center_of_mass(image)
    assert abs(row - FIELD / 2) <= 0.5 and abs(col - FIELD / 2) <= 0.5
    np.testing.assert_allclose(
        np.add(steps.center, steps.offset), ndimage.center_of_mass(image), atol=1e-12
    )


def test_the_aspect_ratio_is_kept():
    # A box 200 wide and 100 high, strokes 20 wide: its ink is 220 x 120.
    wide = render_strokes([[(40, 90), (240, 90), (240, 190), (40, 190), (40, 90)]])
    h, w = ink_box(wide)
    assert w / h == pytest.approx(220 / 120, rel=0.02)
    box = preprocess_steps(wide).box
    assert box.shape == (round(h * BOX / w), BOX)


def test_where_the_digit_is_drawn_does_not_matter():
    here = preprocess(render_strokes(SEVEN))
    moved = [[(x - 50, y + 20) for x, y in stroke] for stroke in SEVEN]
    np.testing.assert_allclose(preprocess(render_strokes(moved)), here, atol=1e-12)


def test_how_large_the_digit_is_drawn_matters_little():
    small = [[(140 + (x - 140) / 2, 140 + (y - 140) / 2) for x, y in stroke] for stroke in SEVEN]
    big = preprocess(render_strokes(SEVEN, width=20))
    half = preprocess(render_strokes(small, width=10))
    assert np.abs(big - half).mean() < 0.03


def test_real_mnist_digits_come_back_nearly_unchanged(real_mnist):
    (_, _), (x_test, _) = real_mnist
    digits = scale(x_test[:500]).astype(np.float64)  # (500, 28, 28), already MNIST-made
    again = np.stack([preprocess(digit) for digit in digits])
    differences = np.abs(again - digits).mean(axis=(1, 2))  # (500,)
    assert differences.max() < 0.01
    assert np.median(differences) < 1e-6


def test_uint8_input_is_read_as_levels_over_255():
    canvas = render_strokes(SEVEN)
    as_bytes = np.round(canvas * 255).astype(np.uint8)
    np.testing.assert_allclose(preprocess(as_bytes), preprocess(as_bytes / 255.0), atol=1e-12)


def test_an_empty_canvas_or_a_dot_says_what_to_do():
    with pytest.raises(DrawingTooSmall, match="empty: draw a digit"):
        preprocess(np.zeros((280, 280)))
    dot = render_strokes([[(140, 140)]])
    assert dot.sum() > 0
    with pytest.raises(ValueError, match="dot or a blob, too small to read: draw a bigger"):
        preprocess(dot)


def scribble(radius: float) -> np.ndarray:
    """A circle of the given radius scribbled with the widget's 20-pixel pen."""
    t = np.linspace(0.0, 2.0 * np.pi, 30)
    return render_strokes(
        [list(zip(140 + radius * np.cos(t), 140 + radius * np.sin(t), strict=True))]
    )


def test_a_blob_is_too_small_but_a_quarter_of_the_canvas_is_read():
    # A circle of radius 15 drawn with a 20-pixel pen is a blob 50 pixels across: the pen fills
    # it, and scaled into the 20x20 box its stroke would be 8 pixels wide.
    blob = scribble(15)
    assert max(ink_box(blob)) == 50 < MIN_EXTENT * 280
    with pytest.raises(DrawingTooSmall, match=TOO_SMALL):
        preprocess(blob)
    # Asked to, preprocess still reads it, and the blob fills the box.
    assert max(ink_box(preprocess(blob, min_extent=0))) == BOX
    # A ring 80 pixels across, past the threshold of 70, is read.
    ring = scribble(30)
    assert max(ink_box(ring)) == 80 >= MIN_EXTENT * 280
    assert preprocess(ring).shape == (FIELD, FIELD)


def test_the_javascript_uses_the_same_threshold_and_message():
    # The widget's preprocessing is the explorables' math module (tests/test_js_preprocess.py
    # runs it on drawings against this one); the widget itself declares no copy.
    from mnist_lessons.explore import STATIC
    from mnist_lessons.widget.sphinxext import STATIC as WIDGET_STATIC

    js = (STATIC / "explore" / "math" / "preprocess.js").read_text()
    declared = re.search(r"\bexport const MIN_EXTENT = ([0-9.]+);", js)
    assert declared and float(declared.group(1)) == MIN_EXTENT
    assert f'export const TOO_SMALL = "{TOO_SMALL}";' in js
    widget = (WIDGET_STATIC / "mnist_widget.js").read_text()
    assert 'from "./explore/math/preprocess.js"' in widget and "MIN_EXTENT" not in widget


@pytest.mark.parametrize(
    ("canvas", "match"),
    [
        (np.zeros((2, 3, 4)), "alpha channel"),
        (np.full((10, 10), 2.0), r"\[0, 1\]"),
        (np.full((10, 10), np.nan), r"\[0, 1\]"),
        (np.array([["a"]]), "numbers"),
    ],
)
def test_bad_canvases_are_refused(canvas, match):
    with pytest.raises(ValueError, match=match):
        preprocess(canvas)


def test_render_strokes_covers_the_area_of_a_thick_line():
    # A segment of length L drawn with width w covers a stadium: L w + pi (w / 2)^2.
    image = render_strokes([[(60, 100), (220, 100)]], width=20)
    assert image.sum() == pytest.approx(160 * 20 + np.pi * 10**2, rel=0.01)
    with pytest.raises(ValueError, match="positive"):
        render_strokes(SEVEN, width=0)
