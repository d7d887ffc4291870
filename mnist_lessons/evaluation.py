"""Scores of a trained classifier beyond accuracy: per-image loss and calibration.

For the chapter "Evaluating a classifier". NumPy only: every function takes the probability
vectors a model outputs, shape ``(N, K)`` with rows summing to 1, and the true labels, shape
``(N,)``, with classes indexed ``0 .. K-1`` (the digits themselves for MNIST).

- :func:`per_image_loss` and :func:`highest_loss`: the cross-entropy of each image,
  :math:`E_i = -\\ln p_{i, y_i}`, and the images where it is largest.
- :func:`reliability_bins` and :func:`expected_calibration_error`: how well the probability of
  the predicted class (the *confidence*) matches how often that prediction is right.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "ReliabilityBins",
    "expected_calibration_error",
    "highest_loss",
    "per_image_loss",
    "reliability_bins",
]


def _check(probabilities, labels) -> tuple[np.ndarray, np.ndarray]:
    p = np.asarray(probabilities, dtype=np.float64)
    y = np.asarray(labels)
    if p.ndim != 2 or p.shape[0] == 0 or y.shape != (p.shape[0],):
        raise ValueError(
            "Pass probabilities shaped (N, K), one row per image, and N labels; got "
            f"{p.shape} and {y.shape}."
        )
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= p.shape[1]:
        raise ValueError(f"Labels must be whole numbers from 0 to {p.shape[1] - 1}.")
    if (p < 0).any() or (p > 1).any():
        raise ValueError("Probabilities must lie in [0, 1]: pass the softmax outputs.")
    return p, y


def per_image_loss(probabilities, labels) -> np.ndarray:
    r"""The cross-entropy of each image, :math:`E_i = -\ln p_{i, y_i}`.

    A probability of exactly 0 for the true class gives ``inf``.

    Returns
    -------
    array of float, shape (N,)
    """
    p, y = _check(probabilities, labels)
    p_true = p[np.arange(len(y)), y]  # (N,)
    with np.errstate(divide="ignore"):
        return -np.log(p_true)


def highest_loss(probabilities, labels, n: int = 24) -> tuple[np.ndarray, np.ndarray]:
    """The ``n`` images with the largest cross-entropy, largest first.

    Returns
    -------
    indices : array of int, shape (n,)
        Row numbers into ``probabilities`` and ``labels``.
    losses : array of float, shape (n,)
        Their losses :math:`-\\ln p_{i, y_i}`, in decreasing order (ties keep the lower index
        first).
    """
    losses = per_image_loss(probabilities, labels)
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 0 < n <= len(losses):
        raise ValueError(f"n must be a whole number from 1 to {len(losses)}, got {n!r}.")
    order = np.argsort(-losses, kind="stable")[:n]
    return order, losses[order]


@dataclass(frozen=True)
class ReliabilityBins:
    """Images grouped by confidence into ``M`` equal bins of [0, 1].

    Attributes
    ----------
    edges : array, shape (M + 1,)
        Bin :math:`m` (counted from 0 here) holds the confidences in ``(edges[m], edges[m+1]]``;
        a confidence of exactly 0 goes to the first bin.
    counts : array of int, shape (M,)
        :math:`|B_m|`, the number of images in each bin.
    accuracy : array, shape (M,)
        :math:`\\operatorname{acc}(B_m)`, the share of them predicted right (nan if empty).
    confidence : array, shape (M,)
        :math:`\\operatorname{conf}(B_m)`, their mean confidence (nan if empty).
    """

    edges: np.ndarray
    counts: np.ndarray
    accuracy: np.ndarray
    confidence: np.ndarray

    @property
    def gap(self) -> np.ndarray:
        """``accuracy - confidence`` per bin: negative where the model is over-confident."""
        return self.accuracy - self.confidence


def reliability_bins(probabilities, labels, n_bins: int = 10) -> ReliabilityBins:
    r"""Group the images by confidence and measure each group's accuracy.

    The confidence of image :math:`i` is :math:`\hat p_i = \max_k p_{ik}`, the probability of
    its predicted class :math:`\hat y_i = \arg\max_k p_{ik}`. For the bins
    :math:`B_m = \{i : (m-1)/M < \hat p_i \le m/M\}`,

    .. math::

        \operatorname{acc}(B_m) = \frac{1}{|B_m|} \sum_{i \in B_m} [\hat y_i = y_i], \qquad
        \operatorname{conf}(B_m) = \frac{1}{|B_m|} \sum_{i \in B_m} \hat p_i .

    Parameters
    ----------
    probabilities : array, shape (N, K)
    labels : array of int, shape (N,)
    n_bins : int
        :math:`M`, the number of equal-width bins of [0, 1].
    """
    p, y = _check(probabilities, labels)
    if isinstance(n_bins, bool) or not isinstance(n_bins, int | np.integer) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive whole number, got {n_bins!r}.")
    confidence = p.max(axis=1)  # (N,)
    correct = p.argmax(axis=1) == y  # (N,)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    # Bin m holds (edges[m], edges[m + 1]]: the first edge at or above the confidence, minus 1.
    which = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, n_bins - 1)
    counts = np.bincount(which, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        accuracy = np.bincount(which, weights=correct, minlength=n_bins) / counts
        mean_confidence = np.bincount(which, weights=confidence, minlength=n_bins) / counts
    return ReliabilityBins(edges, counts, accuracy, mean_confidence)


def expected_calibration_error(probabilities, labels, n_bins: int = 10) -> float:
    r"""The expected calibration error (ECE) over ``n_bins`` equal bins of confidence.

    .. math::

        \text{ECE} = \sum_{m=1}^{M} \frac{|B_m|}{N}
        \bigl|\operatorname{acc}(B_m) - \operatorname{conf}(B_m)\bigr|

    with the bins of :func:`reliability_bins`; empty bins add nothing. 0 means that within
    every bin the model is right exactly as often as it is confident on average.
    """
    bins = reliability_bins(probabilities, labels, n_bins)
    filled = bins.counts > 0
    weights = bins.counts[filled] / bins.counts.sum()
    return float(np.sum(weights * np.abs(bins.gap[filled])))
