r"""Optimizers: how the gradients change the parameters (pure NumPy).

Each optimizer's ``step(params, grads)`` updates a list of parameter arrays in place from a
list of gradients of the same shapes (for a network: ``net.params`` and ``net.grads``).
State such as a momentum ``m`` or a square average ``v`` is kept per parameter, by its
position in the list; it is created (zeros) on the first step.

The code follows Keras 3 (``keras/src/optimizers/{sgd,adagrad,rmsprop,adam}.py``) operation
for operation, so that it agrees with Keras step for step. Where Keras' formulation differs from
the textbook's, the docstring says how; the chapter "Optimizers" explains it. The learning
rate ``learning_rate`` is the book's :math:`\eta` (Kingma & Ba's :math:`\alpha`); it may also
be a schedule, a callable ``step -> rate`` such as those of
:mod:`~mnist_lessons.scratch.schedules`, which step ``t`` calls with ``t - 1`` (as Keras does).
"""

from __future__ import annotations

from numbers import Real

import numpy as np

__all__ = ["SGD", "AdaGrad", "Adam", "Optimizer", "RMSProp"]


def _check(value, name: str, *, unit: bool, hint: str) -> float:
    """``value`` as a float: in ``[0, 1)`` if ``unit``, else positive; ValueError if not."""
    ok = not isinstance(value, bool) and isinstance(value, Real) and np.isfinite(value)
    ok = ok and (0 <= value < 1 if unit else value > 0)
    if not ok:
        where = "in [0, 1)" if unit else "a positive number"
        raise ValueError(f"{name} must be {where}, got {value!r}. {hint}")
    return float(value)


