"""Data augmentation for the chapter "Beyond the test set": Keras layers and the augmented CNN.

Augmentation changes each training image a little, at random, every time the network sees it,
so the network learns to read digits that differ from MNIST's in those ways. Here it is done by
layers at the front of the model, which act in training only and pass an image through
unchanged at inference (``training=False``), so the trained model reads a digit exactly as the
plain CNN does, and exports to the page the same way.

- Keras' own preprocessing layers: ``RandomRotation``, ``RandomTranslation``, ``RandomZoom``.
- :class:`RandomThicken` and :class:`RandomLowResolution`: the two differences the chapter
  measures between MNIST and the other digits, made at random to some training images. They
  compute what :func:`mnist_lessons.other_digits.thicken` and
  :func:`~mnist_lessons.other_digits.lower_resolution` compute in NumPy (tested against them).
- :func:`build_augmented_cnn`: those layers, then the book's CNN
  (:func:`mnist_lessons.models.build_cnn`) with its layer names unchanged.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from mnist_lessons.models import build_cnn
from mnist_lessons.other_digits import pen_shift
from mnist_lessons.quiet import import_keras
from mnist_lessons.training import Trained

keras = import_keras()
layers = keras.layers
ops = keras.ops

__all__ = [
    "CNN_ARGUMENTS",
    "CNN_SETTINGS",
    "MNIST_TOLERANCE",
    "REMEDIES",
    "BestNetwork",
    "RandomLowResolution",
    "RandomThicken",
    "accuracy",
    "best_network",
    "build_augmented_cnn",
    "choose_remedy",
    "validation_scores",
]


def _check_rate(rate) -> float:
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 1:
        raise ValueError(f"rate is the share of images changed, from 0 to 1; got {rate!r}.")
    return float(rate)


def _check_whole(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a whole number of pixels, 1 or more; got {value!r}.")
    return value


class _RandomShare(layers.Layer):
    """Replace a random share ``rate`` of the images of a batch by ``self.change(images)``."""

    def __init__(self, rate: float = 0.5, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.rate = _check_rate(rate)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=None):  # images: (batch, height, width, channels)
        if not training or self.rate == 0:
            return images
        changed = self.change(images)
        draw = keras.random.uniform(
            (ops.shape(images)[0], 1, 1, 1), seed=self.seed_generator
        )  # (batch, 1, 1, 1)
        return ops.where(draw < self.rate, changed, images)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


@keras.saving.register_keras_serializable(package="mnist_lessons")
class RandomThicken(_RandomShare):
    """Thicker strokes for a random share ``rate`` of the images, in training only.

    The chosen images go through a grey-level dilation by a ``size`` x ``size`` square (a max
    pooling with stride 1 and "same" padding), as :func:`mnist_lessons.other_digits.thicken`.
    """

    def __init__(self, rate: float = 0.5, size: int = 2, seed: int | None = None, **kwargs):
        super().__init__(rate, seed, **kwargs)
        self.size = _check_whole(size, "size")

    def change(self, images):
        return ops.max_pool(images, self.size, strides=1, padding="same")

    def get_config(self):
        return {**super().get_config(), "size": self.size}


@keras.saving.register_keras_serializable(package="mnist_lessons")
class RandomLowResolution(_RandomShare):
    """A lower resolution for a random share ``rate`` of the images, in training only.

    Each ``factor`` x ``factor`` block is replaced by its mean, as
    :func:`mnist_lessons.other_digits.lower_resolution` does: the blocky look of a small image
    scaled up.
    """

    def __init__(self, rate: float = 0.5, factor: int = 2, seed: int | None = None, **kwargs):
        super().__init__(rate, seed, **kwargs)
        self.factor = _check_whole(factor, "factor")

    def change(self, images):
        f = self.factor
        blocks = ops.average_pool(images, f, strides=f, padding="valid")
        return ops.repeat(ops.repeat(blocks, f, axis=1), f, axis=2)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def build_augmented_cnn(
    *,
    rotation: float = 0.0,
    shift: float = 0.0,
    zoom: float = 0.0,
    thicken_rate: float = 0.0,
    thicken_size: int = 2,
    low_resolution_rate: float = 0.0,
    low_resolution_factor: int = 2,
    name: str = "augmented_cnn",
    **cnn_arguments,
) -> keras.Model:
    """The book's CNN with augmentation layers in front, all named ``augment_*``.

    Parameters
    ----------
    rotation : float
        Largest rotation, as a share of a full turn (0.05 is 18 degrees), either way.
    shift : float
        Largest shift, as a share of the image's height and width, in each direction.
    zoom : float
        Largest zoom in or out, as a share of the size.
    thicken_rate, thicken_size
        The share of images given thicker strokes (:class:`RandomThicken`), and by how much.
    low_resolution_rate, low_resolution_factor
        The share of images given a lower resolution (:class:`RandomLowResolution`).
    cnn_arguments
        Passed to :func:`mnist_lessons.models.build_cnn` (``filters``, ``dense_units``, ...).

    Returns
    -------
    keras.Model
        Uncompiled. Its layers after the augmentation are the CNN's, with the CNN's names
        (``conv_1``, ``batchnorm_1``, ..., ``probabilities``), so code written for the plain
        CNN reads its weights the same way. At inference it computes exactly what a plain CNN
        with the same weights computes.
    """
    for value, what in ((rotation, "rotation"), (shift, "shift"), (zoom, "zoom")):
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
            raise ValueError(f"{what} is a share from 0 up to 1; got {value!r}.")
    cnn = build_cnn(**cnn_arguments)  # its layers are reused below, behind the augmentation
    inputs = keras.Input(shape=cnn.input_shape[1:], name="image")
    x = inputs
    if thicken_rate:
        x = RandomThicken(thicken_rate, thicken_size, name="augment_thicken")(x)
    if low_resolution_rate:
        x = RandomLowResolution(
            low_resolution_rate, low_resolution_factor, name="augment_low_resolution"
        )(x)
    fill = {"fill_mode": "constant", "fill_value": 0.0}  # paper comes in at the edges
    if rotation:
        x = layers.RandomRotation(rotation, name="augment_rotation", **fill)(x)
    if shift:
        x = layers.RandomTranslation(shift, shift, name="augment_shift", **fill)(x)
    if zoom:
        x = layers.RandomZoom(zoom, name="augment_zoom", **fill)(x)
    for layer in cnn.layers[1:]:  # the CNN's own layers, in order, after its Input
        x = layer(x)
    return keras.Model(inputs, x, name=name)


# ---------------------------------------------------------------- the chapter's remedies ----

# The CNN of "Convolutional networks" and its training recipe, as that chapter trains it: the
# same arguments give the same key in the build's model store, so the plain CNN is trained once.
CNN_ARGUMENTS = {
    "filters": (16, 32, 64),
    "kernel_size": 3,
    "dense_units": 128,
    "dropout_rate": 0.0,
}
CNN_SETTINGS = {
    "epochs": 5,
    "learning_rate": 3e-3,
    "cosine_decay": True,
    "reduce_lr_patience": None,
    "validation_split": 0.1,
}

# What each remedy adds in front of that CNN (the arguments of build_augmented_cnn).
SHAPES = {"rotation": 0.03, "shift": 0.05, "zoom": 0.1}  # 11 degrees, 1.4 pixels, 10 %
PEN = {"thicken_rate": 0.5, "low_resolution_rate": 0.5}  # what the diagnosis found
REMEDIES: dict[str, dict] = {
    "shapes": SHAPES,
    "pen": PEN,
    "shapes and pen": {**SHAPES, **PEN},
}
# A remedy may cost MNIST at most this much validation accuracy against the plain CNN.
MNIST_TOLERANCE = 0.002


def choose_remedy(validation: dict[str, tuple[float, float]], *, plain: str = "no remedy") -> str:
    """The chapter's rule, fixed before training: pick a remedy on MNIST's validation digits.

    ``validation`` maps each candidate (the plain CNN under the name ``plain``, and each
    remedy) to its accuracy on the validation digits as they are and on the same digits
    changed by :func:`mnist_lessons.other_digits.pen_shift`. Among the remedies whose first
    accuracy is at most :data:`MNIST_TOLERANCE` below the plain CNN's, the one with the highest
    second accuracy wins (the first listed, on a tie); if none qualifies, the plain CNN.
    """
    if plain not in validation:
        raise ValueError(f"validation must score the plain CNN under the name {plain!r}.")
    floor = validation[plain][0] - MNIST_TOLERANCE
    allowed = [name for name in validation if name != plain and validation[name][0] >= floor]
    return max(allowed, key=lambda name: validation[name][1]) if allowed else plain


@dataclasses.dataclass(frozen=True)
class BestNetwork:
    """The network the chapter chose, and how it and the first network's MLP score."""

    name: str  # "CNN with the remedy pen", for example
    remedy: str  # the key of REMEDIES, or "no remedy"
    trained: Trained
    mnist_test_accuracy: float
    other_accuracy: float
    mlp_mnist_test_accuracy: float
    mlp_other_accuracy: float


