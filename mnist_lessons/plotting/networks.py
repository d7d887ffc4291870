"""Figures of the part "Types of networks": convolutions, recurrent reading, autoencoders, PINNs.

Matplotlib only. One-panel functions take ``ax=None`` (a new figure) and return the Axes;
several-panel ones return the Figure. Kernels and feature maps are drawn on a diverging colour
scale centred at 0 (red positive, blue negative), digits in grey. Each function gives its figure
an alt text (:func:`~mnist_lessons.plotting.output.alt_text`) that says what it draws, with the
numbers of its data; a chapter may replace it by calling ``alt_text`` again.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np

from mnist_lessons.plotting.digits import DIGIT_CMAP, plot_digit
from mnist_lessons.plotting.neurons import signed_image
from mnist_lessons.plotting.output import alt_text

__all__ = [
    "plot_convolution",
    "plot_feature_maps",
    "plot_image_rows",
    "plot_kernels",
    "plot_latent_space",
    "plot_ode_fits",
    "plot_receptive_fields",
    "plot_row_confidence",
    "plot_shift_accuracy",
]


ALT_LIMIT = 250  # characters: the "at most about 250"


def _describe(figure_or_axes, *variants: str) -> None:
    """Give the figure the first variant of its alt text that fits in :data:`ALT_LIMIT`.

    The variants go from the most detailed (names and numbers for every panel) to the plainest,
    which the data cannot make long.
    """
    for text in variants:
        if len(text) <= ALT_LIMIT:
            break
    alt_text(figure_or_axes, text)


def _and(items) -> str:
    """``"a, b and c"``."""
    items = [str(item) for item in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _by(shape) -> str:
    """``(28, 28)`` -> ``"28 by 28"``, as a screen reader should say it."""
    return " by ".join(str(n) for n in shape)


def _digit_size(image) -> str:
    """A digit's size in words, ``"28 by 28"``, also for a flat (784,) one."""
    shape = np.shape(image)
    return _by(shape[:2]) if len(shape) > 1 else _by((math.isqrt(shape[0]),) * 2)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _grid(n: int, ncols: int) -> str:
    """Where ``n`` panels in rows of ``ncols`` are: ``"in 2 rows of 8"``, ``"in one row"``."""
    if n <= ncols:
        return "in one row"
    rows = math.ceil(n / ncols)
    return f"in {rows} rows of {ncols}" if n % ncols == 0 else f"in {rows} rows of up to {ncols}"


def _number(x: float) -> str:
    return f"{x:.2g}"


def _stack(arrays, name: str, ndim: int) -> np.ndarray:
    arrays = np.asarray(arrays, dtype=float)
    if arrays.ndim != ndim or len(arrays) == 0:
        raise ValueError(f"{name} must be a non-empty array with {ndim} axes, got {arrays.shape}.")
    return arrays


def plot_convolution(image, results: Mapping[str, tuple]):
    """A digit, then for each named kernel the kernel and the feature map it makes.

    Parameters
    ----------
    image : array, shape (28, 28)
    results : mapping of name -> (kernel (k, k), feature map (h, w))

    Returns
    -------
    matplotlib.figure.Figure
        ``1 + 2 * len(results)`` image axes: the digit, then kernel and map for each name.
    """
    if not results:
        raise ValueError("Pass at least one kernel: a mapping name -> (kernel, feature map).")
    n = 1 + 2 * len(results)
    fig, axes = plt.subplots(1, n, figsize=(2.3 * n, 2.8), layout="constrained")
    plot_digit(image, axes[0], "the digit")
    for i, (name, (kernel, z)) in enumerate(results.items()):
        kernel, z = np.asarray(kernel, float), np.asarray(z, float)
        signed_image(axes[1 + 2 * i], kernel, f"kernel:\n{name}")
        m = float(np.abs(kernel).max()) or 1.0
        for (r, c), value in np.ndenumerate(kernel):
            if kernel.size <= 25:  # write the weights on small kernels, white on dark cells
                colour = "white" if abs(value) > 0.6 * m else "black"
                axes[1 + 2 * i].text(
                    c, r, f"{value:g}", ha="center", va="center", fontsize=10, color=colour
                )
        signed_image(axes[2 + 2 * i], z, f"feature map:\n{name}")
    kernels = [np.shape(kernel) for kernel, _ in results.values()]
    maps = [np.asarray(z, float) for _, z in results.values()]
    weights = (
        f"{_plural(len(results), 'kernel')} of {_by(kernels[0])} weights"
        if len(set(kernels)) == 1
        else _plural(len(results), "kernel")
    )
    written = " with its weights written on it," if max(np.prod(k) for k in kernels) <= 25 else ""
    size = f"{_by(maps[0].shape)} " if len({z.shape for z in maps}) == 1 else ""
    low, high = min(z.min() for z in maps), max(z.max() for z in maps)
    start = f"A {_digit_size(image)} digit, then {weights}"
    end = (
        f" each{written} followed by the {size}feature map it makes; red is positive, blue "
        f"negative, white 0, and the maps run from {_number(low)} to {_number(high)}."
    )
    _describe(fig, f"{start} ({_and(results)}),{end}", f"{start},{end}")
    return fig


