"""Tests of coverage_accuracy and cell_digits (the confusion-matrix explorable's numbers)."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lessons.evaluation import cell_digits, coverage_accuracy


def test_coverage_and_accuracy_match_a_plain_count_at_every_threshold():
    rng = np.random.default_rng(0)
    confidence = rng.choice([0.3, 0.5, 0.9, 0.99, 0.999, 1.0], size=500).astype(np.float32)
    correct = rng.random(500) < confidence  # surer answers are more often right
    thresholds = [0.0, 0.3, 0.4, 0.5, 0.9, 0.99, 0.995, 1.0, 1.5]
    coverage, accuracy = coverage_accuracy(confidence, correct, thresholds)
    for tau, cov, acc in zip(thresholds, coverage, accuracy, strict=True):
        answered = confidence.astype(np.float64) >= tau  # ties with tau are answered
        assert cov == answered.mean()
        if answered.any():
            assert acc == pytest.approx(correct[answered].mean(), rel=1e-12)
        else:
            assert np.isnan(acc)
    assert coverage[0] == 1.0 and accuracy[0] == pytest.approx(correct.mean())


def test_coverage_accuracy_rejects_mismatched_inputs():
    with pytest.raises(ValueError, match="one confidence"):
        coverage_accuracy([0.5, 0.6], [True], [0.5])


def test_cell_digits_takes_confident_mistakes_and_hesitant_right_answers():
    labels = np.array([3, 3, 3, 3, 5, 5, 5, 3])
    predicted = np.array([3, 3, 3, 5, 5, 3, 3, 5])
    confidence = np.array([0.99, 0.6, 0.8, 0.7, 0.95, 0.9, 0.55, 0.97])
    cells = cell_digits(labels, predicted, confidence, per_mistake_cell=1, per_right_cell=2)
    assert set(cells) == {(3, 3), (3, 5), (5, 5), (5, 3)}
    np.testing.assert_array_equal(cells[(3, 3)], [1, 2])  # the two least confident right
    np.testing.assert_array_equal(cells[(3, 5)], [7])  # the most confident of 3 and 7
    np.testing.assert_array_equal(cells[(5, 3)], [5])
    np.testing.assert_array_equal(cells[(5, 5)], [4])
    every = cell_digits(labels, predicted, confidence)
    assert sum(len(v) for v in every.values()) == len(labels)
    with pytest.raises(ValueError, match="same images"):
        cell_digits(labels, predicted[:-1], confidence)
