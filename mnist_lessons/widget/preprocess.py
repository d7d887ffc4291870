"""A drawing made MNIST-like: crop, scale to 20x20, centre by centre of mass in 28x28.

MNIST was made this way (LeCun, Cortes and Burges): each black-and-white NIST digit was scaled
to fit a 20x20 box keeping its aspect ratio, anti-aliased to grey levels, and placed in a 28x28
field so that its centre of mass falls on pixel (14, 14), counting from 0 (MNIST's centre of a
field with no middle pixel; the exact middle is 13.5). A digit drawn with a mouse is read by
the network only after the same steps. The page does them in JavaScript
(``explore/math/preprocess.js``, which the draw-a-digit widget and the explorables import),
name for name as :func:`preprocess` does them here; a Node test and the browser tests check
that both give the same 28x28 image for the same drawing.

NumPy only: this module never imports TensorFlow.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np

__all__ = [
    "BOX",
    "FIELD",
    "MIN_EXTENT",
    "TOO_SMALL",
    "DrawingTooSmall",
    "Steps",
    "area_resize",
    "center_of_mass",
    "preprocess",
    "preprocess_steps",
    "render_strokes",
]

FIELD = 28  # the side of an MNIST image
BOX = 20  # the side of the box the digit is scaled into
# A drawing whose longer side is under this share of the canvas's is too small to read: with
# the widget's pen (a 14th of the canvas), its stroke would fill much of the 20x20 box, a blob
# that the network reads as a 0 or an 8 with confidence. The JavaScript uses the same value.
MIN_EXTENT = 0.25
TOO_SMALL = "That is a dot or a blob, too small to read: draw a bigger digit."


class DrawingTooSmall(ValueError):
    """The canvas is empty, or holds a dot or a blob rather than a digit."""


def _round(x: float) -> int:
    """Round half up, as ``Math.floor(x + 0.5)`` does in the JavaScript (not to even)."""
    return math.floor(x + 0.5)


def _check_canvas(canvas) -> np.ndarray:
    canvas = np.asarray(canvas)
    if canvas.ndim != 2 or min(canvas.shape) < 1:
        raise ValueError(
            f"Give the drawing as one grey-level image shaped (height, width); got shape "
            f"{canvas.shape}. For an RGBA canvas pass its alpha channel, canvas[..., 3]."
        )
    if canvas.dtype == np.uint8:
        return canvas.astype(np.float64) / 255.0
    if not np.issubdtype(canvas.dtype, np.floating) and not np.issubdtype(
        canvas.dtype, np.integer
    ):
        raise ValueError(f"The drawing must hold numbers, got dtype {canvas.dtype}.")
    canvas = canvas.astype(np.float64)
    if not np.all(np.isfinite(canvas)) or canvas.min() < 0.0 or canvas.max() > 1.0:
        raise ValueError(
            "Grey levels must lie in [0, 1] (ink 1, paper 0); scale uint8 images by 1/255 or "
            "pass them as uint8."
        )
    return canvas


def _snap(x: float) -> float:
    """``x`` to the nearest multiple of 2**-20, as the JavaScript's ``_snap`` does.

    A symmetric drawing has its centre of mass on a half pixel, where rounding is a tie; the
    sums that find it (NumPy's pairwise sum here, a loop in the page) land a few units in the
    last place either side of it, so unsnapped the two would shift the digit by a whole pixel
    in opposite directions. Snapped, both see the exact half and round it up.
    """
    return math.floor(x * 2**20 + 0.5) / 2**20


def _area_weights(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in): output pixel i averages the interval [i s, (i + 1) s), s = n_in / n_out."""
    s = n_in / n_out
    edges = np.arange(n_out + 1) * s  # (n_out + 1,)
    j = np.arange(n_in)  # input pixel j covers [j, j + 1)
    overlap = np.minimum(edges[1:, None], j + 1) - np.maximum(edges[:-1, None], j)
    return np.clip(overlap, 0.0, None) / s


def area_resize(image: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Resize by area averaging: each output pixel is the mean of the input area it covers.

    .. math:: y_{ik} = \\sum_{j,l} R_{ij} \\, x_{jl} \\, C_{kl}, \\quad
              R_{ij} = |[i s, (i+1) s) \\cap [j, j+1)| / s

    with :math:`s` the input pixels per output pixel along that axis (and :math:`C` likewise
    for the columns). It keeps the mean grey level and anti-aliases the edges.
    """
    image = np.asarray(image, dtype=np.float64)
    rows, cols = shape
    if image.ndim != 2 or rows < 1 or cols < 1:
        raise ValueError(
            f"Resize one 2-D image to a positive shape; got {image.shape} -> {shape}."
        )
    R = _area_weights(image.shape[0], rows)  # (rows, h)
    C = _area_weights(image.shape[1], cols)  # (cols, w)
    return R @ image @ C.T  # (rows, cols)


def center_of_mass(image: np.ndarray) -> tuple[float, float]:
    """The grey-level centre of mass (row, column) in pixel-index coordinates.

    .. math:: \\bar r = \\frac{\\sum_{r,c} r \\, x_{rc}}{\\sum_{r,c} x_{rc}}, \\quad
              \\bar c = \\frac{\\sum_{r,c} c \\, x_{rc}}{\\sum_{r,c} x_{rc}}
    """
    image = np.asarray(image, dtype=np.float64)
    mass = image.sum()
    if not mass > 0:
        raise DrawingTooSmall("An empty image has no centre of mass: draw something first.")
    rows, cols = np.indices(image.shape)
    return float((rows * image).sum() / mass), float((cols * image).sum() / mass)


@dataclasses.dataclass(frozen=True)
class Steps:
    """Every stage of :func:`preprocess`, for figures and tests."""

    crop: np.ndarray  # (h, w): the bounding box of the ink
    box: np.ndarray  # (rows, cols), longer side BOX: scaled keeping the aspect ratio
    center: tuple[float, float]  # the centre of mass of ``box``, (row, column)
    offset: tuple[int, int]  # where ``box``'s top-left corner goes in the 28x28 field
    image: np.ndarray  # (28, 28) in [0, 1]: what the network reads


def preprocess_steps(canvas, *, min_extent: float = MIN_EXTENT) -> Steps:
    """:func:`preprocess`, returning each stage.

    Raises
    ------
    DrawingTooSmall
        (a ``ValueError``) if the canvas holds no ink, or ink whose longer side is under
        ``min_extent`` (a quarter, :data:`MIN_EXTENT`) of the canvas's longer side: a dot or
        a blob. Pass ``min_extent=0`` to preprocess it anyway.
    """
    canvas = _check_canvas(canvas)  # (H, W) in [0, 1]
    ink_rows = np.flatnonzero(canvas.max(axis=1) > 0)
    ink_cols = np.flatnonzero(canvas.max(axis=0) > 0)
    if ink_rows.size == 0:
        raise DrawingTooSmall("The canvas is empty: draw a digit first.")
    top, bottom, left, right = ink_rows[0], ink_rows[-1] + 1, ink_cols[0], ink_cols[-1] + 1
    h, w = bottom - top, right - left
    if max(h, w) < min_extent * max(canvas.shape):
        raise DrawingTooSmall(TOO_SMALL)
    crop = canvas[top:bottom, left:right]  # (h, w)
    longer = max(h, w)
    shape = (max(1, _round(h * BOX / longer)), max(1, _round(w * BOX / longer)))
    box = area_resize(crop, shape)  # (rows, cols), the longer side BOX
    box = box / box.max()  # the darkest pixel full ink, as in MNIST
    center = center_of_mass(box)
    # Centre of mass within half a pixel of pixel (14, 14), as in MNIST; keep the box inside.
    offset = tuple(
        min(max(_round(FIELD / 2 - _snap(c)), 0), FIELD - n)
        for c, n in zip(center, box.shape, strict=True)
    )
    image = np.zeros((FIELD, FIELD))  # (28, 28)
    image[offset[0] : offset[0] + box.shape[0], offset[1] : offset[1] + box.shape[1]] = box
    return Steps(crop=crop, box=box, center=center, offset=offset, image=image)


def preprocess(canvas, *, min_extent: float = MIN_EXTENT) -> np.ndarray:
    """A grey-level drawing (ink 1, paper 0) as a 28x28 MNIST-like image in [0, 1].

    1. Crop to the bounding box of the ink (the pixels above 0).
    2. Scale, by :func:`area_resize`, so that the longer side is 20 pixels, keeping the
       aspect ratio; then divide by the largest value so the darkest pixel is 1.
    3. Place it in a 28x28 field, shifted by whole pixels so that its centre of mass
       (:func:`center_of_mass`) lands on pixel (14, 14) (rounded half up; clipped so the
       digit stays inside).

    ``canvas`` is (height, width), floats in [0, 1] or uint8 (divided by 255). Raises
    :class:`DrawingTooSmall` for an empty canvas, or for ink whose longer side is under
    ``min_extent`` of the canvas's (a dot or a blob).
    """
    return preprocess_steps(canvas, min_extent=min_extent).image


def render_strokes(strokes, *, size: int = 280, width: float = 20.0) -> np.ndarray:
    """Draw strokes with round ends, anti-aliased, as a (size, size) grey image in [0, 1].

    Each stroke is a sequence of (x, y) points in canvas pixels. A pixel's grey level is the
    share of it the pen covers, approximated from the distance :math:`d` of its centre to the
    nearest stroke segment as :math:`\\min(1, \\max(0, w/2 - d + 1/2))`. The browser's canvas
    anti-aliases a little differently; this renderer is for drawings made in Python (tests,
    figures), which then go through the same :func:`preprocess`.
    """
    if size < 1 or not width > 0:
        raise ValueError(f"size and width must be positive, got {size!r} and {width!r}.")
    centers = np.arange(size) + 0.5
    px, py = np.meshgrid(centers, centers)  # (size, size): x across, y down
    distance = np.full((size, size), np.inf)
    for stroke in strokes:
        points = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)  # (n, 2)
        if len(points) == 0:
            continue
        # every segment, and the first point alone (a stroke of one point is a dot)
        for a, b in [*itertools.pairwise(points), (points[0], points[0])]:
            ab = b - a
            length2 = float(ab @ ab)
            t = 0.0 if length2 == 0 else ((px - a[0]) * ab[0] + (py - a[1]) * ab[1]) / length2
            t = np.clip(t, 0.0, 1.0)
            d = np.hypot(px - (a[0] + t * ab[0]), py - (a[1] + t * ab[1]))
            distance = np.minimum(distance, d)
    return np.clip(width / 2 - distance + 0.5, 0.0, 1.0)
