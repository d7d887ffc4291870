"""A Sphinx extension that adds the book's style sheet, ``static/book.css``, to every page.

Listed in ``_config.yml`` (``sphinx.extra_extensions``). The rules there:

- numbers the build glued into the prose (myst-nb's ``span.pasted-text``, bold by default) read
  as prose;
- a display equation wider than the column scrolls sideways inside its own box, with a shadow
  at the side where more of it is hidden, instead of being cut off.
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).with_name("static")


def _add_static_folder(app, config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app):
    app.connect("config-inited", _add_static_folder)
    app.add_css_file("book.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
