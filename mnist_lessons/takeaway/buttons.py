"""Take-away links on every chapter page, in the theme's own header menus (HTML only).

sphinx-book-theme builds each page's header buttons as a list, ``context["header_buttons"]``,
in ``html-page-context`` handlers of priority 501. This extension runs just after them and adds
to the two menus the page already has:

- the launch menu (the rocket): **Open in Colab**, the chapter's published notebook
  (:func:`mnist_lessons.takeaway.notebooks.colab_url`, from ``repository.url``);
- the download menu: **Notebook (.ipynb)**, the clean executed notebook, in place of the
  theme's copy of the MyST source as a notebook; **All notebooks (.zip)**; **PDF of this
  chapter** and **PDF of the book**.

The notebook and Colab links appear on the chapters that get a notebook
(:func:`mnist_lessons.takeaway.notebooks.chapters`), the PDF links only when this machine can
make the PDFs (``xelatex`` and ``latexmk`` on the PATH). Every link but Colab is relative, so the
site works from any folder; the files are written after the HTML (``make book``).
"""

from __future__ import annotations

from pathlib import Path

from mnist_lessons.takeaway import notebooks
from mnist_lessons.takeaway.pdf import BOOK_PDF as BOOK_PDF_NAME
from mnist_lessons.takeaway.pdf import tex_available

BOOK_PDF = f"takeaway/{BOOK_PDF_NAME}"
CHAPTER_PDF = "takeaway/pdf/{chapter}.pdf"
NOTEBOOK = "takeaway/notebooks/{chapter}.ipynb"
ZIP = "takeaway/notebooks.zip"


def _link(label: str, text: str, tooltip: str, icon: str, url: str) -> dict:
    return {
        "type": "link",
        "label": label,
        "text": text,
        "tooltip": tooltip,
        "icon": icon,
        "url": url,
    }


def _group(buttons: list[dict], label: str) -> dict | None:
    return next((b for b in buttons if b.get("type") == "group" and b.get("label") == label), None)


def takeaway_buttons(chapter: str, *, notebook: bool, pdf: bool, pathto, repository_url: str):
    """``(launch, download)``: the links this chapter's page gets, in the theme's format."""
    launch, download = [], []
    if notebook and repository_url:
        launch.append(
            _link(
                "takeaway-colab",
                "Open in Colab",
                "Open this chapter's notebook in Google Colab",
                "_static/images/logo_colab.png",
                notebooks.colab_url(repository_url, chapter),
            )
        )
    if notebook:
        download.append(
            _link(
                "takeaway-notebook",
                "Notebook (.ipynb)",
                "This chapter as a notebook, executed",
                "fas fa-code",
                pathto(NOTEBOOK.format(chapter=chapter), 1),
            )
        )
        download.append(
            _link(
                "takeaway-zip",
                "All notebooks (.zip)",
                "Every chapter's notebook in one zip",
                "fas fa-file-zipper",
                pathto(ZIP, 1),
            )
        )
    if pdf:
        download.append(
            _link(
                "takeaway-chapter-pdf",
                "PDF of this chapter",
                "This chapter as a PDF",
                "fas fa-file-pdf",
                pathto(CHAPTER_PDF.format(chapter=chapter), 1),
            )
        )
        download.append(
            _link(
                "takeaway-book-pdf",
                "PDF of the book",
                "The whole book as one PDF",
                "fas fa-book",
                pathto(BOOK_PDF, 1),
            )
        )
    return launch, download


def _read_book(app) -> None:
    root = Path(app.srcdir)
    app.mnist_takeaway = {
        "notebooks": set(notebooks.chapters(root)) if (root / "_toc.yml").is_file() else set(),
        "pdf": tex_available(),  # whether this build can make the PDFs
    }


def _add_buttons(app, pagename, templatename, context, doctree) -> None:
    if app.builder.format != "html" or doctree is None or "header_buttons" not in context:
        return
    if not hasattr(app, "mnist_takeaway"):
        _read_book(app)
    found = app.mnist_takeaway
    chapter = pagename.rsplit("/", 1)[-1]
    theme_options = app.config.html_theme_options or {}
    launch, download = takeaway_buttons(
        chapter,
        notebook=chapter in found["notebooks"],
        pdf=found["pdf"],
        pathto=context["pathto"],
        repository_url=theme_options.get("repository_url", ""),
    )
    buttons = context["header_buttons"]
    if launch:
        group = _group(buttons, "launch-buttons")
        if group is None:
            buttons.insert(
                0,
                {
                    "type": "group",
                    "tooltip": "Launch interactive content",
                    "icon": "fas fa-rocket",
                    "buttons": [],
                    "label": "launch-buttons",
                },
            )
            group = buttons[0]
        group["buttons"] = launch + group["buttons"]
    group = _group(buttons, "download-buttons")
    if download and group is not None:
        # The theme's ".ipynb" is the MyST source as a notebook, without outputs: ours replaces it.
        ours = any(b["label"] == "takeaway-notebook" for b in download)
        kept = [
            b
            for b in group["buttons"]
            if not (ours and b.get("label") == "download-notebook-button")
        ]
        for button in kept:  # the theme's ".pdf" prints the page: say so, beside the real PDFs
            if button.get("label") == "download-pdf-button" and found["pdf"]:
                button["text"] = "Print this page"
        group["buttons"] = download + kept


def setup(app):
    app.connect("builder-inited", _read_book)
    app.connect("html-page-context", _add_buttons, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
