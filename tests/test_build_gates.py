"""`make book` fails on a broken chapter: tiny books built with the project's own _config.yml.

A good tiny book must build (so the failures below are the chapter's fault, not the set-up's);
a cell that raises, a cell that writes to stderr, a broken reference and a glue name that no
cell recorded must each make the build fail.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A tiny chapter

"""


def build_tiny_book(folder: Path, body: str) -> subprocess.CompletedProcess:
    """Write a two-page book whose chapter is ``body`` and run `make book` on it."""
    (folder / "book").mkdir()
    shutil.copy(REPO / "_config.yml", folder / "_config.yml")
    shutil.copy(REPO / "book" / "references.bib", folder / "book" / "references.bib")
    (folder / "_toc.yml").write_text(
        "format: jb-book\nroot: book/index\nchapters:\n  - file: book/chapter\n"
    )
    (folder / "book" / "index.md").write_text("# Tiny book\n\nSee {doc}`chapter`.\n")
    (folder / "book" / "chapter.md").write_text(HEADER + body)
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(REPO), "book", f"BOOK={folder}"],
        capture_output=True,
        text=True,
        timeout=600,
    )


def cell(source: str) -> str:
    return f"```{{code-cell}} ipython3\n{source}\n```\n\n"


def test_a_sound_chapter_builds(tmp_path):
    result = build_tiny_book(tmp_path, cell("total = 6 * 7\nprint(total)") + "Fine.\n")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    html = (tmp_path / "_build" / "html" / "book" / "chapter.html").read_text()
    assert "42" in html


@pytest.mark.parametrize(
    ("body", "evidence"),
    [
        (cell('raise ValueError("a deliberately broken cell")'), "a deliberately broken cell"),
        (cell('import sys\nprint("noise", file=sys.stderr)'), "stderr"),
        ("See {ref}`a-label-that-does-not-exist`.\n", "a-label-that-does-not-exist"),
        (cell("x = 1") + "The value is {glue:text}`never_glued`.\n", "never_glued"),
    ],
    ids=["raising-cell", "stderr-output", "broken-reference", "missing-glue"],
)
def test_a_broken_chapter_fails_the_build(tmp_path, body, evidence):
    result = build_tiny_book(tmp_path, body)
    log = result.stdout + result.stderr
    assert result.returncode != 0, f"the build passed despite the broken chapter:\n{log[-3000:]}"
    assert evidence in log, log[-3000:]
