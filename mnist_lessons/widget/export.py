"""The trained MLP as one small static file that the in-page widget reads with plain JavaScript.

The file, ``mnist-mlp.bin``, is a bundle in the explorables' format
(:mod:`mnist_lessons.explore.export`, read in the page by ``explore/lib/bundle.js``, the same
reader every explorable uses): its JSON ``data`` names the layers in order (name, shape,
activation) with ``dtype`` and ``meta``, and its arrays ``W0, b0, W1, b1, ...`` hold each
layer's kernel (n_in x n_out) and bias (n_out) as IEEE 754 half-precision floats (float16).

Half precision halves the 940 KB of the 235,146 float32 parameters to 470 KB. The JavaScript
decodes the same float16 values, so the reference it is tested against is the Keras MLP with
these rounded weights (:func:`keras_model`), not the float32 original.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mnist_lessons.explore.export import MAGIC, read_bundle, write_bundle

__all__ = [
    "FILENAME",
    "MAGIC",
    "export_mlp",
    "keras_model",
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
    without it.
    """
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_toc.yml").is_file() and (folder / "_config.yml").is_file():
            return folder / "_build" / "widget"
    raise FileNotFoundError(
        f"No book (a folder with _toc.yml and _config.yml) at or above {here}: export from a "
        "chapter of the book, or pass the folder to write to."
    )


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