def plot_kernels(kernels, titles=None, *, ncols=8):
    """Learned kernels (filters) as small images, each on its own symmetric colour scale.

    Parameters
    ----------
    kernels : array, shape (n, k, k)
        For a ``Conv2D`` on one channel: ``kernel[:, :, 0, :].transpose(2, 0, 1)``.
    titles : sequence of n str, optional

    Returns
    -------
    matplotlib.figure.Figure
        With exactly ``n`` axes.
    """
    kernels = _stack(kernels, "kernels", 3)
    titles = [f"filter {i}" for i in range(len(kernels))] if titles is None else list(titles)
    if len(titles) != len(kernels):
        raise ValueError(f"Give one title per kernel: {len(kernels)} kernels, {len(titles)}.")
    ncols = min(ncols, len(kernels))
    nrows = math.ceil(len(kernels) / ncols)
    fig = plt.figure(figsize=(1.3 * ncols, 1.45 * nrows), layout="constrained")
    for i, (kernel, title) in enumerate(zip(kernels, titles, strict=True)):
        ax = fig.add_subplot(nrows, ncols, i + 1)
        signed_image(ax, kernel, title)
        ax.title.set_fontsize("small")
    strongest = int(np.abs(kernels).reshape(len(kernels), -1).max(axis=1).argmax())
    start = (
        f"{_plural(len(kernels), 'grid')} of {_by(kernels.shape[1:])} weights drawn as "
        f"{'an image' if len(kernels) == 1 else 'images'} "
        f"{_grid(len(kernels), ncols)}, each on its own colour scale, red positive, blue "
        f"negative; the weights run from {_number(kernels.min())} to {_number(kernels.max())}"
    )
    largest = _number(np.abs(kernels[strongest]).max())
    _describe(
        fig,
        f"{start}, the largest in size, {largest}, in '{titles[strongest]}'.",
        f"{start}.",
    )
    return fig