def accuracy(model, x, labels, batch: int = 2000) -> float:
    """The share of ``x`` that ``model`` reads as ``labels``, called at inference in batches.

    (Called directly rather than through ``predict``, which compiles a new function for every
    model and warns when a loop over models does that often.)
    """
    read = [
        np.asarray(model(x[i : i + batch], training=False)).argmax(axis=1)
        for i in range(0, len(x), batch)
    ]
    return float(np.mean(np.concatenate(read) == labels))


def validation_scores(candidates: dict[str, Trained], x_val, y_val) -> dict:
    """What :func:`choose_remedy` reads: each candidate's accuracy on the validation digits.

    ``candidates`` maps a name to a trained CNN; ``x_val`` (n, 28, 28) are MNIST digits none
    of them trained on, ``y_val`` their labels. Returns ``{name: (accuracy on x_val, accuracy
    on pen_shift(x_val))}``: the digits as they are, and made thicker and blockier as the
    other digits are (:func:`mnist_lessons.other_digits.pen_shift`).
    """
    x_val = np.asarray(x_val, dtype=np.float32)
    x_val_pen = pen_shift(x_val).astype(np.float32)  # (n, 28, 28)
    return {
        name: (
            accuracy(run.model, x_val[..., None], y_val),
            accuracy(run.model, x_val_pen[..., None], y_val),
        )
        for name, run in candidates.items()
    }


