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

__all__ = [
    "RECURRENT_BLOCKS",
    "build_autoencoder",
    "build_cnn",
    "build_gru",
    "build_lstm",
    "build_mlp",
    "build_rnn",
    "layer_specs",
    "outputs_after_each_step",
    "recurrent_parameter_count",
    "units_for_parameters",
]


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


def build_cnn(
    *,
    input_shape: Sequence[int] = (28, 28, 1),
    filters: Sequence[int] = (16, 32, 64),
    kernel_size: int = 3,
    dense_units: int = 128,
    dropout_rate: float = 0.0,
    num_classes: int = 10,
    name: str = "cnn",
) -> keras.Model:
    """A small convolutional network: blocks of Conv2D, BatchNormalization, ReLU, max pooling.

    Each entry of ``filters`` adds a block ``Conv2D(filters, kernel_size, padding="same")`` ->
    ``BatchNormalization`` -> ReLU -> ``MaxPooling2D(2)``, which halves the height and width
    (rounding down: 28 -> 14 -> 7 -> 3). A ``Dense(dense_units)`` layer with ReLU and a softmax
    output follow; with ``dropout_rate > 0``, dropout before and after the dense layer. The
    defaults are the network of the chapter "Convolutional networks".

    Parameters
    ----------
    input_shape : sequence of int
        ``(height, width, channels)``; ``(28, 28, 1)`` for an MNIST digit.
    filters : sequence of int
        The number of filters of each convolutional block.
    kernel_size : int
        The height and width of every kernel.
    dense_units : int
        The units of the dense layer after the convolutions (``0``: none).
    dropout_rate : float
        Dropout applied to the flattened feature maps and after the dense layer.
    num_classes, name
        As in :func:`build_mlp`.

    Returns
    -------
    keras.Model
        Uncompiled; the convolutions are named ``conv_1``, ``conv_2``, ...
    """
    filters = _check_units(filters, "filters")
    (kernel_size, num_classes) = _check_units((kernel_size, num_classes), "kernel_size")
    dense_units = _check_units((dense_units,), "dense_units")[0] if dense_units else 0
    dropout_rate = _check_rate(dropout_rate)
    if len(tuple(input_shape)) != 3:
        raise ValueError(
            f"input_shape must be (height, width, channels), such as (28, 28, 1); got "
            f"{tuple(input_shape)!r}. Reshape the images with x[..., None]."
        )
    inputs = keras.Input(shape=tuple(input_shape), name="image")
    x = inputs
    for i, n in enumerate(filters, start=1):
        # No bias: the BatchNormalization right after has its own shift (beta).
        x = layers.Conv2D(n, kernel_size, padding="same", use_bias=False, name=f"conv_{i}")(x)
        x = layers.BatchNormalization(name=f"batchnorm_{i}")(x)
        x = layers.Activation("relu", name=f"relu_{i}")(x)
        x = layers.MaxPooling2D(2, name=f"pool_{i}")(x)
    x = layers.Flatten(name="flatten")(x)
    if dropout_rate > 0:
        x = layers.Dropout(dropout_rate, name="dropout")(x)
    if dense_units:
        x = layers.Dense(dense_units, activation="relu", name="dense")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="dropout_dense")(x)
    outputs = layers.Dense(num_classes, activation="softmax", name="probabilities")(x)
    return keras.Model(inputs, outputs, name=name)


def _build_recurrent(cell, input_shape, units, num_classes, name) -> keras.Model:
    (units,) = _check_units((units,), "units")
    (num_classes,) = _check_units((num_classes,), "num_classes")
    if len(tuple(input_shape)) != 2:
        raise ValueError(
            f"input_shape must be (timesteps, features), such as (None, 28) for the rows of "
            f"a digit read one after another; got {tuple(input_shape)!r}."
        )
    inputs = keras.Input(shape=tuple(input_shape), name="rows")
    h = cell(units, name="recurrent")(inputs)  # (batch, units): the state after the last row
    outputs = layers.Dense(num_classes, activation="softmax", name="probabilities")(h)
    return keras.Model(inputs, outputs, name=name)


