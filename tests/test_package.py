"""The package as a whole: one version, a light import, and the release a reader installs.

The release tests (``slow``) build the sdist and the wheel with ``python -m build``, check them
with ``twine check --strict``, compare their files with ``git ls-files mnist_lessons``, and
import every module from a fresh venv into which only the wheel was installed
(``tests/packagebuild.py``, fixtures in ``tests/conftest.py``). The dependency ranges are
checked against the versions Colab ships (``tests/colab_versions.txt``) and this venv's.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

import mnist_lessons

REPO = Path(__file__).resolve().parents[1]
COLAB_VERSIONS = REPO / "tests" / "colab_versions.txt"
# What the chapters need most from Colab: these must be in its list, so the check means something.
COLAB_CORE = {"tensorflow", "keras", "numpy", "matplotlib", "scikit-learn", "scipy"}


def test_importing_the_numpy_modules_imports_no_tensorflow():
    """The package, its data, report and plotting modules and the scratch networks stay light."""
    code = (
        "import sys, mnist_lessons, mnist_lessons.data, mnist_lessons.report, "
        "mnist_lessons.plotting, mnist_lessons.scratch; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# The dependency ranges: Colab's versions and this venv's are accepted.


def runtime_requirements() -> list[Requirement]:
    """``[project] dependencies`` of pyproject.toml: what ``pip install mnist-lessons`` brings."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return [Requirement(line) for line in project["dependencies"]]


def colab_runtime() -> tuple[Version, dict[str, Version]]:
    """Colab's Python and its ``name==version`` pins, read from ``tests/colab_versions.txt``."""
    text = COLAB_VERSIONS.read_text()
    python = Version(re.search(r"^# python: (\S+)$", text, re.MULTILINE).group(1))
    pins = {}
    for line in text.splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[canonicalize_name(name)] = Version(version.strip())
    return python, pins


def test_colab_versions_satisfy_the_dependency_ranges():
    """`%pip install mnist-lessons` on Colab keeps the TensorFlow, Keras, NumPy... Colab ships."""
    python, pins = colab_runtime()
    assert COLAB_CORE <= pins.keys(), "tests/colab_versions.txt lacks Colab's core packages"
    requires_python = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "requires-python"
    ]
    assert SpecifierSet(requires_python).contains(python), (
        f"requires-python {requires_python} rejects Colab's Python {python}"
    )
    rejected = [
        f"{req} rejects Colab's {pins[canonicalize_name(req.name)]}"
        for req in runtime_requirements()
        if canonicalize_name(req.name) in pins
        and not req.specifier.contains(pins[canonicalize_name(req.name)], prereleases=True)
    ]
    assert not rejected, "; ".join(rejected)


def test_this_venvs_versions_satisfy_the_dependency_ranges():
    """The versions the book is built and tested with are inside the ranges too."""
    rejected = []
    for req in runtime_requirements():
        version = importlib.metadata.version(req.name)
        if not req.specifier.contains(version, prereleases=True):
            rejected.append(f"{req} rejects the installed {version}")
    assert not rejected, "; ".join(rejected)


def test_the_colab_check_rejects_a_version_outside_a_range():
    """The check above can fail: a pin below a lower bound is rejected."""
    requirement = Requirement("tensorflow>=2.16,<3")
    assert not requirement.specifier.contains(Version("2.15.1"))
    assert requirement.specifier.contains(colab_runtime()[1]["tensorflow"])


# The built distributions.


def tracked_package_files() -> set[str]:
    """``git ls-files mnist_lessons``: every file of the package the repository holds."""
    out = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "mnist_lessons"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


@pytest.mark.slow
def test_the_wheel_and_sdist_carry_the_packages_version(built_dist):
    wheel, sdist = built_dist
    version = mnist_lessons.__version__
    assert wheel.name == f"mnist_lessons-{version}-py3-none-any.whl"
    assert sdist.name == f"mnist_lessons-{version}.tar.gz"
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"mnist_lessons-{version}.dist-info/METADATA").decode()
    assert f"\nVersion: {version}\n" in metadata
    # The wheel requires what pyproject.toml says (the extras' requirements carry a marker).
    requires = {
        str(Requirement(line.removeprefix("Requires-Dist: ")))
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist: ") and "extra ==" not in line
    }
    assert requires == {str(req) for req in runtime_requirements()}


@pytest.mark.slow
def test_twine_check_strict_passes(built_dist):
    """PyPI will render the long description (the README) and accept the metadata."""
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, built_dist)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2, result.stdout


@pytest.mark.slow
def test_the_wheel_holds_every_package_file_and_nothing_else(built_dist):
    """Modules, the widget's and explorables' JS/CSS, the site's templates and static files."""
    wheel, _ = built_dist
    names = wheel_names(wheel)
    missing = sorted(tracked_package_files() - names)
    assert not missing, f"the wheel lacks {missing}: see MANIFEST.in"
    dist_info = f"mnist_lessons-{mnist_lessons.__version__}.dist-info/"
    outside = sorted(n for n in names if not n.startswith(("mnist_lessons/", dist_info)))
    assert not outside, f"the wheel holds files outside the package: {outside}"
    compiled = sorted(n for n in names if "__pycache__" in n or n.endswith((".pyc", ".pyo")))
    assert not compiled, compiled
    assert "mnist_lessons/explore/static/explore/explorables/playground/worker.js" in names


