"""Load, check and prepare MNIST: the chapter "The MNIST dataset".

NumPy arrays only; this module never imports TensorFlow.

Where :func:`load_mnist` reads from, in order:

1. the four original IDX files (``.gz`` or uncompressed) in ``data_dir``;
2. else the four IDX files in the folder named by the environment variable
   ``MNIST_LESSONS_DATA``;
3. else Keras' ``mnist.npz``, downloaded once into a user cache with :mod:`pooch`, which checks
   its SHA-256 and moves the file into place only once it is complete.

Whatever the source, every array is checked against the SHA-256 of the canonical, uncompressed
IDX file, so a corrupted or truncated copy raises an error that names the file and says what to
do; it never loads silently.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from pathlib import Path

import numpy as np

from mnist_lessons.idx import BAD_FILE_HINT, IMAGE_MAGIC, LABEL_MAGIC, idx_bytes, read_idx

ENV_VAR = "MNIST_LESSONS_DATA"

# The four files of the MNIST database, by role, with the SHA-256 of their *uncompressed*
# content (the canonical bytes; LeCun, Cortes & Burges).
IDX_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
CANONICAL_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
# Keras' own copy of the same arrays (keras/src/datasets/mnist.py).
MNIST_NPZ_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
MNIST_NPZ_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def _check_canonical(role: str, array: np.ndarray, where: str) -> None:
    """Raise ``ValueError`` unless ``array`` is byte for byte the canonical MNIST ``role``."""
    name = IDX_FILES[role]
    digest = hashlib.sha256(idx_bytes(array)).hexdigest()
    if digest != CANONICAL_SHA256[name]:
        raise ValueError(
            f"{where} does not hold the canonical MNIST {name}: its SHA-256 is {digest}, "
            f"expected {CANONICAL_SHA256[name]}. The file is corrupted or is another data set. "
            + BAD_FILE_HINT
        )


# --- finding the data ---------------------------------------------------------------------


def find_idx_files(data_dir: str | os.PathLike) -> dict[str, Path]:
    """Return the path of each of the four IDX files in ``data_dir``, by role (``x_train``...).

    An uncompressed file is preferred to its ``.gz`` twin.

    Raises
    ------
    FileNotFoundError
        If the folder or any of the four files is missing.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise FileNotFoundError(
            f"MNIST folder {data_dir} does not exist. Pass data_dir= or set {ENV_VAR} to the "
            "folder holding the four IDX files, or unset it to download MNIST."
        )
    found, missing = {}, []
    for role, name in IDX_FILES.items():
        for candidate in (data_dir / name, data_dir / f"{name}.gz"):
            if candidate.is_file():
                found[role] = candidate
                break
        else:
            missing.append(name)
    if missing:
        raise FileNotFoundError(
            f"MNIST folder {data_dir} lacks {', '.join(f'{m}[.gz]' for m in missing)}. "
            "Put the four original IDX files there (gzip-compressed or not), "
            f"or unset {ENV_VAR} to download MNIST."
        )
    return found


def default_cache_dir() -> Path:
    """The user cache folder that downloads go to (for example ``~/.cache/mnist_lessons``)."""
    import pooch

    return Path(pooch.os_cache("mnist_lessons"))


def download_mnist(
    cache_dir: str | os.PathLike | None = None,
    *,
    url: str = MNIST_NPZ_URL,
    sha256: str = MNIST_NPZ_SHA256,
    timeout: float = 60.0,
) -> Path:
    """Download ``mnist.npz`` once into ``cache_dir`` and return its path.

    :mod:`pooch` writes to a temporary file, checks its SHA-256, and only then moves it into
    place, so a failed or corrupted download leaves no partial file in the cache. A cached file
    whose hash no longer matches is downloaded again.

    Raises
    ------
    ConnectionError
        If the file cannot be fetched (no network, server error).
    ValueError
        If the downloaded file's SHA-256 is not ``sha256``.
    """
    import pooch
    import requests

    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    # pooch announces downloads on stderr, which a book build treats as a failure; say it on
    # stdout instead, and only when a download is actually due.
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel("WARNING")
    if not (cache_dir / "mnist.npz").is_file():
        print(f"Downloading MNIST (11 MB) from {url} into {cache_dir} (once).", flush=True)
    try:
        path = pooch.retrieve(
            url=url,
            known_hash=f"sha256:{sha256}",
            fname="mnist.npz",
            path=cache_dir,
            downloader=pooch.HTTPDownloader(timeout=timeout),
        )
    except requests.exceptions.RequestException as err:
        raise ConnectionError(
            f"Could not download MNIST from {url} ({type(err).__name__}: {err}). No local copy "
            f"was given either: set {ENV_VAR} to a folder holding the four original IDX files "
            "(or pass data_dir=), or connect to the internet and try again."
        ) from err
    except ValueError as err:
        raise ValueError(
            f"The MNIST file downloaded from {url} is corrupted ({err}); nothing was saved in "
            f"{cache_dir}. Try again later, or set {ENV_VAR} to a folder with the IDX files."
        ) from err
    finally:
        logger.setLevel(level)
    return Path(path)


def _load_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {role: npz[role] for role in IDX_FILES}
    except (OSError, KeyError, ValueError, zlib.error) as err:
        raise ValueError(
            f"{path} is not a readable mnist.npz ({err}). Delete it and call load_mnist() "
            "again to download a fresh copy."
        ) from err


# --- the public loader --------------------------------------------------------------------


