"""Figures of loss functions: a loss against the prediction, and fitting a constant to data.

Matplotlib only. One-panel functions take ``ax=None`` (a new figure) and return the Axes;
several-panel ones return the Figure. The loss values are computed by the caller (for example
with :mod:`mnist_lessons.scratch.losses`), so the figures show exactly what the code computes.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np

from mnist_lessons.plotting.neurons import signed_image

__all__ = ["plot_constant_fit", "plot_loss_curves", "plot_softmax_jacobian"]

COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple")


def _curves(x, curves: Mapping) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"x must be a 1-D array of at least two points, got shape {x.shape}.")
    if not curves:
        raise ValueError("Pass at least one curve: a mapping label -> values at x.")
    out = {}
    for label, y in curves.items():
        y = np.asarray(y, dtype=float)
        if y.shape != x.shape:
            raise ValueError(
                f"Curve {label!r} has shape {y.shape} but x has shape {x.shape}: give one value "
                "per point of x."
            )
        out[str(label)] = y
    return x, out


def plot_loss_curves(x, curves, ax=None, *, xlabel, ylabel="loss", title=None, ylim=None):
    """Draw several losses (or gradients) against one quantity, one line each, with a legend.

    Parameters
    ----------
    x : array, shape (n,)
        The quantity on the horizontal axis: a predicted probability, a residual, ...
    curves : mapping of label -> array, shape (n,)
        The values to draw; the label goes into the legend (mathtext allowed).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 4.5 x 3.4 inch figure if ``None``.
    xlabel, ylabel, title : str
    ylim : (float, float), optional
        Vertical limits, to keep a curve that runs off to infinity from squashing the others.

    Returns
    -------
    matplotlib.axes.Axes
        With one line per curve, in the order given.
    """
    x, curves = _curves(x, curves)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.4), layout="constrained")
    for (label, y), colour in zip(curves.items(), COLOURS * 3, strict=False):
        ax.plot(x, y, label=label, color=colour, lw=2)
    ax.axhline(0, color="0.8", lw=0.8, zorder=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.legend()
    return ax


def plot_constant_fit(y, c, losses, fits):
    """Fit one constant to data under several losses: the data with each fitted constant, and
    each loss as a function of the constant with its minimum marked.

    Parameters
    ----------
    y : array, shape (n,)
        The data (targets).
    c : array, shape (m,)
        Candidate constants, the grid the losses were evaluated on.
    losses : mapping of label -> array, shape (m,)
        For each loss, its value when every prediction is ``c[i]``.
    fits : mapping of label -> (name, float)
        For each loss (same labels), the fitted constant and what it is (``("mean", 6.2)``).

    Returns
    -------
    matplotlib.figure.Figure
        The first axes shows the data as points and each fit as a horizontal line; then one
        axes per loss, with its curve and a vertical line at its fit.
    """
    y = np.asarray(y, dtype=float)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"y must be a non-empty 1-D array of targets, got shape {y.shape}.")
    c, losses = _curves(c, losses)
    if set(fits) != set(losses):
        raise ValueError(
            f"Give one fit per loss: losses {sorted(losses)}, fits {sorted(map(str, fits))}."
        )
    fig, axes = plt.subplots(
        1, 1 + len(losses), figsize=(3.6 * (1 + len(losses)), 3.4), layout="constrained"
    )
    data_ax = axes[0]
    data_ax.plot(np.arange(len(y)), y, "o", color="0.3", label="data")
    for (label, (name, value)), colour in zip(fits.items(), COLOURS, strict=False):
        data_ax.axhline(value, color=colour, lw=2, label=f"{label}: {name} = {value:.2f}")
    data_ax.set_xlabel("example $i$")
    data_ax.set_ylabel("target $y_i$")
    data_ax.set_title("data and the fitted constant")
    data_ax.legend(fontsize="small")
    for ax, (label, values), colour in zip(axes[1:], losses.items(), COLOURS, strict=False):
        name, value = fits[label]
        ax.plot(c, values, color=colour, lw=2)
        ax.axvline(value, color=colour, ls="--", lw=1.2, label=f"minimum at the {name}")
        ax.set_xlabel("constant prediction $c$")
        ax.set_ylabel(f"{label}($c$)")
        ax.set_title(f"{label} as a function of $c$")
        ax.legend(fontsize="small")
    return fig


def plot_softmax_jacobian(J, delta=None, *, true_class=None):
    """The softmax Jacobian as a signed image, and beside it the delta as bars.

    Parameters
    ----------
    J : array, shape (K, K)
        ``J[i, j]`` is :math:`\\partial a_i / \\partial z_j` (for example from
        :func:`mnist_lessons.scratch.softmax_jacobian`); rows and columns are the classes
        0, ..., K - 1.
    delta : array, shape (K,), optional
        The loss gradient with respect to the logits, :math:`a - y`; drawn as a second panel.
    true_class : int, optional
        The true class: its bar is drawn in orange.

    Returns
    -------
    matplotlib.figure.Figure
        The first axes holds the image (a colour scale symmetric about 0, with a colour bar);
        with ``delta``, the next holds ``K`` bars (``ax.patches``).
    """
    J = np.asarray(J, dtype=float)
    if J.ndim != 2 or J.shape[0] != J.shape[1] or J.shape[0] < 2:
        raise ValueError(
            f"J must be a square (K, K) Jacobian, got shape {J.shape}: for a batch of logits, "
            "pass one sample's matrix, softmax_jacobian(z)[i]."
        )
    K = J.shape[0]
    if delta is not None:
        delta = np.asarray(delta, dtype=float)
        if delta.shape != (K,):
            raise ValueError(
                f"delta must have shape ({K},), one entry per class; got {delta.shape}."
            )
    panels = 1 if delta is None else 2
    fig, axes = plt.subplots(
        1, panels, figsize=(4.2 * panels, 3.6), layout="constrained", squeeze=False
    )
    ax = axes[0, 0]
    image = signed_image(ax, J, r"softmax Jacobian $\partial a_i / \partial z_j$")
    ax.set_xticks(range(K))
    ax.set_yticks(range(K))
    ax.set_xlabel("logit $z_j$")
    ax.set_ylabel("output $a_i$")
    fig.colorbar(image, ax=ax, shrink=0.9)
    if delta is not None:
        ax = axes[0, 1]
        colours = ["tab:blue"] * K
        if true_class is not None:
            colours[int(true_class)] = "tab:orange"
        ax.bar(np.arange(K), delta, color=colours)
        ax.axhline(0, color="0.3", lw=0.8)
        ax.set_xticks(range(K))
        ax.set_xlabel("class $k$")
        ax.set_ylabel(r"$\delta_k = \partial E / \partial z_k$")
        ax.set_title("delta: $a - y$")
    return fig
