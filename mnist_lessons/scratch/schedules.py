r"""Learning-rate schedules: the rate :math:`\eta` as a function of the step (pure NumPy).

Each schedule is a callable ``step -> rate`` with the arguments of its Keras namesake in
``keras.optimizers.schedules``, and computes the same numbers; ``step`` may be an int or an
array of steps (for a plot). An optimizer of :mod:`~mnist_lessons.scratch.optimizers` takes one
as its ``learning_rate`` and calls it with ``t - 1`` at step ``t``, as Keras does.

- :class:`ExponentialDecay`: :math:`\eta_0 \gamma^{s/S}`, or with ``staircase=True`` the
  *step decay* :math:`\eta_0 \gamma^{\lfloor s/S \rfloor}` (eqs. ``eq-opt-step-decay``,
  ``eq-opt-exp-decay``);
- :class:`CosineDecay`: a half cosine from :math:`\eta_0` down to :math:`\alpha \eta_0`,
  optionally after a linear warm-up (eqs. ``eq-opt-cosine``, ``eq-opt-warmup``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["CosineDecay", "ExponentialDecay"]


def _positive(value, name: str) -> float:
    if isinstance(value, bool) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}.")
    return float(value)


def _steps(step) -> np.ndarray:
    step = np.asarray(step, dtype=float)
    if np.any(step < 0):
        raise ValueError("Steps count from 0: pass step >= 0.")
    return step


def _scalar(rate):
    """A float for one step, the array for several."""
    return float(rate) if np.ndim(rate) == 0 else rate


class ExponentialDecay:
    r"""The rate falls by a factor ``decay_rate`` every ``decay_steps`` steps.

    .. math:: \eta(s) = \eta_0\, \gamma^{s / S}
              \quad\text{or, with staircase,}\quad
              \eta(s) = \eta_0\, \gamma^{\lfloor s / S \rfloor}

    with :math:`\eta_0` = ``initial_learning_rate``, :math:`\gamma` = ``decay_rate`` and
    :math:`S` = ``decay_steps``; the staircase form is *step decay*.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False):
        self.initial_learning_rate = _positive(initial_learning_rate, "initial_learning_rate")
        self.decay_steps = _positive(decay_steps, "decay_steps")
        self.decay_rate = _positive(decay_rate, "decay_rate")
        self.staircase = bool(staircase)

    def __call__(self, step):
        p = _steps(step) / self.decay_steps
        if self.staircase:
            p = np.floor(p)
        return _scalar(self.initial_learning_rate * self.decay_rate**p)


class CosineDecay:
    r"""A half cosine from the peak rate down to ``alpha`` times it, after an optional warm-up.

    Without warm-up the peak is :math:`\eta_0` = ``initial_learning_rate``; with
    ``warmup_target`` the rate first rises linearly from :math:`\eta_0` to
    :math:`\eta_{\max}` = ``warmup_target`` over :math:`W` = ``warmup_steps`` steps:

    .. math:: \eta(s) = \eta_0 + (\eta_{\max} - \eta_0)\, s / W \quad (s < W),

    .. math:: \eta(s) = \eta_{\max} \Big(\alpha + (1 - \alpha)\,
              \tfrac12 \big(1 + \cos(\pi \min(s - W, S) / S)\big)\Big)

    with :math:`S` = ``decay_steps`` (after :math:`W + S` steps the rate stays at
    :math:`\alpha \eta_{\max}`).
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        alpha=0.0,
        warmup_target=None,
        warmup_steps=0,
    ):
        if isinstance(initial_learning_rate, bool) or not initial_learning_rate >= 0:
            raise ValueError(
                f"initial_learning_rate must be 0 or more, got {initial_learning_rate!r}."
            )
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = _positive(decay_steps, "decay_steps")
        if not 0 <= alpha <= 1:
            raise ValueError(
                f"alpha is the final fraction of the peak rate, in [0, 1]; got {alpha!r}."
            )
        self.alpha = float(alpha)
        if warmup_target is not None:
            warmup_target = _positive(warmup_target, "warmup_target")
            _positive(warmup_steps, "warmup_steps (with a warmup_target)")
        self.warmup_target = warmup_target
        self.warmup_steps = float(warmup_steps) if warmup_target is not None else 0.0

    def __call__(self, step):
        s = _steps(step)
        peak = self.initial_learning_rate if self.warmup_target is None else self.warmup_target
        fraction = np.minimum(np.maximum(s - self.warmup_steps, 0), self.decay_steps)
        cosine = 0.5 * (1 + np.cos(np.pi * fraction / self.decay_steps))
        rate = peak * ((1 - self.alpha) * cosine + self.alpha)
        if self.warmup_target is None:
            return _scalar(rate)
        ramp = self.initial_learning_rate + (peak - self.initial_learning_rate) * (
            s / self.warmup_steps
        )
        return _scalar(np.where(s < self.warmup_steps, ramp, rate))
