"""Figures of the chapter "Beyond the test set": two test sets side by side, and what differs.

Matplotlib and NumPy only. Each function gives its figure an alt text built from the numbers
it draws (:func:`~mnist_lessons.plotting.output.alt_text`).
"""

from __future__ import annotations

import numpy as np
from matplotlib import pyplot as plt

from mnist_lessons.plotting.digits import DIGIT_CMAP
from mnist_lessons.plotting.output import ALT_TEXT_MAX, alt_text

__all__ = ["plot_digit_sets", "plot_measure_histograms", "plot_remedies", "plot_two_test_sets"]

_SET_COLOURS = ("tab:blue", "tab:orange")  # MNIST test, the other digits: both colour modes


def _fit(text: str) -> str:
    return text if len(text) <= ALT_TEXT_MAX else text[: ALT_TEXT_MAX - 1] + "…"


def plot_digit_sets(rows, labels):
    """Rows of digits, one row per set, each row labelled on its left.

    Parameters
    ----------
    rows : sequence of arrays, each (n, h, w) in [0, 1]
        The same number of digits per row; rows may differ in resolution (8x8 and 28x28).
    labels : sequence of str
        One label per row.

    Returns
    -------
    matplotlib.figure.Figure
    """
    rows = [np.asarray(r, dtype=float) for r in rows]
    if not rows or len(labels) != len(rows) or len({len(r) for r in rows}) != 1:
        raise ValueError("Give one label per row and the same number of digits in every row.")
    n = len(rows[0])
    fig, axes = plt.subplots(
        len(rows),
        n,
        figsize=(0.8 * n + 1.6, 0.95 * len(rows)),
        squeeze=False,
        layout="constrained",
    )
    for i, (row, label) in enumerate(zip(rows, labels, strict=True)):
        for j, image in enumerate(row):
            ax = axes[i, j]
            ax.imshow(image, cmap=DIGIT_CMAP, vmin=0, vmax=1, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
        axes[i, 0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)
    sizes = ", ".join(
        f"{label} ({r.shape[1]} by {r.shape[2]} pixels)"
        for label, r in zip(labels, rows, strict=True)
    )
    alt_text(fig, _fit(f"{len(rows)} rows of {n} handwritten digits: {sizes}."))
    return fig


def plot_two_test_sets(table, test_sets=("MNIST test", "other digits"), ax=None):
    """Accuracy of several models on two test sets, as pairs of bars.

    Parameters
    ----------
    table : dict
        Model name -> (accuracy on the first set, accuracy on the second), fractions.
    test_sets : pair of str
        The names of the two sets, for the legend.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not table:
        raise ValueError("Give at least one model's accuracies.")
    names = list(table)
    values = np.array([table[name] for name in names], dtype=float)  # (models, 2)
    if values.shape[1:] != (2,) or values.min() < 0 or values.max() > 1:
        raise ValueError("Give each model two accuracies between 0 and 1.")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
    x = np.arange(len(names))
    width = 0.38
    for k, (label, colour) in enumerate(zip(test_sets, _SET_COLOURS, strict=True)):
        bars = ax.bar(x + (k - 0.5) * width, 100 * values[:, k], width, label=label, color=colour)
        ax.bar_label(bars, fmt="%.1f", fontsize=8, padding=2)
    ax.set_xticks(x, names)
    ax.set_ylabel("accuracy (%)")
    low = max(0.0, 100 * values.min() - 10)
    ax.set_ylim(low, 101)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, ncols=2)
    ax.spines[["top", "right"]].set_visible(False)
    pairs = "; ".join(
        f"{name} {100 * a:.1f} % and {100 * b:.1f} %"
        for name, (a, b) in zip(names, values, strict=True)
    )
    alt_text(ax, _fit(f"Bar chart of accuracy on {test_sets[0]} and on {test_sets[1]}: {pairs}."))
    return ax


def plot_measure_histograms(measured, test_sets=("MNIST test", "other digits"), bins=30):
    """One histogram panel per measure, both sets overlaid, each normalised to its size.

    Parameters
    ----------
    measured : dict
        Measure name -> (values on the first set, values on the second), 1-D arrays.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not measured:
        raise ValueError("Give at least one measure.")
    n = len(measured)
    ncols = min(n, 3)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(3.2 * ncols, 2.5 * nrows), squeeze=False, layout="constrained"
    )
    medians = []
    for ax, (name, (a, b)) in zip(axes.flat, measured.items(), strict=False):
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        edges = np.histogram_bin_edges(np.concatenate([a, b]), bins=bins)
        for values, label, colour in zip((a, b), test_sets, _SET_COLOURS, strict=True):
            ax.hist(
                values,
                bins=edges,
                density=True,
                histtype="stepfilled",
                alpha=0.45,
                color=colour,
                label=label,
            )
            ax.axvline(np.median(values), color=colour, lw=1.5, ls="--")
        ax.set_xlabel(name)
        ax.set_yticks([])
        ax.spines[["top", "right", "left"]].set_visible(False)
        medians.append(f"{name} {np.median(a):.2f} and {np.median(b):.2f}")
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    axes.flat[0].legend(frameon=False, fontsize=8)
    alt_text(
        fig,
        _fit(
            f"Histograms of {n} measures on {test_sets[0]} and {test_sets[1]}, "
            f"dashed lines at the medians: {'; '.join(medians)}."
        ),
    )
    return fig


def plot_remedies(final, *, chosen, test_sets=("MNIST test", "other digits")):
    """Each model's accuracy on two test sets, one panel per set, the chosen one marked.

    Parameters
    ----------
    final : dict
        Model name -> (accuracy on the first set, on the second), fractions.
    chosen : str
        The name of the model chosen on validation (drawn darker, labelled "chosen").

    Returns
    -------
    matplotlib.figure.Figure
    """
    if chosen not in final:
        raise ValueError(f"chosen must be one of the models, {list(final)}; got {chosen!r}.")
    names = list(final)
    values = np.array([final[name] for name in names], dtype=float)  # (models, 2)
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.2), layout="constrained")
    y = np.arange(len(names))
    for k, ax in enumerate(axes):
        colours = [_SET_COLOURS[k]] * len(names)
        alphas = [1.0 if name == chosen else 0.55 for name in names]
        for i in range(len(names)):
            ax.barh(y[i], 100 * values[i, k], color=colours[i], alpha=alphas[i])
            ax.text(
                100 * values[i, k], y[i], f" {100 * values[i, k]:.2f}", va="center", fontsize=8
            )
        ax.set_yticks(y, [f"{name} (chosen)" if name == chosen else name for name in names])
        ax.invert_yaxis()
        span = values[:, k]
        ax.set_xlim(max(0.0, 100 * span.min() - 2), min(100.0, 100 * span.max() + 1.2))
        ax.set_xlabel(f"accuracy on {test_sets[k]} (%)")
        ax.spines[["top", "right"]].set_visible(False)
    axes[1].set_yticklabels([])
    rows = "; ".join(
        f"{name} {100 * a:.2f} % and {100 * b:.2f} %"
        for name, (a, b) in zip(names, values, strict=True)
    )
    alt_text(
        fig,
        _fit(
            f"Two bar charts of accuracy on {test_sets[0]} and on {test_sets[1]}, "
            f"chosen remedy {chosen}: {rows}."
        ),
    )
    return fig
