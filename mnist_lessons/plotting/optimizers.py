"""Figures of the chapter on optimizers: paths on 2-D test functions, training curves.

Matplotlib only. :func:`plot_optimizer_paths` and :func:`plot_step_curves` (a learning-rate
schedule, a distance or a step length against the step) take ``ax=None`` and return the Axes;
:func:`plot_optimizer_curves` returns the Figure. The 3-D surface is drawn by
:func:`mnist_lessons.plotting.learning.plot_loss_surface`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import matplotlib.pyplot as plt
import numpy as np

from mnist_lessons.plotting.losses import _fitted, _number, _plain
from mnist_lessons.plotting.output import alt_text

__all__ = [
    "OPTIMIZER_COLOURS",
    "plot_optimizer_curves",
    "plot_optimizer_paths",
    "plot_step_curves",
]

OPTIMIZER_COLOURS = {
    "SGD": "tab:blue",
    "momentum": "tab:orange",
    "AdaGrad": "tab:purple",
    "RMSProp": "tab:green",
    "Adam": "tab:red",
}


def plot_optimizer_paths(
    f: Callable, paths: Mapping, *, xlim, ylim, minima=None, ax=None, title=None, levels=15
):
    r"""Contours of a function of :math:`\theta = (x, y)` with several optimizers' paths on it.

    Parameters
    ----------
    f : callable
        :math:`f(\theta)` of points shaped ``(..., 2)``, returning ``(...)``, for example
        :func:`mnist_lessons.scratch.rosenbrock`.
    paths : mapping of optimizer name -> array, shape (steps + 1, 2)
        The visited points, start first (from :func:`mnist_lessons.scratch.descend`).
    xlim, ylim : (float, float)
        The window; the parts of a path outside it are clipped.
    minima : array, shape (k, 2), optional
        Marked with stars.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 5 x 4 inch figure if ``None``.
    title : str, optional
    levels : int
        Contour levels, spaced evenly in :math:`\log(1 + f - \min f)`.

    Returns
    -------
    matplotlib.axes.Axes
        With the grey contours, one line per path (in the order given) and a black square at
        the (shared) start.
    """
    if not paths:
        raise ValueError("Pass at least one path: a mapping optimizer name -> points (n, 2).")
    paths = {str(k): np.asarray(v, dtype=float) for k, v in paths.items()}
    for name, path in paths.items():
        if path.ndim != 2 or path.shape[1] != 2 or len(path) < 1:
            raise ValueError(f"Path {name!r} must be shaped (steps + 1, 2), got {path.shape}.")
    own_figure = ax is None
    if own_figure:
        _, ax = plt.subplots(figsize=(5, 4), layout="constrained")
    x, y = np.meshgrid(np.linspace(*xlim, 241), np.linspace(*ylim, 241))  # (241, 241) each
    z = f(np.stack([x, y], axis=-1))
    ax.contour(x, y, np.log1p(z - z.min()), levels=levels, colors="0.6", linewidths=0.7)
    for name, path in paths.items():
        colour = OPTIMIZER_COLOURS.get(name)
        ax.plot(path[:, 0], path[:, 1], "-", color=colour, lw=1.8, label=name, alpha=0.9)
        ax.plot(path[-1, 0], path[-1, 1], "o", color=colour, ms=5)
    first = next(iter(paths.values()))
    ax.plot(first[0, 0], first[0, 1], "s", color="black", ms=7, label="start")
    if minima is not None:
        minima = np.asarray(minima, dtype=float).reshape(-1, 2)
        ax.plot(minima[:, 0], minima[:, 1], "*", color="black", ms=12, label="minimum")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    if title is not None:
        ax.set_title(title)
    if own_figure:  # a panel of a larger figure is described by that figure
        alt_text(ax, _paths_alt(paths, xlim, ylim, minima, title))
    return ax


def _point(p) -> str:
    return f"({_number(p[0])}, {_number(p[1])})"


def _paths_alt(paths: Mapping, xlim, ylim, minima, title) -> str:
    """Where each path ends: its distance to the nearest minimum, or its last point."""
    first = next(iter(paths.values()))
    titled = "" if title is None else f" '{_plain(title)}'"
    head = (
        f"Contour map{titled} over x from {_number(xlim[0])} to {_number(xlim[1])} and y from "
        f"{_number(ylim[0])} to {_number(ylim[1])}, with the paths of {len(paths)} "
        f"optimizer{'s' if len(paths) > 1 else ''} from the start {_point(first[0])}"
    )
    if minima is None:
        ends = (f"{name} ends at {_point(path[-1])}" for name, path in paths.items())
    else:
        head += f" and {len(minima)} minim{'a' if len(minima) > 1 else 'um'} marked"
        ends = (
            f"{name} ends {_number(np.linalg.norm(path[-1] - minima, axis=1).min())} from "
            f"{'the nearest' if len(minima) > 1 else 'it'}"
            for name, path in paths.items()
        )
    return _fitted(head, ends)


def plot_optimizer_curves(curves: Mapping, *, ylabel, xlabel="epoch", logy=False, ncols=2):
    """One panel per optimizer, one line per learning rate: training curves side by side.

    Parameters
    ----------
    curves : mapping of optimizer name -> mapping of label -> array, shape (epochs,)
        For example ``{"Adam": {"η = 0.001": [...], "η = 0.01": [...]}}``; values are
        drawn at epochs 1, 2, ...
    ylabel, xlabel : str
    logy : bool
        A logarithmic vertical axis (for losses).
    ncols : int
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
        With one axes per optimizer (shared vertical axis), each with its own legend; unused
        grid cells are hidden.
    """
    if not curves or not all(curves.values()):
        raise ValueError("Pass a mapping optimizer -> {label: values}, with at least one curve.")
    ncols = min(ncols, len(curves))
    nrows = -(-len(curves) // ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(3.6 * ncols + 0.6, 2.9 * nrows + 0.3),
        layout="constrained",
        sharey=True,
        squeeze=False,
    )
    for ax, (name, runs) in zip(axes.flat, curves.items(), strict=False):
        for i, (label, y) in enumerate(runs.items()):
            y = np.asarray(y, dtype=float)
            epochs = np.arange(1, len(y) + 1)
            colour = OPTIMIZER_COLOURS.get(name, "tab:blue")  # one colour per optimizer,
            # a shade and a dash per rate: the shade alone reads the other way on a dark page
            alpha, dashes = (
                ((0.45, ":"), (0.7, "--"), (1.0, "-"))[i % 3] if len(runs) > 1 else (1.0, "-")
            )
            ax.plot(epochs, y, "o", ls=dashes, color=colour, alpha=alpha, lw=2, ms=3, label=label)
        ax.set_title(name)
        ax.set_xlabel(xlabel)
        ax.set_xticks(epochs)
        if logy:
            ax.set_yscale("log")
        ax.legend(fontsize=8)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel)
    for ax in axes.flat[len(curves) :]:
        ax.set_visible(False)
    finals = [
        (float(np.asarray(y, dtype=float)[-1]), name, label)
        for name, runs in curves.items()
        for label, y in runs.items()
    ]
    high, low = max(finals), min(finals)
    lengths = {len(y) for runs in curves.values() for y in runs.values()}
    axis = f"{xlabel} 1 to {max(lengths)}" if len(lengths) == 1 else f"{_plain(xlabel)}"
    head = (
        f"{len(curves)} line chart{'s' if len(curves) > 1 else ''} of {_plain(ylabel)} "
        f"against {_plain(axis)}, one per optimizer ({', '.join(map(str, curves))}), with "
        "one line per run"
    )
    extremes = [
        f"{word} last value {_number(value)}, {name} with {_plain(label)}"
        for word, (value, name, label) in (("highest", high), ("lowest", low))
    ]
    alt_text(fig, _fitted(head, extremes))
    return fig


def plot_step_curves(
    curves: Mapping, *, ylabel, first_step=0, ax=None, logx=False, logy=False, title=None
):
    r"""One line per entry against the step: schedules, distances, step lengths.

    Parameters
    ----------
    curves : mapping of label -> array, shape (steps,)
        For example ``{"cosine": schedule(np.arange(300))}``; an optimizer's name as label
        takes its colour from :data:`OPTIMIZER_COLOURS`, any other label the next of
        Matplotlib's colours.
    ylabel : str
    first_step : int
        The step of each curve's first value (0 for a schedule :math:`\eta(s)`, 1 for the
        length of step 1, 2, ...).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 5 x 3.5 inch figure if ``None``.
    logx, logy : bool
        Logarithmic axes.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        With one line per curve and a legend.
    """
    if not curves:
        raise ValueError("Pass at least one curve: a mapping label -> values per step.")
    curves = {str(k): np.asarray(v, dtype=float) for k, v in curves.items()}
    for label, y in curves.items():
        if y.ndim != 1 or len(y) < 1:
            raise ValueError(f"Curve {label!r} must be one value per step, got {y.shape}.")
    own_figure = ax is None
    if own_figure:
        _, ax = plt.subplots(figsize=(5, 3.5), layout="constrained")
    for label, y in curves.items():
        steps = np.arange(first_step, first_step + len(y))
        ax.plot(steps, y, "-", color=OPTIMIZER_COLOURS.get(label), lw=1.8, label=label)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    ax.legend(fontsize=9)
    if own_figure:  # a panel of a larger figure is described by that figure
        last = first_step + max(len(y) for y in curves.values()) - 1
        scales = [name for name, log in (("step", logx), (_plain(ylabel), logy)) if log]
        titled = "" if title is None else f" '{_plain(title)}'"
        head = (
            f"Line chart{titled} of {_plain(ylabel)} against the step, {first_step} to {last}"
            f"{', log scale for ' + ' and '.join(scales) if scales else ''}, "
            f"{len(curves)} line{'s' if len(curves) > 1 else ''}"
        )
        alt_text(
            ax,
            _fitted(
                head,
                (
                    f"{_plain(label)} from {_number(y[0])} to {_number(y[-1])}"
                    for label, y in curves.items()
                ),
            ),
        )
    return ax
