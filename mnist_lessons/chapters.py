"""The book's chapters as a map for instructors: parts, prerequisites and reading times.

The preface draws the map (:func:`mnist_lessons.plotting.plot_chapter_map`) and gives each
part's reading time, both computed from the chapters' sources when the book is built, so they
follow the chapters. :func:`unmapped_references` keeps the map honest: a chapter that refers
back to an earlier one ({ref}, {numref}, {eq} or {doc}) must list it among its prerequisites,
direct or indirect, unless the reference is a side one named in :data:`SIDE_REFERENCES`.

NumPy-free and TensorFlow-free: only the standard library, and PyYAML to read ``_toc.yml``.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = [
    "PREREQUISITES",
    "SIDE_REFERENCES",
    "ancestors",
    "back_references",
    "chapter_title",
    "depths",
    "parts",
    "prose_words",
    "side_reference_sentences",
    "unmapped_references",
]

REPO = Path(__file__).resolve().parents[1]

# Each chapter's direct prerequisites: what a reader should have read first.
PREREQUISITES: dict[str, tuple[str, ...]] = {
    "mnist_dataset": (),
    "neuron": ("mnist_dataset",),
    "first_network": ("neuron",),
    "overfitting_dropout": ("first_network",),
    "evaluation": ("first_network",),
    "try_it": ("first_network",),  # the page runs the first network's trained MLP
    "forward_propagation": ("neuron",),
    "loss_functions": ("forward_propagation",),
    "backpropagation": ("loss_functions",),
    "gradient_descent": ("backpropagation",),
    "activations": ("gradient_descent",),
    "optimizers": ("gradient_descent",),
    "playground": ("activations", "optimizers"),  # trains what the from-scratch part built
    "network_types": ("first_network",),
    "convolutional_networks": ("network_types",),
    "recurrent_networks": ("network_types",),
    "autoencoders": ("network_types",),
    "physics_informed_networks": ("network_types",),
    # every network of the book on other digits; the widget's second network
    "other_digits": (
        "overfitting_dropout",
        "convolutional_networks",
        "recurrent_networks",
        "try_it",
    ),
}

# References back to a chapter that is not a prerequisite, and what for: a reader can follow
# them up later. Each reason completes "<chapter> refers to <earlier chapters> for ...".
_RECAP = "its recap of what the earlier parts built"
SIDE_REFERENCES: dict[tuple[str, str], str] = {
    ("network_types", "overfitting_dropout"): _RECAP,
    ("network_types", "evaluation"): _RECAP,
    ("network_types", "forward_propagation"): _RECAP,
    ("network_types", "loss_functions"): _RECAP,
    ("network_types", "backpropagation"): _RECAP,
    ("network_types", "gradient_descent"): _RECAP,
    ("evaluation", "overfitting_dropout"): "an exercise on the dropout network",
    ("recurrent_networks", "convolutional_networks"): "the training recipe it borrows",
    ("recurrent_networks", "backpropagation"): "its section on backpropagation through time",
    ("optimizers", "first_network"): "the learning-rate schedule the first network used",
    ("forward_propagation", "first_network"): "the trained network whose weights it shows",
    ("gradient_descent", "first_network"): "its comparison with the Keras network",
    ("physics_informed_networks", "optimizers"): "the learning-rate schedule it trains with",
    ("optimizers", "activations"): "the same network at the same too-large rate of SGD",
    ("other_digits", "evaluation"): "a threshold on the confidence, in an exercise",
}

_ROLE = re.compile(r"\{(ref|numref|eq|doc)\}`([^`]+)`")
_LABELS = [
    re.compile(r"^\((\S+)\)=", re.MULTILINE),  # (chap-...)= before a heading
    re.compile(r"^\s*name: (\S+)", re.MULTILINE),  # a figure's name
    re.compile(r"^\$\$ \((\S+)\)", re.MULTILINE),  # $$ (eq-...)
    re.compile(r"^:label: (\S+)", re.MULTILINE),  # an exercise's label
]


def parts(toc: str | Path = REPO / "_toc.yml") -> list[tuple[str, list[str]]]:
    """[(part caption, [chapter names])] in the order of ``_toc.yml``."""
    import yaml  # PyYAML: in the book's and the tests' extras

    data = yaml.safe_load(Path(toc).read_text(encoding="utf-8"))
    return [
        (part["caption"], [Path(entry["file"]).name for entry in part["chapters"]])
        for part in data["parts"]
    ]


def _source(chapter: str, book: Path) -> str:
    return (Path(book) / f"{chapter}.md").read_text(encoding="utf-8")


def chapter_title(chapter: str, book: str | Path = REPO / "book") -> str:
    """The chapter's ``# Title``."""
    match = re.search(r"^# (.+)$", _source(chapter, Path(book)), re.MULTILINE)
    if match is None:
        raise ValueError(f"book/{chapter}.md has no '# Title' line.")
    return match.group(1).strip()


