"""The book's PDF, and one PDF per chapter, made from the HTML build's executed notebooks.

``make book`` runs, after the HTML build, ``python -m mnist_lessons.takeaway.pdf <book root>``:

1. without XeLaTeX and latexmk it prints one line that says what to install, and stops there
   (exit status 0: the site is built, only the PDFs are missing); so it does, outside CI, where
   TeX itself fails (a TeX Live package missing);
2. ``jupyter-book build <root> --builder pdflatex --all``: a fresh Sphinx environment (the
   doctrees of the LaTeX builder differ from the HTML ones), every chapter read from the
   jupyter-cache that the HTML build filled (``execute_notebooks: cache``), so no chapter runs
   again; the log is kept in ``_build/latex.log``, and the step fails if it shows a chapter
   executed, or if the chapters' own outputs (``_build/metrics.json``, the explorables' and
   the widget's exports) changed;
3. cuts ``_build/latex/book.pdf`` into chapters by its outline, using the chapters the LaTeX
   build listed (:data:`mnist_lessons.takeaway.latex.CHAPTERS`), and puts all of it into the
   site: ``takeaway/neural-networks-explained-with-mnist.pdf`` and
   ``takeaway/pdf/<chapter>.pdf``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BOOK_PDF = "neural-networks-explained-with-mnist.pdf"
TEX_PACKAGES = (
    "texlive-xetex texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended "
    "texlive-plain-generic tex-gyre lmodern fonts-freefont-otf latexmk xindy"
)
MISSING_TEX = (
    "No PDF: XeLaTeX and latexmk are missing (the site is built). For the PDFs: "
    f"sudo apt-get install {TEX_PACKAGES}"
)
EXECUTED = "Executing notebook"
TEX_FAILED = "Failed to build pdf"  # jupyter-book's words when latexmk fails


class TexError(RuntimeError):
    """Sphinx wrote the book's LaTeX, and TeX failed on it (a TeX Live package missing?)."""


# What the chapters write when they run; the LaTeX build must leave all of it as it was.
CHAPTER_OUTPUTS = ("metrics.json", "explore", "widget", "models")


@dataclass(frozen=True)
class Chapter:
    """A chapter of the book and where it is in the PDF (0-based pages, ``last`` included)."""

    name: str  # the file's basename: book/neuron -> neuron
    title: str
    first: int
    last: int


def tex_available() -> bool:
    """True if XeLaTeX and latexmk are on the PATH."""
    return all(shutil.which(tool) for tool in ("xelatex", "latexmk"))


