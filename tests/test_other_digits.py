"""Tests of the chapter "Beyond the test set": the other digits, the measures, the remedies.

The measures are checked against closed forms on drawn shapes, the Keras augmentation layers
against the NumPy functions they mirror, and the augmented CNN against the plain CNN.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from mnist_lessons import other_digits as od
from mnist_lessons import plotting
from mnist_lessons.plotting.output import get_alt_text
from mnist_lessons.widget.preprocess import preprocess


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def other():
    return od.load_other_digits()


def band(width, *, size=28, left=10):
    image = np.zeros((size, size))
    image[:, left : left + width] = 1.0  # a vertical stroke, top to bottom
    return image


# ------------------------------------------------------------------------ the other digits --


def test_other_digits_are_mnist_like_images_of_every_class(other):
    images, labels, raw = other
    assert images.shape == (1797, 28, 28) and images.dtype == np.float32
    assert labels.shape == (1797,) and raw.shape == (1797, 8, 8)
    assert images.min() == 0.0 and images.max() == 1.0
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    # The widget's preprocessing, image for image: darkest pixel 1, longer side 20, centred.
    for i in (0, 1, 500, 1796):
        np.testing.assert_allclose(images[i], preprocess(raw[i] / 16, min_extent=0), atol=1e-7)
    assert np.all(images.max(axis=(1, 2)) == 1.0)
    assert np.all(od.centre_offset(images) <= np.sqrt(2) * 0.5 + 1e-9)
    rows = np.array([np.ptp(np.flatnonzero(im.max(axis=1) > 0)) + 1 for im in images])
    cols = np.array([np.ptp(np.flatnonzero(im.max(axis=0) > 0)) + 1 for im in images])
    assert np.all(np.maximum(rows, cols) == 20)


# ------------------------------------------------------------------------------ the measures --


@pytest.mark.parametrize("width", [2, 4, 6, 8])
def test_stroke_width_is_exact_on_a_band_of_even_width(width):
    assert od.stroke_width(band(width))[0] == pytest.approx(width, abs=1e-12)


@pytest.mark.parametrize("width", [1, 3, 5, 7])
def test_stroke_width_of_an_odd_band_is_w_plus_one_over_w(width):
    assert od.stroke_width(band(width))[0] == pytest.approx(width + 1 / width, abs=1e-12)


def test_stroke_width_of_an_empty_image_is_zero_and_batches_work():
    widths = od.stroke_width(np.stack([np.zeros((28, 28)), band(4)]))
    np.testing.assert_allclose(widths, [0.0, 4.0])


def test_ink_and_grey_shares_count_pixels():
    image = np.zeros((28, 28))
    image[0, :10] = 1.0  # 10 ink pixels
    image[1, :5] = 0.25  # 5 grey ones
    image[2, :3] = 0.5  # 0.5 is ink, not grey
    assert od.ink_share(image)[0] == pytest.approx(13 / 784)
    assert od.grey_share(image)[0] == pytest.approx(5 / 18)
    assert od.grey_share(np.zeros((28, 28)))[0] == 0.0


def test_aspect_ratio_and_centre_offset_of_a_rectangle():
    image = np.zeros((28, 28))
    image[9:19, 12:17] = 1.0  # 10 rows, 5 columns, centre of mass (13.5, 14)
    assert od.aspect_ratio(image)[0] == pytest.approx(0.5)
    assert od.centre_offset(image)[0] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="empty"):
        od.centre_offset(np.zeros((28, 28)))
    with pytest.raises(ValueError, match="empty"):
        od.aspect_ratio(np.zeros((28, 28)))


def test_thicken_grows_a_pixel_into_a_square_and_keeps_grey_levels():
    image = np.zeros((28, 28))
    image[10, 10] = 0.7
    for size in (2, 3):
        thick = od.thicken(image, size)[0]
        assert (thick > 0).sum() == size * size and thick.max() == 0.7
    np.testing.assert_array_equal(od.thicken(image, 1)[0], image)
    # A band gets wider by size - 1 pixels, and so does the stroke-width estimate.
    assert od.stroke_width(od.thicken(band(4), 3))[0] == pytest.approx(6.0)


def test_lower_resolution_keeps_block_means_and_is_idempotent():
    rng = np.random.default_rng(0)
    image = rng.random((28, 28))
    low = od.lower_resolution(image, 2)[0]
    np.testing.assert_allclose(low[::2, ::2], image.reshape(14, 2, 14, 2).mean(axis=(1, 3)))
    np.testing.assert_allclose(low.mean(), image.mean())
    np.testing.assert_allclose(od.lower_resolution(low, 2)[0], low)
    np.testing.assert_array_equal(low[0, 0], low[1, 1])


def test_pen_shift_is_thicken_then_lower_resolution():
    image = band(3)
    expected = od.lower_resolution(od.thicken(image, 2), 2)
    np.testing.assert_array_equal(od.pen_shift(image), expected)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: od.ink_share(np.zeros((28,))), "shaped"),
        (lambda: od.ink_share(np.full((28, 28), 2.0)), r"\[0, 1\]"),
        (lambda: od.grey_share(np.full((28, 28), np.nan)), r"\[0, 1\]"),
        (lambda: od.thicken(np.zeros((28, 28)), 0), "whole number"),
        (lambda: od.thicken(np.zeros((28, 28)), 2.5), "whole number"),
        (lambda: od.lower_resolution(np.zeros((28, 28)), 3), "multiples"),
        (lambda: od.lower_resolution(np.zeros((28, 28)), True), "whole number"),
    ],
)
def test_bad_input_says_what_to_do(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# -------------------------------------------------------------------------------- the figures --


def test_figures_draw_their_numbers_and_carry_alt_text(other):
    images, _, raw = other
    fig = plotting.plot_digit_sets([raw[:10] / 16, images[:10]], ["8 by 8", "28 by 28"])
    assert len(fig.axes) == 20 and "8 by 8 pixels" in get_alt_text(fig)
    ax = plotting.plot_two_test_sets({"MLP": (0.98, 0.8), "CNN": (0.993, 0.944)})
    heights = sorted(round(p.get_height(), 6) for p in ax.patches)
    assert heights == sorted([98.0, 80.0, 99.3, 94.4])
    assert "CNN 99.3 % and 94.4 %" in get_alt_text(ax)
    fig = plotting.plot_measure_histograms({"ink share": (np.r_[0.1, 0.2], np.r_[0.3, 0.4])})
    assert "ink share 0.15 and 0.35" in get_alt_text(fig)
    fig = plotting.plot_remedies({"no remedy": (0.99, 0.94), "pen": (0.993, 0.96)}, chosen="pen")
    assert "pen (chosen)" in [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "chosen remedy pen" in get_alt_text(fig)


def test_figures_refuse_bad_input():
    with pytest.raises(ValueError, match="one label per row"):
        plotting.plot_digit_sets([np.zeros((2, 8, 8))], ["a", "b"])
    with pytest.raises(ValueError, match="between 0 and 1"):
        plotting.plot_two_test_sets({"MLP": (98.0, 80.0)})
    with pytest.raises(ValueError, match="chosen must be one of"):
        plotting.plot_remedies({"pen": (0.9, 0.9)}, chosen="shapes")
