"""A Sphinx extension for the book's PDF: changes that apply to the LaTeX builder alone.

Listed in ``_config.yml`` (``sphinx.extra_extensions``); under any other builder it does
nothing. Under the LaTeX builder it

- typesets the book with :file:`mnistbook.cls` (Sphinx's manual class and the code-cell
  environments of sphinx-jupyterbook-latex, whose own class also needs ``bbm``, ``tikz`` and
  ``pgfplots``, none of them in TeX Live's basic Debian packages, none used by the book);
- drops the outputs that only a browser can show: an explorable's placeholder
  (:func:`mnist_lessons.explore.explorable`, whose static figure is printed just above it) and
  the draw-a-digit widget's, instead of their plain-text representation;
- moves the solutions of each chapter's exercises out of the text, to the end of that chapter,
  under a heading "Solutions", so that the printed exercises do not give their answers away;
- numbers the chapters as the site does: the chapters of the parts that ``_toc.yml`` numbers
  are numbered on, across parts, and the others (the preface, "Try it", the back matter) are
  not (LaTeX would number them all);
- prints the bibliography in the chapter that places it (``{bibliography}``), where Sphinx
  would add it after the last chapter, under a heading of its own.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

CLASS = Path(__file__).with_name("mnistbook.cls")
SOLUTIONS = "Solutions"
# Written next to the .tex file: the chapters in the book's order, for cutting the PDF.
CHAPTERS = "chapters.json"

# The HTML of an output that only does something in the book's web pages.
_BROWSER_ONLY = re.compile(
    r"""<div\b[^>]*\bclass=["'](?:[^"']*\s)?(?:explorable|mnist-widget)[\s"']"""
)


def _use_book_class(app, config) -> None:
    # After sphinx-jupyterbook-latex, which sets latex_theme to its own class.
    config.latex_theme = CLASS.stem


def _copy_class(app) -> None:
    if app.builder.format == "latex":
        Path(app.outdir).mkdir(parents=True, exist_ok=True)
        shutil.copy2(CLASS, Path(app.outdir) / CLASS.name)


def _detach(root: nodes.Element, node: nodes.Node) -> None:
    """Take ``node`` out of the tree under ``root``.

    Found from the top, by identity: after the builder's assembling and other transforms, a
    node's ``parent`` is not always the node that holds it, and docutils' ``remove`` compares
    with ``==``.
    """
    for holder in root.findall(nodes.Element):
        if any(child is node for child in holder.children):
            holder.children = [child for child in holder.children if child is not node]
            return


def _is_element(nb_element: str):
    """A condition for ``findall``: a myst-nb container of the kind ``nb_element``."""
    return lambda node: isinstance(node, nodes.container) and node.get("nb_element") == nb_element


_is_mime_bundle = _is_element("mime_bundle")


def browser_only(bundle: nodes.Element) -> bool:
    """True if a myst-nb mime bundle's HTML is an explorable's or the widget's placeholder."""
    return any(
        child.get("mime_type") == "text/html" and _BROWSER_ONLY.search(child.astext())
        for child in bundle.children
    )


class DropBrowserOnlyOutputs(SphinxPostTransform):
    """Remove the placeholders of explorables and widgets, and the cell outputs left empty."""

    default_priority = 3  # before myst-nb picks one mime type of each bundle (4)
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for output in list(self.document.findall(_is_element("cell_code_output"))):
            kept = [c for c in output.children if not (_is_mime_bundle(c) and browser_only(c))]
            if len(kept) == len(output.children):
                continue
            output.children = kept
            if not kept:
                _detach(self.document, output)
        for cell in list(self.document.findall(_is_element("cell_code"))):
            if not cell.children:
                _detach(self.document, cell)


class SolutionsAtChapterEnd(SphinxPostTransform):
    """Move each chapter's solutions to a last section of the chapter, "Solutions".

    The LaTeX builder assembles the book into one tree, each chapter's file in an
    ``addnodes.start_of_file`` node; the solutions of a file go, in their order, into a new
    section at the end of that file's top section.
    """

    default_priority = 2
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        from sphinx_exercise.nodes import solution_node

        moved: set[int] = set()
        # The innermost file first: a chapter's solutions are not its enclosing file's.
        for chapter in reversed(_chapters(self.document)):
            solutions = [n for n in chapter.findall(solution_node) if id(n) not in moved]
            sections = [child for child in chapter.children if isinstance(child, nodes.section)]
            if not solutions or not sections:
                continue
            docname = chapter.get("docname", "")
            section = nodes.section("", ids=[nodes.make_id(f"{docname}-solutions")], names=[])
            section += nodes.title("", SOLUTIONS)
            for solution in solutions:
                _detach(chapter, solution)
                section += solution
                moved.add(id(solution))
            sections[-1] += section


def _chapters(document) -> list[addnodes.start_of_file]:
    return list(document.findall(addnodes.start_of_file))


