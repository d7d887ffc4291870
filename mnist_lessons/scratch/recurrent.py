r"""A simple recurrent network and backpropagation through time, in pure NumPy.

The chapter "Recurrent networks" writes one step in column form,

.. math:: \mathbf{h}_t = \tanh(W \mathbf{x}_t + U \mathbf{h}_{t-1} + \mathbf{b}),
          \qquad \mathbf{h}_0 = \mathbf{0},

with ``W`` of shape ``(n, m)`` (``m`` inputs per step, 28 pixels of a row) and ``U`` of shape
``(n, n)``. The code keeps one sample per *row*, so the same step reads
``h[t] = tanh(x[t] @ W.T + h[t - 1] @ U.T + b)``. Keras' ``SimpleRNN`` stores the transposes:
its ``kernel`` is ``W.T`` and its ``recurrent_kernel`` is ``U.T``.

This module never imports TensorFlow.
"""

from __future__ import annotations

import numpy as np

from mnist_lessons.scratch.activations import softmax
from mnist_lessons.scratch.losses import softmax_crossentropy_delta

__all__ = ["bptt", "clip_by_global_norm", "global_norm", "rnn_forward", "rnn_gradients"]


def rnn_forward(x, W, U, b) -> np.ndarray:
    """Run the recurrence over every step of a batch of sequences.

    Parameters
    ----------
    x : array, shape (batch, T, m)
        ``T`` steps of ``m`` inputs each (the rows of a digit: ``(batch, 28, 28)``).
    W, U, b : arrays, shapes (n, m), (n, n), (n,)

    Returns
    -------
    numpy.ndarray, shape (batch, T + 1, n)
        The states ``h[:, t]`` for ``t = 0, ..., T``; ``h[:, 0]`` is the zero start.
    """
    x, W, U, b = (np.asarray(a, dtype=float) for a in (x, W, U, b))
    if x.ndim != 3 or W.shape != (len(U), x.shape[2]) or U.shape != (len(U), len(U)):
        raise ValueError(
            f"Pass x as (batch, steps, inputs), W as (units, inputs) and U as (units, units); "
            f"got x {x.shape}, W {W.shape}, U {U.shape}. Keras' kernels are W.T and U.T."
        )
    batch, T, _ = x.shape
    h = np.zeros((batch, T + 1, len(U)))  # (batch, T + 1, n)
    for t in range(1, T + 1):
        h[:, t] = np.tanh(x[:, t - 1] @ W.T + h[:, t - 1] @ U.T + b)
    return h


def bptt(x, h, U, dE_dhT) -> tuple[dict[str, np.ndarray], np.ndarray]:
    r"""Backpropagation through time: the gradients of the loss from :math:`\partial E /
    \partial \mathbf{h}_T`, walking the steps backwards.

    With :math:`\boldsymbol{\delta}_t = \partial E / \partial \mathbf{z}_t` for the input of the
    tanh, :math:`\mathbf{z}_t = W \mathbf{x}_t + U \mathbf{h}_{t-1} + \mathbf{b}`
    (equation ``eq-bptt-step`` of the chapter):

    .. math:: \boldsymbol{\delta}_t = (1 - \mathbf{h}_t^2) \odot
              \frac{\partial E}{\partial \mathbf{h}_t}, \qquad
              \frac{\partial E}{\partial \mathbf{h}_{t-1}} = U^\top \boldsymbol{\delta}_t,

    .. math:: \frac{\partial E}{\partial W} = \sum_{t=1}^{T} \boldsymbol{\delta}_t
              \mathbf{x}_t^\top, \quad \frac{\partial E}{\partial U} = \sum_{t=1}^{T}
              \boldsymbol{\delta}_t \mathbf{h}_{t-1}^\top, \quad
              \frac{\partial E}{\partial \mathbf{b}} = \sum_{t=1}^{T} \boldsymbol{\delta}_t

    (equation ``eq-bptt``; each sum also runs over the batch).

    Parameters
    ----------
    x : array, shape (batch, T, m)
    h : array, shape (batch, T + 1, n)
        The states :func:`rnn_forward` returned for ``x``.
    U : array, shape (n, n)
    dE_dhT : array, shape (batch, n)
        The gradient of the loss with respect to the last state.

    Returns
    -------
    grads : dict with ``"W"``, ``"U"``, ``"b"``
        Shaped like the weights.
    dE_dh : numpy.ndarray, shape (batch, T + 1, n)
        :math:`\partial E / \partial \mathbf{h}_t` for every step: how much of the gradient
        reaches each state.
    """
    x, h, U = (np.asarray(a, dtype=float) for a in (x, h, U))
    T = x.shape[1]
    dE_dh = np.zeros_like(h)  # (batch, T + 1, n)
    dE_dh[:, T] = dE_dhT
    grads = {"W": 0.0, "U": 0.0, "b": 0.0}
    for t in range(T, 0, -1):
        delta = (1 - h[:, t] ** 2) * dE_dh[:, t]  # (batch, n): tanh' = 1 - tanh^2
        grads["W"] = grads["W"] + delta.T @ x[:, t - 1]  # (n, m)
        grads["U"] = grads["U"] + delta.T @ h[:, t - 1]  # (n, n)
        grads["b"] = grads["b"] + delta.sum(axis=0)  # (n,)
        dE_dh[:, t - 1] = delta @ U  # (batch, n): row form of U^T delta
    return grads, dE_dh


