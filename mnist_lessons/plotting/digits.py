"""Figures of the data: digits, pixel maps, one-hot vectors, class balance, channels.

Matplotlib only, no TensorFlow. One-panel functions take ``ax=None`` (a new figure) and return
the Axes; several-panel ones return the Figure. Nothing is shown or closed here. Digits use
``gray_r``: 0 (background) is white and 255 (ink) black, like pencil on paper.
"""

from __future__ import annotations

import math
import re

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import Normalize

from mnist_lessons.data import check_labels
from mnist_lessons.plotting.output import alt_text

__all__ = [
    "DIGIT_CMAP",
    "TIMES",
    "plot_channels",
    "plot_class_balance",
    "plot_digit",
    "plot_digit_grid",
    "plot_mean_images",
    "plot_one_hot",
    "plot_pixel_values",
    "text_colour",
]

DIGIT_CMAP = "gray_r"
TIMES = "\N{MULTIPLICATION SIGN}"

# --- checks and helpers --------------------------------------------------------------------


def _as_image(image, name: str = "image") -> np.ndarray:
    """Return ``image`` as a 2-D array of numbers; a flat square row such as (784,) is reshaped."""
    image = np.asarray(image)
    if image.ndim == 1 and image.size and math.isqrt(image.size) ** 2 == image.size:
        image = image.reshape(math.isqrt(image.size), -1)  # (784,) -> (28, 28)
    if image.ndim != 2 or image.size == 0:
        raise ValueError(
            f"{name} must be one grayscale image shaped (height, width), or a flat row of a "
            f"square one such as (784,), got shape {image.shape}. For a stack, pick one: x[i]."
        )
    if not (np.issubdtype(image.dtype, np.integer) or np.issubdtype(image.dtype, np.floating)):
        raise ValueError(f"{name} must hold numbers, got dtype {image.dtype}.")
    return image


def _pixel_max(image: np.ndarray, vmax: float | None) -> float:
    """The value drawn as full ink: 255 for raw integer pixels, 1 for scaled floats."""
    if vmax is not None:
        return float(vmax)
    if np.issubdtype(image.dtype, np.integer):
        return 255.0
    if image.max() > 1.0:
        raise ValueError(
            f"Float pixels are expected scaled to [0, 1], but the maximum is {image.max():g}. "
            "Scale them with mnist_lessons.data.scale(), or pass vmax=255."
        )
    return 1.0


def _size(image) -> str:
    return f"{image.shape[0]} by {image.shape[1]} pixel"


def _ink(image) -> str:
    """How many pixels of an image hold ink (are not 0), in words."""
    return f"{np.count_nonzero(image):,} of its {image.size:,} pixels hold ink"


def _new_axes(ax, figsize):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def fit_alt(sentence: str, *endings: str, limit: int = 250) -> str:
    """``sentence`` and the first of ``endings`` with which it stays within ``limit``.

    Alt text is built from the figure's data, whose size varies: the endings go from the most
    detailed (a list of titles, each panel's extremes) to the plainest, the last one to use
    when a long input would push the details past what a screen reader should read out.
    """
    for ending in endings:
        if len(sentence) + len(ending) <= limit:
            return sentence + ending
    return sentence + (endings[-1] if endings else "")


def _plain(label) -> str:
    """A title or mathtext label in plain words for alt text: ``"$w_1$"`` -> ``"w1"``."""
    text = str(label).replace("\n", " ").replace("\\", "")
    if "$" not in text:  # a name such as "leaky_relu"
        return " ".join(text.replace("_", " ").split())
    return " ".join(re.sub(r"[$_{}]", "", text).split())


def text_colour(cmap, norm, value) -> str:
    """``"white"`` on a cell that ``cmap`` draws dark, ``"black"`` on a light one.

    .. math:: L = 0.2126 R + 0.7152 G + 0.0722 B, \\quad \\text{white if } L < 0.5
    """
    r, g, b, _ = plt.get_cmap(cmap)(norm(value))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b  # ITU-R BT.709 weights
    return "white" if luminance < 0.5 else "black"


