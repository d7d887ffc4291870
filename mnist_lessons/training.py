"""Seeded training of the book's Keras models, and a store that trains each model once a build.

:func:`fit` seeds Keras, builds a model, compiles it with Adam and categorical cross-entropy,
and trains it with early stopping, writing one line per epoch to the build log
(:func:`mnist_lessons.report.log`) and nothing to the page. :func:`train` does the same through a
*store*: a folder of trained models, keyed by everything that decides the result (the builder and
its arguments, the seed, the data, the training settings and the Keras version). A chapter that
asks for a model another chapter has already trained gets it back from the store instead of
training it again. The store is ``_build/models`` beside ``_build/metrics.json``, so a clean
build (which removes ``_build``) starts with an empty one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import inspect
import json
import os
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from mnist_lessons import report
from mnist_lessons.models import build_mlp
from mnist_lessons.quiet import import_keras

keras = import_keras()

__all__ = [
    "STORE_ENV_VAR",
    "FitSettings",
    "Trained",
    "Watched",
    "callback_settings",
    "default_store",
    "fit",
    "fit_callbacks",
    "store_key",
    "train",
    "train_mlp",
]

STORE_ENV_VAR = "MNIST_LESSONS_STORE"


@dataclasses.dataclass(frozen=True)
class FitSettings:
    """How a model is trained: the chapter "Your first neural network" explains each one."""

    epochs: int = 50  # at most; early stopping usually ends sooner
    batch_size: int = 128
    validation_split: float = 0.2  # the last 20 % of the training data, never trained on
    patience: int = 10  # epochs without a better val_accuracy before stopping
    monitor: str = "val_accuracy"
    restore_best_weights: bool = True
    learning_rate: float = 1e-3  # Adam's default step size
    # Halve the step size after this many epochs without a lower validation loss (None: never).
    reduce_lr_patience: int | None = 3
    reduce_lr_factor: float = 0.5
    min_learning_rate: float = 1e-5
    # Batches run per call into TensorFlow: fewer round trips from Python, the same updates.
    steps_per_execution: int = 16
    # What is minimised and reported. An autoencoder trains on y = x with "mse", no metrics,
    # and monitor="val_loss".
    loss: str = "categorical_crossentropy"
    metrics: tuple[str, ...] = ("accuracy",)
    # If True, the step size falls from learning_rate to 0 along a half cosine over all the
    # updates of all the epochs (then reduce_lr_patience must be None: one schedule at a time).
    cosine_decay: bool = False

    def __post_init__(self):
        for name in ("epochs", "batch_size", "steps_per_execution"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive whole number, got {value!r}.")
        if isinstance(self.patience, bool) or not isinstance(self.patience, int):
            raise ValueError(f"patience must be a whole number of epochs, got {self.patience!r}.")
        if self.patience < 0:
            raise ValueError(f"patience must be 0 or more epochs, got {self.patience!r}.")
        if not 0.0 < self.validation_split < 1.0:
            raise ValueError(
                "validation_split is the share of the training data held out to validate on, "
                f"so it must be between 0 and 1 (exclusive); got {self.validation_split!r}."
            )
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be positive, got {self.learning_rate!r}.")
        if self.reduce_lr_patience is not None and (
            isinstance(self.reduce_lr_patience, bool)
            or not isinstance(self.reduce_lr_patience, int)
            or self.reduce_lr_patience < 0
        ):
            raise ValueError(
                "reduce_lr_patience must be a whole number of epochs, or None to keep the "
                f"learning rate fixed; got {self.reduce_lr_patience!r}."
            )
        if self.cosine_decay and self.reduce_lr_patience is not None:
            raise ValueError(
                "cosine_decay sets the learning rate of every update, so it cannot be combined "
                "with ReduceLROnPlateau: pass reduce_lr_patience=None as well."
            )
        if not isinstance(self.metrics, tuple):
            raise ValueError(
                f"metrics must be a tuple of metric names, such as ('accuracy',) or (); got "
                f"{self.metrics!r}."
            )
        if not 0.0 < self.reduce_lr_factor < 1.0:
            raise ValueError(
                "reduce_lr_factor multiplies the learning rate when it is reduced, so it must "
                f"be between 0 and 1 (exclusive); got {self.reduce_lr_factor!r}."
            )


@dataclasses.dataclass
class Trained:
    """A trained model, its per-epoch history, and where it came from."""

    model: keras.Model
    history: dict[str, list[float]]  # "loss", "accuracy", "val_loss", "val_accuracy", ...
    key: str
    seconds: float  # training time (0.0 when it came from the store)
    from_store: bool = False
    watched: Watched | None = None  # its answers on some images after every epoch, if asked

    @property
    def epochs_run(self) -> int:
        """The number of epochs trained before early stopping ended the training."""
        return len(self.history["loss"])

    @property
    def best_epoch(self) -> int:
        """The epoch (counted from 1) with the best validation accuracy: the weights kept.

        A model trained without an accuracy metric (an autoencoder) counts the epoch with the
        lowest validation loss instead.
        """
        if "val_accuracy" not in self.history:
            return int(np.argmin(self.history["val_loss"])) + 1
        return int(np.argmax(self.history["val_accuracy"])) + 1


@dataclasses.dataclass
class Watched:
    """What a model answered on some images after every epoch of its training (``watch=``).

    Recorded by :func:`fit` when it is given ``watch=(x, labels)``: after each epoch, the
    model of that moment (dropout off, as ``predict`` runs it) reads the images ``x``. Keeping
    its answers costs one ``predict`` per epoch and changes nothing in the training. They are
    there to *watch* the training (which images it gets wrong epoch by epoch), never to choose
    anything: watching test images is fine, choosing by them is not.
    """

    labels: np.ndarray  # (n,) uint8: the true classes of the watched images
    predicted: np.ndarray  # (epochs, n) uint8: the most probable class after each epoch
    confidence: np.ndarray  # (epochs, n) float32: its probability
    p_label: np.ndarray  # (epochs, n) float32: the probability given to the true class
    fingerprint: str  # of the watched images and labels

    @property
    def accuracy(self) -> np.ndarray:
        """(epochs,): the share of the watched images read right after each epoch."""
        return (self.predicted == self.labels).mean(axis=1)

    @property
    def loss(self) -> np.ndarray:
        """(epochs,): the mean cross-entropy :math:`-\\ln p_{y}` after each epoch.

        The probabilities are clipped to :math:`[10^{-7}, 1 - 10^{-7}]` as Keras' loss clips
        them, so that a probability of 0 costs :math:`-\\ln 10^{-7} \\approx 16.1`.
        """
        return -np.log(np.clip(self.p_label, 1e-7, 1 - 1e-7)).mean(axis=1)

    def wrong(self, epoch: int) -> np.ndarray:
        """Indices of the watched images read wrong after ``epoch`` (counted from 1)."""
        if not 1 <= epoch <= len(self.predicted):
            raise ValueError(
                f"epoch counts from 1 to {len(self.predicted)}, the epochs trained; got {epoch!r}."
            )
        return np.flatnonzero(self.predicted[epoch - 1] != self.labels)

    def turned(self, epoch: int) -> tuple[np.ndarray, np.ndarray]:
        """(newly wrong, newly right): indices of the images read wrong after ``epoch`` but right
        after the epoch before, and the reverse. Both are empty for epoch 1."""
        wrong_now = set(self.wrong(epoch).tolist())
        if epoch == 1:
            return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
        wrong_before = set(self.wrong(epoch - 1).tolist())
        return (
            np.array(sorted(wrong_now - wrong_before), dtype=np.int64),
            np.array(sorted(wrong_before - wrong_now), dtype=np.int64),
        )


def _watch_fingerprint(x, labels) -> str:
    return f"{_fingerprint(np.asarray(x))} {_fingerprint(np.asarray(labels))}"


def _check_watch(watch) -> tuple[np.ndarray, np.ndarray] | None:
    if watch is None:
        return None
    try:
        x, labels = watch
    except (TypeError, ValueError):
        raise ValueError(
            "watch is a pair (x, labels): the images to read after every epoch and their "
            f"classes as whole numbers; got {type(watch).__name__}."
        ) from None
    x, labels = np.asarray(x), np.asarray(labels)
    if labels.ndim != 1 or len(x) != len(labels) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            "watch=(x, labels) takes class numbers (not one-hot rows), one per image: got "
            f"x {x.shape} and labels {labels.shape} of dtype {labels.dtype}."
        )
    return x, labels


def _check_data(x, y) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim < 2 or y.ndim != 2 or len(x) != len(y) or len(x) == 0:
        raise ValueError(
            "Train on inputs x shaped (samples, ...) and one-hot labels y shaped (samples, "
            f"classes) with as many rows; got x {x.shape} and y {y.shape}. Make y with "
            "mnist_lessons.data.one_hot(labels)."
        )
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(
            f"x must hold floats (scaled pixels), got dtype {x.dtype}. "
            "Use mnist_lessons.data.scale(x) first."
        )
    return x, y


def _fingerprint(array: np.ndarray) -> str:
    digest = hashlib.sha256(np.ascontiguousarray(array).view(np.uint8).reshape(-1))
    return f"{array.dtype}{list(array.shape)}:{digest.hexdigest()[:16]}"


# Settings added after the first models were stored; left out of the key at their defaults, so
# the keys of models trained without them stay what they were.
_LATER_SETTINGS = ("loss", "metrics", "cosine_decay")


def _settings_for_key(settings: FitSettings) -> dict:
    defaults = FitSettings()
    return {
        k: v
        for k, v in dataclasses.asdict(settings).items()
        if k not in _LATER_SETTINGS or v != getattr(defaults, k)
    }


def store_key(build: Callable, build_kwargs: dict, *, seed: int, x, y, settings: FitSettings):
    """A short hash of everything that decides a trained model; equal keys, equal models."""
    what = {
        "build": f"{build.__module__}.{build.__qualname__}",
        "build_kwargs": {k: repr(v) for k, v in sorted(build_kwargs.items())},
        "seed": int(seed),
        "x": _fingerprint(np.asarray(x)),
        "y": _fingerprint(np.asarray(y)),
        "settings": _settings_for_key(settings),
        "keras": keras.__version__,
    }
    text = json.dumps(what, sort_keys=True)
    return f"{build.__name__}-seed{int(seed)}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"


@contextlib.contextmanager
def _without_keras_numpy_warning():
    """Silence one known DeprecationWarning from inside Keras, and nothing else.

    Keras 3.15 converts tensors with ``np.array(x, copy=False)`` when it saves a model and when
    ``ReduceLROnPlateau`` reads the learning rate; NumPy 2 deprecates that. It is harmless here
    and out of our hands.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "__array__ implementation", DeprecationWarning)
        yield


