"""A Sphinx extension that ships the draw-a-digit widget with the book's site.

Listed in ``_config.yml`` (``sphinx.extra_extensions``), it

- adds this package's ``static/`` folder (``mnist_widget.js`` and ``mnist_widget.css``) to the
  site's static files and loads both on every page, so a chapter only has to place a
  ``<div class="mnist-widget">``;
- after a successful HTML build, copies the network a chapter exported during the build (into
  :func:`~mnist_lessons.widget.export.site_static_dir`, that is ``_build/widget``) to
  ``_static/widget/`` of the site, where the widget fetches it.

A book without the widget's chapters builds as before: there is then nothing to copy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mnist_lessons.widget.export import site_static_dir

STATIC = Path(__file__).with_name("static")


def _add_static_folder(app, config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def _copy_exported_network(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    exported = site_static_dir(app.srcdir)
    if not exported.is_dir():
        return
    target = Path(app.outdir) / "_static" / "widget"
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(exported.iterdir()):
        if path.is_file():
            shutil.copy2(path, target / path.name)


def setup(app):
    app.connect("config-inited", _add_static_folder)
    app.add_js_file("mnist_widget.js")
    app.add_css_file("mnist_widget.css")
    app.connect("build-finished", _copy_exported_network)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