# --- digits --------------------------------------------------------------------------------


def plot_digit(image, ax=None, title=None, *, cmap=DIGIT_CMAP, vmax=None):
    """Draw one grayscale digit, without ticks.

    Parameters
    ----------
    image : array, shape (28, 28) or (784,)
        Raw pixels (0 to 255) or floats scaled to [0, 1].
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 3 x 3 inch figure if ``None``.
    title : str, optional
        The axes' title, for example the digit's label.
    cmap : str
        Colour map.
    vmax : float, optional
        The value drawn as full ink; by default 255 for integers and 1 for floats.

    Returns
    -------
    matplotlib.axes.Axes
    """
    image = _as_image(image)
    own_figure = ax is None
    ax = _new_axes(ax, (3, 3))
    ax.imshow(image, cmap=cmap, vmin=0, vmax=_pixel_max(image, vmax))
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(str(title))
    if own_figure:  # a panel of a larger figure is described by that figure
        titled = "" if title is None else f", titled '{_plain(title)}'"
        alt_text(
            ax,
            f"A handwritten digit{titled}, drawn as a {_size(image)} grayscale image; "
            f"{_ink(image)}.",
        )
    return ax


def plot_digit_grid(images, titles=None, ncols=10, *, cmap=DIGIT_CMAP, vmax=None):
    """Draw digits in rows of ``ncols``, one axes per image, each with its own title.

    Parameters
    ----------
    images : array, shape (n, 28, 28) or (n, 784)
    titles : sequence of n str or numbers, optional
        One title per digit: its label, or for example ``"true 3, pred 5 (0.87)"``.
    ncols : int
        Digits per row; panels widen to fit the longest title.
    cmap, vmax
        As in :func:`plot_digit`.

    Returns
    -------
    matplotlib.figure.Figure
        With exactly ``n`` axes, in the order of ``images``.
    """
    images = np.asarray(images)
    if images.ndim not in (2, 3) or len(images) == 0:
        raise ValueError(
            f"images must be a non-empty stack shaped (n, 28, 28) or (n, 784), got shape "
            f"{images.shape}. For a single digit, use plot_digit()."
        )
    if isinstance(ncols, bool) or not isinstance(ncols, int | np.integer) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}.")
    if titles is not None and len(titles) != len(images):
        raise ValueError(
            f"Give one title per image: got {len(images)} images, {len(titles)} titles."
        )
    titles = [None] * len(images) if titles is None else [str(t) for t in titles]
    lines = [t.split("\n") for t in titles if t is not None] or [[""]]
    longest = max(len(line) for t in lines for line in t)  # characters, to size the panels
    n_lines = max(len(t) for t in lines)
    ncols = min(int(ncols), len(images))
    nrows = math.ceil(len(images) / ncols)
    side = max(1.0, 0.1 * longest + 0.15)  # inches: wide enough for 12-point titles
    fig = plt.figure(figsize=(side * ncols, (side + 0.25 * n_lines) * nrows), layout="constrained")
    for i, (image, title) in enumerate(zip(images, titles, strict=True)):
        ax = plot_digit(image, fig.add_subplot(nrows, ncols, i + 1), title, cmap=cmap, vmax=vmax)
        ax.title.set_fontsize("large")
    shape = images.shape[1:] if images.ndim == 3 else _as_image(images[0]).shape
    rows = f"{nrows} rows of {ncols}" if nrows > 1 else "one row"
    sentence = (
        f"{len(images)} handwritten digit{'s' if len(images) > 1 else ''}, "
        f"{shape[0]} by {shape[1]} pixels each, in {rows}"
    )
    separator = "; " if any("," in t for t in titles if t is not None) else ", "
    named = separator.join(_plain(t) for t in titles if t is not None)
    extras = [f", titled in reading order: {named}."] if named else []
    alt_text(fig, fit_alt(sentence, *extras, ", each with its title." if named else "."))
    return fig