class _EpochLog(keras.callbacks.Callback):
    """One line per epoch to the build log (Keras' own progress bars stay off: verbose=0)."""

    def __init__(self, label: str, epochs: int):
        super().__init__()
        self.label, self.epochs = label, epochs

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        figures = " ".join(
            f"{k} {v:.2e}" if k == "learning_rate" else f"{k} {v:.4f}" for k, v in logs.items()
        )
        seconds = time.perf_counter() - self._start
        report.log(f"[{self.label}] epoch {epoch + 1}/{self.epochs} {figures} ({seconds:.1f} s)")


class _Watch(keras.callbacks.Callback):
    """After every epoch, the model of that moment reads the watched images (see Watched)."""

    def __init__(self, x: np.ndarray, labels: np.ndarray):
        super().__init__()
        self.x, self.labels = x, labels
        self.predicted, self.confidence, self.p_label = [], [], []
        self.seconds = 0.0

    def on_epoch_end(self, epoch, logs=None):
        start = time.perf_counter()
        # The model called on chunks of images, as predict does in inference mode (dropout
        # off), without predict's set-up on every call: a few times cheaper for small n.
        chunks = [
            np.asarray(self.model(self.x[i : i + 4096], training=False))
            for i in range(0, len(self.x), 4096)
        ]
        p = np.concatenate(chunks)  # (n, classes)
        predicted = p.argmax(axis=1)
        self.predicted.append(predicted.astype(np.uint8))
        self.confidence.append(p[np.arange(len(p)), predicted].astype(np.float32))
        self.p_label.append(p[np.arange(len(p)), self.labels].astype(np.float32))
        self.seconds += time.perf_counter() - start

    def on_train_end(self, logs=None):
        report.log(
            f"[watch] {len(self.x):,} images read after each of {len(self.predicted)} epochs "
            f"in {self.seconds:.1f} s"
        )

    def result(self) -> Watched:
        return Watched(
            labels=self.labels.astype(np.uint8),
            predicted=np.stack(self.predicted),
            confidence=np.stack(self.confidence),
            p_label=np.stack(self.p_label),
            fingerprint=_watch_fingerprint(self.x, self.labels),
        )


