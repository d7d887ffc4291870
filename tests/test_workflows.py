"""The release and weekly Colab workflows: well formed, complete, and their scripts working.

Neither workflow can run here (PyPI, GitHub releases, Colab's image). These tests read them:
the steps a release needs, in order; the Colab run naming every chapter that has code; and they
run the two scripts the workflows call (the tag check, and the notebook runner on small
notebooks that pass and fail).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

import mnist_lessons

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
SCRIPTS = REPO / ".github" / "scripts"
COLAB_IMAGE = "us-docker.pkg.dev/colab-images/public/runtime"


def workflow(name: str) -> dict:
    """A workflow file, parsed (YAML 1.1 reads the key ``on`` as True: it is put back)."""
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(job: dict) -> list[dict]:
    return job["steps"]


def step_using(job: dict, action: str) -> dict:
    """The one step of ``job`` that uses ``action`` (``owner/name``, any version)."""
    found = [s for s in steps(job) if s.get("uses", "").split("@")[0] == action]
    assert len(found) == 1, f"expected one step using {action}, found {len(found)}"
    return found[0]


def index_of_run(job: dict, pattern: str) -> int:
    """Index of the first step whose ``run`` matches ``pattern`` (a regular expression)."""
    for index, step in enumerate(steps(job)):
        if re.search(pattern, step.get("run", "")):
            return index
    raise AssertionError(f"no step runs {pattern!r}")


def notebook_chapters() -> list[str]:
    """The chapters that get a published notebook, in the book's order (helper of the build)."""
    from mnist_lessons.takeaway.notebooks import chapters

    return chapters(REPO)


# The release workflow.


def test_release_runs_on_version_tags_only():
    release = workflow("release.yml")
    assert release["on"] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {"contents": "read"}  # jobs widen it where needed


def test_release_checks_the_tag_before_building():
    build = workflow("release.yml")["jobs"]["build"]
    check = index_of_run(build, r"check_version_tag\.py \"\$GITHUB_REF_NAME\"")
    tex = index_of_run(build, r"apt-get install[\s\S]*texlive-xetex[\s\S]*latexmk")
    assert "chromium" in steps(build)[tex]["run"]
    book = index_of_run(build, r"^make book$")
    package = index_of_run(build, r"python -m build")
    assert check < tex < book < package
    assert "twine check --strict" in steps(build)[package]["run"]
    gathered = steps(build)[index_of_run(build, r"mkdir release")]["run"]
    assert "takeaway/neural-networks-explained-with-mnist.pdf" in gathered
    assert "zip" in gathered and " html" in gathered  # the site, zipped


def test_release_installs_the_tex_packages_ci_installs():
    """The release's PDF needs what .ci/run installs for it (and the README names)."""
    build = workflow("release.yml")["jobs"]["build"]
    installed = set(steps(build)[index_of_run(build, r"apt-get install")]["run"].split())
    tex = r"(?:texlive-[\w-]+|tex-gyre|lmodern|latexmk|xindy|fonts-[\w-]+|poppler-utils)"
    for source in (REPO / ".ci" / "run", REPO / "README.md"):
        needed = set(re.findall(rf"(?<![\w-]){tex}(?![\w-])", source.read_text()))
        missing = sorted(needed - installed)
        assert not missing, f"release.yml does not install {missing}, named in {source.name}"


def test_release_publishes_to_pypi_by_trusted_publishing():
    jobs = workflow("release.yml")["jobs"]
    pypi = jobs["pypi"]
    assert pypi["needs"] == "build"
    assert pypi["permissions"] == {"id-token": "write"}
    assert pypi["environment"]["name"] == "pypi"
    publish = step_using(pypi, "pypa/gh-action-pypi-publish")
    assert "with" not in publish or "password" not in publish["with"]  # no token: OIDC


def test_release_attaches_the_pdf_and_the_site_zip():
    job = workflow("release.yml")["jobs"]["github-release"]
    assert job["permissions"] == {"contents": "write"}
    assert "pypi" in job["needs"]  # a release only once the package is on PyPI
    attach = step_using(job, "softprops/action-gh-release")
    assert attach["with"]["files"] == "release/*"
    assert attach["with"]["fail_on_unmatched_files"] is True


def run_tag_check(tag: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPTS / "check_version_tag.py"), tag],
        capture_output=True,
        text=True,
    )


def test_the_tag_check_accepts_the_packages_version():
    result = run_tag_check(f"v{mnist_lessons.__version__}")
    assert result.returncode == 0, result.stderr
    assert run_tag_check(f"refs/tags/v{mnist_lessons.__version__}").returncode == 0


