r"""Optimizers: how the gradients change the parameters (pure NumPy).

Each optimizer's :meth:`~Optimizer.step` walks over the layers and updates every parameter
``W``, ``b`` in place from its gradient ``dW``, ``db`` (as the layers' last ``backward`` left
them). Subclasses only write :meth:`~Optimizer.update`, the rule for one parameter; state such
as a momentum ``m`` is kept per parameter under the key ``(layer index, parameter index)``.
"""

from __future__ import annotations

from numbers import Real

import numpy as np

__all__ = ["SGD", "Optimizer"]


class Optimizer:
    r"""Base class: checks the learning rate ``eta``, counts steps ``t``, applies :meth:`update`.

    Parameters
    ----------
    eta : float
        Learning rate :math:`\eta > 0`.
    """

    def __init__(self, eta: float):
        if isinstance(eta, bool) or not isinstance(eta, Real) or not np.isfinite(eta) or eta <= 0:
            raise ValueError(
                f"The learning rate eta must be a positive number, got {eta!r}. "
                "Try eta=0.1 for SGD on MNIST."
            )
        self.eta = float(eta)
        self.t = 0  # steps taken

    def __repr__(self) -> str:
        return f"{type(self).__name__}(eta={self.eta})"

    def step(self, layers) -> None:
        """Update every layer's ``params`` in place from its ``grads``."""
        self.t += 1
        for i, layer in enumerate(layers):
            for j, (param, grad) in enumerate(zip(layer.params, layer.grads, strict=True)):
                self.update(param, grad, key=(i, j))

    def update(self, param: np.ndarray, grad: np.ndarray, *, key: tuple[int, int]) -> None:
        """Change one parameter array in place (subclasses define the rule)."""
        raise NotImplementedError


class SGD(Optimizer):
    r"""Plain (stochastic, mini-batch) gradient descent.

    .. math:: W \leftarrow W - \eta\, dW, \qquad b \leftarrow b - \eta\, db
    """

    def __init__(self, eta: float = 0.1):
        super().__init__(eta)

    def update(self, param, grad, *, key):
        param -= param.dtype.type(self.eta) * grad  # in place; eta in param's dtype (no upcast)
