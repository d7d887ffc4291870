"""Explorables: figures in the page that the reader moves, fed by files this build exports.

A chapter places one with a single call, right after the static figure it animates (which
stays, for print)::

    from mnist_lessons.explore import explorable
    explorable("optimizer-paths", title="Optimizers on the three surfaces",
               data={"eta": 0.01, "steps": 200}, arrays={"grid": grid})

That writes the explorable's bundle (:mod:`~mnist_lessons.explore.export`) into the book's
``_build/explore`` and shows a ``<div class="explorable">`` that the page's ``boot.js`` turns into
the figure: it imports ``static/explore/explorables/<name>.js`` and fetches the bundle when the
reader scrolls near it or touches it. :mod:`~mnist_lessons.explore.sphinxext` copies the bundles
into the site and loads the script only on pages that have an explorable.

Python decides, JavaScript displays: anything that needs training is trained in the build; the
page only computes what is cheap, with math modules (``static/explore/math``) that mirror
:mod:`mnist_lessons.scratch` and are tested against it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from mnist_lessons.explore.export import bundle_dir, read_bundle, write_bundle

__all__ = ["STATIC", "Explorable", "explorable", "read_bundle", "write_bundle"]

STATIC = Path(__file__).with_name("static")
MODULES = STATIC / "explore" / "explorables"
_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
FALLBACK = (
    "This interactive figure runs in the book's web pages, with JavaScript; the figure above "
    "shows its first view."
)


class Explorable:
    """What :func:`explorable` returns: the placeholder the page's script turns into the figure.

    In the book's HTML it is the ``<div class="explorable">``; in a notebook (Jupyter, Binder)
    or a PDF, where the page's scripts do not run, a sentence that says where to find it.
    """

    def __init__(self, name: str, title: str, path: Path | None, limit_kb: int = 300):
        self.name, self.title, self.path, self.limit_kb = name, title, path, limit_kb
        self.nbytes = path.stat().st_size if path is not None else 0

    def _repr_html_(self) -> str:
        title = html.escape(self.title)
        return (
            f'<div class="explorable" id="explorable-{self.name}" '
            f'data-explorable="{self.name}" data-bytes="{self.nbytes}" '
            f'data-limit="{self.limit_kb * 1000}" role="group" '
            f'aria-label="Interactive figure: {title}">'
            f'<p class="explorable-title">Interactive figure: {title}</p>'
            f'<p class="explorable-fallback">{html.escape(FALLBACK)}</p></div>'
        )

    def __repr__(self) -> str:
        return f"Interactive figure in the online book: {self.title}"


def explorable(
    name: str,
    *,
    title: str,
    data: dict | None = None,
    arrays: dict | None = None,
    limit_kb: int = 300,
    folder: str | Path | None = None,
) -> Explorable:
    """Export explorable ``name``'s bundle for the site and return its placeholder.

    Parameters
    ----------
    name : str
        Lowercase words joined by dashes, unique in the book; also the name of its module,
        ``static/explore/explorables/<name>.js``.
    title : str
        What the figure shows, for the reader and for screen readers.
    data : dict, optional
        JSON-ready settings and small numbers (NumPy scalars and small arrays become lists).
    arrays : dict of numpy.ndarray, optional
        Bulk numbers (weights, images), stored as binary and read as typed arrays.
    limit_kb : int
        The most the bundle may weigh: 300 KB, or 600 KB for one that runs a trained network.
    folder : path, optional
        Where to write the bundle; default: the book's ``_build/explore``. Outside a book (a
        notebook of its own) nothing is written and the placeholder says so.
    """
    if not isinstance(name, str) or _NAME.fullmatch(name) is None:
        raise ValueError(
            f"An explorable's name is lowercase words joined by dashes, like 'optimizer-paths'; "
            f"got {name!r}."
        )
    if not (MODULES / f"{name}.js").is_file():
        raise ValueError(
            f"No script for explorable {name!r}: write mnist_lessons/explore/static/explore/"
            f"explorables/{name}.js (see the README's 'Adding an explorable')."
        )
    if not isinstance(title, str) or not title.strip():
        raise ValueError("Give the explorable a title= that says what the figure shows.")
    if not 0 < limit_kb <= 600:
        raise ValueError(f"limit_kb is at most 600 (the issue's budget), not {limit_kb}.")
    target = Path(folder) if folder is not None else bundle_dir()
    if target is None:
        return Explorable(name, title, None, limit_kb)
    path = write_bundle(Path(target) / f"{name}.bin", name, data, arrays)
    size = path.stat().st_size
    if size > limit_kb * 1000:
        path.unlink()
        raise ValueError(
            f"Explorable {name!r} exports {size / 1000:.0f} KB, over its {limit_kb} KB: send "
            "fewer or smaller arrays (uint8 images, float16 weights), or raise limit_kb to at "
            "most 600 if it runs a trained network in the page."
        )
    return Explorable(name, title, path, limit_kb)
