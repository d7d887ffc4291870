"""Verdict sentences chosen by a statistical test, never by eye.

A sentence in the book that says one model beats another is computed here, in the build, from
the numbers the chapter measured, so that the words follow the result:

- :func:`compare_on_test` compares two classifiers **on the same test images** with McNemar's
  exact test: only the images on which exactly one of the two is right carry information, and
  under "no difference" each such image is a fair coin. A one-image difference in 10,000 is a
  tie.
- :func:`compare_seeds` compares two settings **over a few training seeds** with a t interval
  (Welch's for independent runs, the paired one when the runs share their seeds), using the t
  critical value for the few degrees of freedom, not "2 standard errors".

Both return a :class:`Verdict` whose ``sentence`` names the winner, or calls a tie a tie; a
chapter glues it with ``record("name", verdict.sentence)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["Verdict", "compare_on_test", "compare_seeds"]


@dataclass(frozen=True)
class Verdict:
    """The outcome of a comparison of ``a`` against ``b``.

    Attributes
    ----------
    winner, loser : str or None
        The names of the better and the worse, or ``None`` for both when the test calls a tie.
    difference : float
        Score of ``a`` minus score of ``b`` (a fraction for accuracies).
    p_value : float
        The two-sided p-value of the test.
    interval : tuple of float or None
        The confidence interval of ``difference`` (:func:`compare_seeds` only).
    sentence : str
        One sentence for the prose, chosen by the test.
    """

    winner: str | None
    loser: str | None
    difference: float
    p_value: float
    interval: tuple[float, float] | None
    sentence: str

    @property
    def is_tie(self) -> bool:
        return self.winner is None


def _check_names(name_a: str, name_b: str) -> None:
    if not (isinstance(name_a, str) and isinstance(name_b, str) and name_a and name_b):
        raise ValueError("Give each model a name (a non-empty string) for the sentence.")
    if name_a == name_b:
        raise ValueError(f"Both models are called {name_a!r}: give them different names.")


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha is a probability between 0 and 1, got {alpha}.")


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def compare_on_test(
    name_a: str,
    correct_a,
    name_b: str,
    correct_b,
    *,
    alpha: float = 0.05,
    on: str = "the test set",
) -> Verdict:
    r"""Compare two classifiers on the same test images with McNemar's exact test.

    With :math:`n_{10}` the images only ``a`` gets right and :math:`n_{01}` those only ``b``
    gets right, under the hypothesis of equal accuracy :math:`n_{10} \sim
    \mathrm{Binomial}(n_{10} + n_{01}, 1/2)`; the p-value is the exact two-sided binomial one.

    Parameters
    ----------
    name_a, name_b : str
        How the sentence names the two models ("the CNN", "the MLP").
    correct_a, correct_b : array of bool, shape (n,)
        Whether each model read each test image correctly, for the same images in the same order.
    alpha : float
        The significance level below which the difference is called a win.
    on : str
        Which images the sentence names: ``"the test set"``, or ``"the validation set"``
        when the comparison chooses between settings (the test set is used once, at the end).

    Raises
    ------
    ValueError
        If the arrays are empty, differ in length or are not one per image.
    """
    _check_names(name_a, name_b)
    _check_alpha(alpha)
    correct_a = np.asarray(correct_a, dtype=bool)
    correct_b = np.asarray(correct_b, dtype=bool)
    if correct_a.ndim != 1 or correct_a.shape != correct_b.shape or correct_a.size == 0:
        raise ValueError(
            "Pass one True/False per test image for each model, for the same images: got "
            f"shapes {correct_a.shape} and {correct_b.shape}."
        )
    n = correct_a.size
    only_a = int(np.sum(correct_a & ~correct_b))
    only_b = int(np.sum(~correct_a & correct_b))
    discordant = only_a + only_b
    p = 1.0 if discordant == 0 else float(stats.binomtest(only_a, discordant, 0.5).pvalue)
    acc_a, acc_b = correct_a.mean(), correct_b.mean()
    errors = f"{n - correct_a.sum():,} errors against {n - correct_b.sum():,} in {n:,} images"
    test = (
        f"McNemar's exact test on the {discordant:,} images only one of them reads, {_p_text(p)}"
    )
    if p < alpha:
        winner, loser = (name_a, name_b) if only_a > only_b else (name_b, name_a)
        sentence = (
            f"{_capitalised(winner)} beats {loser} on {on} ({errors}; the gap is larger "
            f"than chance explains: {test})."
        )
    else:
        winner = loser = None
        sentence = (
            f"{_capitalised(name_a)} and {name_b} tie on {on} ({errors}; a gap this "
            f"small is what chance gives: {test})."
        )
    return Verdict(winner, loser, float(acc_a - acc_b), p, None, sentence)


def compare_seeds(
    name_a: str,
    scores_a,
    name_b: str,
    scores_b,
    *,
    paired: bool = False,
    confidence: float = 0.95,
    unit: str = "points",
    scale: float = 100.0,
) -> Verdict:
    r"""Compare two settings from their scores over a few seeds with a t interval.

    The difference of the means :math:`\bar a - \bar b` gets the interval
    :math:`\bar a - \bar b \pm t_{1-(1-c)/2,\,\nu}\, \mathrm{SE}`, with Welch's standard error
    and degrees of freedom for independent runs, or the standard error of the per-seed
    differences and :math:`\nu = n - 1` when ``paired`` (the same seeds, in the same order).
    If the interval holds 0, it is a tie.

    Parameters
    ----------
    name_a, name_b : str
        How the sentence names the two settings.
    scores_a, scores_b : array of float
        One score per seed (at least two each), higher is better (accuracy, for example).
    paired : bool
        Whether ``scores_a[i]`` and ``scores_b[i]`` come from the same seed.
    confidence : float
        The confidence level of the interval.
    unit, scale : str, float
        How the sentence writes a difference: ``difference * scale`` followed by ``unit``
        (percentage points for accuracies given as fractions, by default).
    """
    _check_names(name_a, name_b)
    _check_alpha(1 - confidence)
    a = np.asarray(scores_a, dtype=float).ravel()
    b = np.asarray(scores_b, dtype=float).ravel()
    if a.size < 2 or b.size < 2:
        raise ValueError("Give at least two seeds per setting: one run has no spread to test.")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("A score is nan or infinite: check the runs before comparing them.")
    if paired:
        if a.size != b.size:
            raise ValueError("Paired scores need the same seeds for both: the lengths differ.")
        d = a - b
        se = d.std(ddof=1) / np.sqrt(d.size)
        dof = d.size - 1
    else:
        va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
        se = np.sqrt(va + vb)
        dof = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1)) if se > 0 else 1.0
    diff = float(a.mean() - b.mean())
    if se == 0:
        p = 1.0 if diff == 0 else 0.0
        low = high = diff
    else:
        t_crit = stats.t.ppf(1 - (1 - confidence) / 2, dof)
        low, high = diff - t_crit * se, diff + t_crit * se
        p = float(2 * stats.t.sf(abs(diff) / se, dof))
    n_text = f"{a.size} seeds" if paired or a.size == b.size else f"{a.size} and {b.size} seeds"
    interval = (
        f"{100 * confidence:.0f} % interval {low * scale:+.2f} to {high * scale:+.2f} {unit}"
    )
    if low > 0 or high < 0:
        winner, loser = (name_a, name_b) if diff > 0 else (name_b, name_a)
        sentence = (
            f"{_capitalised(winner)} beats {loser} by {abs(diff) * scale:.2f} {unit} on average "
            f"over {n_text} ({interval} for {name_a} minus {name_b}, t test)."
        )
    else:
        winner = loser = None
        sentence = (
            f"{_capitalised(name_a)} and {name_b} tie: over {n_text} the mean difference is "
            f"{diff * scale:+.2f} {unit}, and the {interval} holds 0 (t test)."
        )
    return Verdict(winner, loser, diff, p, (float(low), float(high)), sentence)
