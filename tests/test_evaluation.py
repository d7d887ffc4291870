"""Tests of mnist_lessons.evaluation against small cases worked out by hand."""

import math

import numpy as np
import pytest

from mnist_lessons.evaluation import (
    expected_calibration_error,
    highest_loss,
    per_image_loss,
    reliability_bins,
)

# Four images, three classes. Predictions: 0 (right), 1 (wrong, true 0), 2 (right), 0 (wrong).
P = np.array(
    [
        [0.9, 0.05, 0.05],
        [0.3, 0.6, 0.1],
        [0.1, 0.2, 0.7],
        [0.55, 0.4, 0.05],
    ]
)
Y = np.array([0, 0, 2, 1])


def test_per_image_loss_is_minus_ln_of_the_true_class_probability():
    expected = [-math.log(0.9), -math.log(0.3), -math.log(0.7), -math.log(0.4)]
    np.testing.assert_allclose(per_image_loss(P, Y), expected, rtol=1e-12)


def test_a_zero_probability_for_the_true_class_is_an_infinite_loss():
    loss = per_image_loss([[1.0, 0.0], [0.5, 0.5]], [1, 0])
    assert loss[0] == np.inf and loss[1] == pytest.approx(math.log(2), rel=1e-12)


def test_highest_loss_orders_by_loss_largest_first():
    indices, losses = highest_loss(P, Y, n=3)
    # losses: 0.105, 1.204, 0.357, 0.916 -> images 1, 3, 2
    np.testing.assert_array_equal(indices, [1, 3, 2])
    np.testing.assert_allclose(losses, [-math.log(0.3), -math.log(0.4), -math.log(0.7)])


def test_highest_loss_keeps_the_lower_index_first_on_ties():
    p = np.full((4, 2), 0.5)
    indices, _ = highest_loss(p, [0, 1, 0, 1], n=4)
    np.testing.assert_array_equal(indices, [0, 1, 2, 3])


def test_reliability_bins_by_hand():
    # Confidences 0.9, 0.6, 0.7, 0.55 in M = 4 bins of width 0.25:
    # (0.5, 0.75] holds 0.6 (wrong), 0.7 (right), 0.55 (wrong); (0.75, 1] holds 0.9 (right).
    bins = reliability_bins(P, Y, n_bins=4)
    np.testing.assert_allclose(bins.edges, [0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_array_equal(bins.counts, [0, 0, 3, 1])
    np.testing.assert_allclose(bins.accuracy[2:], [1 / 3, 1.0])
    np.testing.assert_allclose(bins.confidence[2:], [(0.6 + 0.7 + 0.55) / 3, 0.9])
    assert np.isnan(bins.accuracy[:2]).all() and np.isnan(bins.confidence[:2]).all()
    np.testing.assert_allclose(bins.gap[2:], [1 / 3 - 1.85 / 3, 0.1])


def test_a_confidence_on_an_edge_goes_to_the_bin_below():
    # 0.5 and 0.75 are exact in binary; bins of width 0.25 are right-closed.
    bins = reliability_bins([[0.5, 0.5], [0.75, 0.25], [0.25, 0.75]], [0, 0, 0], n_bins=4)
    np.testing.assert_array_equal(bins.counts, [0, 1, 2, 0])


def test_expected_calibration_error_by_hand():
    # |B_3| = 3: |1/3 - 1.85/3| = 0.85/3; |B_4| = 1: |1 - 0.9| = 0.1.
    # ECE = (3 * 0.85/3 + 1 * 0.1) / 4 = 0.95 / 4.
    assert expected_calibration_error(P, Y, n_bins=4) == pytest.approx(0.95 / 4, rel=1e-12)


def test_one_bin_ece_is_the_gap_between_mean_confidence_and_accuracy():
    # With M = 1 the ECE is |accuracy - mean confidence|: |2/4 - 2.75/4|.
    assert expected_calibration_error(P, Y, n_bins=1) == pytest.approx(0.75 / 4, rel=1e-12)


def test_a_calibrated_model_has_zero_ece():
    # Four images at confidence 0.75, three of them right: accuracy equals confidence.
    p = np.tile([0.75, 0.25], (4, 1))
    assert expected_calibration_error(p, [0, 0, 0, 1], n_bins=10) == pytest.approx(0, abs=1e-15)


def test_ece_matches_a_loop_over_bins_on_random_data():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(500, 10)) * 3
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    y = rng.integers(0, 10, size=500)
    confidence, correct = p.max(axis=1), p.argmax(axis=1) == y
    ece = 0.0
    for m in range(15):
        lo, hi = m / 15, (m + 1) / 15
        inside = (confidence > lo) & (confidence <= hi)
        if inside.any():
            ece += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    assert expected_calibration_error(p, y, n_bins=15) == pytest.approx(ece, rel=1e-12)


@pytest.mark.parametrize(
    ("probabilities", "labels"),
    [
        (np.ones(3), [0, 1, 2]),  # not (N, K)
        (P, Y[:3]),  # one label short
        (P, [0, 0, 3, 1]),  # class 3 of 3
        (P, [0.0, 0.0, 2.0, 1.0]),  # labels not whole numbers
        (-P, Y),  # not probabilities
    ],
)
def test_bad_input_raises_value_error(probabilities, labels):
    with pytest.raises(ValueError):
        expected_calibration_error(probabilities, labels)


@pytest.mark.parametrize("n", [0, 5, True])
def test_highest_loss_needs_a_count_between_1_and_n(n):
    with pytest.raises(ValueError, match="n must be"):
        highest_loss(P, Y, n=n)


def test_reliability_bins_needs_a_positive_number_of_bins():
    with pytest.raises(ValueError, match="n_bins"):
        reliability_bins(P, Y, n_bins=0)
