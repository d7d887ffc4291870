"""A Sphinx extension that ships the explorables with the book's site.

Listed in ``_config.yml`` (``sphinx.extra_extensions``), it

- adds this package's ``static/`` folder to the site's static files (``_static/explore/``: the
  framework, the math modules and one module per explorable);
- on a page with an explorable (a ``<div class="explorable">`` that
  :func:`mnist_lessons.explore.explorable` placed), loads ``explore.css`` and ``boot.js`` (an ES
  module, deferred by nature); ``boot.js`` fetches each explorable's own module and bundle when
  the reader reaches it, so other pages load none of them;
- after a successful HTML build, copies the bundles the chapters exported (into
  :func:`~mnist_lessons.explore.export.bundle_dir`, ``_build/explore``) into the site's
  ``_static/explore/data/``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from mnist_lessons.explore import STATIC
from mnist_lessons.explore.export import bundle_dir

_PLACEHOLDER = re.compile(r"""<div\b[^>]*\bclass=["'](?:[^"']*\s)?explorable[\s"']""")


def has_explorable(body: str) -> bool:
    """True if a page's HTML body places an explorable."""
    return _PLACEHOLDER.search(body) is not None


def _add_static_folder(app, config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def _add_files(app, pagename, templatename, context, doctree) -> None:
    if has_explorable(context.get("body", "")):
        app.builder.add_css_file("explore/explore.css")
        app.builder.add_js_file("explore/boot.js", type="module")


def _copy_bundles(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    exported = bundle_dir(app.srcdir)
    if exported is None or not exported.is_dir():
        return
    target = Path(app.outdir) / "_static" / "explore" / "data"
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted([*exported.glob("*.bin"), *exported.glob("*.bin.gz")]):
        shutil.copy2(path, target / path.name)


def setup(app):
    app.connect("config-inited", _add_static_folder)
    app.connect("html-page-context", _add_files, priority=400)
    app.connect("build-finished", _copy_bundles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
