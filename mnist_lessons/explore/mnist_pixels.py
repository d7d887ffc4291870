"""The digits the "mnist-pixels" explorable shows (chapter The MNIST dataset).

:func:`pick_digits` chooses a few training digits of each class, the chapter's own digit first;
the chapter exports them as uint8 (63 KB for eight a class) with their training-set indices,
and ``static/explore/explorables/mnist-pixels.js`` shows them pixel by pixel.
"""

from __future__ import annotations

import numpy as np

__all__ = ["pick_digits"]


def pick_digits(labels, *, first: int, per_class: int = 8) -> np.ndarray:
    """Training-set indices: ``per_class`` digits of each class, grouped by class.

    The groups run from the class of ``labels[first]`` up, wrapping round from 9 to 0, and
    ``first`` heads its group, so the explorable opens on that digit (the chapter's). Within a
    group the other digits come in training-set order.

    Returns an int64 array of ``10 * per_class`` indices.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or not 0 <= first < len(labels):
        raise ValueError(f"first={first} must index the 1-D labels (length {len(labels)}).")
    if per_class < 1:
        raise ValueError(f"per_class must be at least 1, not {per_class}.")
    start = int(labels[first])
    picks = []
    for k in (start + np.arange(10)) % 10:
        others = np.flatnonzero(labels == k)
        if k == start:
            others = np.concatenate([[first], others[others != first]])
        if len(others) < per_class:
            raise ValueError(f"Only {len(others)} digits of class {k}, fewer than {per_class}.")
        picks.append(others[:per_class])
    return np.concatenate(picks).astype(np.int64)
