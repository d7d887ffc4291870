"""The page's preprocessing (explore/math/preprocess.js) against mnist_lessons.widget.preprocess.

Writes the same drawings (canvas ink as the page reads it: uint8 alpha over 255, and float ink
on canvases of odd shapes) with what Python makes of them into a fixture, then runs
tests/js/preprocess.test.mjs with Node, which feeds each drawing to the JavaScript and holds
every stage (box, centre of mass, offset, the 28x28 image) to the Python within 1e-12, and the
refusals (empty canvas, dot, blob) to the same kind and message.
"""

from __future__ import annotations

import json

import numpy as np
from browser.strokes import DIGITS
from jsrun import run_node

from mnist_lessons.widget import (
    BOX,
    FIELD,
    MIN_EXTENT,
    TOO_SMALL,
    DrawingTooSmall,
    preprocess_steps,
    render_strokes,
)

# A 1 with a heavy double bar at its foot: the centre of mass sits so low in the 20x20 box that
# centring it would push the box out of the field, so the offset is clipped.
HEAVY_FOOT = [[(140, 30), (140, 250)], *[[(40, y), (240, y)] for y in range(200, 251, 10)]]
CIRCLE = np.linspace(0.0, 2.0 * np.pi, 30)


def ring(radius: float) -> list:
    return [[(140 + radius * np.cos(t), 140 + radius * np.sin(t)) for t in CIRCLE]]


def case(name: str, ink: np.ndarray, *, as_bytes: bool, min_extent: float = MIN_EXTENT) -> dict:
    """One drawing and every stage Python makes of it (or the refusal's kind and message)."""
    height, width = ink.shape
    if as_bytes:  # the canvas's alpha channel, as the page reads it
        ink = np.round(ink * 255).astype(np.uint8)
    gray = ink.astype(np.float64) / 255 if as_bytes else ink
    out = {"name": name, "width": width, "height": height, "bytes": as_bytes}
    out["ink"] = ink.ravel().tolist()
    out["min_extent"] = min_extent
    try:
        steps = preprocess_steps(gray, min_extent=min_extent)
    except DrawingTooSmall as error:
        out["error"] = "empty" if "empty" in str(error) else "dot"
        out["message"] = str(error)
        return out
    out["expected"] = {
        "box": steps.box.ravel().tolist(),
        "shape": list(steps.box.shape),
        "center": list(steps.center),
        "offset": [int(v) for v in steps.offset],
        "crop": list(steps.crop.shape),
        "image": steps.image.ravel().tolist(),
    }
    return out


def drawings() -> list[dict]:
    cases = [
        case(f"digit {d}", render_strokes(strokes), as_bytes=True)
        for d, strokes in sorted(DIGITS.items())
    ]
    rng = np.random.default_rng(15)
    cases += [
        case("heavy foot (offset clipped)", render_strokes(HEAVY_FOOT), as_bytes=True),
        case("ring, 80 pixels across", render_strokes(ring(30)), as_bytes=True),
        case("blob", render_strokes(ring(15)), as_bytes=True),
        case("blob read anyway", render_strokes(ring(15)), as_bytes=True, min_extent=0.0),
        case("dot", render_strokes([[(140, 140)]]), as_bytes=True),
        case("empty", np.zeros((280, 280)), as_bytes=True),
        # float ink on canvases that are not square, ink touching the edges
        case("wide float canvas", rng.random((37, 90)) ** 6, as_bytes=False),
        case("tall float canvas", rng.random((61, 23)) ** 6, as_bytes=False),
        case(
            "seven on a wide canvas",
            render_strokes([[(60, 20), (200, 25), (120, 250)]], size=280)[:, :230],
            as_bytes=False,
        ),
        case("one pixel, read anyway", np.pad([[0.4]], 3), as_bytes=False, min_extent=0.0),
    ]
    return cases


def test_the_javascript_preprocessing_matches_python(tmp_path):
    errors = {}
    for message, canvas in [(None, np.zeros((5, 5))), (TOO_SMALL, render_strokes([[(9, 9)]]))]:
        try:
            preprocess_steps(canvas)
        except DrawingTooSmall as error:
            errors["empty" if message is None else "dot"] = str(error)
    fixture = {
        "constants": {"FIELD": FIELD, "BOX": BOX, "MIN_EXTENT": MIN_EXTENT},
        "messages": errors,
        "tolerance": 1e-12,
        "cases": drawings(),
    }
    assert {c["name"] for c in fixture["cases"] if "error" in c} == {"blob", "dot", "empty"}
    (tmp_path / "preprocess.json").write_text(json.dumps(fixture))
    run_node("tests/js/preprocess.test.mjs", tmp_path)
