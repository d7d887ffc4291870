r"""One fully connected layer, forward and backward (pure NumPy).

Layer :math:`l` has weights :math:`W^{(l)}` of shape ``(n_l, n_{l-1})`` and bias :math:`b^{(l)}`
of shape ``(n_l,)``, as in the book:

.. math:: z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}, \qquad a^{(l)} = f(z^{(l)})

The code keeps one sample per *row* (a batch is ``(batch, n)``), so the same equation reads
``z = a_prev @ W.T + b``; ``W`` itself keeps the book's shape.
"""

from __future__ import annotations

import numpy as np

from mnist_lessons.scratch.activations import get_activation

__all__ = ["INITS", "Dense", "init_variance", "init_weights"]

INITS = ("he", "he_normal", "he_uniform", "glorot", "glorot_normal", "glorot_uniform")


def init_variance(n_in: int, n_out: int, init: str) -> float:
    r"""The variance of every initial weight that :func:`init_weights` draws.

    .. math:: \text{He: } \operatorname{Var}(W_{jk}) = \frac{2}{n_{in}}, \qquad
              \text{Glorot: } \operatorname{Var}(W_{jk}) = \frac{2}{n_{in} + n_{out}}

    He's keeps the mean square of a relu layer's outputs the same from layer to layer
    (relu zeroes half of a symmetric ``z``, so it needs twice the variance); Glorot's keeps
    the variance of ``z`` the same going forward (which needs :math:`1/n_{in}`) and of
    ``delta`` going backward (:math:`1/n_{out}`) as well as it can for both, for a
    function of slope 1 at 0 such as tanh. The normal and uniform variants share it.
    """
    init = {"he": "he_normal", "glorot": "glorot_uniform"}.get(init, init)
    if init not in INITS:
        raise ValueError(f"Unknown init {init!r}. Use one of: {', '.join(map(repr, INITS))}.")
    return 2 / n_in if init.startswith("he") else 2 / (n_in + n_out)


def init_weights(n_in: int, n_out: int, init: str, *, rng: np.random.Generator, dtype=np.float32):
    r"""Random initial weights ``W`` of shape ``(n_out, n_in)``.

    He initialisation keeps the variance of relu layers' outputs constant, Glorot's that of
    layers with symmetric activations (sigmoid, tanh):

    .. math:: \text{he\_normal: } W_{jk} \sim \mathcal{N}\!\left(0, \tfrac{2}{n_{in}}\right),
              \quad \text{he\_uniform: } W_{jk} \sim \mathcal{U}(-r, r),\ r = \sqrt{6 / n_{in}}

    .. math:: \text{glorot\_normal: } W_{jk} \sim \mathcal{N}\!\left(0,
              \tfrac{2}{n_{in} + n_{out}}\right), \quad \text{glorot\_uniform: }
              r = \sqrt{6 / (n_{in} + n_{out})}

    ``"he"`` means ``"he_normal"`` (He et al. 2015 draw from a Gaussian) and ``"glorot"`` means
    ``"glorot_uniform"`` (Glorot & Bengio 2010 draw uniformly; it is also Keras' default).
    Both uniform variants have the same variance as their normal twins. Unlike Keras, the
    normal variants are not truncated.
    """
    std = np.sqrt(init_variance(n_in, n_out, init))  # raises on an unknown init
    init = {"he": "he_normal", "glorot": "glorot_uniform"}.get(init, init)
    if init.endswith("normal"):
        W = rng.standard_normal((n_out, n_in), dtype=np.float32) * np.float32(std)
    else:
        r = np.sqrt(3) * std  # U(-r, r) has variance r^2 / 3 = std^2
        W = (2 * rng.random((n_out, n_in), dtype=np.float32) - 1) * np.float32(r)
    return W.astype(dtype, copy=False)  # (n_out, n_in)


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    return int(value)


