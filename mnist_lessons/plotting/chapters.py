"""The preface's map of the chapters: which chapter builds on which.

Matplotlib only. :func:`plot_chapter_map` takes ``ax=None`` (a new figure) and returns the Axes.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

from mnist_lessons.plotting.output import alt_text

__all__ = ["MAP_ROWS", "chapter_map_in_words", "chapter_positions", "plot_chapter_map"]

_BOX_WIDTH, _BOX_HEIGHT = 0.86, 0.74  # in data units: one column per step, one row per chapter

# The preface's rows, chosen so that no arrow crosses another: the Keras chapters on top, the
# types of networks in the middle, the from-scratch chain at the bottom.
MAP_ROWS: dict[str, float] = {
    "mnist_dataset": 0,
    "neuron": 0,
    "first_network": 2,
    "overfitting_dropout": 3,
    "evaluation": 2,
    "try_it": 1,
    "network_types": 0,
    "convolutional_networks": 1.5,
    "recurrent_networks": 0.5,
    "autoencoders": -0.5,
    "physics_informed_networks": -1.5,
    "other_digits": 1,
    "forward_propagation": -3,
    "loss_functions": -3,
    "backpropagation": -3,
    "gradient_descent": -3,
    "activations": -2.5,
    "optimizers": -3.5,
}


def chapter_positions(
    prerequisites: dict[str, tuple[str, ...]], order: list[str], rows: dict | None = None
) -> dict[str, tuple[float, float]]:
    """(x, y) of each chapter: x its depth (longest chain of prerequisites), y its row.

    The rows are ``rows[chapter]`` when ``rows`` names every chapter. Otherwise, within a
    column, chapters are sorted by the mean row of their prerequisites, then by their place in
    ``order`` (the table of contents), and centred on 0.
    """
    from mnist_lessons.chapters import depths

    depth = depths(prerequisites)
    if rows is not None and set(prerequisites) <= set(rows):
        return {c: (float(depth[c]), float(rows[c])) for c in prerequisites}
    place = {c: i for i, c in enumerate(order)}
    y: dict[str, float] = {}
    for column in range(max(depth.values()) + 1):
        chapters = [c for c in prerequisites if depth[c] == column]

        def key(c, chapters=chapters):
            parents = [y[p] for p in prerequisites[c]]
            return (sum(parents) / len(parents) if parents else 0.0, place.get(c, len(place)))

        chapters.sort(key=key)
        for i, c in enumerate(chapters):
            y[c] = (len(chapters) - 1) / 2 - i  # top to bottom
    return {c: (float(depth[c]), y[c]) for c in prerequisites}


def plot_chapter_map(
    prerequisites: dict[str, tuple[str, ...]],
    titles: dict[str, str],
    parts: list[tuple[str, list[str]]],
    ax=None,
    *,
    rows: dict | None = None,
):
    """Draw each chapter as a box coloured by its part, with an arrow from every prerequisite.

    Parameters
    ----------
    prerequisites : dict
        chapter -> its direct prerequisites (:data:`mnist_lessons.chapters.PREREQUISITES`).
    titles : dict
        chapter -> the title written in its box.
    parts : list of (caption, chapters)
        The parts of the book, for the colours and the legend.
    rows : dict, optional
        chapter -> its row (:data:`MAP_ROWS`); by default, see :func:`chapter_positions`.
    """
    order = [c for _, chapters in parts for c in chapters]
    position = chapter_positions(prerequisites, order, rows)
    # Translucent tab10 fills: pale on a white page, dark tints on a dark one, where the titles
    # (black, flipped to light by the dark variant) still read.
    colours = [(*c, 0.3) for c in plt.get_cmap("tab10").colors]
    part_of = {c: i for i, (_, chapters) in enumerate(parts) for c in chapters}
    own_figure = ax is None
    if own_figure:
        columns = 1 + max(x for x, _ in position.values())
        rows = 1 + max(y for _, y in position.values()) - min(y for _, y in position.values())
        _, ax = plt.subplots(figsize=(1.45 * columns, 0.62 * rows + 1.1), layout="constrained")
    for chapter, parents in prerequisites.items():
        x, y = position[chapter]
        for parent in parents:
            px, py = position[parent]
            ax.annotate(
                "",
                xy=(x - _BOX_WIDTH / 2, y),
                xytext=(px + _BOX_WIDTH / 2, py),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": "0.45",  # reads on white and on the dark page, unflipped
                    "lw": 1.0,
                    "shrinkA": 1,
                    "shrinkB": 1,
                },
            )
    for chapter, (x, y) in position.items():
        ax.add_patch(
            FancyBboxPatch(
                (x - _BOX_WIDTH / 2, y - _BOX_HEIGHT / 2),
                _BOX_WIDTH,
                _BOX_HEIGHT,
                boxstyle="round,pad=0,rounding_size=0.08",
                facecolor=colours[part_of.get(chapter, len(parts)) % len(colours)],
                edgecolor="0.3",
                linewidth=0.8,
            )
        )
        title = textwrap.fill(titles[chapter], 16, break_long_words=False)
        ax.text(x, y, title, ha="center", va="center", fontsize=7.5)
    used = sorted({part_of[c] for c in prerequisites if c in part_of})
    handles = [
        FancyBboxPatch((0, 0), 1, 1, facecolor=colours[i % len(colours)], edgecolor="0.3")
        for i in used
    ]
    ax.legend(
        handles,
        [parts[i][0] for i in used],
        loc="upper center",
        ncols=3,
        fontsize=8,
        frameon=False,
        bbox_to_anchor=(0.5, 1.0),
    )
    xs = [x for x, _ in position.values()]
    ys = [y for _, y in position.values()]
    ax.set_xlim(min(xs) - 0.5, max(xs) + 0.5)
    ax.set_ylim(min(ys) - 0.45, max(ys) + 1.1)  # room above for the legend
    ax.set_axis_off()
    if own_figure:
        alt_text(ax, chapter_map_in_words(prerequisites, titles, parts))
    return ax


def chapter_map_in_words(
    prerequisites: dict[str, tuple[str, ...]], titles: dict[str, str], parts: list
) -> str:
    """What :func:`plot_chapter_map` draws, for its alt text: boxes, arrows, the longest path."""
    from mnist_lessons.chapters import depths

    depth = depths(prerequisites)
    arrows = sum(len(parents) for parents in prerequisites.values())
    starts = [c for c, parents in prerequisites.items() if not parents]
    end = max(prerequisites, key=lambda c: depth[c])
    ends = [c for c in prerequisites if depth[c] == depth[end]]
    chain = [end]
    while prerequisites[chain[-1]]:
        chain.append(max(prerequisites[chain[-1]], key=lambda c: depth[c]))
    n_parts = len({i for i, (_, cs) in enumerate(parts) for c in cs if c in prerequisites})
    start, last = (" and ".join(titles[c] for c in chosen) for chosen in (starts, ends))
    return (
        f"Map of {len(prerequisites)} chapters as boxes coloured by their {n_parts} parts, "
        f"joined by {arrows} arrows from each chapter to those that build on it; the map starts "
        f"from {start}, and the longest chains run through {len(chain)} chapters, to {last}."
    )
