"""CITATION.cff is valid, and the "How to cite" page's BibTeX and APA come from it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import mnist_lessons
from mnist_lessons.citation import BIBTEX_KEY, citations, find_citation_file

REPO = Path(__file__).resolve().parents[1]
CFF = REPO / "CITATION.cff"


def test_citation_file_passes_cffconvert_validate():
    cffconvert = Path(sys.executable).with_name("cffconvert")
    command = [str(cffconvert)] if cffconvert.exists() else [shutil.which("cffconvert") or ""]
    result = subprocess.run(
        [*command, "--validate", "-i", str(CFF)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout


def test_the_version_has_one_source_the_package():
    cff = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    assert "version" not in cff
    assert re.fullmatch(r"\d+\.\d+\.\d+", mnist_lessons.__version__)
    assert citations(CFF).version == mnist_lessons.__version__


def test_bibtex_and_apa_carry_the_files_title_authors_year_and_the_version():
    cff = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    made = citations(CFF)
    fields = dict(re.findall(r"^(\w+) = \{(.*)\},?$", made.bibtex, flags=re.MULTILINE))
    assert made.bibtex.startswith(f"@misc{{{BIBTEX_KEY},")
    assert fields["title"] == cff["title"]
    assert fields["author"] == "{" + cff["authors"][0]["name"] + "}"  # an organisation
    assert fields["year"] == str(cff["date-released"])[:4]
    assert fields["version"] == mnist_lessons.__version__
    assert made.bibtex.count("{") == made.bibtex.count("}")
    assert cff["title"] in made.apa
    assert f"(version {mnist_lessons.__version__})" in made.apa


def test_find_citation_file_searches_upwards(tmp_path):
    assert find_citation_file(REPO / "book") == CFF
    with pytest.raises(FileNotFoundError, match=r"No CITATION\.cff"):
        find_citation_file(tmp_path)


def test_a_second_version_or_an_invalid_file_is_refused(tmp_path):
    cff = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    with_version = tmp_path / "with_version.cff"
    with_version.write_text(yaml.safe_dump({**cff, "version": "9.9.9"}), encoding="utf-8")
    with pytest.raises(ValueError, match="delete the version line"):
        citations(with_version)
    no_authors = tmp_path / "no_authors.cff"
    no_authors.write_text(
        yaml.safe_dump({k: v for k, v in cff.items() if k != "authors"}), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="not valid CFF"):
        citations(no_authors)
    not_a_mapping = tmp_path / "list.cff"
    not_a_mapping.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a CFF mapping"):
        citations(not_a_mapping)


def test_citation_points_at_the_repository_the_book_is_built_from():
    cff = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    assert cff["repository-code"] == config["repository"]["url"]
    assert citations(CFF).bibtex.count(f"url = {{{cff['url']}}}") == 1
