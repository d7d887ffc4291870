"""Tests of mnist_lessons.plotting.activations and .optimizers: they draw the data given."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from mnist_lessons import plotting
from mnist_lessons.scratch import LANDSCAPES, SGD, Adam, descend


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- plot_gradient_norms -------------------------------------------------------------------


def test_gradient_norms_draw_one_line_per_network_on_a_log_axis():
    norms = {"sigmoid": [1e-6, 1e-4, 1e-2, 1.0], "relu": [0.5, 0.4, 0.3, 0.3]}
    ax = plotting.plot_gradient_norms(norms, title="depth")
    assert isinstance(ax, Axes)
    assert ax.get_yscale() == "log" and ax.get_title() == "depth"
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["sigmoid", "relu"]
    for line, y in zip(lines, norms.values(), strict=True):
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3, 4])  # layers count from 1
        np.testing.assert_array_equal(line.get_ydata(), y)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["sigmoid", "relu"]


@pytest.mark.parametrize(
    ("norms", "message"),
    [({}, "at least one curve"), ({"a": [1.0, 0.0]}, "positive and finite"),
     ({"a": [[1.0]]}, "1-D sequence")],
)  # fmt: skip
def test_gradient_norms_reject_bad_input(norms, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_gradient_norms(norms)


def test_gradient_norms_alt_text_gives_each_line_at_its_first_and_last_layer():
    norms = {"sigmoid": [1e-6, 1e-4, 1e-2, 1.0], "relu": [0.5, 0.4, 0.3]}
    ax = plotting.plot_gradient_norms(norms)
    assert plotting.get_alt_text(ax) == (
        "Line chart of the size of the weight gradient against the layer, 1 to 4, on a "
        "logarithmic scale, 2 lines: sigmoid from 1e-6 at layer 1 to 1 at layer 4; relu from "
        "0.5 at layer 1 to 0.3 at layer 3."
    )
    _, axes = plt.subplots(1, 2)
    plotting.plot_gradient_norms(norms, ax=axes[1])
    assert plotting.get_alt_text(axes[1]) is None  # the chapter describes the whole figure


# --- plot_dead_units -------------------------------------------------------------------------


def test_dead_units_are_drawn_in_percent_from_epoch_0():
    _, ax = plt.subplots()
    shares = {"relu": [0.0, 0.3, 0.32], "leaky": [0.0, 0.0, 0.0]}
    assert plotting.plot_dead_units(shares, ax=ax) is ax
    first, second = ax.get_lines()
    np.testing.assert_array_equal(first.get_xdata(), [0, 1, 2])
    np.testing.assert_allclose(first.get_ydata(), [0, 30, 32])
    np.testing.assert_array_equal(second.get_ydata(), [0, 0, 0])
    assert ax.get_ylabel() == "dead hidden units (%)"
    with pytest.raises(ValueError, match="fractions, not percent"):
        plotting.plot_dead_units({"relu": [0, 30]})


def test_dead_units_alt_text_gives_each_run_from_first_to_last_point_and_its_peak():
    shares = {"relu, η = 1": [0.0, 0.45, 0.4], "relu, η = 0.1": [0.0, 0.002, 0.003]}
    shares["leaky relu"] = [0.0, 0.0, 0.0]
    ax = plotting.plot_dead_units(shares, title="dying")
    assert plotting.get_alt_text(ax) == (
        "Line chart 'dying' of the share of dead hidden units, in percent, against the epoch, "
        "0 to 2, 3 lines: relu, η = 1 from 0% to 40%, at most 45%; relu, η = 0.1 from 0% to "
        "0.3%; leaky relu at 0% throughout."
    )
    assert plotting.get_alt_text(plotting.plot_dead_units({"relu": [0.5]})).endswith(
        "against the epoch, 0 to 0, 1 line: relu at 50% throughout."
    )


# --- plot_optimizer_paths ------------------------------------------------------------------


def test_optimizer_paths_draw_each_path_its_end_the_start_and_the_minima():
    f, grad, minima = LANDSCAPES["valley"]
    paths = {
        "SGD": descend(grad, [-9.0, 1.5], SGD(0.45), 20),
        "Adam": descend(grad, [-9.0, 1.5], Adam(0.3), 20),
    }
    ax = plotting.plot_optimizer_paths(
        f, paths, xlim=(-10, 2), ylim=(-2, 2), minima=minima, title="valley"
    )
    lines = {line.get_label(): line for line in ax.get_lines()}
    for name, path in paths.items():
        np.testing.assert_array_equal(lines[name].get_xdata(), path[:, 0])
        np.testing.assert_array_equal(lines[name].get_ydata(), path[:, 1])
        assert lines[name].get_color() == plotting.OPTIMIZER_COLOURS[name]
    np.testing.assert_array_equal(lines["start"].get_xydata(), [[-9.0, 1.5]])
    np.testing.assert_array_equal(lines["minimum"].get_xydata(), minima)
    assert ax.get_xlim() == (-10, 2) and ax.get_title() == "valley"
    assert ax.collections  # the contours


def test_optimizer_paths_reject_bad_paths():
    f = LANDSCAPES["saddle"][0]
    with pytest.raises(ValueError, match="at least one path"):
        plotting.plot_optimizer_paths(f, {}, xlim=(-1, 1), ylim=(-1, 1))
    with pytest.raises(ValueError, match=r"'SGD' must be shaped \(steps \+ 1, 2\)"):
        plotting.plot_optimizer_paths(f, {"SGD": np.zeros((5, 3))}, xlim=(-1, 1), ylim=(-1, 1))


def test_optimizer_paths_alt_text_says_where_each_path_ends():
    f, _, minima = LANDSCAPES["valley"]  # one minimum, at (0, 0)
    paths = {"SGD": np.array([[-3.0, 4.0], [0.0, 0.5]]), "Adam": np.array([[-3.0, 4.0]])}
    ax = plotting.plot_optimizer_paths(f, paths, xlim=(-4, 1), ylim=(-1, 5), minima=minima)
    assert plotting.get_alt_text(ax) == (
        "Contour map over x from -4 to 1 and y from -1 to 5, with the paths of 2 optimizers "
        "from the start (-3, 4) and 1 minimum marked: SGD ends 0.5 from it; Adam ends 5 from it."
    )
    ax = plotting.plot_optimizer_paths(f, {"SGD": paths["SGD"]}, xlim=(-4, 1), ylim=(-1, 5))
    assert plotting.get_alt_text(ax).endswith(
        "1 optimizer from the start (-3, 4): SGD ends at (0, 0.5)."
    )
    _, axes = plt.subplots(1, 2)
    plotting.plot_optimizer_paths(f, paths, xlim=(-4, 1), ylim=(-1, 5), ax=axes[0])
    assert plotting.get_alt_text(axes[0]) is None  # the chapter describes the whole figure


# --- plot_optimizer_curves -----------------------------------------------------------------


def test_optimizer_curves_draw_one_panel_per_optimizer_one_line_per_rate():
    curves = {
        "SGD": {"η = 0.01": [0.7, 0.8, 0.85], "η = 0.1": [0.86, 0.9, 0.92]},
        "Adam": {"η = 0.001": [0.88, 0.93, 0.94]},
    }
    curves["RMSProp"] = {"η = 0.001": [0.9, 0.92, 0.93]}
    fig = plotting.plot_optimizer_curves(curves, ylabel="validation accuracy", ncols=2)
    assert isinstance(fig, Figure)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(fig.axes) == 4  # a 2 x 2 grid, the last cell hidden
    assert [ax.get_title() for ax in visible] == ["SGD", "Adam", "RMSProp"]
    assert [ax.get_ylabel() for ax in visible] == [
        "validation accuracy",
        "",
        "validation accuracy",
    ]
    for ax, runs in zip(visible, curves.values(), strict=True):
        lines = ax.get_lines()
        assert [line.get_label() for line in lines] == list(runs)
        for line, y in zip(lines, runs.values(), strict=True):
            np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3])
            np.testing.assert_array_equal(line.get_ydata(), y)
    with pytest.raises(ValueError, match="at least one curve"):
        plotting.plot_optimizer_curves({"SGD": {}}, ylabel="loss")


def test_optimizer_curves_alt_text_names_the_highest_and_lowest_last_values():
    curves = {
        "SGD": {"η = 0.1": [0.86, 0.92], "η = 1": [0.1, 0.11]},
        "Adam": {"η = 0.001": [0.9, 0.95]},
    }
    fig = plotting.plot_optimizer_curves(curves, ylabel="validation accuracy")
    assert plotting.get_alt_text(fig) == (
        "2 line charts of validation accuracy against epoch 1 to 2, one per optimizer (SGD, "
        "Adam), with one line per run: highest last value 0.95, Adam with η = 0.001; lowest "
        "last value 0.11, SGD with η = 1."
    )


# --- plot_activation_spread ----------------------------------------------------------------


def test_activation_spread_draws_one_line_per_network_on_a_log_axis():
    stds = {"relu, He": [0.9, 0.8, 0.85], "relu, small": [0.1, 1e-3, 1e-5]}
    ax = plotting.plot_activation_spread(stds, title="init")
    assert ax.get_yscale() == "log" and ax.get_title() == "init"
    assert "std" in ax.get_ylabel()
    for line, y in zip(ax.get_lines(), stds.values(), strict=True):
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3])  # layers count from 1
        np.testing.assert_array_equal(line.get_ydata(), y)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(stds)


def test_activation_spread_alt_text_names_the_hidden_layers_and_each_line_s_ends():
    stds = {"relu, He": [0.9, 0.8, 0.85], "relu, small": [0.1, 1e-3, 1.2e-5]}
    ax = plotting.plot_activation_spread(stds, title="$\\eta = 0.1$")
    assert plotting.get_alt_text(ax) == (
        "Line chart 'η = 0.1' of the standard deviation of the activations against the hidden "
        "layer, 1 to 3, on a logarithmic scale, 2 lines: relu, He from 0.9 at layer 1 to 0.85 "
        "at layer 3; relu, small from 0.1 at layer 1 to 1.2e-5 at layer 3."
    )


def test_activation_spread_rejects_zero_spread():
    with pytest.raises(ValueError, match="Standard deviations must be positive"):
        plotting.plot_activation_spread({"dead": [0.5, 0.0]})


# --- plot_step_curves ---------------------------------------------------------------------


def test_step_curves_draw_each_curve_from_its_first_step():
    curves = {"constant": [0.1, 0.1, 0.1], "AdaGrad": [1.0, 0.5, 0.25]}
    ax = plotting.plot_step_curves(curves, ylabel="rate", first_step=1, logx=True, logy=True)
    assert isinstance(ax, Axes)
    assert ax.get_xscale() == ax.get_yscale() == "log" and ax.get_ylabel() == "rate"
    first, second = ax.get_lines()
    np.testing.assert_array_equal(first.get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(second.get_ydata(), [1.0, 0.5, 0.25])
    assert second.get_color() == plotting.OPTIMIZER_COLOURS["AdaGrad"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["constant", "AdaGrad"]


@pytest.mark.parametrize(
    ("curves", "message"), [({}, "at least one curve"), ({"a": [[1.0]]}, "one value per step")]
)
def test_step_curves_reject_bad_input(curves, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_step_curves(curves, ylabel="y")


def test_step_curves_alt_text_gives_each_curve_first_and_last_value():
    curves = {"constant": [0.4, 0.4, 0.4], "cosine": [0.4, 0.2, 1e-5]}
    ax = plotting.plot_step_curves(curves, ylabel=r"rate $\eta(s)$", logy=True, title="t")
    assert plotting.get_alt_text(ax) == (
        "Line chart 't' of rate η(s) against the step, 0 to 2, log scale for rate η(s), "
        "2 lines: constant from 0.4 to 0.4; cosine from 0.4 to 1e-5."
    )
