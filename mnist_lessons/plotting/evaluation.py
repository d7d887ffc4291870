"""Figures of training and evaluation: learning curves, confusion matrices, mistakes, calibration.

For the chapters "Your first neural network", "Overfitting and dropout" and "Evaluating a
classifier". Matplotlib and NumPy only: the histories are plain dicts of lists (Keras'
``History.history``) and the matrices plain arrays. Each function gives its figure an alt text
(:func:`~mnist_lessons.plotting.output.alt_text`) built from the numbers it draws; a chapter
may replace it by calling ``alt_text`` again.
"""

from __future__ import annotations

import numpy as np
from matplotlib import pyplot as plt
from matplotlib.colors import LogNorm

from mnist_lessons.plotting.digits import plot_digit_grid, text_colour
from mnist_lessons.plotting.output import ALT_TEXT_MAX, alt_text

__all__ = [
    "plot_confusion_matrix",
    "plot_history",
    "plot_misclassified",
    "plot_reliability_diagram",
    "plot_seed_spread",
]

_CURVES = (("accuracy", "accuracy"), ("loss", "loss (cross-entropy)"))
MISTAKE_COLOUR = "tab:red"  # the titles of misread digits; legible on a light and a dark page


def _first_fitting(*texts: str) -> str:
    """The first of the candidate alt texts, most detailed first, that fits the limit."""
    for text in texts:
        if len(text) <= ALT_TEXT_MAX:
            return text
    return texts[-1][: ALT_TEXT_MAX - 1] + "…"


def _history_alt_text(curves: dict[str, dict[str, np.ndarray]]) -> str:
    """One or two sentences on learning curves, from their numbers (see :func:`plot_history`)."""
    panels = "Line charts of training and validation accuracy and loss"
    if len(curves) == 1:
        ((_, c),) = curves.items()
        n = len(c["loss"])
        best, low = int(np.argmax(c["val_accuracy"])), int(np.argmin(c["val_loss"]))
        return (
            f"{panels} over {n} epoch{'s' if n != 1 else ''}. Last accuracy: training "
            f"{c['accuracy'][-1]:.2%}, validation "
            f"{c['val_accuracy'][-1]:.2%} (best {c['val_accuracy'][best]:.2%}, epoch "
            f"{best + 1}); validation loss lowest at epoch {low + 1}, {c['val_loss'][low]:.3f}, "
            f"last {c['val_loss'][-1]:.3f}."
        )
    head = f"{panels} per epoch for {len(curves)} models."
    best = {name: int(np.argmax(c["val_accuracy"])) for name, c in curves.items()}
    full = "; ".join(
        f"{name} {c['val_accuracy'][best[name]]:.2%} at epoch {best[name] + 1} of {len(c['loss'])}"
        for name, c in curves.items()
    )
    short = "; ".join(f"{name} {c['val_accuracy'][best[name]]:.2%}" for name, c in curves.items())
    ranked = sorted(curves, key=lambda name: curves[name]["val_accuracy"][best[name]])
    lo, hi = ranked[0], ranked[-1]
    span = (
        f"from {curves[lo]['val_accuracy'][best[lo]]:.2%} ({lo}) to "
        f"{curves[hi]['val_accuracy'][best[hi]]:.2%} ({hi})"
    )
    return _first_fitting(
        f"{head} Best validation accuracy: {full}.",
        f"{head} Best validation accuracy: {short}.",
        f"{head} Best validation accuracy {span}.",
        f"{panels} per epoch for {len(curves)} models; best validation accuracy {span}.",
    )


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
    checked = {}
    for i, (name, history) in enumerate(histories.items()):
        curves = checked[name] = _check_history(name, history)
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
    alt_text(fig, _history_alt_text(checked))
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
    ax.set_xticks(positions, names)
    ax.set_xlim(-0.6, len(names) - 0.4)
    if seeds is not None:
        _label_seeds(ax, positions, runs, seeds)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", alpha=0.3)
    alt_text(ax, _seed_spread_alt_text(scores, ylabel))
    return ax


def _label_seeds(ax, positions, runs, seeds, gap=9.0):
    """Write "seed s" beside each dot, labels of close dots pushed apart to ``gap`` points."""
    ax.autoscale_view()
    to_points = 72 / ax.figure.dpi
    for i, position in enumerate(positions):
        points = np.column_stack([np.full(len(seeds), position), runs[i]])
        y = ax.transData.transform(points)[:, 1] * to_points  # (seeds,), from the bottom
        top = -np.inf
        for j in np.argsort(runs[i], kind="stable"):  # lowest first
            shown = max(y[j], top + gap)
            top = shown
            ax.annotate(
                f"seed {seeds[j]}",
                (position, runs[i, j]),
                xytext=(8, shown - y[j] - 3),
                textcoords="offset points",
                fontsize="small",
            )


