"""The JavaScript losses (explore/static/explore/math/losses.js) against mnist_lessons.scratch.

This test writes fixtures computed by ``scratch.losses`` in float64 (targets, predictions, each
loss and its gradient; the fused deltas) and runs ``tests/js/losses.test.mjs`` on them with
Node's test runner. Tolerance: 1e-12, relative to the larger of 1 and the value (both sides
compute in float64, only the order of a few additions differs).
"""

from __future__ import annotations

import json

import numpy as np
from jsrun import run_node

from mnist_lessons.scratch import losses

LOSSES = ("mse", "mae", "binary_crossentropy", "categorical_crossentropy")
DELTAS = ("softmax_crossentropy_delta", "sigmoid_crossentropy_delta")


def cases(name: str):
    """(label, y_true, y_pred) in float64, with clipped, exact and kink entries."""
    rng = np.random.default_rng(15)
    out = []
    for shape in [(1, 1), (5, 1), (4, 3), (32, 10)]:
        n, k = shape
        if name in ("categorical_crossentropy", "softmax_crossentropy_delta"):
            y = np.eye(k)[rng.integers(0, k, n)]  # one-hot rows
            p = rng.dirichlet(np.full(k, 0.5), size=n)
            if n >= 4 and k > 1:
                p[0] = y[0]  # certain and right
                p[1] = np.roll(y[1], 1)  # certain and wrong
                p[2] *= 3.0  # a row that does not sum to 1
                p[3, : k // 2 + 1] = 1e-9  # below the clip
        else:
            y = (rng.random(shape) < 0.5).astype(float)
            p = rng.random(shape)
            if name in ("mse", "mae"):
                p = 6 * p - 3  # regression: any number
            if n >= 4:
                p[0] = y[0]  # exactly right: the kink of |a - y|
                p[1] = 1 - y[1]  # exactly wrong
            if n >= 5 and k >= 3:
                p[2, :3] = [1e-9, 1 - 1e-9, 0.5]  # beyond the clip, both sides
                y[4] = rng.random(k)  # soft targets
        out.append((f"{n}x{k}", y, p))
    return out


def fixtures() -> dict:
    data = {"EPSILON": losses.EPSILON, "losses": {}, "deltas": {}}
    for name in LOSSES:
        loss, grad = getattr(losses, name), getattr(losses, name + "_grad")
        data["losses"][name] = [
            {
                "label": label,
                "shape": list(y.shape),
                "y_true": y.ravel().tolist(),
                "y_pred": p.ravel().tolist(),
                "loss": loss(y, p),
                "grad": grad(y, p).ravel().tolist(),
            }
            for label, y, p in cases(name)
        ]
    for name in DELTAS:
        delta = getattr(losses, name)
        data["deltas"][name] = [
            {
                "label": label,
                "shape": list(y.shape),
                "y_true": y.ravel().tolist(),
                "a": p.ravel().tolist(),
                "delta": delta(y, p).ravel().tolist(),
            }
            for label, y, p in cases(name)
        ]
    return data


def test_js_losses_match_scratch(tmp_path):
    (tmp_path / "losses.json").write_text(json.dumps(fixtures()))
    run_node("tests/js/losses.test.mjs", tmp_path)
