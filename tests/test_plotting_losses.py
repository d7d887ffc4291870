"""Tests of mnist_lessons.plotting.losses: loss curves and the constant fitted under a loss."""

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


def test_loss_curves_draw_each_curve_with_its_label():
    p = np.linspace(0.01, 1, 50)
    curves = {"cross-entropy": -np.log(p), "squared error": (1 - p) ** 2}
    ax = plotting.plot_loss_curves(
        p, curves, xlabel="predicted probability", title="t", ylim=(0, 4)
    )
    assert isinstance(ax, Axes)
    lines = [line for line in ax.get_lines() if line.get_label() in curves]
    assert [line.get_label() for line in lines] == list(curves)
    for line, values in zip(lines, curves.values(), strict=True):
        np.testing.assert_allclose(line.get_xdata(), p)
        np.testing.assert_allclose(line.get_ydata(), values)
    assert ax.get_xlabel() == "predicted probability" and ax.get_ylabel() == "loss"
    assert ax.get_title() == "t" and ax.get_ylim() == (0, 4)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(curves)


def test_loss_curves_reject_a_curve_of_the_wrong_length():
    with pytest.raises(ValueError, match="one value per point"):
        plotting.plot_loss_curves(np.arange(5), {"a": np.arange(4)}, xlabel="x")
    with pytest.raises(ValueError, match="at least one curve"):
        plotting.plot_loss_curves(np.arange(5), {}, xlabel="x")


def test_constant_fit_marks_each_fit_on_the_data_and_on_its_loss():
    y = np.array([1.0, 2.0, 3.0, 10.0])
    c = np.linspace(0, 10, 101)
    losses = {
        "MSE": ((y[None, :] - c[:, None]) ** 2).mean(axis=1),
        "MAE": np.abs(y[None, :] - c[:, None]).mean(axis=1),
    }
    fits = {"MSE": ("mean", y.mean()), "MAE": ("median", np.median(y))}
    fig = plotting.plot_constant_fit(y, c, losses, fits)
    data_ax, mse_ax, mae_ax = fig.axes
    points, mean_line, median_line = data_ax.get_lines()
    np.testing.assert_array_equal(points.get_ydata(), y)
    assert mean_line.get_ydata()[0] == pytest.approx(4.0)
    assert median_line.get_ydata()[0] == pytest.approx(2.5)
    legend = [t.get_text() for t in data_ax.get_legend().get_texts()]
    assert legend == ["data", "MSE: mean = 4.00", "MAE: median = 2.50"]
    for ax, label, (name, value) in ((mse_ax, "MSE", fits["MSE"]), (mae_ax, "MAE", fits["MAE"])):
        curve, marker = ax.get_lines()
        np.testing.assert_allclose(curve.get_ydata(), losses[label])
        assert marker.get_xdata()[0] == pytest.approx(value)
        assert ax.get_ylabel() == f"{label}($c$)"
        assert ax.get_legend().get_texts()[0].get_text() == f"minimum at the {name}"


def test_constant_fit_needs_one_fit_per_loss():
    c = np.linspace(0, 1, 5)
    with pytest.raises(ValueError, match="one fit per loss"):
        plotting.plot_constant_fit([1.0], c, {"MSE": c}, {"MAE": ("median", 1.0)})
    with pytest.raises(ValueError, match="non-empty 1-D"):
        plotting.plot_constant_fit([], c, {"MSE": c}, {"MSE": ("mean", 1.0)})


def test_softmax_jacobian_draws_the_matrix_centred_at_zero_and_the_delta_bars():
    a = np.array([0.7, 0.2, 0.1])
    J = np.diag(a) - np.outer(a, a)  # the closed form, (3, 3)
    delta = a - np.array([0.0, 1.0, 0.0])  # true class 1
    fig = plotting.plot_softmax_jacobian(J, delta, true_class=1)
    image_ax, bar_ax = fig.axes[0], fig.axes[1]
    image = image_ax.get_images()[0]
    np.testing.assert_allclose(image.get_array(), J)
    vmin, vmax = image.get_clim()
    assert vmin == -vmax == -np.abs(J).max()  # symmetric about 0
    bars = bar_ax.patches
    np.testing.assert_allclose([bar.get_height() for bar in bars], delta)
    assert [bar.get_facecolor() for bar in bars].count(bars[1].get_facecolor()) == 1


def test_softmax_jacobian_alone_and_bad_shapes():
    fig = plotting.plot_softmax_jacobian(np.eye(4) / 4 - 1 / 16)
    assert len(fig.axes[0].get_images()) == 1 and not fig.axes[0].patches
    with pytest.raises(ValueError, match="square"):
        plotting.plot_softmax_jacobian(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="one entry per class"):
        plotting.plot_softmax_jacobian(np.zeros((3, 3)), np.zeros(4))
