"""The book's PDF and the chapters' PDFs (``make book`` builds them with the site).

The site tests (``site``) read the PDFs in ``_build/html/takeaway`` against the site itself:
every chapter's title and every figure's caption is in the PDF's text, at least as many images
as the site has figures, no unresolved reference or raw LaTeX/MyST, an outline entry for every
chapter, the solutions after the exercises. Without a TeX engine ``make book`` builds no PDF,
and they are skipped, except in CI (``CI=true``), where TeX Live is installed and a missing PDF
fails. The unit tests cut a small generated PDF and run the build step with a stand-in for
jupyter-book.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from mnist_lessons.takeaway import pdf

REPO = Path(__file__).resolve().parents[1]
BUILD = REPO / "_build"
HTML = BUILD / "html"
TAKEAWAY = HTML / "takeaway"
BOOK_PDF = TAKEAWAY / pdf.BOOK_PDF

# MyST and LaTeX that must never reach the printed text.
RAW = ["{glue", "{term}`", "{ref}`", "{eq}`", "{doc}`", "{cite}`", "{numref}`", "```{"]
RAW += ["\\begin{", "\\end{", ":::", "$$", "<div", 'class="']


def toc_files() -> list[str]:
    """Every document in _toc.yml, root first."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        files += [entry["file"] for entry in part["chapters"]]
    return files


def needs_pdf() -> None:
    """Skip where no PDF was built for lack of TeX; in CI, where TeX is installed, fail."""
    if BOOK_PDF.is_file():
        return
    if os.environ.get("CI") == "true" or pdf.tex_available():
        pytest.fail(f"{BOOK_PDF} is missing: `make book` builds it (TeX is installed here).")
    pytest.skip(f"No PDF: XeLaTeX/latexmk are not installed ({pdf.MISSING_TEX})")


def normal(text: str) -> str:
    """Text for comparing the site with pdftotext: Unicode-normalised (ligatures split), with
    no whitespace and no hyphens (LaTeX breaks lines and words where the site does not)."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


@functools.cache
def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@functools.cache
def site_page(doc: str) -> BeautifulSoup:
    return BeautifulSoup((HTML / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")


def title_of(doc: str) -> str:
    """A page's title as the site shows it, without its section number."""
    heading = site_page(doc).select_one("main h1") or site_page(doc).select_one("h1")
    for extra in heading.select(".section-number, a.headerlink"):
        extra.decompose()
    return " ".join(heading.get_text(" ").split())


def caption_pieces(doc: str) -> list[str]:
    """The text of each figure caption of a page, in pieces: without its math and links,
    which the two formats write differently (MathJax source against typeset glyphs)."""
    pieces = []
    for caption in site_page(doc).select("figcaption .caption-text"):
        for skip in caption.select(".math, a.reference, a.headerlink"):
            skip.replace_with("\0")
        pieces += [p.strip() for p in caption.get_text().split("\0") if len(normal(p)) >= 4]
    return pieces


def site_figures(doc: str) -> int:
    """Images a page shows in light mode (a figure's dark variant is the same figure)."""
    article = site_page(doc).select_one("article") or site_page(doc)
    return len([img for img in article.select("img") if "only-dark" not in img.get("class", [])])


def pytest_generate_tests(metafunc):
    if "doc" in metafunc.fixturenames:
        metafunc.parametrize("doc", toc_files())


# --- the built PDFs ------------------------------------------------------------------------


@pytest.mark.site
def test_book_and_chapter_pdfs_exist():
    needs_pdf()
    missing = [
        doc for doc in toc_files() if not (TAKEAWAY / "pdf" / f"{Path(doc).name}.pdf").is_file()
    ]
    assert not missing, f"no chapter PDF for {missing}"
    assert BOOK_PDF.read_bytes().startswith(b"%PDF")


