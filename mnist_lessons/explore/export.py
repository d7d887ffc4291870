"""What an explorable reads in the page: one small binary bundle per explorable, made by the build.

A bundle, ``<name>.bin``, is

=========  ===================================================================================
bytes      what
=========  ===================================================================================
0-3        the magic ``MNX1``
4-7        ``n``: the header's length, an unsigned 32-bit little-endian integer
8-8+n      the header, UTF-8 JSON: ``{"name", "data", "arrays": {key: {dtype, shape, offset}}}``
rest       each array's bytes, little-endian, C order, starting at a multiple of 8 from the start
=========  ===================================================================================

``data`` holds what JSON holds (numbers, strings, lists, dicts); ``arrays`` hold the numbers in
bulk (weights, images), so the page gets typed arrays without parsing text. ``lib/bundle.js``
reads the same format; :func:`read_bundle` is its reference.
"""

from __future__ import annotations

import gzip
import json
import math
import struct
from pathlib import Path

import numpy as np

__all__ = ["DTYPES", "MAGIC", "bundle_dir", "jsonable", "read_bundle", "write_bundle"]

MAGIC = b"MNX1"
# The dtypes a page can read as typed arrays (float16 is decoded into a Float32Array there).
DTYPES = ("float64", "float32", "float16", "int32", "uint32", "int16", "uint16", "int8", "uint8")
_ALIGN = 8


def bundle_dir(start: str | Path | None = None) -> Path | None:
    """``_build/explore`` of the book holding the working folder, or None outside a book.

    The book's folder is the first one at or above ``start`` (default: the working folder) with
    both ``_toc.yml`` and ``_config.yml``. The Sphinx extension
    :mod:`mnist_lessons.explore.sphinxext` copies the bundles from there into the site.
    """
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_toc.yml").is_file() and (folder / "_config.yml").is_file():
            return folder / "_build" / "explore"
    return None


def jsonable(value, *, digits: int = 7):
    """``value`` with NumPy scalars and arrays made into plain numbers and lists.

    Floats are rounded to ``digits`` significant digits (enough for a figure, and a smaller
    file); NaN and infinities, which JSON cannot hold, raise ValueError.
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v, digits=digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v, digits=digits) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist(), digits=digits)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(
                f"{value} cannot go into an explorable's JSON: replace it (None, or a bound) "
                "before exporting, or pass the numbers as an array."
            )
        return float(f"{value:.{digits}g}")
    if value is None or isinstance(value, str):
        return value
    raise ValueError(
        f"An explorable's data holds numbers, strings, lists and dicts, not "
        f"{type(value).__name__}: convert it, or pass NumPy arrays through arrays=."
    )


def write_bundle(
    path: str | Path, name: str, data=None, arrays=None, *, compress: bool = False
) -> Path:
    """Write the bundle of explorable ``name`` to ``path`` (all or nothing); return the path.

    ``compress=True`` gzips it (for bulk data such as digits: the page unzips it with the
    browser's own ``DecompressionStream``); name such a file ``*.bin.gz``.
    """
    arrays = dict(arrays or {})
    header = {"name": name, "data": jsonable(data or {}), "arrays": {}}
    blobs, offset = [], 0
    for key, array in arrays.items():
        array = np.asarray(array)
        if array.dtype.name not in DTYPES:
            raise ValueError(
                f"Array {key!r} of explorable {name!r} is {array.dtype}; a page reads "
                f"{', '.join(DTYPES)}. Convert it with .astype() first."
            )
        raw = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
        header["arrays"][key] = {
            "dtype": array.dtype.name,
            "shape": list(array.shape),
            "offset": offset,
        }
        padding = -len(raw) % _ALIGN
        blobs.append(raw + b"\0" * padding)
        offset += len(raw) + padding
    text = json.dumps(header, separators=(",", ":"), allow_nan=False).encode("utf-8")
    text += b" " * (-(8 + len(text)) % _ALIGN)  # the arrays start on a multiple of 8
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    raw = b"".join([MAGIC, struct.pack("<I", len(text)), text, *blobs])
    tmp.write_bytes(gzip.compress(raw, compresslevel=6, mtime=0) if compress else raw)
    tmp.replace(path)
    return path


def read_bundle(path: str | Path) -> tuple[dict, dict[str, np.ndarray]]:
    """The ``data`` and the arrays of a bundle, as ``lib/bundle.js`` reads them."""
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":  # gzip
        raw = gzip.decompress(raw)
    if raw[:4] != MAGIC:
        raise ValueError(f"{path} is not an explorable's bundle (no {MAGIC!r}): build it again.")
    (n,) = struct.unpack("<I", raw[4:8])
    header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    start = 8 + n
    arrays = {}
    for key, spec in header["arrays"].items():
        dtype = np.dtype(spec["dtype"]).newbyteorder("<")
        count = int(np.prod(spec["shape"], dtype=np.int64))
        end = start + spec["offset"] + count * dtype.itemsize
        if end > len(raw):
            raise ValueError(f"{path} is cut short ({len(raw)} bytes): build it again.")
        flat = np.frombuffer(raw, dtype, count, start + spec["offset"])
        arrays[key] = flat.reshape(spec["shape"]).astype(dtype.newbyteorder("="))
    return header["data"], arrays
