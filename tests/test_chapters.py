"""mnist_lessons.chapters (the preface's chapter map) and its figure, on the book's sources."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest

from mnist_lessons import chapters
from mnist_lessons.plotting import MAP_ROWS, chapter_positions, get_alt_text, plot_chapter_map

PARTS = chapters.parts()
ORDER = [c for _, cs in PARTS for c in cs]


def test_the_map_covers_every_chapter_of_the_numbered_parts_and_try_it():
    in_parts = {c for caption, cs in PARTS if caption != "Back matter" for c in cs}
    assert set(chapters.PREREQUISITES) == in_parts


def test_prerequisites_come_earlier_in_the_table_of_contents():
    for chapter, parents in chapters.PREREQUISITES.items():
        for parent in parents:
            assert ORDER.index(parent) < ORDER.index(chapter), (parent, chapter)


def test_every_back_reference_of_a_chapter_is_on_the_map():
    # A chapter that refers to an earlier one must build on it, or name it a side reference.
    assert chapters.unmapped_references(ORDER) == []


def test_unmapped_references_finds_a_missing_prerequisite():
    # Remove loss_functions' prerequisite: its {ref}s to earlier chapters are now unmapped.
    cut = dict(chapters.PREREQUISITES, loss_functions=())
    missing = chapters.unmapped_references(ORDER, prerequisites=cut)
    assert any(chapter == "loss_functions" for chapter, _ in missing)


def test_depths_and_ancestors_on_a_small_map():
    small = {"a": (), "b": ("a",), "c": ("a",), "d": ("b", "c"), "e": ("d",)}
    assert chapters.depths(small) == {"a": 0, "b": 1, "c": 1, "d": 2, "e": 3}
    assert chapters.ancestors("e", small) == {"a", "b", "c", "d"}
    with pytest.raises(ValueError, match="cycle"):
        chapters.depths({"a": ("b",), "b": ("a",)})


def test_prose_words_leave_out_code_math_solutions_and_front_matter():
    text = "\n".join(
        [
            "---",
            "kernelspec: x",
            "---",
            "# Two words",
            "One two three.",
            "```{code-cell} ipython3",
            "print('not counted at all')",
            "```",
            "$$",
            "a = b + c",
            "$$ (eq-x)",
            "````{solution-start} ex",
            ":class: dropdown",
            "````",
            "Hidden words here.",
            "````{solution-end}",
            "````",
            "It is {glue:text}`name:.2f` %.",
        ]
    )
    # "Two words", "One two three", "It is N": 2 + 3 + 3 (the glued number is one word)
    assert chapters.prose_words(text) == 8


def test_the_figure_draws_one_box_per_chapter_and_one_arrow_per_prerequisite():
    titles = {c: chapters.chapter_title(c) for c in chapters.PREREQUISITES}
    ax = plot_chapter_map(chapters.PREREQUISITES, titles, PARTS, rows=MAP_ROWS)
    annotations = [t for t in ax.texts if type(t).__name__ == "Annotation"]
    labels = [t.get_text().replace("\n", " ") for t in ax.texts if t not in annotations]
    assert sorted(labels) == sorted(titles.values())
    assert len(ax.patches) == len(titles)  # one box per chapter
    assert len(annotations) == sum(len(p) for p in chapters.PREREQUISITES.values())
    # Left to right: every arrow points to a later column.
    position = chapter_positions(chapters.PREREQUISITES, ORDER, MAP_ROWS)
    for chapter, parents in chapters.PREREQUISITES.items():
        assert all(position[p][0] < position[chapter][0] for p in parents)


def test_the_map_alt_text_counts_chapters_and_arrows_and_follows_the_longest_chain():
    prerequisites = {"a": (), "b": ("a",), "c": ("b",), "d": ("a",)}
    titles = {c: c.upper() for c in prerequisites}
    parts = [("first", ["a", "b"]), ("second", ["c", "d"])]
    ax = plot_chapter_map(prerequisites, titles, parts)
    assert get_alt_text(ax) == (
        "Map of 4 chapters as boxes coloured by their 2 parts, joined by 3 arrows from each "
        "chapter to those that build on it; the map starts from A, and the longest chains run "
        "through 3 chapters, to C."
    )
