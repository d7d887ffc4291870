"""Clean, executed notebooks of the chapters, and their zip, for readers to take away.

After the HTML build, ``python -m mnist_lessons.takeaway.notebooks <book root>`` reads each
chapter's executed notebook (``_build/jupyter_execute/book/<chapter>.ipynb``) and writes

- ``_build/html/takeaway/notebooks/<chapter>.ipynb``: outputs kept, the Markdown made plain
  (:mod:`mnist_lessons.takeaway.markdown`), figure captions under their figures, and first an
  install cell, ``%pip install mnist-lessons==<version>``, so that it runs in Colab;
- ``_build/html/takeaway/notebooks.zip``: all of them in one folder.

The numbers of figures, equations and exercises and the titles of sections are read from the
built site itself, so the notebook says "Fig. 2.1" where the page does.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import time
import zipfile
from pathlib import Path

from mnist_lessons import __version__
from mnist_lessons.takeaway.markdown import Book, Target, convert_markdown

ZIP_FOLDER = "neural-networks-explained-with-mnist-notebooks"
NOTEBOOKS_BRANCH = "notebooks"  # the branch the Pages workflow publishes them to, for Colab
INSTALL_TAG = "install-mnist-lessons"  # tags the install cell (the tests point it at a wheel)
SITE_ONLY_TAG = "site-only"  # a cell that only feeds the web page: left out of the notebook
# Pages about the book itself, whose code reads the book's own sources and build.
ABOUT_THE_BOOK = ("how_to_cite", "how_this_book_is_built")
_HIDING_TAGS = {"remove-cell", "remove-input", "remove-output", "hide-cell", "hide-input"}


def read_yaml(path: Path) -> dict:
    import yaml  # PyYAML: in the book's extras

    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def chapters(root: str | Path, build: str | Path | None = None) -> list[str]:
    """The chapters that get a notebook, in the order of ``_toc.yml``.

    Every file of the table of contents but its root (the preface) and the pages about the book
    itself, that has code cells. With ``build``, only those whose executed notebook exists.
    """
    root = Path(root)
    toc = read_yaml(root / "_toc.yml")
    names = []
    # A jb-book lists its chapters under parts, or (a book without parts) at the top level.
    entries = [*toc.get("chapters", [])]
    for part in toc.get("parts", []):
        entries.extend(part.get("chapters", []))
    for entry in entries:
        name = Path(entry["file"]).name
        source = root / f"{entry['file']}.md"
        if name in ABOUT_THE_BOOK or "```{code-cell}" not in source.read_text("utf-8"):
            continue
        if build is None or executed_path(build, name).is_file():
            names.append(name)
    return names


def executed_path(build: str | Path, chapter: str) -> Path:
    return Path(build) / "jupyter_execute" / "book" / f"{chapter}.ipynb"


def read_executed(build: str | Path, chapter: str) -> dict:
    """A chapter's executed notebook, with its outputs, as a JSON dict.

    myst-nb writes ``jupyter_execute/book/<chapter>.ipynb`` in every execution mode, but in
    ``cache`` mode (the book's) it writes the source notebook there and keeps the outputs in
    its jupyter-cache (``_build/.jupyter_cache``): they are merged back in from there, as
    myst-nb itself does when it renders the page.
    """
    import nbformat

    path = executed_path(build, chapter)
    executed = json.loads(path.read_text("utf-8"))
    code = [c for c in executed.get("cells", []) if c.get("cell_type") == "code"]
    if not code or any(c.get("outputs") for c in code):
        return executed
    cache_dir = Path(build) / ".jupyter_cache"
    if not cache_dir.is_dir():
        return executed  # executed with no output at all (execution off)
    from jupyter_cache import get_cache

    notebook = nbformat.reads(json.dumps(executed), as_version=4)
    try:
        _, merged = get_cache(str(cache_dir)).merge_match_into_notebook(notebook)
    except KeyError as missing:
        raise FileNotFoundError(
            f"The jupyter-cache in {cache_dir} has no execution of {chapter}: build the book "
            "again with make book (it empties _build and executes every chapter once)."
        ) from missing
    return json.loads(nbformat.writes(merged))


def colab_url(repository_url: str, chapter: str) -> str:
    """The Colab address of a chapter's published notebook (``repository.url`` of the config)."""
    owner_repo = re.sub(r"^https?://github\.com/", "", repository_url.rstrip("/"))
    owner_repo = owner_repo.removesuffix(".git")
    return (
        f"https://colab.research.google.com/github/{owner_repo}/blob/"
        f"{NOTEBOOKS_BRANCH}/{chapter}.ipynb"
    )


# --- what the book knows: read from the built site -------------------------------------------


def _text(node) -> str:
    """A node's text as Markdown shows it: math in ``$``, no "#" link, spaces collapsed."""
    node = copy.copy(node)
    for link in node.select("a.headerlink"):
        link.decompose()
    for number in node.select("span.section-number"):
        number.decompose()
    text = node.get_text()
    text = text.replace("\\(", "$").replace("\\)", "$")
    return re.sub(r"\s+", " ", text).strip()


def _number(text: str) -> str:
    match = re.search(r"\d+(\.\d+)*", text)
    return match.group(0) if match else ""


def read_site(html: Path, pages: list[str]) -> Book:
    """Labels, terms, page titles and the text of every reference, from the built HTML."""
    from bs4 import BeautifulSoup  # pydata-sphinx-theme's dependency

    book = Book()
    for name in pages:
        path = html / "book" / f"{name}.html"
        if not path.is_file():
            continue
        page = f"book/{name}.html"
        main = BeautifulSoup(path.read_text("utf-8"), "html.parser").select_one("main") or ""
        if not main:
            continue
        h1 = main.find("h1")
        book.pages[f"book/{name}"] = Target(page, "", "", _text(h1) if h1 else name, "page")
        for section in main.find_all("section", id=True):
            heading = section.find(re.compile(r"^h[1-6]$"))
            if heading is None:
                continue
            number = heading.select_one("span.section-number")
            target = Target(
                page, section["id"], _number(number.text) if number else "", _text(heading)
            )
            book.targets.setdefault(section["id"], target)
            for span in section.find_all("span", id=True, recursive=False):
                book.targets[span["id"]] = Target(page, span["id"], target.number, target.title)
        for figure in main.find_all(["figure", "table"], id=True):
            number = figure.select_one(".caption-number")
            caption = figure.select_one(".caption-text")
            book.targets[figure["id"]] = Target(
                page,
                figure["id"],
                _number(number.text) if number else "",
                _text(caption) if caption else "",
                figure.name,
            )
        for math in main.select("div.math[id^=equation-]"):
            eqno = math.select_one("span.eqno")
            label = math["id"].removeprefix("equation-")
            number = _text(eqno) if eqno else ""
            book.targets[label] = Target(page, math["id"], number, "", "equation")
        for exercise in main.select("div.exercise[id], div.solution[id]"):
            title = exercise.select_one(".admonition-title")
            text = _text(title) if title else ""
            kind = "exercise" if "exercise" in exercise["class"] else "solution"
            book.targets[exercise["id"]] = Target(page, exercise["id"], _number(text), text, kind)
        for term in main.select("dt[id^=term-]"):
            book.terms[_text(term).lower()] = Target(page, term["id"], "", _text(term), "term")
        for link in main.select("a.reference.internal"):
            label = link.get("href", "").partition("#")[2]
            for role in ("numref", "ref"):
                if label and link.select_one(f"span.std-{role}"):
                    book.rendered.setdefault((role, label), _text(link))
    return book


def read_glue(build: Path, chapter: str, executed: dict | None = None) -> dict[str, str]:
    """``{key: text/plain}`` of what a chapter glued: myst-nb's ``.glue.json``, else outputs."""
    values: dict[str, str] = {}
    if executed is not None:
        for cell in executed.get("cells", []):
            for output in cell.get("outputs", []):
                name = output.get("metadata", {}).get("scrapbook", {}).get("name")
                if name and "text/plain" in output.get("data", {}):
                    values[name] = "".join(output["data"]["text/plain"])
    glue_json = executed_path(build, chapter).with_suffix(".glue.json")
    if glue_json.is_file():
        for key, output in json.loads(glue_json.read_text("utf-8")).items():
            if "text/plain" in output.get("data", {}):
                values[key] = "".join(output["data"]["text/plain"])
    return values


def read_citations(bibfiles: list[Path]) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """``{key: ("Nair and Hinton", "2010")}`` and ``{key: one-line reference}``."""
    from pybtex.database import parse_file  # jupyter-book brings pybtex (sphinxcontrib-bibtex)
    from pybtex.richtext import Text

    def plain(latex: str) -> str:
        return Text.from_latex(latex).render_as("text")

    short, full = {}, {}
    for bibfile in bibfiles:
        for key, entry in parse_file(str(bibfile)).entries.items():
            people = entry.persons.get("author") or entry.persons.get("editor") or []
            last = [plain(" ".join(p.prelast_names + p.last_names)) for p in people]
            if not last:
                names = plain(entry.fields.get("organization", entry.fields.get("title", key)))
            elif len(last) <= 2:
                names = " and ".join(last)
            else:
                names = f"{last[0]} et al."
            year = entry.fields.get("year", "n.d.")
            short[key] = (names, year)
            where = entry.fields.get("url") or (
                f"https://doi.org/{entry.fields['doi']}" if "doi" in entry.fields else ""
            )
            full_names = [
                plain(" ".join(p.first_names + p.middle_names + p.prelast_names + p.last_names))
                for p in people
            ]
            authors = (
                ", ".join(full_names[:-1]) + " and " + full_names[-1]
                if len(full_names) > 1
                else "".join(full_names) or names
            )
            title = plain(entry.fields.get("title", ""))
            full[key] = f"{authors} ({year}). *{title}*." + (f" <{where}>" if where else "")
    return short, full


def read_book(root: Path, build: Path) -> tuple[Book, dict[str, str]]:
    config = read_yaml(root / "_config.yml")
    toc = read_yaml(root / "_toc.yml")
    pages = [Path(toc["root"]).name] + [
        Path(entry["file"]).name for part in toc.get("parts", []) for entry in part["chapters"]
    ]
    book = read_site(build / "html", pages)
    bibfiles = [root / f for f in config.get("bibtex_bibfiles", [])]
    book.citations, references = read_citations(bibfiles)
    book.base_url = (config.get("html") or {}).get("baseurl", "") or ""
    return book, references


# --- one notebook ----------------------------------------------------------------------------


def install_cells(version: str = __version__) -> list[dict]:
    """The Markdown line and the ``%pip install`` cell every notebook starts with."""
    import nbformat

    note = nbformat.v4.new_markdown_cell(
        f"This cell installs the book's companion package, `mnist-lessons` {version}, the "
        "version this notebook was made with (in Colab, or anywhere it is not installed yet; "
        "skip it if you have it)."
    )
    install = nbformat.v4.new_code_cell(
        f"%pip install mnist-lessons=={version}", metadata={"tags": [INSTALL_TAG]}
    )
    return [note, install]


def convert_notebook(executed: dict, book: Book, chapter: str, references: dict[str, str]):
    """The take-away notebook of one chapter, from its executed notebook (a dict)."""
    import nbformat

    nb = nbformat.reads(json.dumps(executed), as_version=4)  # sources as strings
    doc = f"book/{chapter}"
    book.glue.setdefault(doc, {})
    cited: list[str] = []
    cells = []
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if SITE_ONLY_TAG in tags:
            continue
        if cell.cell_type == "markdown":
            cited += re.findall(r"\{cite(?::\w+)?\}`([^`]*)`", cell.source)
            cell.source = convert_markdown(cell.source, book, doc)
            if cell.source.strip():
                cells.append(cell)
            continue
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        if tags:
            cell.metadata["tags"] = [t for t in tags if t not in _HIDING_TAGS]
            if not cell.metadata["tags"]:
                del cell.metadata["tags"]
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/markdown" in data:
                data["text/markdown"] = convert_markdown("".join(data["text/markdown"]), book, doc)
        figure = cell.metadata.pop("mystnb", {}).get("figure", {})
        cells.append(cell)
        if figure.get("caption"):
            target = book.targets.get(figure.get("name", ""))
            number = f"**Fig. {target.number}.** " if target and target.number else ""
            caption = convert_markdown(str(figure["caption"]), book, doc)
            cells.append(nbformat.v4.new_markdown_cell(f"{number}{caption}"))
    first = cells[0] if cells else None
    head = []
    if first is not None and first.cell_type == "markdown" and first.source.startswith("# "):
        title, _, rest = first.source.partition("\n")
        head = [nbformat.v4.new_markdown_cell(title)]
        first.source = rest.strip("\n")
        if not first.source:
            cells.pop(0)
    cited_keys = list(dict.fromkeys(k.strip() for keys in cited for k in keys.split(",")))
    if cited_keys:
        lines = [f"- {references[key]}" for key in cited_keys if key in references]
        cells.append(nbformat.v4.new_markdown_cell("## References\n\n" + "\n".join(lines)))
    nb.cells = head + install_cells() + cells
    for key in ("myst", "source_map", "jupytext"):
        nb.metadata.pop(key, None)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    for cell in nb.cells:  # nbformat 4.5: every cell has an id, unique in the notebook
        cell.setdefault("id", None)
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index}"
    nb.nbformat, nb.nbformat_minor = 4, 5
    nbformat.validate(nb)
    return nb


