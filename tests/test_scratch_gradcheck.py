"""Gradient checking: it agrees with a correct backward pass and catches broken ones.

Finite differences in float64 with eps = 1e-5 are accurate to about eps^2 (truncation) plus
1e-16 / eps (rounding), both far below the 1e-6 threshold; a wrong derivative is off by O(1).
"""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lessons.scratch import (
    MLP,
    gradcheck,
    network,
    numerical_gradient,
    relative_error,
)
from mnist_lessons.scratch import activations as act

THRESHOLD = 1e-6


def batch(sizes, output="softmax", n=8, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, sizes[0]))
    if output == "softmax":
        return x, np.eye(sizes[-1])[rng.integers(0, sizes[-1], n)]
    return x, (rng.random((n, sizes[-1])) < 0.5).astype(float)


def test_numerical_gradient_matches_a_closed_form_and_restores_x():
    x = np.random.default_rng(1).standard_normal((3, 4))
    before = x.copy()
    g = numerical_gradient(lambda: np.sum(np.sin(x) * x**2), x)
    np.testing.assert_allclose(g, np.cos(x) * x**2 + 2 * x * np.sin(x), rtol=1e-8, atol=1e-10)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "tanh", "sigmoid"])
def test_gradcheck_agrees_with_backprop(activation):
    sizes = (20, 16, 12, 10)
    errors = gradcheck(MLP(sizes, activation=activation, seed=0), *batch(sizes))
    assert list(errors) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert max(errors.values()) < THRESHOLD, errors


def test_gradcheck_agrees_for_the_sigmoid_neuron_and_the_book_network_sampled():
    errors = gradcheck(MLP((784, 1), output="sigmoid", seed=0), *batch((784, 1), "sigmoid"))
    assert max(errors.values()) < THRESHOLD, errors
    big = MLP((784, 256, 128, 10), seed=0)
    errors = gradcheck(big, *batch((784, 10), n=4), entries=30, seed=1)
    assert max(errors.values()) < THRESHOLD, errors


def test_gradcheck_leaves_the_float32_network_unchanged():
    net = MLP((20, 16, 10), seed=0)
    W = net.layers[0].W.copy()
    gradcheck(net, *batch((20, 10)))
    assert net.layers[0].W.dtype == np.float32
    np.testing.assert_array_equal(net.layers[0].W, W)
    assert net.layers[0].dW is None  # the check ran on a float64 copy


def broken_relu_grad(z):
    """The classic slip: the derivative evaluated as if relu were the identity."""
    return np.ones_like(z)


def test_gradcheck_detects_a_broken_activation_derivative(monkeypatch):
    monkeypatch.setitem(act.ACTIVATIONS, "relu", (act.relu, broken_relu_grad))
    sizes = (20, 16, 12, 10)
    errors = gradcheck(MLP(sizes, seed=0), *batch(sizes))
    assert errors["W3"] < THRESHOLD and errors["b3"] < THRESHOLD  # the last layer is unaffected
    assert errors["W1"] > 1e-2 and errors["W2"] > 1e-2, errors


def test_gradcheck_detects_an_output_delta_without_the_batch_mean(monkeypatch):
    monkeypatch.setitem(
        network.OUTPUTS,
        "softmax",
        (network.OUTPUTS["softmax"][0], lambda y, a: a - y),  # forgot the 1/N
    )
    sizes = (20, 16, 10)
    errors = gradcheck(MLP(sizes, seed=0), *batch(sizes, n=8))
    assert min(errors.values()) > 0.5, errors  # 8 times too large: error 7/8


def test_gradcheck_detects_a_transposed_weight_gradient(monkeypatch):
    from mnist_lessons.scratch.layers import Dense

    correct = Dense.backward

    def backward_with_swapped_rows(self, delta, *, need_grad_input=True):
        out = correct(self, delta, need_grad_input=need_grad_input)
        self.dW = self.dW[::-1].copy()  # right numbers in the wrong places
        return out

    monkeypatch.setattr(Dense, "backward", backward_with_swapped_rows)
    sizes = (6, 6, 4)
    errors = gradcheck(MLP(sizes, seed=0), *batch(sizes))
    assert errors["W1"] > 1e-2 and errors["W2"] > 1e-2, errors


def test_relative_error_is_scaled_by_the_largest_entry():
    assert relative_error([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert relative_error([2.0, 1.0], [2.0, 1.5]) == pytest.approx(0.25)


def test_numerical_gradient_rejects_what_it_cannot_perturb():
    with pytest.raises(ValueError, match="Pass the parameter array itself"):
        numerical_gradient(lambda: 0.0, [1.0, 2.0])
    with pytest.raises(ValueError, match="eps must be positive"):
        numerical_gradient(lambda: 0.0, np.zeros(2), eps=0)