def outline_entries(reader) -> list[tuple[str, int, int]]:
    """The PDF's outline, flattened in order: (title, depth, 0-based page)."""
    entries: list[tuple[str, int, int]] = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                entries.append((item.title, depth, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return entries


def _same_title(outline_title: str, title: str) -> bool:
    # hyperref may put the chapter's number in front: "2 The neuron and ...".
    outline_title, title = " ".join(outline_title.split()), " ".join(title.split())
    # A part's number is roman ("VII Types of networks"): never a chapter's title.
    return outline_title == title or bool(
        re.fullmatch(rf"\d+(?:\.\d+)* {re.escape(title)}", outline_title)
    )


def chapter_ranges(
    entries: list[tuple[str, int, int]], chapters: list[dict], pages: int
) -> list[Chapter]:
    """Each chapter's pages: from its outline entry to the page before the next entry at its
    depth or above (the next chapter, part, or the index), or to the last page.

    ``chapters`` are the LaTeX build's list (``docname``, ``title``), in the book's order;
    a chapter missing from the outline raises ``ValueError``.
    """
    ranges, start = [], 0
    for chapter in chapters:
        found = next(
            (
                i
                for i in range(start, len(entries))
                if _same_title(entries[i][0], chapter["title"])
            ),
            None,
        )
        if found is None:
            raise ValueError(
                f"The PDF's outline has no entry {chapter['title']!r} ({chapter['docname']}): "
                "was the PDF built by this build's LaTeX step?"
            )
        _, depth, first = entries[found]
        following = (page for _, d, page in entries[found + 1 :] if d <= depth)
        last = max(first, next(following, pages) - 1)
        name = chapter["docname"].rsplit("/", 1)[-1]
        ranges.append(Chapter(name, chapter["title"], first, last))
        start = found + 1
    return ranges


def split(book_pdf: Path, chapters: list[dict], out_dir: Path) -> list[Path]:
    """Write ``out_dir/<chapter>.pdf`` for each chapter, with its own part of the outline."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(book_pdf)
    entries = outline_entries(reader)
    ranges = chapter_ranges(entries, chapters, len(reader.pages))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for chapter in ranges:
        writer = PdfWriter()
        writer.append(reader, pages=(chapter.first, chapter.last + 1), import_outline=False)
        _chapter_outline(writer, entries, chapter)
        writer.add_metadata({"/Title": chapter.title})
        path = out_dir / f"{chapter.name}.pdf"
        with open(path, "wb") as handle:
            writer.write(handle)
        written.append(path)
    return written


def _chapter_outline(writer, entries: list[tuple[str, int, int]], chapter: Chapter) -> None:
    """Give a chapter's PDF the book's outline of that chapter: its title and its sections."""
    start = next(
        i
        for i, (title, _, page) in enumerate(entries)
        if page == chapter.first and _same_title(title, chapter.title)
    )
    top = entries[start][1]
    parents: dict[int, object] = {}
    for title, depth, page in entries[start:]:
        if depth < top or page > chapter.last or (depth == top and parents):
            break
        parent = parents.get(depth - 1) if depth > top else None
        parents[depth] = writer.add_outline_item(
            title=title, page_number=page - chapter.first, parent=parent
        )


def fingerprint(build: Path) -> dict[str, str]:
    """SHA-256 of every file the chapters wrote when they ran (:data:`CHAPTER_OUTPUTS`)."""
    prints = {}
    for name in CHAPTER_OUTPUTS:
        top = build / name
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            prints[str(path.relative_to(build))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return prints


def build_latex(root: Path, jb_flags: list[str], jupyter_book: str) -> Path:
    """Run the LaTeX build from the jupyter-cache; return the log's path. Raises on failure."""
    build = root / "_build"
    log = build / "latex.log"
    before = fingerprint(build)
    command = [jupyter_book, "build", str(root), "--builder", "pdflatex", "--all", *jb_flags]
    with open(log, "w", encoding="utf-8") as handle:
        done = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, check=False)
    text = log.read_text(encoding="utf-8", errors="replace")
    if done.returncode != 0:
        tail = "\n".join(text.splitlines()[-40:])
        if TEX_FAILED in text:  # Sphinx wrote the LaTeX; TeX could not typeset it
            raise TexError(f"LaTeX stopped with an error (log: {log}):\n{tail}")
        raise RuntimeError(f"The LaTeX build failed (log: {log}):\n{tail}")
    if EXECUTED in text:
        raise RuntimeError(
            f"The LaTeX build executed a chapter again ({log} says {EXECUTED!r}): it must read "
            "every chapter from the HTML build's jupyter-cache (execute_notebooks: cache)."
        )
    after = fingerprint(build)
    changed = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    if changed:
        raise RuntimeError(f"The LaTeX build changed the chapters' outputs: {changed}")
    return log


def publish(root: Path) -> list[Path]:
    """Copy the book's PDF into the site and cut it into chapters there."""
    latex = root / "_build" / "latex"
    book_pdf = latex / "book.pdf"
    chapters = json.loads((latex / "chapters.json").read_text(encoding="utf-8"))
    site = root / "_build" / "html" / "takeaway"
    site.mkdir(parents=True, exist_ok=True)
    shutil.copy2(book_pdf, site / BOOK_PDF)
    return [site / BOOK_PDF, *split(book_pdf, chapters, site / "pdf")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the book's root (with _config.yml)")
    parser.add_argument(
        "jb_flags", nargs=argparse.REMAINDER, help="jupyter-book's flags, e.g. -n -W --keep-going"
    )
    parser.add_argument(
        "--jupyter-book",
        default=str(Path(sys.executable).with_name("jupyter-book")),
        help="the jupyter-book command (default: the one beside this Python)",
    )
    args = parser.parse_args(argv)
    if not tex_available():
        print(MISSING_TEX)
        return 0
    start = time.perf_counter()
    try:
        build_latex(args.root, args.jb_flags, args.jupyter_book)
    except TexError as error:
        # A reader's partial TeX Live must not fail `make book` after the site is built; in CI,
        # where TeX Live is installed by .ci/run, it is an error (and tests/test_pdf.py fails
        # wherever TeX is found and the PDF is not).
        if os.environ.get("CI") == "true":
            raise
        print(
            f"No PDF: {str(error).splitlines()[0]} For the PDFs: sudo apt-get install "
            f"{TEX_PACKAGES}"
        )
        return 0
    seconds = time.perf_counter() - start
    written = publish(args.root)
    from pypdf import PdfReader

    pages = len(PdfReader(written[0]).pages)
    print(
        f"PDF: {written[0]} ({pages} pages, LaTeX step {seconds:.0f} s) and "
        f"{len(written) - 1} chapter PDFs in {written[1].parent if len(written) > 1 else '-'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
