"""Figures of what neurons compute: activations, decision regions, weights, output probabilities.

Matplotlib only. One-panel functions take ``ax=None`` (a new figure) and return the Axes;
several-panel ones return the Figure. Weights are drawn with a diverging colour map centred at
0 (red positive, blue negative, white 0), so the sign of a weight reads off its colour.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import matplotlib.pyplot as plt
import numpy as np

from mnist_lessons.plotting.digits import _plain, fit_alt
from mnist_lessons.plotting.output import alt_text

__all__ = [
    "WEIGHT_CMAP",
    "decision_regions_in_words",
    "plot_activations",
    "plot_decision_regions",
    "plot_output_probabilities",
    "plot_weight_image",
    "plot_weight_images",
    "signed_image",
]

WEIGHT_CMAP = "RdBu_r"


def plot_activations(activations: Mapping[str, tuple[Callable, Callable]], z=None, *, ncols=4):
    """One panel per activation function: :math:`f(z)` and its derivative :math:`f'(z)`.

    Parameters
    ----------
    activations : mapping of name -> (f, f_grad)
        For example ``{"sigmoid": (sigmoid, sigmoid_grad)}`` from
        :data:`mnist_lessons.scratch.ACTIVATIONS`.
    z : array, shape (n,), optional
        Where to evaluate them; default 401 points from -5 to 5.
    ncols : int
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
        With one axes per activation, titled with its name; each holds two lines, ``f`` (solid)
        then ``f'`` (dashed).
    """
    if not activations:
        raise ValueError("Pass at least one activation: a mapping name -> (f, f_grad).")
    z = np.linspace(-5, 5, 401) if z is None else np.asarray(z, dtype=float)
    if z.ndim != 1 or z.size < 2:
        raise ValueError(f"z must be a 1-D array of at least two points, got shape {z.shape}.")
    ncols = min(ncols, len(activations))
    nrows = math.ceil(len(activations) / ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(2.6 * ncols + 0.4, 2.6 * nrows + 0.3),
        layout="constrained",
        sharex=True,
        squeeze=False,
    )
    for ax, (name, (f, f_grad)) in zip(axes.flat, activations.items(), strict=False):
        ax.axhline(0, color="0.8", lw=0.8)
        ax.axvline(0, color="0.8", lw=0.8)
        ax.plot(z, f(z), color="tab:blue", lw=2, label="$f(z)$")
        ax.plot(z, f_grad(z), color="tab:orange", lw=1.5, ls="--", label="$f'(z)$")
        ax.set_title(name)
        ax.set_xlabel("$z$")
    for ax in axes.flat[len(activations) :]:
        ax.set_visible(False)
    axes.flat[0].legend(loc="upper left")
    n = len(activations)
    panels = f"{n} panels, one per activation function" if n > 1 else "One panel"
    ranges = "; ".join(
        f"{_plain(name)} from {_g(np.min(f(z)))} to {_g(np.max(f(z)))}"
        for name, (f, _) in activations.items()
    )
    alt_text(
        fig,
        fit_alt(
            f"{panels}, each plotting f(z) as a solid line and its derivative f'(z) dashed, for "
            f"z from {_g(z[0])} to {_g(z[-1])}",
            f"; f runs: {ranges}.",
            f": {', '.join(_plain(name) for name in activations)}.",
            ".",
        ),
    )
    return fig


def _g(value) -> str:
    """A number in plain words: up to 2 significant digits, a true minus sign dropped."""
    text = f"{float(value):.2g}"
    return "0" if text == "-0" else text


def signed_image(ax, values, title=None):
    """Draw a 2-D array on a colour scale symmetric about 0 (red +, blue -), without ticks."""
    m = float(np.abs(values).max()) or 1.0
    image = ax.imshow(values, cmap=WEIGHT_CMAP, vmin=-m, vmax=m)
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title)
    return image


def _weight_image(w) -> np.ndarray:
    w = np.asarray(w, dtype=float)
    if w.ndim == 1 and math.isqrt(w.size) ** 2 == w.size:
        w = w.reshape(math.isqrt(w.size), -1)  # (784,) -> (28, 28)
    if w.ndim != 2 or min(w.shape) < 2:
        raise ValueError(
            f"w must be the weights of one neuron, shaped (784,) or (28, 28), got {w.shape}. "
            "For layer.W of shape (1, 784), pass layer.W[0]."
        )
    return w


def _weights_in_words(w: np.ndarray) -> str:
    return f"from {_g(w.min())} to {_g(w.max())}"


def plot_weight_image(w, ax=None, title=None, *, colorbar=True):
    """Draw one neuron's input weights as an image, on a colour scale symmetric about 0.

    Parameters
    ----------
    w : array, shape (784,) or (28, 28)
        The weights, one per pixel; a flat row is read row by row, as ``flatten()`` wrote it.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 3.6 x 3 inch figure if ``None``.
    title : str, optional
    colorbar : bool
        Add a colour bar labelled "weight".

    Returns
    -------
    matplotlib.axes.Axes
        Whose image has colour limits :math:`(-m, m)`, :math:`m = \\max_j |w_j|`.
    """
    w = _weight_image(w)
    own_figure = ax is None
    if own_figure:
        _, ax = plt.subplots(figsize=(3.6, 3), layout="constrained")
    image = signed_image(ax, w, title)
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label="weight", shrink=0.9)
    if own_figure:
        titled = "" if title is None else f", titled '{_plain(title)}'"
        alt_text(
            ax,
            f"A neuron's {w.size:,} input weights as a {w.shape[0]} by {w.shape[1]} image"
            f"{titled}, one cell per pixel, blue negative, red positive; they run "
            f"{_weights_in_words(w)}.",
        )
    return ax


def plot_weight_images(weights, titles=None):
    """Several neurons' weights side by side, each with its own symmetric scale and colour bar.

    Parameters
    ----------
    weights : sequence of arrays, each (784,) or (28, 28)
    titles : sequence of str, optional
        One per neuron.

    Returns
    -------
    matplotlib.figure.Figure
        With one image axes per neuron, then one colour bar axes per neuron.
    """
    weights = [_weight_image(w) for w in weights]
    if not weights:
        raise ValueError("Pass the weights of at least one neuron.")
    if titles is not None and len(titles) != len(weights):
        raise ValueError(
            f"Give one title per neuron: {len(weights)} neurons, {len(titles)} titles."
        )
    titles = [None] * len(weights) if titles is None else titles
    fig, axes = plt.subplots(
        1, len(weights), figsize=(3.8 * len(weights), 3.3), layout="constrained", squeeze=False
    )
    for ax, w, title in zip(axes[0], weights, titles, strict=True):
        plot_weight_image(w, ax=ax, title=title)
    h, w = weights[0].shape
    each = "; ".join(
        f"{_plain(t) if t is not None else f'neuron {i + 1}'}, {_weights_in_words(v)}"
        for i, (v, t) in enumerate(zip(weights, titles, strict=True))
    )
    alt_text(
        fig,
        fit_alt(
            f"{len(weights)} images side by side of neurons' input weights, one cell per pixel "
            f"({h} by {w}), blue negative, red positive, each on its own scale",
            f": {each}.",
            ".",
        ),
    )
    return fig


def plot_output_probabilities(probabilities, labels=None, *, ncols=5):
    """Bar charts of a network's output probabilities, one panel per input, uniform level dashed.

    Parameters
    ----------
    probabilities : array, shape (n, K)
        Rows of softmax outputs (each row sums to 1).
    labels : array of int, shape (n,), optional
        The true class of each row; its bar is drawn in orange and named in the title.
    ncols : int
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
        With ``n`` axes, each holding ``K`` bars (``ax.patches``) and a dashed line at
        :math:`1 / K`.
    """
    p = np.asarray(probabilities, dtype=float)
    if p.ndim != 2 or p.size == 0:
        raise ValueError(
            f"probabilities must be a 2-D array (n, classes), got shape {p.shape}. "
            "For one input, pass p[None]."
        )
    if not np.allclose(p.sum(axis=1), 1, atol=1e-4) or p.min() < 0:
        raise ValueError(
            "Each row of probabilities must be non-negative and sum to 1: "
            "pass the softmax outputs, not the logits z."
        )
    if labels is not None and len(labels) != len(p):
        raise ValueError(f"Give one label per row: {len(p)} rows, {len(labels)} labels.")
    n, k = p.shape
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(2.1 * ncols + 0.3, 2.2 * nrows + 0.3),
        layout="constrained",
        sharey=True,
        squeeze=False,
    )
    top = max(1.5 / k, 1.15 * p.max())
    for i, ax in enumerate(axes.flat):
        if i >= n:
            ax.set_visible(False)
            continue
        colours = ["tab:blue"] * k
        if labels is not None:
            colours[int(labels[i])] = "tab:orange"
            ax.set_title(f"input {i}: true class {int(labels[i])}", fontsize=10)
        else:
            ax.set_title(f"input {i}", fontsize=10)
        ax.bar(np.arange(k), p[i], color=colours)
        ax.axhline(1 / k, color="0.3", ls="--", lw=1)
        ax.set_xticks(np.arange(k))
        ax.set_ylim(0, top)
        ax.tick_params(axis="x", labelsize=8)
        if i % ncols == 0:
            ax.set_ylabel("probability")
        if i >= n - ncols:
            ax.set_xlabel("class")
    tallest = p.argmax(axis=1)
    sentence = (
        f"{n} bar chart{'s' if n > 1 else ''}, one per input, of the {k} class probabilities, "
        f"with a dashed line at the uniform level 1/{k}; the tallest bar of each input is "
        f"between {_g(p.max(axis=1).min())} and {_g(p.max(axis=1).max())}"
    )
    if labels is not None:
        right = int(np.sum(tallest == np.asarray(labels)))
        sentence += f", and is the true class (orange) for {right} of the {n} inputs"
    alt_text(fig, sentence + ".")
    return fig


def plot_decision_regions(
    predict: Callable, x, y, ax=None, *, title=None, margin=0.5, n=201, colorbar=True
):
    """A classifier of two inputs: its probability of class 1 as a map, and the data on top.

    Parameters
    ----------
    predict : callable
        Maps points ``(m, 2)`` to probabilities ``(m, 1)`` or ``(m,)`` of class 1, for example
        ``MLP.predict`` of a network with one sigmoid output.
    x : array, shape (n_points, 2)
    y : array of 0/1, shape (n_points,) or (n_points, 1)
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 3.6 x 3.2 inch figure if ``None``.
    title : str, optional
    margin : float
        How far the map extends beyond the data.
    n : int
        Grid points per axis.
    colorbar : bool
        Add a colour bar labelled "probability of class 1".

    Returns
    -------
    matplotlib.axes.Axes
        With the probability map (filled contours, blue 0 to red 1), the 0.5 boundary (a black
        contour) and the points: circles for class 0, triangles for class 1.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y).reshape(-1)
    if x.ndim != 2 or x.shape[1] != 2 or len(x) != len(y):
        raise ValueError(
            f"x must be points shaped (n, 2) with one 0/1 label each in y; got x {x.shape} "
            f"and {len(y)} labels."
        )
    own_figure = ax is None
    if own_figure:
        _, ax = plt.subplots(figsize=(3.6, 3.2), layout="constrained")
    lo, hi = x.min(axis=0) - margin, x.max(axis=0) + margin
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    grid = np.column_stack([g1.ravel(), g2.ravel()]).astype(np.float32)  # (n * n, 2)
    # One call for the map and the points: (n * n + n_points,) probabilities.
    p = np.asarray(predict(np.vstack([grid, x.astype(np.float32)])), dtype=float).reshape(-1)
    p, p_points = p[: g1.size].reshape(g1.shape), p[g1.size :]
    filled = ax.contourf(g1, g2, p, levels=np.linspace(0, 1, 11), cmap=WEIGHT_CMAP, alpha=0.6)
    if p.min() < 0.5 < p.max():
        ax.contour(g1, g2, p, levels=[0.5], colors="black", linewidths=1.5)
    for label, marker in ((0, "o"), (1, "^")):
        chosen = y == label
        ax.scatter(
            *x[chosen].T,
            marker=marker,
            s=70,
            c="white",
            edgecolors="black",
            label=f"class {label}",
            zorder=3,
        )
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
    if title is not None:
        ax.set_title(title, fontsize=11)
    if colorbar:
        ax.figure.colorbar(filled, ax=ax, label="probability of class 1", ticks=[0, 0.5, 1])
    if own_figure:
        alt_text(ax, _decision_regions_in_words(p_points, y))
    return ax


def decision_regions_in_words(predict: Callable, x, y) -> str:
    """What :func:`plot_decision_regions` draws, for its alt text: the data and the fit."""
    x = np.asarray(x, dtype=np.float32)
    return _decision_regions_in_words(predict(x), y)


def _decision_regions_in_words(p, y) -> str:
    p = np.asarray(p, dtype=float).reshape(-1)  # (n_points,) probabilities of class 1
    y = np.asarray(y).reshape(-1)
    right = int(np.sum((p > 0.5) == (y == 1)))
    return (
        f"Map of the probability of class 1 over inputs x1 and x2, blue 0 to red 1, with "
        f"{len(y)} points on top ({int(np.sum(y == 0))} circles of class 0, "
        f"{int(np.sum(y == 1))} triangles of class 1); the 0.5 boundary puts {right} of the "
        f"{len(y)} points on the side of their class."
    )
