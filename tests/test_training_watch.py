"""Tests of ``watch=`` in mnist_lessons.training: the answers on some images after every epoch."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lessons import training
from mnist_lessons.data import flatten, one_hot, scale
from mnist_lessons.models import build_mlp
from mnist_lessons.training import FitSettings

QUICK = FitSettings(epochs=4, batch_size=64, patience=1, reduce_lr_patience=1)
NO_STOP = FitSettings(epochs=3, batch_size=64, patience=3, restore_best_weights=False)


@pytest.fixture(scope="module")
def digits(real_mnist):
    """1,000 real training digits (flattened, scaled) with their labels, and 500 test digits."""
    (x_train, y_train), (x_test, y_test) = real_mnist
    return (
        flatten(scale(x_train[:1000])),
        y_train[:1000],
        flatten(scale(x_test[:500])),
        y_test[:500],
    )


def _tiny(**kwargs):
    return build_mlp(hidden_units=(16,), **kwargs)


def _weights_equal(a, b) -> bool:
    wa, wb = a.get_weights(), b.get_weights()
    return len(wa) == len(wb) and all(np.array_equal(x, y) for x, y in zip(wa, wb, strict=True))


def test_watching_changes_nothing_in_the_training(digits):
    x, labels, x_test, y_test = digits
    kwargs = {"seed": 0, "settings": QUICK, "dropout_rate": 0.5}  # dropout draws random masks
    plain = training.fit(_tiny, x, one_hot(labels), **kwargs)
    watched = training.fit(_tiny, x, one_hot(labels), watch=(x_test, y_test), **kwargs)
    assert plain.watched is None
    assert _weights_equal(plain.model, watched.model)
    assert watched.history == plain.history
    assert watched.watched.predicted.shape == (watched.epochs_run, len(y_test))


def test_the_watched_validation_images_give_keras_validation_figures(digits):
    """Watching the validation split itself: an independent check against Keras' own numbers."""
    x, labels, _, _ = digits
    n_fit = 800  # validation_split=0.2 of 1,000: Keras validates on the last 200
    trained = training.fit(
        _tiny, x, one_hot(labels), seed=0, settings=NO_STOP, watch=(x[n_fit:], labels[n_fit:])
    )
    w = trained.watched
    np.testing.assert_allclose(w.accuracy, trained.history["val_accuracy"], atol=1e-6)
    np.testing.assert_allclose(w.loss, trained.history["val_loss"], rtol=1e-4)
    # the last epoch's answers are those of the model kept (no restore_best_weights)
    p = trained.model.predict(x[n_fit:], verbose=0)
    np.testing.assert_array_equal(w.predicted[-1], p.argmax(axis=1))
    np.testing.assert_allclose(w.confidence[-1], p.max(axis=1), rtol=1e-6)
    np.testing.assert_allclose(w.p_label[-1], p[np.arange(200), labels[n_fit:]], rtol=1e-6)
    np.testing.assert_array_equal(w.wrong(3), np.flatnonzero(p.argmax(axis=1) != labels[n_fit:]))


def test_early_stopping_restores_the_weights_of_the_best_watched_epoch(digits):
    x, labels, x_test, y_test = digits
    trained = training.fit(
        _tiny, x, one_hot(labels), seed=1, settings=QUICK, watch=(x_test, y_test)
    )
    best = trained.watched.predicted[trained.best_epoch - 1]
    np.testing.assert_array_equal(best, trained.model.predict(x_test, verbose=0).argmax(axis=1))


def test_the_store_keeps_what_was_watched_and_trains_again_to_watch(digits, tmp_path):
    x, labels, x_test, y_test = digits
    y = one_hot(labels[:400])
    unwatched = training.train(_tiny, x[:400], y, seed=0, settings=QUICK, store=tmp_path)
    # asking to watch a model stored without it trains it again, to the same weights
    first = training.train(
        _tiny, x[:400], y, seed=0, settings=QUICK, store=tmp_path, watch=(x_test, y_test)
    )
    assert not first.from_store and first.key == unwatched.key
    assert _weights_equal(first.model, unwatched.model)
    again = training.train(
        _tiny, x[:400], y, seed=0, settings=QUICK, store=tmp_path, watch=(x_test, y_test)
    )
    assert again.from_store
    for name in ("labels", "predicted", "confidence", "p_label"):
        np.testing.assert_array_equal(getattr(again.watched, name), getattr(first.watched, name))
    # without watch= the stored entry is simply loaded; other images mean training again
    assert training.train(_tiny, x[:400], y, seed=0, settings=QUICK, store=tmp_path).from_store
    other = training.train(
        _tiny, x[:400], y, seed=0, settings=QUICK, store=tmp_path, watch=(x[:50], labels[:50])
    )
    assert not other.from_store
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"{first.key}.json", f"{first.key}.keras", f"{first.key}.watched.npz"]


@pytest.mark.parametrize(
    ("watch", "message"),
    [
        ("images", "a pair"),
        ((np.zeros((3, 784), np.float32), one_hot(np.array([0, 1, 2]))), "class numbers"),
        ((np.zeros((3, 784), np.float32), np.array([0, 1])), "one per image"),
    ],
)
def test_a_bad_watch_says_what_it_takes(digits, watch, message):
    x, labels, _, _ = digits
    with pytest.raises(ValueError, match=message):
        training.fit(_tiny, x[:100], one_hot(labels[:100]), seed=0, watch=watch)


def test_epochs_of_wrong_count_from_one(digits):
    w = training.Watched(
        labels=np.array([0, 1], np.uint8),
        predicted=np.array([[1, 1], [0, 1]], np.uint8),
        confidence=np.ones((2, 2), np.float32),
        p_label=np.array([[0.0, 1.0], [1.0, 1.0]], np.float32),
        fingerprint="",
    )
    np.testing.assert_array_equal(w.wrong(1), [0])
    newly_wrong, newly_right = w.turned(2)
    assert newly_wrong.size == 0
    np.testing.assert_array_equal(newly_right, [0])
    assert all(t.size == 0 for t in w.turned(1))
    assert w.wrong(2).size == 0
    np.testing.assert_allclose(w.accuracy, [0.5, 1.0])
    np.testing.assert_allclose(w.loss, [-np.log(1e-7) / 2 + 0.0, 0.0], atol=1e-6)
    with pytest.raises(ValueError, match="from 1 to 2"):
        w.wrong(0)


def test_a_longer_run_begins_as_the_shorter_one(digits):
    """Without early stopping or rate changes, epochs 1..3 of a 5-epoch run are the 3-epoch run.

    The chapter "Overfitting and dropout" shows the first epochs of its 25-epoch run as one cell
    of a grid trained for fewer epochs.
    """
    x, labels, _, _ = digits
    kwargs = {"seed": 0, "dropout_rate": 0.5, "watch": (x[:200], labels[:200])}
    fixed = {"patience": 5, "restore_best_weights": False, "reduce_lr_patience": None}
    short = training.fit(
        _tiny, x, one_hot(labels), settings=FitSettings(epochs=3, **fixed), **kwargs
    )
    long = training.fit(
        _tiny, x, one_hot(labels), settings=FitSettings(epochs=5, **fixed), **kwargs
    )
    for name, values in short.history.items():
        assert long.history[name][:3] == values, name
    np.testing.assert_array_equal(long.watched.p_label[:3], short.watched.p_label)