def plot_pixel_values(image, ax=None, *, cmap=DIGIT_CMAP, vmax=None):
    """Draw a digit with each pixel's value written on it, row by row.

    The text is white on dark pixels and black on light ones (:func:`text_colour`). Integers
    are written as they are, floats with two decimals.

    Parameters
    ----------
    image, cmap, vmax
        As in :func:`plot_digit`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 10 x 10 inch figure if ``None``, which keeps 3-digit numbers
        legible when a web page shrinks the figure to its column.

    Returns
    -------
    matplotlib.axes.Axes
        With one text per pixel.
    """
    image = _as_image(image)
    integer = np.issubdtype(image.dtype, np.integer)
    own_figure = ax is None
    ax = _new_axes(ax, (10, 10))
    norm = Normalize(vmin=0, vmax=_pixel_max(image, vmax))
    ax.imshow(image, cmap=cmap, norm=norm)
    for (row, col), value in np.ndenumerate(image):
        text = f"{int(value)}" if integer else f"{value:.2f}"
        colour = text_colour(cmap, norm, value)
        ax.text(col, row, text, ha="center", va="center", fontsize=10, color=colour)
    ax.set_xticks(np.arange(0, image.shape[1], 3))
    ax.set_yticks(np.arange(0, image.shape[0], 3))
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    if own_figure:
        zeros = image.size - np.count_nonzero(image)
        alt_text(
            ax,
            f"A handwritten digit as a {_size(image)} grid with each pixel's value written on "
            f"it: {zeros:,} of the {image.size:,} values are 0 (the background), the others "
            f"rise to {_number(image.max())} in the strongest strokes.",
        )
    return ax


def _number(value) -> str:
    value = value.item() if hasattr(value, "item") else value
    return f"{value:,}" if isinstance(value, int) else f"{value:.2f}"


# --- labels ----------------------------------------------------------------------------------


def plot_one_hot(label, vector, ax=None):
    """Draw a one-hot vector as a row of cells indexed from 0, its 1 framed in red.

    Parameters
    ----------
    label : int
        The class the vector encodes.
    vector : array of 0s and one 1, shape (k,)
        Its one-hot encoding, for example ``one_hot(y)[i]``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 7 x 1.7 inch figure if ``None``.

    Raises
    ------
    ValueError
        If ``vector`` is not one-hot, or its 1 is not at index ``label``.
    """
    vector = np.asarray(vector)
    if vector.ndim != 1 or vector.size == 0:
        raise ValueError(f"vector must be one 1-D one-hot row, got shape {vector.shape}.")
    if not (np.isin(vector, (0, 1)).all() and vector.sum() == 1):
        raise ValueError(
            f"vector must hold a single 1 and zeros elsewhere, got {vector.tolist()}. "
            "Encode labels with mnist_lessons.data.one_hot()."
        )
    if isinstance(label, bool) or not isinstance(label, int | np.integer):
        raise ValueError(f"label must be an integer class index, got {label!r}.")
    hot = int(np.argmax(vector))
    if hot != label:
        raise ValueError(
            f"The vector's 1 sits at index {hot}, so it does not encode label {label}: "
            "check that the label and the vector belong to the same example."
        )
    own_figure = ax is None
    ax = _new_axes(ax, (7, 1.7))
    norm = Normalize(vmin=0, vmax=1)
    ax.imshow(vector[None, :], cmap=DIGIT_CMAP, norm=norm)  # (1, k)
    for k, value in enumerate(vector.tolist()):
        colour = text_colour(DIGIT_CMAP, norm, value)
        ax.text(k, 0, f"{value:g}", ha="center", va="center", fontsize="large", color=colour)
    frame = plt.Rectangle((hot - 0.5, -0.5), 1, 1, fill=False, edgecolor="tab:red", linewidth=3)
    ax.add_patch(frame)
    ax.set_xticks(np.arange(vector.size))
    ax.set_yticks([])
    ax.set_xlabel("index (class)")
    ax.set_title(f"label {int(label)}  →  one-hot vector: the 1 sits at index {hot}")
    if own_figure:
        alt_text(
            ax,
            f"A row of {vector.size} cells indexed 0 to {vector.size - 1}, the one-hot vector "
            f"of label {hot}: every cell holds 0 except index {hot}, which holds 1 and is "
            "framed in red.",
        )
    return ax


