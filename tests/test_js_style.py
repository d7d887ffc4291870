"""The page's JavaScript reads like the book's Python (STYLE.md, points 14 and 17): ES modules,
``const``/``let`` (no ``var``), no tabs, lines of at most 99 characters, and every module parses
(``node --check``). Node's own parser is the reference; no linter is installed for this."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted(
    [
        *(REPO / "mnist_lessons").rglob("static/**/*.js"),
        *(REPO / "tests" / "js").glob("*.mjs"),
    ]
)


def test_there_is_javascript_to_check():
    assert len(SOURCES) > 20


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_javascript_style(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    long = [n for n, line in enumerate(lines, 1) if len(line) > 99]
    assert not long, f"lines over 99 characters: {long}"
    assert not [n for n, line in enumerate(lines, 1) if "\t" in line], "tabs"
    assert not [n for n, line in enumerate(lines, 1) if re.match(r"\s*var\s", line)], "var"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_javascript_parses(path):
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js (>= 18) is needed for the JavaScript tests: install nodejs.")
    # An ES module is checked as one (.mjs), a classic script as a script.
    text = path.read_text(encoding="utf-8")
    is_module = path.suffix == ".mjs" or re.search(r"^\s*(import|export)\b", text, re.M)
    check = ["--input-type=module"] if is_module else []
    result = subprocess.run(
        [node, "--check", *check] if is_module else [node, "--check", str(path)],
        input=text if is_module else None,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr[-2000:]
