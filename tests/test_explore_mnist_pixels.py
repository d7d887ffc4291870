"""mnist_lessons.explore.mnist_pixels: the digits the chapter's pixel explorer carries."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lessons.explore.mnist_pixels import pick_digits


def test_the_first_digit_heads_its_class_and_the_classes_follow_in_turn():
    labels = np.random.default_rng(0).integers(0, 10, 500)
    first = int(np.flatnonzero(labels == 7)[5])  # not the first 7 of the set
    picks = pick_digits(labels, first=first, per_class=4)
    assert picks.shape == (40,) and picks[0] == first
    np.testing.assert_array_equal(labels[picks], np.repeat([7, 8, 9, 0, 1, 2, 3, 4, 5, 6], 4))
    assert len(set(picks.tolist())) == 40
    sevens = np.flatnonzero(labels == 7)
    np.testing.assert_array_equal(picks[1:4], sevens[:3])  # then in training-set order
    np.testing.assert_array_equal(picks[4:8], np.flatnonzero(labels == 8)[:4])


def test_bad_arguments_are_refused():
    labels = np.repeat(np.arange(10), 3)
    with pytest.raises(ValueError, match="fewer than 4"):
        pick_digits(labels, first=0, per_class=4)
    with pytest.raises(ValueError, match="must index"):
        pick_digits(labels, first=30)
    with pytest.raises(ValueError, match="at least 1"):
        pick_digits(labels, first=0, per_class=0)