def back_references(chapters: list[str], book: str | Path = REPO / "book") -> dict[str, set[str]]:
    """{chapter: the earlier chapters (in ``chapters``' order) it refers to}."""
    sources = {c: _source(c, Path(book)) for c in chapters}
    owner = {
        label: chapter
        for chapter, text in sources.items()
        for pattern in _LABELS
        for label in pattern.findall(text)
    }
    position = {c: i for i, c in enumerate(chapters)}
    found = {}
    for chapter, text in sources.items():
        targets = set()
        for role, target in _ROLE.findall(text):
            target = re.sub(r".*<(.+)>", r"\1", target).strip()  # `text <target>`
            targets.add(target if role == "doc" else owner.get(target))
        found[chapter] = {t for t in targets if t in position and position[t] < position[chapter]}
    return found


def ancestors(chapter: str, prerequisites: dict = PREREQUISITES) -> set[str]:
    """Every chapter ``chapter`` builds on, directly or through others."""
    seen, todo = set(), list(prerequisites[chapter])
    while todo:
        parent = todo.pop()
        if parent not in seen:
            seen.add(parent)
            todo.extend(prerequisites[parent])
    return seen


def depths(prerequisites: dict = PREREQUISITES) -> dict[str, int]:
    """The length of the longest chain of prerequisites leading to each chapter."""
    depth: dict[str, int] = {}

    def walk(chapter: str, path: tuple[str, ...] = ()) -> int:
        if chapter in path:
            raise ValueError(f"The chapter map has a cycle: {' -> '.join((*path, chapter))}.")
        if chapter not in depth:
            parents = prerequisites[chapter]
            depth[chapter] = 1 + max((walk(p, (*path, chapter)) for p in parents), default=-1)
        return depth[chapter]

    for chapter in prerequisites:
        walk(chapter)
    return depth


def unmapped_references(
    chapters: list[str],
    book: str | Path = REPO / "book",
    prerequisites: dict = PREREQUISITES,
) -> list[tuple[str, str]]:
    """(chapter, earlier chapter) pairs it refers to that the map neither implies nor excuses."""
    references = back_references(chapters, book)
    return sorted(
        (chapter, earlier)
        for chapter in chapters
        if chapter in prerequisites
        for earlier in references[chapter]
        if earlier not in ancestors(chapter, prerequisites)
        and (chapter, earlier) not in SIDE_REFERENCES
    )


def side_reference_sentences(titles: dict[str, str]) -> list[str]:
    """One sentence per chapter and reason in :data:`SIDE_REFERENCES`, with chapter titles."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for (chapter, earlier), reason in SIDE_REFERENCES.items():
        grouped.setdefault((chapter, reason), []).append(f"“{titles[earlier]}”")
    sentences = []
    for (chapter, reason), earlier in grouped.items():
        named = (
            earlier[0] if len(earlier) == 1 else ", ".join(earlier[:-1]) + " and " + earlier[-1]
        )
        sentences.append(f"“{titles[chapter]}” refers to {named} for {reason}")
    return sentences


def prose_words(text: str) -> int:
    """The number of words a reader reads: no front matter, code, solutions or display math."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)  # front matter
    text = re.sub(r"^```\{code-cell\}.*?^```$", "", text, flags=re.DOTALL | re.MULTILINE)
    text = re.sub(
        r"^````\{solution-start\}.*?^````\{solution-end\}\n````$",
        "",
        text,
        flags=re.DOTALL | re.MULTILINE,
    )
    text = re.sub(r"^```\{solution\}.*?^```$", "", text, flags=re.DOTALL | re.MULTILINE)
    text = re.sub(r"^\$\$.*?^\$\$.*?$", "", text, flags=re.DOTALL | re.MULTILINE)
    text = re.sub(r"\{glue:text\}`[^`]+`", "N", text)  # a glued number reads as one word
    return len(re.findall(r"[A-Za-z0-9][\w'-]*", text))
