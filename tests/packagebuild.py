"""Build the companion package and install the built wheel into a fresh virtual environment.

The tests of the release (``tests/test_package.py``) and of the take-away notebooks use these
through the session fixtures ``built_dist`` and ``wheel_python`` of ``tests/conftest.py``:

- :func:`build_dist` runs ``python -m build`` on a copy of the package's sources (the package
  folder, ``pyproject.toml``, ``README.md``, ``LICENSE``, ``MANIFEST.in``; never the working
  tree itself, so parallel test workers do not share setuptools' scratch folders) and returns
  the wheel and the sdist.
- :func:`wheel_venv` creates a fresh venv with ``uv`` and installs into it only the built wheel
  (with its declared dependencies, optional extras, and any extra packages named, such as
  ``ipykernel`` for running notebooks), then returns the venv's ``python``. The venv never sees
  the repository: running that python from a folder outside the repository imports the
  *installed* package, as a reader's ``pip install mnist-lessons`` would.
- :func:`cached_dist` and :func:`cached_venv` do the same once per content: they build into a
  folder named after a hash of the sources (or of the wheel and the requested packages), under
  a file lock, so that pytest-xdist workers and later sessions reuse one result. Their root is
  ``$MNIST_LESSONS_PACKAGE_ROOT`` if set, else ``_build/package`` in the repository (which a
  clean ``make book`` removes). uv's own cache makes a second venv take seconds.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "mnist_lessons"
# What goes into the sdist besides the package folder (MANIFEST.in says the same).
TOP_FILES = ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".ipynb_checkpoints")


def package_root() -> Path:
    """The cache of builds and venvs: ``$MNIST_LESSONS_PACKAGE_ROOT`` or ``_build/package``."""
    return Path(os.environ.get("MNIST_LESSONS_PACKAGE_ROOT", REPO / "_build" / "package"))


def source_files(repo: Path = REPO) -> list[Path]:
    """Every file that goes into the distributions, relative to ``repo``, in a stable order."""
    files = [Path(name) for name in TOP_FILES if (repo / name).is_file()]
    for path in sorted((repo / PACKAGE).rglob("*")):
        relative = path.relative_to(repo)
        skipped = {"__pycache__", ".ipynb_checkpoints"} & set(relative.parts)
        if path.is_file() and not skipped and path.suffix not in {".pyc", ".pyo"}:
            files.append(relative)
    return files


def source_digest(repo: Path = REPO) -> str:
    """SHA-256 over the names and contents of :func:`source_files`: the key of a build."""
    digest = hashlib.sha256()
    for relative in source_files(repo):
        digest.update(str(relative).encode() + b"\0")
        digest.update((repo / relative).read_bytes() + b"\0")
    return digest.hexdigest()


def uv_bin() -> str:
    """The ``uv`` executable installed with the test extras (``pip install uv``)."""
    from uv import find_uv_bin

    return find_uv_bin()


def build_dist(out_dir: Path, repo: Path = REPO) -> tuple[Path, Path]:
    """Build the wheel and the sdist of the package into ``out_dir``; return ``(wheel, sdist)``.

    The sources are copied to ``out_dir/src`` first; ``python -m build`` then makes the sdist
    and, from the sdist, the wheel (as PyPI's users get them), into ``out_dir/dist``.
    """
    out_dir = Path(out_dir)
    src, dist = out_dir / "src", out_dir / "dist"
    shutil.rmtree(src, ignore_errors=True)
    shutil.rmtree(dist, ignore_errors=True)
    for relative in TOP_FILES:
        if (repo / relative).is_file():
            src.mkdir(parents=True, exist_ok=True)
            shutil.copy2(repo / relative, src / relative)
    shutil.copytree(repo / PACKAGE, src / PACKAGE, ignore=IGNORED)
    env = {**os.environ, "PATH": f"{Path(uv_bin()).parent}{os.pathsep}{os.environ['PATH']}"}
    command = [sys.executable, "-m", "build", "--installer", "uv", "--outdir", str(dist), str(src)]
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"python -m build failed:\n{result.stdout}\n{result.stderr}")
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    return wheel, sdist


def venv_python(venv_dir: Path) -> Path:
    """The python of a venv made by :func:`wheel_venv`."""
    return Path(venv_dir) / "bin" / "python"


def wheel_venv(
    venv_dir: Path,
    wheel: Path,
    *,
    extras: Sequence[str] = (),
    packages: Sequence[str] = (),
) -> Path:
    """Create a fresh venv at ``venv_dir`` with only ``wheel`` and its dependencies in it.

    Parameters
    ----------
    venv_dir
        The folder to create (removed first if it exists).
    wheel
        The built wheel, from :func:`build_dist`.
    extras
        The package's optional extras to install with it, e.g. ``("book",)``.
    packages
        Further requirements installed in the same resolution, e.g. ``("ipykernel",)`` so that
        nbclient can run notebooks in the venv (Colab and Jupyter provide a kernel the same way).

    Returns
    -------
    Path
        ``venv_dir/bin/python``: run it from a folder outside the repository, so that
        ``import mnist_lessons`` finds the installed wheel and not the working tree.
    """
    venv_dir = Path(venv_dir)
    shutil.rmtree(venv_dir, ignore_errors=True)
    uv = uv_bin()
    subprocess.run(
        [uv, "venv", "--quiet", "--python", sys.executable, str(venv_dir)],
        check=True,
        capture_output=True,
    )
    python = venv_python(venv_dir)
    target = str(Path(wheel).resolve()) + (f"[{','.join(extras)}]" if extras else "")
    result = subprocess.run(
        [uv, "pip", "install", "--quiet", "--python", str(python), target, *packages],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"uv pip install {target} failed:\n{result.stdout}\n{result.stderr}")
    return python


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (created), held for the ``with`` block, across processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cached_dist(root: Path | None = None) -> tuple[Path, Path]:
    """:func:`build_dist` once per content of the sources, shared by processes (a file lock)."""
    root = Path(root or package_root())
    out = root / f"dist-{source_digest()[:16]}"
    with _locked(root / f"{out.name}.lock"):
        done = out / "done"
        if not done.exists():
            build_dist(out)
            done.write_text("built\n")
    (wheel,) = (out / "dist").glob("*.whl")
    (sdist,) = (out / "dist").glob("*.tar.gz")
    return wheel, sdist


def cached_venv(
    wheel: Path,
    *,
    extras: Sequence[str] = (),
    packages: Sequence[str] = (),
    root: Path | None = None,
) -> Path:
    """:func:`wheel_venv` once per wheel, extras and packages, shared by processes (file lock)."""
    root = Path(root or package_root())
    key = hashlib.sha256(Path(wheel).read_bytes())
    key.update(repr((sorted(extras), sorted(packages), sys.version)).encode())
    venv_dir = root / f"venv-{key.hexdigest()[:16]}"
    with _locked(root / f"{venv_dir.name}.lock"):
        done = venv_dir / "done"
        if not done.exists():
            wheel_venv(venv_dir, wheel, extras=extras, packages=packages)
            done.write_text("installed\n")
    return venv_python(venv_dir)
