"""Convolution by hand in pure NumPy: the chapter "Convolutional networks".

A convolutional layer slides a small kernel ``K`` over the image ``x`` and, at every position,
adds up the products of the kernel with the pixels under it. Like Keras' ``Conv2D`` (and every
deep-learning library) we do *not* flip the kernel, so strictly this is a cross-correlation;
"convolution" is the name the field uses for it.

This module never imports TensorFlow.
"""

from __future__ import annotations

import numpy as np

__all__ = ["EDGE_KERNELS", "convolve2d"]

# Sobel kernels: the horizontal one responds to a change of brightness from top to bottom
# (horizontal edges), the vertical one to a change from left to right (vertical edges).
EDGE_KERNELS = {
    "horizontal edges": np.array([[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]]),
    "vertical edges": np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]),
}


def convolve2d(x, K, *, padding: str = "valid", bias: float = 0.0) -> np.ndarray:
    """Slide the kernel ``K`` over the image ``x``: one output pixel per kernel position.

    .. math:: z_{ij} = b + \\sum_{u=0}^{k_h-1} \\sum_{v=0}^{k_w-1} K_{uv}\\, x_{i+u,\\, j+v}

    (equation ``eq-convolution`` of the chapter), which is what ``keras.layers.Conv2D`` computes
    for one input channel and one filter.

    Parameters
    ----------
    x : array, shape (H, W)
        One grey-level image.
    K : array, shape (k_h, k_w)
        The kernel (filter); at most as large as the image.
    padding : {"valid", "same"}
        ``"valid"``: only positions where the kernel lies wholly on the image, so the output
        is ``(H - k_h + 1, W - k_w + 1)``. ``"same"``: pad the image with zeros first (as Keras
        does: the extra row or column of an even kernel goes at the bottom or right), so the
        output is ``(H, W)``.
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
    k_h, k_w = K.shape
    if padding == "same":
        top, left = (k_h - 1) // 2, (k_w - 1) // 2
        x = np.pad(x, ((top, k_h - 1 - top), (left, k_w - 1 - left)))
    elif padding != "valid":
        raise ValueError(f'padding must be "valid" or "same", got {padding!r}.')
    H, W = x.shape
    if k_h > H or k_w > W:
        raise ValueError(
            f"The kernel {K.shape} is larger than the image {x.shape}: use a smaller kernel "
            'or padding="same".'
        )
    out_h, out_w = H - k_h + 1, W - k_w + 1
    z = np.full((out_h, out_w), float(bias))  # (out_h, out_w)
    # For each kernel entry K[u, v], add K[u, v] times the image shifted by (u, v): the same
    # sum as the formula, taken for all output pixels (i, j) at once.
    for u in range(k_h):
        for v in range(k_w):
            z += K[u, v] * x[u : u + out_h, v : v + out_w]
    return z
