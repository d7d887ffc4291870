"""Figures of loss functions: a loss against the prediction, and fitting a constant to data.

Matplotlib only. One-panel functions take ``ax=None`` (a new figure) and return the Axes;
several-panel ones return the Figure. The loss values are computed by the caller (for example
with :mod:`mnist_lessons.scratch.losses`), so the figures show exactly what the code computes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np

from mnist_lessons.plotting.neurons import signed_image
from mnist_lessons.plotting.output import ALT_TEXT_MAX, alt_text

__all__ = ["plot_constant_fit", "plot_loss_curves", "plot_softmax_jacobian"]

COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple")

_TEX_SYMBOLS = {
    "partial": "\N{PARTIAL DIFFERENTIAL}",
    "ell": "\N{SCRIPT SMALL L}",
    "|": "\N{DOUBLE VERTICAL LINE}",
    "cdot": "\N{MIDDLE DOT}",
    "times": "\N{MULTIPLICATION SIGN}",
    "lambda": "\N{GREEK SMALL LETTER LAMDA}",
}


def _tex_symbol(name: str) -> str:
    """``partial`` -> the partial sign, ``eta`` -> the Greek letter; other commands kept."""
    if name in _TEX_SYMBOLS:
        return _TEX_SYMBOLS[name]
    case = "CAPITAL" if name[:1].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    except KeyError:
        return name


def _plain(label) -> str:
    """A Matplotlib label in plain text for alt text: ``$\\partial E$`` -> ``∂ E``."""
    text = re.sub(r"\\(?:mathbf|mathrm|operatorname|text|mathit)\{([^}]*)\}", r"\1", str(label))
    text = re.sub(r"\\([A-Za-z]+|\|)", lambda m: _tex_symbol(m.group(1)), text)
    return " ".join(re.sub(r"[${}_]", "", text).split())


def _number(value: float) -> str:
    """A number as alt text reads it: 3 significant digits, 2,509, 1.2e-5."""
    value = float(value)
    if not np.isfinite(value):
        return "undefined" if np.isnan(value) else ("infinite" if value > 0 else "minus infinite")
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e3:
        return f"{value:.3g}"
    if 1e3 <= abs(value) < 1e7:
        return f"{value:,.0f}"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa.removesuffix('.0')}e{int(exponent)}"


def _fitted(head: str, details, tail: str = "") -> str:
    """``head`` followed by as many of ``details`` (joined by "; ") as fit in the alt text."""
    details = list(details)
    for kept in range(len(details), -1, -1):
        rest = len(details) - kept
        parts = details[:kept] + ([f"{rest} more"] if rest else [])
        text = head + (": " + "; ".join(parts) if parts else "") + "." + tail
        if len(text) <= ALT_TEXT_MAX:
            return text
    return (head[: ALT_TEXT_MAX - 2] + ".")[:ALT_TEXT_MAX]


def _span(values) -> str:
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return "no finite values"
    low, high = _number(finite.min()), _number(finite.max())
    text = f"{low}" if low == high else f"between {low} and {high}"
    return text if finite.size == values.size else text + " (some values not finite)"


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
    own_figure = ax is None
    if own_figure:
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
    if own_figure:  # a panel of a larger figure is described by that figure
        titled = "" if title is None else f" '{_plain(title)}'"
        head = (
            f"Line chart{titled} of {_plain(ylabel)} against {_plain(xlabel)} from "
            f"{_number(x.min())} to {_number(x.max())}, {len(curves)} "
            f"line{'s' if len(curves) > 1 else ''}"
        )
        alt_text(ax, _fitted(head, (f"{_plain(k)} {_span(y)}" for k, y in curves.items())))
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
    constants = "; ".join(f"{label} {name} {_number(v)}" for label, (name, v) in fits.items())
    alt_text(
        fig,
        _fitted(
            f"{1 + len(losses)} panels. Left, {y.size} targets {_span(y)}, with the constant "
            f"fitted under each loss as a line ({constants}). Then each loss against the "
            f"constant c from {_number(c.min())} to {_number(c.max())}, its fit dashed",
            (f"{label} lowest {_number(v.min())}" for label, v in losses.items()),
        ),
    )
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
    off = J[~np.eye(K, dtype=bool)]
    text = (
        f"Heat map of a {K} by {K} softmax Jacobian, red positive, blue negative: diagonal "
        f"{_span(np.diag(J))}, off the diagonal {_span(off)}."
    )
    if delta is not None:
        text += f" Beside it, bars of delta for the {K} classes, {_span(delta)}"
        if true_class is not None:
            others = np.delete(delta, int(true_class))
            text += (
                f"; the true class {int(true_class)} (orange) at {_number(delta[true_class])},"
                f" the others {_span(others)}"
            )
        text += "."
    alt_text(fig, text)
    return fig
