"""mnist_lessons.site.sphinxext: the book's style sheet, icon, colour mode, and no Thebe."""

from __future__ import annotations

from types import SimpleNamespace

from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript

from mnist_lessons.site import sphinxext


def test_configure_adds_the_static_folder_the_icon_and_the_auto_colour_mode():
    config = SimpleNamespace(
        html_static_path=["_static"], templates_path=["t"], html_context={}, html_favicon=None
    )
    sphinxext._configure(None, config)
    assert config.html_static_path == ["_static", str(sphinxext.STATIC)]
    assert config.templates_path == [str(sphinxext.TEMPLATES), "t"]  # ours override the theme's
    assert (sphinxext.TEMPLATES / "search-button-field.html").is_file()
    assert config.html_context["default_mode"] == "auto"
    assert config.html_favicon.endswith("favicon.svg")
    assert (sphinxext.STATIC / "favicon.svg").read_text().startswith("<svg")
    assert "span.pasted-text" in (sphinxext.STATIC / "book.css").read_text()


def test_a_books_own_settings_win():
    config = SimpleNamespace(
        html_static_path=[],
        templates_path=[],
        html_context={"default_mode": "dark"},
        html_favicon="mine.png",
    )
    sphinxext._configure(None, config)
    assert config.html_context["default_mode"] == "dark"
    assert config.html_favicon == "mine.png"


def test_thebe_assets_are_dropped_and_the_rest_kept():
    thebe_config = _JavaScript(None, body='const THEBE_JS_URL = "x"; const thebe_selector = ""')
    context = {
        "script_files": [
            _JavaScript("_static/jquery.js"),
            thebe_config,
            _JavaScript("_static/sphinx-thebe.js", **{"async": "async"}),
            thebe_config,
            _JavaScript("_static/mnist_widget.js"),
        ],
        "css_files": [_CascadingStyleSheet("_static/sphinx-thebe.css"), "_static/book.css"],
    }
    sphinxext._fix_page(None, "page", "page.html", context, None)
    assert [js.filename for js in context["script_files"]] == [
        "_static/jquery.js",
        "_static/mnist_widget.js",
    ]
    assert [getattr(css, "filename", css) for css in context["css_files"]] == ["_static/book.css"]


def test_bibliography_entries_become_list_items():
    context = {
        "body": '<div role="list"><div class="citation" role="doc-biblioentry">x</div></div>'
    }
    sphinxext._fix_page(None, "book/bibliography", "page.html", context, None)
    assert (
        context["body"] == '<div role="list"><div class="citation" role="listitem">x</div></div>'
    )


def test_the_index_redirects_with_a_title_and_a_language(tmp_path):
    app = SimpleNamespace(
        outdir=str(tmp_path),
        builder=SimpleNamespace(format="html"),
        config=SimpleNamespace(root_doc="book/preface", language="en", project="The Book"),
    )
    sphinxext._write_index(app, None)
    page = (tmp_path / "index.html").read_text()
    assert '<html lang="en">' in page and "<title>The Book</title>" in page
    assert 'url=book/preface.html"' in page and 'href="book/preface.html"' in page
    sphinxext._write_index(app, RuntimeError("failed build"))  # nothing happens on failure