class Dense:
    """A fully connected layer: weights ``W`` (n_out, n_in), bias ``b`` (n_out,), activation f.

    Parameters
    ----------
    n_in, n_out : int
        Inputs :math:`n_{l-1}` and units :math:`n_l`.
    activation : str
        ``"relu"``, ``"leaky_relu"``, ``"sigmoid"``, ``"tanh"``, ``"linear"``, or ``"softmax"``
        (output layer only: the network then uses the fused output delta).
    rng : numpy.random.Generator
        Draws the initial weights; required, so that every run is reproducible.
    init : str, optional
        See :func:`init_weights`; default ``"he"`` for relu and leaky relu, else ``"glorot"``.
        Biases start at 0.
    dtype : numpy dtype
        ``float32`` (default) for training, ``float64`` for gradient checks.

    Attributes
    ----------
    W, b : numpy.ndarray
        Parameters, updated in place by the optimizer.
    a_prev, z, a : numpy.ndarray
        Input, pre-activation and output of the last :meth:`forward`, each ``(batch, n)``.
    dW, db : numpy.ndarray
        Gradients of the loss from the last :meth:`backward`, shaped like ``W`` and ``b``.
    """

    def __init__(self, n_in, n_out, activation="relu", *, rng, init=None, dtype=np.float32):
        self.n_in = _positive_int(n_in, "n_in")
        self.n_out = _positive_int(n_out, "n_out")
        if not isinstance(rng, np.random.Generator):
            raise ValueError(
                f"rng must be a numpy.random.Generator, got {type(rng).__name__}: pass "
                "rng=np.random.default_rng(seed)."
            )
        self.activation = activation
        self.f, self.f_grad = get_activation(activation, allow_softmax=True)
        if init is None:
            init = "he" if activation in ("relu", "leaky_relu") else "glorot"
        self.init = init
        self.W = init_weights(self.n_in, self.n_out, init, rng=rng, dtype=dtype)  # (n_out, n_in)
        self.b = np.zeros(self.n_out, dtype=dtype)  # (n_out,)
        self.a_prev = self.z = self.a = None
        self.dW = self.db = None

    def __repr__(self) -> str:
        return f"Dense({self.n_in}, {self.n_out}, activation={self.activation!r})"

    @property
    def dtype(self) -> np.dtype:
        return self.W.dtype

    def forward(self, a_prev):
        r"""Compute and cache ``z`` and ``a`` for a batch ``a_prev`` of shape ``(batch, n_in)``.

        .. math:: z = a_{prev} W^\top + b, \qquad a = f(z)

        (the book's :math:`z = W a + b` with samples as rows).
        """
        a_prev = np.asarray(a_prev)
        if a_prev.ndim != 2 or a_prev.shape[1] != self.n_in:
            raise ValueError(
                f"{self!r} expects a batch of shape (batch, {self.n_in}), got {a_prev.shape}. "
                "Put one sample per row; flatten images with mnist_lessons.data.flatten()."
            )
        self.a_prev = a_prev.astype(self.dtype, copy=False)  # (batch, n_in)
        self.z = self.a_prev @ self.W.T  # (batch, n_out)
        self.z += self.b
        self.a = self.f(self.z)  # (batch, n_out)
        return self.a

    def backward(self, delta, *, need_grad_input: bool = True):
        r"""Store ``dW``, ``db`` from ``delta`` = dE/dz of this layer; return dE/da_prev.

        .. math:: \frac{\partial E}{\partial W} = \delta^\top a_{prev}, \qquad
                  \frac{\partial E}{\partial b} = \sum_{\text{batch}} \delta, \qquad
                  \frac{\partial E}{\partial a_{prev}} = \delta\, W

        (the book's :math:`dW = \delta\, a^\top` and :math:`W^\top \delta` with samples as
        rows; :math:`\delta` already carries the :math:`1/N` of the batch mean).

        Parameters
        ----------
        delta : numpy.ndarray
            ``(batch, n_out)``, for the batch of the last :meth:`forward`.
        need_grad_input : bool
            ``False`` skips the product ``delta @ W`` (the first layer's input needs no
            gradient) and returns ``None``.
        """
        if self.a_prev is None:
            raise ValueError(f"{self!r}: call forward() before backward().")
        delta = np.asarray(delta)
        if delta.shape != self.z.shape:
            raise ValueError(
                f"{self!r}: delta must have the shape of z from the last forward(), "
                f"{self.z.shape}, got {delta.shape}. Pass dE/dz for the same batch."
            )
        delta = delta.astype(self.dtype, copy=False)
        self.dW = delta.T @ self.a_prev  # (n_out, n_in)
        self.db = delta.sum(axis=0)  # (n_out,)
        return delta @ self.W if need_grad_input else None  # (batch, n_in)

    @property
    def params(self) -> list[np.ndarray]:
        """``[W, b]``: the arrays an optimizer updates in place."""
        return [self.W, self.b]

    @property
    def grads(self) -> list[np.ndarray]:
        """``[dW, db]`` from the last :meth:`backward`, in the order of :attr:`params`."""
        if self.dW is None:
            raise ValueError(f"{self!r} has no gradients yet: call backward() first.")
        return [self.dW, self.db]

    def astype(self, dtype) -> Dense:
        """A copy of the layer with its parameters in ``dtype`` (caches and gradients empty)."""
        copy = object.__new__(Dense)
        copy.__dict__.update(self.__dict__)
        copy.W = self.W.astype(dtype)  # always a copy
        copy.b = self.b.astype(dtype)
        copy.a_prev = copy.z = copy.a = None
        copy.dW = copy.db = None
        return copy