class NumberAsTheSite(SphinxPostTransform):
    """Chapters numbered as on the site, a heading for the preface, and the chapters listed.

    LaTeX numbering is turned off in the chapters the site leaves unnumbered. The root
    document (the preface), which sphinx-jupyterbook-latex prints before the first part without
    its title, gets an unnumbered chapter heading, so that it has a page of its own in the table
    of contents and the outline. The chapters, in the book's order, are kept for
    :data:`CHAPTERS` (``docname``, title, number): :mod:`mnist_lessons.takeaway.pdf` cuts the
    book's PDF by them.
    """

    default_priority = 710  # after sphinx-jupyterbook-latex arranges the root document (700)
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        numbers = self.env.toc_secnumbers
        root = self.config.root_doc
        title = self.env.titles[root].astext()
        chapters = [{"docname": root, "title": title, "number": None}]
        heading = f"\\mnistunnumbered\\chapter{{{_latex_text(title)}}}\\mnistnumbered\n"
        self.document.insert(0, nodes.raw("", heading, format="latex"))
        for chapter in _chapters(self.document):
            docname = chapter.get("docname")
            if docname not in self.env.all_docs:  # a part, which sphinx-jupyterbook-latex adds
                continue
            number = numbers.get(docname, {}).get("")
            chapters.append(
                {
                    "docname": docname,
                    "title": self.env.titles[docname].astext(),
                    "number": ".".join(map(str, number)) if number else None,
                }
            )
            if number:
                continue
            # \mnistunnumbered and \mnistnumbered are defined in mnistbook.cls.
            chapter.insert(0, nodes.raw("", "\\mnistunnumbered\n", format="latex"))
            chapter += nodes.raw("", "\\mnistnumbered\n", format="latex")
        self.app.mnist_lessons_chapters = chapters


def _latex_text(text: str) -> str:
    """``text`` with LaTeX's special characters escaped."""
    from sphinx.util.texescape import escape

    return escape(text)


def _write_chapters(app, exception) -> None:
    chapters = getattr(app, "mnist_lessons_chapters", None)
    if exception is None and app.builder.format == "latex" and chapters:
        text = json.dumps(chapters, indent=1, ensure_ascii=False)
        (Path(app.outdir) / CHAPTERS).write_text(text + "\n", encoding="utf-8")


class bibliography_here(nodes.General, nodes.Element):  # a docutils node: lowercase name
    """Where the book's ``{bibliography}`` stood, until the bibliography moves there."""


class MarkBibliography(SphinxPostTransform):
    """Mark the place of the bibliography (before sphinxcontrib-bibtex replaces it, at 5)."""

    default_priority = 1
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        from sphinxcontrib.bibtex.nodes import bibliography

        for node in list(self.document.findall(bibliography)):
            node.parent.insert(node.parent.index(node), bibliography_here())


class MoveBibliography(SphinxPostTransform):
    """Move the list Sphinx gathered at the end of the book (at 750) to the marked place."""

    default_priority = 760
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        from sphinx.builders.latex.nodes import thebibliography

        marks = list(self.document.findall(bibliography_here))
        lists = list(self.document.findall(thebibliography))
        if len(marks) == 1 and len(lists) == 1:
            (mark,), (found,) = marks, lists
            _detach(self.document, found)
            for holder in self.document.findall(nodes.Element):
                if any(child is mark for child in holder.children):
                    holder.children = [found if c is mark else c for c in holder.children]
                    found.parent = holder
                    break
        else:
            for mark in marks:
                _detach(self.document, mark)


def _without_floats(visit, depart):
    """LaTeX visitors around ``visit``/``depart`` inside which figures do not float.

    sphinx-exercise opens its boxes (``sphinxadmonition``) without telling Sphinx, whose figure
    then floats out of the box: "Not in outer par mode". Sphinx's own admonitions count
    themselves in ``no_latex_floats``, which places a figure inside them where it is ([H]).
    """

    def visit_box(self, node) -> None:
        visit(self, node)
        self.no_latex_floats += 1

    def depart_box(self, node) -> None:
        self.no_latex_floats -= 1
        depart(self, node)

    return visit_box, depart_box


def _exercise_boxes(app) -> None:
    from sphinx_exercise import nodes as exercise

    for node, visit, depart in (
        (exercise.exercise_node, exercise.visit_exercise_node, exercise.depart_exercise_node),
        (
            exercise.exercise_enumerable_node,
            exercise.visit_exercise_enumerable_node,
            exercise.depart_exercise_enumerable_node,
        ),
        (exercise.solution_node, exercise.visit_solution_node, exercise.depart_solution_node),
    ):
        app.add_node(node, override=True, latex=_without_floats(visit, depart))


def setup(app):
    app.setup_extension("sphinx_exercise")
    _exercise_boxes(app)
    app.connect("config-inited", _use_book_class, priority=900)
    app.connect("builder-inited", _copy_class)
    app.add_post_transform(DropBrowserOnlyOutputs)
    app.add_post_transform(SolutionsAtChapterEnd)
    app.add_post_transform(NumberAsTheSite)
    app.connect("build-finished", _write_chapters)
    app.add_node(bibliography_here)
    app.add_post_transform(MarkBibliography)
    app.add_post_transform(MoveBibliography)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
