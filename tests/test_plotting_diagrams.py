"""Tests of mnist_lessons.plotting.diagrams: what the neuron and network drawings contain."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.patches import Circle

from mnist_lessons import plotting


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _circles(ax):
    return [p for p in ax.patches if isinstance(p, Circle)]


def _texts(ax):
    return [t.get_text() for t in ax.texts]


# --- plot_neuron ---------------------------------------------------------------------------


def test_neuron_draws_one_circle_and_arrow_per_input_plus_the_neuron():
    ax = plotting.plot_neuron()
    assert isinstance(ax, Axes)
    assert len(_circles(ax)) == 3 + 1
    arrows = [c for c in ax.get_children() if isinstance(c, matplotlib.text.Annotation)]
    assert len(arrows) == 3 + 2  # one per input, the bias, the output
    texts = _texts(ax)
    for label in ("$x_1$", "$x_2$", "$x_n$", "$w_1$", "$w_2$", "$w_n$", r"$\vdots$"):
        assert label in texts
    assert "bias $b$" in texts and "$a = f(z)$" in texts
    assert ax.get_title() == r"$z = w_1\,x_1 + w_2\,x_2 + \dots + w_n\,x_n + b$"
    assert not ax.axison


def test_neuron_writes_numbers_and_draws_on_the_given_axes():
    _, given = plt.subplots()
    ax = plotting.plot_neuron(
        given,
        inputs=(0.5, 1.0),
        weights=(-0.25, 2),
        bias=0.1,
        activation=r"\sigma",
        gap_before_last=False,
    )
    assert ax is given
    assert len(_circles(ax)) == 3
    texts = _texts(ax)
    assert {"$0.5$", "$1$", "$-0.25$", "$2$", "bias $0.1$", r"$a = \sigma(z)$"} <= set(texts)
    assert r"$\vdots$" not in texts
    assert ax.get_title() == r"$z = -0.25\,0.5 + 2\,1 + 0.1$"
    # The circles stay round: equal aspect.
    assert ax.get_aspect() == 1.0


def test_neuron_needs_one_weight_per_input():
    with pytest.raises(ValueError, match="one weight per input"):
        plotting.plot_neuron(inputs=("x_1", "x_2"), weights=("w_1",))


# --- plot_network --------------------------------------------------------------------------


def test_network_draws_large_layers_with_dots():
    ax = plotting.plot_network((784, 256, 128, 10), activations=("ReLU", "ReLU", "softmax"))
    # 7 slots per layer: 6 units and the dots.
    assert len(_circles(ax)) == 4 * 6
    assert _texts(ax).count(r"$\vdots$") == 4
    assert len(ax.lines) == 3 * 6 * 6  # every drawn unit joined to every drawn unit next door
    labels = [t for t in _texts(ax) if "units" in t]
    assert labels == [
        "input\n784 units",
        "hidden 1\n256 units\nReLU",
        "hidden 2\n128 units\nReLU",
        "output\n10 units\nsoftmax",
    ]
    # The layers sit in columns, left to right.
    xs = sorted({round(c.center[0], 6) for c in _circles(ax)})
    assert xs == [0.0, 3.0, 6.0, 9.0]


def test_small_network_draws_every_unit_and_its_edge_and_node_texts():
    W1 = np.array([["a", "b"], ["c", "d"], ["e", "f"]])  # (3, 2): like W^(1)
    W2 = np.array([["g", "h", "i"]])  # (1, 3)
    nodes = [["x1", "x2"], ["h1", "h2", "h3"], ["out"]]
    ax = plotting.plot_network(
        (2, 3, 1), edge_text=[W1, W2], node_text=nodes, layer_gap=4, node_gap=2
    )
    assert len(_circles(ax)) == 6 and len(ax.lines) == 2 * 3 + 3 * 1
    assert "output\n1 unit" in _texts(ax)
    centre = {}
    for circle in _circles(ax):
        centre.setdefault(circle.center[0], []).append(circle.center)
    inputs, hidden = (
        sorted(centre[0.0], key=lambda c: -c[1]),
        sorted(centre[4.0], key=lambda c: -c[1]),
    )
    # W[j, k] sits a quarter of the way from input unit k to hidden unit j.
    by_text = {t.get_text(): np.array(t.get_position()) for t in ax.texts}
    for j in range(3):
        for k in range(2):
            where = np.array(inputs[k]) + 0.25 * (np.array(hidden[j]) - np.array(inputs[k]))
            np.testing.assert_allclose(by_text[W1[j, k]], where)
    # Node texts sit above their units.
    for label, unit in zip(nodes[1], hidden, strict=True):
        assert by_text[label][0] == pytest.approx(unit[0]) and by_text[label][1] > unit[1]
    sizes = {t.get_text(): t.get_fontsize() for t in ax.texts}
    assert sizes["a"] == sizes["h1"] == 10


def test_network_texts_take_the_given_size():
    ax = plotting.plot_network((1, 1), edge_text=[[["w"]]], node_text=[["x"], ["y"]], text_size=14)
    assert {t.get_fontsize() for t in ax.texts if t.get_text() in {"w", "x", "y"}} == {14}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sizes": (784,)}, "at least two"),
        ({"sizes": (3, 0)}, "at least two positive"),
        ({"sizes": (3, 2), "max_nodes": 2}, "at least 3"),
        ({"sizes": (3, 2), "activations": ("relu", "relu")}, "one activation per layer"),
        ({"sizes": (30, 2), "node_text": [[""] * 30, ["", ""]]}, "every unit drawn"),
        ({"sizes": (3, 2), "node_text": [["", ""], ["", ""]]}, "one text per unit"),
        ({"sizes": (3, 2), "edge_text": [np.zeros((3, 2))]}, "shaped like the weights"),
    ],
    ids=["one-layer", "zero-units", "max-nodes", "activations", "dots", "node-text", "edges"],
)
def test_network_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_network(**kwargs)


# --- plot_forward_pass ---------------------------------------------------------------------


def test_forward_pass_draws_the_digit_one_bar_per_unit_and_counts_active_units():
    rng = np.random.default_rng(0)
    image = rng.random((28, 28))
    hidden = [np.maximum(rng.standard_normal(16), 0), np.maximum(rng.standard_normal(8), 0)]
    p = np.full(10, 0.02)
    p[3] = 0.82
    fig = plotting.plot_forward_pass(image.ravel(), hidden, p, true_class=3)
    axes = fig.axes
    assert len(axes) == 4
    np.testing.assert_allclose(axes[0].get_images()[0].get_array(), image)
    for ax, a in zip(axes[1:3], hidden, strict=True):
        np.testing.assert_allclose([bar.get_height() for bar in ax.patches], a)
        assert f"{np.count_nonzero(a > 0)} of {a.size} active" in ax.get_title()
    bars = axes[3].patches
    np.testing.assert_allclose([bar.get_height() for bar in bars], p)
    assert [bar.get_facecolor() for bar in bars].count(bars[3].get_facecolor()) == 1


def test_forward_pass_rejects_logits_and_batches():
    with pytest.raises(ValueError, match="not the logits"):
        plotting.plot_forward_pass(np.zeros((28, 28)), [np.ones(4)], np.array([2.0, -1.0]))
    with pytest.raises(ValueError, match=r"layer\.a\[0\]"):
        plotting.plot_forward_pass(np.zeros((28, 28)), [np.ones((1, 4))], np.array([0.5, 0.5]))


# --- alt text --------------------------------------------------------------------------------


def test_neuron_and_network_alt_texts_say_what_is_drawn():
    ax = plotting.plot_neuron(inputs=(0.5, 2), weights=(1, -1), bias=0.25, activation=r"\sigma")
    assert plotting.get_alt_text(ax) == (
        "Diagram of one neuron: 2 inputs, each on an arrow labelled with its weight, and a bias "
        "0.25 enter a circle that sums them into z and applies sigma, giving a = sigma(z); z is "
        "0.5 times 1, 2 times -1 plus 0.25."
    )
    ax = plotting.plot_network((784, 32, 10), activations=["relu", "softmax"])
    assert plotting.get_alt_text(ax) == (
        "Diagram of a network as 3 columns of circles: 784 inputs, hidden layer 1 of 32 "
        "(relu), 10 outputs (softmax); each unit is joined to every unit of the next column, "
        "25,408 connections in all."
    )


def test_forward_pass_alt_text_counts_active_units_and_names_the_top_class():
    p = np.array([0.1, 0.05, 0.8, 0.05])
    fig = plotting.plot_forward_pass(np.zeros((28, 28)), [np.array([0.0, 1, 2])], p, true_class=2)
    assert plotting.get_alt_text(fig) == (
        "A digit's forward pass in 3 panels: the 28 by 28 input image, bar charts of the hidden "
        "activations (layer 1: 2 of 3 units active), and the 4 output probabilities, the "
        "highest 0.80 for class 2 (true class 2, in orange)."
    )
