"""The notebook widget: its canvas-to-prediction path, and that it builds with ipycanvas."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lessons.models import build_mlp
from mnist_lessons.quiet import import_keras
from mnist_lessons.widget import preprocess, render_strokes
from mnist_lessons.widget.notebook import canvas_ink, classify, draw_digit

keras = import_keras()


@pytest.fixture(scope="module")
def model():
    keras.utils.set_random_seed(0)
    return build_mlp(hidden_units=(8,))


def rgba_of(ink):
    """A black-on-transparent RGBA canvas, as ipycanvas returns it."""
    alpha = np.round(ink * 255).astype(np.uint8)
    return np.stack([np.zeros_like(alpha)] * 3 + [alpha], axis=-1)  # (H, W, 4)


def test_canvas_ink_is_alpha_over_255():
    ink = render_strokes([[(50, 50), (200, 230)]])
    rgba = rgba_of(ink)
    np.testing.assert_array_equal(canvas_ink(rgba), rgba[..., 3] / 255.0)
    with pytest.raises(ValueError, match="RGBA"):
        canvas_ink(ink)


def test_classify_reads_the_preprocessed_drawing(model):
    ink = canvas_ink(rgba_of(render_strokes([[(140, 40), (140, 240)]])))
    reading = classify(model, ink)
    np.testing.assert_array_equal(reading.image, preprocess(ink))
    expected = model.predict(preprocess(ink).reshape(1, 784), verbose=0)[0]
    np.testing.assert_allclose(reading.probabilities, expected, atol=1e-6)
    assert reading.message.startswith(f"The network reads a {expected.argmax()}")


def test_classify_answers_an_empty_canvas_or_a_dot_with_a_message(model):
    empty = classify(model, np.zeros((280, 280)))
    assert empty.image is None and empty.probabilities is None
    assert "empty" in empty.message
    dot = classify(model, render_strokes([[(100, 100)]]))
    assert dot.probabilities is None and "dot" in dot.message


def test_draw_digit_builds_the_widget(model):
    from ipycanvas import Canvas

    widget = draw_digit(model)
    canvases = [w for w in widget.children[0].children if isinstance(w, Canvas)]
    assert len(canvases) == 1 and canvases[0].width == 280
    assert len(widget.children[2].children) == 10  # one bar per digit
