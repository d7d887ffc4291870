"""The NumPy losses and their gradients against keras.losses and tf.GradientTape.

Keras computes each loss in the loss object's dtype, so the float64 references are built with
``dtype="float64"``. Tolerances:
- float64: rtol 1e-5 (both sides in float64; only a wrong formula can miss it).
- float32: rtol 1e-5, atol 1e-6 * the largest entry. A loss is a mean of a few hundred
  float32 terms summed in different orders by NumPy and TensorFlow (~1e-7 relative each); the
  absolute term covers gradient entries that are nearly 0 next to the large ones
  (1/p for a clipped p of 1e-7 reaches 1e7).
"""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from mnist_lessons.scratch import losses

RTOL = 1e-5
# name -> (NumPy loss, NumPy gradient, Keras loss class)
LOSSES = {
    "mse": (losses.mse, losses.mse_grad, keras.losses.MeanSquaredError),
    "mae": (losses.mae, losses.mae_grad, keras.losses.MeanAbsoluteError),
    "binary_crossentropy": (
        losses.binary_crossentropy,
        losses.binary_crossentropy_grad,
        keras.losses.BinaryCrossentropy,
    ),
    "categorical_crossentropy": (
        losses.categorical_crossentropy,
        losses.categorical_crossentropy_grad,
        keras.losses.CategoricalCrossentropy,
    ),
}


def targets_and_predictions(name: str, dtype):
    """(y_true, y_pred), (32, 10), with exact 0s and 1s among the probabilities."""
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 10, 32)
    if name == "categorical_crossentropy":
        y = np.eye(10)[labels]  # one-hot rows
        p = rng.dirichlet(np.full(10, 0.5), size=32)  # rows summing to 1
        p[0] = y[0]  # certain and right: p = 1 on the label, 0 elsewhere
        p[1] = np.roll(y[1], 1)  # certain and wrong: p = 0 on the label
        p[2] *= 3.0  # a row that does not sum to 1 (Keras renormalises it)
        p[3, :5] = 1e-9  # below the clip
    else:
        y = (rng.random((32, 10)) < 0.5).astype(float)  # 0/1 targets
        y[4] = rng.random(10)  # and one row of soft targets
        p = rng.random((32, 10))
        p[0], p[1] = y[0], 1 - y[0]  # exactly right, exactly wrong (0s and 1s)
        p[2, :3] = [1e-9, 1 - 1e-9, 0.5]  # beyond the clip on both sides
        p[5] = y[5]  # zero error: the kink of |a - y|
    return y.astype(dtype), p.astype(dtype)


def keras_loss(name: str, dtype):
    return LOSSES[name][2](dtype=np.dtype(dtype).name)  # default reduction: sum_over_batch_size


def tolerance(desired, dtype) -> dict:
    if dtype == np.float64:
        return {"rtol": RTOL, "atol": 0.0}
    return {"rtol": RTOL, "atol": 1e-6 * float(np.max(np.abs(desired)))}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_matches_keras(name, dtype):
    y, p = targets_and_predictions(name, dtype)
    value = LOSSES[name][0](y, p)
    assert isinstance(value, float) and np.isfinite(value)
    expected = float(keras_loss(name, dtype)(y, p))
    np.testing.assert_allclose(value, expected, **tolerance(expected, dtype))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_gradient_matches_gradient_tape(name, dtype):
    y, p = targets_and_predictions(name, dtype)
    grad = LOSSES[name][1](y, p)
    assert grad.shape == p.shape and grad.dtype == dtype and np.isfinite(grad).all()
    p_tf = tf.constant(p)
    with tf.GradientTape() as tape:
        tape.watch(p_tf)
        value = keras_loss(name, dtype)(tf.constant(y), p_tf)
    expected = tape.gradient(value, p_tf).numpy()
    np.testing.assert_allclose(grad, expected, **tolerance(expected, dtype))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", ["binary_crossentropy", "categorical_crossentropy"])
