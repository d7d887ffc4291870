"""Other people's digits: a second test set, what differs from MNIST, and remedies.

For the chapter "Beyond the test set". A network that reads 99 % of MNIST's test digits has
only been tested on digits written and scanned the way MNIST's were. This module brings a
second, independent set of handwritten digits to MNIST's format, measures how the two sets
differ, and defines the training-time remedies the chapter compares.

- :func:`load_other_digits`: the 1,797 digits that scikit-learn ships
  (``sklearn.datasets.load_digits``: the UCI "optdigits" test set, 8x8 images of 0..16 written
  by 43 people who are not MNIST's writers), put through the draw-a-digit widget's
  preprocessing (:func:`mnist_lessons.widget.preprocess.preprocess`), so that they look to a
  network exactly as a reader's drawing does.
- :func:`stroke_width`, :func:`ink_share`, :func:`grey_share`, :func:`centre_offset` and
  :func:`aspect_ratio`: per-image measures of the differences (the diagnosis).
- :func:`thicken` and :func:`lower_resolution`: the two differences made to MNIST digits in
  NumPy, for the chapter's figures and as the reference the Keras layers are tested against.

NumPy and SciPy only: the Keras layers and the training live in :mod:`mnist_lessons.remedies`.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from mnist_lessons.widget.preprocess import FIELD, center_of_mass, preprocess

__all__ = [
    "OTHER_LEVELS",
    "aspect_ratio",
    "centre_offset",
    "grey_share",
    "ink_share",
    "load_other_digits",
    "lower_resolution",
    "pen_shift",
    "stroke_width",
    "thicken",
]

OTHER_LEVELS = 16  # an optdigits pixel counts the inked pixels of a 4x4 block: 0 .. 16
INK = 0.5  # a pixel at or above this grey level is ink, for the binary measures


def load_other_digits() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """scikit-learn's handwritten digits, made MNIST-like by the widget's preprocessing.

    Returns
    -------
    images : ndarray, float32, shape (1797, 28, 28)
        In [0, 1], ink 1: each 8x8 image divided by 16, cropped to its ink, scaled so that its
        longer side is 20 pixels and centred by centre of mass, as the widget does a drawing.
    labels : ndarray, int64, shape (1797,)
    raw : ndarray, float64, shape (1797, 8, 8)
        The images as scikit-learn ships them, 0 .. 16.

    The data ship inside scikit-learn, so this needs no download.
    """
    from sklearn.datasets import load_digits  # imported here: only this function needs it

    digits = load_digits()
    raw = np.asarray(digits.images, dtype=np.float64)  # (1797, 8, 8), 0 .. 16
    if raw.ndim != 3 or raw.shape[1:] != (8, 8) or raw.max() > OTHER_LEVELS:
        raise ValueError(
            f"scikit-learn's digits have an unexpected shape {raw.shape} or range: reinstall "
            "scikit-learn (pip install --force-reinstall scikit-learn)."
        )
    # min_extent=0: an 8x8 image has no canvas margin to be small against.
    images = np.stack([preprocess(image / OTHER_LEVELS, min_extent=0) for image in raw])
    return images.astype(np.float32), np.asarray(digits.target, dtype=np.int64), raw


def _check_images(images) -> np.ndarray:
    x = np.asarray(images, dtype=np.float64)
    if x.ndim == 2:
        x = x[None]
    if x.ndim != 3 or x.shape[0] == 0:
        raise ValueError(
            f"Pass images shaped (N, height, width) or one (height, width) image; got "
            f"{np.shape(images)}."
        )
    if not np.all(np.isfinite(x)) or x.min() < 0 or x.max() > 1:
        raise ValueError("Grey levels must lie in [0, 1] (ink 1): scale uint8 images by 1/255.")
    return x


def ink_share(images) -> np.ndarray:
    """The share of each image's pixels that are ink (at least 0.5), shape (N,)."""
    x = _check_images(images)
    return (x >= INK).mean(axis=(1, 2))


def grey_share(images) -> np.ndarray:
    """The share of each image's touched pixels (above 0) that are grey, not ink: (N,).

    A pixel is grey if it lies strictly between 0 and 0.5. Soft, blurred edges raise it;
    sharp, blocky ones lower it.
    """
    x = _check_images(images)
    touched = (x > 0).sum(axis=(1, 2))
    grey = ((x > 0) & (x < INK)).sum(axis=(1, 2))
    return grey / np.maximum(touched, 1)