def plot_feature_maps(image, maps, titles=None, *, ncols=8):
    """A digit and the feature maps a convolutional layer makes of it.

    Parameters
    ----------
    image : array, shape (28, 28)
    maps : array, shape (h, w, n)
        One layer's output for this digit (channels last, as Keras gives it).
    titles : sequence of n str, optional

    Returns
    -------
    matplotlib.figure.Figure
        ``1 + n`` axes: the digit, then one per map; maps use the grey scale of activations
        (white 0, black the largest value of that map).
    """
    maps = _stack(maps, "maps", 3)
    n = maps.shape[-1]
    titles = [f"map {i}" for i in range(n)] if titles is None else list(titles)
    if len(titles) != n:
        raise ValueError(f"Give one title per map: {n} maps, {len(titles)} titles.")
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    fig = plt.figure(figsize=(1.3 * ncols + 2.4, max(2.4, 1.45 * nrows)), layout="constrained")
    left, right = fig.subfigures(1, 2, width_ratios=[2.4, 1.3 * ncols])
    plot_digit(image, left.add_subplot(1, 1, 1), "the digit")
    for i in range(n):
        ax = right.add_subplot(nrows, ncols, i + 1)
        ax.imshow(maps[..., i], cmap=DIGIT_CMAP, vmin=0, vmax=float(maps[..., i].max()) or 1.0)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(titles[i], fontsize="small")
    peaks = maps.reshape(-1, n).max(axis=0)  # (n,): each map's largest value
    blank = int(np.sum(peaks <= 0))
    start = (
        f"A {_digit_size(image)} digit and the {_plural(n, 'feature map')}, "
        f"{_by(maps.shape[:2])} each, that a layer makes of it, {_grid(n, ncols)}, white 0 and "
        "black each map's largest value"
    )
    strongest, weakest = int(peaks.argmax()), int(peaks.argmin())
    extremes = f"; '{titles[strongest]}' responds most, up to {_number(peaks[strongest])}"
    if blank:
        extremes += f", and {blank} of the {n} maps are blank, with no value above 0"
    else:
        extremes += f", '{titles[weakest]}' least, up to {_number(peaks[weakest])}"
    _describe(fig, f"{start}{extremes}.", f"{start}.")
    return fig


def plot_row_confidence(images, labels, probabilities: Mapping[str, np.ndarray]):
    """How sure each model is of the true digit after reading the first t rows.

    Parameters
    ----------
    images : array, shape (n, 28, 28)
    labels : array, shape (n,)
        The true digits.
    probabilities : mapping of model name -> array (n, T, classes)
        ``[i, t - 1]`` is the model's output after reading rows 1 to t of digit i.

    Returns
    -------
    matplotlib.figure.Figure
        Two rows of ``n`` axes: the digits on top, below each one line per model of the
        probability of the true digit against the number of rows read (a shared y axis).
    """
    images = _stack(images, "images", 3)
    labels = np.asarray(labels, dtype=int)
    if not probabilities or labels.shape != (len(images),):
        raise ValueError("Pass one label per image and at least one model's probabilities.")
    n = len(images)
    fig, axes = plt.subplots(
        2, n, figsize=(2.6 * n, 6.0), layout="constrained", height_ratios=[1, 1.4], squeeze=False
    )
    for i in range(n):
        plot_digit(images[i], axes[0, i], f"label {labels[i]}")
        ax = axes[1, i]
        for (name, p), style in zip(probabilities.items(), ("-", "--", ":"), strict=False):
            p = _stack(p, f"probabilities[{name!r}]", 3)
            rows = np.arange(1, p.shape[1] + 1)
            ax.plot(rows, p[i, :, labels[i]], style, label=name)
        ax.set_ylim(-0.03, 1.03)
        ax.set_xlabel("rows read")
        ax.grid(alpha=0.3)
        if i == 0:
            ax.set_ylabel("probability of the true digit")
        else:
            ax.tick_params(labelleft=False)
    axes[1, 0].legend(loc="upper left", fontsize="small")
    final = {  # the probability of the true digit after the last row, per model: (n,)
        name: _stack(p, name, 3)[np.arange(n), -1, labels] for name, p in probabilities.items()
    }
    rows = _stack(next(iter(probabilities.values())), "probabilities", 3).shape[1]
    start = (
        f"{_plural(n, 'digit')} (labels {_and(labels)}), each above a line chart of the "
        f"probability that {_and(probabilities)} give the true digit after reading 1 to "
        f"{rows} rows"
    )
    spans = {
        name: f"{p.min():.2f}"
        if f"{p.min():.2f}" == f"{p.max():.2f}"
        else f"{p.min():.2f} to {p.max():.2f}"
        for name, p in final.items()
    }
    last = "; after the last row it is " + _and(
        f"{span} for {name}" for name, span in spans.items()
    )
    _describe(
        fig,
        f"{start}{last}.",
        f"{start}.",
        f"{_plural(n, 'digit')}, each above a line chart of the probability that "
        f"{_plural(len(probabilities), 'model')} give the true digit after reading 1 to "
        f"{rows} rows.",
    )
    return fig


