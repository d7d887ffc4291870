"""Neural networks from scratch in pure NumPy: the chapters on backpropagation.

The modules follow the book's symbols: layer ``l`` has weights ``W`` of shape ``(n_l, n_{l-1})``
and bias ``b`` ``(n_l,)``; ``z = W a_prev + b``, ``a = f(z)``; ``delta = dE/dz``.

- :mod:`~mnist_lessons.scratch.activations`: f and f' side by side (sigmoid, tanh, relu, ...);
- :mod:`~mnist_lessons.scratch.losses`: E and dE/da side by side (mse, cross-entropies, ...);
- :mod:`~mnist_lessons.scratch.layers`: :class:`Dense`, one layer's forward and backward;
- :mod:`~mnist_lessons.scratch.network`: :class:`MLP`, backpropagation and ``fit``;
- :mod:`~mnist_lessons.scratch.optimizers`: :class:`SGD` (with momentum), :class:`AdaGrad`,
  :class:`RMSProp`, :class:`Adam`;
- :mod:`~mnist_lessons.scratch.schedules`: learning-rate schedules (step, exponential, cosine
  decay, warm-up);
- :mod:`~mnist_lessons.scratch.landscapes`: 2-D test functions and their gradients;
- :mod:`~mnist_lessons.scratch.gradcheck`: backpropagation against finite differences.

This package never imports TensorFlow.
"""

from mnist_lessons.scratch.activations import *  # noqa: F403
from mnist_lessons.scratch.activations import __all__ as _activations
from mnist_lessons.scratch.gradcheck import *  # noqa: F403
from mnist_lessons.scratch.gradcheck import __all__ as _gradcheck
from mnist_lessons.scratch.landscapes import *  # noqa: F403
from mnist_lessons.scratch.landscapes import __all__ as _landscapes
from mnist_lessons.scratch.layers import *  # noqa: F403
from mnist_lessons.scratch.layers import __all__ as _layers
from mnist_lessons.scratch.losses import *  # noqa: F403
from mnist_lessons.scratch.losses import __all__ as _losses
from mnist_lessons.scratch.network import *  # noqa: F403
from mnist_lessons.scratch.network import __all__ as _network
from mnist_lessons.scratch.optimizers import *  # noqa: F403
from mnist_lessons.scratch.optimizers import __all__ as _optimizers
from mnist_lessons.scratch.schedules import *  # noqa: F403
from mnist_lessons.scratch.schedules import __all__ as _schedules

__all__ = [
    *_activations,
    *_losses,
    *_layers,
    *_network,
    *_optimizers,
    *_schedules,
    *_landscapes,
    *_gradcheck,
]