def fit_callbacks(settings: FitSettings | None = None) -> list[keras.callbacks.Callback]:
    """The callbacks :func:`fit` passes to ``model.fit``, besides its one-line-per-epoch log.

    ``EarlyStopping`` on ``settings.monitor`` and, unless ``settings.reduce_lr_patience`` is
    None, ``ReduceLROnPlateau`` on the validation loss. Fresh objects on every call: a callback
    keeps state (its best value, its wait) from one training to the next.
    """
    settings = settings or FitSettings()
    callbacks = [
        keras.callbacks.EarlyStopping(
            monitor=settings.monitor,
            patience=settings.patience,
            restore_best_weights=settings.restore_best_weights,
        )
    ]
    if settings.reduce_lr_patience is not None:
        callbacks.append(
            keras.callbacks.ReduceLROnPlateau(
                monitor="val_loss",
                factor=settings.reduce_lr_factor,
                patience=settings.reduce_lr_patience,
                min_lr=settings.min_learning_rate,
            )
        )
    return callbacks


def callback_settings(callback: keras.callbacks.Callback) -> dict:
    """A callback's class and the arguments it was made with, read back from the object.

    Each argument of the callback's constructor is kept on the object under its own name
    (``EarlyStopping(patience=10).patience == 10``), so two callbacks with equal settings were
    made alike, whatever state training has since left in them (their best value, their wait).
    ``min_delta`` is read as a size: ``ReduceLROnPlateau`` gives it a sign when training starts.
    """
    arguments = inspect.signature(type(callback).__init__).parameters
    names = [
        name
        for name, p in arguments.items()
        if name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    settings = {"class": type(callback).__name__, **{n: getattr(callback, n) for n in names}}
    if "min_delta" in settings:
        settings["min_delta"] = abs(settings["min_delta"])
    return settings


def fit(
    build: Callable[..., keras.Model],
    x,
    y,
    *,
    seed: int,
    settings: FitSettings | None = None,
    label: str | None = None,
    key: str | None = None,
    watch=None,
    **build_kwargs,
) -> Trained:
    """Seed Keras, build a model with ``build(**build_kwargs)`` and train it; no store.

    ``key`` is the :func:`store_key` if the caller has it already (it hashes the data).
    ``watch=(x, labels)`` records the model's answers on the images ``x`` after every epoch, in
    ``Trained.watched`` (a :class:`Watched`), without changing the training.

    The model is compiled with Adam, ``settings.loss`` and ``settings.metrics`` (by default
    categorical cross-entropy and accuracy), and trained with ``EarlyStopping`` on
    ``settings.monitor``. ``keras.utils.set_random_seed(seed)`` is called
    *before* building, so the seed fixes the initial weights, the dropout masks and the order
    of the mini-batches.
    """
    x, y = _check_data(x, y)
    watch = _check_watch(watch)
    settings = settings or FitSettings()
    if label is None:
        arguments = ", ".join(f"{k}={v!r}" for k, v in sorted(build_kwargs.items()))
        label = f"{build.__name__}({arguments}) seed {seed}"
    keras.utils.set_random_seed(int(seed))
    model = build(**build_kwargs)
    learning_rate = settings.learning_rate
    if settings.cosine_decay:
        n_fit = round(len(x) * (1 - settings.validation_split))
        steps = settings.epochs * int(np.ceil(n_fit / settings.batch_size))
        learning_rate = keras.optimizers.schedules.CosineDecay(learning_rate, steps)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss=settings.loss,
        metrics=list(settings.metrics),
        steps_per_execution=settings.steps_per_execution,
    )
    callbacks = [*fit_callbacks(settings), _EpochLog(label, settings.epochs)]
    watcher = None if watch is None else _Watch(*watch)
    if watcher is not None:
        callbacks.append(watcher)
    start = time.perf_counter()
    with _without_keras_numpy_warning():
        history = model.fit(
            x,
            y,
            epochs=settings.epochs,
            batch_size=settings.batch_size,
            validation_split=settings.validation_split,
            callbacks=callbacks,
            verbose=0,
        )
    seconds = time.perf_counter() - start
    curves = {k: [float(v) for v in vs] for k, vs in history.history.items()}
    if key is None:
        key = store_key(build, build_kwargs, seed=seed, x=x, y=y, settings=settings)
    watched = None if watcher is None else watcher.result()
    return Trained(model=model, history=curves, key=key, seconds=seconds, watched=watched)


