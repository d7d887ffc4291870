"""The trained MLP as one small static file that the in-page widget reads with plain JavaScript.

The file, ``mnist-mlp.bin``, is

=======  =====================================================================
bytes    what
=======  =====================================================================
0-3      the magic ``MNW1``
4-7      ``n``: the length of the header, an unsigned 32-bit little-endian int
8-8+n    the header, UTF-8 JSON: the layers (name, shape, activation) in order
rest     per layer, the kernel (n_in x n_out, row-major) then the bias (n_out),
         as IEEE 754 half-precision floats (float16), little-endian
=======  =====================================================================

Half precision halves the 940 KB of the 235,146 float32 parameters to 470 KB. The JavaScript
decodes the same float16 values, so the reference it is tested against is the Keras MLP with
these rounded weights (:func:`keras_model`), not the float32 original.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np

__all__ = [
    "FILENAME",
    "MAGIC",
    "export_mlp",
    "keras_model",
    "read_mlp",
    "site_static_dir",
]

MAGIC = b"MNW1"
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

    ``meta`` (JSON-ready) goes into the header too, for the page to show.
    """
    layers = _dense_layers(model)
    header = {
        "format": "mnist-lessons widget MLP",
        "dtype": "float16",
        "layers": [
            {"name": d["name"], "activation": d["activation"], "shape": list(d["W"].shape)}
            for d in layers
        ],
        "meta": meta or {},
    }
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    parts = [MAGIC, struct.pack("<I", len(text)), text]
    for d in layers:
        parts.append(d["W"].astype("<f2").tobytes(order="C"))  # (n_in, n_out), row-major
        parts.append(d["b"].astype("<f2").tobytes())  # (n_out,)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILENAME
    tmp = folder / f".{FILENAME}.tmp"
    tmp.write_bytes(b"".join(parts))
    tmp.replace(path)
    return path


def read_mlp(path: str | Path) -> tuple[dict, list[tuple[np.ndarray, np.ndarray]]]:
    """The header and float32 weights ``[(W, b), ...]`` of an exported file, as JS reads them."""
    data = Path(path).read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"{path} is not a widget model (no {MAGIC!r} magic): export it again.")
    (n,) = struct.unpack("<I", data[4:8])
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    weights, at = [], 8 + n
    size = at + sum(2 * (s[0] * s[1] + s[1]) for s in (lay["shape"] for lay in header["layers"]))
    if size != len(data):
        raise ValueError(f"{path} has {len(data)} bytes, not {size}: export it again.")
    for layer in header["layers"]:
        n_in, n_out = layer["shape"]
        W = np.frombuffer(data, "<f2", n_in * n_out, at).reshape(n_in, n_out)
        at += 2 * n_in * n_out
        b = np.frombuffer(data, "<f2", n_out, at)
        at += 2 * n_out
        weights.append((W.astype(np.float32), b.astype(np.float32)))
    return header, weights


def keras_model(path: str | Path):
    """A Keras MLP holding exactly the weights the widget's JavaScript reads from ``path``."""
    from mnist_lessons.models import build_mlp

    header, weights = read_mlp(path)
    hidden = tuple(layer["shape"][1] for layer in header["layers"][:-1])
    model = build_mlp(hidden_units=hidden)
    model.set_weights([array for pair in weights for array in pair])
    return model
