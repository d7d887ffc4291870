"""The NumPy activations and their derivatives against Keras and tf.GradientTape.

Tolerances:
- float64: rtol 1e-5. Both sides compute in float64 (rounding ~1e-16), so only a wrong formula
  or an unstable evaluation can miss it.
- float32: rtol 2e-6 plus atol 1e-6. float32 keeps 24 bits (1 ulp = 1.2e-7 relative) and
  TensorFlow's float32 sigmoid and tanh are Eigen's polynomial approximations, a few ulps off
  the correctly rounded value (we measured up to 4.4e-7 relative). The absolute term is for
  derivatives such as 1 - tanh(z)^2, which lose all their relative precision to cancellation
  when tanh(z) is within an ulp of 1 (derivatives are at most 1, so 1e-6 is ~8 ulps of 1).
"""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from mnist_lessons.scratch import activations as act

TOL = {
    np.float64: {"rtol": 1e-5, "atol": 0.0},
    np.float32: {"rtol": 2e-6, "atol": 1e-6},
}
ALPHA = 0.01
# Extreme, boundary and ordinary pre-activations: overflow, underflow, the kink at 0.
EXTREMES = [-1000.0, -50.0, -10.0, -1.0, -1e-3, 0.0, 1e-3, 1.0, 10.0, 50.0, 1000.0]


def z_values(dtype):
    rng = np.random.default_rng(42)
    z = np.concatenate([EXTREMES, 4 * rng.standard_normal(200)]).astype(dtype)  # (211,)
    return z.reshape(-1, 1) * np.ones((1, 3), dtype)  # (211, 3): also checks 2-D input


# name -> (NumPy f, NumPy f', Keras f)
PAIRS = {
    "sigmoid": (act.sigmoid, act.sigmoid_grad, keras.activations.sigmoid),
    "tanh": (act.tanh, act.tanh_grad, keras.activations.tanh),
    "relu": (act.relu, act.relu_grad, keras.activations.relu),
    "leaky_relu": (
        lambda z: act.leaky_relu(z, alpha=ALPHA),
        lambda z: act.leaky_relu_grad(z, alpha=ALPHA),
        lambda z: keras.activations.leaky_relu(z, negative_slope=ALPHA),
    ),
    "linear": (act.linear, act.linear_grad, keras.activations.linear),
}


def tape_grad(f, z: np.ndarray) -> np.ndarray:
    """d sum(f(z)) / dz by TensorFlow's autodiff: for an elementwise f, f'(z) entry by entry."""
    z = tf.constant(z)
    with tf.GradientTape() as tape:
        tape.watch(z)
        out = f(z)
    return tape.gradient(out, z).numpy()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", sorted(PAIRS))
def test_activation_matches_keras(name, dtype):
    f, _, keras_f = PAIRS[name]
    z = z_values(dtype)
    a = f(z)
    assert a.dtype == dtype and a.shape == z.shape
    assert np.isfinite(a).all()
    np.testing.assert_allclose(a, keras_f(tf.constant(z)).numpy(), **TOL[dtype])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", sorted(PAIRS))
def test_derivative_matches_gradient_tape(name, dtype):
    _, f_grad, keras_f = PAIRS[name]
    z = z_values(dtype)
    g = f_grad(z)
    assert g.dtype == dtype and g.shape == z.shape
    assert np.isfinite(g).all()
    np.testing.assert_allclose(g, tape_grad(keras_f, z), **TOL[dtype])


def test_the_registry_pairs_each_function_with_its_own_derivative():
    z = z_values(np.float64)
    for name, (f, f_grad) in act.ACTIVATIONS.items():
        np.testing.assert_allclose(f(z), PAIRS[name][0](z), rtol=0, atol=0)
        np.testing.assert_allclose(f_grad(z), tape_grad(PAIRS[name][2], z), **TOL[np.float64])


def test_sigmoid_saturates_exactly_without_overflow():
    z = np.array([-1000.0, -50.0, 50.0, 1000.0])
    np.testing.assert_allclose(act.sigmoid(z), [0.0, np.exp(-50.0), 1.0, 1.0], rtol=1e-12)
    assert act.sigmoid(np.float32(-1000)) == 0 and act.sigmoid(np.float32(1000)) == 1


