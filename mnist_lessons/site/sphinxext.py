"""A Sphinx extension that adds the book's style sheet, ``static/book.css``, to every page.

Listed in ``_config.yml`` (``sphinx.extra_extensions``). The rules there:

- numbers the build glued into the prose (myst-nb's ``span.pasted-text``, bold by default) read
  as prose;
- a display equation wider than the column scrolls sideways inside its own box, with a shadow
  at the side where more of it is hidden, instead of being cut off.

It also gives the site its icon (``static/favicon.svg``), sets the theme's colour mode to
"auto" by default (the theme otherwise logs "Got invalid theme mode" on a reader's first visit),
and drops sphinx-thebe's files from every page: Jupyter Book 1.x always loads that extension,
the book has no Thebe button (its chapters run on Binder), and Jupyter Book 1.0.4 adds Thebe's
inline configuration twice, so every page threw "Identifier 'THEBE_JS_URL' has
already been declared" on load.
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).with_name("static")
TEMPLATES = Path(__file__).with_name("templates")


def _configure(app, config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]
    # Our templates first: they override the theme's components of the same name.
    config.templates_path = [str(TEMPLATES), *config.templates_path]
    # A reader's first visit follows the system's colour scheme. Without a default the theme
    # starts from "" and logs "Got invalid theme mode" on every page of a fresh browser.
    config.html_context = {"default_mode": "auto", **config.html_context}
    # The book's icon (a handwritten 7) in the browser's tab, instead of a 404 for favicon.ico.
    if not config.html_favicon:
        config.html_favicon = str(STATIC / "favicon.svg")


def _is_thebe(asset) -> bool:
    filename = getattr(asset, "filename", asset) or ""
    body = getattr(asset, "attributes", {}).get("body", "")
    return "sphinx-thebe" in str(filename) or "THEBE_JS_URL" in body


def _fix_page(app, pagename, templatename, context, doctree) -> None:
    """Drop Thebe's files; give the bibliography's entries the role their list requires."""
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not _is_thebe(asset)]
    if "body" in context:
        # docutils marks each entry of a role="list" with the deprecated DPUB role
        # doc-biblioentry, which is not a list item: screen readers lose the list.
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


REDIRECT = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
</head>
<body>
<p>{title} starts at <a href="{target}">its first page</a>.</p>
</body>
</html>
"""


def _write_index(app, exception) -> None:
    """The site's index.html: a redirect to the first page with a title and a language.

    Jupyter Book's own (sphinx-external-toc's) is a bare ``<meta>`` line, which a screen reader
    announces as an untitled page in no language; it writes one only where none exists.
    """
    if exception is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    target = f"{app.config.root_doc}.html"
    text = REDIRECT.format(
        lang=app.config.language or "en", title=app.config.project, target=target
    )
    (Path(app.outdir) / "index.html").write_text(text, encoding="utf-8")


def setup(app):
    app.connect("build-finished", _write_index, priority=400)  # before Jupyter Book's own
    app.connect("config-inited", _configure)
    app.connect("html-page-context", _fix_page)
    app.add_css_file("book.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
