"""Keras models of the book, one plain builder function per network.

Every builder starts from ``keras.Input``, takes full-word keyword arguments and returns an
*uncompiled* :class:`keras.Model`: how a model is trained (optimizer, loss, seed, early stopping)
is the business of :mod:`mnist_lessons.training`. Building draws the initial weights from Keras'
global random state, so seed first (``keras.utils.set_random_seed``) for a reproducible model;
:func:`mnist_lessons.training.fit` does that for you.
"""

from __future__ import annotations

from collections.abc import Sequence

from mnist_lessons.quiet import import_keras

keras = import_keras()
layers = keras.layers

__all__ = ["build_mlp"]


def _check_units(units: Sequence[int], name: str, *, allow_empty=False) -> tuple[int, ...]:
    units = tuple(units)
    bad = [n for n in units if isinstance(n, bool) or not isinstance(n, int) or n < 1]
    if bad or (not units and not allow_empty):
        raise ValueError(
            f"{name} must be a sequence of positive whole numbers, one per layer, such as "
            f"(256, 128); got {units!r}."
        )
    return units


def _check_rate(rate: float) -> float:
    if not 0.0 <= rate < 1.0:
        raise ValueError(
            f"dropout_rate is the share of units switched off, so it must be in [0, 1); got "
            f"{rate!r}. Use 0 for no dropout and, for example, 0.2 to drop one unit in five."
        )
    return float(rate)


def build_mlp(
    *,
    input_shape: Sequence[int] = (784,),
    hidden_units: Sequence[int] = (256, 128),
    activation: str = "relu",
    dropout_rate: float = 0.0,
    num_classes: int = 10,
    name: str = "mlp",
) -> keras.Model:
    """A multilayer perceptron: ``Dense`` hidden layers and a softmax output layer.

    With the defaults this is the book's 784-256-128-10 network of 235,146 parameters.

    Parameters
    ----------
    input_shape : sequence of int
        The shape of one input; ``(784,)`` for a flattened MNIST digit.
    hidden_units : sequence of int
        The number of units of each hidden layer, in order. An empty sequence gives a network
        with no hidden layer: a linear classifier (multinomial logistic regression).
    activation : str
        The activation of the hidden layers, any name ``keras.activations.get`` knows.
    dropout_rate : float
        If positive, a ``Dropout(dropout_rate)`` layer follows the *first* hidden layer (the
        network of the chapter "Overfitting and dropout"); it needs a hidden layer.
    num_classes : int
        The number of output units, one probability per class.
    name : str
        The model's name, shown by ``model.summary()``.

    Returns
    -------
    keras.Model
        Uncompiled; its output is a probability vector of length ``num_classes`` per input.
    """
    hidden_units = _check_units(hidden_units, "hidden_units", allow_empty=True)
    (num_classes,) = _check_units((num_classes,), "num_classes")
    dropout_rate = _check_rate(dropout_rate)
    if dropout_rate > 0 and not hidden_units:
        raise ValueError("Dropout follows the first hidden layer: give hidden_units too.")

    inputs = keras.Input(shape=tuple(input_shape), name="pixels")
    x = inputs
    for i, units in enumerate(hidden_units, start=1):
        x = layers.Dense(units, activation=activation, name=f"hidden_{i}")(x)
        if i == 1 and dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="dropout")(x)
    outputs = layers.Dense(num_classes, activation="softmax", name="probabilities")(x)
    return keras.Model(inputs, outputs, name=name)
