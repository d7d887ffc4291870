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
