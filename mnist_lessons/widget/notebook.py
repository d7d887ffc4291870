"""Draw a digit in Jupyter or Binder: the in-page widget again, with ipycanvas and the Keras model.

:func:`draw_digit` shows a canvas (mouse or touch), a Clear button, the 28x28 image the network
reads and ten probability bars, like the widget of the static site. The canvas sends its pixels
back to Python, which runs them through :func:`~mnist_lessons.widget.preprocess.preprocess`
and ``model.predict``. ipycanvas and ipywidgets are imported only when the widget is built, so
the steps it runs (:func:`canvas_ink`, :func:`classify`) work, and are tested, without them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mnist_lessons.widget.preprocess import DrawingTooSmall, preprocess

__all__ = ["Reading", "canvas_ink", "classify", "draw_digit"]

CANVAS = 280  # pixels, as on the static site
PEN = CANVAS / 14  # stroke width, as on the static site


def canvas_ink(rgba) -> np.ndarray:
    """The ink of an RGBA canvas drawn black on transparent: alpha / 255, shaped (H, W).

    This is what the page's JavaScript reads too (``ImageData`` alpha over 255).
    """
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] != 4:
        raise ValueError(
            f"Give the canvas pixels as (height, width, 4) RGBA, got shape {rgba.shape}; "
            "ipycanvas gives them as canvas.get_image_data() with sync_image_data=True."
        )
    return rgba[..., 3].astype(np.float64) / 255.0  # (H, W)


class Reading(NamedTuple):
    """What the network made of a drawing; ``image`` and ``probabilities`` are None, and
    ``message`` says why, when there was nothing to read."""

    image: np.ndarray | None  # (28, 28)
    probabilities: np.ndarray | None  # (10,)
    message: str


def classify(model, ink) -> Reading:
    """Preprocess a drawing (H, W) in [0, 1] and read it with a Keras MLP taking 784 pixels.

    Never raises for an empty canvas or a dot: the :class:`Reading` carries the message.
    """
    try:
        image = preprocess(ink)  # (28, 28)
    except DrawingTooSmall as reason:
        return Reading(None, None, str(reason))
    probabilities = np.asarray(model(image.reshape(1, 784).astype(np.float32)))[0]  # (10,)
    best = int(np.argmax(probabilities))
    return Reading(
        image, probabilities, f"The network reads a {best} ({probabilities[best]:.1%})."
    )


def draw_digit(model):
    """The widget, for a notebook cell to display: ``draw_digit(run.model)``.

    Needs ipycanvas and ipywidgets (in the ``book`` extra and in ``binder/``) and a live
    kernel; it does nothing in a static page.
    """
    import ipywidgets as widgets
    from ipycanvas import Canvas

    pad = Canvas(width=CANVAS, height=CANVAS, sync_image_data=True)
    pad.layout = widgets.Layout(border="2px solid #888", width=f"{CANVAS}px")
    seen = Canvas(width=28, height=28)
    seen.layout = widgets.Layout(width="140px", height="140px", border="1px solid #888")
    bars = [widgets.FloatProgress(value=0, min=0, max=1, description=str(d)) for d in range(10)]
    message = widgets.Label("Draw a digit with the mouse or a finger.")
    clear = widgets.Button(description="Clear")
    state = {"last": None}

    def reset(*_):
        pad.clear()
        pad.line_width, pad.line_cap, pad.line_join = PEN, "round", "round"
        pad.fill_style = pad.stroke_style = "#000"

    def down(x, y):
        state["last"] = (x, y)
        pad.fill_circle(x, y, PEN / 2)

    def move(x, y):
        if state["last"] is not None:
            pad.stroke_line(*state["last"], x, y)
            state["last"] = (x, y)

    def up(*_):
        state["last"] = None

    def show(*_):
        rgba = pad.get_image_data() if pad.image_data else np.zeros((CANVAS, CANVAS, 4))
        reading = classify(model, canvas_ink(rgba))
        message.value = reading.message
        image = reading.image if reading.image is not None else np.zeros((28, 28))
        gray = (255 * (1 - image)).astype(np.uint8)  # ink dark on white, as in the page
        seen.put_image_data(np.stack([gray] * 3, axis=-1), 0, 0)
        for d, bar in enumerate(bars):
            bar.value = 0.0 if reading.probabilities is None else float(reading.probabilities[d])

    reset()
    pad.on_mouse_down(down)
    pad.on_mouse_move(move)
    pad.on_mouse_up(up)
    pad.on_mouse_out(up)
    pad.on_touch_start(lambda touches: down(*touches[0]))
    pad.on_touch_move(lambda touches: move(*touches[0]))
    pad.on_touch_end(up)
    pad.observe(show, "image_data")
    clear.on_click(lambda _: (reset(), show()))
    left = widgets.VBox([pad, widgets.HBox([clear, message])])
    return widgets.HBox(
        [left, widgets.VBox([widgets.Label("What the network reads"), seen]), widgets.VBox(bars)]
    )
