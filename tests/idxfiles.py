"""Small IDX files for tests, written independently of mnist_lessons.data."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np

# The reference encoder, written independently of mnist_lessons.data (struct, not NumPy).
TYPE_CODES = {np.dtype("u1"): 0x08, np.dtype(">i4"): 0x0C, np.dtype(">f4"): 0x0D}


def idx_encode(array: np.ndarray) -> bytes:
    """The bytes of an IDX file holding ``array``, per LeCun's format description."""
    dtype = array.dtype.newbyteorder(">") if array.dtype.itemsize > 1 else array.dtype
    header = struct.pack(">BBBB", 0, 0, TYPE_CODES[dtype], array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(dtype).tobytes()


def write_idx(path: Path, array: np.ndarray) -> Path:
    """Write ``array`` as an IDX file, gzip-compressed when ``path`` ends in ``.gz``."""
    content = idx_encode(array)
    path.write_bytes(gzip.compress(content, mtime=0) if path.suffix == ".gz" else content)
    return path
