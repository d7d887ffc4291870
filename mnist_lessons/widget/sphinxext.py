"""A Sphinx extension that ships the draw-a-digit widget with the book's site.

Listed in ``_config.yml`` (``sphinx.extra_extensions``), it

- adds this package's ``static/`` folder (``mnist_widget.js`` and ``mnist_widget.css``) to the
  site's static files and loads both on the pages that have a widget, so a chapter only has to
  place a ``<div class="mnist-widget">``; the script is an ES module, deferred (it starts the
  widgets once the page is parsed), and pages without a widget load neither file;
- sets up :mod:`mnist_lessons.explore.sphinxext` too: the script imports the explorables'
  drawing pad (``explore/lib/digits.js``), preprocessing (``explore/math/preprocess.js``) and
  file reader (``explore/lib/bundle.js``), which that extension puts into the site;
- after a successful HTML build, copies the networks the chapters exported during the build
  (into :func:`~mnist_lessons.widget.export.site_static_dir`, that is ``_build/widget``: the
  MLP, and the CNN where the chapter "Other people's digits" is in the book) to
  ``_static/widget/`` of the site, where the widget fetches them, with ``models.json``, the
  list of the files there. The script reads that list before it asks for the CNN, so a book
  built without the CNN's chapter makes no request that fails.

A book without the widget's chapters builds as before: there is then nothing to copy.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from mnist_lessons.widget.export import site_static_dir

STATIC = Path(__file__).with_name("static")
LIST = "models.json"  # the exported files in _static/widget, which the script reads first


def _add_static_folder(app, config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def has_widget(body: str) -> bool:
    """True if a page's HTML body places a draw-a-digit widget."""
    return (
        re.search(r"""<div\b[^>]*\bclass=["'](?:[^"']*\s)?mnist-widget[\s"']""", body) is not None
    )


def _add_widget_files(app, pagename, templatename, context, doctree) -> None:
    """On a page with a widget, load the widget's style sheet and its (deferred) script."""
    if has_widget(context.get("body", "")):
        # The builder's lists are this page's (Sphinx resets them for the next page).
        app.builder.add_css_file("mnist_widget.css")
        # A module runs once the page is parsed, as if deferred; defer says so in the tag.
        app.builder.add_js_file("mnist_widget.js", type="module", defer="defer")


def _copy_exported_network(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    exported = site_static_dir(app.srcdir)
    if not exported.is_dir():
        return
    copy_networks(exported, Path(app.outdir) / "_static" / "widget")


def copy_networks(exported: Path, target: Path) -> list[str]:
    """Copy the exported files into ``target``, and list its networks in ``target/models.json``.

    The list names every ``*.bin`` file of ``target`` afterwards (one exported by an earlier,
    incremental build too), sorted; returns it.
    """
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(exported.iterdir()):
        if path.is_file():
            shutil.copy2(path, target / path.name)
    names = sorted(path.name for path in target.glob("*.bin"))
    (target / LIST).write_text(json.dumps({"models": names}) + "\n", encoding="utf-8")
    return names


def setup(app):
    app.setup_extension("mnist_lessons.explore.sphinxext")
    app.connect("config-inited", _add_static_folder)
    # Before other handlers of the event, which may copy the page's lists of files.
    app.connect("html-page-context", _add_widget_files, priority=400)
    app.connect("build-finished", _copy_exported_network)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
