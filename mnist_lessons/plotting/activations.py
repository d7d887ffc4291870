"""Figures of the chapter on activation functions: signals through depth, dead relu units.

Matplotlib only. Each function takes ``ax=None`` (a new figure) and returns the Axes; a figure
it draws itself gets an alt text (:func:`~mnist_lessons.plotting.output.alt_text`) built from
its data, which a chapter may replace. The activation functions and their derivatives
themselves are drawn by :func:`mnist_lessons.plotting.neurons.plot_activations`.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np

from mnist_lessons.plotting.losses import _fitted, _number, _plain
from mnist_lessons.plotting.output import alt_text

__all__ = ["plot_activation_spread", "plot_dead_units", "plot_gradient_norms"]

COLOURS = {"sigmoid": "tab:blue", "tanh": "tab:green", "relu": "tab:orange"}


def _series(values: Mapping, what: str) -> dict[str, np.ndarray]:
    if not values:
        raise ValueError(f"Pass at least one curve: a mapping label -> {what}.")
    out = {}
    for label, y in values.items():
        y = np.asarray(y, dtype=float)
        if y.ndim != 1 or y.size == 0:
            raise ValueError(f"{label!r} must be a 1-D sequence of {what}, got shape {y.shape}.")
        out[str(label)] = y
    return out


def plot_gradient_norms(norms: Mapping, ax=None, *, title=None):
    r"""The size of the weight gradient :math:`\lVert dW^{(l)} \rVert` layer by layer.

    Parameters
    ----------
    norms : mapping of label -> array, shape (L,)
        For each network (one per activation), the gradient norm of layers 1, ..., L.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 5.5 x 3.6 inch figure if ``None``.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        With one line with markers per network, on a logarithmic vertical axis.
    """
    norms = _series(norms, "gradient norms, one per layer")
    return _per_layer(
        norms,
        ax,
        ylabel=r"$\|dW^{(l)}\|$",
        what="Gradient norms",
        title=title,
        described="the size of the weight gradient against the layer",
    )


def plot_activation_spread(stds: Mapping, ax=None, *, title=None):
    r"""The spread (standard deviation) of each hidden layer's activations :math:`a^{(l)}`.

    Parameters
    ----------
    stds : mapping of label -> array, shape (L - 1,)
        For each network, the standard deviation of the activations of hidden layers
        1, ..., L - 1 over a batch and the layer's units.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 5.5 x 3.6 inch figure if ``None``.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        With one line with markers per network, on a logarithmic vertical axis.
    """
    stds = _series(stds, "standard deviations, one per hidden layer")
    return _per_layer(
        stds,
        ax,
        ylabel=r"std of $a^{(l)}$",
        what="Standard deviations",
        title=title,
        described="the standard deviation of the activations against the hidden layer",
    )


def _per_layer(values: dict, ax, *, ylabel: str, what: str, title, described: str):
    """One line with markers per network over layers 1, 2, ..., on a log axis."""
    if any((y <= 0).any() or not np.isfinite(y).all() for y in values.values()):
        raise ValueError(f"{what} must be positive and finite (the axis is logarithmic).")
    own_figure = ax is None
    if own_figure:
        _, ax = plt.subplots(figsize=(5.5, 3.6), layout="constrained")
    for label, y in values.items():
        layers = np.arange(1, len(y) + 1)
        ax.plot(layers, y, "o-", label=label, color=COLOURS.get(label), lw=2, ms=4)
    ax.set_yscale("log")
    ax.set_xlabel("layer $l$ (1 = next to the input)")
    ax.set_ylabel(ylabel)
    ax.set_xticks(np.arange(1, max(len(y) for y in values.values()) + 1))
    if title is not None:
        ax.set_title(title)
    ax.legend()
    if own_figure:  # a panel of a larger figure is described by that figure
        alt_text(ax, _per_layer_alt(values, described, title))
    return ax


def _per_layer_alt(values: dict, described: str, title) -> str:
    """What the per-layer chart draws: each line's value at its first and its last layer."""
    n_layers = max(len(y) for y in values.values())
    titled = "" if title is None else f" '{_plain(title)}'"
    head = (
        f"Line chart{titled} of {described}, 1 to {n_layers}, on a "
        f"logarithmic scale, {len(values)} line{'s' if len(values) > 1 else ''}"
    )
    return _fitted(
        head,
        (
            f"{_plain(label)} from {_number(y[0])} at layer 1 to {_number(y[-1])} at "
            f"layer {len(y)}"
            for label, y in values.items()
        ),
    )


def plot_dead_units(shares: Mapping, ax=None, *, xlabel="epoch", title=None):
    """The share of hidden units that output 0 for every training example, as training goes.

    Parameters
    ----------
    shares : mapping of label -> array, shape (n,)
        For each run, the share (0 to 1) measured at ``0, 1, ..., n - 1`` (0: at initialisation).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 5.5 x 3.6 inch figure if ``None``.
    xlabel, title : str

    Returns
    -------
    matplotlib.axes.Axes
        With one line with markers per run; the vertical axis runs from 0 to 100 %.
    """
    shares = _series(shares, "shares between 0 and 1")
    if any(((y < 0) | (y > 1)).any() for y in shares.values()):
        raise ValueError("Shares of dead units lie between 0 and 1: pass fractions, not percent.")
    own_figure = ax is None
    if own_figure:
        _, ax = plt.subplots(figsize=(5.5, 3.6), layout="constrained")
    for label, y in shares.items():
        ax.plot(np.arange(len(y)), 100 * y, "o-", label=label, lw=2, ms=4)
    ax.set_ylim(-3, 103)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("dead hidden units (%)")
    if title is not None:
        ax.set_title(title)
    ax.legend()
    if own_figure:  # a panel of a larger figure is described by that figure
        alt_text(ax, _dead_units_alt(shares, xlabel, title))
    return ax


def _dead_units_alt(shares: dict, xlabel: str, title) -> str:
    """Each run's share of dead units at the first and the last point, and its peak if higher."""
    n = max(len(y) for y in shares.values())
    titled = "" if title is None else f" '{_plain(title)}'"
    head = (
        f"Line chart{titled} of the share of dead hidden units, in percent, against the "
        f"{_plain(xlabel)}, 0 to {n - 1}, {len(shares)} line{'s' if len(shares) > 1 else ''}"
    )
    details = []
    for label, y in shares.items():
        if y.min() == y.max():
            details.append(f"{_plain(label)} at {_number(100 * y[0])}% throughout")
            continue
        text = f"{_plain(label)} from {_number(100 * y[0])}% to {_number(100 * y[-1])}%"
        if y.max() > max(y[0], y[-1]):
            text += f", at most {_number(100 * y.max())}%"
        details.append(text)
    return _fitted(head, details)
