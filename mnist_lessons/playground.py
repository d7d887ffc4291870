r"""The training playground: the book's from-scratch MLP, trained in the reader's browser.

The page (``static/explore/explorables/playground.js`` and its Web Worker) trains
:class:`~mnist_lessons.scratch.network.MLP` rewritten in JavaScript on a subset of MNIST that
the build exports. This module is the Python side of that page:

- the page's random numbers, :class:`Mulberry32` (a 32-bit generator JavaScript can run
  exactly as Python does), and with them the page's initial weights (:func:`initial_network`)
  and the order of its batches (:func:`batch_order`), so one seed gives the same network in
  both;
- :func:`train`, the page's training loop in NumPy: per epoch, shuffle, then for each batch
  :meth:`~mnist_lessons.scratch.network.MLP.forward`, ``backward`` and the optimizer's
  ``step``, then the loss and accuracy on the exported test digits;
- :func:`export_digits`, the digits the page trains on, as one compressed bundle.

The build runs :func:`train` with :data:`DEFAULTS` and glues its test accuracy; the page's own
first run with the same settings must land within half a point of it (tests/).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from mnist_lessons.explore.export import write_bundle
from mnist_lessons.scratch.network import MLP
from mnist_lessons.scratch.optimizers import SGD, Adam, RMSProp

__all__ = [
    "ACTIVATIONS",
    "BATCH_SIZES",
    "DEFAULTS",
    "MOMENTUM",
    "N_TEST",
    "N_TRAIN",
    "OPTIMIZERS",
    "TRAIN_SIZES",
    "UNITS",
    "Mulberry32",
    "Run",
    "Settings",
    "batch_order",
    "export_digits",
    "initial_network",
    "make_optimizer",
    "train",
]

N_TRAIN = 5000  # training digits the page can use (the first N_TRAIN of MNIST's training set)
N_TEST = 1000  # test digits it reports on (the first N_TEST of MNIST's test set)
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
MOMENTUM = 0.9  # the momentum of the "momentum" choice
UNITS = (16, 32, 64, 128, 256)
BATCH_SIZES = (8, 16, 32, 64, 128, 256)
TRAIN_SIZES = (500, 1000, 2000, 5000)
_MASK = 0xFFFFFFFF


@dataclass(frozen=True)
class Settings:
    """What the reader chooses in the playground (the page keeps the same names in its URL)."""

    hidden_layers: int = 1
    units: int = 64
    activation: str = "relu"
    optimizer: str = "adam"
    learning_rate: float = 0.001
    batch_size: int = 32
    n_train: int = N_TRAIN
    seed: int = 0
    epochs: int = 5

    def __post_init__(self):
        checks = [
            (self.hidden_layers in (0, 1, 2), "hidden_layers is 0, 1 or 2"),
            (self.units in UNITS, f"units is one of {UNITS}"),
            (self.activation in ACTIVATIONS, f"activation is one of {ACTIVATIONS}"),
            (self.optimizer in OPTIMIZERS, f"optimizer is one of {OPTIMIZERS}"),
            (
                isinstance(self.learning_rate, (int, float))
                and math.isfinite(self.learning_rate)
                and 0 < self.learning_rate <= 10,
                "learning_rate is in (0, 10]",
            ),
            (self.batch_size in BATCH_SIZES, f"batch_size is one of {BATCH_SIZES}"),
            (self.n_train in TRAIN_SIZES, f"n_train is one of {TRAIN_SIZES}"),
            (isinstance(self.seed, int) and 0 <= self.seed <= 999, "seed is 0 to 999"),
            (isinstance(self.epochs, int) and 1 <= self.epochs <= 50, "epochs is 1 to 50"),
        ]
        for ok, rule in checks:
            if not ok:
                raise ValueError(f"Playground settings: {rule} ({self!r}).")

    @property
    def sizes(self) -> tuple[int, ...]:
        """Units per layer, input first: (784, 64, 10) for the defaults."""
        return (784, *(self.units,) * self.hidden_layers, 10)

    def as_dict(self) -> dict:
        return asdict(self)


DEFAULTS = Settings()


class Mulberry32:
    """Tommy Ettinger's mulberry32: uniform numbers in [0, 1), the same in Python and JavaScript.

    A 32-bit state and integer arithmetic modulo :math:`2^{32}` (JavaScript's ``Math.imul``),
    so the page's ``make_rng(seed)`` (``math/network.js``) draws the very same numbers.
    """

    def __init__(self, seed: int = 0):
        self.t = int(seed) & _MASK

    def __call__(self) -> float:
        self.t = (self.t + 0x6D2B79F5) & _MASK
        t = self.t
        r = ((t ^ (t >> 15)) * (1 | t)) & _MASK
        r = ((r + ((r ^ (r >> 7)) * (61 | r))) & _MASK) ^ r
        return ((r ^ (r >> 14)) & _MASK) / 4294967296


def _draw(n_in: int, n_out: int, init: str, rng: Mulberry32) -> np.ndarray:
    """W (n_out, n_in) drawn as network.js's init_weights draws it, rounded to float32."""
    std = math.sqrt(2 / n_in if init == "he" else 2 / (n_in + n_out))
    W = np.empty(n_out * n_in)
    for i in range(W.size):
        if init == "he":  # Box-Muller: u in (0, 1], then the angle
            u = 1 - rng()
            W[i] = std * math.sqrt(-2 * math.log(u)) * math.cos(2 * math.pi * rng())
        else:  # Glorot's uniform: U(-r, r), r = sqrt(3) std
            W[i] = math.sqrt(3) * std * (2 * rng() - 1)
    return W.astype(np.float32).reshape(n_out, n_in)


def initial_network(settings: Settings = DEFAULTS, rng: Mulberry32 | None = None) -> MLP:
    """The scratch MLP the page starts from for ``settings`` (He for relu, else Glorot)."""
    rng = Mulberry32(settings.seed) if rng is None else rng
    net = MLP(settings.sizes, activation=settings.activation, seed=0)
    for layer in net.layers:
        he = layer.activation in ("relu", "leaky_relu")
        layer.W[...] = _draw(layer.n_in, layer.n_out, "he" if he else "glorot", rng)
        layer.b[...] = 0
    return net


def batch_order(n: int, rng: Mulberry32) -> np.ndarray:
    """A Fisher-Yates shuffle of 0, ..., n - 1, drawn as the page draws it."""
    order = np.arange(n)
    for i in range(n - 1, 0, -1):
        j = math.floor(rng() * (i + 1))
        order[i], order[j] = order[j], order[i]
    return order


def make_optimizer(settings: Settings):
    """The scratch optimizer of ``settings``: SGD, SGD with momentum 0.9, RMSProp or Adam."""
    eta = settings.learning_rate
    return {
        "sgd": lambda: SGD(learning_rate=eta),
        "momentum": lambda: SGD(learning_rate=eta, momentum=MOMENTUM),
        "rmsprop": lambda: RMSProp(learning_rate=eta),
        "adam": lambda: Adam(learning_rate=eta),
    }[settings.optimizer]()


def _inputs(digits: np.ndarray) -> np.ndarray:
    """uint8 digits (n, 28, 28) or (n, 784) as float32 rows in [0, 1], as the page scales them."""
    return (np.asarray(digits, dtype=np.float32).reshape(len(digits), 784)) / np.float32(255)


def _one_hot(labels: np.ndarray) -> np.ndarray:
    return np.eye(10, dtype=np.float32)[np.asarray(labels)]


class Run:
    """A training run as the page's ``Run`` (``playground/train.js``) keeps it.

    ``x_train``/``x_test`` are uint8 digits, ``y_*`` labels 0-9; the first
    ``settings.n_train`` training digits are used. :meth:`step` trains on the next batch (the
    batches of an epoch follow a fresh :func:`batch_order`); after the last batch of an epoch
    the test digits are scored and the epoch's figures go into :attr:`history`.
    """

    def __init__(self, settings: Settings, x_train, y_train, x_test, y_test):
        if len(x_train) < settings.n_train:
            raise ValueError(
                f"Give at least {settings.n_train} training digits, got {len(x_train)}."
            )
        self.settings = settings
        self.x = _inputs(x_train[: settings.n_train])  # (n, 784)
        self.y = _one_hot(y_train[: settings.n_train])  # (n, 10)
        self.x_test, self.y_test = _inputs(x_test), _one_hot(y_test)
        self.rng = Mulberry32(settings.seed)
        self.net = initial_network(settings, self.rng)
        self.optimizer = make_optimizer(settings)
        self.epoch, self.start, self.order = 0, 0, None
        self._loss = self._correct = 0.0
        self.history = {"loss": [], "accuracy": [], "test_loss": [], "test_accuracy": []}
        self.diverged = False

    @property
    def done(self) -> bool:
        return self.diverged or self.epoch >= self.settings.epochs

    def step(self) -> float:
        """Train on the next batch; return its loss (NaN once training has diverged)."""
        if self.done:
            return float("nan")
        n, size = len(self.x), self.settings.batch_size
        if self.order is None:
            self.order = batch_order(n, self.rng)
        batch = self.order[self.start : self.start + size]
        x, y = self.x[batch], self.y[batch]  # (batch, 784), (batch, 10)
        a = self.net.forward(x)
        loss = self.net._loss(y, a)  # clipped mean cross-entropy
        if not np.isfinite(loss) or not np.all(np.isfinite(a)):
            self.diverged = True
            return float("nan")
        self._loss += loss * len(batch)
        self._correct += float(np.sum(a.argmax(axis=1) == y.argmax(axis=1)))
        self.net.backward(y)
        self.optimizer.step(self.net.params, self.net.grads)
        self.start += size
        if self.start >= n:
            test_loss, test_accuracy = self.net.evaluate(self.x_test, self.y_test)
            self.history["loss"].append(self._loss / n)
            self.history["accuracy"].append(self._correct / n)
            self.history["test_loss"].append(test_loss)
            self.history["test_accuracy"].append(test_accuracy)
            self.epoch, self.start, self.order = self.epoch + 1, 0, None
            self._loss = self._correct = 0.0
        return float(loss)


def train(
    settings: Settings,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
) -> dict:
    """Train as the page does, for ``settings.epochs`` epochs; return the history and network.

    Returns ``{"loss", "accuracy", "test_loss", "test_accuracy": lists per epoch, "net": the
    MLP, "diverged": bool}``; training stops at the first batch whose loss is not a number
    (the page says "training diverged" there).
    """
    run = Run(settings, x_train, y_train, x_test, y_test)
    while not run.done:
        run.step()
    return {**run.history, "net": run.net, "diverged": run.diverged}


def export_digits(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    folder: str | Path,
) -> Path:
    """Write the page's digits (the first :data:`N_TRAIN` training and :data:`N_TEST` test
    digits, uint8) as ``playground-digits.bin.gz`` in ``folder``; return its path."""
    arrays = {
        "x_train": np.asarray(x_train[:N_TRAIN], dtype=np.uint8).reshape(-1, 784),
        "y_train": np.asarray(y_train[:N_TRAIN], dtype=np.uint8),
        "x_test": np.asarray(x_test[:N_TEST], dtype=np.uint8).reshape(-1, 784),
        "y_test": np.asarray(y_test[:N_TEST], dtype=np.uint8),
    }
    if len(arrays["x_train"]) < N_TRAIN or len(arrays["x_test"]) < N_TEST:
        raise ValueError(f"The playground needs {N_TRAIN} training and {N_TEST} test digits.")
    path = Path(folder) / "playground-digits.bin.gz"
    return write_bundle(path, "playground-digits", {"source": "MNIST"}, arrays, compress=True)
