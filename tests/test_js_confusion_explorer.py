"""The numbers the confusion-explorer and training-epochs explorables compute, in Node.

``tests/js/confusion-explorer.test.mjs`` checks, on float32 confidences with ties and values
a hair from 1 (as a softmax gives them), that the page's ``makeCoverage`` answers and gets right
exactly as many images as ``mnist_lessons.evaluation.coverage_accuracy`` at every threshold;
that ``unpackBits`` reads back what ``np.packbits`` packed; and that the epochs training-epochs
marks as learning-rate drops are those where ``mnist_lessons.curves.rate_schedule`` starts a
new rate.
"""

from __future__ import annotations

import numpy as np
from jsrun import run_node, write_fixture

from mnist_lessons.curves import rate_schedule
from mnist_lessons.evaluation import coverage_accuracy


def test_coverage_bits_and_rate_drops_in_javascript_match_python(tmp_path):
    rng = np.random.default_rng(3)
    n = 3001
    confidence = (1 - rng.random(n) ** 6).astype(np.float32)  # many near 1
    confidence[:200] = np.float32(0.99)  # ties, exactly at a threshold
    confidence[200:260] = np.nextafter(np.float32(1), np.float32(0))
    confidence[260:300] = np.float32(1)
    correct = rng.random(n) < confidence
    thresholds = [0, 0.1, 0.5, 0.9, float(np.float32(0.99)), 0.99, 0.999, 0.9999999, 1.0]
    thresholds += [1 - 10.0**-u for u in np.arange(0, 6.01, 0.25)]
    coverage, accuracy = coverage_accuracy(confidence, correct, thresholds)
    answered = np.round(coverage * n).astype(int)
    right = np.where(answered > 0, np.round(np.nan_to_num(accuracy) * answered), 0).astype(int)
    rates = [1e-3] * 8 + [5e-4] * 3 + [2.5e-4] * 3 + [1.25e-4] * 9
    history = {"learning_rate": rates}
    write_fixture(
        tmp_path,
        "confusion_explorer",
        {
            "confidence": confidence.astype(np.float64),  # the float32 values, exactly
            "correct": correct.astype(int),
            "bits": np.packbits(correct).astype(int),
            "thresholds": thresholds,
            "answered": answered,
            "right": right,
            "rates": rates,
            "drops": [first for _, first, _ in rate_schedule(history)[1:]],
        },
    )
    run_node("tests/js/confusion-explorer.test.mjs", tmp_path)
