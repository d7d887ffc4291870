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
    "cell_digits",
    "coverage_accuracy",
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


def coverage_accuracy(confidence, correct, thresholds) -> tuple[np.ndarray, np.ndarray]:
    r"""The share of images answered, and the accuracy on them, at each threshold :math:`\tau`.

    A classifier that answers only when its confidence reaches the threshold,
    :math:`\hat p_i \ge \tau`, answers the images :math:`A_\tau = \{i : \hat p_i \ge \tau\}`:

    .. math::

        \text{coverage}(\tau) = \frac{|A_\tau|}{N}, \qquad
        \text{accuracy}(\tau) = \frac{1}{|A_\tau|} \sum_{i \in A_\tau} [\hat y_i = y_i]

    (NaN where it answers nothing). The comparison is made in float64, as JavaScript makes it.

    Parameters
    ----------
    confidence : array, shape (N,)
        :math:`\hat p_i`, the probability of each image's predicted class.
    correct : array of bool, shape (N,)
        Whether each prediction is right.
    thresholds : array, shape (T,)
    """
    conf = np.asarray(confidence, dtype=np.float64)
    right = np.asarray(correct, dtype=bool)
    tau = np.atleast_1d(np.asarray(thresholds, dtype=np.float64))
    if conf.ndim != 1 or right.shape != conf.shape or conf.size == 0:
        raise ValueError(
            f"Pass one confidence and one right-or-wrong per image; got {conf.shape} and "
            f"{right.shape}."
        )
    order = np.argsort(conf, kind="stable")  # ascending
    sorted_conf = conf[order]
    # right answers among the images from position k of the ascending order to the end
    right_from = np.append(np.cumsum(right[order][::-1])[::-1], 0)  # (N + 1,)
    first = np.searchsorted(sorted_conf, tau, side="left")  # first image with conf >= tau
    answered = conf.size - first  # (T,)
    with np.errstate(invalid="ignore", divide="ignore"):
        accuracy = right_from[first] / answered
    return answered / conf.size, accuracy


def cell_digits(
    labels, predicted, confidence, *, per_mistake_cell: int = 24, per_right_cell: int = 12
) -> dict[tuple[int, int], np.ndarray]:
    """Some images of every cell of the confusion matrix, for a reader to look at.

    Cell ``(i, j)`` holds the images of class ``i`` predicted as ``j``. Off the diagonal (the
    mistakes) it gives up to ``per_mistake_cell`` of them, the most confident first; on the
    diagonal (the right answers, far more numerous) the ``per_right_cell`` least confident.

    Returns
    -------
    dict
        ``{(i, j): indices}`` for every non-empty cell, indices into the images (int64).
    """
    y = np.asarray(labels)
    pred = np.asarray(predicted)
    conf = np.asarray(confidence, dtype=np.float64)
    if not (y.shape == pred.shape == conf.shape and y.ndim == 1):
        raise ValueError(
            "Pass labels, predictions and confidences of the same images, one each; got "
            f"{y.shape}, {pred.shape} and {conf.shape}."
        )
    cells = {}
    for i, j in sorted(set(zip(y.tolist(), pred.tolist(), strict=True))):
        members = np.flatnonzero((y == i) & (pred == j))
        if i == j:  # least confident first
            order = np.argsort(conf[members], kind="stable")[:per_right_cell]
        else:  # most confident first
            order = np.argsort(-conf[members], kind="stable")[:per_mistake_cell]
        cells[(i, j)] = members[order]
    return cells
