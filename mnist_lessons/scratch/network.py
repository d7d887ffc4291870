r"""A multilayer perceptron: forward pass, backpropagation and mini-batch training (NumPy).

The network is a list of :class:`~mnist_lessons.scratch.layers.Dense` layers. Backpropagation
starts from the fused output delta (softmax + categorical cross-entropy, or sigmoid + binary
cross-entropy) and runs the book's recursion from the last layer to the first:

.. math:: \delta^{(L)} = \frac{a^{(L)} - y}{N}, \qquad
          \delta^{(l)} = \left(\delta^{(l+1)} W^{(l+1)}\right) \odot f'(z^{(l)})

(row form, one sample per row, of :math:`((W^{(l+1)})^\top \delta^{(l+1)}) \odot f'(z^{(l)})`).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from mnist_lessons import report
from mnist_lessons.scratch.activations import get_activation
from mnist_lessons.scratch.layers import Dense, _positive_int
from mnist_lessons.scratch.losses import (
    binary_crossentropy,
    categorical_crossentropy,
    sigmoid_crossentropy_delta,
    softmax_crossentropy_delta,
)

__all__ = ["MLP", "make_rng"]

# output activation -> (loss E, fused output delta dE/dz^(L))
OUTPUTS = {
    "softmax": (categorical_crossentropy, softmax_crossentropy_delta),
    "sigmoid": (binary_crossentropy, sigmoid_crossentropy_delta),
}
PREDICT_ROWS = 8192  # predict() works through large inputs in chunks of this many rows


def make_rng(seed=None, rng=None) -> np.random.Generator:
    """``rng`` if given, else ``np.random.default_rng(seed)`` with ``seed=0`` if it is None.

    Never the global NumPy state, and never an unseeded generator: every run repeats.
    """
    if rng is not None and seed is not None:
        raise ValueError("Pass either seed= or rng=, not both.")
    if rng is None:
        return np.random.default_rng(0 if seed is None else seed)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"rng must be a numpy.random.Generator, got {type(rng).__name__}: pass "
            "rng=np.random.default_rng(seed), or seed=<int>."
        )
    return rng


class MLP:
    """A fully connected network trained by backpropagation, in ``float32``.

    Parameters
    ----------
    sizes : sequence of int
        Units per layer, input first: ``(784, 256, 128, 10)``; ``(784, 1)`` is the single
        sigmoid neuron.
    activation : str
        Hidden layers' activation (see :data:`~mnist_lessons.scratch.activations.ACTIVATIONS`).
    output : {"softmax", "sigmoid"}
        Output activation; it fixes the loss: categorical cross-entropy for softmax (one-hot
        targets ``(batch, n_L)``), binary cross-entropy for sigmoid (0/1 targets
        ``(batch, n_L)``).
    seed, rng : int or numpy.random.Generator
        Where the initial weights come from (``seed=0`` if neither is given).
    init : str, optional
        Weight initialisation for every layer (see :func:`~.layers.init_weights`).
    dtype : numpy dtype
        ``float32`` (default) for training; :meth:`astype` makes a ``float64`` copy for
        gradient checks.
    """

    def __init__(
        self,
        sizes=(784, 256, 128, 10),
        *,
        activation="relu",
        output="softmax",
        seed=None,
        rng=None,
        init=None,
        dtype=np.float32,
    ):
        sizes = tuple(sizes)
        if len(sizes) < 2:
            raise ValueError(
                f"sizes needs at least an input and an output size, got {sizes!r}: "
                "for example sizes=(784, 10) or (784, 256, 128, 10)."
            )
        sizes = tuple(_positive_int(n, "every entry of sizes") for n in sizes)
        get_activation(activation)  # hidden layers need an elementwise f' (no softmax)
        if output not in OUTPUTS:
            raise ValueError(
                f"Unknown output {output!r}. Use 'softmax' (one-hot targets, categorical "
                "cross-entropy) or 'sigmoid' (0/1 targets, binary cross-entropy)."
            )
        if output == "softmax" and sizes[-1] < 2:
            raise ValueError(
                "A softmax over one unit is always 1: use output='sigmoid' for a single "
                "output neuron, or give the last layer one unit per class."
            )
        rng = make_rng(seed, rng)
        self.sizes, self.activation, self.output = sizes, activation, output
        self.layers = [
            Dense(n_in, n_out, activation, rng=rng, init=init, dtype=dtype)
            for n_in, n_out in pairwise(sizes[:-1])  # hidden layers
        ]
        self.layers.append(Dense(sizes[-2], sizes[-1], output, rng=rng, init=init, dtype=dtype))
        self._loss, self._delta = OUTPUTS[output]

    def __repr__(self) -> str:
        return f"MLP({self.sizes}, activation={self.activation!r}, output={self.output!r})"

    @property
    def dtype(self) -> np.dtype:
        return self.layers[0].dtype

    @property
    def params(self) -> list[np.ndarray]:
        """``[W1, b1, W2, b2, ...]``: every layer's parameters, the arrays an optimizer updates."""
        return [p for layer in self.layers for p in layer.params]

    @property
    def grads(self) -> list[np.ndarray]:
        """``[dW1, db1, dW2, db2, ...]`` from the last :meth:`backward`, in the order of params."""
        return [g for layer in self.layers for g in layer.grads]

    def astype(self, dtype) -> MLP:
        """A copy of the network with every parameter in ``dtype`` (for example float64)."""
        copy = object.__new__(MLP)
        copy.__dict__.update(self.__dict__)
        copy.layers = [layer.astype(dtype) for layer in self.layers]
        return copy

    # --- checking inputs -----------------------------------------------------------------

    def _check_x(self, x, name="x") -> np.ndarray:
        x = np.asarray(x)
        if x.ndim != 2 or x.shape[1] != self.sizes[0]:
            raise ValueError(
                f"{name} must have shape (batch, {self.sizes[0]}), got {x.shape}. Put one sample "
                "per row; flatten images with mnist_lessons.data.flatten()."
            )
        if not np.issubdtype(x.dtype, np.floating):
            raise ValueError(
                f"{name} has dtype {x.dtype}; the network takes floats. Scale raw pixels to "
                "[0, 1] with mnist_lessons.data.scale() first."
            )
        return x.astype(self.dtype, copy=False)  # (batch, n_0), no copy if already float32

    def _check_y(self, y, n: int, name="y") -> np.ndarray:
        y = np.asarray(y)
        shape = (n, self.sizes[-1])
        if y.shape != shape:
            hint = (
                "encode class labels with mnist_lessons.data.one_hot()"
                if self.output == "softmax"
                else "reshape 0/1 labels with y.reshape(-1, 1)"
            )
            raise ValueError(
                f"{name} must have shape {shape} (one row per sample, {self.output} output), "
                f"got {y.shape}: {hint}."
            )
        return y.astype(self.dtype, copy=False)

    # --- forward and backward --------------------------------------------------------------

    def forward(self, x):
        r"""Run a batch through every layer, caching each layer's ``z`` and ``a``.

        .. math:: a^{(0)} = x, \quad z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}, \quad
                  a^{(l)} = f(z^{(l)})

        Returns :math:`a^{(L)}`, ``(batch, n_L)``.
        """
        a = self._check_x(x)  # (batch, n_0)
        for layer in self.layers:
            a = layer.forward(a)  # (batch, n_l)
        return a

    def backward(self, y) -> None:
        r"""Backpropagate targets ``y`` through the last :meth:`forward`; fill every dW, db.

        .. math:: \delta^{(L)} = \frac{a^{(L)} - y}{N}, \qquad
                  \delta^{(l)} = \left(\delta^{(l+1)} W^{(l+1)}\right) \odot f'(z^{(l)})

        (for a sigmoid output with ``k > 1`` units the first divisor is :math:`N k`, as
        binary cross-entropy also averages over the units).
        """
        last = self.layers[-1]
        if last.a is None:
            raise ValueError("Call forward(x) before backward(y).")
        y = self._check_y(y, len(last.a))
        delta = self._delta(y, last.a)  # (batch, n_L) = dE/dz^(L)
        for l in range(len(self.layers), 0, -1):  # noqa: E741 (the book's l = L, ..., 1)
            layer = self.layers[l - 1]  # layer l (the list counts from 0)
            grad_a_prev = layer.backward(delta, need_grad_input=l > 1)  # delta^(l) W^(l)
            if l > 1:
                below = self.layers[l - 2]  # layer l - 1
                delta = grad_a_prev  # (batch, n_{l-1}), a new array: safe to scale in place
                delta *= below.f_grad(below.z)  # delta^(l-1) = (delta^(l) W^(l)) odot f'(z^(l-1))

    # --- using the network ---------------------------------------------------------------------

    def predict(self, x):
        """Output probabilities :math:`a^{(L)}` for ``x``, ``(batch, n_L)`` (in chunks)."""
        x = self._check_x(x)
        parts = [self.forward(x[i : i + PREDICT_ROWS]) for i in range(0, len(x), PREDICT_ROWS)]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _accuracy(self, y, a) -> float:
        if self.output == "softmax":
            return float(np.mean(a.argmax(axis=1) == y.argmax(axis=1)))
        return float(np.mean((a > 0.5) == (y > 0.5)))

    def loss(self, x, y) -> float:
        r"""The loss on ``(x, y)``, from the output probabilities, clipped and averaged.

        Like ``keras.losses`` called on probabilities (a NumPy array), the probabilities are
        first clipped to ``[EPSILON, 1 - EPSILON]`` (:data:`~.losses.EPSILON` = 1e-7), so one
        sample costs at most :math:`-\ln 10^{-7} \approx 16.1`. Keras' ``evaluate`` and
        ``fit`` of a (float32) model that ends in a softmax or sigmoid layer compute the loss
        from the logits instead, without clipping: the two agree unless the true class gets a
        probability below 1e-7 (a true-class logit 80 below nine others: Keras 82.2, here
        16.1). Training is unaffected: :meth:`backward` starts from the fused delta
        :math:`a - y`, the gradient of the unclipped loss.
        """
        a = self.predict(x)
        return self._loss(self._check_y(y, len(a)), a)

    def evaluate(self, x, y) -> tuple[float, float]:
        """``(loss, accuracy)`` on ``(x, y)``; accuracy: argmax (softmax) or a > 0.5 (sigmoid).

        The loss is :meth:`loss`'s, clipped (see there for how Keras' ``evaluate`` differs).
        """
        a = self.predict(x)
        y = self._check_y(y, len(a))
        return self._loss(y, a), self._accuracy(y, a)

    def fit(
        self,
        x,
        y,
        *,
        epochs,
        optimizer,
        batch_size=128,
        seed=None,
        rng=None,
        validation_data=None,
        log=report.log,
    ) -> dict[str, list[float]]:
        """Train by mini-batch gradient descent; return the history per epoch.

        Each epoch shuffles the samples with ``rng`` (or ``np.random.default_rng(seed)``,
        ``seed=0`` if neither is given), then for each batch runs :meth:`forward`,
        :meth:`backward` and ``optimizer.step(self.params, self.grads)``, so any optimizer of
        :mod:`~mnist_lessons.scratch.optimizers` trains it.

        Returns
        -------
        dict
            ``"loss"``, ``"accuracy"``: the training batches' values averaged over the epoch
            (weighted by batch size, as Keras reports them), and ``"val_loss"``,
            ``"val_accuracy"`` on ``validation_data`` after each epoch (empty without it).
        """
        epochs = _positive_int(epochs, "epochs")
        batch_size = _positive_int(batch_size, "batch_size")
        if not callable(getattr(optimizer, "step", None)):
            raise ValueError(
                f"optimizer must have a step(params, grads) method, got {optimizer!r}: pass "
                "for example optimizer=SGD(learning_rate=0.1) or Adam()."
            )
        x = self._check_x(x)
        y = self._check_y(y, len(x))
        if validation_data is not None:
            if len(validation_data) != 2:
                raise ValueError("validation_data must be a pair (x_val, y_val).")
            x_val = self._check_x(validation_data[0], "x_val")
            y_val = self._check_y(validation_data[1], len(x_val), "y_val")
        rng = make_rng(seed, rng)
        history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
        n = len(x)
        for epoch in range(1, epochs + 1):
            order = rng.permutation(n)
            total_loss = total_correct = 0.0
            for start in range(0, n, batch_size):
                batch = order[start : start + batch_size]
                x_batch, y_batch = x[batch], y[batch]  # (batch, n_0), (batch, n_L)
                a = self.forward(x_batch)
                total_loss += self._loss(y_batch, a) * len(batch)
                total_correct += self._accuracy(y_batch, a) * len(batch)
                self.backward(y_batch)
                optimizer.step(self.params, self.grads)
            history["loss"].append(total_loss / n)
            history["accuracy"].append(total_correct / n)
            line = f"epoch {epoch}/{epochs}: loss {history['loss'][-1]:.4f}"
            line += f", accuracy {history['accuracy'][-1]:.4f}"
            if validation_data is not None:
                val_loss, val_accuracy = self.evaluate(x_val, y_val)
                history["val_loss"].append(val_loss)
                history["val_accuracy"].append(val_accuracy)
                line += f", val_loss {val_loss:.4f}, val_accuracy {val_accuracy:.4f}"
            if log is not None:
                log(line)
        return history
