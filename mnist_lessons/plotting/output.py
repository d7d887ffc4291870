"""How a figure leaves the notebook: its alt text, and a variant for the site's dark mode.

A chapter describes each figure it draws in words computed from the figure's own data::

    ax = plotting.plot_class_balance(y_train, y_test)
    plotting.alt_text(ax, f"Bar chart of the 10 digit classes; the most frequent is ...")

In a Jupyter kernel (the book's build, Binder), :func:`alt_text` also installs a PNG formatter
for Matplotlib figures that sends, with every figure,

- ``metadata["image/png"]["alt"]``: the figure's alt text, and
- ``metadata["image/png"]["dark"]``: the same figure drawn for a dark page, base64 PNG: a
  transparent background, and every grey (black text, axes, spines, grid, reference lines,
  white boxes) turned to its opposite grey. Coloured lines, bars and images keep their colours.

The book's myst-nb renderer (:mod:`mnist_lessons.site.render`) turns them into the ``alt`` of
the page's image and into a second image that only dark mode shows. Outside a kernel nothing is
registered, and :func:`alt_text` only stores the text on the figure.
"""

from __future__ import annotations

import base64
import io
import pickle
import re

import matplotlib.colors as mcolors
import numpy as np
from matplotlib.artist import Artist
from matplotlib.collections import Collection
from matplotlib.figure import Figure, SubFigure
from matplotlib.image import AxesImage
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

__all__ = ["ALT_TEXT_MAX", "alt_text", "dark_variant", "figure_png", "get_alt_text"]

ALT_TEXT_MAX = 300  # characters; the issue asks "at most about 250"
_ATTRIBUTE = "_mnist_lessons_alt_text"
_FILE_LIKE = re.compile(r"(\.(png|jpe?g|svg|pdf)\b|_images/|\b[0-9a-f]{16,}\b)", re.IGNORECASE)
GREY_SATURATION = 0.12  # a colour whose channels differ by less than this counts as a grey
# Colour maps whose white end would be a bright slab on a dark page, and their dark-page twins:
# digits become white ink on black (MNIST's own look), signed maps get a dark zero.
DARK_COLORMAPS = {
    "gray_r": "gray",
    "Greys": "Greys_r",
    "binary": "gray",
    "RdBu": "berlin_r",
    "RdBu_r": "berlin",
    "bwr": "berlin",
    "seismic": "berlin",
}


def _figure_of(figure_or_axes) -> Figure:
    figure = getattr(figure_or_axes, "figure", figure_or_axes)
    while isinstance(figure, SubFigure):
        figure = figure.figure
    if not isinstance(figure, Figure):
        raise ValueError(
            f"alt_text() takes a Matplotlib Figure or Axes, got {type(figure_or_axes).__name__}."
        )
    return figure


def alt_text(figure_or_axes, text: str) -> None:
    """Give a figure the alt text a screen reader reads in its place.

    It returns nothing, so that a cell may end with it without showing the figure twice.

    Parameters
    ----------
    figure_or_axes : Figure or Axes
        The figure, or any Axes of it.
    text : str
        One or two sentences that say what the figure shows, with its numbers (the caption
        says what to see in it): at most :data:`ALT_TEXT_MAX` characters, never a file name.

    Raises
    ------
    ValueError
        If the text is empty, too long, or looks like a file name or a hash.
    """
    figure = _figure_of(figure_or_axes)
    text = " ".join(str(text).split())
    if len(text) < 20:
        raise ValueError(
            f"Alt text {text!r} is too short to say what the figure shows: describe its content "
            "and its main numbers in a sentence."
        )
    if len(text) > ALT_TEXT_MAX:
        raise ValueError(
            f"Alt text of {len(text)} characters is too long for a screen reader: keep it under "
            f"{ALT_TEXT_MAX} and leave what to notice to the caption. It starts: {text[:60]!r}."
        )
    if _FILE_LIKE.search(text):
        raise ValueError(f"Alt text {text!r} reads like a file name or a hash: say what it shows.")
    setattr(figure, _ATTRIBUTE, text)
    _register_formatter()


def get_alt_text(figure_or_axes) -> str | None:
    """The alt text :func:`alt_text` gave the figure, or None."""
    return getattr(_figure_of(figure_or_axes), _ATTRIBUTE, None)


def _flip_grey(colour):
    """A grey's opposite grey (black <-> white), alpha kept; any other colour unchanged."""
    if colour is None or (isinstance(colour, str) and colour.lower() in ("none", "auto")):
        return colour
    try:
        r, g, b, a = mcolors.to_rgba(colour)
    except (ValueError, TypeError):
        return colour
    if max(r, g, b) - min(r, g, b) >= GREY_SATURATION:
        return (r, g, b, a)
    # Light and dark greys swap; mid-greys move towards the light side, to stay legible on a
    # dark page (the theme's dark background is about 0.1 grey).
    return (1.0 - 0.85 * r, 1.0 - 0.85 * g, 1.0 - 0.85 * b, a)


def _flip_array(colours):
    colours = np.asarray(colours, dtype=float)
    if colours.ndim != 2 or colours.shape[0] == 0:
        return colours
    return np.array([_flip_grey(tuple(c)) for c in colours])


