"""Run a Node test file (``node --test``) on fixtures a Python test wrote.

The JavaScript of the page (``mnist_lessons/explore/static/explore``) is tested like the
Python: its math against numbers that :mod:`mnist_lessons.scratch` (or Keras) computes. A pytest
test writes those numbers as JSON into a folder and calls :func:`run_node`; Node's built-in test
runner reads them from ``$MNIST_LESSONS_FIXTURES``. A failing Node test fails the pytest test,
with Node's report in the message.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    return value


def write_fixture(folder: Path, name: str, value) -> Path:
    """Write ``value`` (NumPy arrays become nested lists, in full precision) as ``name``.json."""
    path = Path(folder) / f"{name}.json"
    path.write_text(json.dumps(_plain(value), allow_nan=False))
    return path


def run_node(test_file: str | Path, fixtures: Path, *, timeout: float = 120) -> str:
    """Run ``node --test test_file`` with ``MNIST_LESSONS_FIXTURES=fixtures``; fail on failure."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js (>= 18) is needed for the JavaScript tests: install nodejs.")
    result = subprocess.run(
        [node, "--test", str(REPO / test_file)],
        cwd=REPO,
        env={**os.environ, "MNIST_LESSONS_FIXTURES": str(fixtures)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    report = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"node --test {test_file} failed:\n{report[-6000:]}", pytrace=False)
    if "# pass 0" in report:
        pytest.fail(f"node --test {test_file} ran no test:\n{report[-2000:]}", pytrace=False)
    return report