@pytest.mark.parametrize("tag", ["v9.9.9", mnist_lessons.__version__, "v0.1", "release"])
def test_the_tag_check_rejects_another_tag(tag):
    result = run_tag_check(tag)
    assert result.returncode == 1
    assert f"{tag!r} does not match the package's version" in result.stderr
    assert f"v{mnist_lessons.__version__}" in result.stderr  # says which tag would do


# The weekly Colab workflow.


def test_colab_runs_weekly_and_by_hand():
    triggers = workflow("colab.yml")["on"]
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    (schedule,) = triggers["schedule"]
    _minute, _hour, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()  # once a week


def test_colab_runs_colabs_runtime_image():
    colab = workflow("colab.yml")
    assert colab["env"]["IMAGE"].split(":")[0] == COLAB_IMAGE
    job = colab["jobs"]["notebooks"]
    run = steps(job)[index_of_run(job, r"docker run")]["run"]
    assert '"$IMAGE"' in run and "run_notebooks.py" in run and "$CHAPTERS" in run
    checkout = [s for s in steps(job) if s.get("with", {}).get("ref") == "notebooks"]
    assert len(checkout) == 1  # the published notebooks


def test_colab_names_every_chapter_that_has_a_notebook():
    """Adding a chapter with code to _toc.yml without adding it here fails this test."""
    listed = workflow("colab.yml")["env"]["CHAPTERS"].split()
    expected = notebook_chapters()
    assert len(expected) > 15
    assert "neuron" in expected and "first_network" in expected
    missing = [name for name in expected if name not in listed]
    assert not missing, f"add {missing} to CHAPTERS in .github/workflows/colab.yml"
    unknown = [name for name in listed if name not in expected]
    assert not unknown, f"CHAPTERS in colab.yml names {unknown}, which get no notebook"
    assert listed == expected  # in the book's order, each once


def test_every_chapter_with_code_has_a_notebook_but_the_preface_and_pages_about_the_book():
    """The Colab run covers every chapter a reader runs: only these three are left out."""
    toc = (REPO / "_toc.yml").read_text()
    names = re.findall(r"^\s*(?:root|-\s*file):\s*book/(\w+)", toc, re.MULTILINE)
    with_code = [n for n in names if "```{code-cell}" in (REPO / "book" / f"{n}.md").read_text()]
    left_out = set(with_code) - set(notebook_chapters())
    assert left_out == {"preface", "how_to_cite", "how_this_book_is_built"}


def test_colab_opens_an_issue_when_a_notebook_fails():
    job = workflow("colab.yml")["jobs"]["notebooks"]
    assert job["permissions"]["issues"] == "write"
    report = steps(job)[index_of_run(job, r"gh issue create")]
    assert report["if"] == "failure()"
    assert "summary.md" in report["run"]
    assert report["env"]["GH_TOKEN"] == "${{ github.token }}"


# The notebook runner the Colab workflow calls, on small notebooks.


def small_notebook(path: Path, *sources: str) -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, path)


@pytest.mark.slow
def test_the_runner_runs_every_notebook_and_reports_the_failures(tmp_path):
    notebooks, out = tmp_path / "notebooks", tmp_path / "executed"
    notebooks.mkdir()
    small_notebook(notebooks / "good.ipynb", "x = 6 * 7", "print(x)")
    small_notebook(notebooks / "bad.ipynb", "x = 1", "raise ValueError('MNIST | moved')", "y = 2")
    command = [sys.executable, str(SCRIPTS / "run_notebooks.py"), "--notebooks", str(notebooks)]
    result = subprocess.run(
        [*command, "--out", str(out), "--timeout", "60", "bad", "good", "gone"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    summary = (out / "summary.md").read_text()
    assert summary.startswith("1 of 3 notebooks ran; failed: bad, gone.")
    assert "| good | passed |" in summary
    assert "| bad | **failed**: cell 1: ValueError: MNIST \\| moved |" in summary
    assert "| gone | **failed**: no gone.ipynb in" in summary
    # Every chapter ran, after a failure too; the executed notebooks keep their outputs.
    good = nbformat.read(out / "good.ipynb", as_version=4)
    assert good.cells[1].outputs[0]["text"] == "42\n"
    bad = nbformat.read(out / "bad.ipynb", as_version=4)
    assert bad.cells[1].outputs[0]["ename"] == "ValueError"


@pytest.mark.slow
def test_the_runner_passes_when_every_notebook_passes(tmp_path):
    small_notebook(tmp_path / "one.ipynb", "import sys", "assert sys.version_info >= (3, 11)")
    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPTS / "run_notebooks.py"),
            "--notebooks",
            str(tmp_path),
            "--out",
            str(tmp_path / "out"),
            "one",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 of 1 notebooks ran; none failed." in (tmp_path / "out" / "summary.md").read_text()
