r"""Two-dimensional test functions for optimizers, each beside its gradient (pure NumPy).

Each function takes points :math:`\theta = (x, y)` as an array whose last axis has length 2
(one point ``(2,)``, a path ``(n, 2)`` or a grid ``(ny, nx, 2)``) and returns the values
``theta.shape[:-1]``; each ``*_grad`` returns the gradient, shaped like ``theta``.

- :func:`rosenbrock`: a curved, narrow valley with its minimum at (1, 1);
- :func:`valley`: an elongated quadratic bowl, 40 times steeper across than along;
- :func:`saddle`: a saddle point at (0, 0) between two minima at (0, -1) and (0, 1).

:func:`descend` runs an optimizer of :mod:`~mnist_lessons.scratch.optimizers` on one of them.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "LANDSCAPES",
    "descend",
    "rosenbrock",
    "rosenbrock_grad",
    "saddle",
    "saddle_grad",
    "valley",
    "valley_grad",
]


def _xy(theta) -> tuple[np.ndarray, np.ndarray]:
    theta = np.asarray(theta, dtype=float)
    if theta.ndim == 0 or theta.shape[-1] != 2:
        raise ValueError(
            f"theta must hold points (x, y) along its last axis, shape (..., 2), got "
            f"{theta.shape}. For a grid, stack it: np.stack([x, y], axis=-1)."
        )
    return theta[..., 0], theta[..., 1]


def rosenbrock(theta, a: float = 1.0, b: float = 100.0):
    r"""Rosenbrock's function, minimum 0 at :math:`(a, a^2)`.

    .. math:: f(x, y) = (a - x)^2 + b\,(y - x^2)^2
    """
    x, y = _xy(theta)
    return (a - x) ** 2 + b * (y - x**2) ** 2


def rosenbrock_grad(theta, a: float = 1.0, b: float = 100.0):
    r"""Gradient of :func:`rosenbrock`.

    .. math:: \nabla f = \bigl(-2(a - x) - 4 b x (y - x^2),\; 2 b (y - x^2)\bigr)
    """
    x, y = _xy(theta)
    return np.stack([-2 * (a - x) - 4 * b * x * (y - x**2), 2 * b * (y - x**2)], axis=-1)


def valley(theta, k: float = 40.0):
    r"""An elongated bowl: curvature 0.1 along :math:`x`, :math:`0.1\,k` across; minimum 0 at 0.

    .. math:: f(x, y) = 0.05\,(x^2 + k\, y^2)
    """
    x, y = _xy(theta)
    return 0.05 * (x**2 + k * y**2)


def valley_grad(theta, k: float = 40.0):
    r"""Gradient of :func:`valley`.

    .. math:: \nabla f = (0.1\, x,\; 0.1\, k\, y)
    """
    x, y = _xy(theta)
    return np.stack([0.1 * x, 0.1 * k * y], axis=-1)


def saddle(theta):
    r"""A saddle point at (0, 0) (value 1/4) between minima 0 at :math:`(0, \pm 1)`.

    .. math:: f(x, y) = x^2 + \tfrac14 (y^2 - 1)^2
    """
    x, y = _xy(theta)
    return x**2 + 0.25 * (y**2 - 1) ** 2


def saddle_grad(theta):
    r"""Gradient of :func:`saddle`.

    .. math:: \nabla f = \bigl(2 x,\; y (y^2 - 1)\bigr)
    """
    x, y = _xy(theta)
    return np.stack([2 * x, y * (y**2 - 1)], axis=-1)


# name -> (f, grad f, the minima)
LANDSCAPES = {
    "rosenbrock": (rosenbrock, rosenbrock_grad, np.array([[1.0, 1.0]])),
    "valley": (valley, valley_grad, np.array([[0.0, 0.0]])),
    "saddle": (saddle, saddle_grad, np.array([[0.0, -1.0], [0.0, 1.0]])),
}


def descend(grad, theta0, optimizer, steps: int) -> np.ndarray:
    r"""Run ``optimizer`` on a function with gradient ``grad`` from ``theta0``; return the path.

    Each step computes :math:`g_t = \nabla f(\theta_{t-1})` and calls
    ``optimizer.step([theta], [g])`` (float64).

    Returns
    -------
    numpy.ndarray
        ``(steps + 1, 2)``: :math:`\theta_0, \theta_1, \dots, \theta_{steps}`.
    """
    theta = np.array(theta0, dtype=np.float64)  # (2,), a copy the optimizer updates
    if theta.shape != (2,):
        raise ValueError(f"theta0 must be one point (x, y), got shape {theta.shape}.")
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}.")
    path = np.empty((steps + 1, 2))
    path[0] = theta
    for t in range(1, steps + 1):
        optimizer.step([theta], [grad(theta)])
        path[t] = theta
    return path