def load_mnist(
    data_dir: str | os.PathLike | None = None,
    *,
    cache_dir: str | os.PathLike | None = None,
    url: str = MNIST_NPZ_URL,
    sha256: str = MNIST_NPZ_SHA256,
):
    """Load MNIST as ``(x_train, y_train), (x_test, y_test)``, like ``keras.datasets.mnist``.

    Parameters
    ----------
    data_dir : path-like, optional
        Folder with the four original IDX files, ``.gz`` or uncompressed. Defaults to the
        folder named by ``$MNIST_LESSONS_DATA``; if neither is set, MNIST is downloaded once
        into ``cache_dir`` (default: :func:`default_cache_dir`).
    cache_dir : path-like, optional
        Where the download is cached.
    url, sha256 : str
        The download's address and the SHA-256 of the file there (Keras' ``mnist.npz``).

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        ``uint8`` arrays of shapes ``(60000, 28, 28)``, ``(60000,)``, ``(10000, 28, 28)`` and
        ``(10000,)``; pixels are 0 (background) to 255 (ink), labels 0 to 9.

    Raises
    ------
    FileNotFoundError
        If the folder, or one of its files, is missing.
    ValueError
        If a file is truncated, has the wrong magic number, or is not byte for byte the
        canonical MNIST.
    ConnectionError
        If there is no local copy and the download fails.
    """
    if data_dir is None:
        data_dir = os.environ.get(ENV_VAR) or None
    arrays = {}
    if data_dir is not None:
        for role, path in find_idx_files(data_dir).items():
            magic = IMAGE_MAGIC if role.startswith("x") else LABEL_MAGIC
            arrays[role] = read_idx(path, expected_magic=magic)
            _check_canonical(role, arrays[role], where=str(path))
    else:
        path = download_mnist(cache_dir, url=url, sha256=sha256)
        arrays = _load_npz(path)
        for role, array in arrays.items():
            _check_canonical(role, array, where=f"{path} [{role}]")
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


# --- preparing the arrays for a network ----------------------------------------------------


def scale(x: np.ndarray) -> np.ndarray:
    """Scale raw pixels to ``float32`` in ``[0, 1]``.

    .. math:: x' = x / 255

    Raises
    ------
    ValueError
        If ``x`` is not ``uint8`` (for example, images that were scaled already).
    """
    x = np.asarray(x)
    if x.dtype != np.uint8:
        raise ValueError(
            f"scale() expects raw uint8 pixels (0 to 255), got {x.dtype}: were the images "
            "scaled already? Scale the arrays that load_mnist() returns, once."
        )
    return x.astype(np.float32) / np.float32(255.0)


def flatten(x: np.ndarray) -> np.ndarray:
    """Flatten images ``(n, 28, 28)`` to rows ``(n, 784)``, row by row (C order)."""
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(
            f"flatten() expects a stack of images shaped (n, height, width), got {x.shape}. "
            "For one image, pass image[None]."
        )
    return x.reshape(len(x), -1)  # (n, 784)


def shift(images: np.ndarray, rows: int = 0, cols: int = 0) -> np.ndarray:
    """Move the content of every image ``rows`` pixels down and ``cols`` pixels right.

    Pixels pushed past the border are lost; the strip that opens on the other side is filled
    with zeros (background). Negative values move up or left.

    Parameters
    ----------
    images : array, shape (n, height, width)
    rows, cols : int
        The shift in pixels; each must be smaller than the image along its axis.

    Returns
    -------
    numpy.ndarray
        A new array of the same shape and dtype.
    """
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(
            f"shift() expects a stack of images shaped (n, height, width), got {images.shape}. "
            "For one image, pass image[None]."
        )
    height, width = images.shape[1:]
    if not (abs(int(rows)) < height and abs(int(cols)) < width):
        raise ValueError(
            f"A shift of ({rows}, {cols}) pixels moves everything off a {height} by {width} "
            "image: shift by less than the image's size."
        )
    out = np.zeros_like(images)  # (n, height, width)
    target = np.s_[:, max(rows, 0) : height + min(rows, 0), max(cols, 0) : width + min(cols, 0)]
    source = np.s_[
        :, max(-rows, 0) : height + min(-rows, 0), max(-cols, 0) : width + min(-cols, 0)
    ]
    out[target] = images[source]
    return out


def check_labels(labels, num_classes: int = 10, name: str = "labels") -> np.ndarray:
    """Return ``labels`` as an array, checked to be class indices ``0 .. num_classes - 1``.

    Raises
    ------
    ValueError
        If ``labels`` is empty, not 1-D, not integers (probabilities or one-hot rows, say), or
        out of range; the message names the argument ``name``.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.size == 0 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"{name} must be a non-empty 1-D array of integer labels, got shape {labels.shape} "
            f"and dtype {labels.dtype}. Pass the class indices (y_train), not one-hot rows "
            "or probabilities."
        )
    if labels.min() < 0 or labels.max() >= num_classes:
        raise ValueError(
            f"{name} must lie in 0..{num_classes - 1}, found {labels.min()}..{labels.max()}."
        )
    return labels


def one_hot(labels: np.ndarray, num_classes: int = 10) -> np.ndarray:
    """Encode integer labels as one-hot rows.

    .. math:: Y_{ik} = 1 \\text{ if } y_i = k \\text{ else } 0

    Parameters
    ----------
    labels : array of int, shape (n,)
        Class indices in ``0 .. num_classes - 1``.
    num_classes : int
        Length of each row.

    Returns
    -------
    numpy.ndarray
        ``float32`` array of shape ``(n, num_classes)``; row ``i`` has its 1 at ``labels[i]``.
    """
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 1:
        raise ValueError(f"num_classes must be a positive integer, got {num_classes!r}.")
    labels = check_labels(labels, num_classes)
    encoded = np.zeros((len(labels), num_classes), dtype=np.float32)  # (n, num_classes)
    encoded[np.arange(len(labels)), labels] = 1.0
    return encoded