class Optimizer:
    r"""Base class: checks the learning rate, counts steps ``t``, keeps per-parameter state.

    Parameters
    ----------
    learning_rate : float or callable
        The learning rate :math:`\eta > 0`, or a schedule: a callable that gives the rate of
        step ``t`` (1, 2, ...) from ``t - 1``, as Keras calls a ``LearningRateSchedule`` with
        its iteration count before the step. ``self.learning_rate`` is the rate of the last
        step (of the first one before any).

    Subclasses name their state arrays in ``slots`` (for example ``("m", "v")``) and write
    :meth:`update`, the rule for one parameter.
    """

    slots: tuple[str, ...] = ()

    def __init__(self, learning_rate):
        self.schedule = learning_rate if callable(learning_rate) else None  # step -> rate
        self.learning_rate = self._rate(learning_rate if self.schedule is None else 0)
        self.t = 0  # steps taken
        self.state: list[dict[str, np.ndarray]] | None = None  # one dict of slots per param

    def _rate(self, value) -> float:
        """A fixed rate ``value`` checked, or with a schedule its value at step ``value``."""
        if self.schedule is not None:
            rate = np.asarray(self.schedule(value)).item()
            if not (isinstance(rate, Real) and np.isfinite(rate) and rate >= 0):
                raise ValueError(
                    f"The learning-rate schedule gave {rate!r} at step {value}: a schedule "
                    "must give a rate of 0 or more (a warm-up may start at 0)."
                )
            return float(rate)
        return _check(
            value,
            "learning_rate",
            unit=False,
            hint="Try learning_rate=0.1 for SGD or 0.001 for RMSProp and Adam on MNIST.",
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(learning_rate={self.learning_rate})"

    def _start(self, params, grads) -> None:
        params, grads = list(params), list(grads)
        if len(params) != len(grads):
            raise ValueError(
                f"Pass one gradient per parameter: got {len(params)} parameters and "
                f"{len(grads)} gradients (for a network: step(net.params, net.grads))."
            )
        for i, (p, g) in enumerate(zip(params, grads, strict=True)):
            if not isinstance(p, np.ndarray) or np.shape(g) != p.shape:
                raise ValueError(
                    f"Parameter {i} must be a NumPy array with a gradient of its shape; got "
                    f"{type(p).__name__} {np.shape(p)} and gradient {np.shape(g)}."
                )
        if self.state is None:
            self.state = [{s: np.zeros_like(p) for s in self.slots} for p in params]
        shapes = [next(iter(s.values())).shape for s in self.state] if self.slots else None
        if len(self.state) != len(params) or (
            shapes is not None and shapes != [p.shape for p in params]
        ):
            raise ValueError(
                "This optimizer's state belongs to other parameters: use one optimizer "
                "per network (make a new one to train another network)."
            )

    def step(self, params, grads) -> None:
        """Update every array of ``params`` in place from the matching array of ``grads``."""
        self._start(params, grads)
        if self.schedule is not None:  # step t + 1 takes the schedule's rate at t
            self.learning_rate = self._rate(self.t)
        self.t += 1
        for param, grad, state in zip(params, grads, self.state, strict=True):
            self.update(param, np.asarray(grad, dtype=param.dtype), **state)

    def update(self, param: np.ndarray, grad: np.ndarray, **state: np.ndarray) -> None:
        """Change one parameter array (and its state arrays) in place."""
        raise NotImplementedError


class SGD(Optimizer):
    r"""Stochastic (mini-batch) gradient descent, with optional momentum.

    Without momentum (:math:`\mu = 0`), eq. ``eq-opt-sgd``:

    .. math:: \theta_t = \theta_{t-1} - \eta\, g_t

    With momentum :math:`\mu` (``momentum``), in Keras' form, which folds :math:`\eta` into
    the momentum ``m`` (eq. ``eq-opt-momentum-keras``):

    .. math:: m_t = \mu\, m_{t-1} - \eta\, g_t, \qquad \theta_t = \theta_{t-1} + m_t

    Parameters
    ----------
    learning_rate : float
        :math:`\eta > 0`.
    momentum : float
        :math:`\mu \in [0, 1)`; 0 is plain SGD.
    """

    def __init__(self, learning_rate: float, momentum: float = 0.0):
        super().__init__(learning_rate)
        self.momentum = _check(
            momentum, "momentum", unit=True, hint="Use 0 (plain SGD) or for example 0.9."
        )
        self.slots = ("m",) if self.momentum else ()

    def __repr__(self) -> str:
        return f"SGD(learning_rate={self.learning_rate}, momentum={self.momentum})"

    def update(self, param, grad, m=None):
        eta = param.dtype.type(self.learning_rate)  # eta in param's dtype (no upcast)
        if m is None:
            param -= eta * grad  # theta <- theta - eta g
            return
        mu = param.dtype.type(self.momentum)
        m *= mu
        m -= grad * eta  # m <- mu m - eta g
        param += m  # theta <- theta + m


class AdaGrad(Optimizer):
    r"""AdaGrad (Duchi, Hazan & Singer 2011) as Keras computes it, epsilon *inside* the root.

    .. math:: G_t = G_{t-1} + g_t^2, \qquad
              \theta_t = \theta_{t-1} - \frac{\eta\, g_t}{\sqrt{G_t + \epsilon}}

    (eq. ``eq-opt-adagrad``), with :math:`G_0` = ``initial_accumulator_value`` in every
    entry; Duchi et al. start from :math:`G_0 = 0` and add their :math:`\delta` outside the
    root.

    Parameters
    ----------
    learning_rate : float or callable
        :math:`\eta > 0` (Keras' default 0.001; AdaGrad usually wants more).
    initial_accumulator_value : float
        :math:`G_0 \ge 0` (Keras' default 0.1).
    epsilon : float
        :math:`\epsilon > 0`.
    """

    slots = ("G",)

    def __init__(
        self,
        learning_rate: float = 0.001,
        initial_accumulator_value: float = 0.1,
        epsilon: float = 1e-7,
    ):
        super().__init__(learning_rate)
        G0 = initial_accumulator_value
        if isinstance(G0, bool) or not isinstance(G0, Real) or not (np.isfinite(G0) and G0 >= 0):
            raise ValueError(
                f"initial_accumulator_value must be 0 or more, got {G0!r}. Keras' default is 0.1."
            )
        self.initial_accumulator_value = float(G0)
        self.epsilon = _check(epsilon, "epsilon", unit=False, hint="Keras' default is 1e-7.")

    def _start(self, params, grads) -> None:
        fresh = self.state is None
        super()._start(params, grads)
        if fresh:  # G_0: Keras starts every entry of the sum at initial_accumulator_value
            for state in self.state:
                state["G"][...] = self.initial_accumulator_value

    def update(self, param, grad, G):
        dtype = param.dtype.type
        eta, epsilon = dtype(self.learning_rate), dtype(self.epsilon)
        G += np.square(grad)  # G <- G + g^2, the sum of all squared gradients so far
        param -= (eta * grad) / np.sqrt(G + epsilon)  # theta <- theta - eta g / sqrt(G + eps)


class RMSProp(Optimizer):
    r"""RMSProp (Tieleman & Hinton 2012) as Keras computes it, epsilon *inside* the root.

    .. math:: v_t = \rho\, v_{t-1} + (1 - \rho)\, g_t^2, \qquad
              \theta_t = \theta_{t-1} - \frac{\eta\, g_t}{\sqrt{v_t + \epsilon}}

    (the textbook form, eq. ``eq-opt-rmsprop``, has :math:`\sqrt{v_t} + \epsilon`).

    Parameters
    ----------
    learning_rate : float
        :math:`\eta > 0` (Keras' default 0.001).
    rho : float
        Decay :math:`\rho \in [0, 1)` of the square average ``v``.
    epsilon : float
        :math:`\epsilon > 0`, keeps the division finite where ``v`` is 0.
    """

    slots = ("v",)

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.9, epsilon: float = 1e-7):
        super().__init__(learning_rate)
        self.rho = _check(rho, "rho", unit=True, hint="Keras' default is rho=0.9.")
        self.epsilon = _check(epsilon, "epsilon", unit=False, hint="Keras' default is 1e-7.")

    def update(self, param, grad, v):
        dtype = param.dtype.type
        eta, rho, epsilon = dtype(self.learning_rate), dtype(self.rho), dtype(self.epsilon)
        v *= rho
        v += (1 - rho) * np.square(grad)  # v <- rho v + (1 - rho) g^2
        param -= (eta * grad) / np.sqrt(v + epsilon)  # theta <- theta - eta g / sqrt(v + epsilon)


