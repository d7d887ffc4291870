"""The verdict sentences: McNemar's exact test and the t interval against closed forms."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from mnist_lessons.verdict import compare_on_test, compare_seeds


def pair(only_a: int, only_b: int, both: int = 9000, neither: int = 0):
    """Correct/incorrect arrays with the given counts of (a only, b only, both, neither)."""
    a = [True] * only_a + [False] * only_b + [True] * both + [False] * neither
    b = [False] * only_a + [True] * only_b + [True] * both + [False] * neither
    return np.array(a), np.array(b)


def test_a_one_image_difference_is_a_tie():
    a, b = pair(11, 10)
    v = compare_on_test("the CNN", a, "the MLP", b)
    assert v.is_tie and v.winner is None
    assert v.sentence.startswith("The CNN and the MLP tie")
    assert v.difference == pytest.approx(1 / a.size)


def test_mcnemar_p_value_is_the_exact_binomial_one():
    # 10 discordant images, all won by b: p = 2 * 0.5**10 in closed form.
    a, b = pair(0, 10)
    v = compare_on_test("the MLP", a, "the CNN", b)
    assert v.p_value == pytest.approx(2 * 0.5**10, rel=1e-12)
    assert v.winner == "the CNN" and v.loser == "the MLP"
    assert v.sentence.startswith("The CNN beats the MLP")
    assert "p = 0.002" in v.sentence


def test_the_winner_is_named_whichever_order_the_models_come_in():
    a, b = pair(120, 40)
    assert compare_on_test("x", a, "y", b).winner == "x"
    assert compare_on_test("y", b, "x", a).winner == "x"


def test_identical_models_tie_with_p_one():
    a, _ = pair(5, 0)
    v = compare_on_test("one", a, "two", a)
    assert v.is_tie and v.p_value == 1.0


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        (np.ones(5, bool), np.ones(4, bool), "same images"),
        (np.ones((2, 2), bool), np.ones((2, 2), bool), "one True/False"),
        (np.ones(0, bool), np.ones(0, bool), "one True/False"),
    ],
)
def test_mismatched_arrays_are_refused(a, b, message):
    with pytest.raises(ValueError, match=message):
        compare_on_test("a", a, "b", b)


def test_same_names_are_refused():
    with pytest.raises(ValueError, match="different names"):
        compare_on_test("m", [True], "m", [False])


def test_welch_interval_matches_scipy_and_the_t_critical_value():
    a = np.array([0.981, 0.984, 0.982])
    b = np.array([0.975, 0.977, 0.976])
    v = compare_seeds("dropout", a, "no dropout", b)
    ref = stats.ttest_ind(a, b, equal_var=False)
    assert v.p_value == pytest.approx(ref.pvalue, rel=1e-10)
    ci = ref.confidence_interval(0.95)
    assert v.interval == pytest.approx((ci.low, ci.high), rel=1e-10)
    assert v.winner == "dropout"


def test_few_seeds_use_t_not_two_standard_errors():
    # Three seeds each: 2 SE would exclude 0 here, the t interval (t_0.975 with ~4 df) does not.
    a = np.array([0.50, 0.52, 0.54])
    b = np.array([0.465, 0.485, 0.505])
    se = np.sqrt(a.var(ddof=1) / 3 + b.var(ddof=1) / 3)
    diff = a.mean() - b.mean()
    assert diff - 2 * se > 0  # "2 SE" would call a winner
    v = compare_seeds("a", a, "b", b)
    assert v.interval[0] < 0 < v.interval[1]
    assert v.is_tie and "tie" in v.sentence


def test_paired_interval_matches_scipy():
    a = np.array([0.91, 0.93, 0.92, 0.95])
    b = np.array([0.90, 0.915, 0.91, 0.94])
    v = compare_seeds("adam", a, "sgd", b, paired=True)
    ref = stats.ttest_rel(a, b)
    assert v.p_value == pytest.approx(ref.pvalue, rel=1e-10)
    ci = ref.confidence_interval(0.95)
    assert v.interval == pytest.approx((ci.low, ci.high), rel=1e-10)
    assert v.sentence.startswith("Adam beats sgd by 1.12 points")


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "message"),
    [
        ([0.9], [0.8, 0.7], {}, "at least two"),
        ([0.9, np.nan], [0.8, 0.7], {}, "nan"),
        ([0.9, 0.8, 0.7], [0.8, 0.7], {"paired": True}, "same seeds"),
    ],
)
def test_bad_seed_scores_are_refused(a, b, kwargs, message):
    with pytest.raises(ValueError, match=message):
        compare_seeds("a", a, "b", b, **kwargs)


def test_the_sentence_names_the_images_compared_on():
    a, b = pair(0, 30)
    assert "beats one on the test set" in compare_on_test("one", a, "two", b).sentence
    v = compare_on_test("one", a, "two", b, on="the validation set")
    assert "beats one on the validation set (" in v.sentence and "test set" not in v.sentence
    c, d = pair(3, 3)
    tie = compare_on_test("one", c, "two", d, on="the validation set")
    assert "tie on the validation set (" in tie.sentence