def write_zip(notebooks: list[Path], path: Path) -> Path:
    """All notebooks in one folder of a zip, in the given order, byte for byte reproducible."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for notebook in notebooks:
            info = zipfile.ZipInfo(
                f"{ZIP_FOLDER}/{notebook.name}", date_time=(1980, 1, 1, 0, 0, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, notebook.read_bytes())
    return path


def build(root: str | Path, build_dir: str | Path | None = None, out: str | Path | None = None):
    """Write every chapter's notebook and the zip; return the notebooks' paths.

    ``out`` is the take-away folder (default ``<build>/html/takeaway``): notebooks go to
    ``out/notebooks/``, the zip to ``out/notebooks.zip``.
    """
    import nbformat

    root = Path(root)
    build_dir = Path(build_dir) if build_dir is not None else root / "_build"
    out = Path(out) if out is not None else build_dir / "html" / "takeaway"
    names = chapters(root, build_dir)
    if not names:
        raise FileNotFoundError(
            f"No executed chapters in {build_dir / 'jupyter_execute'}: build the book first."
        )
    book, references = read_book(root, build_dir)
    written = []
    (out / "notebooks").mkdir(parents=True, exist_ok=True)
    executed = {name: read_executed(build_dir, name) for name in names}
    for name in names:
        book.glue[f"book/{name}"] = read_glue(build_dir, name, executed[name])
    for name in names:
        nb = convert_notebook(executed[name], book, name, references)
        path = out / "notebooks" / f"{name}.ipynb"
        nbformat.write(nb, path)
        written.append(path)
    write_zip(written, out / "notebooks.zip")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="the book's folder (with _toc.yml)")
    parser.add_argument("--build", type=Path, help="its build folder (default: <root>/_build)")
    parser.add_argument(
        "--out", type=Path, help="take-away folder (default: <build>/html/takeaway)"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    written = build(args.root, args.build, args.out)
    size = sum(p.stat().st_size for p in written)
    archive = written[0].parent.parent / "notebooks.zip"
    print(
        f"notebooks: {len(written)} chapters, {size / 1e6:.1f} MB, "
        f"{archive.name} {archive.stat().st_size / 1e6:.1f} MB, "
        f"in {time.perf_counter() - start:.1f} s -> {written[0].parent}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
