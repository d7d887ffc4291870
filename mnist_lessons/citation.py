"""How to cite the book: BibTeX and APA made from ``CITATION.cff`` by cffconvert.

``CITATION.cff`` (at the repository's root) holds everything about the citation except the
version: the version has one source, :data:`mnist_lessons.__version__`, which this module adds
before converting. The "How to cite" page calls :func:`citations` at build time, so what it
shows is always what the file and the package say.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import yaml

from mnist_lessons import __version__

__all__ = ["BIBTEX_KEY", "Citations", "citations", "find_citation_file"]

BIBTEX_KEY = "mnist_lessons_book"  # cffconvert writes the placeholder key "YourReferenceHere"


@dataclasses.dataclass(frozen=True)
class Citations:
    """The book's citation in the formats the "How to cite" page shows."""

    bibtex: str
    apa: str
    version: str
    cff: dict


def find_citation_file(start: str | os.PathLike | None = None) -> Path:
    """``CITATION.cff`` in ``start`` (default: the working folder) or the nearest parent."""
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "CITATION.cff").is_file():
            return folder / "CITATION.cff"
    raise FileNotFoundError(
        f"No CITATION.cff in {here} or above it: run this from inside the book's repository, "
        "or pass the file's path."
    )


def citations(path: str | os.PathLike | None = None) -> Citations:
    """Read ``CITATION.cff``, add the package's version, and convert it with cffconvert.

    Raises
    ------
    ValueError
        If the file sets a version of its own (the package is the version's one source), or if
        cffconvert finds it invalid.
    """
    from cffconvert import Citation  # imported here: only the "How to cite" page needs it

    path = Path(path) if path is not None else find_citation_file()
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(cff, dict):
        raise ValueError(f"{path} is not a CFF mapping: check it with `cffconvert --validate`.")
    if "version" in cff:
        raise ValueError(
            f"{path} sets version {cff['version']!r}, but the version's one source is "
            "mnist_lessons.__version__: delete the version line from CITATION.cff."
        )
    cff = {**cff, "version": __version__}
    citation = Citation(yaml.safe_dump(cff, sort_keys=False, allow_unicode=True))
    try:
        citation.validate()
    except Exception as error:  # jsonschema's ValidationError, reworded
        raise ValueError(f"{path} is not valid CFF 1.2.0: {error}") from error
    bibtex = re.sub(r"^@(\w+)\{YourReferenceHere,", rf"@\1{{{BIBTEX_KEY},", citation.as_bibtex())
    # An organisation as author: double braces keep BibTeX from reading it as "Last, First".
    for author in cff.get("authors", []):
        if "name" in author:
            bibtex = bibtex.replace(f"{{{author['name']}}}", f"{{{{{author['name']}}}}}")
    # cffconvert's BibTeX leaves the version out; biblatex reads this field.
    bibtex = bibtex.replace("\ntitle = {", f"\nversion = {{{__version__}}},\ntitle = {{", 1)
    return Citations(
        bibtex=bibtex.strip(), apa=citation.as_apalike().strip(), version=__version__, cff=cff
    )
