r"""Gradient checking: backpropagation against finite differences (pure NumPy).

Central differences approximate each partial derivative of a scalar function :math:`E`:

.. math:: \frac{\partial E}{\partial \theta_i} \approx
          \frac{E(\theta + \varepsilon e_i) - E(\theta - \varepsilon e_i)}{2 \varepsilon}

with an error of order :math:`\varepsilon^2`. That is far too slow to train with (two forward
passes per parameter) but independent of the backpropagation code, so the two agreeing is
evidence that the backward pass is right. Checks run in ``float64``: in ``float32`` the
rounding error of :math:`E`, divided by :math:`2\varepsilon`, would swamp the comparison.
"""

from __future__ import annotations

import numpy as np

__all__ = ["gradcheck", "numerical_gradient", "relative_error"]


def numerical_gradient(f, x: np.ndarray, eps: float = 1e-5, *, indices=None) -> np.ndarray:
    r"""Central-difference gradient of the scalar ``f()`` with respect to the array ``x``.

    .. math:: g_i = \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2 \varepsilon}

    Parameters
    ----------
    f : callable
        Takes no arguments and returns a number that depends on ``x``'s current values.
    x : numpy.ndarray
        Perturbed *in place*, one entry at a time, and restored exactly afterwards.
    eps : float
        The step :math:`\varepsilon`.
    indices : iterable of index tuples, optional
        Only these entries (the others stay 0 in the result); default all of them.

    Returns
    -------
    numpy.ndarray
        ``float64`` array shaped like ``x``.
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise ValueError(
            "x must be a NumPy float array that f() reads (it is perturbed in place); "
            f"got {type(x).__name__}. Pass the parameter array itself, e.g. layer.W."
        )
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps!r}; 1e-5 suits float64.")
    g = np.zeros(x.shape, dtype=np.float64)
    for i in np.ndindex(x.shape) if indices is None else indices:
        old = x[i]
        x[i] = old + eps
        e_plus = float(f())
        x[i] = old - eps
        e_minus = float(f())
        x[i] = old  # restore exactly
        g[i] = (e_plus - e_minus) / (2 * eps)
    return g


def relative_error(analytic, numeric) -> float:
    r"""Largest entry error, relative to the largest entry of either gradient.

    .. math:: r = \frac{\max_i |g_i - \hat g_i|}{\max_i \max(|g_i|, |\hat g_i|)}

    Scaling by the largest entry (not entry by entry) keeps entries that are nearly 0, where
    the finite difference is mostly rounding noise, from dominating. Both all zero gives 0.
    """
    analytic, numeric = np.asarray(analytic, np.float64), np.asarray(numeric, np.float64)
    scale = max(np.abs(analytic).max(), np.abs(numeric).max())
    return 0.0 if scale == 0 else float(np.abs(analytic - numeric).max() / scale)


def gradcheck(network, x, y, eps: float = 1e-5, *, entries=None, seed=0) -> dict[str, float]:
    """Compare backpropagation with finite differences for every parameter of ``network``.

    The network is first copied to ``float64`` (the original is not changed). Backpropagation
    fills every ``dW``, ``db``; then each parameter is perturbed in turn and the loss
    recomputed. The loss is the plain cross-entropy whose gradient the fused output delta is
    (no clipping of probabilities), so the two must agree up to the finite-difference error.

    Parameters
    ----------
    network : mnist_lessons.scratch.MLP
    x, y : numpy.ndarray
        A small batch, ``(batch, n_0)`` and ``(batch, n_L)``.
    eps : float
        Finite-difference step.
    entries : int, optional
        Check only this many randomly chosen entries of each parameter (drawn with ``seed``);
        default all. A 784-256-128-10 network has 235,146 parameters.

    Returns
    -------
    dict
        ``{"W1": r, "b1": r, "W2": ...}``: :func:`relative_error` of each parameter's gradient,
        layers numbered from 1 as in the book. Below 1e-6 means backpropagation is right.
    """
    net = network.astype(np.float64)
    x = net._check_x(np.asarray(x, dtype=np.float64))  # (batch, n_0)
    y = net._check_y(np.asarray(y, dtype=np.float64), len(x))  # (batch, n_L)

    def loss() -> float:  # the unclipped cross-entropy (mean over samples and sigmoid units)
        a = net.forward(x)  # (batch, n_L)
        if net.output == "softmax":
            return -np.sum(y * np.log(a)) / len(a)
        return -np.sum(y * np.log(a) + (1 - y) * np.log1p(-a)) / a.size

    net.forward(x)
    net.backward(y)
    analytic = {}  # "W1" -> dW of layer 1, ...
    for l, layer in enumerate(net.layers, 1):  # noqa: E741 (the book's layer index)
        analytic[f"W{l}"], analytic[f"b{l}"] = (g.copy() for g in layer.grads)
    rng = np.random.default_rng(seed)
    errors = {}
    for l, layer in enumerate(net.layers, 1):  # noqa: E741 (the book's layer index)
        for name, param in zip("Wb", layer.params, strict=True):
            chosen = None
            if entries is not None and entries < param.size:
                flat = rng.choice(param.size, size=entries, replace=False)
                chosen = [np.unravel_index(k, param.shape) for k in flat]
            numeric = numerical_gradient(loss, param, eps, indices=chosen)
            g = analytic[f"{name}{l}"]
            if chosen is not None:
                g = np.array([g[i] for i in chosen])
                numeric = np.array([numeric[i] for i in chosen])
            errors[f"{name}{l}"] = relative_error(g, numeric)
    return errors
