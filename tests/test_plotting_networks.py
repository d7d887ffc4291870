"""Tests of mnist_lessons.plotting.networks: kernels, feature maps, rows, codes, ODE fits."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

from mnist_lessons import plotting


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


RNG = np.random.default_rng(0)
DIGITS = RNG.random((3, 28, 28))


def test_convolution_draws_the_digit_then_kernel_and_map_per_name():
    K = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])
    z = RNG.normal(size=(26, 26))
    fig = plotting.plot_convolution(DIGITS[0], {"a": (K, z), "b": (-K, -z)})
    assert len(fig.axes) == 5
    # the kernel is on a colour scale symmetric about 0, with its values written on it
    image = fig.axes[1].images[0]
    assert image.get_clim() == (-2.0, 2.0)
    assert len(fig.axes[1].texts) == 9
    np.testing.assert_array_equal(fig.axes[2].images[0].get_array(), z)


def test_kernels_one_axes_each_with_symmetric_scale():
    kernels = RNG.normal(size=(10, 3, 3))
    fig = plotting.plot_kernels(kernels, ncols=4)
    assert len(fig.axes) == 10
    for ax, k in zip(fig.axes, kernels, strict=True):
        low, high = ax.images[0].get_clim()
        assert low == -high == pytest.approx(-np.abs(k).max())
    with pytest.raises(ValueError, match="one title per kernel"):
        plotting.plot_kernels(kernels, titles=["a"])


def test_feature_maps_digit_then_each_channel():
    maps = RNG.random((14, 14, 6))
    fig = plotting.plot_feature_maps(DIGITS[0], maps, ncols=3)
    assert len(fig.axes) == 7
    np.testing.assert_array_equal(fig.axes[3].images[0].get_array(), maps[..., 2])
    with pytest.raises(ValueError, match="3 axes"):
        plotting.plot_feature_maps(DIGITS[0], maps[..., 0])


def test_row_confidence_plots_the_true_class_probability_per_model():
    p = RNG.dirichlet(np.ones(10), size=(3, 28))  # (3, 28, 10)
    labels = np.array([4, 0, 9])
    fig = plotting.plot_row_confidence(DIGITS, labels, {"rnn": p, "lstm": p[:, :, ::-1]})
    assert len(fig.axes) == 6
    curves = fig.axes[4].get_lines()  # second digit's panel: axes are row-major
    assert [line.get_label() for line in curves] == ["rnn", "lstm"]
    np.testing.assert_array_equal(curves[0].get_xdata(), np.arange(1, 29))
    np.testing.assert_allclose(curves[0].get_ydata(), p[1, :, 0])
    np.testing.assert_allclose(curves[1].get_ydata(), p[1, :, 9])
    with pytest.raises(ValueError, match="one label per image"):
        plotting.plot_row_confidence(DIGITS, labels[:2], {"rnn": p})


def test_image_rows_one_row_per_name_with_its_label():
    x = RNG.random((5, 784))
    fig = plotting.plot_image_rows({"original": x, "reconstructed": x * 0.5})
    assert len(fig.axes) == 10
    assert fig.axes[0].get_ylabel() == "original"
    assert fig.axes[5].get_ylabel() == "reconstructed"
    np.testing.assert_allclose(fig.axes[6].images[0].get_array(), (x[1] * 0.5).reshape(28, 28))
    with pytest.raises(ValueError, match="same number"):
        plotting.plot_image_rows({"a": x, "b": x[:3]})


def test_latent_space_one_scatter_per_digit():
    z = RNG.normal(size=(200, 2))
    labels = RNG.integers(0, 10, 200)
    ax = plotting.plot_latent_space(z, labels)
    assert isinstance(ax, Axes)
    assert len(ax.collections) == len(np.unique(labels))
    assert sum(len(c.get_offsets()) for c in ax.collections) == 200
    assert ax.get_xlabel() == "$z_1$"
    with pytest.raises(ValueError, match="latent_dim=2"):
        plotting.plot_latent_space(RNG.normal(size=(5, 3)), labels[:5])


def test_ode_fits_curves_and_absolute_errors():
    t = np.linspace(0, 1, 50)
    exact = np.cos(5 * t)
    fig = plotting.plot_ode_fits(
        t, exact, {"pinn": exact + 0.01, "plain": 0 * t}, t[:5], exact[:5]
    )
    left, right = fig.axes
    assert right.get_yscale() == "log"
    errors = {line.get_label(): line.get_ydata() for line in right.get_lines()}
    np.testing.assert_allclose(errors["pinn"], 0.01, rtol=1e-6)
    np.testing.assert_allclose(errors["plain"], np.abs(exact) + 1e-12)
    assert "measurements" in [line.get_label() for line in left.get_lines()]


def test_receptive_fields_one_square_per_layer_in_pixels():
    squares = {"conv_1": (12, 3), "pool_1": (11, 4), "pool_3": (1, 22)}
    ax = plotting.plot_receptive_fields(DIGITS[0], squares)
    assert isinstance(ax, Axes)
    patches = ax.patches
    assert len(patches) == 3
    # each square covers its pixels exactly: pixel centres corner .. corner + side - 1
    assert patches[2].get_xy() == (0.5, 0.5)
    assert patches[2].get_width() == patches[2].get_height() == 22
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "conv_1: 3 \N{MULTIPLICATION SIGN} 3",
        "pool_1: 4 \N{MULTIPLICATION SIGN} 4",
        "pool_3: 22 \N{MULTIPLICATION SIGN} 22",
    ]


def test_shift_accuracy_mean_line_and_band_per_model():
    acc = np.array([[0.99, 0.99], [0.9, 0.8], [0.5, 0.7]])
    ax = plotting.plot_shift_accuracy([0, 1, 2], {"MLP": acc, "CNN": acc + 0.01})
    assert len(ax.lines) == 2 and len(ax.collections) == 2
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [99.0, 85.0, 60.0])
    with pytest.raises(ValueError, match="shifts, directions"):
        plotting.plot_shift_accuracy([0, 1], {"MLP": acc})


# --- alt text: each figure says what it draws, with the numbers of its data -----------------


def test_convolution_alt_text_names_kernels_sizes_and_range():
    K = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])
    z = np.zeros((26, 26))
    z[3, 4], z[5, 6] = -2.5, 1.25
    fig = plotting.plot_convolution(DIGITS[0], {"a": (K, z), "b": (-K, z / 5)})
    assert plotting.get_alt_text(fig) == (
        "A 28 by 28 digit, then 2 kernels of 3 by 3 weights (a and b), each with its weights "
        "written on it, followed by the 26 by 26 feature map it makes; red is positive, blue "
        "negative, white 0, and the maps run from -2.5 to 1.2."
    )
    # names too long for a screen reader are left out, and the text stays within the limit
    long = {f"kernel number {i} " * 3: (K, z) for i in range(4)}
    text = plotting.get_alt_text(plotting.plot_convolution(DIGITS[0], long))
    assert text.startswith("A 28 by 28 digit, then 4 kernels of 3 by 3 weights, each")
    assert len(text) <= 250


def test_kernels_alt_text_grid_range_and_largest_kernel():
    kernels = np.zeros((10, 3, 3))
    kernels[2, 0, 0], kernels[7, 1, 1] = 0.5, -0.75
    fig = plotting.plot_kernels(kernels, ncols=4)
    assert plotting.get_alt_text(fig) == (
        "10 grids of 3 by 3 weights drawn as images in 3 rows of up to 4, each on its own "
        "colour scale, red positive, blue negative; the weights run from -0.75 to 0.5, the "
        "largest in size, 0.75, in 'filter 7'."
    )


def test_feature_maps_alt_text_strongest_and_blank_maps():
    maps = np.zeros((14, 14, 6))
    maps[2, 2, 1], maps[5, 5, 4] = 3.0, 0.5
    fig = plotting.plot_feature_maps(DIGITS[0], maps, ncols=3)
    assert plotting.get_alt_text(fig) == (
        "A 28 by 28 digit and the 6 feature maps, 14 by 14 each, that a layer makes of it, in "
        "2 rows of 3, white 0 and black each map's largest value; 'map 1' responds most, up to "
        "3, and 4 of the 6 maps are blank, with no value above 0."
    )
    maps += 0.25  # no blank map: the weakest is named instead
    text = plotting.get_alt_text(plotting.plot_feature_maps(DIGITS[0], maps, ncols=3))
    assert text.endswith("'map 1' responds most, up to 3.2, 'map 0' least, up to 0.25.")


def test_row_confidence_alt_text_gives_the_last_row_probabilities():
    p = np.full((3, 28, 10), 0.1)
    labels = np.array([4, 0, 9])
    p[0, -1, 4], p[1, -1, 0], p[2, -1, 9] = 0.95, 0.5, 0.99
    fig = plotting.plot_row_confidence(DIGITS, labels, {"rnn": p, "lstm": p * 0 + 0.8})
    assert plotting.get_alt_text(fig) == (
        "3 digits (labels 4, 0 and 9), each above a line chart of the probability that rnn and "
        "lstm give the true digit after reading 1 to 28 rows; after the last row it is 0.50 to "
        "0.99 for rnn and 0.80 for lstm."
    )


def test_image_rows_alt_text_difference_from_the_first_row():
    x = np.zeros((5, 784))
    fig = plotting.plot_image_rows({"original": x, "noisy": x + 0.25, "clean": x + 0.01})
    assert plotting.get_alt_text(fig) == (
        "3 rows of 5 digit images, labelled original, noisy and clean; the mean absolute pixel "
        "difference from the 'original' row is 0.25 for 'noisy' and 0.01 for 'clean' (pixels "
        "from 0, no ink, to 1, full ink)."
    )
    ramp = np.linspace(0, 1, 4)[:, None] * np.ones((4, 784))  # from white to black
    text = plotting.get_alt_text(plotting.plot_image_rows({"decoded": ramp}))
    assert text == (
        "One row of 4 digit images, labelled 'decoded'; the mean pixel value "
        "(0 no ink, 1 full ink) is 0.00 in the first and 1.00 in the last."
    )


def test_latent_space_alt_text_ranges_and_nearest_and_farthest_medians():
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 1.0], [4.0, 4.0]])  # digits 0 to 3
    labels = np.repeat(np.arange(4), 5)
    z = centres[labels] + np.tile([[-1, 0], [1, 0], [0, -1], [0, 1], [0, 0]], (4, 1))
    ax = plotting.plot_latent_space(z, labels)
    assert plotting.get_alt_text(ax) == (
        "Scatter plot of 20 two-number codes (z1 from -1 to 11, z2 from -1 to 5) coloured by "
        "digit, 0 to 3, each digit written at its median; the medians of 0 and 2 are closest, "
        "those of 1 and 2 farthest apart."
    )


def test_ode_fits_alt_text_data_interval_and_largest_errors():
    t = np.linspace(0, 2, 21)
    exact = np.cos(t)
    fig = plotting.plot_ode_fits(
        t, exact, {"PINN": exact + 0.01, "plain": exact - 0.5}, t[:6], exact[:6]
    )
    assert plotting.get_alt_text(fig) == (
        "Left: the exact solution, PINN and plain against time t from 0 to 2, with 6 "
        "measurements for t from 0 to 0.5 (shaded); right: their absolute errors on a log "
        "scale, at most 0.01 for PINN and 0.5 for plain."
    )
    # the measurements' marker faces are set, not 'auto', so the dark variant lightens them
    (dots,) = [line for line in fig.axes[0].get_lines() if line.get_label() == "measurements"]
    assert dots.get_markerfacecolor() == "black"


def test_receptive_fields_alt_text_lists_each_layer_and_says_nested():
    squares = {"conv_1": (12, 3), "pool_1": (11, 4), "pool_3": (1, 22)}
    ax = plotting.plot_receptive_fields(DIGITS[0], squares)
    assert plotting.get_alt_text(ax) == (
        "A 28 by 28 digit with 3 nested squares, the receptive field of one unit per layer: "
        "conv_1 3 by 3, pool_1 4 by 4 and pool_3 22 by 22 pixels."
    )
    apart = plotting.plot_receptive_fields(DIGITS[0].ravel(), {"a": (0, 3), "b": (10, 3)})
    assert plotting.get_alt_text(apart).startswith("A 28 by 28 digit with 2 squares,")


def test_shift_accuracy_alt_text_gives_each_models_mean_at_both_ends():
    acc = np.array([[0.99, 0.99], [0.9, 0.8], [0.5, 0.7]])
    ax = plotting.plot_shift_accuracy([0, 1, 2], {"MLP": acc, "CNN": acc + 0.01})
    assert plotting.get_alt_text(ax) == (
        "Line chart of accuracy against a shift of 0 to 2 pixels, a line per model (mean of 2 "
        "directions) in a band from worst to best direction; mean accuracy at 0 and 2 pixels: "
        "MLP 99.0% and 60.0%; CNN 100.0% and 61.0%."
    )


@pytest.mark.parametrize("n", [1, 3, 40])
def test_alt_texts_stay_short_for_any_number_of_panels(n):
    names = {f"a rather long model name {i}": RNG.random((3, 2)) for i in range(n)}
    ax = plotting.plot_shift_accuracy([0, 1, 2], names)
    assert 20 <= len(plotting.get_alt_text(ax)) <= 250
    fig = plotting.plot_kernels(RNG.normal(size=(n, 5, 5)), titles=["x" * 80] * n)
    assert 20 <= len(plotting.get_alt_text(fig)) <= 250
    rows = plotting.plot_image_rows({f"row name {i} " * 4: RNG.random((2, 784)) for i in range(n)})
    assert 20 <= len(plotting.get_alt_text(rows)) <= 250