def test_relu_derivative_is_zero_at_the_kink_and_leaky_relu_derivative_is_alpha():
    z = np.zeros(3, np.float32)
    assert (act.relu_grad(z) == 0).all()
    assert (act.leaky_relu_grad(z, alpha=0.3) == np.float32(0.3)).all()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("offset", [0.0, 1000.0, -1000.0, 1e6])
def test_softmax_matches_keras_even_with_huge_logits(dtype, offset):
    rng = np.random.default_rng(7)
    z = (10 * rng.standard_normal((64, 10))).astype(dtype)  # (batch, 10)
    z[0] = [1000, -1000, 0, 0, 0, 0, 0, 0, 0, 999]  # a near-tie at the top and an underflow
    z[1] = -1000
    z = z + dtype(offset)
    a = act.softmax(z)
    assert a.dtype == dtype and np.isfinite(a).all()
    np.testing.assert_allclose(a.sum(axis=1), 1.0, rtol=TOL[dtype]["rtol"])
    np.testing.assert_allclose(a, keras.activations.softmax(tf.constant(z)).numpy(), **TOL[dtype])
    np.testing.assert_allclose(a[1], 0.1, rtol=TOL[dtype]["rtol"])  # all equal: uniform


def test_softmax_is_over_the_last_axis():
    z = np.arange(6.0).reshape(2, 3)
    expected = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)  # the definition, closed form
    np.testing.assert_allclose(act.softmax(z), expected, rtol=1e-12)


def test_softmax_jacobian_matches_central_differences_and_tensorflow():
    # Central differences in float64: error ~ h^2 times the third derivative (<= 1), so
    # ~1e-12, plus rounding ~1e-16 / h = 1e-10: far below the 1e-8 tolerance.
    rng = np.random.default_rng(3)
    z = 3 * rng.standard_normal(10)  # (K,) logits, one row
    J = act.softmax_jacobian(z)  # (K, K)
    h = 1e-6
    numeric = np.empty((10, 10))
    for j in range(10):
        step = np.zeros(10)
        step[j] = h
        numeric[:, j] = (act.softmax(z + step) - act.softmax(z - step)) / (2 * h)
    np.testing.assert_allclose(J, numeric, rtol=0, atol=1e-8)
    # And against automatic differentiation of Keras' softmax, both in float64.
    z_tf = tf.constant(z[None])  # (1, K)
    with tf.GradientTape() as tape:
        tape.watch(z_tf)
        a_tf = keras.activations.softmax(z_tf)
    J_tf = tape.batch_jacobian(a_tf, z_tf).numpy()[0]  # (K, K)
    np.testing.assert_allclose(J, J_tf, rtol=1e-10, atol=1e-14)


def test_softmax_jacobian_is_diag_minus_outer_product_and_batched():
    z = np.array([[2.0, 1.0, 0.1], [0.0, 0.0, 0.0]])  # (batch, K)
    a = act.softmax(z)
    J = act.softmax_jacobian(z)  # (batch, K, K)
    assert J.shape == (2, 3, 3)
    for i in range(2):
        np.testing.assert_allclose(J[i], np.diag(a[i]) - np.outer(a[i], a[i]), rtol=1e-12)
        np.testing.assert_allclose(J[i], J[i].T, rtol=0, atol=1e-15)  # symmetric
    np.testing.assert_allclose(J.sum(axis=-1), 0, atol=1e-15)  # rows sum to 0
    np.testing.assert_allclose(J[1], np.eye(3) / 3 - 1 / 9, rtol=1e-12)  # uniform: closed form
    assert act.softmax_jacobian(z.astype(np.float32)).dtype == np.float32


def test_integer_input_gives_floats():
    assert act.relu(np.array([-1, 2])).dtype == np.float64
    np.testing.assert_allclose(act.sigmoid([0]), [0.5])


def test_unknown_activation_name_says_which_names_exist():
    with pytest.raises(ValueError, match=r"Unknown activation 'softplus'.*Use one of.*'relu'"):
        act.get_activation("softplus")
    with pytest.raises(ValueError, match="softmax only in an output layer"):
        act.get_activation("softmax")
    assert act.get_activation("softmax", allow_softmax=True) == (act.softmax, None)
