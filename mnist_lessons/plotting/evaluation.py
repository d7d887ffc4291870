"""Figures of training and evaluation: learning curves, confusion matrices, mistakes, calibration.

For the chapters "Your first neural network", "Overfitting and dropout" and "Evaluating a
classifier". Matplotlib and NumPy only: the histories are plain dicts of lists (Keras'
``History.history``) and the matrices plain arrays.
"""

from __future__ import annotations

import numpy as np
from matplotlib import pyplot as plt
from matplotlib.colors import LogNorm

from mnist_lessons.plotting.digits import plot_digit_grid, text_colour

__all__ = [
    "plot_confusion_matrix",
    "plot_history",
    "plot_misclassified",
    "plot_reliability_diagram",
    "plot_seed_spread",
]

_CURVES = (("accuracy", "accuracy"), ("loss", "loss (cross-entropy)"))


def _check_history(name: str, history) -> dict[str, np.ndarray]:
    needed = ("loss", "accuracy", "val_loss", "val_accuracy")
    missing = [k for k in needed if k not in history]
    if missing:
        raise ValueError(
            f"History {name!r} lacks {missing}: pass Keras' history.history (or Trained.history) "
            "of a model compiled with metrics=['accuracy'] and fitted with validation data."
        )
    curves = {k: np.asarray(history[k], dtype=float) for k in needed}
    if len({len(v) for v in curves.values()}) != 1 or len(curves["loss"]) == 0:
        raise ValueError(f"History {name!r} must have one value per epoch in every curve.")
    return curves


def plot_history(histories, *, axes=None, mark_best: bool = True):
    """Draw accuracy and loss per epoch, training (solid) and validation (dashed).

    Parameters
    ----------
    histories : dict
        Either one history (``{"loss": [...], "accuracy": [...], "val_loss": [...],
        "val_accuracy": [...]}``) or a dict of them by model name, drawn in different colours
        on the same two panels.
    axes : pair of matplotlib.axes.Axes, optional
        Where to draw accuracy and loss; a new 1 x 2 figure if ``None``.
    mark_best : bool
        Mark each model's best validation accuracy (the epoch early stopping keeps) with a dot
        on both panels.

    Returns
    -------
    matplotlib.figure.Figure
        Epochs are counted from 1 on the x axes.
    """
    if "loss" in histories:
        histories = {"": histories}
    if not histories:
        raise ValueError("Give at least one history to draw.")
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    else:
        fig = axes[0].figure
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (name, history) in enumerate(histories.items()):
        curves = _check_history(name, history)
        epochs = np.arange(1, len(curves["loss"]) + 1)
        best = int(np.argmax(curves["val_accuracy"]))
        colour = colours[i % len(colours)]
        prefix = f"{name}: " if name else ""
        for ax, (key, _) in zip(axes, _CURVES, strict=True):
            ax.plot(epochs, curves[key], color=colour, label=f"{prefix}training")
            ax.plot(
                epochs, curves[f"val_{key}"], color=colour, ls="--", label=f"{prefix}validation"
            )
            if mark_best:
                ax.plot(epochs[best], curves[f"val_{key}"][best], "o", color=colour, ms=7)
    for ax, (_, ylabel) in zip(axes, _CURVES, strict=True):
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    axes[0].set_title("accuracy (higher is better)")
    axes[1].set_title("loss (lower is better)")
    return fig


