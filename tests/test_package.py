"""The package as a whole: one version, and a light import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_importing_the_numpy_modules_imports_no_tensorflow():
    """The package, its data, report and plotting modules and the scratch networks stay light."""
    code = (
        "import sys, mnist_lessons, mnist_lessons.data, mnist_lessons.report, "
        "mnist_lessons.plotting, mnist_lessons.scratch; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