class Adam(Optimizer):
    r"""Adam (Kingma & Ba 2015) as Keras computes it: bias correction folded into the rate.

    .. math:: m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g_t, \qquad
              v_t = \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2

    .. math:: \eta_t = \eta\, \frac{\sqrt{1 - \beta_2^t}}{1 - \beta_1^t}, \qquad
              \theta_t = \theta_{t-1} - \frac{\eta_t\, m_t}{\sqrt{v_t} + \epsilon}

    This is the textbook form (eq. ``eq-opt-adam-update``, with
    :math:`\hat m_t, \hat v_t`) with :math:`\epsilon` replaced by
    :math:`\epsilon / \sqrt{1 - \beta_2^t}` (Kingma & Ba's "efficient" version, their
    :math:`\hat\epsilon`).

    Parameters
    ----------
    learning_rate : float
        :math:`\eta > 0` (Keras' default 0.001).
    beta1, beta2 : float
        Decays :math:`\beta_1, \beta_2 \in [0, 1)` of ``m`` and ``v``.
    epsilon : float
        :math:`\epsilon > 0`.
    """

    slots = ("m", "v")

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-7,
    ):
        super().__init__(learning_rate)
        hint = "Keras' defaults are beta1=0.9, beta2=0.999."
        self.beta1 = _check(beta1, "beta1", unit=True, hint=hint)
        self.beta2 = _check(beta2, "beta2", unit=True, hint=hint)
        self.epsilon = _check(epsilon, "epsilon", unit=False, hint="Keras' default is 1e-7.")

    def update(self, param, grad, m, v):
        """One array's step, in Keras' order of operations (eq-opt-adam-keras)."""
        dtype = param.dtype.type
        eta, t = dtype(self.learning_rate), dtype(self.t)
        beta1, beta2 = dtype(self.beta1), dtype(self.beta2)
        epsilon = dtype(self.epsilon)
        eta_t = eta * np.sqrt(1 - beta2**t) / (1 - beta1**t)
        # m <- beta1 m + (1 - beta1) g and v <- beta2 v + (1 - beta2) g^2, as Keras
        # writes them: m + (g - m) (1 - beta1) is the same average, rounded alike.
        m += (grad - m) * (1 - beta1)
        v += (np.square(grad) - v) * (1 - beta2)
        param -= (m * eta_t) / (np.sqrt(v) + epsilon)
