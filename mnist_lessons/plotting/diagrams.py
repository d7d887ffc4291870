"""Drawings of networks: one neuron, a multilayer perceptron layer by layer, and one digit's
forward pass through a trained network.

Matplotlib only. The two drawings take ``ax=None`` (a new figure) and return the Axes;
:func:`plot_forward_pass` has several panels and returns the Figure. The drawings are in
data coordinates with an equal aspect ratio, so circles stay round; the axis frame is hidden.
Labels are mathtext (``"w_1"`` is drawn as :math:`w_1`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.patches import Circle

from mnist_lessons.plotting.digits import _plain, fit_alt
from mnist_lessons.plotting.output import alt_text

__all__ = ["plot_forward_pass", "plot_network", "plot_neuron"]

# Translucent fills: pale on a white page, dark tints on a dark one, so that the labels inside,
# black on white and flipped to light in the dark variant, read in both colour modes.
INPUT_COLOUR = (*to_rgb("tab:blue"), 0.22)
NEURON_COLOUR = (*to_rgb("tab:orange"), 0.28)
OUTPUT_COLOUR = (*to_rgb("tab:green"), 0.25)
WEIGHT_COLOUR = "#2f7fc1"  # a blue and a red of mid luminance: 4:1 on white and on the dark page
BIAS_COLOUR = "#dc3c3c"


def _math(label) -> str:
    """``"x_1"`` -> ``"$x_1$"``; numbers are formatted with up to 3 significant digits."""
    if isinstance(label, int | float | np.number):
        return f"${label:.3g}$"
    return f"${label}$"


def _arrow(ax, start, end, colour="0.45", width=1.2):
    # A mid grey, 4.7:1 on white and 3.7:1 on the dark page: the dark variant does not
    # recolour an annotation's arrow.
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={"arrowstyle": "-|>", "color": colour, "lw": width, "shrinkA": 0, "shrinkB": 0},
    )


def _finish(ax):
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.autoscale_view()
    return ax


def plot_neuron(
    ax=None,
    *,
    inputs: Sequence = ("x_1", "x_2", "x_n"),
    weights: Sequence = ("w_1", "w_2", "w_n"),
    bias="b",
    activation: str = "f",
    gap_before_last: bool = True,
):
    r"""Draw one neuron: inputs, weighted arrows, the bias, the sum :math:`z` and :math:`a = f(z)`.

    .. math:: z = \sum_{j=1}^{n} w_j x_j + b, \qquad a = f(z)

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 7 x 4 inch figure if ``None``.
    inputs, weights : sequences of the same length
        Mathtext labels (``"x_1"``) or numbers, one per input; the title writes the sum with them.
    bias : str or number
        The bias' label or value.
    activation : str
        Mathtext name of the activation, written in the neuron (``"f"``, ``"\\sigma"``).
    gap_before_last : bool
        Draw vertical dots before the last input, which then stands for the n-th of many.

    Returns
    -------
    matplotlib.axes.Axes
        With one :class:`~matplotlib.patches.Circle` per input plus one for the neuron, and one
        arrow (annotation) per input, one for the bias and one for the output.
    """
    if len(inputs) != len(weights) or len(inputs) == 0:
        raise ValueError(
            f"Give one weight per input: got {len(inputs)} inputs and {len(weights)} weights."
        )
    own_figure = ax is None
    if own_figure:
        _, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    n = len(inputs)
    ys = np.arange(n, dtype=float)[::-1] * 1.3  # top to bottom
    if gap_before_last and n > 1:
        ys[-1] -= 0.9  # room for the dots
    centre = np.array([4.2, ys.mean()])
    radius, r_in = 0.75, 0.38
    for y, x_label, w_label in zip(ys, inputs, weights, strict=True):
        ax.add_patch(Circle((0, y), r_in, facecolor=INPUT_COLOUR, edgecolor="0.2"))
        ax.text(0, y, _math(x_label), ha="center", va="center", fontsize=13)
        start = np.array([r_in, y])
        direction = centre - start
        end = centre - radius * direction / np.linalg.norm(direction)
        _arrow(ax, start, end)
        middle = start + 0.42 * (end - start)
        ax.text(
            *middle + np.array([0, 0.12]),
            _math(w_label),
            ha="center",
            va="bottom",
            fontsize=13,
            color=WEIGHT_COLOUR,
        )
    if gap_before_last and n > 1:
        ax.text(0, (ys[-2] + ys[-1]) / 2, r"$\vdots$", ha="center", va="center", fontsize=16)
    ax.add_patch(Circle(centre, radius, facecolor=NEURON_COLOUR, edgecolor="0.2", lw=1.5))
    ax.plot([centre[0]] * 2, [centre[1] - radius, centre[1] + radius], color="0.2", lw=1)
    ax.text(centre[0] - radius / 2, centre[1], r"$\Sigma$", ha="center", va="center", fontsize=16)
    ax.text(
        centre[0] + radius / 2, centre[1], _math(activation), ha="center", va="center", fontsize=16
    )
    below = centre - np.array([0, radius + 1.2])
    _arrow(ax, below, centre - np.array([0, radius]))
    ax.text(
        *below - np.array([0, 0.1]),
        f"bias {_math(bias)}",
        ha="center",
        va="top",
        fontsize=13,
        color=BIAS_COLOUR,
    )
    out = centre + np.array([radius + 1.6, 0])
    _arrow(ax, centre + np.array([radius, 0]), out)
    ax.text(out[0] + 0.1, out[1], f"$a = {activation}(z)$", ha="left", va="center", fontsize=13)
    terms = " + ".join(
        f"{_math(w)[1:-1]}\\,{_math(x)[1:-1]}" for w, x in zip(weights, inputs, strict=True)
    )
    if gap_before_last and n > 2:
        *first, last = terms.split(" + ")
        terms = " + ".join([*first, r"\dots", last])
    ax.set_title(f"$z = {terms} + {_math(bias)[1:-1]}$", fontsize=13)
    ax.set_xlim(-0.8, out[0] + 2.2)
    ax.set_ylim(below[1] - 0.6, ys.max() + 0.6)
    if own_figure:
        pairs = ", ".join(
            f"{_plain(_math(x))} times {_plain(_math(w))}"
            for x, w in zip(inputs, weights, strict=True)
        )
        name = _plain(activation)
        alt_text(
            ax,
            fit_alt(
                f"Diagram of one neuron: {n} inputs, each on an arrow labelled with its weight, "
                f"and a bias {_plain(_math(bias))} enter a circle that sums them into z and "
                f"applies {name}, giving a = {name}(z)",
                f"; z is {pairs} plus {_plain(_math(bias))}.",
                ".",
            ),
        )
    return _finish(ax)


def _shown_units(n: int, max_nodes: int) -> list[int | None]:
    """Which units of a layer of ``n`` to draw; ``None`` marks the dots for those left out."""
    if n <= max_nodes:
        return list(range(n))
    top = (max_nodes - 1) // 2 + (max_nodes - 1) % 2
    bottom = max_nodes - 1 - top
    return [*range(top), None, *range(n - bottom, n)]


def plot_network(
    sizes: Sequence[int],
    ax=None,
    *,
    activations: Sequence[str] | None = None,
    max_nodes: int = 7,
    node_text: Sequence[Sequence[str]] | None = None,
    edge_text: Sequence | None = None,
    layer_gap: float = 3.0,
    node_gap: float = 1.0,
    edge_text_at: float = 0.25,
    text_size: float = 10,
):
    r"""Draw a multilayer perceptron: one column of units per layer, every unit joined to the next.

    Layer :math:`l` has ``sizes[l]`` units; layer 0 is the input. A layer of more than
    ``max_nodes`` units is drawn with its first and last units and vertical dots between them.

    Parameters
    ----------
    sizes : sequence of int
        Units per layer, input first, for example ``(784, 256, 128, 10)``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure sized to the network if ``None``.
    activations : sequence of str, optional
        The activation of each layer after the input (``len(sizes) - 1`` names), written under
        its column.
    max_nodes : int
        The most units drawn per layer (at least 3).
    node_text : sequence of sequences of str, optional
        Per layer, one text per unit, written above it (small networks only: every
        unit must be drawn). Use ``""`` to leave a unit without text.
    edge_text : sequence of arrays of str, optional
        Per layer :math:`l = 1, \dots, L`, an array shaped like :math:`W^{(l)}`, that is
        ``(sizes[l], sizes[l - 1])``: entry ``[j, k]`` is written on the edge from unit ``k`` of
        layer :math:`l - 1` to unit ``j`` of layer :math:`l`.
    layer_gap, node_gap : float
        Distances between columns and between units, in data units.
    edge_text_at : float
        Where along each edge its text goes, from 0 (the source) to 1 (the target); near the
        source the edges of one unit fan out and their texts do not overlap.
    text_size : float
        Font size of the node and edge texts, in points.

    Returns
    -------
    matplotlib.axes.Axes
        With one :class:`~matplotlib.patches.Circle` per drawn unit and one line per drawn edge.
    """
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(
            f"sizes must list at least two positive layer sizes, input first, got {sizes}."
        )
    if max_nodes < 3:
        raise ValueError(f"max_nodes must be at least 3 to leave room for dots, got {max_nodes}.")
    if activations is not None and len(activations) != len(sizes) - 1:
        raise ValueError(
            f"Give one activation per layer after the input ({len(sizes) - 1}), "
            f"got {len(activations)}."
        )
    shown = [_shown_units(n, max_nodes) for n in sizes]
    for name, texts in (("node_text", node_text), ("edge_text", edge_text)):
        if texts is not None and any(None in units for units in shown):
            raise ValueError(f"{name} needs every unit drawn: raise max_nodes to {max(sizes)}.")
    if node_text is not None and [len(t) for t in node_text] != sizes:
        raise ValueError(f"node_text must hold one text per unit of each layer {sizes}.")
    if edge_text is not None:
        shapes = [np.shape(t) for t in edge_text]
        wanted = [(sizes[l], sizes[l - 1]) for l in range(1, len(sizes))]  # noqa: E741
        if shapes != wanted:
            raise ValueError(f"edge_text must be shaped like the weights {wanted}, got {shapes}.")
    new_figure = ax is None
    if new_figure:
        _, ax = plt.subplots(layout="constrained")
        alt_text(ax, network_in_words(sizes, activations))
    radius = 0.22 * min(node_gap, layer_gap)
    position = {}  # (layer, unit) -> (x, y)
    for l, units in enumerate(shown):  # noqa: E741
        ys = (np.arange(len(units))[::-1] - (len(units) - 1) / 2) * node_gap
        for unit, y in zip(units, ys, strict=True):
            if unit is None:
                ax.text(l * layer_gap, y, r"$\vdots$", ha="center", va="center", fontsize=16)
            else:
                position[l, unit] = (l * layer_gap, y)
    for l in range(1, len(sizes)):  # noqa: E741
        for j in (u for u in shown[l] if u is not None):
            for k in (u for u in shown[l - 1] if u is not None):
                (x0, y0), (x1, y1) = position[l - 1, k], position[l, j]
                # From circle edge to circle edge: the circles' fills are translucent.
                dx, dy = np.array([x1 - x0, y1 - y0]) * radius / np.hypot(x1 - x0, y1 - y0)
                ax.plot([x0 + dx, x1 - dx], [y0 + dy, y1 - dy], color="0.6", lw=0.8, zorder=1)
                if edge_text is not None:
                    t = edge_text_at
                    ax.text(
                        x0 + t * (x1 - x0),
                        y0 + t * (y1 - y0),
                        str(edge_text[l - 1][j][k]),
                        ha="center",
                        va="center",
                        fontsize=text_size,
                        color=WEIGHT_COLOUR,
                        zorder=3,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
                    )
    last = len(sizes) - 1
    for (l, unit), xy in position.items():  # noqa: E741
        colour = INPUT_COLOUR if l == 0 else OUTPUT_COLOUR if l == last else NEURON_COLOUR
        ax.add_patch(Circle(xy, radius, facecolor=colour, edgecolor="0.2", zorder=2))
        if node_text is not None and node_text[l][unit]:
            ax.text(
                xy[0],
                xy[1] + 1.2 * radius,
                node_text[l][unit],
                ha="center",
                va="bottom",
                fontsize=text_size,
                zorder=4,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "0.7", "alpha": 0.9},
            )
    bottom = min(y for _, y in position.values()) - node_gap * 0.6
    for l, n in enumerate(sizes):  # noqa: E741
        name = "input" if l == 0 else "output" if l == last else f"hidden {l}"
        label = f"{name}\n{n:,} unit{'s' if n > 1 else ''}"
        if activations is not None and l > 0:
            label += f"\n{activations[l - 1]}"
        ax.text(l * layer_gap, bottom, label, ha="center", va="top", fontsize=11)
    top = max(y for _, y in position.values()) + node_gap * (1.3 if node_text else 0.5)
    xlim = (-layer_gap * 0.35, last * layer_gap + layer_gap * 0.35)
    ylim = (bottom - node_gap * (0.9 if activations else 0.7), top)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    if new_figure:  # sized to the drawing, at most 9 inches wide
        inch = min(0.7, 9 / (xlim[1] - xlim[0]))
        ax.figure.set_size_inches(inch * (xlim[1] - xlim[0]), inch * (ylim[1] - ylim[0]))
    return _finish(ax)


def network_in_words(sizes: Sequence[int], activations: Sequence[str] | None = None) -> str:
    """What :func:`plot_network` draws, for its alt text: the layers and the connections."""
    names = [f"{sizes[0]:,} inputs"]
    names += [f"hidden layer {i} of {n:,}" for i, n in enumerate(sizes[1:-1], start=1)]
    names += [f"{sizes[-1]:,} output{'s' if sizes[-1] > 1 else ''}"]
    if activations is not None:
        names[1:] = [f"{name} ({f})" for name, f in zip(names[1:], activations, strict=True)]
    links = sum(a * b for a, b in itertools.pairwise(sizes))
    return (
        f"Diagram of a network as {len(sizes)} columns of circles: {', '.join(names)}; each "
        f"unit is joined to every unit of the next column, {links:,} connections in all."
    )


def plot_forward_pass(image, hidden, probabilities, *, true_class=None):
    """One digit's forward pass, layer by layer: the input, each hidden layer, the output.

    Parameters
    ----------
    image : array, shape (28, 28) or (784,)
        The input digit (pixel values, drawn in grey).
    hidden : sequence of arrays, each shape (n_l,)
        The activations :math:`a^{(l)}` of each hidden layer for this digit, in order.
    probabilities : array, shape (K,)
        The output layer's softmax :math:`a^{(L)}`.
    true_class : int, optional
        The digit's class: its bar is drawn in orange.

    Returns
    -------
    matplotlib.figure.Figure
        With ``2 + len(hidden)`` axes: the image, one bar chart per hidden layer (one bar per
        unit, titled with how many units are active, :math:`a > 0`), and the ``K`` output bars.
    """
    image = np.asarray(image, dtype=float)
    if image.shape == (784,):
        image = image.reshape(28, 28)
    if image.ndim != 2:
        raise ValueError(f"image must be one digit, (28, 28) or (784,), got {image.shape}.")
    hidden = [np.asarray(a, dtype=float) for a in hidden]
    if any(a.ndim != 1 for a in hidden):
        raise ValueError(
            "Each hidden layer's activations must be 1-D, one value per unit: for a batch "
            "of one, pass layer.a[0]."
        )
    p = np.asarray(probabilities, dtype=float)
    if p.ndim != 1 or not np.isclose(p.sum(), 1, atol=1e-4) or p.min() < 0:
        raise ValueError(
            "probabilities must be one softmax output, shape (K,), non-negative and summing "
            "to 1: pass a^(L)[0], not the logits."
        )
    widths = [1.2] + [2.0] * len(hidden) + [1.4]
    fig, axes = plt.subplots(
        1,
        len(widths),
        figsize=(2.3 * sum(widths), 2.6),
        layout="constrained",
        gridspec_kw={"width_ratios": widths},
    )
    axes[0].imshow(image, cmap="gray_r", vmin=0)
    axes[0].set_xticks([])
    axes[0].set_yticks([])
    axes[0].set_title("input $a^{(0)}$")
    for l, (ax, a) in enumerate(zip(axes[1:-1], hidden, strict=True), start=1):  # noqa: E741
        ax.bar(np.arange(a.size), a, width=1.0, color="tab:blue")
        ax.set_xlim(-0.5, a.size - 0.5)
        ax.set_title(f"hidden $a^{{({l})}}$: {np.count_nonzero(a > 0)} of {a.size} active")
        ax.set_xlabel("unit")
    axes[1].set_ylabel("activation")
    k = np.arange(p.size)
    colours = ["tab:blue"] * p.size
    if true_class is not None:
        colours[int(true_class)] = "tab:orange"
    out = axes[-1]
    out.bar(k, p, color=colours)
    out.set_xticks(k)
    out.set_ylim(0, 1.05)
    out.set_xlabel("class")
    out.set_title(f"output $a^{{({len(hidden) + 1})}}$")
    layers = "; ".join(
        f"layer {l}: {np.count_nonzero(a > 0)} of {a.size} units active"
        for l, a in enumerate(hidden, start=1)  # noqa: E741
    )
    best = int(p.argmax())
    truth = "" if true_class is None else f" (true class {int(true_class)}, in orange)"
    alt_text(
        fig,
        f"A digit's forward pass in {len(widths)} panels: the {image.shape[0]} by "
        f"{image.shape[1]} input image, bar charts of the hidden activations "
        f"({layers}), and the {p.size} output probabilities, the highest {p[best]:.2f} for "
        f"class {best}{truth}.",
    )
    return fig