def default_store() -> Path | None:
    """``$MNIST_LESSONS_STORE`` if set, else ``_build/models`` of the book; None outside one."""
    if os.environ.get(STORE_ENV_VAR):
        return Path(os.environ[STORE_ENV_VAR])
    metrics = report.metrics_path()
    return None if metrics is None else metrics.parent / "models"


def _load(store: Path, key: str) -> Trained | None:
    model_path, meta_path = store / f"{key}.keras", store / f"{key}.json"
    if not meta_path.is_file() or not model_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        model = keras.saving.load_model(model_path)
    except (OSError, ValueError) as error:  # a damaged entry: train again and replace it
        report.log(f"[store] cannot read {model_path.name} ({error}); training it again")
        return None
    watched = None
    watch_path = store / f"{key}.watched.npz"
    if "watched" in meta and watch_path.is_file():
        with np.load(watch_path) as arrays:
            watched = Watched(**{k: arrays[k] for k in arrays.files}, fingerprint=meta["watched"])
    return Trained(
        model=model,
        history=meta["history"],
        key=key,
        seconds=0.0,
        from_store=True,
        watched=watched,
    )


def _save(store: Path, trained: Trained) -> None:
    store.mkdir(parents=True, exist_ok=True)
    # Write beside the final names and rename: a reader never finds half a model. The JSON
    # file, written last, marks the entry complete.
    tmp_model = store / f".{trained.key}.{os.getpid()}.tmp.keras"
    with _without_keras_numpy_warning():
        trained.model.save(tmp_model)
    os.replace(tmp_model, store / f"{trained.key}.keras")
    meta = {"key": trained.key, "history": trained.history, "seconds": trained.seconds}
    if (watched := trained.watched) is not None:
        tmp_watch = store / f".{trained.key}.{os.getpid()}.tmp.watched.npz"
        fields = ("labels", "predicted", "confidence", "p_label")
        np.savez(tmp_watch, **{name: getattr(watched, name) for name in fields})
        os.replace(tmp_watch, store / f"{trained.key}.watched.npz")
        meta["watched"] = watched.fingerprint
    tmp_meta = store / f".{trained.key}.{os.getpid()}.tmp.json"
    tmp_meta.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp_meta, store / f"{trained.key}.json")


