"""mnist_lessons.widget.figure: the Try it page's figure of the preprocessing steps."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from mnist_lessons.plotting import get_alt_text
from mnist_lessons.widget.figure import plot_preprocessing


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_preprocessing_draws_four_steps_and_describes_them():
    canvas = np.zeros((280, 280))
    canvas[60:160, 120:150] = 1.0  # a bar of ink, 100 rows by 30 columns
    fig = plot_preprocessing(canvas)
    axes = fig.axes
    assert len(axes) == 4
    assert axes[0].get_title() == "drawing, 280x280"
    assert axes[1].get_title() == "cropped to the ink, 100x30"
    assert axes[2].get_title() == "scaled, 20x6"
    text = get_alt_text(fig)
    assert text.startswith(
        "Four panels: a 280 by 280 drawing with its ink's 100 by 30 bounding box in orange; the "
        "crop; the crop scaled to 20 by 6 with its centre of mass as a red cross; and the 28 by "
        "28 result, its centre of mass at row "
    )


def test_preprocessing_needs_four_axes():
    _, axes = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="four axes"):
        plot_preprocessing(np.pad(np.ones((100, 30)), 90), axes=axes)
