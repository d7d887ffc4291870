"""The take-away notebooks: MyST made plain Markdown, and the built notebooks themselves.

Unit tests give each conversion rule of :mod:`mnist_lessons.takeaway.markdown` a small input.
The ``site`` tests read ``_build/html/takeaway/`` (or ``$MNIST_LESSONS_SITE_HTML/takeaway``);
the ``slow`` one runs two chapters' notebooks with nbclient in a fresh venv holding only the
built wheel (``tests/packagebuild.py``), as a reader's Colab would.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import zipfile
from pathlib import Path

import nbformat
import pytest
from test_site import HTML, REPO

from mnist_lessons import __version__
from mnist_lessons.takeaway import notebooks
from mnist_lessons.takeaway.markdown import Book, Target, convert_markdown, format_glue

SITE = Path(os.environ.get("MNIST_LESSONS_SITE_HTML", HTML))
TAKEAWAY = SITE / "takeaway"
# MyST that a notebook would show as raw text.
MYST = re.compile(
    r"\{glue|\{term\}|\{eq\}|\{ref\}|\{numref\}|\{doc\}|\{cite|```\{|:::|^\s*\([\w-]+\)=\s*$"
    r"|\{[a-z][\w:-]*\}`|^: ",
    re.M,
)


@pytest.fixture
def book() -> Book:
    page = "book/neuron.html"
    return Book(
        targets={
            "eq-sum": Target(page, "equation-eq-sum", "(2.1)", "", "equation"),
            "fig-neuron": Target(page, "fig-neuron", "2.1", "One neuron.", "figure"),
            "chap-neuron": Target(page, "chap-neuron", "2", "The neuron", "section"),
            "ex-pair": Target(page, "ex-pair", "2.1", "Exercise 2.1 (Another pair)", "exercise"),
        },
        terms={"neuron": Target("book/glossary.html", "term-neuron", "", "neuron", "term")},
        pages={"book/neuron": Target(page, "", "", "The neuron", "page")},
        glue={
            "book/neuron": {"n": "12665", "acc": "0.9995271867612293", "word": "'1 mistake'"},
            "book/data": {"n_train": "60000"},
        },
        citations={"nair2010": ("Nair and Hinton", "2010"), "he2015": ("He et al.", "2015")},
    )


def md(source: str, book: Book) -> str:
    return convert_markdown(source, book, "book/neuron")


@pytest.mark.parametrize(
    ("text_plain", "spec", "shown"),
    [
        ("12665", ",", "12,665"),
        ("0.9995271867612293", ".2%", "99.95%"),
        ("0.006648056670790033", ".4f", "0.0066"),
        ("'1 mistake'", "s", "1 mistake"),
        ("3", "d", "3"),
        ("2.5e-05", ".1e", "2.5e-05"),
        ("0.1", "g", "0.1"),
    ],
)
def test_glue_formats_as_myst_nb(text_plain, spec, shown):
    assert format_glue(text_plain, spec) == shown


def test_glue_roles_take_the_recorded_value_and_format(book):
    assert md("{glue:text}`n:,` images, {glue:text}`acc:.2%`", book) == "12,665 images, 99.95%"
    assert md("{glue:text}`word`; {glue}`n`; {glue:}`n`", book) == "1 mistake; 12665; 12665"
    assert md("{glue:text}`data::n_train:,`", book) == "60,000"
    with pytest.raises(KeyError, match="missing"):
        md("{glue:text}`missing`", book)


def test_term_keeps_its_text(book):
    assert md("the {term}`artificial neuron <neuron>` and its {term}`bias`", book) == (
        "the artificial neuron and its bias"
    )
    book.base_url = "https://example.org/book/"
    assert md("a {term}`neuron`", book) == (
        "a [neuron](https://example.org/book/book/glossary.html#term-neuron)"
    )


def test_eq_becomes_its_number_and_labelled_equations_get_a_tag(book):
    assert md("by {eq}`eq-sum`,", book) == "by (2.1),"
    assert md("$$\nz = w x + b\n$$ (eq-sum)", book) == "$$\nz = w x + b\n\\tag{2.1}\n$$"


def test_ref_numref_doc(book):
    assert md("{numref}`fig-neuron` shows", book) == "Fig. 2.1 shows"
    assert md("{numref}`Figure %s <fig-neuron>`", book) == "Figure 2.1"
    assert md("see {ref}`chap-neuron`", book) == "see *The neuron*"
    assert md("see {ref}`this chapter <chap-neuron>`", book) == "see this chapter"
    assert md("{doc}`neuron` and {doc}`that page <neuron>`", book) == (
        "*The neuron* and that page"
    )
    book.rendered[("numref", "ex-pair")] = "Exercise 2.1"
    assert md("{numref}`ex-pair`", book) == "Exercise 2.1"
    book.base_url = "https://example.org"
    assert md("{ref}`chap-neuron`", book) == (
        "[The neuron](https://example.org/book/neuron.html#chap-neuron)"
    )
    with pytest.raises(KeyError, match="fig-nowhere"):
        md("{numref}`fig-nowhere`", book)


def test_cite_author_year(book):
    assert md("{cite:p}`nair2010`", book) == "(Nair and Hinton, 2010)"
    assert md("{cite:p}`nair2010,he2015`", book) == "(Nair and Hinton, 2010; He et al., 2015)"
    assert md("by {cite:t}`he2015`", book) == "by He et al. (2015)"
    with pytest.raises(KeyError, match="nobody1999"):
        md("{cite:p}`nobody1999`", book)


def test_definition_lists_become_bullets(book):
    source = (
        "Intro.\n\nBatch size\n: The loss is averaged over a\n  {term}`neuron`.\n\n"
        "Epoch\n: One pass."
    )
    assert md(source, book) == (
        "Intro.\n\n- **Batch size**: The loss is averaged over a\n  neuron.\n\n"
        "- **Epoch**: One pass."
    )


def test_code_spans_are_left_alone(book):
    assert md("write ``{term}`x` `` or `{eq}`", book) == "write ``{term}`x` `` or `{eq}`"


def test_labels_comments_and_front_matter_go(book):
    source = "---\nmystnb:\n  x: 1\n---\n(chap-neuron)=\n# The neuron\n% a note\n\nText."
    assert md(source, book) == "# The neuron\n\nText."


def test_exercise_and_solutions(book):
    exercise = "```{exercise} Another pair\n:label: ex-pair\n\nTrain {term}`neuron`s.\n```"
    assert md(exercise, book) == "> **Exercise 2.1 (Another pair)**\n>\n> Train neurons."
    assert md("````{solution-start} ex-pair\n:class: dropdown\n````", book) == (
        "**Solution to Exercise 2.1**"
    )
    assert md("````{solution-end}\n````", book) == "---"
    assert md("```{solution} ex-pair\n:class: dropdown\n\nIt is {eq}`eq-sum`.\n```", book) == (
        "**Solution to Exercise 2.1**\n\nIt is (2.1)."
    )


def test_figure_admonition_math_raw(book):
    assert md("```{figure} img.png\n:alt: A digit\n\nA *seven*.\n```", book) == (
        "![A digit](img.png)\n\n*A *seven*.*"
    )
    assert md(":::{note}\nSee {numref}`fig-neuron`.\n:::", book) == (
        "> **Note**\n>\n> See Fig. 2.1."
    )
    assert md("```{admonition} Why\nBecause.\n```", book) == "> **Why**\n>\n> Because."
    assert md("```{math}\n:label: eq-sum\na = b\n```", book) == "$$\na = b\n\\tag{2.1}\n$$"
    assert "interactive" in md("```{raw} html\n<div class='w'></div>\n```", book)
    assert md("```python\n{term}`kept`\n```", book) == "```python\n{term}`kept`\n```"


def test_notebook_conversion(book):
    executed = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(
                "(chap-neuron)=\n# The neuron\n\nIt has {glue:text}`n:,`."
            ),
            nbformat.v4.new_code_cell(
                "plot()",
                metadata={
                    "tags": ["remove-input"],
                    "mystnb": {"figure": {"caption": "By {eq}`eq-sum`.", "name": "fig-neuron"}},
                },
            ),
            nbformat.v4.new_code_cell("export()", metadata={"tags": ["site-only"]}),
            nbformat.v4.new_markdown_cell("As {cite:t}`nair2010` found."),
        ],
        metadata={"myst": {}, "jupytext": {}},
    )
    references = {"nair2010": "Vinod Nair and Geoffrey Hinton (2010). *ReLU*."}
    nb = notebooks.convert_notebook(
        json.loads(nbformat.writes(executed)), book, "neuron", references
    )
    nbformat.validate(nb)
    sources = [(cell.cell_type, cell.source) for cell in nb.cells]
    assert sources == [
        ("markdown", "# The neuron"),
        ("markdown", nb.cells[1].source),
        ("code", f"%pip install mnist-lessons=={__version__}"),
        ("markdown", "It has 12,665."),
        ("code", "plot()"),
        ("markdown", "**Fig. 2.1.** By (2.1)."),
        ("markdown", "As Nair and Hinton (2010) found."),
        ("markdown", "## References\n\n- Vinod Nair and Geoffrey Hinton (2010). *ReLU*."),
    ]
    assert "installs" in nb.cells[1].source and "\n" not in nb.cells[1].source
    assert "tags" not in nb.cells[4].metadata and "mystnb" not in nb.cells[4].metadata
    assert nb.metadata.kernelspec.name == "python3" and "myst" not in nb.metadata


def test_chapters_follow_the_toc_and_leave_out_pages_about_the_book():
    names = notebooks.chapters(REPO)
    assert names[:2] == ["mnist_dataset", "neuron"]
    assert "preface" not in names and "how_to_cite" not in names and "glossary" not in names


def test_zip_is_reproducible(tmp_path):
    files = []
    for name in ("b", "a"):
        (tmp_path / f"{name}.ipynb").write_text(name)
        files.append(tmp_path / f"{name}.ipynb")
    first = notebooks.write_zip(files, tmp_path / "one.zip").read_bytes()
    assert notebooks.write_zip(files, tmp_path / "two.zip").read_bytes() == first
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        assert archive.namelist() == [
            f"{notebooks.ZIP_FOLDER}/b.ipynb",
            f"{notebooks.ZIP_FOLDER}/a.ipynb",
        ]


def test_colab_url():
    assert notebooks.colab_url("https://github.com/o/r", "neuron") == (
        "https://colab.research.google.com/github/o/r/blob/notebooks/neuron.ipynb"
    )


# --- the built notebooks ----------------------------------------------------------------------


def built_chapters() -> list[str]:
    return notebooks.chapters(REPO, SITE.parent)


@pytest.mark.site
def test_every_chapter_with_code_has_a_valid_notebook():
    expected = notebooks.chapters(REPO)
    assert expected, "no chapter has code"
    found = sorted(p.stem for p in (TAKEAWAY / "notebooks").glob("*.ipynb"))
    assert found == sorted(expected)
    for name in expected:
        nb = nbformat.read(TAKEAWAY / "notebooks" / f"{name}.ipynb", as_version=4)
        nbformat.validate(nb)
        assert nb.metadata.kernelspec.name == "python3"
        code = [cell for cell in nb.cells if cell.cell_type == "code"]
        assert code[0].source == f"%pip install mnist-lessons=={__version__}", name
        assert nb.cells[0].source.startswith("# "), name
        assert any(cell.get("outputs") for cell in code[1:]), f"{name} has no outputs"
        # Every figure the build drew on the page is in the notebook too, as an image output.
        page = (SITE / "book" / f"{name}.html").read_text("utf-8")
        drawn = len(re.findall(r'<img(?![^>]*only-dark)[^>]+src="\.\./_images/[0-9a-f]{64}', page))
        images = sum(
            "image/png" in output.get("data", {}) for cell in code for output in cell.outputs
        )
        assert images >= drawn, f"{name}: {images} images for {drawn} figures on the page"


@pytest.mark.site
@pytest.mark.parametrize("name", notebooks.chapters(REPO))
def test_no_myst_syntax_in_the_markdown(name):
    nb = nbformat.read(TAKEAWAY / "notebooks" / f"{name}.ipynb", as_version=4)
    for cell in nb.cells:
        texts = (
            [cell.source]
            if cell.cell_type == "markdown"
            else [
                "".join(output.get("data", {}).get("text/markdown", ""))
                for output in cell.get("outputs", [])
            ]
        )
        for text in texts:
            leak = MYST.search(text)
            assert leak is None, f"{name}: {text[max(0, leak.start() - 60) : leak.end() + 60]!r}"


@pytest.mark.site
def test_zip_holds_every_notebook():
    with zipfile.ZipFile(TAKEAWAY / "notebooks.zip") as archive:
        names = archive.namelist()
        assert names == [f"{notebooks.ZIP_FOLDER}/{n}.ipynb" for n in notebooks.chapters(REPO)]
        for name in names:
            path = TAKEAWAY / "notebooks" / Path(name).name
            assert archive.read(name) == path.read_bytes()


# --- two chapters, run as a reader runs them -------------------------------------------------

RUNNER = """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=1800, kernel_name="python3", allow_errors=False).execute()
nbformat.write(nb, sys.argv[2])
"""


@pytest.mark.slow
@pytest.mark.site
@pytest.mark.parametrize("name", ["neuron", "first_network"])
def test_notebook_runs_with_only_the_wheel(name, built_dist, real_mnist_dir, tmp_path):
    """The install cell installs the wheel; every cell then runs, MNIST from the local copy."""
    from packagebuild import cached_venv

    wheel = built_dist[0]
    python = cached_venv(wheel, packages=("ipykernel", "nbclient", "pip"))
    nb = nbformat.read(TAKEAWAY / "notebooks" / f"{name}.ipynb", as_version=4)
    (install,) = [c for c in nb.cells if notebooks.INSTALL_TAG in c.metadata.get("tags", [])]
    assert install.source == f"%pip install mnist-lessons=={__version__}"
    install.source = f"%pip install --no-index --no-deps {wheel}"
    nbformat.write(nb, tmp_path / "in.ipynb")
    env = {**os.environ, "MNIST_LESSONS_DATA": str(real_mnist_dir), "TF_CPP_MIN_LOG_LEVEL": "2"}
    for variable in ("PYTHONPATH", "MNIST_LESSONS_METRICS", "MNIST_LESSONS_STORE"):
        env.pop(variable, None)
    result = subprocess.run(
        [str(python), "-c", RUNNER, "in.ipynb", "out.ipynb"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    ran = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    installed = "".join(o.get("text", "") for o in ran.cells[2].get("outputs", []))
    assert "mnist" in installed.lower(), installed
    errors = [o for c in ran.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
