"""The NumPy MLP against an equivalent Keras model: outputs, gradients and SGD steps.

Each test copies the NumPy network's weights into a Keras model of the same layers
(``kernel = W.T``, since Keras keeps samples as rows and ``W`` keeps the book's shape), takes
Keras' loss in TensorFlow and its gradients by tf.GradientTape, and compares.

Tolerances:
- float64: rtol 1e-5, atol 1e-10 * the largest entry. Both sides compute in float64; the
  absolute term is for gradient entries that are sums of cancelling terms, near 0.
- float32: rtol 1e-5, atol 1e-6 * the largest entry. The matrix products sum up to 784
  float32 terms in different orders (OpenBLAS and oneDNN), each rounding at 6e-8, and three
  layers compound it (we measured at most ~1.3e-6 of the largest entry); entries of dW that
  nearly cancel need the absolute term.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from mnist_lessons.data import flatten, one_hot, scale
from mnist_lessons.scratch import MLP, SGD

TOL = {
    np.float64: {"rtol": 1e-5, "atol_scale": 1e-10},
    np.float32: {"rtol": 1e-5, "atol_scale": 1e-6},
}


def assert_close(actual, desired, dtype):
    tol = TOL[dtype]
    atol = tol["atol_scale"] * float(np.max(np.abs(desired)))
    np.testing.assert_allclose(actual, desired, rtol=tol["rtol"], atol=atol)


def keras_twin(net: MLP) -> keras.Model:
    """A Keras model with the network's layers, activations, dtype and weights."""
    dtype = np.dtype(net.dtype).name
    named = {"leaky_relu": lambda z: keras.activations.leaky_relu(z, negative_slope=0.01)}
    model = keras.Sequential(
        [keras.Input((net.sizes[0],), dtype=dtype)]
        + [
            keras.layers.Dense(
                layer.n_out, activation=named.get(layer.activation, layer.activation), dtype=dtype
            )
            for layer in net.layers
        ]
    )
    for dense, layer in zip(model.layers, net.layers, strict=True):
        dense.set_weights([layer.W.T, layer.b])  # kernel (n_in, n_out) = W.T
    return model


def keras_forward_and_gradients(net: MLP, x, y):
    """Keras' output, loss and [dE/dW1, dE/db1, ...] (kernels' gradients transposed back)."""
    model = keras_twin(net)
    dtype = np.dtype(net.dtype).name
    loss_class = {
        "softmax": keras.losses.CategoricalCrossentropy,
        "sigmoid": keras.losses.BinaryCrossentropy,
    }[net.output]
    with tf.GradientTape() as tape:
        a = model(tf.constant(x))
        loss = loss_class(dtype=dtype)(tf.constant(y), a)
    grads = tape.gradient(loss, model.trainable_variables)  # kernel1, bias1, kernel2, ...
    grads = [g.numpy().T if g.ndim == 2 else g.numpy() for g in grads]
    return a.numpy(), float(loss), grads


def random_batch(sizes, output, n=32, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, sizes[0])).astype(dtype)
    if output == "softmax":
        y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n)]
    else:
        y = (rng.random((n, sizes[-1])) < 0.5).astype(float)
    return x, y.astype(dtype)


def mnist_batch(real_mnist, n, output, dtype):
    (x_train, y_train), _ = real_mnist
    x = flatten(scale(x_train[:n])).astype(dtype)  # (n, 784)
    if output == "softmax":
        return x, one_hot(y_train[:n]).astype(dtype)  # (n, 10)
    return x, (y_train[:n] == 0).astype(dtype).reshape(-1, 1)  # "is it a 0?" (n, 1)


