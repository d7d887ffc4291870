"""Convolution by hand in pure NumPy: the chapter "Convolutional networks".

A convolutional layer slides a small kernel ``K`` over the image ``x`` and, at every position,
adds up the products of the kernel with the pixels under it. Like Keras' ``Conv2D`` (and every
deep-learning library) we do *not* flip the kernel, so strictly this is a cross-correlation;
"convolution" is the name the field uses for it.

:func:`convolve2d` takes a padding and a stride, :func:`output_size` gives the size of its
output (and of a pooling's), :func:`max_pool2d` pools, and :func:`receptive_fields` follows how
far each layer of a stack of convolutions and poolings sees into the image.

This module never imports TensorFlow.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = [
    "EDGE_KERNELS",
    "ReceptiveField",
    "convolve2d",
    "max_pool2d",
    "output_size",
    "receptive_fields",
]

# Sobel kernels: the horizontal one responds to a change of brightness from top to bottom
# (horizontal edges), the vertical one to a change from left to right (vertical edges).
EDGE_KERNELS = {
    "horizontal edges": np.array([[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]]),
    "vertical edges": np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]),
}


def _padding(n: int, k: int, stride: int, padding) -> tuple[int, int]:
    """The zeros added before and after one axis of length ``n``, as Keras adds them."""
    if padding == "valid":
        return 0, 0
    if padding == "same":
        # Keras pads just enough for ceil(n / stride) outputs; the extra zero (if the total
        # is odd) goes after the image (bottom or right).
        total = max((-(-n // stride) - 1) * stride + k - n, 0)
        return total // 2, total - total // 2
    if isinstance(padding, (int, np.integer)) and not isinstance(padding, bool) and padding >= 0:
        return int(padding), int(padding)
    raise ValueError(
        f'padding must be "valid", "same" or a whole number of zeros per side, got {padding!r}.'
    )


def _check_positive(**values) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive whole number, got {value!r}.")


def output_size(n: int, k: int, *, stride: int = 1, padding="valid") -> int:
    """The length of a convolution's or a pooling's output along one axis.

    .. math:: n_\\text{out} = \\left\\lfloor \\frac{n + 2p - k}{s} \\right\\rfloor + 1

    (equation ``eq-conv-output-size`` of the chapter), with :math:`p` zeros on each side.

    Parameters
    ----------
    n : int
        The input's length (height or width).
    k : int
        The kernel's (or the pooling window's) length.
    stride : int
        The step :math:`s` between two positions of the kernel.
    padding : {"valid", "same"} or int
        ``"valid"``: no zeros (:math:`p = 0`). ``"same"``: as Keras pads, :math:`k - 1` zeros
        in all for ``stride=1`` (:math:`p = (k - 1)/2` for an odd kernel), so that the output
        has :math:`\\lceil n / s \\rceil` entries. An int: that many zeros on each side.
    """
    _check_positive(n=n, k=k, stride=stride)
    before, after = _padding(n, k, stride, padding)
    if n + before + after < k:
        raise ValueError(f"A kernel of {k} does not fit in {n} entries padded with {padding!r}.")
    return (n + before + after - k) // stride + 1


def convolve2d(x, K, *, padding="valid", stride: int = 1, bias: float = 0.0) -> np.ndarray:
    """Slide the kernel ``K`` over the image ``x``: one output pixel per kernel position.

    .. math:: z_{ij} = b + \\sum_{u=0}^{k_h-1} \\sum_{v=0}^{k_w-1} K_{uv}\\, x_{i+u,\\, j+v}

    (equation ``eq-convolution`` of the chapter), which is what ``keras.layers.Conv2D`` computes
    for one input channel and one filter. With a stride :math:`s`, only every :math:`s`-th
    position is kept: :math:`z_{ij}` puts the kernel at :math:`(s i, s j)`.

    Parameters
    ----------
    x : array, shape (H, W)
        One grey-level image.
    K : array, shape (k_h, k_w)
        The kernel (filter); at most as large as the image.
    padding : {"valid", "same"} or int
        ``"valid"``: only positions where the kernel lies wholly on the image, so the output
        is ``(H - k_h + 1, W - k_w + 1)``. ``"same"``: pad the image with zeros first (as Keras
        does: the extra row or column of an even kernel goes at the bottom or right), so the
        output is ``(H, W)`` (``ceil(H / stride)`` by ``ceil(W / stride)`` with a stride).
        An int: that many zeros on every side. :func:`output_size` gives the output's size.
    stride : int
        The step between two positions of the kernel, the same along both axes.
    bias : float
        The number :math:`b` added to every output pixel.

    Returns
    -------
    numpy.ndarray
        The feature map :math:`z`, as floats.
    """
    x, K = np.asarray(x, dtype=float), np.asarray(K, dtype=float)
    if x.ndim != 2 or K.ndim != 2:
        raise ValueError(
            f"convolve2d takes one 2-D image (H, W) and one 2-D kernel (k_h, k_w); got shapes "
            f"{x.shape} and {K.shape}. For a batch or several channels, loop over them."
        )
    _check_positive(stride=stride)
    k_h, k_w = K.shape
    x = np.pad(
        x, (_padding(x.shape[0], k_h, stride, padding), _padding(x.shape[1], k_w, stride, padding))
    )
    H, W = x.shape
    if k_h > H or k_w > W:
        raise ValueError(
            f"The kernel {K.shape} is larger than the image {x.shape}: use a smaller kernel "
            'or padding="same".'
        )
    out_h, out_w = (H - k_h) // stride + 1, (W - k_w) // stride + 1
    z = np.full((out_h, out_w), float(bias))  # (out_h, out_w)
    # For each kernel entry K[u, v], add K[u, v] times the image shifted by (u, v), taking
    # every stride-th pixel: the same sum as the formula, for all output pixels (i, j) at once.
    for u in range(k_h):
        for v in range(k_w):
            z += K[u, v] * x[u : u + stride * out_h : stride, v : v + stride * out_w : stride]
    return z


def max_pool2d(x, size: int = 2, *, stride: int | None = None) -> np.ndarray:
    """Max pooling: the largest value of each ``size`` by ``size`` window, as ``MaxPooling2D``.

    .. math:: y_{ij} = \\max_{0 \\le u, v < k} x_{s i + u,\\, s j + v}

    Parameters
    ----------
    x : array, shape (H, W)
        One feature map.
    size : int
        The window's height and width :math:`k`.
    stride : int, optional
        The step :math:`s` between windows; by default ``size`` (windows side by side, as in
        Keras). No padding: rows and columns left over at the bottom and right are dropped.

    Returns
    -------
    numpy.ndarray
        Shape ``(output_size(H, size, stride=stride), output_size(W, size, stride=stride))``.
    """
    x = np.asarray(x, dtype=float)
    stride = size if stride is None else stride
    _check_positive(size=size, stride=stride)
    if x.ndim != 2 or min(x.shape) < size:
        raise ValueError(
            f"max_pool2d takes one 2-D map (H, W) at least {size} by {size}; got {x.shape}."
        )
    out_h = output_size(x.shape[0], size, stride=stride)
    out_w = output_size(x.shape[1], size, stride=stride)
    y = np.full((out_h, out_w), -np.inf)  # (out_h, out_w)
    for u in range(size):
        for v in range(size):
            y = np.maximum(y, x[u : u + stride * out_h : stride, v : v + stride * out_w : stride])
    return y


class ReceptiveField(NamedTuple):
    """What one layer's units see of the input image (one axis; square kernels see squares).

    ``size`` is the output's length, ``field`` the receptive field :math:`r_l`, ``jump`` the
    distance :math:`j_l` in input pixels between two neighbouring units, and unit ``i`` sees
    input pixels ``start + i * jump`` to ``start + i * jump + field - 1`` (negative or past
    the image: padding).
    """

    name: str
    size: int
    field: int
    jump: int
    start: int


def receptive_fields(layers, n: int) -> list[ReceptiveField]:
    """The receptive field of each layer of a stack of convolutions and poolings.

    .. math:: r_l = r_{l-1} + (k_l - 1)\\, j_{l-1}, \\qquad j_l = j_{l-1}\\, s_l,
        \\qquad r_0 = j_0 = 1

    (equation ``eq-receptive-field`` of the chapter): a kernel of :math:`k_l` units spans
    :math:`k_l - 1` steps of :math:`j_{l-1}` input pixels beyond one unit's own field.

    Parameters
    ----------
    layers : sequence of (name, k, stride, padding)
        In order from the image; ``padding`` as in :func:`output_size`. A max pooling of
        ``size`` is ``(name, size, size, "valid")``.
    n : int
        The input image's height (or width).

    Returns
    -------
    list of ReceptiveField
        One per layer, in order.
    """
    field, jump, start = 1, 1, 0
    fields = []
    for name, k, stride, padding in layers:
        before, _ = _padding(n, k, stride, padding)
        n = output_size(n, k, stride=stride, padding=padding)
        field, start = field + (k - 1) * jump, start - before * jump
        jump *= stride
        fields.append(ReceptiveField(name, n, field, jump, start))
    return fields
