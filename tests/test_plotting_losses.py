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


# --- alt text -----------------------------------------------------------------------------


def test_loss_curves_describe_their_own_figure_but_not_a_panel_of_another():
    r = np.array([-3.0, 0.0, 3.0])
    curves = {"squared error $r^2$": r**2, r"$\partial \ell / \partial a$": 2 * r}
    ax = plotting.plot_loss_curves(r, curves, xlabel="residual $r$", title="loss")
    assert plotting.get_alt_text(ax) == (
        "Line chart 'loss' of loss against residual r from -3 to 3, 2 lines: "
        "squared error r^2 between 0 and 9; ∂ \N{SCRIPT SMALL L} / ∂ a between -6 and 6."
    )
    _, axes = plt.subplots(1, 2)
    plotting.plot_loss_curves(r, curves, ax=axes[0], xlabel="r")
    assert plotting.get_alt_text(axes[0]) is None  # the chapter describes the whole figure


def test_loss_curves_alt_text_names_values_that_are_not_finite_and_stays_short():
    x = np.arange(3.0)
    ax = plotting.plot_loss_curves(x, {"diverged": [1.0, np.inf, np.nan]}, xlabel="epoch")
    assert "diverged 1 (some values not finite)" in plotting.get_alt_text(ax)
    many = {f"a rather long label number {i}": x * i for i in range(20)}
    text = plotting.get_alt_text(plotting.plot_loss_curves(x, many, xlabel="epoch"))
    assert len(text) <= plotting.ALT_TEXT_MAX and text.endswith("more.")
    assert (
        "20 lines: a rather long label number 0 0; a rather long label number 1 between 0 and 2"
        in text
    )
    assert "a rather long label number 19 " not in text


def test_constant_fit_alt_text_gives_the_data_and_each_fit():
    y = np.array([1.0, 2.0, 3.0, 10.0])
    c = np.linspace(0, 10, 101)
    losses = {
        "MSE": ((y[None, :] - c[:, None]) ** 2).mean(axis=1),
        "MAE": np.abs(y[None, :] - c[:, None]).mean(axis=1),
    }
    fits = {"MSE": ("mean", 4.0), "MAE": ("median", 2.5)}
    fig = plotting.plot_constant_fit(y, c, losses, fits)
    assert plotting.get_alt_text(fig) == (
        "3 panels. Left, 4 targets between 1 and 10, with the constant fitted under each "
        "loss as a line (MSE mean 4; MAE median 2.5). Then each loss against the constant c "
        "from 0 to 10, its fit dashed: MSE lowest 12.5; MAE lowest 2.5."
    )


def test_softmax_jacobian_alt_text_gives_the_diagonal_and_the_true_class_delta():
    a = np.array([0.7, 0.2, 0.1])
    J = np.diag(a) - np.outer(a, a)  # diagonal 0.21, 0.16, 0.09
    delta = a - np.array([0.0, 1.0, 0.0])
    fig = plotting.plot_softmax_jacobian(J, delta, true_class=1)
    assert plotting.get_alt_text(fig) == (
        "Heat map of a 3 by 3 softmax Jacobian, red positive, blue negative: diagonal between "
        "0.09 and 0.21, off the diagonal between -0.14 and -0.02. Beside it, bars of delta for "
        "the 3 classes, between -0.8 and 0.7; the true class 1 (orange) at -0.8, the others "
        "between 0.1 and 0.7."
    )
    alone = plotting.plot_softmax_jacobian(np.eye(2) / 4)
    assert plotting.get_alt_text(alone).endswith("diagonal 0.25, off the diagonal 0.")
