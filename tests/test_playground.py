"""mnist_lessons.playground: the page's settings, generator, initial weights and training loop."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lessons import playground as pg
from mnist_lessons.explore import read_bundle
from mnist_lessons.scratch.losses import categorical_crossentropy


def tiny(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    return x, rng.integers(0, 10, size=n)


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"hidden_layers": 3}, "hidden_layers"),
        ({"units": 100}, "units"),
        ({"activation": "softmax"}, "activation"),
        ({"optimizer": "lbfgs"}, "optimizer"),
        ({"learning_rate": 0.0}, "learning_rate"),
        ({"learning_rate": float("nan")}, "learning_rate"),
        ({"batch_size": 7}, "batch_size"),
        ({"n_train": 123}, "n_train"),
        ({"seed": -1}, "seed"),
        ({"epochs": 0}, "epochs"),
    ],
)
def test_bad_settings_are_refused_with_the_rule(changes, rule):
    with pytest.raises(ValueError, match=rule):
        pg.Settings(**changes)


def test_sizes_follow_the_settings():
    assert pg.DEFAULTS.sizes == (784, 64, 10)
    assert pg.Settings(hidden_layers=0).sizes == (784, 10)
    assert pg.Settings(hidden_layers=2, units=16).sizes == (784, 16, 16, 10)


def test_mulberry32_is_uniform_and_seeded():
    draws = np.array([r() for r in [pg.Mulberry32(1)] for _ in range(20000)])
    assert draws.min() >= 0 and draws.max() < 1
    assert abs(draws.mean() - 0.5) < 0.01 and abs(draws.var() - 1 / 12) < 0.003
    a, b = pg.Mulberry32(5), pg.Mulberry32(5)
    assert [a() for _ in range(5)] == [b() for _ in range(5)]
    assert pg.Mulberry32(5)() != pg.Mulberry32(6)()


def test_batch_order_is_a_permutation():
    order = pg.batch_order(1000, pg.Mulberry32(0))
    assert sorted(order) == list(range(1000)) and list(order) != list(range(1000))


@pytest.mark.parametrize(
    ("activation", "variance"), [("relu", 2 / 784), ("tanh", 2 / (784 + 256))]
)
def test_initial_weights_have_he_or_glorot_variance(activation, variance):
    net = pg.initial_network(pg.Settings(hidden_layers=1, units=256, activation=activation))
    W = net.layers[0].W
    assert W.shape == (256, 784) and W.dtype == np.float32
    assert W.var() == pytest.approx(variance, rel=0.03)
    assert abs(W.mean()) < 0.002 and not net.layers[0].b.any()


@pytest.mark.parametrize("optimizer", pg.OPTIMIZERS)
def test_one_step_is_forward_backward_and_the_optimizers_step(optimizer):
    x, y = tiny()
    s = pg.Settings(units=16, n_train=500, batch_size=32, optimizer=optimizer)
    x = np.concatenate([x] * 8)[:500]
    y = np.concatenate([y] * 8)[:500]
    run = pg.Run(s, x, y, x[:10], y[:10])
    rng = pg.Mulberry32(s.seed)
    net = pg.initial_network(s, rng)
    batch = pg.batch_order(500, rng)[:32]
    xb = x[batch].reshape(32, 784).astype(np.float32) / np.float32(255)
    yb = np.eye(10, dtype=np.float32)[y[batch]]
    loss = categorical_crossentropy(yb, net.forward(xb))
    net.backward(yb)
    pg.make_optimizer(s).step(net.params, net.grads)
    assert run.step() == pytest.approx(loss, rel=1e-6)
    for mine, expected in zip(run.net.params, net.params, strict=True):
        np.testing.assert_array_equal(mine, expected)


def test_training_learns_and_records_each_epoch(real_mnist):
    (x_train, y_train), (x_test, y_test) = real_mnist
    s = pg.Settings(units=32, n_train=1000, epochs=3)
    history = pg.train(s, x_train, y_train, x_test[:500], y_test[:500])
    assert not history["diverged"]
    assert all(len(history[k]) == 3 for k in ("loss", "accuracy", "test_loss", "test_accuracy"))
    assert history["loss"][-1] < history["loss"][0]
    assert history["test_accuracy"][-1] > 0.7  # 10 % is chance


def test_a_learning_rate_that_diverges_stops_the_run(real_mnist):
    # Two leaky relu layers at SGD's rate 3 overflow within a few batches (relu units die
    # instead, and the loss stays a number).
    (x_train, y_train), (x_test, y_test) = real_mnist
    s = pg.Settings(
        optimizer="sgd",
        learning_rate=3.0,
        hidden_layers=2,
        activation="leaky_relu",
        n_train=500,
        epochs=20,
    )
    with np.errstate(all="ignore"):
        history = pg.train(s, x_train, y_train, x_test[:10], y_test[:10])
    assert history["diverged"]
    assert len(history["loss"]) < 20


def test_too_few_digits_is_refused():
    x, y = tiny(100)
    with pytest.raises(ValueError, match="at least 5000"):
        pg.Run(pg.DEFAULTS, x, y, x, y)


def test_the_exported_digits_read_back(real_mnist, tmp_path):
    (x_train, y_train), (x_test, y_test) = real_mnist
    path = pg.export_digits(x_train, y_train, x_test, y_test, tmp_path)
    assert path.name.endswith(".bin.gz") and path.read_bytes()[:2] == b"\x1f\x8b"
    _, arrays = read_bundle(path)
    np.testing.assert_array_equal(arrays["x_train"], x_train[: pg.N_TRAIN].reshape(-1, 784))
    np.testing.assert_array_equal(arrays["y_test"], y_test[: pg.N_TEST])
    assert path.stat().st_size < 0.3 * (pg.N_TRAIN + pg.N_TEST) * 785
