"""Tests of mnist_lessons.training: seeded fits, the per-epoch log and the model store."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mnist_lessons import training
from mnist_lessons.data import flatten, one_hot, scale
from mnist_lessons.models import build_mlp
from mnist_lessons.training import FitSettings

QUICK = FitSettings(epochs=3, batch_size=64, patience=1)


@pytest.fixture(scope="module")
def small_real(real_mnist):
    """2,000 real training digits (flattened, scaled, one-hot) and 1,000 test digits."""
    (x_train, y_train), (x_test, y_test) = real_mnist
    return (
        flatten(scale(x_train[:2000])),
        one_hot(y_train[:2000]),
        flatten(scale(x_test[:1000])),
        y_test[:1000],
    )


def _tiny(**kwargs):
    """A small MLP so store tests run in a second."""
    return build_mlp(hidden_units=(16,), **kwargs)


def _weights_equal(a, b) -> bool:
    wa, wb = a.get_weights(), b.get_weights()
    return len(wa) == len(wb) and all(np.array_equal(x, y) for x, y in zip(wa, wb, strict=True))


def test_a_short_seeded_fit_on_real_digits_clearly_beats_chance(small_real, capsys):
    x, y, x_test, y_test = small_real
    trained = training.fit(build_mlp, x, y, seed=0, settings=QUICK)
    accuracy = (trained.model.predict(x_test, verbose=0).argmax(axis=1) == y_test).mean()
    assert accuracy > 0.80  # chance is 0.10; ~0.9 after 3 epochs on 1,600 digits
    assert set(trained.history) == {
        "loss",
        "accuracy",
        "val_loss",
        "val_accuracy",
        "learning_rate",
    }
    assert 1 <= trained.epochs_run <= QUICK.epochs
    assert trained.best_epoch == 1 + int(np.argmax(trained.history["val_accuracy"]))
    # one log line per epoch, on stderr outside a kernel; nothing printed to stdout
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("] epoch ") == trained.epochs_run
    assert "val_accuracy" in captured.err


def test_the_same_seed_gives_the_same_model_and_another_seed_does_not(small_real):
    x, y, _, _ = small_real
    x, y = x[:500], y[:500]
    one = training.fit(_tiny, x, y, seed=1, settings=QUICK)
    again = training.fit(_tiny, x, y, seed=1, settings=QUICK)
    other = training.fit(_tiny, x, y, seed=2, settings=QUICK)
    assert _weights_equal(one.model, again.model)
    assert one.history == again.history
    assert not _weights_equal(one.model, other.model)


def test_early_stopping_stops_after_patience_epochs_without_progress(small_real):
    x, y, _, _ = small_real
    # A learning rate this small cannot improve val_accuracy for long on 100 digits.
    settings = FitSettings(epochs=40, batch_size=32, patience=2, learning_rate=1e-7)
    trained = training.fit(_tiny, x[:100], y[:100], seed=0, settings=settings)
    assert trained.epochs_run < 40
    assert trained.epochs_run - trained.best_epoch == settings.patience


def test_the_learning_rate_is_halved_after_patience_epochs_without_a_lower_val_loss(small_real):
    x, y, _, _ = small_real
    settings = FitSettings(epochs=6, batch_size=32, patience=10, reduce_lr_patience=0)
    trained = training.fit(_tiny, x[:200], y[:200], seed=0, settings=settings)
    rates = np.asarray(trained.history["learning_rate"])
    val_loss = np.asarray(trained.history["val_loss"])
    # With patience 0, every epoch whose val_loss is not a new minimum halves the rate.
    not_better = [val_loss[i] >= val_loss[:i].min() for i in range(1, len(val_loss))]
    expected = settings.learning_rate * 0.5 ** np.cumsum([False, *not_better])
    np.testing.assert_allclose(rates, expected, rtol=1e-6)


def test_the_store_trains_once_then_returns_identical_weights(small_real, tmp_path):
    x, y, _, _ = small_real
    x, y = x[:500], y[:500]
    first = training.train(_tiny, x, y, seed=0, settings=QUICK, store=tmp_path)
    second = training.train(_tiny, x, y, seed=0, settings=QUICK, store=tmp_path)
    assert not first.from_store and second.from_store
    assert first.key == second.key
    assert _weights_equal(first.model, second.model)
    assert second.history == first.history
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [f"{first.key}.json", f"{first.key}.keras"]  # no temporary files left
    assert json.loads((tmp_path / f"{first.key}.json").read_text())["history"] == first.history


@pytest.mark.parametrize(
    "change",
    [
        {"seed": 1},
        {"settings": FitSettings(epochs=2, batch_size=64, patience=1)},
        {"dropout_rate": 0.2},
        {"data": "other digits"},
    ],
    ids=["seed", "settings", "architecture", "data"],
)
def test_the_store_retrains_when_the_key_changes(small_real, tmp_path, change):
    x, y, _, _ = small_real
    base = {"seed": 0, "settings": QUICK}
    first = training.train(_tiny, x[:300], y[:300], store=tmp_path, **base)
    change = dict(change)
    data = (x[300:600], y[300:600]) if change.pop("data", None) else (x[:300], y[:300])
    second = training.train(_tiny, *data, store=tmp_path, **{**base, **change})
    assert not second.from_store
    assert second.key != first.key
    assert len(list(tmp_path.glob("*.keras"))) == 2


def test_a_damaged_store_entry_is_trained_again(small_real, tmp_path, capsys):
    x, y, _, _ = small_real
    first = training.train(_tiny, x[:300], y[:300], seed=0, settings=QUICK, store=tmp_path)
    (tmp_path / f"{first.key}.keras").write_bytes(b"not a zip file")
    again = training.train(_tiny, x[:300], y[:300], seed=0, settings=QUICK, store=tmp_path)
    assert not again.from_store
    assert "training it again" in capsys.readouterr().err
    assert training.train(
        _tiny, x[:300], y[:300], seed=0, settings=QUICK, store=tmp_path
    ).from_store


def test_default_store_is_under_the_books_build_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(training.STORE_ENV_VAR, raising=False)
    monkeypatch.delenv("MNIST_LESSONS_METRICS", raising=False)
    (tmp_path / "_toc.yml").write_text("root: x\n")
    (tmp_path / "_config.yml").write_text("title: x\n")
    (tmp_path / "book").mkdir()
    monkeypatch.chdir(tmp_path / "book")
    assert training.default_store() == tmp_path / "_build" / "models"
    monkeypatch.setenv(training.STORE_ENV_VAR, str(tmp_path / "elsewhere"))
    assert training.default_store() == tmp_path / "elsewhere"


def test_the_key_covers_the_data_values_not_just_their_shape():
    x = np.zeros((4, 784), dtype=np.float32)
    y = one_hot(np.arange(4))
    key = training.store_key(build_mlp, {}, seed=0, x=x, y=y, settings=QUICK)
    x2 = x.copy()
    x2[3, 100] = 0.5
    assert training.store_key(build_mlp, {}, seed=0, x=x2, y=y, settings=QUICK) != key
    assert training.store_key(build_mlp, {}, seed=0, x=x.copy(), y=y, settings=QUICK) == key


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"epochs": 0}, "epochs"),
        ({"batch_size": 2.5}, "batch_size"),
        ({"validation_split": 1.0}, "between 0 and 1"),
        ({"patience": -1}, "patience"),
        ({"learning_rate": 0}, "learning_rate"),
        ({"reduce_lr_patience": 1.5}, "None to keep"),
        ({"reduce_lr_factor": 1.0}, "between 0 and 1"),
        ({"steps_per_execution": 0}, "steps_per_execution"),
    ],
)
def test_bad_settings_say_what_is_expected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        FitSettings(**kwargs)


def test_bad_data_says_what_to_do():
    y = one_hot(np.arange(3))
    with pytest.raises(ValueError, match="one_hot"):
        training.fit(build_mlp, np.zeros((3, 784), np.float32), np.arange(3), seed=0)
    with pytest.raises(ValueError, match=r"scale\(x\)"):
        training.fit(build_mlp, np.zeros((3, 784), np.uint8), y, seed=0)
    with pytest.raises(ValueError, match="as many rows"):
        training.fit(build_mlp, np.zeros((4, 784), np.float32), y, seed=0)


def test_fit_callbacks_follow_the_settings_and_are_fresh_each_call():
    early, halve = training.fit_callbacks(FitSettings(patience=7, reduce_lr_patience=2))
    assert isinstance(early, training.keras.callbacks.EarlyStopping)
    assert (early.monitor, early.patience, early.restore_best_weights) == ("val_accuracy", 7, True)
    assert isinstance(halve, training.keras.callbacks.ReduceLROnPlateau)
    assert (halve.monitor, halve.factor, halve.patience, halve.min_lr) == (
        "val_loss",
        0.5,
        2,
        1e-5,
    )
    (only,) = training.fit_callbacks(FitSettings(reduce_lr_patience=None))
    assert isinstance(only, training.keras.callbacks.EarlyStopping)
    assert training.fit_callbacks()[0] is not training.fit_callbacks()[0]


# Keras 3.15 converts its learning rate with np.array(x, copy=False) (see training.py).
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
def test_callback_settings_tell_apart_settings_not_training_state(small_real):
    x, y, _, _ = small_real
    keras = training.keras
    by_hand = [
        keras.callbacks.EarlyStopping(
            monitor="val_accuracy", patience=10, restore_best_weights=True
        ),
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=3, min_lr=1e-5),
    ]
    settings = [training.callback_settings(c) for c in training.fit_callbacks()]
    assert [training.callback_settings(c) for c in by_hand] == settings
    assert settings[0]["class"] == "EarlyStopping" and settings[1]["patience"] == 3
    # Training changes the callbacks' state (best, wait, the sign of min_delta), not settings.
    model = _tiny()
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(x[:200], y[:200], epochs=2, validation_split=0.2, callbacks=by_hand, verbose=0)
    assert [training.callback_settings(c) for c in by_hand] == settings
    other = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=9)
    assert training.callback_settings(other) != settings[0]


# Keras 3.15 converts its learning rate with np.array(x, copy=False) (see training.py).
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
def test_fit_makes_the_keras_calls_a_reader_would_type(small_real):
    """One epoch of fit() and of compile/fit written out in Keras end in the same weights."""
    x, y, _, _ = small_real
    keras = training.keras
    keras.utils.set_random_seed(3)
    model = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.001),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(
        x[:1000],
        y[:1000],
        epochs=2,
        batch_size=128,
        validation_split=0.2,
        callbacks=training.fit_callbacks(),
        verbose=0,
    )
    trained = training.fit(_tiny, x[:1000], y[:1000], seed=3, settings=FitSettings(epochs=2))
    assert _weights_equal(model, trained.model)
    for key, values in trained.history.items():
        np.testing.assert_allclose(history.history[key], values, rtol=1e-6)
