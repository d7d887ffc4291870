"""The 2-D test functions: gradients vs finite differences, minima and saddle in closed form."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lessons.scratch import LANDSCAPES, SGD, Adam, descend, saddle, saddle_grad, valley


def central_difference(f, theta, h=1e-6):
    """(n, 2) gradients of f at (n, 2) points by central differences (error ~h^2)."""
    grad = np.empty_like(theta)
    for k in range(2):
        step = np.zeros(2)
        step[k] = h
        grad[:, k] = (f(theta + step) - f(theta - step)) / (2 * h)
    return grad


@pytest.mark.parametrize("name", sorted(LANDSCAPES))
def test_gradient_matches_finite_differences(name):
    f, grad, _ = LANDSCAPES[name]
    theta = np.random.default_rng(0).uniform(-2, 2, (50, 2))  # (50, 2)
    np.testing.assert_allclose(grad(theta), central_difference(f, theta), rtol=1e-6, atol=1e-5)


@pytest.mark.parametrize("name", sorted(LANDSCAPES))
def test_minima_have_value_zero_zero_gradient_and_are_lowest(name):
    f, grad, minima = LANDSCAPES[name]
    np.testing.assert_allclose(f(minima), 0, atol=1e-15)
    np.testing.assert_allclose(grad(minima), 0, atol=1e-15)
    grid = np.stack(np.meshgrid(np.linspace(-2, 2, 81), np.linspace(-1, 3, 81)), axis=-1)
    assert f(grid).shape == (81, 81)
    assert f(grid).min() >= 0


def test_saddle_point_is_flat_and_curves_both_ways():
    origin = np.zeros(2)
    np.testing.assert_allclose(saddle_grad(origin), 0)
    assert saddle(origin) == 0.25
    h = 1e-4  # second differences along x and y: +2 and -1
    along_x = (saddle([h, 0]) - 2 * saddle(origin) + saddle([-h, 0])) / h**2
    along_y = (saddle([0, h]) - 2 * saddle(origin) + saddle([0, -h])) / h**2
    np.testing.assert_allclose([along_x, along_y], [2.0, -1.0], rtol=1e-6)


def test_sgd_on_the_valley_follows_the_closed_form():
    """On f = 0.05 (x^2 + 40 y^2), SGD multiplies x by (1 - 0.1 eta), y by (1 - 4 eta)."""
    eta, steps = 0.4, 30
    path = descend(LANDSCAPES["valley"][1], [3.0, 1.0], SGD(eta), steps)
    t = np.arange(steps + 1)
    np.testing.assert_allclose(path[:, 0], 3.0 * (1 - 0.1 * eta) ** t, rtol=1e-12)
    np.testing.assert_allclose(path[:, 1], 1.0 * (1 - 4 * eta) ** t, rtol=1e-12)


def test_adam_reaches_the_rosenbrock_minimum():
    path = descend(LANDSCAPES["rosenbrock"][1], [-1.5, 2.0], Adam(0.05), 3000)
    assert path.shape == (3001, 2)
    np.testing.assert_allclose(path[-1], [1, 1], atol=0.05)


def test_bad_points_and_steps_raise():
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 2\).*np\.stack"):
        valley(np.zeros(3))
    with pytest.raises(ValueError, match="one point"):
        descend(saddle_grad, np.zeros((2, 2)), SGD(0.1), 5)
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        descend(saddle_grad, [1.0, 0.0], SGD(0.1), 0)
