"""A physics-informed neural network (PINN) for a damped harmonic oscillator.

The chapter "Physics-informed networks" fits a small network :math:`u_\\theta(t)` to a few
measurements of an oscillator and, in the PINN, also to the oscillator's equation of motion

.. math:: u'' + 2 \\delta u' + \\omega_0^2 u = 0, \\qquad u(0) = 1, \\; u'(0) = 0,

whose residual is computed with ``tf.GradientTape`` at *collocation points* where there are no
measurements. Everything is a plain function of its arguments: no module state.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence

import numpy as np

from mnist_lessons import report
from mnist_lessons.quiet import import_keras

keras = import_keras()
import tensorflow as tf  # noqa: E402  (after the quiet start of import_keras)

__all__ = [
    "OscillatorFits",
    "PinnResult",
    "build_ode_net",
    "fit_oscillator",
    "oscillator_residual",
    "oscillator_solution",
    "train_pinn",
]


def _check_damping(delta: float, omega0: float) -> None:
    if not 0 <= delta < omega0:
        raise ValueError(
            f"The closed form is for an under-damped oscillator, 0 <= delta < omega0; got "
            f"delta={delta!r}, omega0={omega0!r}. Lower delta or raise omega0."
        )


def oscillator_solution(t, *, delta: float, omega0: float) -> np.ndarray:
    """The exact solution of the under-damped oscillator with u(0) = 1, u'(0) = 0.

    .. math:: u(t) = e^{-\\delta t} \\Big(\\cos \\omega t + \\frac{\\delta}{\\omega}
        \\sin \\omega t\\Big), \\qquad \\omega = \\sqrt{\\omega_0^2 - \\delta^2}

    Parameters
    ----------
    t : array
        Times, any shape.
    delta, omega0 : float
        The damping rate and the undamped angular frequency, ``0 <= delta < omega0``.
    """
    _check_damping(delta, omega0)
    t = np.asarray(t, dtype=float)
    omega = np.sqrt(omega0**2 - delta**2)
    return np.exp(-delta * t) * (np.cos(omega * t) + delta / omega * np.sin(omega * t))


def oscillator_residual(u: Callable, t, *, delta: float, omega0: float) -> tf.Tensor:
    """The residual of the equation of motion for a function ``u``, by automatic derivatives.

    .. math:: r(t) = u''(t) + 2 \\delta u'(t) + \\omega_0^2 u(t)

    Two nested ``tf.GradientTape`` record ``u(t)``; the inner one gives :math:`u'`, the outer
    one :math:`u''`. Each output depends only on its own input row, so the gradient of the sum
    is the derivative at every point.

    Parameters
    ----------
    u : callable
        Maps a float32 tensor of shape (n, 1) to (n, 1) with TensorFlow operations: a Keras
        model, or a closed form written with ``tf``.
    t : array, shape (n, 1)
        The collocation points.

    Returns
    -------
    tf.Tensor, shape (n, 1)
        Zero wherever ``u`` satisfies the equation.
    """
    t = tf.convert_to_tensor(t, dtype=tf.float32)
    if t.shape.rank != 2 or t.shape[1] != 1:
        raise ValueError(f"t must be a column of times, shape (n, 1); got {tuple(t.shape)}.")
    with tf.GradientTape() as outer:
        outer.watch(t)
        with tf.GradientTape() as inner:
            inner.watch(t)
            u_t = u(t)  # (n, 1)
        du = inner.gradient(u_t, t)  # (n, 1)
    d2u = outer.gradient(du, t)  # (n, 1)
    return d2u + 2.0 * delta * du + omega0**2 * u_t


def build_ode_net(
    *, hidden_units: Sequence[int] = (32, 32, 32), activation: str = "tanh", name="ode_net"
) -> keras.Model:
    """A small dense network from a time ``t`` (n, 1) to a value ``u`` (n, 1).

    ``tanh`` keeps it smooth: its second derivative, which the residual needs, is not zero
    almost everywhere as ReLU's is.
    """
    t = keras.Input(shape=(1,), name="t")
    h = t
    for i, units in enumerate(hidden_units, start=1):
        h = keras.layers.Dense(units, activation=activation, name=f"hidden_{i}")(h)
    return keras.Model(t, keras.layers.Dense(1, name="u")(h), name=name)


@dataclasses.dataclass
class PinnResult:
    """A trained network, its loss after every logged step, and the training time."""

    model: keras.Model
    data_loss: list[float]  # mean squared error on the measurements
    physics_loss: list[float]  # mean squared residual at the collocation points
    seconds: float


def train_pinn(
    t_data,
    u_data,
    t_physics,
    *,
    delta: float,
    omega0: float,
    physics_weight: float,
    steps: int = 3000,
    learning_rate: float = 1e-2,
    hidden_units: Sequence[int] = (32, 32, 32),
    seed: int = 0,
    log_every: int = 500,
    label: str = "pinn",
) -> PinnResult:
    """Fit :func:`build_ode_net` to the data, plus the physics if ``physics_weight > 0``.

    .. math:: E(\\theta) = \\frac{1}{N} \\sum_{i=1}^{N} \\big(u_\\theta(t_i) - u_i\\big)^2
        + \\lambda \\frac{1}{M} \\sum_{j=1}^{M} r_\\theta(\\tau_j)^2

    With ``physics_weight`` (:math:`\\lambda`) 0 this is a plain network fitted to the data
    alone. Full-batch Adam, the step size falling along a half cosine to 0; one log line every
    ``log_every`` steps.

    Parameters
    ----------
    t_data, u_data : array, shape (N, 1)
        The measurements.
    t_physics : array, shape (M, 1)
        The collocation points :math:`\\tau_j`, where only the equation is imposed.
    """
    _check_damping(delta, omega0)
    t_data = np.asarray(t_data, dtype=np.float32)
    u_data = np.asarray(u_data, dtype=np.float32)
    t_physics = np.asarray(t_physics, dtype=np.float32)
    if t_data.ndim != 2 or t_data.shape[1] != 1 or t_data.shape != u_data.shape:
        raise ValueError(
            f"t_data and u_data must be columns of the same length, shape (N, 1); got "
            f"{t_data.shape} and {u_data.shape}. Use t[:, None]."
        )
    if t_physics.ndim != 2 or t_physics.shape[1] != 1:
        raise ValueError(f"t_physics must be a column (M, 1); got {t_physics.shape}.")
    if physics_weight < 0 or steps < 1:
        raise ValueError("physics_weight must be 0 or more, and steps a positive number.")

    keras.utils.set_random_seed(int(seed))
    model = build_ode_net(hidden_units=hidden_units, name=label)
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, steps)
    optimizer = keras.optimizers.Adam(learning_rate=schedule)
    weight = tf.constant(physics_weight, tf.float32)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            data_loss = tf.reduce_mean(tf.square(model(t_data) - u_data))
            if physics_weight > 0:
                r = oscillator_residual(model, t_physics, delta=delta, omega0=omega0)
                physics_loss = tf.reduce_mean(tf.square(r))
            else:
                physics_loss = tf.constant(0.0)
            loss = data_loss + weight * physics_loss
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return data_loss, physics_loss

    data_curve, physics_curve = [], []
    start = time.perf_counter()
    for i in range(1, steps + 1):
        data_loss, physics_loss = step()
        if i % log_every == 0 or i == steps:
            data_curve.append(float(data_loss))
            physics_curve.append(float(physics_loss))
            report.log(
                f"[{label}] step {i}/{steps} data loss {data_curve[-1]:.2e} "
                f"physics loss {physics_curve[-1]:.2e}"
            )
    seconds = time.perf_counter() - start
    return PinnResult(model, data_curve, physics_curve, seconds)


@dataclasses.dataclass
class OscillatorFits:
    """One experiment of the chapter: the measurements, the PINN and the plain network."""

    delta: float
    data_end: float
    t_data: np.ndarray  # (N, 1)
    u_data: np.ndarray  # (N, 1)
    pinn: PinnResult
    plain: PinnResult


def fit_oscillator(
    *,
    delta: float,
    omega0: float,
    data_end: float,
    n_data: int = 10,
    n_physics: int = 50,
    t_end: float = 1.0,
    physics_weight: float = 1e-3,
    **options,
) -> OscillatorFits:
    """The chapter's experiment for one damping and one data interval.

    ``n_data`` measurements of :func:`oscillator_solution`, evenly spaced on ``[0, data_end]``,
    ``n_physics`` collocation points evenly spaced on ``[0, t_end]``; then :func:`train_pinn`
    twice on them, with ``physics_weight`` (the PINN) and with 0 (the plain network). The other
    keyword arguments (``steps``, ``learning_rate``, ``seed``, ...) go to both runs.
    """
    if not 0 < data_end <= t_end:
        raise ValueError(
            f"data_end must lie in (0, t_end] = (0, {t_end!r}], got {data_end!r}: the "
            "measurements are taken on [0, data_end]."
        )
    t_data = np.linspace(0.0, data_end, n_data)[:, None]  # (N, 1)
    u_data = oscillator_solution(t_data, delta=delta, omega0=omega0)  # (N, 1)
    t_physics = np.linspace(0.0, t_end, n_physics)[:, None]  # (M, 1)
    common = dict(delta=delta, omega0=omega0, **options)
    tag = f"delta{delta:g}_to{data_end:g}"  # also the model's name: no spaces
    pinn = train_pinn(
        t_data, u_data, t_physics, physics_weight=physics_weight, label=f"pinn_{tag}", **common
    )
    plain = train_pinn(
        t_data, u_data, t_physics, physics_weight=0.0, label=f"plain_{tag}", **common
    )
    return OscillatorFits(delta, data_end, t_data, u_data, pinn, plain)
