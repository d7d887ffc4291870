"""Tests of mnist_lessons.pinn: closed form, residual by tf.GradientTape, training."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lessons.pinn import (
    build_ode_net,
    oscillator_residual,
    oscillator_solution,
    train_pinn,
)

DELTA, OMEGA0 = 1.5, 12.0


def _tf():
    import tensorflow as tf  # already started quietly by mnist_lessons.pinn

    return tf


def _exact_tf(t, *, delta=DELTA, omega0=OMEGA0):
    tf = _tf()
    omega = np.sqrt(omega0**2 - delta**2)
    return tf.exp(-delta * t) * (tf.cos(omega * t) + delta / omega * tf.sin(omega * t))


def test_the_closed_form_satisfies_the_ode_by_finite_differences():
    t, h = np.linspace(0.05, 1.0, 40), 1e-4
    u = lambda s: oscillator_solution(s, delta=DELTA, omega0=OMEGA0)  # noqa: E731
    du = (u(t + h) - u(t - h)) / (2 * h)
    d2u = (u(t + h) - 2 * u(t) + u(t - h)) / h**2
    residual = d2u + 2 * DELTA * du + OMEGA0**2 * u(t)
    assert np.abs(residual).max() < 1e-3 * OMEGA0**2
    # and the initial conditions
    assert u(np.array(0.0)) == pytest.approx(1.0)
    assert (u(np.array(h)) - u(np.array(-h))) / (2 * h) == pytest.approx(0.0, abs=1e-6)


def test_the_residual_is_zero_on_the_exact_solution_and_not_on_a_wrong_one():
    t = np.linspace(0, 1, 50, dtype=np.float32)[:, None]
    exact = oscillator_residual(_exact_tf, t, delta=DELTA, omega0=OMEGA0).numpy()
    assert exact.shape == (50, 1)
    # float32 round-off on terms of size omega0**2 = 144
    assert np.abs(exact).max() < 1e-3 * OMEGA0**2
    # the solution of another oscillator (twice the damping) is clearly not a solution
    wrong = lambda s: _exact_tf(s, delta=2 * DELTA)  # noqa: E731
    off = oscillator_residual(wrong, t, delta=DELTA, omega0=OMEGA0).numpy()
    assert np.abs(off).max() > 1.0


def test_the_residual_matches_finite_differences_for_a_network():
    tf = _tf()
    net = build_ode_net(hidden_units=(8,))
    t = np.linspace(0, 1, 7, dtype=np.float64)[:, None]
    r = oscillator_residual(net, t, delta=DELTA, omega0=OMEGA0).numpy()

    def u(s):
        return net(tf.constant(s, tf.float32)).numpy().astype(np.float64)

    h = 1e-2  # float32 network: a large step keeps round-off small
    du = (u(t + h) - u(t - h)) / (2 * h)
    d2u = (u(t + h) - 2 * u(t) + u(t - h)) / h**2
    expected = d2u + 2 * DELTA * du + OMEGA0**2 * u(t)
    np.testing.assert_allclose(r, expected, rtol=1e-2, atol=2e-2)


def test_a_short_plain_fit_goes_through_the_measurements():
    t_data = np.linspace(0, 0.4, 8)[:, None]
    u_data = oscillator_solution(t_data, delta=DELTA, omega0=OMEGA0)
    result = train_pinn(
        t_data,
        u_data,
        t_data,
        delta=DELTA,
        omega0=OMEGA0,
        physics_weight=0.0,
        steps=400,
        seed=0,
        log_every=100,
    )
    assert len(result.data_loss) == 4
    assert result.physics_loss == [0.0] * 4  # no physics term in a plain fit
    error = np.abs(result.model(t_data).numpy() - u_data)
    assert error.max() < 0.1  # the data vary between -0.65 and 1


@pytest.mark.slow
def test_the_pinn_follows_the_solution_beyond_the_data_and_the_plain_net_does_not():
    t_data = np.linspace(0, 0.4, 10)[:, None]
    u_data = oscillator_solution(t_data, delta=DELTA, omega0=OMEGA0)
    t_physics = np.linspace(0, 1, 50)[:, None]
    t = np.linspace(0, 1, 201)[:, None]
    exact = oscillator_solution(t, delta=DELTA, omega0=OMEGA0)
    errors = {}
    for weight in (1e-3, 0.0):
        result = train_pinn(
            t_data,
            u_data,
            t_physics,
            delta=DELTA,
            omega0=OMEGA0,
            physics_weight=weight,
            steps=3000,
            seed=0,
            log_every=3000,
        )
        errors[weight] = np.abs(result.model(t).numpy() - exact).max()
    assert errors[1e-3] < 0.05
    assert errors[0.0] > 0.5


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"delta": 13.0}, "under-damped"),
        ({"t_data": np.zeros(4)}, "columns"),
        ({"physics_weight": -1.0}, "physics_weight"),
    ],
)
def test_bad_input_says_what_to_do(kwargs, message):
    args = {
        "t_data": np.zeros((4, 1)),
        "u_data": np.zeros((4, 1)),
        "t_physics": np.zeros((5, 1)),
        "delta": DELTA,
        "omega0": OMEGA0,
        "physics_weight": 1.0,
        "steps": 1,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        train_pinn(**args)
