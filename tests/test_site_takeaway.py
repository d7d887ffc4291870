"""The take-away links of every chapter page: Colab, the notebook, the zip, the PDFs.

They live in the theme's launch (rocket) and download menus (``mnist_lessons.takeaway.buttons``).
Every link must lead to a file of the built site, or to the Colab address of a notebook the site
publishes; each has a name a screen reader can say, and the menu opens from the keyboard.
Checks ``_build/html`` or ``$MNIST_LESSONS_SITE_HTML``.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
import yaml
from bs4 import BeautifulSoup
from test_site import HTML, REPO, toc_files

from mnist_lessons.takeaway import buttons, notebooks

SITE = Path(os.environ.get("MNIST_LESSONS_SITE_HTML", HTML))
CONFIG = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
NAMES = {
    "takeaway-colab": "Open in Colab",
    "takeaway-notebook": "Notebook (.ipynb)",
    "takeaway-zip": "All notebooks (.zip)",
    "takeaway-chapter-pdf": "PDF of this chapter",
    "takeaway-book-pdf": "PDF of the book",
}


def built_pages() -> list[str]:
    """The pages of the table of contents that this site has (a small book has a few)."""
    return [doc for doc in toc_files() if (SITE / f"{doc}.html").is_file()]


def takeaway_links(doc: str) -> dict[str, dict]:
    soup = BeautifulSoup((SITE / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
    found = {}
    for label in NAMES:
        links = soup.select(f"a.btn-{label}")
        assert len(links) <= 1, f"{doc}: {label} twice"
        if links:
            link = links[0]
            text = link.select_one(".btn__text-container")
            found[label] = {
                "href": link["href"],
                "name": text.get_text(strip=True) if text else "",
                "alts": [img.get("alt", "") for img in link.find_all("img")],
                "menu": link.find_parent(class_="dropdown")["class"],
            }
    return found


@pytest.mark.site
def test_every_page_has_its_links_and_each_resolves():
    pages = built_pages()
    assert pages, f"no page of the table of contents in {SITE}"
    with_notebook = set(notebooks.chapters(REPO))
    book_pdf = (SITE / buttons.BOOK_PDF).is_file()
    repository = CONFIG["repository"]["url"]
    for doc in pages:
        chapter = doc.rsplit("/", 1)[-1]
        links = takeaway_links(doc)
        expected = set()
        if chapter in with_notebook:
            expected |= {"takeaway-colab", "takeaway-notebook", "takeaway-zip"}
        if book_pdf:
            expected |= {"takeaway-chapter-pdf", "takeaway-book-pdf"}
        if book_pdf or not any(k.endswith("pdf") for k in links):
            assert set(links) == expected, doc
        else:  # PDF links without a book PDF: the LaTeX step failed or did not run
            pytest.fail(f"{doc} links to PDFs, but {buttons.BOOK_PDF} was not built")
        for label, link in links.items():
            assert link["name"] == NAMES[label], (doc, label)
            assert all(alt.strip() for alt in link["alts"]), (doc, label)
            menu = "dropdown-launch-buttons" if label == "takeaway-colab" else "dropdown-"
            assert any(c.startswith(menu) for c in link["menu"]), (doc, label, link["menu"])
            if label == "takeaway-colab":
                assert link["href"] == notebooks.colab_url(repository, chapter)
                assert (SITE / "takeaway" / "notebooks" / f"{chapter}.ipynb").is_file()
                continue
            assert "://" not in link["href"] and not link["href"].startswith("/"), link
            target = (SITE / doc).parent / unquote(link["href"])
            assert target.resolve().is_file(), f"{doc}: {label} -> {link['href']} is missing"


@pytest.mark.site
def test_the_theme_source_notebook_gives_way_to_the_executed_one():
    for doc in built_pages():
        soup = BeautifulSoup((SITE / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
        if soup.select("a.btn-takeaway-notebook"):
            assert not soup.select("a.btn-download-notebook-button"), doc


@pytest.mark.site
@pytest.mark.slow
def test_the_menu_opens_from_the_keyboard_on_a_phone(browser, site_url):
    chapter = next(d for d in built_pages() if d.rsplit("/", 1)[-1] in notebooks.chapters(REPO))
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(f"{site_url}/{chapter}.html", wait_until="networkidle")
    toggle = page.locator(".dropdown-download-buttons > button.dropdown-toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    link = page.get_by_role("link", name="Notebook (.ipynb)")
    link.wait_for(state="visible", timeout=5000)
    box = link.bounding_box()
    assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= 375
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Notebook (.ipynb)"
    context.close()


# --- the extension itself, on a page context like the theme's ---------------------------------


def _theme_buttons() -> list[dict]:
    return [
        {"type": "group", "label": "launch-buttons", "buttons": [{"label": "binder"}]},
        {"type": "group", "label": "download-buttons", "buttons": [
            {"label": "download-notebook-button"}, {"label": "download-source-button"},
            {"label": "download-pdf-button", "text": ".pdf"}]},
    ]  # fmt: skip


def _app(pdf: bool) -> SimpleNamespace:
    return SimpleNamespace(
        builder=SimpleNamespace(format="html"),
        config=SimpleNamespace(html_theme_options={"repository_url": "https://github.com/o/r"}),
        mnist_takeaway={"notebooks": {"neuron"}, "pdf": pdf},
    )


@pytest.mark.parametrize("pdf", [True, False])
def test_the_extension_fills_the_theme_menus(pdf):
    context = {"header_buttons": _theme_buttons(), "pathto": lambda name, resource: f"../{name}"}
    buttons._add_buttons(_app(pdf), "book/neuron", "page.html", context, doctree=object())
    launch, download = (g["buttons"] for g in context["header_buttons"])
    assert [b["label"] for b in launch] == ["takeaway-colab", "binder"]
    assert launch[0]["url"] == notebooks.colab_url("https://github.com/o/r", "neuron")
    labels = [b.get("label") for b in download]
    pdfs = ["takeaway-chapter-pdf", "takeaway-book-pdf"] if pdf else []
    assert labels == ["takeaway-notebook", "takeaway-zip", *pdfs, "download-source-button",
                      "download-pdf-button"]  # fmt: skip
    assert download[0]["url"] == "../takeaway/notebooks/neuron.ipynb"
    assert download[-1]["text"] == ("Print this page" if pdf else ".pdf")


def test_a_page_without_code_gets_only_the_pdfs():
    context = {"header_buttons": _theme_buttons(), "pathto": lambda name, resource: name}
    buttons._add_buttons(_app(True), "book/glossary", "page.html", context, doctree=object())
    launch, download = (g["buttons"] for g in context["header_buttons"])
    assert [b["label"] for b in launch] == ["binder"]
    assert [b["label"] for b in download][:3] == [
        "takeaway-chapter-pdf", "takeaway-book-pdf", "download-notebook-button"]  # fmt: skip
