"""The NumPy SimpleRNN and backpropagation through time against Keras and TensorFlow.

The forward pass is compared with Keras' SimpleRNN (whose kernels are W.T and U.T), the
gradients with tf.GradientTape on the Keras model, the gradient reaching the first state with
the tape's gradient with respect to Keras' initial state, and the clipping with
tf.clip_by_global_norm and Keras' SGD(global_clipnorm=...).
"""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from mnist_lessons.models import build_rnn, keras
from mnist_lessons.scratch.recurrent import (
    bptt,
    clip_by_global_norm,
    global_norm,
    rnn_forward,
    rnn_gradients,
)

RNG = np.random.default_rng(0)
X = RNG.random((4, 6, 28), dtype=np.float32)  # 4 sequences of 6 rows of 28 pixels
LABELS = np.array([3, 0, 9, 3])


def _numpy_weights(model):
    """The book's column-form weights from a build_rnn model (Keras stores transposes)."""
    kernel, recurrent_kernel, b = model.get_layer("recurrent").get_weights()
    dense_kernel, c = model.get_layer("probabilities").get_weights()
    return {"W": kernel.T, "U": recurrent_kernel.T, "b": b, "V": dense_kernel.T, "c": c}


@pytest.fixture(scope="module")
def model():
    keras.utils.set_random_seed(0)
    model = build_rnn(units=7)
    layer = model.get_layer("recurrent")
    kernel, recurrent_kernel, b = layer.get_weights()
    # a non-zero bias and larger recurrent weights, so that every term matters
    layer.set_weights([kernel, 1.5 * recurrent_kernel, RNG.normal(0, 0.3, b.shape)])
    return model


def test_the_forward_pass_is_keras_simple_rnn(model):
    w = _numpy_weights(model)
    h = rnn_forward(X, w["W"], w["U"], w["b"])
    assert h.shape == (4, 7, 7)
    np.testing.assert_array_equal(h[:, 0], 0.0)
    cell = model.get_layer("recurrent")
    sequence = keras.layers.SimpleRNN(7, return_sequences=True)
    sequence.build((None, None, 28))
    sequence.set_weights(cell.get_weights())
    np.testing.assert_allclose(h[:, 1:], np.asarray(sequence(X)), rtol=1e-5, atol=1e-6)


def test_bptt_gives_the_gradients_of_tf_gradient_tape(model):
    w = _numpy_weights(model)
    loss, grads, dE_dh = rnn_gradients(X, LABELS, **w)
    with tf.GradientTape() as tape:
        p = model(X)
        tf_loss = -tf.reduce_mean(tf.math.log(tf.gather(p, LABELS, axis=1, batch_dims=1)))
    kernel, recurrent_kernel, b, dense_kernel, c = tape.gradient(tf_loss, model.weights)
    assert loss == pytest.approx(float(tf_loss), rel=1e-5)
    expected = {
        "W": kernel.numpy().T,
        "U": recurrent_kernel.numpy().T,
        "b": b.numpy(),
        "V": dense_kernel.numpy().T,
        "c": c.numpy(),
    }
    for name, value in expected.items():
        np.testing.assert_allclose(grads[name], value, rtol=1e-4, atol=1e-7, err_msg=name)
    assert dE_dh.shape == (4, 7, 7)


def test_the_gradient_reaching_the_first_state_is_that_of_keras_initial_state(model):
    w = _numpy_weights(model)
    h = rnn_forward(X, w["W"], w["U"], w["b"])
    r = RNG.normal(size=(4, 7))  # E = sum(r * h_T): dE/dh_T = r
    _, dE_dh = bptt(X, h, w["U"], r)
    h0 = tf.Variable(tf.zeros((4, 7)))
    with tf.GradientTape() as tape:
        h_T = model.get_layer("recurrent")(X, initial_state=[h0])
        E = tf.reduce_sum(r.astype(np.float32) * h_T)
    np.testing.assert_allclose(dE_dh[:, 0], tape.gradient(E, h0).numpy(), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(dE_dh[:, -1], r)


def test_bptt_gradient_of_a_state_matches_finite_differences():
    # dE/dh_t by perturbing h_t directly: run the remaining steps from a nudged h_t.
    rng = np.random.default_rng(1)
    n, T = 3, 5
    W, U, b = rng.normal(size=(n, 2)), 1.3 * rng.normal(size=(n, n)), rng.normal(size=n)
    x, r = rng.normal(size=(1, T, 2)), rng.normal(size=(1, n))

    def E_from(t, h_t):
        h = h_t
        for s in range(t, T):
            h = np.tanh(x[:, s] @ W.T + h @ U.T + b)
        return float(np.sum(r * h))

    h = rnn_forward(x, W, U, b)
    _, dE_dh = bptt(x, h, U, r)
    eps = 1e-6
    for t in (0, 2, 4):
        numerical = [
            (E_from(t, h[:, t] + eps * e) - E_from(t, h[:, t] - eps * e)) / (2 * eps)
            for e in np.eye(n)
        ]
        np.testing.assert_allclose(dE_dh[0, t], numerical, rtol=1e-6, atol=1e-9)


def test_clipping_by_global_norm_is_tensorflow_and_keras_global_clipnorm():
    grads = [RNG.normal(size=(3, 4)), RNG.normal(size=(4,))]
    norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    assert global_norm(grads) == pytest.approx(norm)
    clipped, before = clip_by_global_norm(grads, 0.5)
    assert before == pytest.approx(norm)
    assert global_norm(clipped) == pytest.approx(0.5)
    expected, tf_norm = tf.clip_by_global_norm([tf.constant(g) for g in grads], 0.5)
    assert float(tf_norm) == pytest.approx(norm)
    for mine, theirs in zip(clipped, expected, strict=True):
        np.testing.assert_allclose(mine, theirs.numpy(), rtol=1e-12)
    # the direction is kept: every array is scaled by the same factor
    np.testing.assert_allclose(clipped[0] / grads[0], 0.5 / norm)
    # a gradient already short enough is left as it is
    unchanged, _ = clip_by_global_norm({"g": grads[1]}, 10 * norm)
    np.testing.assert_array_equal(unchanged["g"], grads[1])
    # Keras' SGD with global_clipnorm takes the clipped step
    weights = [keras.Variable(np.zeros_like(g, dtype=np.float32)) for g in grads]
    sgd = keras.optimizers.SGD(learning_rate=0.1, global_clipnorm=0.5)
    sgd.apply_gradients(zip([g.astype(np.float32) for g in grads], weights, strict=True))
    for w, g in zip(weights, clipped, strict=True):
        np.testing.assert_allclose(np.asarray(w), -0.1 * g, rtol=1e-5, atol=1e-7)
    with pytest.raises(ValueError, match="positive"):
        clip_by_global_norm(grads, 0)


def test_bad_shapes_say_which_shapes_are_expected():
    with pytest.raises(ValueError, match=r"W\.T and U\.T"):
        rnn_forward(X, np.zeros((28, 7)), np.zeros((7, 7)), np.zeros(7))