def plot_seed_spread(results, ax=None, *, seeds=None, ylabel="test accuracy"):
    """Compare models trained from several seeds: one dot per run, the mean and its spread.

    Parameters
    ----------
    results : dict
        Model name -> sequence of scores, one per seed (in the same seed order for every model;
        dots of the same seed are joined by a grey line).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if ``None``.
    seeds : sequence, optional
        The seeds, to label the dots.
    ylabel : str
        The name of the score.

    Returns
    -------
    matplotlib.axes.Axes
        A bar per model at its mean, with whiskers at mean ± one standard deviation (ddof=1).
    """
    if not results:
        raise ValueError("Give at least one model's results.")
    scores = {name: np.asarray(v, dtype=float) for name, v in results.items()}
    lengths = {len(v) for v in scores.values()}
    if len(lengths) != 1 or min(lengths) < 2:
        raise ValueError(
            "Give every model the same number of runs, at least 2 (one per seed), to show a "
            f"spread; got {[len(v) for v in scores.values()]}."
        )
    (n_runs,) = lengths
    if seeds is not None and len(seeds) != n_runs:
        raise ValueError(f"Give one seed per run: {n_runs} runs but {len(seeds)} seeds.")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    names = list(scores)
    positions = np.arange(len(names))
    means = np.array([v.mean() for v in scores.values()])
    stds = np.array([v.std(ddof=1) for v in scores.values()])
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    ax.errorbar(
        positions,
        means,
        yerr=stds,
        fmt="_",
        ms=40,
        mew=3,
        capsize=8,
        color="0.3",
        zorder=3,
    )
    runs = np.stack(list(scores.values()))  # (models, seeds)
    for j in range(n_runs):
        ax.plot(positions, runs[:, j], color="0.8", lw=1, zorder=1)
    for i in range(len(names)):
        ax.scatter(
            np.full(n_runs, positions[i]), runs[i], s=40, zorder=4, color=colours[i % len(colours)]
        )
        if seeds is not None:
            for j, seed in enumerate(seeds):
                ax.annotate(
                    f"seed {seed}",
                    (positions[i], runs[i, j]),
                    xytext=(8, -3),
                    textcoords="offset points",
                    fontsize="small",
                )
    ax.set_xticks(positions, names)
    ax.set_xlim(-0.6, len(names) - 0.4)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", alpha=0.3)
    return ax


def plot_confusion_matrix(matrix, ax=None, *, class_names=None, cmap="Blues"):
    """Draw a confusion matrix as a heatmap, one count written in each cell.

    Row ``i``, column ``j`` holds the number of test images of true class ``i`` predicted as
    class ``j``; the diagonal holds the correct predictions. The colours are on a logarithmic
    scale so that the few errors off the diagonal stay visible next to the thousands on it;
    cells with 0 are left white.

    Parameters
    ----------
    matrix : array of int, shape (k, k)
        For example ``sklearn.metrics.confusion_matrix(y_true, y_pred)``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if ``None``.
    class_names : sequence of k str, optional
        Tick labels; ``0 .. k-1`` by default.

    Returns
    -------
    matplotlib.axes.Axes
        With ``k * k`` texts, row by row.
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.size == 0:
        raise ValueError(f"A confusion matrix is square, (k, k); got shape {matrix.shape}.")
    if not np.issubdtype(matrix.dtype, np.integer) or (matrix < 0).any():
        raise ValueError("A confusion matrix holds counts: non-negative integers.")
    k = matrix.shape[0]
    names = [str(i) for i in range(k)] if class_names is None else [str(c) for c in class_names]
    if len(names) != k:
        raise ValueError(f"Give {k} class names, one per row; got {len(names)}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 6.5), layout="constrained")
    norm = LogNorm(vmin=1, vmax=max(int(matrix.max()), 2))
    shown = np.ma.masked_equal(matrix, 0)  # log(0) is undefined: leave those cells blank
    image = ax.imshow(shown, cmap=cmap, norm=norm)
    for (row, col), count in np.ndenumerate(matrix):
        colour = "black" if count == 0 else text_colour(cmap, norm, count)
        weight = "bold" if row == col else "normal"
        ax.text(col, row, str(count), ha="center", va="center", color=colour, weight=weight)
    ax.set_xticks(range(k), names)
    ax.set_yticks(range(k), names)
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.figure.colorbar(image, ax=ax, label="number of test images (log scale)", shrink=0.8)
    return ax


def plot_misclassified(images, y_true, y_pred, confidence, *, ncols=8):
    """Draw misclassified digits, each titled with its true label, prediction and confidence.

    Parameters
    ----------
    images : array, shape (n, 28, 28) or (n, 784)
    y_true, y_pred : array of int, shape (n,)
    confidence : array of float, shape (n,)
        The probability the model gave its (wrong) prediction, in [0, 1].
    ncols : int
        Digits per row.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per digit, titled ``"true 4\\npred 9 (87.0%)"``; a confidence that would
        round to 100.0% is written ``">99.9%"``, since it is not 100 %.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    confidence = np.asarray(confidence, dtype=float)
    n = len(images)
    if not (len(y_true) == len(y_pred) == len(confidence) == n) or n == 0:
        raise ValueError(
            "Give one true label, one prediction and one confidence per image; got "
            f"{n} images, {len(y_true)}, {len(y_pred)} and {len(confidence)}."
        )
    if ((confidence < 0) | (confidence > 1)).any():
        raise ValueError("confidence must be probabilities in [0, 1], such as p.max(axis=1).")
    titles = [
        f"true {t}\npred {p} ({'>99.9%' if c >= 0.9995 and c < 1 else f'{c:.1%}'})"
        for t, p, c in zip(y_true, y_pred, confidence, strict=True)
    ]
    fig = plot_digit_grid(images, titles=titles, ncols=ncols)
    for ax in fig.axes:
        ax.title.set_color("firebrick")
    return fig


