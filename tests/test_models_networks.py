"""Tests of the network-type builders: shapes, and parameter counts computed by formula."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mnist_lessons import training
from mnist_lessons.data import one_hot, scale
from mnist_lessons.models import build_autoencoder, build_cnn, build_lstm, build_rnn, keras
from mnist_lessons.training import FitSettings, fit, store_key


def _dense(n_in: int, n_out: int) -> int:
    return n_in * n_out + n_out


def _conv(k: int, c_in: int, c_out: int) -> int:
    return k * k * c_in * c_out  # no bias: the batch normalisation after it shifts


def _batchnorm(c: int) -> int:
    return 4 * c  # gamma, beta (trained) and the moving mean and variance (not trained)


def test_cnn_parameter_count_and_shapes():
    model = build_cnn(filters=(32, 64), kernel_size=3, dense_units=0)
    # 28 -> 14 -> 7 after two 2x2 poolings ("same" padding keeps the size in each conv)
    expected = (
        _conv(3, 1, 32)
        + _batchnorm(32)
        + _conv(3, 32, 64)
        + _batchnorm(64)
        + _dense(7 * 7 * 64, 10)
    )
    assert model.count_params() == expected
    assert model.get_layer("conv_2").output.shape == (None, 14, 14, 64)
    assert model.get_layer("pool_2").output.shape == (None, 7, 7, 64)
    x = np.random.default_rng(0).random((3, 28, 28, 1), dtype=np.float32)
    p = np.asarray(model(x))
    assert p.shape == (3, 10)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)


def test_cnn_with_a_dense_layer_and_other_sizes():
    model = build_cnn(filters=(8,), kernel_size=5, dense_units=16, dropout_rate=0.0)
    expected = _conv(5, 1, 8) + _batchnorm(8) + _dense(14 * 14 * 8, 16) + _dense(16, 10)
    assert model.count_params() == expected
    assert not any(isinstance(layer, keras.layers.Dropout) for layer in model.layers)


@pytest.mark.parametrize(("build", "gates"), [(build_rnn, 1), (build_lstm, 4)])
def test_recurrent_parameter_counts(build, gates):
    units = 20
    model = build(units=units)
    # each gate: W (28 -> units), U (units -> units) and a bias
    recurrent = gates * (28 * units + units * units + units)
    assert model.get_layer("recurrent").count_params() == recurrent
    assert model.count_params() == recurrent + _dense(units, 10)


@pytest.mark.parametrize("build", [build_rnn, build_lstm])
def test_recurrent_models_read_any_number_of_rows(build):
    model = build(units=8)
    x = np.random.default_rng(0).random((2, 28, 28), dtype=np.float32)
    for rows in (1, 7, 28):
        p = np.asarray(model(x[:, :rows]))
        assert p.shape == (2, 10)
        np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)


def test_simple_rnn_state_follows_its_formula():
    model = build_rnn(units=5)
    cell_W, cell_U, cell_b = model.get_layer("recurrent").get_weights()
    V, c = model.get_layer("probabilities").get_weights()
    x = np.random.default_rng(1).random((3, 4, 28), dtype=np.float32)  # 4 rows
    h = np.zeros((3, 5))
    for t in range(4):
        h = np.tanh(x[:, t] @ cell_W + h @ cell_U + cell_b)
    logits = h @ V + c
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(np.asarray(model(x)), expected, rtol=1e-4, atol=1e-6)


def test_autoencoder_shapes_parameters_and_parts():
    model = build_autoencoder(hidden_units=(64,), latent_dim=2)
    encoder, decoder = model.get_layer("encoder"), model.get_layer("decoder")
    assert encoder.count_params() == _dense(784, 64) + _dense(64, 2)
    assert decoder.count_params() == _dense(2, 64) + _dense(64, 784)
    assert model.count_params() == encoder.count_params() + decoder.count_params()
    x = np.random.default_rng(0).random((4, 784), dtype=np.float32)
    z = np.asarray(encoder(x))
    x_hat = np.asarray(model(x))
    assert z.shape == (4, 2)
    assert x_hat.shape == (4, 784)
    assert ((x_hat > 0) & (x_hat < 1)).all()
    # the parts share their weights with the whole: decoding the code is reconstructing
    np.testing.assert_allclose(np.asarray(decoder(z)), x_hat, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    ("build", "kwargs", "message"),
    [
        (build_cnn, {"input_shape": (28, 28)}, "channels"),
        (build_cnn, {"filters": ()}, "filters"),
        (build_cnn, {"dropout_rate": 1.5}, "dropout_rate"),
        (build_rnn, {"input_shape": (784,)}, "timesteps"),
        (build_lstm, {"units": 0}, "units"),
        (build_autoencoder, {"latent_dim": 0}, "latent_dim"),
    ],
)
def test_bad_arguments_say_what_is_expected(build, kwargs, message):
    with pytest.raises(ValueError, match=message):
        build(**kwargs)


# --- short seeded fits on real digits: each model learns something ---------------------------

QUICK = FitSettings(
    epochs=3,
    batch_size=32,
    learning_rate=3e-3,
    cosine_decay=True,
    reduce_lr_patience=None,
    patience=3,
)


@pytest.fixture(scope="module")
def digits(real_mnist):
    """3,000 real training digits and 1,000 test digits, scaled, as (n, 28, 28)."""
    (x_train, y_train), (x_test, y_test) = real_mnist
    return scale(x_train[:3000]), one_hot(y_train[:3000]), scale(x_test[:1000]), y_test[:1000]


@pytest.mark.parametrize(
    ("build", "kwargs", "reshape", "at_least"),
    [
        (build_cnn, {"filters": (8, 16), "dense_units": 32}, (28, 28, 1), 0.5),
        (build_rnn, {"units": 32}, (28, 28), 0.4),
        (build_lstm, {"units": 32}, (28, 28), 0.4),
    ],
    ids=["cnn", "rnn", "lstm"],
)
@pytest.mark.slow
def test_a_short_seeded_fit_beats_chance(digits, build, kwargs, reshape, at_least):
    x, y, x_test, y_test = digits
    trained = fit(build, x.reshape(-1, *reshape), y, seed=0, settings=QUICK, **kwargs)
    p = trained.model.predict(x_test.reshape(-1, *reshape), verbose=0)
    accuracy = np.mean(p.argmax(axis=1) == y_test)
    # chance is 0.1; few steps leave the batch-normalisation statistics rough, hence 0.5
    assert accuracy > at_least
    assert trained.history["loss"][-1] < trained.history["loss"][0]


@pytest.mark.slow
def test_a_short_autoencoder_fit_beats_the_mean_image(digits):
    x, _, x_test, _ = digits
    x, x_test = x.reshape(-1, 784), x_test.reshape(-1, 784)
    settings = dataclasses.replace(QUICK, loss="mse", metrics=(), monitor="val_loss")
    trained = fit(build_autoencoder, x, x, seed=0, settings=settings, latent_dim=16)
    assert set(trained.history) == {"loss", "val_loss"}
    assert trained.best_epoch == 1 + int(np.argmin(trained.history["val_loss"]))
    mse = np.mean((trained.model.predict(x_test, verbose=0) - x_test) ** 2)
    baseline = np.mean((x.mean(axis=0) - x_test) ** 2)  # always draw the average digit
    assert mse < 0.8 * baseline


def test_cosine_decay_needs_the_plateau_schedule_off():
    with pytest.raises(ValueError, match="reduce_lr_patience=None"):
        FitSettings(cosine_decay=True)
    with pytest.raises(ValueError, match="tuple"):
        FitSettings(metrics=["accuracy"])


def test_new_settings_at_their_defaults_leave_the_store_key_unchanged():
    # The settings hashed into a store key for default settings are those that existed before
    # loss, metrics and cosine_decay were added, so models stored earlier keep their keys.
    hashed = training._settings_for_key(FitSettings())
    assert set(hashed) == {f.name for f in dataclasses.fields(FitSettings)} - {
        "loss",
        "metrics",
        "cosine_decay",
    }
    x = np.zeros((4, 784), dtype=np.float32)
    y = one_hot(np.arange(4))
    key = store_key(build_autoencoder, {}, seed=0, x=x, y=y, settings=FitSettings())
    for changed in (
        FitSettings(loss="mse"),
        FitSettings(metrics=()),
        FitSettings(cosine_decay=True, reduce_lr_patience=None),
    ):
        assert store_key(build_autoencoder, {}, seed=0, x=x, y=y, settings=changed) != key
