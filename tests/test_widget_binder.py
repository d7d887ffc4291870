"""The Binder environment in binder/: the build's versions, jupytext, and a chapter run in it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BINDER = REPO / "binder"
CHAPTER = "book/mnist_dataset.md"  # the cheapest chapter: no training


def pins() -> dict[str, str]:
    found = {}
    for line in (BINDER / "requirements.txt").read_text().splitlines():
        if match := re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s#]+)", line.strip()):
            found[match[1]] = match[2]
    return found


def test_binder_runs_python_3_11():
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"


def test_binder_pins_the_versions_the_book_is_built_with():
    assert {"tensorflow", "keras", "numpy", "jupytext", "ipycanvas"} <= set(pins())
    for name, pinned in pins().items():
        assert version(name) == pinned, f"binder/requirements.txt pins {name}=={pinned}"
    assert tuple(int(p) for p in pins()["jupytext"].split(".")[:2]) >= (1, 16)
    assert "-e ." in (BINDER / "requirements.txt").read_text().splitlines()


def test_binder_opens_markdown_chapters_as_notebooks():
    overrides = json.loads((BINDER / "default_setting_overrides.json").read_text())
    viewers = overrides["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers == {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK)
    assert ".jupyter/labconfig" in post_build.read_text()


@pytest.mark.slow
def test_a_chapter_runs_as_a_notebook_in_a_fresh_binder_environment(tmp_path, real_mnist_dir):
    if sys.version_info[:2] != (3, 11):
        pytest.fail("Binder runs Python 3.11 (binder/runtime.txt): run this test with 3.11.")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    python = venv / "bin" / "python"
    # From the repository root, as repo2docker runs it ("-e ." is this repository).
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "-r", BINDER / "requirements.txt"],
        cwd=REPO,
        check=True,
        timeout=3000,
    )
    script = f"""
import jupytext, nbclient, nbformat
notebook = jupytext.read({str(REPO / CHAPTER)!r})
assert notebook.metadata["kernelspec"]["name"] == "python3"
nbclient.NotebookClient(notebook, timeout=600, resources={{"metadata": {{"path": "."}}}}).execute()
nbformat.write(notebook, "executed.ipynb")
"""
    env = {
        **os.environ,
        "MNIST_LESSONS_DATA": str(real_mnist_dir),
        "MNIST_LESSONS_METRICS": str(tmp_path / "metrics.json"),  # not the book's _build
        "MNIST_LESSONS_STORE": str(tmp_path / "models"),
    }
    subprocess.run([python, "-c", script], cwd=tmp_path, env=env, check=True, timeout=900)
    executed = json.loads((tmp_path / "executed.ipynb").read_text())
    code = [cell for cell in executed["cells"] if cell["cell_type"] == "code"]
    assert code and all(cell.get("execution_count") for cell in code)
    errors = [o for cell in code for o in cell["outputs"] if o["output_type"] == "error"]
    assert errors == []
    assert any(o.get("output_type") == "display_data" for cell in code for o in cell["outputs"])
