"""Alt text and dark-mode variants of the book's figures (mnist_lessons.plotting.output)."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from mnist_lessons.plotting import output
from mnist_lessons.plotting.output import alt_text, dark_variant, figure_png, get_alt_text

TEXT = "Line chart of the loss over ten epochs, falling from 2.3 to 0.1."


@pytest.fixture
def figure():
    fig, ax = plt.subplots(figsize=(3, 2), dpi=50)
    ax.plot(np.arange(10), np.linspace(2.3, 0.1, 10), color="tab:blue")
    ax.axhline(1.0, color="black")
    ax.set_title("loss")
    yield fig
    plt.close(fig)


def test_alt_text_is_stored_on_the_figure_from_the_figure_or_an_axes(figure):
    assert alt_text(figure.axes[0], f"  {TEXT}\n ") is None
    assert get_alt_text(figure) == TEXT


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a chart", "too short"),
        ("x" * (output.ALT_TEXT_MAX + 1), "too long"),
        ("../_images/3f2a9c8e1b7d6f5a4c3b2a1f0e9d8c7b.png, a figure", "file name"),
        ("Figure 3f2a9c8e1b7d6f5a4c3b2a1f0e9d8c7b6a5f4e3d of the loss", "hash"),
    ],
)
def test_bad_alt_text_is_refused_with_a_reason(figure, text, message):
    with pytest.raises(ValueError, match=message):
        alt_text(figure, text)


def test_alt_text_needs_a_figure():
    with pytest.raises(ValueError, match="Figure or Axes"):
        alt_text("not a figure", TEXT)


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")).astype(int)


def test_the_dark_variant_is_transparent_with_light_greys_and_the_colours_kept(figure):
    before = [line.get_color() for line in figure.axes[0].lines]
    dark = pixels(dark_variant(figure))
    # the original figure is left as it was
    assert [line.get_color() for line in figure.axes[0].lines] == before
    assert figure.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    opaque = dark[dark[..., 3] > 200][:, :3]
    assert (dark[..., 3] == 0).mean() > 0.5, "the background is not transparent"
    greys = opaque[np.ptp(opaque, axis=1) < 10]
    assert greys.mean() > 180, "the black line, spines and text did not turn light"
    blue = np.array([31, 119, 180])  # tab:blue
    assert (np.abs(opaque - blue).sum(axis=1) < 30).sum() > 20, "the coloured line changed"


def test_labels_over_an_image_keep_their_colour():
    fig, ax = plt.subplots(dpi=50)
    ax.imshow(np.eye(3), cmap="gray")
    label = ax.text(0, 0, "1", color="black")
    dark = dark_variant(fig)
    assert label.get_color() == "black" and dark[:8] == b"\x89PNG\r\n\x1a\n"
    plt.close(fig)
    # the copy used for drawing is not left open in pyplot
    assert fig.number not in plt.get_fignums()


def test_figure_png_sends_the_alt_text_and_the_dark_variant(figure):
    alt_text(figure, TEXT)
    png, metadata = figure_png(figure)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert metadata["alt"] == TEXT
    dark = base64.b64decode(metadata["dark"])
    assert pixels(dark).shape == pixels(png).shape
    assert plt.get_fignums() == [figure.number]


def test_black_markers_that_follow_their_line_turn_light():
    fig, ax = plt.subplots(dpi=50)
    (line,) = ax.plot([0, 1], [0, 1], "ko")
    copy_png = pixels(dark_variant(fig))
    opaque = copy_png[copy_png[..., 3] > 200][:, :3]
    assert opaque.max() > 200 and not (opaque.max(axis=1) < 60).any(), "dark markers remain"
    assert line.get_markerfacecolor() in ("k", (0.0, 0.0, 0.0, 1.0))  # original untouched
    plt.close(fig)


@pytest.fixture
def saved(monkeypatch):
    """What the dark copy looks like when it is saved: its maps and its labels' colours."""
    seen = {}
    real_savefig = plt.Figure.savefig

    def spy(self, *args, **kwargs):
        seen["maps"] = {
            artist.get_cmap().name
            for axes in self.axes
            for artist in [*axes.images, *axes.collections]
            if artist.get_array() is not None
        }
        seen["labels"] = [
            matplotlib.colors.to_hex(t.get_color()) for a in self.axes for t in a.texts
        ]
        return real_savefig(self, *args, **kwargs)

    monkeypatch.setattr(plt.Figure, "savefig", spy)
    return seen


def test_digits_become_white_ink_on_black(saved):
    image = np.zeros((4, 4))
    image[1:3, 1:3] = 1.0  # ink in the middle
    fig, ax = plt.subplots(dpi=50)
    ax.imshow(image, cmap="gray_r")
    ax.set_axis_off()
    dark = pixels(dark_variant(fig))
    middle = dark[dark.shape[0] // 2, dark.shape[1] // 2, :3]
    assert middle.min() > 200, "the ink is not white on the dark page"
    assert dark[dark[..., 3] > 200][:, :3].min() < 30, "the paper is not black"
    assert saved["maps"] == {"gray"}
    assert ax.images[0].get_cmap().name == "gray_r"  # the original keeps its map
    plt.close(fig)


def test_labels_on_reversed_greys_flip_with_the_cells(saved):
    fig, ax = plt.subplots(dpi=50)
    ax.imshow(np.eye(3), cmap="gray_r")
    ax.text(0, 0, "1", color="white")  # white on a black (inked) cell
    dark_variant(fig)
    assert saved["maps"] == {"gray"}  # the cell turns white ...
    assert saved["labels"] == ["#262626"]  # ... and its label dark
    plt.close(fig)


def test_labels_on_another_map_keep_the_map_and_their_colour(saved):
    fig, ax = plt.subplots(dpi=50)
    ax.imshow(np.eye(4), cmap="RdBu_r")
    ax.text(0, 0, "+1", color="white")
    dark_variant(fig)
    assert saved["maps"] == {"RdBu_r"} and saved["labels"] == ["#ffffff"]
    plt.close(fig)


def test_a_colour_bar_gets_the_same_dark_map_as_its_image(saved):
    fig, ax = plt.subplots(dpi=50)
    image = ax.imshow(np.linspace(-1, 1, 16).reshape(4, 4), cmap="RdBu_r")
    fig.colorbar(image)
    dark_variant(fig)
    assert saved["maps"] == {"berlin"}
    plt.close(fig)


def test_an_annotations_black_arrow_turns_light(monkeypatch):
    fig, ax = plt.subplots(dpi=50)
    ax.annotate("here", xy=(0.2, 0.2), xytext=(0.7, 0.7), arrowprops={"color": "black"})
    colours = {}
    real = output._recolour

    def spy(artist):
        real(artist)
        if artist is not None and artist.__class__.__name__ == "FancyArrowPatch":
            colours["arrow"] = matplotlib.colors.to_hex(artist.get_edgecolor())

    monkeypatch.setattr(output, "_recolour", spy)
    dark_variant(fig)
    assert colours["arrow"] == "#ffffff"
    plt.close(fig)
