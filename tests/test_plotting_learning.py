"""Tests of mnist_lessons.plotting.learning: descent paths, loss surface, gradient-check bars."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

from mnist_lessons import plotting

SCALES = np.array([1.0, 10.0])


def _loss_1d(w):
    return w**2


def _loss_2d(w):
    return 0.5 * np.sum(SCALES * np.asarray(w) ** 2, axis=-1)


def _descend(grad, w0, eta, steps):
    w = [np.asarray(w0, dtype=float)]
    for _ in range(steps):
        w.append(w[-1] - eta * grad(w[-1]))
    return np.array(w)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_descent_1d_draws_the_curve_and_each_path():
    slow = _descend(lambda w: 2 * w, 1.5, 0.1, 5)
    wild = _descend(lambda w: 2 * w, 1.5, 1.2, 5)  # |1 - 2 eta| > 1: leaves the window
    fig = plotting.plot_descent_1d(_loss_1d, {"slow": slow, "wild": wild}, xlim=(-2, 2))
    slow_ax, wild_ax = fig.axes
    curve, path, start = slow_ax.get_lines()
    np.testing.assert_allclose(curve.get_ydata(), curve.get_xdata() ** 2)
    np.testing.assert_allclose(path.get_xdata(), slow)
    np.testing.assert_allclose(path.get_ydata(), slow**2)
    assert start.get_xdata()[0] == 1.5
    assert slow_ax.get_title() == "slow" and slow_ax.get_xlabel() == "weight $w$"
    assert slow_ax.get_ylabel() == "loss $E(w)$"
    # The wild path is drawn up to its first point outside the window, and the title says so.
    first_outside = np.flatnonzero(np.abs(wild) > 2)[0]
    assert first_outside < len(wild) - 1
    np.testing.assert_allclose(wild_ax.get_lines()[1].get_xdata(), wild[: first_outside + 1])
    assert wild_ax.get_title() == "wild\n(leaves the plot)"


def test_descent_2d_draws_contours_and_the_path():
    grad = lambda w: SCALES * w  # noqa: E731
    paths = {f"eta {eta}": _descend(grad, [-3, 1], eta, 10) for eta in (0.05, 0.15)}
    fig = plotting.plot_descent_2d(_loss_2d, paths, xlim=(-4, 4), ylim=(-2, 2), ncols=2)
    assert len(fig.axes) == 2
    for ax, (title, w) in zip(fig.axes, paths.items(), strict=True):
        assert ax.get_title() == title  # both stay in the window
        path = ax.get_lines()[0]
        np.testing.assert_allclose(path.get_xdata(), w[:, 0])
        np.testing.assert_allclose(path.get_ydata(), w[:, 1])
        assert ax.collections, "no contours drawn"
        assert ax.get_xlabel() == "$w_1$" and ax.get_ylabel() == "$w_2$"
        assert ax.get_xlim() == (-4, 4) and ax.get_aspect() == 1.0


def test_descent_2d_cuts_a_path_that_leaves_the_window():
    w = _descend(lambda w: SCALES * w, [-3, 1], 0.25, 10)  # |1 - 2.5| = 1.5: w_2 diverges
    fig = plotting.plot_descent_2d(_loss_2d, {"wild": w}, xlim=(-4, 4), ylim=(-2, 2))
    (ax,) = fig.axes
    first_outside = np.flatnonzero(np.abs(w[:, 1]) > 2)[0]
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), w[: first_outside + 1, 1])
    assert ax.get_title() == "wild\n(leaves the plot)"


def test_descent_rejects_badly_shaped_paths():
    with pytest.raises(ValueError, match=r"\(steps \+ 1, 2\)"):
        plotting.plot_descent_2d(_loss_2d, {"a": np.zeros(3)}, xlim=(0, 1), ylim=(0, 1))
    with pytest.raises(ValueError, match=r"\(steps \+ 1,\)"):
        plotting.plot_descent_1d(_loss_1d, {"a": np.zeros((3, 2))})
    with pytest.raises(ValueError, match="at least one trajectory"):
        plotting.plot_descent_1d(_loss_1d, {})


def test_loss_surface_is_3d_with_the_path_on_the_surface():
    w = _descend(lambda w: SCALES * w, [-3, 1], 0.1, 8)
    ax = plotting.plot_loss_surface(_loss_2d, xlim=(-4, 4), ylim=(-2, 2), trajectory=w)
    assert ax.name == "3d"
    assert ax.get_zlabel() == "loss $E$"
    (path,) = ax.get_lines()
    xs, ys, zs = path.get_data_3d()
    np.testing.assert_allclose(xs, w[:, 0])
    np.testing.assert_allclose(ys, w[:, 1])
    # Drawn a hair above the surface (1 % of its height) so it is not hidden in it.
    top = _loss_2d(np.array([4.0, 2.0]))
    np.testing.assert_allclose(zs, _loss_2d(w) + 0.01 * top, rtol=1e-6)


def test_loss_surface_needs_3d_axes():
    _, flat = plt.subplots()
    with pytest.raises(ValueError, match="projection='3d'"):
        plotting.plot_loss_surface(_loss_2d, xlim=(0, 1), ylim=(0, 1), ax=flat)


def test_gradcheck_bars_on_a_log_axis_with_the_threshold():
    errors = {"W1": 3e-9, "b1": 1e-11, "W2": 0.0}
    ax = plotting.plot_gradcheck(errors, threshold=1e-6)
    assert isinstance(ax, Axes) and ax.get_yscale() == "log"
    heights = [bar.get_height() for bar in ax.patches]
    np.testing.assert_allclose(heights, [3e-9, 1e-11, 1e-16])  # 0 at the axis' floor
    assert [t.get_text() for t in ax.get_xticklabels()] == ["W1", "b1", "W2"]
    (threshold,) = ax.get_lines()
    assert threshold.get_ydata()[0] == 1e-6
    low, high = ax.get_ylim()
    assert low <= 1e-16 and high >= 1e-6


@pytest.mark.parametrize("errors", [{}, {"W1": -1.0}, {"W1": np.nan}], ids=["none", "neg", "nan"])
def test_gradcheck_rejects_bad_errors(errors):
    with pytest.raises(ValueError):
        plotting.plot_gradcheck(errors)


def test_mark_rate_drops_draws_a_line_before_each_lower_rate():
    history = {
        "loss": [0.5, 0.3, 0.2, 0.15, 0.1],
        "accuracy": [0.8, 0.9, 0.93, 0.95, 0.96],
        "val_loss": [0.4, 0.3, 0.35, 0.3, 0.32],
        "val_accuracy": [0.85, 0.9, 0.89, 0.91, 0.9],
        "learning_rate": [1e-3, 1e-3, 5e-4, 5e-4, 2.5e-4],
    }
    fig = plotting.plot_history(history)
    axes = plotting.mark_rate_drops(fig.axes, history)
    assert axes == fig.axes
    for ax in axes:
        lines = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
        assert [line.get_xdata()[0] for line in lines] == [2.5, 4.5]  # before epochs 3 and 5
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert labels.count("learning rate lowered") == 1
    # A single Axes works too, and a constant rate draws nothing.
    _, ax = plt.subplots()
    plotting.mark_rate_drops(ax, dict(history, learning_rate=[1e-3] * 5))
    assert ax.get_lines() == []
    with pytest.raises(ValueError, match="at least one Axes"):
        plotting.mark_rate_drops([], history)


def test_mark_rate_drops_adds_the_drops_to_the_alt_text():
    history = {
        "loss": [0.5, 0.3, 0.2],
        "accuracy": [0.8, 0.9, 0.93],
        "val_loss": [0.4, 0.3, 0.35],
        "val_accuracy": [0.85, 0.9, 0.89],
        "learning_rate": [1e-3, 5e-4, 2.5e-4],
    }
    fig = plotting.plot_history(history)
    before = plotting.get_alt_text(fig)
    plotting.mark_rate_drops(fig.axes, history)
    assert plotting.get_alt_text(fig) == (
        f"{before} Dotted lines: learning rate lowered before epochs 2, 3."
    )
    _, ax = plt.subplots()
    plotting.mark_rate_drops(ax, history)
    assert plotting.get_alt_text(ax) == (
        "Learning curves against the epoch. Dotted lines: learning rate lowered before epochs "
        "2, 3."
    )
    # With a long description already, the drops are counted instead of listed.
    plotting.alt_text(ax, "x" * (plotting.ALT_TEXT_MAX - 60))
    halving = {"val_loss": [1.0] * 6, "val_accuracy": [0.5] * 6}
    halving["learning_rate"] = [1.0, 0.5, 0.25, 0.125, 0.0625, 0.03125]
    plotting.mark_rate_drops(ax, halving)
    assert plotting.get_alt_text(ax).endswith(
        " Dotted lines: 5 learning-rate drops, from epoch 2."
    )


# Alt text: each function describes its own figure from the paths it draws.


def test_descent_1d_alt_text_says_where_each_path_ends():
    paths = {
        "small": _descend(lambda w: 2 * w, 1.5, 0.25, 2),
        "large": _descend(lambda w: 2 * w, 1.5, 1.5, 2),
    }
    fig = plotting.plot_descent_1d(_loss_1d, paths, xlim=(-2, 2))
    assert plotting.get_alt_text(fig) == (
        "2 panels, each a loss curve of one weight w (-2 to 2) with a gradient descent path on "
        "it, all 2 steps from 1.5: small ends at 0.375; large leaves the plot."
    )


def test_descent_2d_alt_text_gives_each_start_when_they_differ():
    grad = lambda w: SCALES * w  # noqa: E731
    paths = {"a": _descend(grad, [-1.0, 0.5], 0.1, 1), "b": _descend(grad, [2.0, 0.0], 0.5, 3)}
    fig = plotting.plot_descent_2d(_loss_2d, paths, xlim=(-3, 3), ylim=(-1, 1))
    assert plotting.get_alt_text(fig) == (
        "2 contour maps of a loss of two weights (w1, w2), each with a gradient descent path "
        "and a star at (0, 0): a 1 step from (-1, 0.5), ends at (-0.9, 0); b 3 steps from "
        "(2, 0), ends at (0.25, 0)."
    )


def test_descent_alt_text_drops_the_last_paths_when_too_long():
    paths = {f"learning rate number {i}": np.linspace(1.0, 0.1, 5) for i in range(12)}
    text = plotting.get_alt_text(plotting.plot_descent_1d(_loss_1d, paths))
    assert len(text) <= plotting.ALT_TEXT_MAX and text.endswith("; …")
    assert "learning rate number 0 ends at 0.1" in text


def test_loss_surface_alt_text_gives_the_range_and_the_path():
    path = np.array([[2.0, 1.0], [1.0, 0.0]])
    ax = plotting.plot_loss_surface(_loss_2d, xlim=(-2, 2), ylim=(-1, 1), trajectory=path)
    assert plotting.get_alt_text(ax) == (
        "3-D surface of a loss over two weights, w1 from -2 to 2 and w2 from -1 to 1; its height "
        "runs from 0 to 7. A red path of 2 points runs from (2, 1) to (1, 0), its loss from 7 "
        "to 0.5."
    )


def test_loss_surface_alt_text_writes_large_heights_in_full():
    ax = plotting.plot_loss_surface(lambda w: 100 * _loss_2d(w), xlim=(-5, 5), ylim=(-2, 2))
    assert plotting.get_alt_text(ax).endswith("its height runs from 0 to 3,250.")


def test_gradcheck_alt_text_gives_the_largest_error_and_the_verdict():
    ax = plotting.plot_gradcheck({"W": 1e-9, "b": 3e-8})
    assert plotting.get_alt_text(ax) == (
        "Bar chart, on a log axis, of the relative error between backpropagation and finite "
        "differences for 2 parameters: all 2 below the threshold 1e-06; the largest, 3.0e-08, "
        "is for b."
    )
    ax = plotting.plot_gradcheck({"W": 1e-9, "b": 3e-3})
    assert "1 of 2 at or above the threshold 1e-06" in plotting.get_alt_text(ax)