def plot_image_rows(rows: Mapping[str, np.ndarray]):
    """Rows of digits, one row per name, with the name written at its left.

    For originals against reconstructions: ``{"original": x, "reconstructed": x_hat}``.

    Parameters
    ----------
    rows : mapping of name -> array (n, 784) or (n, 28, 28), the same n for every row
        Floats scaled to [0, 1].

    Returns
    -------
    matplotlib.figure.Figure
        ``len(rows) * n`` axes, row by row.
    """
    arrays = [np.asarray(a, dtype=float).reshape(len(a), 28, 28) for a in rows.values()]
    if not arrays or len({len(a) for a in arrays}) != 1:
        raise ValueError("Pass one or more rows of images, each with the same number of images.")
    nrows, ncols = len(arrays), len(arrays[0])
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(0.95 * ncols + 1.3, 1.0 * nrows),
        squeeze=False,
        layout="constrained",
    )
    for r, (name, images) in enumerate(zip(rows, arrays, strict=True)):
        for c in range(ncols):
            axes[r, c].imshow(np.clip(images[c], 0, 1), cmap=DIGIT_CMAP, vmin=0, vmax=1)
            axes[r, c].set_xticks([])
            axes[r, c].set_yticks([])
        axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize="x-large")
    names = [str(name) for name in rows]
    if nrows == 1:
        ink = arrays[0].reshape(ncols, -1).mean(axis=1)  # (ncols,)
        start = f"One row of {_plural(ncols, 'digit image')}, labelled '{names[0]}'"
        detail = (
            f"; the mean pixel value (0 no ink, 1 full ink) is {ink[0]:.2f} in the first and "
            f"{ink[-1]:.2f} in the last"
        )
    else:
        start = f"{nrows} rows of {_plural(ncols, 'digit image')}, labelled {_and(names)}"
        gaps = [np.abs(a - arrays[0]).mean() for a in arrays[1:]]
        detail = f"; the mean absolute pixel difference from the '{names[0]}' row is " + _and(
            f"{gap:.2f} for '{name}'" for name, gap in zip(names[1:], gaps, strict=True)
        )
        detail += " (pixels from 0, no ink, to 1, full ink)"
    _describe(
        fig,
        f"{start}{detail}.",
        f"{start}.",
        f"{_plural(nrows, 'row')} of {_plural(ncols, 'digit image')}.",
    )
    return fig


def plot_latent_space(z, labels, ax=None, *, max_points=5000):
    """A 2-D code per digit, coloured by the digit's label, each label written at its median.

    Parameters
    ----------
    z : array, shape (n, 2)
        The encoder's output.
    labels : array, shape (n,)
    max_points : int
        Draw at most this many points (the first ones), to keep the figure light.

    Returns
    -------
    matplotlib.axes.Axes
    """
    z = np.asarray(z, dtype=float)
    labels = np.asarray(labels, dtype=int)
    if z.ndim != 2 or z.shape[1] != 2 or labels.shape != (len(z),):
        raise ValueError(
            f"z must be (n, 2) codes with one label each; got z {z.shape} and labels "
            f"{labels.shape}. Train the autoencoder with latent_dim=2."
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 5.6), layout="constrained")
    z, labels = z[:max_points], labels[:max_points]
    cmap = plt.get_cmap("tab10")
    for digit in np.unique(labels):
        where = labels == digit
        ax.scatter(*z[where].T, s=3, color=cmap(digit % 10), alpha=0.5, label=str(digit))
        cx, cy = np.median(z[where], axis=0)
        ax.text(
            cx,
            cy,
            str(digit),
            fontsize=15,
            weight="bold",
            ha="center",
            va="center",
            color=cmap(digit % 10),
            bbox={"facecolor": "white", "alpha": 0.7, "pad": 1},
        )
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    ax.legend(title="digit", markerscale=4, fontsize="small", loc="best", ncols=2)
    digits = np.unique(labels)
    if len(digits) > 2 and np.array_equal(digits, np.arange(digits[0], digits[-1] + 1)):
        which = f"{digits[0]} to {digits[-1]}"
    else:
        which = _and(digits)
    start = (
        f"Scatter plot of {len(z):,} two-number codes (z1 from {_number(z[:, 0].min())} to "
        f"{_number(z[:, 0].max())}, z2 from {_number(z[:, 1].min())} to "
        f"{_number(z[:, 1].max())}) coloured by digit, {which}, each digit written at its median"
    )
    medians = np.array([np.median(z[labels == d], axis=0) for d in digits])  # (k, 2)
    if len(digits) < 3:
        _describe(ax, f"{start}.")
        return ax
    distance = np.linalg.norm(medians[:, None] - medians[None], axis=-1)  # (k, k)
    pairs = [(i, j) for i in range(len(digits)) for j in range(i)]
    near = min(pairs, key=lambda ij: distance[ij])
    far = max(pairs, key=lambda ij: distance[ij])
    _describe(
        ax,
        f"{start}; the medians of {_and(sorted(digits[list(near)]))} are closest, those of "
        f"{_and(sorted(digits[list(far)]))} farthest apart.",
        f"{start}.",
    )
    return ax