def _seed_spread_alt_text(scores: dict[str, np.ndarray], ylabel: str) -> str:
    runs = np.concatenate(list(scores.values()))
    if "accuracy" in ylabel and ((runs >= 0) & (runs <= 1)).all():

        def mean_sd(v):
            return f"{v.mean():.2%} ± {100 * v.std(ddof=1):.2f} points"
    else:

        def mean_sd(v):
            return f"{v.mean():.4g} ± {v.std(ddof=1):.2g}"

    n_runs = len(next(iter(scores.values())))
    head = (
        f"Dot plot of {ylabel}, {n_runs} runs (seeds) for each of {len(scores)} "
        f"model{'s' if len(scores) != 1 else ''}, with each model's mean and one standard "
        "deviation."
    )
    return _first_fitting(
        f"{head} Mean ± standard deviation: "
        + "; ".join(f"{name} {mean_sd(v)}" for name, v in scores.items())
        + ".",
        head,
    )


def plot_confusion_matrix(matrix, ax=None, *, class_names=None, cmap="Blues"):
    """Draw a confusion matrix as a heatmap, one count written in each cell.

    Row ``i``, column ``j`` holds the number of test images of true class ``i`` predicted as
    class ``j``; the diagonal holds the correct predictions. The colours are on a logarithmic
    scale so that the few errors off the diagonal stay visible next to the thousands on it;
    cells with 0 are left empty (the page shows through) with a grey 0.

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
        # An empty cell shows the page through it: a mid-grey 0 reads on a light and a dark one
        colour = "0.5" if count == 0 else text_colour(cmap, norm, count)
        weight = "bold" if row == col else "normal"
        ax.text(col, row, str(count), ha="center", va="center", color=colour, weight=weight)
    ax.set_xticks(range(k), names)
    ax.set_yticks(range(k), names)
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.figure.colorbar(image, ax=ax, label="number of test images (log scale)", shrink=0.8)
    alt_text(ax, _confusion_alt_text(matrix, names))
    return ax


def _confusion_alt_text(matrix: np.ndarray, names: list[str]) -> str:
    k, total, right = matrix.shape[0], int(matrix.sum()), int(np.trace(matrix))
    text = (
        f"Confusion matrix, {k} by {k}, of {total:,} images: true class in rows, predicted in "
        f"columns, the count written in each cell. {right:,} lie on the diagonal (right)"
    )
    off = matrix - np.diag(np.diag(matrix))
    if off.max() == 0:
        return text + ", none off it."
    row, col = np.unravel_index(np.argmax(off), off.shape)
    return (
        f"{text}; the largest count off it is {off[row, col]:,}, "
        f"true {names[row]} predicted as {names[col]}."
    )


def _percent(c: float) -> str:
    """A probability to one decimal, written ``>99.9%`` where it would round to 100.0%."""
    return ">99.9%" if 0.9995 <= c < 1 else f"{c:.1%}"


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
        f"true {t}\npred {p} ({_percent(c)})"
        for t, p, c in zip(y_true, y_pred, confidence, strict=True)
    ]
    fig = plot_digit_grid(images, titles=titles, ncols=ncols)
    for ax in fig.axes:
        ax.title.set_color(MISTAKE_COLOUR)
    pairs = {}
    for t, p in zip(y_true, y_pred, strict=True):
        pairs[(t, p)] = pairs.get((t, p), 0) + 1
    (t, p), times = max(pairs.items(), key=lambda item: item[1])  # the first seen on a tie
    most = (
        f"; the most frequent pair, {times} times, is true {t} predicted as {p}"
        if times > 1
        else f"; the first is true {t} predicted as {p}"
    )
    wrong = (y_true != y_pred).all()
    what = ("misclassified " if wrong else "") + f"digit image{'s' if n != 1 else ''}"
    alt_text(
        fig,
        f"Grid of {n} {what}, each titled with its true digit, "
        f"the predicted digit and the confidence of the prediction, from "
        f"{_percent(confidence.min())} to {_percent(confidence.max())}{most}.",
    )
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
        alpha=0.45,
        edgecolor="tab:blue",
        label="accuracy of the bin",
    )
    ax.plot(
        confidence[filled],
        accuracy[filled],
        "o",
        color="tab:orange",  # stands out from the blue bars on a light and a dark page
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
    alt_text(ax, _reliability_alt_text(edges, n_images, accuracy, confidence))
    return ax


def _reliability_alt_text(edges, n_images, accuracy, confidence) -> str:
    filled = np.flatnonzero(n_images > 0)
    m = len(edges) - 1
    text = (
        f"Reliability diagram: {m} confidence bin{'s' if m != 1 else ''} on the x axis, "
        f"{len(filled)} holding images, each drawn as a bar as high as its accuracy, "
        "against a dashed diagonal of perfect calibration"
    )
    if not len(filled):
        return text + "."
    below = int(np.sum(accuracy[filled] < confidence[filled]))
    full = filled[np.argmax(n_images[filled])]
    return (
        f"{text}. {below} of the {len(filled)} lie below it (over-confident); the fullest bin, "
        f"{edges[full]:.2f} to {edges[full + 1]:.2f}, holds {int(n_images[full]):,} images at "
        f"accuracy {accuracy[full]:.1%}."
    )
