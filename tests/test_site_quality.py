"""Published-site quality gates on _build/html: links, third-party loads, metadata, apparatus.

- every internal link and anchor on every page resolves;
- no page pulls a script, style sheet, font or image from another server (MathJax is served by
  the site itself), and no style sheet the site ships does;
- every page has a title and a description for search engines and link previews;
- every chapter has numbered figures and equations, and at least two exercises with solutions,
  at least one of them with code that ran in the build.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from test_site import CHAPTERS, HTML, PAGES, page

pytestmark = pytest.mark.site

SITE_PAGES = sorted(
    p for p in HTML.rglob("*.html") if not p.relative_to(HTML).parts[0].startswith("_")
)


@cache
def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def ids_of(path: Path) -> set[str]:
    soup = soup_of(path)
    return {tag["id"] for tag in soup.find_all(id=True)} | {
        tag["name"] for tag in soup.find_all("a", attrs={"name": True})
    }


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def test_the_site_has_pages():
    assert len(SITE_PAGES) >= len(PAGES)


@pytest.mark.parametrize("path", SITE_PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_every_internal_link_and_anchor_resolves(path):
    broken = []
    for link in soup_of(path).find_all("a", href=True):
        href = link["href"]
        if is_external(href) or href.startswith(("mailto:", "javascript:")):
            continue
        parts = urlsplit(href)
        target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{href} (no file {target})")
        elif parts.fragment and target.suffix == ".html":
            if unquote(parts.fragment) not in ids_of(target):
                broken.append(f"{href} (no anchor #{parts.fragment} in {target.name})")
    assert not broken, f"{path.relative_to(HTML)} has broken links: {broken}"


RESOURCE_ATTRIBUTES = {
    "script": "src",
    "link": "href",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
}


@pytest.mark.parametrize("path", SITE_PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_no_page_loads_anything_from_another_server(path):
    outside = []
    for tag, attribute in RESOURCE_ATTRIBUTES.items():
        for element in soup_of(path).find_all(tag, attrs={attribute: True}):
            if tag == "link" and not {"stylesheet", "preload", "icon", "modulepreload"} & set(
                element.get("rel", [])
            ):
                continue  # a link to another page (rel="next", "canonical"...) loads nothing
            if is_external(element[attribute]):
                outside.append(f"<{tag} {attribute}={element[attribute]}>")
    # Inline styles and scripts can fetch too: @import/url() to another host.
    for block in soup_of(path).find_all(["style", "script"]):
        outside += re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]+\)", block.get_text())
    assert not outside, f"{path.relative_to(HTML)} loads from other servers: {outside}"


def test_the_sites_style_sheets_fetch_nothing_from_another_server():
    fetches = {
        str(css.relative_to(HTML)): found
        for css in HTML.joinpath("_static").rglob("*.css")
        if (found := re.findall(r"(?:url\(|@import)\s*['\"]?(?:https?:)?//", css.read_text()))
    }
    assert not fetches


def test_mathjax_is_served_by_the_site():
    # The first chapter with math (mnist_lessons.site.speed keeps MathJax off pages without).
    doc = next(doc for doc in CHAPTERS if page(doc).select_one(".math"))
    scripts = [s["src"] for s in page(doc).find_all("script", src=True)]
    mathjax = [src for src in scripts if "mathjax" in src.lower()]
    assert mathjax and not any(is_external(src) for src in mathjax)
    served = (HTML / doc).parent / mathjax[0]
    assert served.resolve().is_file()
    fonts = list(HTML.joinpath("_static", "mathjax").rglob("*.woff"))
    assert fonts, "MathJax's fonts are not in the site"


@pytest.mark.parametrize("doc", PAGES)
def test_every_page_has_a_title_and_a_description(doc):
    soup = page(doc)
    title = soup.title.get_text(" ", strip=True)
    title = re.sub(r"^\d+\.\s+", "", title)  # a chapter's number, as in "2. The neuron ..."
    heading = soup.find("h1").get_text(strip=True).rstrip("#")
    assert title.startswith(heading), f"{doc}: <title> {title!r} does not name the page"
    description = soup.find("meta", attrs={"name": "description"})
    assert description is not None, f"{doc} has no <meta name='description'>"
    text = description["content"].strip()
    assert 50 <= len(text) <= 300, f"{doc}: description of {len(text)} characters: {text!r}"


def test_descriptions_are_distinct():
    texts = [page(doc).find("meta", attrs={"name": "description"})["content"] for doc in PAGES]
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize("doc", CHAPTERS)
def test_chapter_figures_and_equations_are_numbered(doc):
    soup = page(doc)
    figures = soup.find_all("figure")
    assert figures, f"{doc} has no figure"
    for figure in figures:
        number = figure.find("span", class_="caption-number")
        assert number is not None and re.match(r"Fig\. \d+\.\d+", number.get_text(strip=True))
        assert figure.get("id"), f"{doc}: a figure without a label cannot be cross-referenced"
    numbered_equations = soup.find_all("span", class_="eqno")
    assert numbered_equations, f"{doc} has no numbered equation"


@pytest.mark.parametrize("doc", CHAPTERS)
def test_chapter_has_exercises_with_collapsed_solutions_and_a_code_solution(doc):
    soup = page(doc)
    exercises = soup.select("div.exercise")
    solutions = soup.select("div.solution")
    assert len(exercises) >= 2, f"{doc} has {len(exercises)} exercises; at least 2 are needed"
    assert len(solutions) >= len(exercises), f"{doc}: an exercise has no solution"
    assert all("dropdown" in s.get("class", []) for s in solutions), f"{doc}: open solution"
    # A solution written with solution-start/-end holds code cells, which the build executed.
    with_code = [s for s in solutions if s.select("div.cell div.cell_input")]
    assert with_code, f"{doc} has no code solution executed by the build"