def plot_ode_fits(t, u_exact, predictions: Mapping[str, np.ndarray], t_data, u_data):
    """Networks against the exact solution of an ODE (left) and their errors (right).

    Parameters
    ----------
    t : array, shape (n,)
        Where the curves are drawn.
    u_exact : array, shape (n,)
    predictions : mapping of name -> array (n,)
    t_data, u_data : arrays, shape (N,)
        The measurements the networks were trained on, drawn as dots.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: the curves with the data, then :math:`|u_\\theta(t) - u(t)|` on a log scale.
    """
    t, u_exact = np.ravel(t), np.ravel(u_exact)
    if t.shape != u_exact.shape or not predictions:
        raise ValueError("Pass t and u_exact of the same length and at least one prediction.")
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    left.plot(t, u_exact, color="0.3", lw=3, alpha=0.5, label="exact solution")
    for name, u in predictions.items():
        u = np.ravel(u)
        left.plot(t, u, label=name)
        right.semilogy(t, np.abs(u - u_exact) + 1e-12, label=name)
    # Black marker faces set explicitly, so that the dark variant turns them light too.
    left.plot(
        np.ravel(t_data),
        np.ravel(u_data),
        "o",
        color="black",
        mfc="black",
        mec="black",
        label="measurements",
    )
    data_end = float(np.max(t_data))
    for ax in (left, right):
        ax.axvspan(float(np.min(t_data)), data_end, color="0.9", zorder=0)
        ax.set_xlabel("time $t$")
        ax.grid(alpha=0.3)
    left.set_ylabel("displacement $u(t)$")
    right.set_ylabel(r"absolute error $|u_\theta(t) - u(t)|$")
    left.legend(fontsize="small")
    right.legend(fontsize="small")
    errors = {name: np.abs(np.ravel(u) - u_exact).max() for name, u in predictions.items()}
    start = (
        f"Left: {_and(['the exact solution', *predictions])} against time t from "
        f"{_number(t.min())} to {_number(t.max())}, with {np.size(t_data)} measurements for "
        f"t from {_number(np.min(t_data))} to {_number(data_end)} (shaded); right: their "
        "absolute errors on a log scale"
    )
    most = ", at most " + _and(f"{_number(e)} for {name}" for name, e in errors.items())
    _describe(
        fig,
        f"{start}{most}.",
        f"{start}.",
        f"Left: the exact solution and {_plural(len(predictions), 'network')} against time t, "
        f"with {np.size(t_data)} measurements; right: their absolute errors on a log scale.",
    )
    return fig


