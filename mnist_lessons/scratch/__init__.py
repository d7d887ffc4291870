"""Neural networks from scratch in pure NumPy: the chapters on backpropagation.

The modules follow the book's symbols: layer ``l`` has weights ``W`` of shape ``(n_l, n_{l-1})``
and bias ``b`` ``(n_l,)``; ``z = W a_prev + b``, ``a = f(z)``; ``delta = dE/dz``.

- :mod:`~mnist_lessons.scratch.activations`: f and f' side by side (sigmoid, tanh, relu, ...);
- :mod:`~mnist_lessons.scratch.losses`: E and dE/da side by side (mse, cross-entropies, ...).

This package never imports TensorFlow.
"""

from mnist_lessons.scratch.activations import *  # noqa: F403
from mnist_lessons.scratch.activations import __all__ as _activations
from mnist_lessons.scratch.losses import *  # noqa: F403
from mnist_lessons.scratch.losses import __all__ as _losses

__all__ = [*_activations, *_losses]
