"""The IDX file format, in which MNIST is distributed (LeCun et al.).

An IDX file is a 4-byte magic number ``0x00 0x00 type ndim``, then ``ndim`` big-endian
``uint32`` sizes, then the data in C order. MNIST's images have magic number 2051 (unsigned
bytes, 3 dimensions) and its labels 2049 (unsigned bytes, 1 dimension). Files may be
gzip-compressed (``.gz``). NumPy only.
"""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import numpy as np

IMAGE_MAGIC = 2051  # 0x00000803: unsigned bytes, 3 dimensions (count, rows, columns)
LABEL_MAGIC = 2049  # 0x00000801: unsigned bytes, 1 dimension (count)
# IDX type codes (third byte of the magic number) and the NumPy dtypes they stand for.
_IDX_DTYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
BAD_FILE_HINT = (
    "Copy the file again from a good source, or delete it and unset MNIST_LESSONS_DATA to "
    "let load_mnist() download a verified copy."
)


def _read_bytes(path: Path) -> bytes:
    """Return the uncompressed content of ``path`` (gunzipped if it ends in ``.gz``)."""
    raw = path.read_bytes()
    if path.suffix != ".gz":
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as err:
        raise ValueError(
            f"{path} is not a complete gzip file ({err}): it is truncated or corrupted. "
            + BAD_FILE_HINT
        ) from err


def parse_idx(content: bytes, name: str = "<bytes>") -> np.ndarray:
    """Parse the bytes of one IDX file into an array.

    The IDX format (LeCun et al.) is a 4-byte magic number ``0x00 0x00 type ndim``, then
    ``ndim`` big-endian ``uint32`` sizes, then the data in C order.

    Parameters
    ----------
    content : bytes
        The uncompressed file content.
    name : str
        The file's name, used in error messages.

    Returns
    -------
    numpy.ndarray
        A writable array of shape ``sizes`` in native byte order.

    Raises
    ------
    ValueError
        If the magic number is not an IDX one, or the data is shorter (truncated) or longer
        than the header says.
    """
    if len(content) < 4:
        raise ValueError(f"{name} is truncated: {len(content)} bytes, not even an IDX header.")
    zero, type_code, ndim = int.from_bytes(content[:2], "big"), content[2], content[3]
    if zero != 0 or type_code not in _IDX_DTYPES or ndim == 0:
        magic = int.from_bytes(content[:4], "big")
        raise ValueError(f"{name} has magic number {magic}, which is not an IDX file's.")
    header_size = 4 + 4 * ndim
    if len(content) < header_size:
        raise ValueError(f"{name} is truncated inside its header ({len(content)} bytes).")
    shape = tuple(int.from_bytes(content[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = _IDX_DTYPES[type_code]
    expected = header_size + int(np.prod(shape)) * dtype.itemsize
    if len(content) < expected:
        raise ValueError(
            f"{name} is truncated: {len(content):,} bytes where its header {shape} "
            f"needs {expected:,}."
        )
    if len(content) > expected:
        raise ValueError(
            f"{name} has {len(content) - expected:,} bytes after the {shape} data its header "
            "announces: it is not a valid IDX file."
        )
    data = np.frombuffer(content, dtype=dtype, offset=header_size).reshape(shape)
    return data.astype(dtype.newbyteorder("="), copy=True)


def read_idx(path: str | os.PathLike, expected_magic: int | None = None) -> np.ndarray:
    """Read one IDX file, gzip-compressed (``.gz``) or not.

    Parameters
    ----------
    path : path-like
        The file.
    expected_magic : int, optional
        If given, the magic number the file must have: 2051 for MNIST images, 2049 for labels.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If it is truncated, not gzip though named ``.gz``, or has the wrong magic number.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No IDX file at {path}.")
    content = _read_bytes(path)
    if expected_magic is not None and len(content) >= 4:
        magic = int.from_bytes(content[:4], "big")
        if magic != expected_magic:
            raise ValueError(
                f"{path} has magic number {magic}, but an MNIST "
                f"{'image' if expected_magic == IMAGE_MAGIC else 'label'} file has "
                f"{expected_magic}: is it the right file? " + BAD_FILE_HINT
            )
    try:
        return parse_idx(content, name=str(path))
    except ValueError as err:
        raise ValueError(f"{err} {BAD_FILE_HINT}") from None


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode a ``uint8`` array as the bytes of an IDX file (the inverse of :func:`parse_idx`)."""
    array = np.ascontiguousarray(array)
    if array.dtype != np.uint8:
        raise ValueError(f"idx_bytes() writes uint8 arrays only, not {array.dtype}.")
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(
        int(n).to_bytes(4, "big") for n in array.shape
    )
    return header + array.tobytes()
