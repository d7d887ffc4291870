"""The trained networks as small static files that the in-page widget reads with plain JavaScript.

The file, ``mnist-mlp.bin``, is a bundle in the explorables' format
(:mod:`mnist_lessons.explore.export`, read in the page by ``explore/lib/bundle.js``, the same
reader every explorable uses): its JSON ``data`` names the layers in order (name, shape,
activation) with ``dtype`` and ``meta``, and its arrays ``W0, b0, W1, b1, ...`` hold each
layer's kernel (n_in x n_out) and bias (n_out) as IEEE 754 half-precision floats (float16).

Half precision halves the 940 KB of the 235,146 float32 parameters to 470 KB. The JavaScript
decodes the same float16 values, so the reference it is tested against is the Keras MLP with
these rounded weights (:func:`keras_model`), not the float32 original.

The book's CNN goes the same way into ``mnist-cnn.bin`` (:func:`export_cnn`, about 200 KB):
arrays named as ``explore/math/convolution.js``'s ``cnn_forward`` reads them, and
:func:`keras_cnn` as its reference.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mnist_lessons.explore.export import MAGIC, read_bundle, write_bundle

__all__ = [
    "CNN_FILENAME",
    "FILENAME",
    "MAGIC",
    "cnn_arrays",
    "export_cnn",
    "export_mlp",
    "keras_cnn",
    "keras_model",
    "read_cnn",
    "read_mlp",
    "site_static_dir",
]

FILENAME = "mnist-mlp.bin"
_ACTIVATIONS = ("relu", "softmax")


def site_static_dir(start: str | Path | None = None) -> Path:
    """``_build/widget`` of the book holding the working folder (which has ``_toc.yml``).

    A chapter exports the widget's network there during the build; the book's Sphinx extension
    :mod:`mnist_lessons.widget.sphinxext` copies it into the site's ``_static/widget`` once the
    HTML is written. Like the model store, it lives in ``_build``, so a clean build starts
    without it. Outside a book (a chapter's notebook run on its own, in Colab for example), it
    is ``_build/widget`` of the starting folder, so the chapter's cells still run.
    """
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_toc.yml").is_file() and (folder / "_config.yml").is_file():
            return folder / "_build" / "widget"
    return here / "_build" / "widget"


def _dense_layers(model) -> list[dict]:
    """[{name, activation, W (n_in, n_out), b (n_out,)}] of a Dense-only Keras model."""
    found = []
    for layer in model.layers:
        kind = type(layer).__name__
        if kind in ("InputLayer", "Dropout"):  # dropout is the identity at inference
            continue
        activation = getattr(getattr(layer, "activation", None), "__name__", None)
        if kind != "Dense" or activation not in _ACTIVATIONS:
            raise ValueError(
                f"The widget runs Dense layers with relu or softmax only; layer {layer.name!r} "
                f"is {kind} with activation {activation!r}. Export a build_mlp model."
            )
        W, b = (np.asarray(v, dtype=np.float32) for v in layer.get_weights())
        found.append({"name": layer.name, "activation": activation, "W": W, "b": b})
    if not found or found[0]["W"].shape[0] != 784 or found[-1]["activation"] != "softmax":
        raise ValueError(
            "Export an MLP that reads 784 pixels and ends in a softmax, such as build_mlp()."
        )
    return found


def export_mlp(model, folder: str | Path, *, meta: dict | None = None) -> Path:
    """Write ``model``'s Dense layers as float16 into ``folder/mnist-mlp.bin``; return its path.

    ``meta`` (JSON-ready) goes into the file's data too, for the page to show.
    """
    layers = _dense_layers(model)
    data = {
        "format": "mnist-lessons widget MLP",
        "dtype": "float16",
        "layers": [
            {"name": d["name"], "activation": d["activation"], "shape": list(d["W"].shape)}
            for d in layers
        ],
        "meta": meta or {},
    }
    arrays = {}
    for i, d in enumerate(layers):
        arrays[f"W{i}"] = d["W"].astype(np.float16)  # (n_in, n_out)
        arrays[f"b{i}"] = d["b"].astype(np.float16)  # (n_out,)
    return write_bundle(Path(folder) / FILENAME, "mnist-mlp", data, arrays)


def read_mlp(path: str | Path) -> tuple[dict, list[tuple[np.ndarray, np.ndarray]]]:
    """The data and float32 weights ``[(W, b), ...]`` of an exported file, as JS reads them."""
    path = Path(path)
    if path.read_bytes()[:4] != MAGIC:
        raise ValueError(f"{path} is not a widget model (no {MAGIC!r} magic): export it again.")
    try:
        header, arrays = read_bundle(path)
        weights = []
        for i, layer in enumerate(header["layers"]):
            W, b = arrays[f"W{i}"], arrays[f"b{i}"]
            if list(W.shape) != layer["shape"] or list(b.shape) != layer["shape"][1:]:
                raise ValueError(f"layer {i} has arrays {W.shape} and {b.shape}")
            weights.append((W.astype(np.float32), b.astype(np.float32)))
    except (ValueError, KeyError) as error:
        raise ValueError(
            f"{path} is not a whole widget model ({error}): export it again."
        ) from None
    return header, weights


def keras_model(path: str | Path):
    """A Keras MLP holding exactly the weights the widget's JavaScript reads from ``path``."""
    from mnist_lessons.models import build_mlp

    header, weights = read_mlp(path)
    hidden = tuple(layer["shape"][1] for layer in header["layers"][:-1])
    model = build_mlp(hidden_units=hidden)
    model.set_weights([array for pair in weights for array in pair])
    return model


# ----------------------------------------------------------------- the CNN ----------

CNN_FILENAME = "mnist-cnn.bin"
CNN_FORMAT = "mnist-lessons widget CNN"
_BATCHNORM_KEYS = ("gamma", "beta", "mean", "variance")  # Keras' order of its four weights


def _not_the_books_cnn(layer, why: str) -> ValueError:
    return ValueError(
        f"The widget runs the book's CNN (mnist_lessons.models.build_cnn); layer "
        f"{layer.name!r} ({type(layer).__name__}) {why}. Export a build_cnn model, with "
        "augmentation layers named augment_* in front if any."
    )


def cnn_arrays(model) -> tuple[dict[str, np.ndarray], dict]:
    """The float32 arrays ``cnn_forward`` reads, and the architecture, of a build_cnn model.

    Layers named ``augment_*`` (random shifts, rotations, ...: the identity at inference) and
    dropout are skipped; every other layer must be one build_cnn makes, in its order.
    """
    arrays: dict[str, np.ndarray] = {}
    filters, epsilon, kernel_size, block = [], None, None, 0
    for layer in model.layers:
        kind, name = type(layer).__name__, layer.name
        if kind in ("InputLayer", "Dropout") or name.startswith("augment"):
            continue
        activation = getattr(getattr(layer, "activation", None), "__name__", None)
        if kind == "Conv2D":
            block += 1
            if name != f"conv_{block}":
                raise _not_the_books_cnn(layer, f"should be named conv_{block}")
            if (
                layer.padding != "same"
                or tuple(layer.strides) != (1, 1)
                or tuple(layer.dilation_rate) != (1, 1)
                or layer.use_bias
                or activation != "linear"
            ):
                raise _not_the_books_cnn(
                    layer, "is not a same-padded, stride-1 convolution without bias"
                )
            (kernel,) = layer.get_weights()
            arrays[name] = kernel  # (k, k, channels in, filters)
            filters.append(int(kernel.shape[-1]))
            kernel_size = int(kernel.shape[0])
        elif kind == "BatchNormalization":
            weights = layer.get_weights()
            if name != f"batchnorm_{block}" or len(weights) != 4:
                raise _not_the_books_cnn(
                    layer, f"should be batchnorm_{block}, with gamma, beta, mean and variance"
                )
            for key, w in zip(_BATCHNORM_KEYS, weights, strict=True):
                arrays[f"{key}_{block}"] = w  # (filters,)
            if epsilon not in (None, float(layer.epsilon)):
                raise _not_the_books_cnn(layer, "has another epsilon than the first block")
            epsilon = float(layer.epsilon)
        elif kind == "Activation":
            if activation != "relu":
                raise _not_the_books_cnn(layer, f"has activation {activation!r}, not relu")
        elif kind == "MaxPooling2D":
            if tuple(layer.pool_size) != (2, 2) or tuple(layer.strides) != (2, 2):
                raise _not_the_books_cnn(layer, "is not a 2x2 max pooling")
        elif kind == "Flatten":
            continue
        elif kind == "Dense" and name == "dense" and activation == "relu":
            arrays["dense_kernel"], arrays["dense_bias"] = layer.get_weights()
        elif kind == "Dense" and name == "probabilities" and activation == "softmax":
            arrays["out_kernel"], arrays["out_bias"] = layer.get_weights()
        else:
            raise _not_the_books_cnn(layer, "is not one of build_cnn's layers")
    if not block or "out_kernel" not in arrays or tuple(model.input_shape[1:]) != (28, 28, 1):
        raise ValueError(
            "Export a CNN that reads a 28x28x1 image, has at least one conv_1 block and ends "
            "in a softmax layer named probabilities, such as build_cnn()."
        )
    architecture = {
        "filters": filters,
        "kernel_size": kernel_size,
        "dense_units": int(arrays["dense_kernel"].shape[1]) if "dense_kernel" in arrays else 0,
        "epsilon": epsilon,
    }
    return arrays, architecture


def export_cnn(model, folder: str | Path, *, meta: dict | None = None) -> Path:
    """Write the book's CNN as float16 into ``folder/mnist-cnn.bin``; return its path.

    The arrays are named as ``explore/math/convolution.js``'s ``cnn_forward`` reads them
    (``conv_i``, ``gamma_i``, ``beta_i``, ``mean_i``, ``variance_i``, ``dense_kernel``,
    ``dense_bias``, ``out_kernel``, ``out_bias``) in Keras' layouts, with the batch
    normalisation's ``epsilon`` in the data; ``meta`` (JSON-ready: name, accuracies) goes into
    the data too, for the page to show. Augmentation layers in front (named ``augment_*``) are
    the identity at inference and are left out.
    """
    arrays, architecture = cnn_arrays(model)
    data = {"format": CNN_FORMAT, "dtype": "float16", **architecture, "meta": meta or {}}
    half = {key: w.astype(np.float16) for key, w in arrays.items()}
    return write_bundle(Path(folder) / CNN_FILENAME, "mnist-cnn", data, half)


def read_cnn(path: str | Path) -> tuple[dict, dict[str, np.ndarray]]:
    """The data and the float32 arrays of an exported CNN file, as the page reads them."""
    path = Path(path)
    if path.read_bytes()[:4] != MAGIC:
        raise ValueError(f"{path} is not a widget model (no {MAGIC!r} magic): export it again.")
    data, arrays = read_bundle(path)
    if data.get("format") != CNN_FORMAT:
        raise ValueError(f"{path} is not a widget CNN ({data.get('format')!r}): export it again.")
    needed = ["out_kernel", "out_bias"]
    for i in range(1, len(data["filters"]) + 1):
        needed += [f"conv_{i}", *(f"{key}_{i}" for key in _BATCHNORM_KEYS)]
    if data["dense_units"]:
        needed += ["dense_kernel", "dense_bias"]
    missing = [key for key in needed if key not in arrays]
    if missing:
        raise ValueError(f"{path} is not a whole widget CNN (no {missing}): export it again.")
    return data, {key: w.astype(np.float32) for key, w in arrays.items()}


def keras_cnn(path: str | Path):
    """A Keras build_cnn holding exactly the float16 weights the page reads from ``path``."""
    from mnist_lessons.models import build_cnn

    data, arrays = read_cnn(path)
    model = build_cnn(
        filters=data["filters"], kernel_size=data["kernel_size"], dense_units=data["dense_units"]
    )
    for i in range(1, len(data["filters"]) + 1):
        model.get_layer(f"conv_{i}").set_weights([arrays[f"conv_{i}"]])
        batchnorm = model.get_layer(f"batchnorm_{i}")
        batchnorm.set_weights([arrays[f"{key}_{i}"] for key in _BATCHNORM_KEYS])
        batchnorm.epsilon = data["epsilon"]
    if data["dense_units"]:
        model.get_layer("dense").set_weights([arrays["dense_kernel"], arrays["dense_bias"]])
    model.get_layer("probabilities").set_weights([arrays["out_kernel"], arrays["out_bias"]])
    return model
