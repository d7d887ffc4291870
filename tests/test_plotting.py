"""Tests of mnist_lessons.plotting on small synthetic arrays: axes, titles, texts, bar heights."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from mnist_lessons import plotting
from mnist_lessons.data import one_hot


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def _digits(rng, n=6, size=28):
    return rng.integers(0, 256, size=(n, size, size), dtype=np.uint8)


def _luminance(colour):
    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# --- plot_digit ----------------------------------------------------------------------------


def test_plot_digit_draws_the_image_without_ticks(rng):
    image = _digits(rng, n=1)[0]
    ax = plotting.plot_digit(image, title="7")
    assert isinstance(ax, Axes)
    assert ax.get_title() == "7"
    assert ax.get_xticks().size == 0 and ax.get_yticks().size == 0
    (drawn,) = ax.get_images()
    np.testing.assert_array_equal(drawn.get_array(), image)
    assert drawn.get_clim() == (0, 255)


def test_plot_digit_uses_the_given_axes_and_reshapes_a_flat_row(rng):
    image = _digits(rng, n=1)[0]
    _, ax = plt.subplots()
    assert plotting.plot_digit(image.reshape(-1), ax=ax) is ax
    np.testing.assert_array_equal(ax.get_images()[0].get_array(), image)


def test_plot_digit_scales_floats_to_one(rng):
    image = _digits(rng, n=1)[0] / np.float32(255)
    assert plotting.plot_digit(image).get_images()[0].get_clim() == (0, 1)


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (np.zeros((2, 28, 28), np.uint8), "pick one"),
        (np.zeros(10, np.uint8), "one grayscale image"),
        (np.full((28, 28), 255.0), "pass vmax=255"),
    ],
    ids=["stack", "not-square", "unscaled-float"],
)
def test_plot_digit_rejects_bad_images(image, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_digit(image)


# --- plot_digit_grid -----------------------------------------------------------------------


def test_digit_grid_has_one_titled_axes_per_image(rng):
    images, labels = _digits(rng, n=13), rng.integers(0, 10, size=13)
    fig = plotting.plot_digit_grid(images, titles=labels, ncols=5)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 13
    assert [ax.get_title() for ax in fig.axes] == [str(label) for label in labels]
    for ax, image in zip(fig.axes, images, strict=True):
        np.testing.assert_array_equal(ax.get_images()[0].get_array(), image)
    # 13 images in rows of 5: 3 rows, 5 columns.
    assert fig.axes[0].get_subplotspec().get_geometry()[:2] == (3, 5)


def test_digit_grid_widens_panels_for_long_titles(rng):
    images = _digits(rng, n=4)
    short = plotting.plot_digit_grid(images, titles=list("0123"), ncols=4)
    long = plotting.plot_digit_grid(images, titles=["true 3, pred 5 (0.87)"] * 4, ncols=4)
    assert long.get_figwidth() > short.get_figwidth()
    assert [ax.get_title() for ax in plotting.plot_digit_grid(images).axes] == [""] * 4


@pytest.mark.parametrize(
    ("images", "kwargs", "message"),
    [
        (np.zeros((0, 28, 28), np.uint8), {}, "non-empty stack"),
        (np.zeros((3, 28, 28), np.uint8), {"titles": ["a", "b"]}, "one title per image"),
        (np.zeros((3, 28, 28), np.uint8), {"ncols": 0}, "positive integer"),
    ],
    ids=["empty", "titles-mismatch", "ncols-zero"],
)
def test_digit_grid_rejects_bad_arguments(images, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_digit_grid(images, **kwargs)


# --- plot_pixel_values ---------------------------------------------------------------------


def test_pixel_values_writes_every_value(rng):
    image = _digits(rng, n=1)[0]
    ax = plotting.plot_pixel_values(image)
    texts = ax.texts
    assert len(texts) == 784
    # Row by row, each text at its pixel's centre, saying its value.
    assert [t.get_text() for t in texts] == [str(v) for v in image.ravel()]
    positions = np.array([t.get_position() for t in texts])  # (784, 2): (column, row)
    rows, cols = np.divmod(np.arange(784), 28)
    np.testing.assert_array_equal(positions, np.column_stack([cols, rows]))
    assert ax.get_xlabel() == "column" and ax.get_ylabel() == "row"


def test_pixel_values_text_is_light_on_dark_pixels_and_dark_on_light_ones(rng):
    image = _digits(rng, n=1)[0]
    image[0, 0], image[0, 1] = 255, 0  # with gray_r: full ink is black, background white
    texts = plotting.plot_pixel_values(image).texts
    assert _luminance(texts[0].get_color()) > 0.5
    assert _luminance(texts[1].get_color()) < 0.5
    # Everywhere: the text contrasts with the pixel under it.
    cmap = plt.get_cmap(plotting.DIGIT_CMAP)
    for text, value in zip(texts, image.ravel(), strict=True):
        pixel = _luminance(cmap(value / 255)[:3])
        assert (pixel < 0.5) == (_luminance(text.get_color()) > 0.5)


def test_pixel_values_of_scaled_image_have_two_decimals():
    image = np.linspace(0, 1, 16, dtype=np.float32).reshape(4, 4)
    texts = plotting.plot_pixel_values(image).texts
    assert [t.get_text() for t in texts] == [f"{v:.2f}" for v in image.ravel()]


# --- plot_one_hot --------------------------------------------------------------------------


def test_one_hot_shows_ten_cells_with_the_one_at_the_label():
    label = 3
    ax = plotting.plot_one_hot(label, one_hot(np.array([label]))[0])
    assert isinstance(ax, Axes)
    assert [t.get_text() for t in ax.texts] == ["1" if k == label else "0" for k in range(10)]
    assert ax.texts[label].get_position() == (label, 0)
    assert [int(t) for t in ax.get_xticks()] == list(range(10))
    assert "label 3" in ax.get_title() and "index 3" in ax.get_title()
    (frame,) = ax.patches
    assert frame.get_x() == label - 0.5


@pytest.mark.parametrize(
    ("label", "vector", "message"),
    [
        (3, one_hot(np.array([5]))[0], "does not encode label 3"),
        (3, np.full(10, 0.1), "a single 1"),
        (3, one_hot(np.array([3, 3])), "1-D"),
        (3.0, one_hot(np.array([3]))[0], "integer class index"),
    ],
    ids=["wrong-index", "probabilities", "2-d", "float-label"],
)
def test_one_hot_rejects_bad_arguments(label, vector, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_one_hot(label, vector)


# --- plot_class_balance ---------------------------------------------------------------------


def test_class_balance_bar_heights_are_the_shares(rng):
    y_train, y_test = rng.integers(0, 10, size=600), rng.integers(0, 10, size=100)
    ax = plotting.plot_class_balance(y_train, y_test)
    train_bars, test_bars = ax.containers
    for bars, labels in ((train_bars, y_train), (test_bars, y_test)):
        counts = np.bincount(labels, minlength=10)
        heights = [bar.get_height() for bar in bars]
        np.testing.assert_allclose(heights, 100 * counts / len(labels), rtol=1e-12)
    # Each bar is labelled with its count: the training bars first, then the test bars.
    annotations = [t.get_text() for t in ax.texts]
    expected = [f"{c:,}" for y in (y_train, y_test) for c in np.bincount(y, minlength=10)]
    assert annotations == expected
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["equal shares (10 %)", "train (600 images)", "test (100 images)"]
    assert ax.get_xlabel() == "digit" and "%" in ax.get_ylabel()


@pytest.mark.parametrize(
    ("y_train", "y_test", "message"),
    [
        (np.array([0, 1, 10]), np.array([0, 1]), "y_train must lie in 0..9"),
        (np.array([0.0, 1.0]), np.array([0, 1]), "y_train must be .* integer labels"),
        (one_hot(np.array([0, 1])), np.array([0, 1]), "not one-hot rows"),
        (np.array([0, 1]), np.array([], dtype=int), "y_test must be a non-empty"),
    ],
    ids=["out-of-range", "float", "one-hot", "empty"],
)
def test_class_balance_rejects_bad_labels(y_train, y_test, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_class_balance(y_train, y_test)


# --- plot_mean_images ----------------------------------------------------------------------


def test_mean_images_are_the_class_means(rng):
    images = _digits(rng, n=40)
    labels = np.arange(40) % 10
    fig = plotting.plot_mean_images(images, labels)
    assert len(fig.axes) == 10
    for k, ax in enumerate(fig.axes):
        assert ax.get_title() == f"mean of the {k}s\n(n = 4)"
        drawn = ax.get_images()[0]
        np.testing.assert_allclose(drawn.get_array(), images[labels == k].mean(axis=0))
        assert drawn.get_clim() == (0, 255)


def test_mean_images_need_every_class_and_one_label_per_image(rng):
    images = _digits(rng, n=10)
    with pytest.raises(ValueError, match="class"):
        plotting.plot_mean_images(images, np.zeros(10, dtype=int))
    with pytest.raises(ValueError, match="one label each"):
        plotting.plot_mean_images(images, np.arange(9))


# --- plot_channels -------------------------------------------------------------------------


def test_channels_shows_photo_three_channels_and_the_digit(rng):
    photo = rng.integers(0, 256, size=(12, 18, 3), dtype=np.uint8)
    digit = _digits(rng, n=1)[0]
    fig = plotting.plot_channels(photo, digit)
    *image_axes, colourbar = fig.axes
    by_title = {ax.get_title(): ax for ax in image_axes}
    assert len(by_title) == 5
    shown = {title: ax.get_images()[0].get_array() for title, ax in by_title.items()}
    np.testing.assert_array_equal(shown["colour photo: 3 channels"], photo)
    for c, name in enumerate(("red channel (R)", "green channel (G)", "blue channel (B)")):
        np.testing.assert_array_equal(shown[name], photo[:, :, c])
        assert by_title[name].get_xlabel() == f"12 {plotting.TIMES} 18 numbers"
    np.testing.assert_array_equal(shown["MNIST digit: 1 channel"], digit)
    assert colourbar.get_ylabel() == "pixel value"


@pytest.mark.parametrize(
    ("photo", "digit", "message"),
    [
        (np.zeros((12, 18), np.uint8), np.zeros((28, 28), np.uint8), "photo must be an RGB"),
        (np.zeros((12, 18, 3)), np.zeros((28, 28), np.uint8), "photo must be an RGB"),
        (np.zeros((12, 18, 3), np.uint8), np.zeros((28, 28), np.float32), "before scale"),
    ],
    ids=["grey-photo", "float-photo", "scaled-digit"],
)
def test_channels_rejects_bad_arguments(photo, digit, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_channels(photo, digit)


# --- alt text: each figure says what it shows, from its own data -----------------------------


def test_a_digit_alone_is_described_and_a_digit_in_a_panel_is_left_to_its_figure():
    image = np.zeros((4, 4), dtype=np.uint8)
    image[1, 1:3] = 200  # 2 pixels of ink
    ax = plotting.plot_digit(image, title="label 7")
    assert plotting.get_alt_text(ax) == (
        "A handwritten digit, titled 'label 7', drawn as a 4 by 4 pixel grayscale image; 2 of "
        "its 16 pixels hold ink."
    )
    _, ax = plt.subplots()
    plotting.plot_digit(image, ax=ax)
    assert plotting.get_alt_text(ax) is None


def test_digit_grid_alt_text_lists_the_titles_while_they_fit(rng):
    fig = plotting.plot_digit_grid(_digits(rng, n=3), titles=[5, 0, 4])
    assert plotting.get_alt_text(fig) == (
        "3 handwritten digits, 28 by 28 pixels each, in one row, titled in reading order: 5, 0, 4."
    )
    titles = [f"true {k}, predicted {9 - k} (0.99)" for k in range(10)]
    fig = plotting.plot_digit_grid(_digits(rng, n=10), titles=titles, ncols=5)
    assert plotting.get_alt_text(fig) == (
        "10 handwritten digits, 28 by 28 pixels each, in 2 rows of 5, each with its title."
    )


def test_pixel_values_and_one_hot_alt_texts_give_their_numbers():
    image = np.array([[0, 0], [30, 250]], dtype=np.uint8)
    assert plotting.get_alt_text(plotting.plot_pixel_values(image)) == (
        "A handwritten digit as a 2 by 2 pixel grid with each pixel's value written on it: "
        "2 of the 4 values are 0 (the background), the others rise to 250 in the strongest "
        "strokes."
    )
    ax = plotting.plot_one_hot(2, one_hot(np.array([2]), 4)[0])
    assert plotting.get_alt_text(ax) == (
        "A row of 4 cells indexed 0 to 3, the one-hot vector of label 2: every cell holds 0 "
        "except index 2, which holds 1 and is framed in red."
    )


def test_class_balance_alt_text_names_the_most_and_least_frequent_class_of_each_split():
    y_train = np.array([0, 1, 1, 1, 2, 2])
    y_test = np.array([0, 0, 1, 2])
    ax = plotting.plot_class_balance(y_train, y_test, num_classes=3)
    assert plotting.get_alt_text(ax) == (
        "Grouped bar chart of the share of each of the 3 digits in the training (6 images) and "
        "test (4 images) sets; in training, 1 is the most frequent (3) and 0 the least (1); in "
        "test, 0 is the most frequent (2) and 1 the least (1)."
    )


def test_mean_images_and_channels_alt_texts(rng):
    labels = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2])
    fig = plotting.plot_mean_images(_digits(rng, n=9), labels, num_classes=3, ncols=3)
    assert plotting.get_alt_text(fig) == (
        "3 blurred grayscale images, the pixel-by-pixel mean of each class 0 to 2 over 9 "
        "images, each titled with its count, from 2 images of 0 to 4 of 2."
    )
    photo = np.zeros((6, 8, 3), dtype=np.uint8)
    photo[..., 0] = 100  # red everywhere
    fig = plotting.plot_channels(photo, _digits(rng, n=1)[0])
    assert plotting.get_alt_text(fig) == (
        "A colour photo of 6 by 8 pixels, its red, green and blue channels as three grey maps "
        "(mean values R 100, G 0, B 0), and a 28 by 28 MNIST digit's single channel, all on "
        "one scale from 0 black to 255 white."
    )