def rnn_gradients(x, y, W, U, b, V, c):
    r"""Loss and gradients of a SimpleRNN with a softmax layer on its last state.

    .. math:: \hat{\mathbf{y}} = \operatorname{softmax}(V \mathbf{h}_T + \mathbf{c}),
              \qquad E = -\frac{1}{N} \sum_{i} \ln \hat{y}_{i, y_i}

    Parameters
    ----------
    x : array, shape (batch, T, m)
    y : array of int, shape (batch,)
        The labels (0 to K - 1).
    W, U, b : the recurrent layer, shapes (n, m), (n, n), (n,)
    V, c : the softmax layer, shapes (K, n), (K,)

    Returns
    -------
    loss : float
    grads : dict with ``"W"``, ``"U"``, ``"b"``, ``"V"``, ``"c"``
    dE_dh : numpy.ndarray, shape (batch, T + 1, n), as in :func:`bptt`
    """
    V, c = np.asarray(V, dtype=float), np.asarray(c, dtype=float)
    h = rnn_forward(x, W, U, b)  # (batch, T + 1, n)
    p = softmax(h[:, -1] @ V.T + c)  # (batch, K)
    y = np.asarray(y, dtype=int)
    Y = np.eye(len(c))[y]  # (batch, K) one-hot
    loss = float(-np.mean(np.log(p[np.arange(len(y)), y])))
    delta_out = softmax_crossentropy_delta(Y, p)  # (batch, K): (p - Y) / N
    grads, dE_dh = bptt(x, h, U, delta_out @ V)
    grads["V"] = delta_out.T @ h[:, -1]  # (K, n)
    grads["c"] = delta_out.sum(axis=0)  # (K,)
    return loss, grads, dE_dh


def global_norm(grads) -> float:
    r"""The length of all the gradients taken as one vector,
    :math:`\lVert g \rVert = \sqrt{\sum_i \lVert g_i \rVert^2}`."""
    values = grads.values() if isinstance(grads, dict) else grads
    return float(np.sqrt(sum(np.sum(np.square(g)) for g in values)))


def clip_by_global_norm(grads, max_norm: float):
    r"""Scale all the gradients by one factor so that their global norm is at most ``max_norm``.

    .. math:: g \leftarrow g \cdot \min\left(1, \frac{c}{\lVert g \rVert}\right)

    The direction of the step is kept; only its length is capped. This is Keras'
    ``global_clipnorm=c`` (its ``clipnorm=c`` clips each weight's gradient on its own, which
    can turn the direction).

    Returns
    -------
    clipped : dict or list, like ``grads``
    norm : float
        The global norm before clipping.
    """
    if not max_norm > 0:
        raise ValueError(
            f"max_norm is the longest gradient allowed, a positive number; got {max_norm!r}."
        )
    norm = global_norm(grads)
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    if isinstance(grads, dict):
        return {k: np.asarray(g) * scale for k, g in grads.items()}, norm
    return [np.asarray(g) * scale for g in grads], norm