def train(
    build: Callable[..., keras.Model],
    x,
    y,
    *,
    seed: int,
    settings: FitSettings | None = None,
    store: str | os.PathLike | None = None,
    watch=None,
    **build_kwargs,
) -> Trained:
    """:func:`fit` through the store: the first call trains and saves, later calls load.

    ``store`` defaults to :func:`default_store`; outside a book (no store) it always trains.
    ``watch=(x, labels)`` is not part of the key (it changes no weight); a stored model
    that was not watched on these images is trained again, to the same weights, to watch it.
    """
    x, y = _check_data(x, y)
    watch = _check_watch(watch)
    settings = settings or FitSettings()
    store = Path(store) if store is not None else default_store()
    key = store_key(build, build_kwargs, seed=seed, x=x, y=y, settings=settings)
    if store is not None and (found := _load(store, key)) is not None:
        wanted = None if watch is None else _watch_fingerprint(*watch)
        if wanted is None or (found.watched is not None and found.watched.fingerprint == wanted):
            report.log(f"[store] {key}: trained earlier in this build, loaded")
            return found
        report.log(f"[store] {key}: trained earlier without watching these images; again")
    trained = fit(build, x, y, seed=seed, settings=settings, key=key, watch=watch, **build_kwargs)
    if store is not None:
        _save(store, trained)
    return trained


def train_mlp(
    x,
    y,
    *,
    seed: int = 0,
    dropout_rate: float = 0.0,
    settings: FitSettings | None = None,
    store: str | os.PathLike | None = None,
    watch=None,
) -> Trained:
    """The book's 784-256-128-10 MLP (:func:`~mnist_lessons.models.build_mlp`), via the store.

    ``watch=(x, labels)``: record its answers on ``x`` after every epoch (see :class:`Watched`).
    """
    return train(
        build_mlp,
        x,
        y,
        seed=seed,
        settings=settings,
        store=store,
        watch=watch,
        dropout_rate=dropout_rate,
    )