def plot_receptive_fields(image, squares: Mapping[str, tuple[int, int]], ax=None):
    """A digit with the square of input pixels that one unit of each layer sees.

    Parameters
    ----------
    image : array, shape (28, 28)
    squares : mapping of layer name -> (corner, side)
        The square's top-left pixel is ``(corner, corner)`` and it is ``side`` pixels wide:
        the receptive field of a unit on the diagonal of that layer's map. Drawn from the
        smallest (darkest) to the largest (lightest).

    Returns
    -------
    matplotlib.axes.Axes
        One rectangle patch per layer, labelled ``"name: side x side"`` in the legend.
    """
    if not squares:
        raise ValueError("Pass at least one layer: a mapping name -> (corner, side).")
    if ax is None:
        _, ax = plt.subplots(figsize=(5.6, 4.2), layout="constrained")
    plot_digit(image, ax)
    # From dark violet to orange: the darkest still reads on a dark page's legend.
    colours = plt.get_cmap("plasma")(np.linspace(0.2, 0.8, len(squares)))
    for (name, (corner, side)), colour in zip(squares.items(), colours, strict=True):
        ax.add_patch(
            plt.Rectangle(
                (corner - 0.5, corner - 0.5),
                side,
                side,
                fill=False,
                edgecolor=colour,
                linewidth=2.2,
                label=f"{name}: {side} \N{MULTIPLICATION SIGN} {side}",
            )
        )
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), title="layer: field")
    spans = [(corner, corner + side) for corner, side in squares.values()]  # (first, end)
    nested = all(b0 <= a0 and a1 <= b1 for (a0, a1), (b0, b1) in itertools.pairwise(spans))
    start = (
        f"A {_digit_size(image)} digit with "
        f"{len(squares)}{' nested' if nested and len(squares) > 1 else ''} "
        f"{'square' if len(squares) == 1 else 'squares'}, the receptive field of one unit per "
        "layer"
    )
    sides = {name: side for name, (_, side) in squares.items()}
    names = list(sides)
    first, last = names[0], names[-1]
    _describe(
        ax,
        f"{start}: "
        + _and(f"{name} {side} by {side}" for name, side in sides.items())
        + " pixels.",
        f"{start}, from {sides[first]} by {sides[first]} pixels for {first} to "
        f"{sides[last]} by {sides[last]} for {last}.",
        f"{start}.",
    )
    return ax


def plot_shift_accuracy(shifts, accuracies: Mapping[str, np.ndarray], ax=None):
    """Accuracy on shifted digits against the size of the shift, one line per model.

    Parameters
    ----------
    shifts : array, shape (m,)
        The shift in pixels.
    accuracies : mapping of model name -> array (m, d)
        The accuracy at each shift for each of ``d`` directions (up, down, left, right).

    Returns
    -------
    matplotlib.axes.Axes
        Per model, a line through the mean over the directions and a band from the worst
        direction to the best.
    """
    shifts = np.ravel(np.asarray(shifts, dtype=float))
    if not accuracies:
        raise ValueError("Pass at least one model's accuracies: a mapping name -> (m, d).")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
    for name, acc in accuracies.items():
        acc = np.asarray(acc, dtype=float)
        if acc.ndim != 2 or len(acc) != len(shifts):
            raise ValueError(
                f"accuracies[{name!r}] must be (shifts, directions) = ({len(shifts)}, d); "
                f"got {acc.shape}."
            )
        (line,) = ax.plot(shifts, 100 * acc.mean(axis=1), "o-", label=name)
        ax.fill_between(
            shifts, 100 * acc.min(axis=1), 100 * acc.max(axis=1), color=line.get_color(), alpha=0.2
        )
    ax.set_xticks(shifts)
    ax.set_xlabel("shift (pixels)")
    ax.set_ylabel("test accuracy (%)")
    ax.grid(alpha=0.3)
    ax.legend()
    a, b = _number(shifts[0]), _number(shifts[-1])
    directions = _plural(len(next(iter(accuracies.values()))[0]), "direction")
    start = (
        f"Line chart of accuracy against a shift of {a} to {b} pixels, a line per model (mean "
        f"of {directions}) in a band from worst to best direction"
    )
    means = {name: 100 * np.asarray(acc, float).mean(axis=1) for name, acc in accuracies.items()}
    ends = f"; mean accuracy at {a} and {b} pixels: " + "; ".join(
        f"{name} {m[0]:.1f}% and {m[-1]:.1f}%" for name, m in means.items()
    )
    _describe(ax, f"{start}{ends}.", f"{start}.")
    return ax