@pytest.mark.site
def test_latex_step_executed_no_chapter():
    """The PDF came from the HTML build's executions: its log shows no chapter running."""
    needs_pdf()
    log = (BUILD / "latex.log").read_text(encoding="utf-8", errors="replace")
    assert "build succeeded" in log
    assert pdf.EXECUTED not in log


@pytest.mark.site
def test_chapter_title_and_captions_in_the_pdf(doc):
    needs_pdf()
    book = normal(pdf_text(BOOK_PDF))
    chapter = normal(pdf_text(TAKEAWAY / "pdf" / f"{Path(doc).name}.pdf"))
    title = title_of(doc)
    assert normal(title) in chapter, f"{doc}: title {title!r} not in its PDF"
    missing = [piece for piece in caption_pieces(doc) if normal(piece) not in book]
    assert not missing, f"{doc}: captions not in the PDF's text: {missing}"


@pytest.mark.site
def test_pdf_has_an_image_for_every_figure():
    needs_pdf()
    listing = subprocess.run(
        ["pdfimages", "-list", str(BOOK_PDF)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    images = sum(1 for line in listing if line.split()[2] == "image")
    figures = sum(site_figures(doc) for doc in toc_files())
    assert figures > 0
    assert images >= figures, f"{images} images in the PDF, {figures} figures in the site"


@pytest.mark.site
def test_no_unresolved_reference_or_raw_markup():
    needs_pdf()
    text = pdf_text(BOOK_PDF)
    assert "??" not in text, "an unresolved reference (??) in the PDF"
    leaks = [raw for raw in RAW if raw in text]
    assert not leaks, f"raw markup in the PDF's text: {leaks}"


@pytest.mark.site
def test_explorables_leave_no_placeholder_in_print():
    from mnist_lessons.explore import FALLBACK

    needs_pdf()
    text = " ".join(pdf_text(BOOK_PDF).split())
    assert "Interactive figure in the online book" not in text
    assert " ".join(FALLBACK.split()[:6]) not in text


@pytest.mark.site
def test_outline_lists_every_chapter():
    from pypdf import PdfReader

    needs_pdf()
    titles = [title for title, _, _ in pdf.outline_entries(PdfReader(BOOK_PDF))]
    for doc in toc_files():
        title = title_of(doc)
        assert any(pdf._same_title(entry, title) for entry in titles), (doc, title, titles)


@pytest.mark.site
def test_outline_numbers_chapters_as_the_site():
    """A chapter the site numbers has that number in the PDF's outline; the others none."""
    from pypdf import PdfReader

    needs_pdf()
    titles = [title for title, _, _ in pdf.outline_entries(PdfReader(BOOK_PDF))]
    for doc in toc_files():
        number = site_page(doc).select_one("main h1 .section-number")
        expected = f"{number.get_text().strip().rstrip('.')} " if number else ""
        assert f"{expected}{title_of(doc)}" in titles, (doc, expected, titles)


@pytest.mark.site
def test_solutions_come_after_the_exercises(doc):
    needs_pdf()
    text = pdf_text(TAKEAWAY / "pdf" / f"{Path(doc).name}.pdf")
    exercises = [m.start() for m in re.finditer(r"^Exercise \d+(?:\.\d+)* ", text, re.M)]
    solutions = [m.start() for m in re.finditer(r"^Solution to Exercise", text, re.M)]
    if not solutions:
        return
    assert re.search(r"^(?:\d+(?:\.\d+)* )?Solutions$", text, re.M), f"{doc}: no Solutions"
    assert max(exercises) < min(solutions), f"{doc}: a solution between the exercises"


# --- the splitter and the build step, on small inputs ------------------------------------------


def small_book(path: Path) -> Path:
    """A 9-page PDF with an outline: a preface, two parts of chapters with sections, an index."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(9):
        writer.add_blank_page(width=200, height=200)
    writer.add_outline_item(title="Preface", page_number=0)
    part = writer.add_outline_item(title="I Part one", page_number=1)
    first = writer.add_outline_item(title="1 First chapter", page_number=2, parent=part)
    writer.add_outline_item(title="1.1 A section", page_number=3, parent=first)
    writer.add_outline_item(title="2 Second chapter", page_number=4, parent=part)
    back = writer.add_outline_item(title="II Back matter", page_number=6)
    writer.add_outline_item(title="Glossary", page_number=7, parent=back)
    writer.add_outline_item(title="Index", page_number=8, parent=back)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


CHAPTERS = [
    {"docname": "book/preface", "title": "Preface"},
    {"docname": "book/first", "title": "First chapter"},
    {"docname": "book/second", "title": "Second chapter"},
    {"docname": "book/glossary", "title": "Glossary"},
]


def test_split_cuts_each_chapter_with_its_bookmarks(tmp_path):
    from pypdf import PdfReader

    written = pdf.split(small_book(tmp_path / "book.pdf"), CHAPTERS, tmp_path / "out")
    pages = {path.stem: len(PdfReader(path).pages) for path in written}
    # The preface ends before part I; the second chapter before part II; the glossary before
    # the index.
    assert pages == {"preface": 1, "first": 2, "second": 2, "glossary": 1}
    # Its own outline: the chapter, its section under it, on the pages they are on.
    outline = pdf.outline_entries(PdfReader(tmp_path / "out" / "first.pdf"))
    assert outline == [("1 First chapter", 0, 0), ("1.1 A section", 1, 1)]
    assert pdf.outline_entries(PdfReader(tmp_path / "out" / "glossary.pdf")) == [
        ("Glossary", 0, 0)
    ]


def test_chapter_missing_from_the_outline_is_an_error(tmp_path):
    book = small_book(tmp_path / "book.pdf")
    with pytest.raises(ValueError, match="no entry 'Third chapter'"):
        pdf.split(book, [*CHAPTERS, {"docname": "book/third", "title": "Third chapter"}], tmp_path)


def test_titles_match_with_or_without_a_number():
    assert pdf._same_title("12 Autoencoders", "Autoencoders")
    assert pdf._same_title("Glossary", "Glossary")
    assert not pdf._same_title("2 Second chapter", "Second")
    assert not pdf._same_title("VII Types of networks", "Types of networks")  # a part


def fake_jupyter_book(tmp_path: Path, log: str, touch: str | None = None) -> str:
    """A stand-in for jupyter-book that prints ``log`` (and changes ``touch``)."""
    script = tmp_path / "jupyter-book"
    lines = [f"import sys, pathlib\nprint({log!r})"]
    if touch:
        lines.append(f"pathlib.Path({touch!r}).write_text('changed')")
    script.write_text(f"#!{sys.executable}\n" + "\n".join(lines) + "\n")
    script.chmod(0o755)
    return str(script)


def test_latex_step_that_executes_a_chapter_fails(tmp_path):
    (tmp_path / "_build").mkdir()
    command = fake_jupyter_book(tmp_path, "book/neuron.md: Executing notebook using local CWD")
    with pytest.raises(RuntimeError, match="executed a chapter again"):
        pdf.build_latex(tmp_path, [], command)


def test_latex_step_that_changes_the_metrics_fails(tmp_path):
    metrics = tmp_path / "_build" / "metrics.json"
    metrics.parent.mkdir()
    metrics.write_text("{}")
    command = fake_jupyter_book(tmp_path, "build succeeded", touch=str(metrics))
    with pytest.raises(RuntimeError, match=r"changed the chapters' outputs: \['metrics.json'\]"):
        pdf.build_latex(tmp_path, [], command)


def test_latex_step_from_the_cache_passes(tmp_path):
    (tmp_path / "_build" / "explore").mkdir(parents=True)
    (tmp_path / "_build" / "explore" / "a.bin").write_bytes(b"\0")
    command = fake_jupyter_book(tmp_path, "build succeeded.")
    assert pdf.build_latex(tmp_path, ["-n"], command).read_text().startswith("build succeeded")


def test_without_tex_one_line_and_success(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(shutil, "which", lambda tool: None)
    assert pdf.main([str(tmp_path), "-n"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "apt-get install texlive-xetex" in out
    assert not (tmp_path / "_build").exists()


# --- where TeX comes from ----------------------------------------------------------------------


def tex_list(text: str) -> set[str]:
    return set(text.split())


def test_ci_and_the_pages_workflow_install_the_tex_that_make_book_names():
    """.ci/run and book.yml install what the one-line message of `make book` asks for."""
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    listed = re.search(r'TEX_PACKAGES="([^"]+)"', ci)
    assert listed, ".ci/run names no TEX_PACKAGES"
    wanted = tex_list(pdf.TEX_PACKAGES) | {"poppler-utils"}
    assert tex_list(listed.group(1)) == wanted
    book = yaml.safe_load((REPO / ".github" / "workflows" / "book.yml").read_text())
    runs = " ".join(step.get("run", "") for step in book["jobs"]["build"]["steps"])
    assert "apt-get install" in runs
    assert wanted <= tex_list(runs.replace("\\", " "))


def test_pages_workflow_publishes_the_notebooks_branch():
    book = yaml.safe_load((REPO / ".github" / "workflows" / "book.yml").read_text())
    build = book["jobs"]["build"]["steps"]
    upload = next(s for s in build if s.get("with", {}).get("name") == "notebooks")
    assert upload["with"]["path"] == "_build/html/takeaway/notebooks"
    job = book["jobs"]["notebooks"]
    assert job["needs"] == "build" and job["permissions"] == {"contents": "write"}
    script = " ".join(step.get("run", "") for step in job["steps"])
    assert "push -f" in script and script.rstrip().endswith("notebooks")


# --- the LaTeX the book's extension writes (Sphinx alone: no TeX needed) ------------------------

TINY_HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

"""
TINY_CHAPTER = (
    TINY_HEADER
    + """# A numbered chapter

As {cite}`nielsen2015neural` shows.

```{code-cell} ipython3
from IPython.display import display

placeholder = '<div class="explorable" data-explorable="x"><p>Moving figure</p></div>'
display({"text/html": placeholder, "text/plain": "PLAIN" + "REPR"}, raw=True)
```

## Exercises

```{exercise} First
:label: ex-first

FIRSTEXERCISETEXT
```

```{solution} ex-first
FIRSTSOLUTIONTEXT
```

```{exercise} Second
:label: ex-second

SECONDEXERCISETEXT
```

```{solution} ex-second
SECONDSOLUTIONTEXT
```
"""
)


@pytest.fixture(scope="module")
def tiny_latex(tmp_path_factory) -> Path:
    """A tiny book (a numbered part, an unnumbered one) written by Sphinx's LaTeX builder."""
    root = tmp_path_factory.mktemp("tinybook")
    (root / "book").mkdir()
    shutil.copy(REPO / "_config.yml", root / "_config.yml")
    shutil.copy(REPO / "book" / "references.bib", root / "book" / "references.bib")
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/index\nparts:\n"
        "  - caption: Numbered\n    numbered: true\n    chapters:\n      - file: book/chapter\n"
        "  - caption: Back matter\n    chapters:\n      - file: book/bibliography\n"
        "      - file: book/after\n"
    )
    (root / "book" / "index.md").write_text("# Tiny preface\n\nA tiny book.\n")
    (root / "book" / "chapter.md").write_text(TINY_CHAPTER)
    (root / "book" / "bibliography.md").write_text(
        "# Bibliography\n\nEVERYWORKCITED\n\n```{bibliography}\n```\n"
    )
    (root / "book" / "after.md").write_text("# After the bibliography\n\nAFTERTEXT\n")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    done = subprocess.run(
        [str(jupyter_book), "build", str(root), "--builder", "latex", "-n", "-W", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return root / "_build" / "latex"


@pytest.mark.slow
def test_latex_moves_solutions_to_the_chapters_end(tiny_latex):
    tex = (tiny_latex / "book.tex").read_text(encoding="utf-8")
    order = [
        tex.index(mark)
        for mark in ("FIRSTEXERCISETEXT", "SECONDEXERCISETEXT", r"\section{Solutions}")
    ]
    order += [tex.index("FIRSTSOLUTIONTEXT"), tex.index("SECONDSOLUTIONTEXT")]
    assert order == sorted(order)
    assert tex.index("SECONDSOLUTIONTEXT") < tex.index(r"\chapter{Bibliography}")


@pytest.mark.slow
def test_latex_drops_the_explorable_placeholder(tiny_latex):
    tex = (tiny_latex / "book.tex").read_text(encoding="utf-8")
    assert "PLAINREPR" not in tex  # the text/plain the LaTeX builder would pick


@pytest.mark.slow
def test_latex_numbers_as_the_site_and_lists_the_chapters(tiny_latex):
    import json

    tex = (tiny_latex / "book.tex").read_text(encoding="utf-8")
    assert r"\documentclass[letterpaper,10pt,english]{mnistbook}" in tex
    assert (tiny_latex / "mnistbook.cls").is_file()
    # The preface gets a heading; the back matter is not numbered; the chapter is.
    assert "\\mnistunnumbered\\chapter{Tiny preface}\\mnistnumbered" in tex
    numbered = tex.index(r"\chapter{A numbered chapter}")
    back = tex.index(r"\chapter{Bibliography}")
    assert "mnistunnumbered" not in tex[tex.index("Tiny preface") + 40 : numbered]
    assert tex.rindex("\\mnistunnumbered", 0, back) > numbered
    chapters = json.loads((tiny_latex / "chapters.json").read_text())
    assert [(c["docname"], c["number"]) for c in chapters] == [
        ("book/index", None),
        ("book/chapter", "1"),
        ("book/bibliography", None),
        ("book/after", None),
    ]


@pytest.mark.slow
def test_latex_prints_the_bibliography_in_its_chapter(tiny_latex):
    tex = (tiny_latex / "book.tex").read_text(encoding="utf-8")
    start = tex.index(r"\begin{sphinxthebibliography}")
    # In its chapter, not after the last one.
    assert tex.index("EVERYWORKCITED") < start < tex.index("AFTERTEXT")
    assert tex.index(r"\chapter{Bibliography}") < start
    assert tex.count(r"\begin{sphinxthebibliography}") == 1


def test_tex_failing_outside_ci_is_one_line_and_success(tmp_path, monkeypatch, capsys):
    """A reader's partial TeX Live: the site stays built; in CI the same failure is an error."""
    (tmp_path / "_build").mkdir()
    script = tmp_path / "jupyter-book"
    script.write_text(
        f"#!{sys.executable}\nprint('Error: {pdf.TEX_FAILED}')\nraise SystemExit(1)\n"
    )
    script.chmod(0o755)
    monkeypatch.setattr(pdf, "tex_available", lambda: True)
    monkeypatch.delenv("CI", raising=False)
    assert pdf.main(["--jupyter-book", str(script), str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("No PDF: LaTeX stopped with an error") and out.count("\n") == 1
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pdf.TexError):
        pdf.main(["--jupyter-book", str(script), str(tmp_path)])


def test_sphinx_failing_is_an_error_everywhere(tmp_path, monkeypatch):
    """A warning in the LaTeX build (-W) is the book's fault: `make book` fails."""
    (tmp_path / "_build").mkdir()
    script = tmp_path / "jupyter-book"
    script.write_text(f"#!{sys.executable}\nprint('WARNING: oops')\nraise SystemExit(1)\n")
    script.chmod(0o755)
    monkeypatch.setattr(pdf, "tex_available", lambda: True)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(RuntimeError, match="The LaTeX build failed") as caught:
        pdf.main(["--jupyter-book", str(script), str(tmp_path)])
    assert not isinstance(caught.value, pdf.TexError)