def plot_reliability_diagram(bins, ax=None, *, counts: bool = True):
    """Draw a reliability diagram: the accuracy of each confidence bin against the diagonal.

    Parameters
    ----------
    bins : mnist_lessons.evaluation.ReliabilityBins
        Or anything with the arrays ``edges`` (M + 1), ``counts``, ``accuracy`` and
        ``confidence`` (M each, nan for empty bins).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if ``None``.
    counts : bool
        Write the number of images at the foot of each bar.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per non-empty bin, from its left edge, as high as the bin's accuracy; a dot at
        (mean confidence, accuracy) per bin; the dashed diagonal where the two are equal.
        A bar below the diagonal marks over-confidence.
    """
    edges = np.asarray(bins.edges, dtype=float)
    n_images = np.asarray(bins.counts)
    accuracy = np.asarray(bins.accuracy, dtype=float)
    confidence = np.asarray(bins.confidence, dtype=float)
    m = len(edges) - 1
    if m < 1 or not (len(n_images) == len(accuracy) == len(confidence) == m):
        raise ValueError(
            f"Give M + 1 edges and M counts, accuracies and confidences; got {len(edges)} edges "
            f"and {len(n_images)}, {len(accuracy)}, {len(confidence)}."
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 5), layout="constrained")
    filled = n_images > 0
    widths = np.diff(edges)
    ax.bar(
        edges[:-1][filled],
        accuracy[filled],
        width=widths[filled],
        align="edge",
        color="tab:blue",
        alpha=0.35,
        edgecolor="tab:blue",
        label="accuracy of the bin",
    )
    ax.plot(
        confidence[filled],
        accuracy[filled],
        "o",
        color="tab:blue",
        label="(mean confidence, accuracy)",
    )
    ax.plot([0, 1], [0, 1], "--", color="0.4", label="perfect calibration")
    if counts:
        for left, width, n in zip(
            edges[:-1][filled], widths[filled], n_images[filled], strict=True
        ):
            ax.text(left + width / 2, 0.02, f"{n:,}", ha="center", va="bottom", fontsize="small")
    ax.set_xlim(0, 1.02)  # a dot at confidence 1 stays whole
    ax.set_ylim(0, 1.08)
    ax.set_xlabel("confidence (probability of the predicted digit)")
    ax.set_ylabel("accuracy")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")
    return ax