def check_against_keras(net: MLP, x, y):
    dtype = net.dtype.type
    a = net.forward(x)
    net.backward(y)
    a_keras, loss_keras, grads_keras = keras_forward_and_gradients(net, x, y)
    assert a.dtype == dtype
    assert_close(a, a_keras, dtype)
    assert_close(net.loss(x, y), loss_keras, dtype)
    ours = [g for layer in net.layers for g in layer.grads]  # dW1, db1, dW2, ...
    assert [g.shape for g in ours] == [g.shape for g in grads_keras]
    for g, g_keras in zip(ours, grads_keras, strict=True):
        assert g.dtype == dtype
        assert_close(g, g_keras, dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu"])
def test_small_network_matches_keras(activation, dtype):
    sizes = (20, 16, 12, 10)
    net = MLP(sizes, activation=activation, seed=1).astype(dtype)
    x, y = random_batch(sizes, "softmax", dtype=dtype)
    check_against_keras(net, x, y)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_book_network_matches_keras_on_real_digits(real_mnist, dtype):
    net = MLP((784, 256, 128, 10), seed=2).astype(dtype)
    check_against_keras(net, *mnist_batch(real_mnist, 16, "softmax", dtype))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_single_sigmoid_neuron_with_binary_crossentropy_matches_keras(real_mnist, dtype):
    net = MLP((784, 1), output="sigmoid", seed=3).astype(dtype)
    check_against_keras(net, *mnist_batch(real_mnist, 64, "sigmoid", dtype))


def test_sigmoid_output_with_several_units_matches_keras():
    sizes = (12, 8, 3)  # three independent yes/no outputs: BCE averages over them too
    net = MLP(sizes, output="sigmoid", seed=4).astype(np.float64)
    check_against_keras(net, *random_batch(sizes, "sigmoid"))


def test_sgd_steps_match_keras_sgd():
    """Three steps: ours from our gradients, Keras' SGD from the same gradients."""
    eta = 0.05
    sizes = (20, 16, 10)
    net = MLP(sizes, seed=5)  # float32, like the Keras variables
    variables = [tf.Variable(p.T if p.ndim == 2 else p) for lay in net.layers for p in lay.params]
    optimizer, keras_sgd = SGD(learning_rate=eta), keras.optimizers.SGD(learning_rate=eta)
    for step in range(3):
        x, y = random_batch(sizes, "softmax", seed=step, dtype=np.float32)
        net.forward(x)
        net.backward(y)
        grads = [g.T if g.ndim == 2 else g for lay in net.layers for g in lay.grads]
        keras_sgd.apply_gradients(zip([tf.constant(g) for g in grads], variables, strict=True))
        optimizer.step(net.params, net.grads)
        ours = [p for layer in net.layers for p in layer.params]
        for p, v in zip(ours, variables, strict=True):
            assert p.dtype == np.float32
            # Both do w - eta * g in float32: at most an ulp apart (1.2e-7 relative).
            np.testing.assert_allclose(p, v.numpy().T if p.ndim == 2 else v.numpy(), rtol=3e-7)
    assert optimizer.t == 3


# --- training on real MNIST ---------------------------------------------------------------


@pytest.fixture(scope="module")
def digits(real_mnist):
    (x_train, y_train), (x_test, y_test) = real_mnist
    x, y = flatten(scale(x_train[:4000])), one_hot(y_train[:4000])  # float32
    x_val, y_val = flatten(scale(x_test[:1000])), one_hot(y_test[:1000])
    return x, y, x_val, y_val


def test_a_short_fit_on_real_digits_beats_chance_and_stays_float32(digits):
    x, y, x_val, y_val = digits
    net = MLP(seed=0)
    lines = []
    history = net.fit(
        x,
        y,
        epochs=3,
        optimizer=SGD(learning_rate=0.1),
        validation_data=(x_val, y_val),
        log=lines.append,
    )
    assert len(lines) == 3 and lines[0].startswith("epoch 1/3: loss ")
    assert history["val_accuracy"][-1] > 0.8  # chance is 0.1
    assert history["loss"][-1] < history["loss"][0]
    assert all(len(v) == 3 for v in history.values())
    last = (history["val_loss"][-1], history["val_accuracy"][-1])
    np.testing.assert_allclose(net.evaluate(x_val, y_val), last)
    for layer in net.layers:
        arrays = (layer.W, layer.b, layer.dW, layer.db, layer.z, layer.a)
        assert [a.dtype for a in arrays] == [np.float32] * 6
    assert net.predict(x_val).dtype == np.float32


def test_epoch_loss_is_the_loss_before_the_updates_for_a_single_batch(digits):
    x, y = digits[0][:500], digits[1][:500]
    net = MLP((784, 32, 10), seed=1)
    before = net.loss(x, y)
    history = net.fit(x, y, epochs=1, batch_size=500, optimizer=SGD(0.1), seed=0, log=None)
    np.testing.assert_allclose(history["loss"][0], before, rtol=1e-6)
    assert net.loss(x, y) < before


def weights_after_fit(x, y, *, seed):
    net = MLP((784, 32, 10), seed=0)
    net.fit(x, y, epochs=2, batch_size=64, optimizer=SGD(learning_rate=0.1), seed=seed, log=None)
    return [p.copy() for layer in net.layers for p in layer.params]


def test_fit_is_reproducible_with_a_seed_and_depends_on_it(digits):
    x, y = digits[0][:2000], digits[1][:2000]
    first, again, other = (weights_after_fit(x, y, seed=s) for s in (1, 1, 2))
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert all(not np.array_equal(a, b) for a, b in zip(first, other, strict=True))
    net = MLP((784, 32, 10), seed=0)
    rng = np.random.default_rng(1)
    net.fit(x, y, epochs=2, batch_size=64, optimizer=SGD(learning_rate=0.1), rng=rng, log=None)
    np.testing.assert_array_equal(net.layers[0].W, first[0])  # rng= and seed= agree


def test_initial_weights_depend_on_the_seed_only():
    assert np.array_equal(MLP(seed=3).layers[0].W, MLP(seed=3).layers[0].W)
    assert not np.array_equal(MLP(seed=3).layers[0].W, MLP(seed=4).layers[0].W)
    W = MLP(seed=3).layers[0].W  # he_normal for relu: std sqrt(2 / 784)
    np.testing.assert_allclose(W.std(), np.sqrt(2 / 784), rtol=0.01)


def test_loss_is_clipped_like_keras_losses_on_probabilities_not_like_evaluate():
    # One sample whose true class (0) has a logit 80 below the nine others: its probability,
    # e^-80 / 9 ~ 2e-36, is far below EPSILON = 1e-7.
    # float32, as the book trains: for a float64 twin, Keras 3.15 clips in evaluate too
    # (measured), so the rule below is about float32 models.
    net = MLP(sizes=(1, 10), output="softmax")
    net.layers[0].W[...] = 0.0
    net.layers[0].W[0, 0] = -80.0  # (10, 1): z = W x with x = 1 gives z_0 = -80, others 0
    net.layers[0].b[...] = 0.0
    x, y = np.ones((1, 1)), one_hot(np.array([0]))  # (1, 1), (1, 10)
    clipped = -np.log(1e-7)  # 16.118...
    from_logits = 80 + np.log(9 + np.exp(-80.0))  # ln(sum_k e^z_k) - z_0 = 82.197...
    np.testing.assert_allclose(net.loss(x, y), clipped, rtol=1e-6)
    # keras.losses on probabilities (a NumPy array) clip too, and agree with the package.
    p = net.predict(x)
    assert float(keras.losses.categorical_crossentropy(y, p)[0]) == pytest.approx(
        clipped, rel=1e-6
    )
    # A Keras model ending in softmax: evaluate computes the loss from the logits, unclipped.
    model = keras_twin(net)
    model.compile(loss="categorical_crossentropy")
    assert model.evaluate(x, y, verbose=0) == pytest.approx(from_logits, rel=1e-6)
    # The package's training uses the fused delta a - y, the gradient of the unclipped loss.
    net.forward(x)
    net.backward(y)
    np.testing.assert_allclose(net.layers[0].db, p[0] - y[0], rtol=1e-12, atol=1e-15)
