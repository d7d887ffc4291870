"""Loss functions E(y, a) and their gradients dE/da, side by side (pure NumPy).

Every loss takes ``(y_true, y_pred)`` of the same shape ``(batch, k)`` and returns one number,
reduced like Keras' default (``"sum_over_batch_size"``): a value per sample (the mean over the
last axis, or for categorical cross-entropy the sum over classes), then the mean over the
``batch`` samples. Each ``*_grad`` returns the gradient of that number with respect to
``y_pred``, with the shape of ``y_pred``.

The cross-entropies take probabilities and clip them to ``[EPSILON, 1 - EPSILON]`` first, as
``keras.losses`` does when it is given probabilities, so that a probability of exactly 0 or 1
gives a large but finite loss; where a probability was clipped its gradient is 0, as it is in
TensorFlow. (A float32 Keras model that ends in a softmax or sigmoid layer hands its logits to
the loss instead, and ``fit`` and ``evaluate`` compute it from them, without clipping; the fused
``*_delta`` functions below are the gradients of that unclipped loss.)
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "EPSILON",
    "binary_crossentropy",
    "binary_crossentropy_grad",
    "categorical_crossentropy",
    "categorical_crossentropy_grad",
    "mae",
    "mae_grad",
    "mse",
    "mse_grad",
    "sigmoid_crossentropy_delta",
    "softmax_crossentropy_delta",
]

EPSILON = 1e-7  # keras.config.epsilon()


def _pair(y_true, y_pred, name: str):
    """Both arrays as floats of one shape (at least 1-D), or a ValueError that says what to do."""
    y_pred = np.asarray(y_pred)
    if not np.issubdtype(y_pred.dtype, np.floating):
        y_pred = y_pred.astype(np.float64)
    y_true = np.asarray(y_true).astype(y_pred.dtype, copy=False)
    if y_true.shape != y_pred.shape or y_pred.ndim == 0:
        raise ValueError(
            f"{name}: y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}. "
            "Pass arrays of the same shape (batch, k); encode labels with "
            "mnist_lessons.data.one_hot() for a softmax output, or reshape 0/1 labels to "
            "(batch, 1) for a single sigmoid output."
        )
    return y_true, y_pred


# --- mean squared error ---------------------------------------------------------------------


def mse(y_true, y_pred) -> float:
    r"""Mean squared error.

    .. math:: E = \frac{1}{N} \sum_{i=1}^{N} \frac{1}{k} \sum_{j=1}^{k} (a_{ij} - y_{ij})^2
    """
    y, a = _pair(y_true, y_pred, "mse")
    return float(np.mean((a - y) ** 2))


def mse_grad(y_true, y_pred):
    r"""Gradient of :func:`mse` with respect to ``y_pred``.

    .. math:: \frac{\partial E}{\partial a_{ij}} = \frac{2 (a_{ij} - y_{ij})}{N k}
    """
    y, a = _pair(y_true, y_pred, "mse_grad")
    return 2 * (a - y) / a.size


# --- mean absolute error --------------------------------------------------------------------


def mae(y_true, y_pred) -> float:
    r"""Mean absolute error.

    .. math:: E = \frac{1}{N} \sum_{i=1}^{N} \frac{1}{k} \sum_{j=1}^{k} |a_{ij} - y_{ij}|
    """
    y, a = _pair(y_true, y_pred, "mae")
    return float(np.mean(np.abs(a - y)))


def mae_grad(y_true, y_pred):
    r"""Gradient of :func:`mae` with respect to ``y_pred`` (0 where ``a = y``, as in TensorFlow).

    .. math:: \frac{\partial E}{\partial a_{ij}} = \frac{\operatorname{sign}(a_{ij} - y_{ij})}{N k}
    """
    y, a = _pair(y_true, y_pred, "mae_grad")
    return np.sign(a - y) / a.size


# --- binary cross-entropy -------------------------------------------------------------------


def binary_crossentropy(y_true, y_pred) -> float:
    r"""Binary cross-entropy of probabilities ``y_pred`` (clipped) against 0/1 targets.

    .. math:: E = -\frac{1}{N} \sum_{i=1}^{N} \frac{1}{k} \sum_{j=1}^{k}
              \bigl[y_{ij} \ln p_{ij} + (1 - y_{ij}) \ln (1 - p_{ij})\bigr],
              \quad p = \operatorname{clip}(a, \epsilon, 1 - \epsilon)
    """
    y, a = _pair(y_true, y_pred, "binary_crossentropy")
    p = np.clip(a, EPSILON, 1 - EPSILON)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def binary_crossentropy_grad(y_true, y_pred):
    r"""Gradient of :func:`binary_crossentropy` with respect to ``y_pred``.

    .. math:: \frac{\partial E}{\partial a_{ij}} = \frac{1}{N k}
              \left(\frac{1 - y_{ij}}{1 - p_{ij}} - \frac{y_{ij}}{p_{ij}}\right)
              \quad\text{where } \epsilon \le a_{ij} \le 1 - \epsilon, \text{ else } 0
    """
    y, a = _pair(y_true, y_pred, "binary_crossentropy_grad")
    p = np.clip(a, EPSILON, 1 - EPSILON)
    inside = p == a  # the clip passes the gradient only where it changed nothing
    return np.where(inside, ((1 - y) / (1 - p) - y / p) / a.size, 0).astype(a.dtype)


# --- categorical cross-entropy --------------------------------------------------------------


def categorical_crossentropy(y_true, y_pred) -> float:
    r"""Categorical cross-entropy of probability rows ``y_pred`` against one-hot rows ``y_true``.

    Like Keras, each row is first divided by its sum (a no-op for softmax outputs) and clipped:

    .. math:: E = -\frac{1}{N} \sum_{i=1}^{N} \sum_{k} y_{ik} \ln p_{ik},
              \quad p_{ik} = \operatorname{clip}\left(\frac{a_{ik}}{S_i}, \epsilon,
              1 - \epsilon\right), \quad S_i = \sum_j a_{ij}
    """
    y, a = _pair(y_true, y_pred, "categorical_crossentropy")
    p = np.clip(a / a.sum(axis=-1, keepdims=True), EPSILON, 1 - EPSILON)  # (batch, k)
    return float(-np.mean(np.sum(y * np.log(p), axis=-1)))


def categorical_crossentropy_grad(y_true, y_pred):
    r"""Gradient of :func:`categorical_crossentropy` with respect to ``y_pred``.

    With :math:`m_{ik} = 1` where the clip left :math:`p_{ik}` unchanged, else 0:

    .. math:: \frac{\partial E}{\partial a_{ij}} = \frac{1}{N S_i}
              \left(\sum_k m_{ik}\, y_{ik} - m_{ij} \frac{y_{ij}}{p_{ij}}\right)

    The sum comes from Keras' row normalisation: for a one-hot row it adds the same constant
    to every entry, which the softmax Jacobian maps to 0, so it leaves the fused
    :func:`softmax_crossentropy_delta` unchanged.
    """
    y, a = _pair(y_true, y_pred, "categorical_crossentropy_grad")
    S = a.sum(axis=-1, keepdims=True)  # (batch, 1)
    q = a / S  # (batch, k) rows that sum to 1
    p = np.clip(q, EPSILON, 1 - EPSILON)
    m = p == q  # (batch, k) where the clip passes the gradient
    my = np.where(m, y, 0)
    grad = (my.sum(axis=-1, keepdims=True) - my / p) / (len(a) * S)
    return grad.astype(a.dtype, copy=False)


# --- fused output deltas: loss gradient through the output activation ------------------------


def softmax_crossentropy_delta(y_true, a):
    r"""Output delta of softmax + categorical cross-entropy, the gradient w.r.t. the logits.

    .. math:: \delta^{(L)} = \frac{\partial E}{\partial z^{(L)}} = \frac{a^{(L)} - y}{N}

    This is the gradient of the *unclipped* cross-entropy, i.e. of Keras'
    ``CategoricalCrossentropy(from_logits=True)``.
    """
    y, a = _pair(y_true, a, "softmax_crossentropy_delta")
    return (a - y) / len(a)  # (batch, k)


def sigmoid_crossentropy_delta(y_true, a):
    r"""Output delta of sigmoid + binary cross-entropy, the gradient w.r.t. the logits.

    .. math:: \delta^{(L)} = \frac{\partial E}{\partial z^{(L)}} = \frac{a^{(L)} - y}{N k}

    For the single output neuron (``k = 1``) this is the same as
    :func:`softmax_crossentropy_delta`; it is the gradient of Keras'
    ``BinaryCrossentropy(from_logits=True)``.
    """
    y, a = _pair(y_true, a, "sigmoid_crossentropy_delta")
    return (a - y) / a.size  # (batch, k)
