r"""Activation functions f and their derivatives f', side by side (pure NumPy).

Each ``f(z)`` acts elementwise on an array of pre-activations ``z`` and keeps its dtype
(``float32`` in, ``float32`` out). Each ``f_grad(z)`` is the elementwise derivative
:math:`f'(z)` *evaluated at z* (not at ``a = f(z)``), which is what backpropagation multiplies
the incoming ``delta`` by:

.. math:: \delta^{(l)} = \left(\delta^{(l+1)} W^{(l+1)}\right) \odot f'(z^{(l)})

:func:`softmax` acts on a whole row, so it has no elementwise derivative: its derivative is a
matrix, :func:`softmax_jacobian`. The network pairs it with categorical cross-entropy and uses
the fused output delta (:func:`mnist_lessons.scratch.losses.softmax_crossentropy_delta`).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "ACTIVATIONS",
    "get_activation",
    "leaky_relu",
    "leaky_relu_grad",
    "linear",
    "linear_grad",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "softmax_jacobian",
    "tanh",
    "tanh_grad",
]


def _float_array(z) -> np.ndarray:
    """``z`` as an array of floats: float arrays keep their dtype, anything else is float64."""
    z = np.asarray(z)
    return z if np.issubdtype(z.dtype, np.floating) else z.astype(np.float64)


def sigmoid(z):
    r"""Logistic sigmoid, computed without overflow for any ``z``.

    .. math:: \sigma(z) = \frac{1}{1 + e^{-z}} = \frac{e^{z}}{1 + e^{z}}

    The first form is used for :math:`z \ge 0`, the second for :math:`z < 0`; both only ever
    take :math:`e^{-|z|} \le 1`, so ``z = ±1000`` gives 0 and 1 without an overflow warning.
    """
    z = _float_array(z)
    e = np.exp(-np.abs(z))  # e^{-|z|} in (0, 1]
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(z):
    r"""Derivative of the sigmoid at ``z``.

    .. math:: \sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr)
    """
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    r"""Hyperbolic tangent.

    .. math:: \tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}
    """
    return np.tanh(_float_array(z))


def tanh_grad(z):
    r"""Derivative of tanh at ``z``.

    .. math:: \tanh'(z) = 1 - \tanh^2(z)
    """
    t = np.tanh(_float_array(z))
    return 1 - t * t


def relu(z):
    r"""Rectified linear unit.

    .. math:: \operatorname{relu}(z) = \max(0, z)
    """
    z = _float_array(z)
    return np.maximum(z, 0)


def relu_grad(z):
    r"""Derivative of relu at ``z``, taken as 0 at ``z = 0`` (as TensorFlow does).

    .. math:: \operatorname{relu}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}
    """
    z = _float_array(z)
    return (z > 0).astype(z.dtype)


def leaky_relu(z, alpha: float = 0.01):
    r"""Leaky relu: a small slope ``alpha`` instead of 0 for negative ``z``.

    .. math:: f(z) = \begin{cases} z & z > 0 \\ \alpha z & z \le 0 \end{cases}

    Keras calls ``alpha`` ``negative_slope`` (``keras.activations.leaky_relu``).
    """
    z = _float_array(z)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_grad(z, alpha: float = 0.01):
    r"""Derivative of leaky relu at ``z``, taken as ``alpha`` at ``z = 0`` (as TensorFlow does).

    .. math:: f'(z) = \begin{cases} 1 & z > 0 \\ \alpha & z \le 0 \end{cases}
    """
    z = _float_array(z)
    return np.where(z > 0, z.dtype.type(1), z.dtype.type(alpha))


def linear(z):
    """Identity (no activation), for a linear output layer.

    .. math:: f(z) = z
    """
    return _float_array(z)


def linear_grad(z):
    """Derivative of the identity: ones.

    .. math:: f'(z) = 1
    """
    return np.ones_like(_float_array(z))


def softmax(z):
    r"""Softmax over the last axis (each row of a batch), numerically stable.

    .. math:: \operatorname{softmax}(z)_k = \frac{e^{z_k - m}}{\sum_i e^{z_i - m}},
              \quad m = \max_j z_j

    Subtracting the row maximum changes nothing mathematically (it cancels), but keeps every
    exponent :math:`\le 0`, so logits like 1000 or an offset of 10^6 cannot overflow.
    """
    z = _float_array(z)
    e = np.exp(z - z.max(axis=-1, keepdims=True))  # (batch, n_L), entries in (0, 1]
    return e / e.sum(axis=-1, keepdims=True)


def softmax_jacobian(z):
    r"""Jacobian of :func:`softmax` at ``z``: how each output moves with each logit.

    .. math:: \frac{\partial a_i}{\partial z_j} = a_i (\delta_{ij} - a_j), \qquad
              J = \operatorname{diag}(a) - a a^\top, \quad a = \operatorname{softmax}(z)

    (:math:`\delta_{ij}` here is Kronecker's delta: 1 if :math:`i = j`, else 0.)

    Parameters
    ----------
    z : array, shape (K,) or (batch, K)
        Logits: one row, or a batch of rows.

    Returns
    -------
    array, shape (K, K) or (batch, K, K)
        ``J[..., i, j]`` is :math:`\partial a_i / \partial z_j`; symmetric, and each row
        sums to 0 (adding a constant to every logit changes no output).
    """
    a = softmax(z)  # (..., K)
    return a[..., :, None] * np.eye(a.shape[-1], dtype=a.dtype) - a[..., :, None] * a[..., None, :]


# name -> (f, f_grad) for the hidden layers; softmax has no elementwise derivative.
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "linear": (linear, linear_grad),
}


def get_activation(name: str, *, allow_softmax: bool = False):
    """Return ``(f, f_grad)`` for an activation name (``f_grad`` is ``None`` for softmax).

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the known names.
    """
    if allow_softmax and name == "softmax":
        return softmax, None
    if name not in ACTIVATIONS:
        known = sorted(ACTIVATIONS) + (["softmax"] if allow_softmax else [])
        hint = "" if allow_softmax or name != "softmax" else " (softmax only in an output layer)"
        raise ValueError(
            f"Unknown activation {name!r}{hint}. Use one of: {', '.join(map(repr, known))}."
        )
    return ACTIVATIONS[name]