def _recolour(artist: Artist) -> None:
    if isinstance(artist, Text):
        artist.set_color(_flip_grey(artist.get_color()))
        box = artist.get_bbox_patch()
        if box is not None:
            _recolour(box)
        arrow = getattr(artist, "arrow_patch", None)  # an annotation's arrow: findobj misses it
        if arrow is not None:
            _recolour(arrow)
    elif isinstance(artist, Line2D):
        # the markers' colours first: left to follow the line, they would read the new colour
        face, edge = artist.get_markerfacecolor(), artist.get_markeredgecolor()
        artist.set_color(_flip_grey(artist.get_color()))
        artist.set_markerfacecolor(_flip_grey(face))
        artist.set_markeredgecolor(_flip_grey(edge))
    elif isinstance(artist, Patch):
        artist.set_facecolor(_flip_grey(artist.get_facecolor()))
        artist.set_edgecolor(_flip_grey(artist.get_edgecolor()))
    elif isinstance(artist, Collection) and not isinstance(artist, AxesImage):
        if artist.get_array() is None:  # colours not from a colormap
            artist.set_facecolor(_flip_array(artist.get_facecolor()))
        artist.set_edgecolor(_flip_array(artist.get_edgecolor()))


def _grey_reversed(ax) -> bool:
    """Whether every colour-mapped thing in the axes has a reversed grey as its dark twin."""
    mapped = [a for a in [*ax.images, *ax.collections] if a.get_array() is not None]
    return bool(mapped) and all(
        DARK_COLORMAPS.get(a.get_cmap().name) in ("gray", "Greys_r") for a in mapped
    )


def _darken_colormaps(figure: Figure) -> bool:
    """Give every image and colour-mapped mesh (colour bars too) its map's dark twin.

    All or none, so that a colour bar always matches its image: labels written over an image
    were coloured against its present colours, so the whole figure keeps its maps, unless the
    image's twin is its reversed grey (then every cell's grey inverts, and the labels, flipped
    with the other greys, stay legible). Returns whether the maps changed.
    """
    mapped = [
        (ax, artist)
        for ax in figure.axes
        for artist in [*ax.images, *ax.collections]
        if artist.get_array() is not None and artist.get_cmap().name in DARK_COLORMAPS
    ]
    if not mapped or any(ax.texts and not _grey_reversed(ax) for ax, _ in mapped):
        return False
    for _, artist in mapped:
        artist.set_cmap(DARK_COLORMAPS[artist.get_cmap().name])
    return True


def dark_variant(figure_or_axes, *, dpi: float | None = None) -> bytes:
    """The figure drawn for a dark page, as PNG bytes; the figure itself is left unchanged.

    A copy of the figure gets a transparent background, and each grey artist (text, axes and
    spines, ticks, grid, reference lines, legend frames, white boxes) its opposite grey.
    Coloured artists keep their colours. Images drawn with a colour map whose white end would
    glare (digits in ``gray_r``, signed weights in ``RdBu``) get its dark twin from
    :data:`DARK_COLORMAPS`, unless labels are written over them.
    """
    figure = _figure_of(figure_or_axes)
    copy = pickle.loads(pickle.dumps(figure))
    if copy.canvas.manager is not None:  # pyplot adopted the copy: the notebook must not show it
        import matplotlib.pyplot as plt

        plt.close(copy)
    copy.patch.set_facecolor("none")
    keep = set()  # the axes' own backgrounds, and labels written over an image or a heat map
    grey = {id(ax) for ax in copy.axes if _grey_reversed(ax)}
    inverted = _darken_colormaps(copy)
    for ax in copy.axes:
        keep.add(id(ax.patch))
        if inverted and id(ax) in grey:
            continue  # its greys all inverted: its labels flip with the other greys below
        if ax.images or any(c.get_array() is not None for c in ax.collections):
            # Labels over an image's cells were coloured against the cell, not the page; the
            # background stays too, where a masked cell lets it show.
            keep.update(id(text) for text in ax.texts)
        else:
            ax.patch.set_facecolor("none")
    for artist in copy.findobj(include_self=False):
        if id(artist) in keep:
            continue
        if isinstance(artist, Legend):
            artist.get_frame().set_facecolor((0.12, 0.13, 0.15, 0.85))
            artist.get_frame().set_edgecolor((0.45, 0.45, 0.45, 1.0))
            continue
        _recolour(artist)
    buffer = io.BytesIO()
    # The figure's own background is "none", which savefig keeps: transparent around the axes,
    # while an image's axes keep theirs (transparent=True would clear those too).
    copy.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def figure_png(figure: Figure) -> tuple[bytes, dict]:
    """The figure as PNG bytes as the inline backend draws it, and its metadata (alt, dark)."""
    from IPython.core.pylabtools import print_figure

    png = print_figure(figure, "png")  # exactly what the inline backend would send
    metadata = {"dark": base64.b64encode(dark_variant(figure, dpi=figure.dpi)).decode("ascii")}
    text = get_alt_text(figure)
    if text is not None:
        metadata["alt"] = text
    return png, metadata


def _register_formatter() -> None:
    """In an IPython kernel, send every figure's PNG with its alt text and dark variant."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.display_formatter.formatters["image/png"].for_type(Figure, figure_png)