def stroke_width(images) -> np.ndarray:
    """The mean width of the pen stroke of each image, in pixels, shape (N,).

    With :math:`d(p)` the Euclidean distance from an ink pixel :math:`p` to the centre of the
    nearest paper pixel (``scipy.ndimage.distance_transform_edt``), a straight band of ink
    :math:`w` pixels wide (:math:`w` even) has the distances :math:`1, 2, \\dots, w/2` twice
    each, of mean :math:`(w + 2)/4`; so

    .. math:: \\hat w = 4 \\, \\overline{d(p)} - 2

    is exact for such a band (for an odd :math:`w` it is :math:`w + 1/w`). On a digit it is an
    estimate: stroke ends and crossings count too. Ink is a grey level of at least 0.5.
    """
    x = _check_images(images)
    widths = np.empty(len(x))
    for i, image in enumerate(x):
        ink = image >= INK
        if not ink.any():
            widths[i] = 0.0
            continue
        d = ndimage.distance_transform_edt(ink)  # (28, 28): 0 on paper
        widths[i] = 4.0 * d[ink].mean() - 2.0
    return widths


def centre_offset(images) -> np.ndarray:
    """The distance from each image's centre of mass to pixel (14, 14), in pixels: (N,)."""
    x = _check_images(images)
    centres = np.array([center_of_mass(image) for image in x])  # (N, 2): row, column
    return np.hypot(*(centres - FIELD / 2).T)


def aspect_ratio(images) -> np.ndarray:
    """Width over height of each image's ink bounding box (pixels above 0), shape (N,)."""
    x = _check_images(images)
    ratios = np.empty(len(x))
    for i, image in enumerate(x):
        rows = np.flatnonzero(image.max(axis=1) > 0)
        cols = np.flatnonzero(image.max(axis=0) > 0)
        if rows.size == 0:
            raise ValueError(f"Image {i} is empty: every image needs some ink.")
        ratios[i] = (cols[-1] - cols[0] + 1) / (rows[-1] - rows[0] + 1)
    return ratios


def thicken(images, size: int = 3) -> np.ndarray:
    """Each image's strokes made thicker: a grey-level dilation by a ``size`` x ``size`` square.

    .. math:: y_{rc} = \\max_{|i|, |j| \\le (\\mathrm{size} - 1) / 2} x_{r + i, \\, c + j}

    (for an even ``size``, the window reaches one pixel further down and right, so the ink
    grows one pixel further up and left), with the image's
    outside read as paper. The result is as large as the input; the ink grows by ``size - 1``
    pixels across.
    """
    x = _check_images(images)
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 1:
        raise ValueError(f"size must be a whole number of pixels, 1 or more; got {size!r}.")
    return ndimage.grey_dilation(x, size=(1, size, size), mode="constant", cval=0.0)


def pen_shift(images, *, size: int = 2, factor: int = 2) -> np.ndarray:
    """MNIST digits made to differ as the other digits differ: :func:`thicken`, then
    :func:`lower_resolution`. The chapter builds a validation set from MNIST with it."""
    return lower_resolution(thicken(images, size), factor)


def lower_resolution(images, factor: int = 2) -> np.ndarray:
    """Each image at a lower resolution, brought back to its size: blocky, as upscaled.

    Average each ``factor`` x ``factor`` block (the image's side must be a multiple of
    ``factor``), then repeat each block's mean over the block:

    .. math:: y_{rc} = \\frac{1}{f^2} \\sum_{i, j < f}
              x_{f \\lfloor r/f \\rfloor + i, \\, f \\lfloor c/f \\rfloor + j}

    An 8x8 digit scaled up to a 20-pixel box, as the other digits are, has about 2.5 pixels per
    original pixel; ``factor=2`` on MNIST's 28x28 images comes close to that.
    """
    x = _check_images(images)
    if isinstance(factor, bool) or not isinstance(factor, int | np.integer) or factor < 1:
        raise ValueError(f"factor must be a whole number, 1 or more; got {factor!r}.")
    n, h, w = x.shape
    if h % factor or w % factor:
        raise ValueError(f"The image sides {h} and {w} must be multiples of factor={factor}.")
    blocks = x.reshape(n, h // factor, factor, w // factor, factor).mean(axis=(2, 4))
    return np.repeat(np.repeat(blocks, factor, axis=1), factor, axis=2)
