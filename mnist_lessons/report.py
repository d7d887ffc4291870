"""Figures the prose and the benchmarks share.

A chapter computes a number once and hands it to :class:`Recorder`, which

1. glues it with myst-nb (``glue(name, value, display=False)``), so the prose can write
   ``{glue:text}`n_train:,``` and show the number this very build computed; and
2. appends it to ``_build/metrics.json`` as ``name -> {"value": ..., "chapter": ...}``, which
   ``make bench`` and the site tests read instead of scraping HTML.

Where ``metrics.json`` goes: the path in ``$MNIST_LESSONS_METRICS`` if set, else
``_build/metrics.json`` beside the book's ``_toc.yml`` found from the working folder upwards
(myst-nb runs each chapter in its own folder under ``book/``). Outside a book nothing is written.

Progress that belongs in the build log but not on the page (one line per epoch of training)
goes through :func:`log`.
"""

from __future__ import annotations

import json
import os
import re
import sys
from numbers import Number
from pathlib import Path

import numpy as np

METRICS_ENV_VAR = "MNIST_LESSONS_METRICS"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def metrics_path(start: str | os.PathLike | None = None) -> Path | None:
    """Where :func:`record` writes, or ``None`` when not run inside the book."""
    if os.environ.get(METRICS_ENV_VAR):
        return Path(os.environ[METRICS_ENV_VAR])
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_toc.yml").is_file() and (folder / "_config.yml").is_file():
            return folder / "_build" / "metrics.json"
    return None


def read_metrics(path: str | os.PathLike) -> dict[str, dict]:
    """Read a ``metrics.json``: ``{name: {"value": ..., "chapter": ...}}``.

    Raises
    ------
    FileNotFoundError
        If there is none (the book has not been built with ``make book``).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No metrics at {path}: build the book first with `make book`.")
    return json.loads(path.read_text(encoding="utf-8"))


def _plain(value):
    """A JSON-ready Python scalar from a Python or NumPy scalar."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | str) or (isinstance(value, Number) and not np.iscomplexobj(value)):
        return value
    raise ValueError(
        f"record() takes a number or a string, got {type(value).__name__}. "
        "Glue tables and figures with myst_nb.glue directly."
    )


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def _glue(name: str, value) -> None:
    """Glue for the book's prose; in a reader's notebook without myst-nb (Colab), nothing."""
    try:
        from myst_nb import glue
    except ModuleNotFoundError:
        return
    glue(name, value, display=False)


def record(name: str, value, *, chapter: str, path: str | os.PathLike | None = None):
    """Glue ``value`` as ``name`` for the prose and store it in ``metrics.json``.

    Parameters
    ----------
    name : str
        A Python identifier, unique in the whole book.
    value : int, float, bool or str
        NumPy scalars are converted to Python ones.
    chapter : str
        The chapter (document name) the figure comes from.
    path : path-like, optional
        The metrics file; default :func:`metrics_path`.

    Returns
    -------
    The plain Python value that was recorded.

    Raises
    ------
    ValueError
        If the name is not an identifier, the value not a scalar, or another chapter has
        recorded the same name.
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"Metric names must be Python identifiers, got {name!r}.")
    value = _plain(value)
    if _in_kernel():
        _glue(name, value)
    path = Path(path) if path is not None else metrics_path()
    if path is not None:
        _store(path, name, value, chapter)
    return value


def _store(path: Path, name: str, value, chapter: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    metrics = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    previous = metrics.get(name)
    if previous is not None and previous["chapter"] != chapter:
        raise ValueError(
            f"Metric {name!r} is already recorded by chapter {previous['chapter']!r}; "
            "metric names must be unique in the book, so choose another name."
        )
    metrics[name] = {"value": value, "chapter": chapter}
    # Write a sibling file and rename it over the old one: a reader never sees half a file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(metrics, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


class Recorder:
    """:func:`record` with the chapter filled in: ``record = Recorder("mnist_dataset")``."""

    def __init__(self, chapter: str, path: str | os.PathLike | None = None):
        self.chapter = chapter
        self.path = path

    def __call__(self, name: str, value):
        return record(name, value, chapter=self.chapter, path=self.path)


def log(message: str) -> None:
    """Write one line of progress to the build log, keeping it off the rendered page.

    In a Jupyter kernel, ``sys.stderr`` is sent to the notebook (and a book build fails on
    stderr output), so the line goes to the kernel's own terminal instead: the file descriptor
    ipykernel keeps for it, which ``jupyter-book build`` prints in its log. Elsewhere (a script,
    a test) the line goes to ``sys.stderr``.
    """
    line = str(message).rstrip("\n") + "\n"
    fd = getattr(sys.stderr, "_original_stdstream_copy", None)
    if isinstance(fd, int):
        os.write(fd, line.encode("utf-8", errors="replace"))
    else:
        sys.stderr.write(line)
        sys.stderr.flush()