@pytest.mark.slow
def test_the_sdist_holds_the_same_package_files(built_dist):
    wheel, sdist = built_dist
    prefix = sdist.name.removesuffix(".tar.gz") + "/"
    with tarfile.open(sdist) as archive:
        members = [m.name.removeprefix(prefix) for m in archive.getmembers() if m.isfile()]
    package = {name for name in members if name.startswith("mnist_lessons/")}
    assert package == {n for n in wheel_names(wheel) if n.startswith("mnist_lessons/")}
    assert {"pyproject.toml", "README.md", "LICENSE", "PKG-INFO"} <= set(members)
    assert not [name for name in members if name.startswith(("tests/", "_build/", "book/"))]


# The installed wheel, in a fresh venv.

IMPORT_EVERY_MODULE = """
import importlib, importlib.metadata, json, pkgutil, sys
import mnist_lessons
errors = {}
for module in pkgutil.walk_packages(mnist_lessons.__path__, "mnist_lessons."):
    try:
        importlib.import_module(module.name)
        errors[module.name] = None
    except Exception as error:
        errors[module.name] = [type(error).__name__, getattr(error, "name", None), str(error)]
print(json.dumps({
    "file": mnist_lessons.__file__,
    "version": mnist_lessons.__version__,
    "metadata_version": importlib.metadata.version("mnist-lessons"),
    "errors": errors,
}))
"""


def import_every_module(python: Path, cwd: Path) -> dict:
    """Import every module of the installed package with ``python``, run from ``cwd``."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    result = subprocess.run(
        [str(python), "-c", IMPORT_EVERY_MODULE],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def chapter_modules() -> set[str]:
    """The ``mnist_lessons`` modules the chapters' code cells import."""
    pattern = re.compile(r"^\s*(?:from|import) (mnist_lessons(?:\.\w+)*)", re.MULTILINE)
    found = {m for path in (REPO / "book").glob("*.md") for m in pattern.findall(path.read_text())}
    return found - {"mnist_lessons"}  # imported by every other module


@pytest.mark.slow
def test_every_module_imports_from_the_wheel_with_the_book_extra(
    wheel_book_python, built_dist, tmp_path
):
    """``pip install mnist-lessons[book]``: every module imports, the Sphinx extensions too."""
    found = import_every_module(wheel_book_python, tmp_path)
    assert Path(found["file"]).is_relative_to(wheel_book_python.parents[1])
    assert len(found["errors"]) > 40  # the walk found the modules
    failed = {name: error for name, error in found["errors"].items() if error}
    assert not failed, failed


@pytest.mark.slow
def test_every_module_imports_from_the_wheel_alone(wheel_python, built_dist, tmp_path):
    """``pip install mnist-lessons`` (as a notebook's first cell does) in a fresh venv.

    Every module the chapters import works; a module that fails may only fail for lack of a
    package the ``book`` extra brings (the Sphinx extensions), never for a missing file.
    """
    found = import_every_module(wheel_python, tmp_path)
    venv = wheel_python.parents[1]
    assert Path(found["file"]).is_relative_to(venv), found["file"]
    version = built_dist[0].name.split("-")[1]
    assert found["version"] == found["metadata_version"] == version == mnist_lessons.__version__
    assert chapter_modules() <= found["errors"].keys()
    # "How to cite" converts CITATION.cff with cffconvert (book extra): not a reader's lesson.
    needs_book_extra = {"mnist_lessons.citation"}
    for name, error in found["errors"].items():
        if error is None:
            continue
        kind, missing, message = error
        assert kind == "ModuleNotFoundError", f"{name}: {kind}: {message}"
        assert not missing.startswith("mnist_lessons"), f"{name}: {message}"
        assert name not in chapter_modules() - needs_book_extra, f"{name}: {message}"


# The page on PyPI.


def test_the_long_description_has_no_relative_links():
    """PyPI shows the README without the repository: a relative link there leads nowhere."""
    links = re.findall(r"\]\(([^)\s]+)\)", (REPO / "README.md").read_text())
    assert links, "the README's links were not found"
    relative = [link for link in links if not link.startswith(("https://", "http://", "#"))]
    assert not relative, f"make these README links absolute: {relative}"


def test_the_project_urls_are_citation_cffs():
    """Homepage and Source on PyPI are the book's and the repository's addresses."""
    import yaml

    citation = yaml.safe_load((REPO / "CITATION.cff").read_text())
    urls = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["urls"]
    assert urls["Homepage"] == citation["url"]
    assert urls["Source"] == citation["repository-code"]
    assert urls["Issues"] == citation["repository-code"] + "/issues"
