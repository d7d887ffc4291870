"""Checks on the built site in _build/html (`make test` builds it once before these run).

Every page in _toc.yml is checked: it exists, has a title, shows every figure its chapter drew
as an image that is really there, and shows no error, traceback or stderr output. The figures
recorded in _build/metrics.json come from chapters of the book and were glued for the prose.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from mnist_lessons.report import read_metrics

REPO = Path(__file__).resolve().parents[1]
BUILD = REPO / "_build"
HTML = BUILD / "html"
EXECUTED = BUILD / "jupyter_execute"

pytestmark = pytest.mark.site


def toc_files() -> list[str]:
    """Every document in _toc.yml, root first."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        walk(part["chapters"])
    return files


def is_notebook(doc: str) -> bool:
    """A MyST Markdown notebook with code cells (executed by the build), not a plain page."""
    return "```{code-cell}" in (REPO / f"{doc}.md").read_text()


def chapters() -> list[str]:
    """The documents in the numbered parts of the table of contents: the chapters."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    return [
        entry["file"]
        for part in toc.get("parts", [])
        if part.get("numbered")
        for entry in part["chapters"]
    ]


PAGES = toc_files()
CHAPTERS = chapters()
NOTEBOOKS = [doc for doc in PAGES if is_notebook(doc)]


@pytest.fixture(scope="session", autouse=True)
def built_site():
    if not (HTML / "index.html").is_file():
        pytest.fail("No built site in _build/html: run `make book` (or `make test`) first.")


def page(doc: str) -> BeautifulSoup:
    return BeautifulSoup((HTML / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")


def executed(doc: str) -> dict:
    """The executed notebook of ``doc`` with its outputs (merged from the jupyter-cache)."""
    from mnist_lessons.takeaway.notebooks import read_executed

    folder, name = doc.rsplit("/", 1)
    assert folder == "book", doc
    return read_executed(BUILD, name)


def test_toc_lists_the_chapters():
    assert "book/mnist_dataset" in NOTEBOOKS
    assert PAGES[0] == "book/preface"


@pytest.mark.parametrize("doc", PAGES)
def test_page_exists_with_a_title(doc):
    soup = page(doc)
    h1 = soup.find("h1")
    assert h1 is not None and h1.get_text(strip=True), f"{doc} has no heading"
    assert h1.get_text(strip=True).rstrip("#") in soup.title.get_text()


def test_index_redirects_to_the_preface():
    assert "book/preface.html" in (HTML / "index.html").read_text()


@pytest.mark.parametrize("doc", NOTEBOOKS)
def test_every_drawn_figure_is_an_image_on_the_page(doc):
    drawn = sum(
        1
        for cell in executed(doc)["cells"]
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    )
    # Every chapter draws figures; a back-matter page (the citation, the build statistics) may not.
    assert drawn >= 1 or doc not in CHAPTERS, f"{doc} drew no figure"
    images = [img["src"] for img in page(doc).select("img") if "_images/" in img["src"]]
    assert len(images) >= drawn, f"{doc} drew {drawn} figures but shows {len(images)}"
    for src in images:
        target = (HTML / doc).parent / src
        assert target.is_file(), f"{doc} shows a missing image {src}"
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{src} is not a PNG"
        # oxipng squeezes a simple figure (a one-hot row) to about 1.5 kB; an empty one is less
        assert target.stat().st_size > 1000, f"{src} is suspiciously small"


@pytest.mark.parametrize("doc", NOTEBOOKS)
def test_no_error_traceback_or_stderr_in_the_executed_notebook(doc):
    for cell in executed(doc)["cells"]:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{doc}: {output.get('ename')}"
            assert output.get("name") != "stderr", f"{doc} wrote to stderr: {output['text']}"


@pytest.mark.parametrize("doc", PAGES)
def test_no_error_traceback_or_stderr_on_the_page(doc):
    soup = page(doc)
    for css in ("div.output.stderr", "div.output.traceback", "div.output.error"):
        assert not soup.select(css), f"{doc} shows {css}"
    assert "Traceback (most recent call last)" not in soup.get_text()
    for output in soup.select("div.cell_output"):
        found = re.search(r"\b\w+(Error|Warning): .*", output.get_text())
        assert not found, f"{doc} shows {found.group(0)!r} in a cell's output"


def test_metrics_come_from_book_chapters_and_are_glued():
    metrics = read_metrics(BUILD / "metrics.json")
    assert metrics, "no chapter recorded any figure"
    chapters = {Path(doc).name: doc for doc in NOTEBOOKS}
    for name, entry in metrics.items():
        assert entry["chapter"] in chapters, f"{name} comes from unknown {entry['chapter']}"
        doc = chapters[entry["chapter"]]
        glued = json.loads((EXECUTED / f"{doc}.glue.json").read_text())
        assert name in glued, f"{name} was recorded but not glued in {doc}"


def test_mnist_chapter_numbers_come_from_the_run():
    metrics = read_metrics(BUILD / "metrics.json")
    assert metrics["n_train"]["value"] == 60000
    assert metrics["n_test"]["value"] == 10000
    text = page("book/mnist_dataset").get_text()
    assert "60,000" in text and "10,000" in text


# Figures the issues name, glued by the chapters as floats in [0, 1].
NAMED_ACCURACIES = {
    "mlp_test_accuracy": "book/first_network",
    "dropout_mlp_test_accuracy": "book/overfitting_dropout",
    "linear_baseline_test_accuracy": "book/first_network",
}


@pytest.mark.parametrize(("name", "doc"), NAMED_ACCURACIES.items())
def test_named_accuracies_are_glued_as_shares(name, doc):
    if doc not in PAGES:
        pytest.skip(f"{doc} is not in the book yet")
    metrics = read_metrics(BUILD / "metrics.json")
    assert metrics[name]["chapter"] == Path(doc).name
    value = metrics[name]["value"]
    assert isinstance(value, float) and 0.0 <= value <= 1.0, f"{name} = {value!r}"


def test_the_linear_baseline_is_well_below_the_mlp_and_far_above_guessing():
    """The baselines are computed by the build: a sanity check on their order."""
    metrics = {k: v["value"] for k, v in read_metrics(BUILD / "metrics.json").items()}
    if "mlp_test_accuracy" not in metrics:
        pytest.skip("the Keras chapters are not in the book yet")
    majority = metrics["first_network_majority_accuracy"]
    assert majority < 0.2 < 0.85 < metrics["linear_baseline_test_accuracy"]
    assert metrics["linear_baseline_test_accuracy"] < metrics["mlp_test_accuracy"]


@pytest.mark.parametrize("doc", NOTEBOOKS)
def test_no_progress_bars_on_the_page(doc):
    """Keras' per-step progress ("375/375 ━━━━ 2s 4ms/step") stays in the build log."""
    progress = re.compile(r"\d+/\d+ ━+|\d+m?s/step")
    for output in page(doc).select("div.cell_output"):
        found = progress.search(output.get_text())
        assert not found, f"{doc} shows Keras progress: {found.group(0)!r}"


def test_bench_reports_every_chapter_and_figure_of_this_build(capsys):
    """`make bench`'s report, run on this build, lists each executed chapter and figure."""
    path = REPO / "tests" / "bench" / "bench_build.py"
    spec = importlib.util.spec_from_file_location("bench_build", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.main(["--no-build"])
    out = capsys.readouterr().out
    for doc in NOTEBOOKS:
        assert re.search(rf"^{doc}\s+\d+\.\d\s+\d+ %\s+cache", out, re.MULTILINE), out
    for name in read_metrics(BUILD / "metrics.json"):
        assert re.search(rf"^{name}\s", out, re.MULTILINE), f"{name} missing from the report"
