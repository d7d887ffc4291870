"""Shared fixtures: small IDX files written by the tests, the real MNIST folder, and Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from idxfiles import write_idx


@pytest.fixture
def small_mnist_dir(tmp_path: Path) -> Path:
    """A folder with four small, well-formed IDX files under MNIST's names (not MNIST)."""
    rng = np.random.default_rng(0)
    write_idx(
        tmp_path / "train-images-idx3-ubyte.gz",
        rng.integers(0, 256, (6, 28, 28), dtype=np.uint8),
    )
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", rng.integers(0, 10, 6, dtype=np.uint8))
    write_idx(tmp_path / "t10k-images-idx3-ubyte", rng.integers(0, 256, (2, 28, 28), np.uint8))
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", rng.integers(0, 10, 2, dtype=np.uint8))
    return tmp_path


@pytest.fixture(scope="session")
def real_mnist_dir() -> Path:
    """The real MNIST folder named by $MNIST_LESSONS_DATA (CI and `make test` set it)."""
    folder = os.environ.get("MNIST_LESSONS_DATA")
    if not folder or not Path(folder).is_dir():
        pytest.fail(
            "These tests read the real MNIST: set MNIST_LESSONS_DATA to the folder with the "
            "four IDX files (for example ../shared/data/mnist)."
        )
    return Path(folder)


@pytest.fixture(scope="session")
def real_mnist(real_mnist_dir):
    """The real MNIST arrays, loaded once for the session."""
    from mnist_lessons.data import load_mnist

    return load_mnist(real_mnist_dir)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Playwright: Debian's, else Playwright's own (tests/browser)."""
    from browser import launch
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            chromium = launch(playwright)
        except FileNotFoundError as error:
            pytest.exit(str(error), returncode=1)  # one sentence, not an error per test
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site_url():
    """The built site (_build/html) served on 127.0.0.1, for the browser tests of its pages.

    ``MNIST_LESSONS_SITE_HTML`` names another built site to serve (a single-page build's html
    folder, while working on one chapter).
    """
    from browser import serve
    from test_site import HTML

    with serve(Path(os.environ.get("MNIST_LESSONS_SITE_HTML", HTML))) as url:
        yield url


# The companion package, built and installed as a reader gets it (tests/packagebuild.py). Each
# is made once per content, under a file lock, so pytest-xdist workers and later runs share it.


@pytest.fixture(scope="session")
def built_dist() -> tuple[Path, Path]:
    """``(wheel, sdist)`` of the package, built by ``python -m build`` from its sources."""
    from packagebuild import cached_dist

    return cached_dist()


@pytest.fixture(scope="session")
def wheel_python(built_dist) -> Path:
    """The python of a fresh venv holding only the built wheel, its dependencies, and a kernel.

    ``ipykernel`` and ``nbclient`` come with it so that notebooks can run in that venv as on
    Colab or Jupyter (``python -m ...`` there; the kernel ``python3`` is the venv's). Run it
    from a folder outside the repository (``cwd=tmp_path``): it then imports the installed
    package, not the working tree.
    """
    from packagebuild import cached_venv

    return cached_venv(built_dist[0], packages=("ipykernel", "nbclient"))


@pytest.fixture(scope="session")
def wheel_book_python(built_dist) -> Path:
    """The python of a fresh venv holding the built wheel with its ``book`` extra."""
    from packagebuild import cached_venv

    return cached_venv(built_dist[0], extras=("book",))