def plot_class_balance(y_train, y_test, ax=None, *, num_classes=10):
    """Grouped bars: each class's share (in %) of the training set and of the test set.

    Shares, not counts, because the two sets differ in size; each bar is labelled with its
    count, and a dashed line marks equal shares, :math:`100 / K` %.

    Parameters
    ----------
    y_train, y_test : array of int, shape (n,)
        The labels of the two splits.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 7.5 x 4 inch figure if ``None``.
    num_classes : int
        :math:`K`.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.containers`` holds the training bars, then the test bars.
    """
    splits = {"train": y_train, "test": y_test}
    splits = {name: check_labels(y, num_classes, f"y_{name}") for name, y in splits.items()}
    own_figure = ax is None
    ax = _new_axes(ax, (7.5, 4))
    classes = np.arange(num_classes)
    width = 0.4
    top = 0.0
    for offset, (name, labels) in zip((-width / 2, width / 2), splits.items(), strict=True):
        counts = np.bincount(labels, minlength=num_classes)  # (num_classes,)
        shares = 100 * counts / counts.sum()
        bars = ax.bar(classes + offset, shares, width, label=f"{name} ({len(labels):,} images)")
        counts_text = [f"{c:,}" for c in counts]
        ax.bar_label(bars, labels=counts_text, rotation=90, padding=3, fontsize="small")
        top = max(top, shares.max())
    equal = 100 / num_classes
    ax.axhline(
        equal, color="0.3", linestyle="--", linewidth=1, label=f"equal shares ({equal:g} %)"
    )
    ax.set_ylim(0, 1.45 * top)
    ax.set_xticks(classes)
    ax.set_xlabel("digit")
    ax.set_ylabel("share of its split (%)")
    ax.set_title("How often each digit occurs (bar height: share; number on it: count)")
    ax.legend(loc="upper center", ncols=3)
    if own_figure:
        extremes = []
        for name, labels in splits.items():
            counts = np.bincount(labels, minlength=num_classes)
            most, least = int(counts.argmax()), int(counts.argmin())
            extremes.append(
                f"in {_SPLIT[name]}, {most} is the most frequent ({counts[most]:,}) and "
                f"{least} the least ({counts[least]:,})"
            )
        sizes = " and ".join(f"{_SPLIT[name]} ({len(y):,} images)" for name, y in splits.items())
        alt_text(
            ax,
            f"Grouped bar chart of the share of each of the {num_classes} digits in the "
            f"{sizes} sets; {'; '.join(extremes)}.",
        )
    return ax


_SPLIT = {"train": "training", "test": "test"}