def test_certain_and_wrong_costs_minus_log_epsilon_and_gets_no_gradient(name, dtype):
    y = np.array([[0.0, 1.0]], dtype)
    p = np.array([[1.0, 0.0]], dtype)  # certain, and wrong
    # Clipped to [eps, 1 - eps] (1 - eps rounded to the dtype): large but finite; the clip's
    # gradient is 0, as in TensorFlow.
    eps, one_minus_eps = dtype(losses.EPSILON), dtype(1 - losses.EPSILON)
    if name == "binary_crossentropy":
        expected = -(np.log(1 - one_minus_eps) + np.log(eps)) / 2  # mean of the two entries
    else:
        expected = -np.log(eps)  # the label's probability only
    value = LOSSES[name][0](y, p)
    np.testing.assert_allclose(value, expected, rtol=1e-6)
    assert value > 15  # -ln(1e-7) = 16.1
    assert (LOSSES[name][1](y, p) == 0).all()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("offset", [0.0, 1000.0, -1000.0])
def test_softmax_crossentropy_delta_is_the_gradient_of_keras_from_logits(dtype, offset):
    from mnist_lessons.scratch import softmax

    rng = np.random.default_rng(5)
    y = np.eye(10, dtype=dtype)[rng.integers(0, 10, 16)]
    z = (5 * rng.standard_normal((16, 10)) + offset).astype(dtype)  # logits (batch, 10)
    z[0] = [50, -50, 0, 0, 0, 0, 0, 0, 0, 0]  # saturated rows
    z[1] = [1000, -1000, 0, 0, 0, 0, 0, 0, 0, 0]
    delta = losses.softmax_crossentropy_delta(y, softmax(z))
    z_tf = tf.constant(z)
    with tf.GradientTape() as tape:
        tape.watch(z_tf)
        loss_fn = keras.losses.CategoricalCrossentropy(
            from_logits=True, dtype=np.dtype(dtype).name
        )
        value = loss_fn(tf.constant(y), z_tf)
    expected = tape.gradient(value, z_tf).numpy()
    assert delta.dtype == dtype and np.isfinite(delta).all()
    np.testing.assert_allclose(delta, expected, **tolerance(expected, dtype))


def test_sigmoid_crossentropy_delta_is_the_gradient_of_keras_from_logits():
    from mnist_lessons.scratch import sigmoid

    rng = np.random.default_rng(6)
    y = (rng.random((16, 3)) < 0.5).astype(float)
    z = 4 * rng.standard_normal((16, 3))
    z_tf = tf.constant(z)
    with tf.GradientTape() as tape:
        tape.watch(z_tf)
        loss_fn = keras.losses.BinaryCrossentropy(from_logits=True, dtype="float64")
        value = loss_fn(tf.constant(y), z_tf)
    expected = tape.gradient(value, z_tf).numpy()
    delta = losses.sigmoid_crossentropy_delta(y, sigmoid(z))
    np.testing.assert_allclose(delta, expected, rtol=RTOL)


def test_the_fused_delta_is_the_loss_gradient_through_the_softmax_jacobian():
    """Chain rule by hand: delta = J_softmax^T dE/da, with Keras' renormalisation included."""
    from mnist_lessons.scratch import softmax

    rng = np.random.default_rng(8)
    y = np.eye(4)[rng.integers(0, 4, 5)]
    a = softmax(rng.standard_normal((5, 4)))
    dE_da = losses.categorical_crossentropy_grad(y, a)  # (5, 4)
    jacobians = np.einsum("ij,jk->ijk", a, np.eye(4)) - np.einsum("ij,ik->ijk", a, a)
    chained = np.einsum("ijk,ij->ik", jacobians, dE_da)  # J symmetric: (5, 4)
    np.testing.assert_allclose(losses.softmax_crossentropy_delta(y, a), chained, atol=1e-15)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_shape_mismatch_says_how_to_fix_it(name):
    loss, grad, _ = LOSSES[name]
    y = np.eye(10)[[1, 2, 3]]
    for fn in (loss, grad):
        with pytest.raises(ValueError, match=r"same shape.*one_hot\(\)"):
            fn(np.array([1, 2, 3]), y)  # class indices instead of one-hot rows
    with pytest.raises(ValueError, match=r"reshape.*\(batch, 1\)"):
        losses.binary_crossentropy(np.array([0, 1]), np.array([[0.2], [0.8]]))
