"""book/references.bib holds the references the course material needs, and every one is cited."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIB = (REPO / "book" / "references.bib").read_text(encoding="utf-8")
ENTRIES = dict(re.findall(r"^@\w+\{([^,]+),(.*?)^\}", BIB, flags=re.MULTILINE | re.DOTALL))
CHAPTERS = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "book").glob("*.md"))
CITED = {
    key.strip()
    for keys in re.findall(r"\{cite(?::[pt])?\}`([^`]+)`", CHAPTERS)
    for key in keys.split(",")
}

# The works issue 8 names: (a surname of the first author, year).
REQUIRED = [
    ("LeCun", 1998),
    ("Rumelhart", 1986),
    ("Kingma", 2015),
    ("Srivastava", 2014),
    ("Hochreiter", 1997),
    ("Raissi", 2019),
    ("Hinton", 2006),
    ("Glorot", 2010),
    ("Nair", 2010),
    ("Goodfellow", 2016),
    ("Nielsen", 2015),
    ("Tieleman", 2012),
]


def field(entry: str, name: str) -> str:
    """The first line of a field's value (enough for the author's surname and the year)."""
    match = re.search(rf"^\s*{name}\s*=\s*[{{\"]([^\n]*)", entry, re.MULTILINE | re.I)
    return match.group(1).rstrip(' ,}"') if match else ""


@pytest.mark.parametrize(("surname", "year"), REQUIRED)
def test_a_required_reference_is_in_the_bibliography_and_cited(surname, year):
    keys = [
        key
        for key, entry in ENTRIES.items()
        if field(entry, "author").startswith(surname) and field(entry, "year") == str(year)
    ]
    assert keys, f"no {surname} {year} in references.bib"
    assert set(keys) & CITED, f"{keys} are in references.bib but no chapter cites them"


def test_every_entry_is_cited_and_every_citation_has_an_entry():
    assert set(ENTRIES) - CITED == set(), "entries no chapter cites"
    assert CITED - set(ENTRIES) == set(), "citations without an entry"
