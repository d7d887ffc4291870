"""Figures of learning: descent on a loss curve or surface, and gradient checks.

Matplotlib only. One-panel functions take ``ax=None`` (a new figure) and return the Axes;
several-panel ones return the Figure. The trajectories are computed by the caller;
these functions only draw them, and give the figure an alt text built from them
(:func:`~mnist_lessons.plotting.output.alt_text`; a chapter may replace it). Training curves
are drawn by :func:`mnist_lessons.plotting.evaluation.plot_history`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import matplotlib.pyplot as plt
import numpy as np

from mnist_lessons.plotting.output import ALT_TEXT_MAX, alt_text, get_alt_text

__all__ = [
    "mark_rate_drops",
    "plot_descent_1d",
    "plot_descent_2d",
    "plot_gradcheck",
    "plot_loss_surface",
]

PATH_COLOUR = "tab:red"
CONTOUR_COLOUR = "tab:blue"  # mid-luminance: reads on the light page and on the dark one
PANE_COLOUR = (0.5, 0.5, 0.5, 0.12)  # the 3-D box's walls: a faint grey on either page


def _trajectories(trajectories: Mapping, dim: int) -> dict[str, np.ndarray]:
    if not trajectories:
        raise ValueError("Pass at least one trajectory: a mapping title -> visited points.")
    out = {}
    for title, w in trajectories.items():
        w = np.asarray(w, dtype=float)
        shape_ok = w.ndim == 1 if dim == 1 else (w.ndim == 2 and w.shape[1] == dim)
        if not shape_ok or len(w) < 1:
            want = "(steps + 1,)" if dim == 1 else f"(steps + 1, {dim})"
            raise ValueError(f"Trajectory {title!r} must be shaped {want}, got {w.shape}.")
        out[str(title)] = w
    return out


def _until_outside(w: np.ndarray, limits) -> tuple[np.ndarray, bool]:
    """The points of a path ``(steps + 1, dim)`` up to its first one outside ``limits`` (kept,
    so the line visibly leaves the window), and whether the path leaves at all."""
    lows, highs = np.array([lim[0] for lim in limits]), np.array([lim[1] for lim in limits])
    outside = ((w < lows) | (w > highs) | ~np.isfinite(w)).any(axis=1)  # (steps + 1,)
    if not outside.any():
        return w, False
    return w[: np.argmax(outside) + 1], True


def _num(x: float) -> str:
    """A number for alt text: three significant digits, ``2,509`` from a thousand up."""
    if 1e3 <= abs(x) < 1e9:
        return f"{x:,.0f}"
    return f"{x:.3g}".replace("e-0", "e-").replace("e+0", "e+")


def _steps(n: int) -> str:
    return f"{n} step{'s' if n != 1 else ''}"


def _point(w) -> str:
    """A weight as ``1.8``, a point of two as ``(-4, 1.5)``."""
    w = np.atleast_1d(w)
    return _num(w[0]) if len(w) == 1 else "(" + ", ".join(_num(x) for x in w) + ")"


def _paths_alt_text(head: str, paths: dict[str, np.ndarray], limits) -> str:
    """``head`` and where each path starts and ends, the last paths dropped if too long."""
    starts = {_point(w[0]) for w in paths.values()}
    steps = {len(w) - 1 for w in paths.values()}
    common = len(starts) == 1 and len(steps) == 1
    if common:
        head += f", all {_steps(steps.pop())} from {starts.pop()}"
    phrases = []
    for title, w in paths.items():
        _, leaves = _until_outside(w.reshape(len(w), -1), limits)
        end = "leaves the plot" if leaves else f"ends at {_point(w[-1])}"
        start = "" if common else f" {_steps(len(w) - 1)} from {_point(w[0])},"
        phrases.append(f"{title}{start} {end}")
    for k in range(len(phrases), 0, -1):
        text = f"{head}: {'; '.join(phrases[:k])}" + ("." if k == len(phrases) else "; …")
        if len(text) <= ALT_TEXT_MAX:
            return text
    return head + "."


def _grid(loss: Callable, xlim, ylim, n=201):
    w1, w2 = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))  # (n, n) each
    return w1, w2, loss(np.stack([w1, w2], axis=-1))  # loss takes (..., 2) points


def plot_descent_1d(loss: Callable, trajectories, *, xlim=(-2.0, 2.0), ncols=3):
    """One panel per trajectory of gradient descent on a loss of one weight :math:`w`.

    Parameters
    ----------
    loss : callable
        :math:`E(w)`, vectorised over an array of weights.
    trajectories : mapping of title -> array, shape (steps + 1,)
        The weights visited, :math:`w_0, w_1, \\dots`; the title names the learning rate.
    xlim : (float, float)
        The range of :math:`w` drawn. A path that leaves it is drawn up to its first point
        outside, and the title says so.
    ncols : int

    Returns
    -------
    matplotlib.figure.Figure
        Each axes holds the loss curve (first line) and the path (second line, with markers).
    """
    trajectories = _trajectories(trajectories, 1)
    ncols = min(ncols, len(trajectories))
    nrows = -(-len(trajectories) // ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(3.4 * ncols, 3.0 * nrows + 0.2),
        layout="constrained",
        sharey=True,
        squeeze=False,
    )
    grid = np.linspace(*xlim, 401)
    curve = loss(grid)
    for ax, (title, w) in zip(axes.flat, trajectories.items(), strict=False):
        ax.plot(grid, curve, color="0.3", lw=1.5)
        shown, leaves = _until_outside(w[:, None], [xlim])
        shown = shown[:, 0]
        ax.plot(shown, loss(shown), "o-", color=PATH_COLOUR, ms=4, lw=1, alpha=0.85)
        ax.plot(shown[:1], loss(shown[:1]), "s", color="black", ms=6)
        ax.set_title(title + ("\n(leaves the plot)" if leaves else ""), fontsize=11)
        ax.set_xlabel("weight $w$")
        ax.set_xlim(*xlim)
        ax.set_ylim(-0.05 * curve.max(), 1.05 * curve.max())
    for ax in axes[:, 0]:
        ax.set_ylabel("loss $E(w)$")
    for ax in axes.flat[len(trajectories) :]:
        ax.set_visible(False)
    k = len(trajectories)
    alt_text(
        fig,
        _paths_alt_text(
            f"{k} panel{'s' if k != 1 else ''}, each a loss curve of one weight w "
            f"({_num(xlim[0])} to {_num(xlim[1])}) with a gradient descent path on it",
            trajectories,
            [xlim],
        ),
    )
    return fig


def plot_descent_2d(loss: Callable, trajectories, *, xlim, ylim, ncols=3, levels=12):
    """One contour map per trajectory of gradient descent on a loss of two weights.

    Parameters
    ----------
    loss : callable
        :math:`E(w)` of points shaped ``(..., 2)``, returning ``(...)``.
    trajectories : mapping of title -> array, shape (steps + 1, 2)
    xlim, ylim : (float, float)
        The window on :math:`(w_1, w_2)`; a path that leaves it is cut as in
        :func:`plot_descent_1d`.
    ncols, levels : int
        Panels per row; contour levels (spaced on a square-root scale, denser near the minimum).

    Returns
    -------
    matplotlib.figure.Figure
        Each axes holds the contours and the path (a line with markers).
    """
    trajectories = _trajectories(trajectories, 2)
    ncols = min(ncols, len(trajectories))
    nrows = -(-len(trajectories) // ncols)
    aspect = (ylim[1] - ylim[0]) / (xlim[1] - xlim[0])
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(3.6 * ncols, (3.3 * aspect + 0.8) * nrows),
        layout="constrained",
        squeeze=False,
    )
    w1, w2, e = _grid(loss, xlim, ylim)
    steps = np.linspace(0, np.sqrt(e.max()), levels + 1)[1:] ** 2
    for ax, (title, w) in zip(axes.flat, trajectories.items(), strict=False):
        ax.contour(w1, w2, e, levels=steps, colors=CONTOUR_COLOUR, linewidths=0.8, alpha=0.8)
        shown, leaves = _until_outside(w, [xlim, ylim])
        ax.plot(shown[:, 0], shown[:, 1], "o-", color=PATH_COLOUR, ms=3, lw=1)
        ax.plot(w[:1, 0], w[:1, 1], "s", color="black", ms=6)
        ax.plot([0], [0], "*", color="black", ms=9)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_aspect("equal")
        ax.set_title(title + ("\n(leaves the plot)" if leaves else ""), fontsize=11)
        ax.set_xlabel("$w_1$")
        ax.set_ylabel("$w_2$")
    for ax in axes.flat[len(trajectories) :]:
        ax.set_visible(False)
    k = len(trajectories)
    alt_text(
        fig,
        _paths_alt_text(
            f"{k} contour map{'s' if k != 1 else ''} of a loss of two weights (w1, w2), each "
            "with a gradient descent path and a star at (0, 0)",
            trajectories,
            [xlim, ylim],
        ),
    )
    return fig


def plot_loss_surface(loss: Callable, *, xlim, ylim, trajectory=None, ax=None):
    """A loss of two weights as a 3-D surface, with an optional descent path drawn on it.

    Parameters
    ----------
    loss : callable
        As in :func:`plot_descent_2d`.
    xlim, ylim : (float, float)
    trajectory : array, shape (steps + 1, 2), optional
    ax : mpl_toolkits.mplot3d.axes3d.Axes3D, optional
        A 3-D axes (``projection="3d"``); a new 6 x 4.5 inch figure if ``None``.

    Returns
    -------
    mpl_toolkits.mplot3d.axes3d.Axes3D
    """
    if ax is None:
        fig = plt.figure(figsize=(6, 4.5), layout="constrained")
        ax = fig.add_subplot(projection="3d")
    elif getattr(ax, "name", "") != "3d":
        raise ValueError("ax must be a 3-D axes: create it with fig.add_subplot(projection='3d').")
    w1, w2, e = _grid(loss, xlim, ylim, n=61)
    ax.plot_surface(w1, w2, e, cmap="viridis", alpha=0.75, linewidth=0, antialiased=True)
    if trajectory is not None:
        (w,) = _trajectories({"path": trajectory}, 2).values()
        ax.plot(
            w[:, 0],
            w[:, 1],
            loss(w) + 0.01 * e.max(),
            "o-",
            color=PATH_COLOUR,
            ms=3,
            lw=1.5,
            zorder=10,
        )
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_zlabel("loss $E$")
    ax.view_init(elev=35, azim=-60)
    for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
        axis.set_pane_color(PANE_COLOUR)
    text = (
        f"3-D surface of a loss over two weights, w1 from {_num(xlim[0])} to {_num(xlim[1])} "
        f"and w2 from {_num(ylim[0])} to {_num(ylim[1])}; its height runs from {_num(e.min())} "
        f"to {_num(e.max())}."
    )
    if trajectory is not None:
        text += (
            f" A red path of {len(w)} points runs from {_point(w[0])} to {_point(w[-1])}, "
            f"its loss from {_num(loss(w[0]))} to {_num(loss(w[-1]))}."
        )
    alt_text(ax, text)
    return ax


def plot_gradcheck(errors: Mapping[str, float], ax=None, *, threshold=1e-6):
    """Relative error between backpropagation and finite differences, one bar per parameter.

    Parameters
    ----------
    errors : mapping of parameter name -> float
        For example the result of :func:`mnist_lessons.scratch.gradcheck`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 5 x 3 inch figure if ``None``.
    threshold : float
        Drawn as a dashed line: errors below it mean the gradients agree.

    Returns
    -------
    matplotlib.axes.Axes
        With one bar per parameter on a logarithmic axis.
    """
    if not errors:
        raise ValueError("Pass at least one error: a mapping parameter name -> relative error.")
    names = list(errors)
    values = np.array([errors[n] for n in names], dtype=float)
    if (values < 0).any() or not np.isfinite(values).all():
        raise ValueError(f"Relative errors must be finite and non-negative, got {values}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3), layout="constrained")
    floor = 1e-16  # an error of exactly 0 is drawn at the bottom of the log axis
    ax.bar(names, np.maximum(values, floor), color="tab:green")
    ax.axhline(threshold, color="tab:red", ls="--", lw=1.2, label=f"threshold {threshold:g}")
    ax.set_yscale("log")
    ax.set_ylim(max(min(values.min(), threshold), floor) / 100, threshold * 100)
    ax.set_xlabel("parameter")
    ax.set_ylabel("max. relative error")
    ax.set_title("backpropagation vs. finite differences")
    ax.legend()
    worst = int(np.argmax(values))
    above = int(np.sum(values >= threshold))
    verdict = (
        f"all {len(values)} below the threshold {threshold:g}"
        if above == 0
        else f"{above} of {len(values)} at or above the threshold {threshold:g}"
    )
    alt_text(
        ax,
        f"Bar chart, on a log axis, of the relative error between backpropagation and finite "
        f"differences for {len(values)} parameter{'s' if len(values) != 1 else ''}: {verdict}; "
        f"the largest, {values[worst]:.1e}, is for {names[worst]}.",
    )
    return ax


def mark_rate_drops(axes, history, *, colour="0.45"):
    """Mark the epochs where a history's learning rate was lowered, on learning-curve axes.

    A dotted vertical line goes half an epoch before each lower rate, between the last epoch
    trained at the old rate and the first at the new one (epochs counted from 1, as
    :func:`~mnist_lessons.plotting.plot_history` draws them); the first line is labelled and
    each axes' legend redrawn.

    Parameters
    ----------
    axes : matplotlib.axes.Axes or sequence of them
        For example ``plot_history(history).axes``.
    history : mapping
        With a ``"learning_rate"`` curve, one value per epoch, as Keras' ``ReduceLROnPlateau``
        writes it.
    colour : str

    Returns
    -------
    list of matplotlib.axes.Axes
    """
    from mnist_lessons.curves import read_curves  # NumPy only

    axes = [axes] if hasattr(axes, "axvline") else list(axes)
    if not axes:
        raise ValueError("Pass at least one Axes to mark.")
    drops = read_curves(history).rate_drops
    for ax in axes:
        for i, epoch in enumerate(drops):
            label = "learning rate lowered" if i == 0 else None
            ax.axvline(epoch - 0.5, color=colour, ls=":", lw=1.2, label=label)
        if drops and ax.get_legend() is not None:
            ax.legend(fontsize="small")
    if drops:
        epochs = ", ".join(str(int(e)) for e in drops)
        notes = [
            f"Dotted lines: learning rate lowered before epoch{'s' if len(drops) > 1 else ''} "
            f"{epochs}.",
            f"Dotted lines: {len(drops)} learning-rate drops, from epoch {int(drops[0])}.",
        ]
        before = get_alt_text(axes[0])
        if before is None:  # learning curves drawn elsewhere: say only what is added
            before = "Learning curves against the epoch."
        fitting = [f"{before} {note}" for note in notes if len(f"{before} {note}") <= ALT_TEXT_MAX]
        if fitting:
            alt_text(axes[0], fitting[0])
    return axes