def best_network(*, store=None) -> BestNetwork:
    """The chapter's choice, made again through the build's model store (loads, in a build).

    Trains (or loads) the plain CNN and the CNN with each remedy as the chapter does, applies
    :func:`choose_remedy` to their validation scores, and measures the chosen network and the
    first network's MLP on MNIST's test set and on the other digits. The draw-a-digit page
    calls it to export the network it offers beside the MLP.
    """
    from mnist_lessons.data import flatten, load_mnist, one_hot, scale
    from mnist_lessons.other_digits import load_other_digits
    from mnist_lessons.training import FitSettings, train, train_mlp

    (x_train, y_train), (x_test, y_test) = load_mnist()
    x_train, x_test = scale(x_train), scale(x_test)  # (60000, 28, 28), (10000, 28, 28)
    y_train_1h = one_hot(y_train)
    x_other, y_other, _ = load_other_digits()
    settings = FitSettings(**CNN_SETTINGS)
    x_images = x_train[..., None]  # (60000, 28, 28, 1)
    candidates = {
        "no remedy": train(
            build_cnn,
            x_images,
            y_train_1h,
            seed=0,
            settings=settings,
            store=store,
            **CNN_ARGUMENTS,
        ),
    }
    for name, changes in REMEDIES.items():
        candidates[name] = train(
            build_augmented_cnn,
            x_images,
            y_train_1h,
            seed=0,
            settings=settings,
            store=store,
            **CNN_ARGUMENTS,
            **changes,
        )
    n_fit = round(len(x_train) * (1 - settings.validation_split))
    # the share Keras held out
    validation = validation_scores(candidates, x_train[n_fit:], y_train[n_fit:])
    remedy = choose_remedy(validation)
    chosen = candidates[remedy]
    mlp = train_mlp(flatten(x_train), y_train_1h, seed=0, store=store)
    return BestNetwork(
        name="CNN" if remedy == "no remedy" else f"CNN with the remedy {remedy}",
        remedy=remedy,
        trained=chosen,
        mnist_test_accuracy=accuracy(chosen.model, x_test[..., None], y_test),
        other_accuracy=accuracy(chosen.model, x_other[..., None], y_other),
        mlp_mnist_test_accuracy=accuracy(mlp.model, flatten(x_test), y_test),
        mlp_other_accuracy=accuracy(mlp.model, flatten(x_other), y_other),
    )