def plot_mean_images(images, labels, *, num_classes=10, ncols=5):
    """Draw the mean image of each class, titled with the class and how many images it has.

    .. math:: \\bar{x}_k = \\frac{1}{n_k} \\sum_{i : y_i = k} x_i

    Parameters
    ----------
    images : array, shape (n, 28, 28)
        Raw integer pixels or floats in [0, 1].
    labels : array of int, shape (n,)
        Their labels, :math:`y_i`.
    num_classes, ncols : int

    Returns
    -------
    matplotlib.figure.Figure
        With one axes per class, in class order.
    """
    images = np.asarray(images)
    labels = check_labels(labels, num_classes)
    if images.ndim != 3 or len(images) != len(labels):
        raise ValueError(
            f"images must be shaped (n, height, width) with one label each; got images "
            f"{images.shape} and {len(labels)} labels."
        )
    counts = np.bincount(labels, minlength=num_classes)  # (num_classes,)
    if not counts.all():
        missing = np.flatnonzero(counts == 0).tolist()
        raise ValueError(f"No image of class {missing}: pass images of every class.")
    vmax = 255.0 if np.issubdtype(images.dtype, np.integer) else 1.0
    means = np.stack([images[labels == k].mean(axis=0) for k in range(num_classes)])
    titles = [f"mean of the {k}s\n(n = {counts[k]:,})" for k in range(num_classes)]
    fig = plot_digit_grid(means, titles=titles, ncols=ncols, vmax=vmax)
    fewest, most = int(counts.argmin()), int(counts.argmax())
    alt_text(
        fig,
        f"{num_classes} blurred grayscale images, the pixel-by-pixel mean of each class 0 to "
        f"{num_classes - 1} over {len(labels):,} images, each titled with its count, from "
        f"{counts[fewest]:,} images of {fewest} to {counts[most]:,} of {most}.",
    )
    return fig


# --- channels --------------------------------------------------------------------------------


def plot_channels(photo, digit):
    """A colour photo and its red, green and blue channels, beside an MNIST digit's one channel.

    The four single-channel maps share one scale, 0 black to 255 white, shown by a colour bar.

    Parameters
    ----------
    photo : array of uint8, shape (height, width, 3)
        An RGB photo, for example ``sklearn.datasets.load_sample_image("china.jpg")``.
    digit : array of uint8, shape (28, 28)
        One MNIST digit, as :func:`~mnist_lessons.data.load_mnist` returns it.

    Returns
    -------
    matplotlib.figure.Figure
        Five image axes, told apart by their titles, then a colour bar's.
    """
    photo, digit = np.asarray(photo), _as_image(digit, "digit")
    if photo.ndim != 3 or photo.shape[2] != 3 or photo.dtype != np.uint8:
        raise ValueError(
            f"photo must be an RGB uint8 image shaped (height, width, 3), got shape "
            f"{photo.shape} and dtype {photo.dtype}."
        )
    if digit.dtype != np.uint8:
        raise ValueError(
            f"digit must hold raw uint8 pixels (0 to 255) to share the photo's scale, got "
            f"{digit.dtype}. Pass the digit as load_mnist() returns it, before scale()."
        )
    height, width, _ = photo.shape
    mosaic = [["photo", "R", "digit"], ["G", "B", "digit"]]
    ratios = [width / height, width / height, 2.0]
    fig, axes = plt.subplot_mosaic(
        mosaic, figsize=(9, 3.8), width_ratios=ratios, layout="constrained"
    )
    axes["photo"].imshow(photo)
    axes["photo"].set_title("colour photo: 3 channels")
    axes["photo"].set_xlabel(f"{height} {TIMES} {width} {TIMES} 3 numbers")
    for c, name in enumerate(("red", "green", "blue")):
        key = name[0].upper()
        image = axes[key].imshow(photo[:, :, c], cmap="gray", vmin=0, vmax=255)
        axes[key].set_title(f"{name} channel ({key})")
        axes[key].set_xlabel(f"{height} {TIMES} {width} numbers")
    axes["digit"].imshow(digit, cmap="gray", vmin=0, vmax=255)
    axes["digit"].set_title("MNIST digit: 1 channel")
    axes["digit"].set_xlabel(f"{digit.shape[0]} {TIMES} {digit.shape[1]} numbers")
    for ax in axes.values():
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(image, ax=axes["digit"], label="pixel value", ticks=[0, 64, 128, 192, 255])
    means = ", ".join(f"{n} {photo[:, :, c].mean():.0f}" for c, n in enumerate("RGB"))
    alt_text(
        fig,
        f"A colour photo of {height} by {width} pixels, its red, green and blue channels as "
        f"three grey maps (mean values {means}), and a {digit.shape[0]} by {digit.shape[1]} "
        "MNIST digit's single channel, all on one scale from 0 black to 255 white.",
    )
    return fig
