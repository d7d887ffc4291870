"""The GitHub Pages workflow and `make linkcheck` stay consistent with `make book`."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "book.yml"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def makefile_rule(target: str) -> str:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{target}:.*?\n((?:\t.*\n)+)", text, flags=re.MULTILINE)
    assert match, f"no {target} rule in the Makefile"
    return match.group(1)


def test_workflow_builds_with_make_book_and_publishes_the_html():
    build = workflow()["jobs"]["build"]
    runs = [step.get("run", "") for step in build["steps"]]
    assert "make book" in runs
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "_build/html"
    deploy = workflow()["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any("deploy-pages" in s.get("uses", "") for s in deploy["steps"])


def test_workflow_python_meets_the_package_requirement():
    setup = next(
        s for s in workflow()["jobs"]["build"]["steps"] if "setup-python" in s.get("uses", "")
    )
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    minimum = re.search(r">=\s*(\d+\.\d+)", pyproject["project"]["requires-python"]).group(1)
    version = tuple(int(x) for x in setup["with"]["python-version"].split("."))
    assert version >= tuple(int(x) for x in minimum.split("."))


def test_make_book_builds_with_zero_warnings_allowed():
    assert "jupyter-book build $(BOOK) $(JB_FLAGS)" in makefile_rule("book")
    flags = re.search(r"^JB_FLAGS \?= (.*)$", (REPO / "Makefile").read_text(), re.MULTILINE)
    assert flags.group(1).split() == ["-n", "-W", "--keep-going"]


def test_linkcheck_uses_sphinx_linkcheck_and_is_not_part_of_make_test():
    rule = makefile_rule("linkcheck")
    assert "--builder linkcheck" in rule
    assert "linkcheck" not in makefile_rule("test")