def build_rnn(
    *,
    input_shape: Sequence[int] = (None, 28),
    units: int = 64,
    num_classes: int = 10,
    name: str = "rnn",
) -> keras.Model:
    """A ``SimpleRNN`` that reads a digit row by row, then a softmax layer on its last state.

    .. math:: \\mathbf{h}_t = \\tanh(W \\mathbf{x}_t + U \\mathbf{h}_{t-1} + \\mathbf{b}),
        \\qquad \\hat{\\mathbf{y}} = \\operatorname{softmax}(V \\mathbf{h}_{T} + \\mathbf{c})

    Parameters
    ----------
    input_shape : sequence of int
        ``(timesteps, features)``: ``(None, 28)`` reads any number of rows of 28 pixels, so
        the model also predicts from the first few rows of a digit.
    units : int
        The size of the state :math:`\\mathbf{h}_t`.
    num_classes, name
        As in :func:`build_mlp`.
    """
    return _build_recurrent(layers.SimpleRNN, input_shape, units, num_classes, name)


def build_lstm(
    *,
    input_shape: Sequence[int] = (None, 28),
    units: int = 128,
    num_classes: int = 10,
    name: str = "lstm",
) -> keras.Model:
    """Like :func:`build_rnn`, with an ``LSTM`` layer: gated cell state, four weight sets.

    The parameters are those of :func:`build_rnn`; an LSTM of ``units`` units has four times
    the recurrent weights of a SimpleRNN of the same size (input, forget and output gates and
    the candidate cell state).
    """
    return _build_recurrent(layers.LSTM, input_shape, units, num_classes, name)


def build_gru(
    *,
    input_shape: Sequence[int] = (None, 28),
    units: int = 128,
    num_classes: int = 10,
    name: str = "gru",
) -> keras.Model:
    """Like :func:`build_rnn`, with a ``GRU`` layer: update and reset gates, three weight sets.

    Keras' GRU applies the reset gate after multiplying the state by its weights
    (``reset_after=True``), which gives each of the three blocks a second bias vector.
    """
    return _build_recurrent(layers.GRU, input_shape, units, num_classes, name)


def outputs_after_each_step(model: keras.Model, x, *, batch_size: int = 1000):
    """What a recurrent model of this module would answer after each step, in one pass.

    Runs the sequences through the model's recurrent layer once, keeping the state after
    every step, and applies the model's softmax layer to each state: entry ``[i, t - 1]`` is
    the model's output for the first ``t`` steps of sequence ``i``, the same as
    ``model(x[:, :t])[i]`` but without running the first steps again for every ``t``.

    Parameters
    ----------
    model : keras.Model
        Made by :func:`build_rnn`, :func:`build_lstm` or :func:`build_gru` (a layer
        ``"recurrent"`` followed by a layer ``"probabilities"``).
    x : array, shape (n, T, features)

    Returns
    -------
    numpy.ndarray, shape (n, T, classes)
    """
    recurrent = model.get_layer("recurrent")
    config = {**recurrent.get_config(), "return_sequences": True}
    every_step = type(recurrent).from_config(config)
    inputs = keras.Input(shape=model.input_shape[1:], name="rows")
    states = every_step(inputs)  # (batch, T, units): the state after each step
    outputs = model.get_layer("probabilities")(states)  # (batch, T, classes)
    every_step.set_weights(recurrent.get_weights())
    return keras.Model(inputs, outputs).predict(x, batch_size=batch_size, verbose=0)


# Blocks of (W, U, b) per recurrent layer: the SimpleRNN has one; the LSTM one for each of its
# input, forget and output gates and one for the candidate cell content; the GRU one for each of
# its update and reset gates and one for the candidate state.
RECURRENT_BLOCKS = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


