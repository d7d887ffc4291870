"""Tests of mnist_lessons.plotting.neurons: activation curves, weight images, probability bars."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from mnist_lessons import plotting


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _visible(fig):
    return [ax for ax in fig.axes if ax.get_visible()]


# --- plot_activations ----------------------------------------------------------------------


def test_activations_draw_f_and_its_derivative_in_one_panel_each():
    square = (lambda z: z**2, lambda z: 2 * z)
    step = (np.sign, np.zeros_like)
    z = np.linspace(-2, 3, 11)
    fig = plotting.plot_activations(
        {"square": square, "sign": step, "id": (np.array, np.ones_like)}, z, ncols=2
    )
    assert isinstance(fig, Figure)
    panels = _visible(fig)
    assert [ax.get_title() for ax in panels] == ["square", "sign", "id"]
    assert len(fig.axes) == 4  # 2 x 2 grid, the last one hidden
    f_line, grad_line = panels[0].get_lines()[-2:]
    np.testing.assert_allclose(f_line.get_ydata(), z**2)
    np.testing.assert_allclose(grad_line.get_ydata(), 2 * z)
    assert grad_line.get_linestyle() == "--"
    assert panels[0].get_xlabel() == "$z$"
    legend = [t.get_text() for t in panels[0].get_legend().get_texts()]
    assert legend == ["$f(z)$", "$f'(z)$"]


def test_activations_reject_nothing_and_bad_z():
    with pytest.raises(ValueError, match="at least one activation"):
        plotting.plot_activations({})
    with pytest.raises(ValueError, match="1-D array"):
        plotting.plot_activations({"id": (np.array, np.ones_like)}, z=np.zeros((2, 2)))


# --- weight images -------------------------------------------------------------------------


def test_weight_image_is_the_reshaped_weights_on_a_scale_symmetric_about_zero():
    rng = np.random.default_rng(0)
    w = rng.normal(size=784)
    w[5] = -7.5  # the largest magnitude, negative
    ax = plotting.plot_weight_image(w, title="0 vs 1")
    assert isinstance(ax, Axes) and ax.get_title() == "0 vs 1"
    (image,) = ax.get_images()
    np.testing.assert_array_equal(image.get_array(), w.reshape(28, 28))
    assert image.get_clim() == (-7.5, 7.5)
    assert image.get_cmap().name == plotting.WEIGHT_CMAP
    # A weight of 0 is drawn white-ish, positive red, negative blue.
    r, g, b, _ = image.get_cmap()(image.norm(0.0))
    assert min(r, g, b) > 0.9
    red, blue = image.get_cmap()(image.norm(7.5)), image.get_cmap()(image.norm(-7.5))
    assert red[0] > red[2] and blue[2] > blue[0]
    colourbar = ax.figure.axes[-1]
    assert colourbar.get_ylabel() == "weight"


def test_weight_images_give_each_neuron_its_own_panel_and_scale():
    w1, w2 = np.linspace(-1, 1, 784), np.linspace(-3, 2, 784)
    fig = plotting.plot_weight_images([w1, w2.reshape(28, 28)], titles=["a", "b"])
    image_axes = [ax for ax in fig.axes if ax.get_images()]
    assert [ax.get_title() for ax in image_axes] == ["a", "b"]
    assert [ax.get_images()[0].get_clim() for ax in image_axes] == [(-1, 1), (-3, 3)]
    assert len(fig.axes) == 4  # two images, two colour bars


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: plotting.plot_weight_image(np.zeros((1, 784))), "pass layer.W"),
        (lambda: plotting.plot_weight_image(np.zeros(10)), "shaped"),
        (lambda: plotting.plot_weight_images([]), "at least one neuron"),
        (lambda: plotting.plot_weight_images([np.zeros(784)], titles=[]), "one title"),
    ],
    ids=["row", "not-square", "none", "titles"],
)
def test_weight_images_reject_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- plot_output_probabilities -------------------------------------------------------------


def test_output_probabilities_draw_one_bar_per_class_and_mark_the_true_class():
    rng = np.random.default_rng(1)
    p = rng.dirichlet(np.ones(10), size=7)  # (7, 10), rows sum to 1
    labels = np.array([3, 0, 9, 1, 1, 2, 7])
    fig = plotting.plot_output_probabilities(p, labels, ncols=4)
    panels = _visible(fig)
    assert len(panels) == 7 and len(fig.axes) == 8
    for ax, row, label in zip(panels, p, labels, strict=True):
        heights = [bar.get_height() for bar in ax.patches]
        np.testing.assert_allclose(heights, row)
        colours = [bar.get_facecolor() for bar in ax.patches]
        assert colours[label] == to_rgba("tab:orange")
        assert all(c == to_rgba("tab:blue") for k, c in enumerate(colours) if k != label)
        assert ax.get_title().endswith(f"true class {label}")
        (uniform,) = ax.get_lines()
        assert uniform.get_ydata()[0] == pytest.approx(0.1)
    assert panels[0].get_ylabel() == "probability" and panels[-1].get_xlabel() == "class"


def test_output_probabilities_reject_logits_and_mismatched_labels():
    with pytest.raises(ValueError, match="not the logits"):
        plotting.plot_output_probabilities(np.full((2, 10), 0.5))
    with pytest.raises(ValueError, match="2-D array"):
        plotting.plot_output_probabilities(np.full(10, 0.1))
    with pytest.raises(ValueError, match="one label per row"):
        plotting.plot_output_probabilities(np.full((2, 10), 0.1), labels=[1])


# --- plot_decision_regions -----------------------------------------------------------------


def test_decision_regions_map_the_probability_and_draw_the_points_by_class():
    x = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    y = np.array([0, 1, 0, 1])
    seen = []

    def predict(points):  # class 1 to the right of x_1 = 0.5
        seen.append(points.shape)
        return 1 / (1 + np.exp(-10 * (points[:, :1] - 0.5)))  # (m, 1)

    ax = plotting.plot_decision_regions(predict, x, y, title="t", n=51, margin=0.5)
    assert seen == [(51 * 51 + 4, 2)]  # the map and the points, in one call
    assert ax.get_title() == "t"
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"
    assert ax.get_xlim() == (-0.5, 1.5) and ax.get_ylim() == (-0.5, 1.5)
    filled, boundary, class_0, class_1 = ax.collections
    np.testing.assert_allclose(filled.levels, np.linspace(0, 1, 11))
    np.testing.assert_allclose(boundary.levels, [0.5])
    # The 0.5 contour is the vertical line x_1 = 0.5.
    (segment, *_) = boundary.allsegs[0]
    np.testing.assert_allclose(segment[:, 0], 0.5, atol=1e-9)
    np.testing.assert_array_equal(class_0.get_offsets(), x[y == 0])
    np.testing.assert_array_equal(class_1.get_offsets(), x[y == 1])
    assert ax.figure.axes[-1].get_ylabel() == "probability of class 1"


def test_decision_regions_skip_the_boundary_when_the_map_never_crosses_one_half():
    x, y = np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[0], [1]])
    ax = plotting.plot_decision_regions(
        lambda points: np.full(len(points), 0.25), x, y, colorbar=False
    )
    assert len(ax.collections) == 3  # the map and the two classes, no 0.5 contour
    assert len(ax.figure.axes) == 1


def test_decision_regions_reject_points_that_are_not_pairs():
    with pytest.raises(ValueError, match=r"shaped \(n, 2\)"):
        plotting.plot_decision_regions(np.sum, np.zeros((4, 3)), np.zeros(4))
    with pytest.raises(ValueError, match="one 0/1 label each"):
        plotting.plot_decision_regions(np.sum, np.zeros((4, 2)), np.zeros(3))


# --- alt text --------------------------------------------------------------------------------


def test_activations_alt_text_gives_each_function_range():
    fig = plotting.plot_activations(
        {"identity": (lambda z: z, np.ones_like), "leaky_step": (np.sign, np.zeros_like)},
        z=np.linspace(-2, 3, 11),
    )
    assert plotting.get_alt_text(fig) == (
        "2 panels, one per activation function, each plotting f(z) as a solid line and its "
        "derivative f'(z) dashed, for z from -2 to 3; f runs: identity from -2 to 3; leaky "
        "step from -1 to 1."
    )


def test_weight_images_alt_texts_give_the_extremes():
    w = np.linspace(-0.5, 0.25, 16)
    ax = plotting.plot_weight_image(w, title="$w$")
    assert plotting.get_alt_text(ax) == (
        "A neuron's 16 input weights as a 4 by 4 image, titled 'w', one cell per pixel, blue "
        "negative, red positive; they run from -0.5 to 0.25."
    )
    fig = plotting.plot_weight_images([w, 2 * w], titles=["a", "b"])
    assert plotting.get_alt_text(fig) == (
        "2 images side by side of neurons' input weights, one cell per pixel (4 by 4), blue "
        "negative, red positive, each on its own scale: a, from -0.5 to 0.25; b, "
        "from -1 to 0.5."
    )


def test_output_probabilities_alt_text_counts_the_inputs_read_right():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    fig = plotting.plot_output_probabilities(p, labels=[0, 1])
    assert plotting.get_alt_text(fig) == (
        "2 bar charts, one per input, of the 3 class probabilities, with a dashed line at the "
        "uniform level 1/3; the tallest bar of each input is between 0.6 and 0.7, and is the "
        "true class (orange) for 1 of the 2 inputs."
    )


def test_decision_regions_alt_text_counts_the_points_on_their_side():
    x = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])  # XOR: a vertical boundary gets two of the four right

    def predict(points):
        return 1 / (1 + np.exp(-10 * (points[:, :1] - 0.5)))

    ax = plotting.plot_decision_regions(predict, x, y, n=11)
    expected = (
        "Map of the probability of class 1 over inputs x1 and x2, blue 0 to red 1, with 4 "
        "points on top (2 circles of class 0, 2 triangles of class 1); the 0.5 boundary puts "
        "2 of the 4 points on the side of their class."
    )
    assert plotting.get_alt_text(ax) == expected
    assert plotting.decision_regions_in_words(predict, x, y) == expected