def recurrent_parameter_count(
    cell: str, units: int, *, features: int = 28, num_classes: int = 10
) -> int:
    r"""The parameters of :func:`build_rnn`, :func:`build_lstm` or :func:`build_gru`, by formula.

    .. math:: B\,(m n + n^2 + n) + (n K + K)

    for ``B`` blocks (:data:`RECURRENT_BLOCKS`), ``n`` units, ``m`` features per step and
    ``K`` classes; the GRU adds ``3 n`` for its second biases (``reset_after=True``).
    """
    if cell not in RECURRENT_BLOCKS:
        raise ValueError(f"cell must be one of {sorted(RECURRENT_BLOCKS)}; got {cell!r}.")
    (units, features, num_classes) = _check_units(
        (units, features, num_classes), "units, features and num_classes"
    )
    n, m = units, features
    recurrent = RECURRENT_BLOCKS[cell] * (m * n + n * n + n) + (3 * n if cell == "GRU" else 0)
    return recurrent + n * num_classes + num_classes


def units_for_parameters(
    cell: str, parameters: int, *, features: int = 28, num_classes: int = 10
) -> int:
    """The number of units that gives ``cell`` the parameter count closest to ``parameters``.

    For a comparison of like with like: ``units_for_parameters("SimpleRNN", n_lstm)`` is the
    size of the SimpleRNN with about as many parameters as an LSTM of ``n_lstm`` parameters.
    """

    def count(n: int) -> int:
        return recurrent_parameter_count(cell, n, features=features, num_classes=num_classes)

    n = 1
    while count(n + 1) <= parameters:
        n += 1
    return n + 1 if abs(count(n + 1) - parameters) < abs(count(n) - parameters) else n


def build_autoencoder(
    *,
    input_dim: int = 784,
    hidden_units: Sequence[int] = (256,),
    latent_dim: int = 32,
    name: str = "autoencoder",
) -> keras.Model:
    """A dense autoencoder: an encoder to ``latent_dim`` numbers and a mirrored decoder.

    .. math:: \\mathbf{z} = \\text{encoder}(\\mathbf{x}), \\qquad
        \\hat{\\mathbf{x}} = \\text{decoder}(\\mathbf{z})

    The encoder has ReLU hidden layers and a linear code layer; the decoder mirrors the hidden
    layers and ends in a sigmoid, so the reconstruction is a row of pixels in (0, 1).

    Returns
    -------
    keras.Model
        Uncompiled, ``x -> x_hat``. Its two parts are sub-models, reachable as
        ``model.get_layer("encoder")`` (``x -> z``) and ``model.get_layer("decoder")``
        (``z -> x_hat``); they share their weights with the autoencoder.
    """
    (input_dim, latent_dim) = _check_units((input_dim, latent_dim), "input_dim and latent_dim")
    hidden_units = _check_units(hidden_units, "hidden_units", allow_empty=True)

    x = keras.Input(shape=(input_dim,), name="pixels")
    h = x
    for i, units in enumerate(hidden_units, start=1):
        h = layers.Dense(units, activation="relu", name=f"encode_{i}")(h)
    z = layers.Dense(latent_dim, name="code")(h)
    encoder = keras.Model(x, z, name="encoder")

    code = keras.Input(shape=(latent_dim,), name="code_in")
    h = code
    for i, units in enumerate(reversed(hidden_units), start=1):
        h = layers.Dense(units, activation="relu", name=f"decode_{i}")(h)
    x_hat = layers.Dense(input_dim, activation="sigmoid", name="reconstruction")(h)
    decoder = keras.Model(code, x_hat, name="decoder")

    inputs = keras.Input(shape=(input_dim,), name="pixels_in")
    return keras.Model(inputs, decoder(encoder(inputs)), name=name)


def layer_specs(model: keras.Model) -> list[tuple[str, dict]]:
    """Every layer of ``model`` in order, as ``(class name, settings)``, without its name.

    The first entry is the input, ``("Input", {"shape": ...})``; each other layer gives its
    ``get_config()`` less ``"name"``. Two models with equal specs have the same layers, sizes,
    activations and initialisers in the same order, however they were written: a
    ``keras.Sequential`` list or the functional API, with or without layer names.
    """
    specs = [("Input", {"shape": tuple(model.input_shape[1:])})]
    for layer in model.layers:
        if isinstance(layer, layers.InputLayer):
            continue
        config = {k: v for k, v in layer.get_config().items() if k != "name"}
        specs.append((type(layer).__name__, config))
    return specs
