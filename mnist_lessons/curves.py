"""Reading learning curves in numbers: the epochs a history's figure shows, and sentences.

A chapter that draws a training history with :func:`mnist_lessons.plotting.plot_history` and
then says what the figure shows should compute what it says from the same history, so that the
words stay true whatever the run gives. :func:`read_curves` finds the epochs the eye looks for
(the lowest validation loss, the jumps of the validation loss, the epochs where the learning
rate was lowered, the best validation accuracy), :func:`rate_schedule` turns the per-epoch
learning rates into runs of equal rate, and :func:`describe_curves` writes the sentences the
chapter "Your first neural network" glues. Epochs are counted from 1, as Keras prints them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["CurveEvents", "describe_curves", "rate_schedule", "read_curves"]


def _curve(history: Mapping, key: str) -> np.ndarray:
    if key not in history:
        raise ValueError(
            f"The history has no {key!r} curve (it has {sorted(history)}): pass the "
            "`history` of a model trained with validation data and the accuracy metric."
        )
    values = np.asarray(history[key], dtype=float)
    if values.ndim != 1 or values.size == 0 or not np.all(np.isfinite(values)):
        raise ValueError(f"{key!r} must be one finite number per epoch, got {history[key]!r}.")
    return values


@dataclass(frozen=True)
class CurveEvents:
    """What a history's learning curves show, as epochs counted from 1.

    Attributes
    ----------
    epochs_run : int
    lowest_loss_epoch : int
        The epoch of the lowest validation loss (the first, if it is reached twice).
    best_accuracy_epoch : int
        The epoch of the best validation accuracy (the first), the weights early stopping keeps.
    jumps : tuple of int
        Epochs where the validation loss peaks: higher than the epochs on either side, and more
        than ``jump`` (a share, 0.1 by default) above the lowest validation loss before it.
    rate_drops : tuple of int
        The first epoch of each lower learning rate (empty without a ``learning_rate`` curve).
    """

    epochs_run: int
    lowest_loss_epoch: int
    best_accuracy_epoch: int
    jumps: tuple[int, ...]
    rate_drops: tuple[int, ...]


def rate_schedule(history: Mapping) -> list[tuple[float, int, int]]:
    """The learning rate of a history as runs: ``(rate, first epoch, last epoch)``.

    Keras' ``ReduceLROnPlateau`` writes the rate each epoch was trained with into the history as
    ``learning_rate``; rates equal to float32 precision form one run.

    Examples
    --------
    >>> rate_schedule({"learning_rate": [1e-3, 1e-3, 5e-4]})
    [(0.001, 1, 2), (0.0005, 3, 3)]
    """
    rates = _curve(history, "learning_rate")
    runs: list[tuple[float, int, int]] = []
    for epoch, rate in enumerate(rates, start=1):
        if runs and math.isclose(rate, runs[-1][0], rel_tol=1e-6):
            runs[-1] = (runs[-1][0], runs[-1][1], epoch)
        else:
            runs.append((float(rate), epoch, epoch))
    return runs


def read_curves(history: Mapping, *, jump: float = 0.1) -> CurveEvents:
    """Find the epochs of a training history that a reader of its learning curves looks for.

    Parameters
    ----------
    history : mapping
        ``{"val_loss": [...], "val_accuracy": [...]}`` and optionally ``"learning_rate"``, one
        value per epoch (``Trained.history`` or Keras' ``History.history``).
    jump : float
        How far above the lowest validation loss so far a peak must rise to count as a jump
        (0.1: 10 %).

    Returns
    -------
    CurveEvents
    """
    val_loss = _curve(history, "val_loss")
    val_accuracy = _curve(history, "val_accuracy")
    if val_loss.size != val_accuracy.size:
        raise ValueError("val_loss and val_accuracy must have one value per epoch each.")
    if not jump > 0:
        raise ValueError(f"jump is a share of the validation loss, above 0; got {jump!r}.")
    lowest_so_far = np.minimum.accumulate(val_loss)  # (epochs,)
    jumps = tuple(
        e + 1
        for e in range(1, val_loss.size - 1)
        if val_loss[e] > val_loss[e - 1]
        and val_loss[e] > val_loss[e + 1]
        and val_loss[e] > (1 + jump) * lowest_so_far[e - 1]
    )
    drops: tuple[int, ...] = ()
    if "learning_rate" in history:
        drops = tuple(first for rate, first, _ in rate_schedule(history)[1:])
    return CurveEvents(
        epochs_run=int(val_loss.size),
        lowest_loss_epoch=int(np.argmin(val_loss)) + 1,
        best_accuracy_epoch=int(np.argmax(val_accuracy)) + 1,
        jumps=jumps,
        rate_drops=drops,
    )


def _lowered(schedule: Sequence[tuple[float, int, int]], epoch: int) -> str:
    """'halved' or 'lowered to ...' for the rate that starts at ``epoch``."""
    rates = {first: rate for rate, first, _ in schedule}
    previous = max(first for first in rates if first < epoch)
    ratio = rates[epoch] / rates[previous]
    return "halved" if math.isclose(ratio, 0.5, rel_tol=1e-3) else f"lowered to {rates[epoch]:.2g}"


def describe_curves(history: Mapping, *, jump: float = 0.1) -> tuple[str, str]:
    """Two paragraphs' worth of sentences on a history's validation curves, from its numbers.

    The first follows the validation loss (its lowest epoch, its largest jump after it, the
    first lowering of the learning rate, where it ends); the second the validation accuracy
    (where it was when the loss was lowest, and where it was best). Only what the numbers show
    is said: a jump only if :func:`read_curves` finds one, "falls back" only if the loss after
    the lowering is below the jump, and so on.

    Returns
    -------
    (str, str)
        The sentences on the loss, and those on the accuracy.
    """
    events = read_curves(history, jump=jump)
    val_loss = _curve(history, "val_loss")
    val_accuracy = 100 * _curve(history, "val_accuracy")
    schedule = rate_schedule(history) if "learning_rate" in history else []
    low, last = events.lowest_loss_epoch, events.epochs_run
    if low == last:
        return (
            f"The validation loss falls all the way to the last epoch, epoch {last}, where it "
            f"is {val_loss[-1]:.3f}.",
            _accuracy_text(events, val_accuracy, peak=None, drop=None),
        )
    loss = [f"The validation loss is lowest at epoch {low}, at {val_loss[low - 1]:.3f}."]
    later_jumps = [e for e in events.jumps if e > low]
    peak = max(later_jumps, key=lambda e: val_loss[e - 1]) if later_jumps else None
    drop = events.rate_drops[0] if events.rate_drops else None
    if peak is not None:
        still = schedule and (drop is None or peak < drop)
        rate_then = f", while the learning rate is still {schedule[0][0]:g}" if still else ""
        loss.append(f"It then jumps, to {val_loss[peak - 1]:.3f} at epoch {peak}{rate_then}.")
    said_end = False
    if drop is not None:
        lowered = _lowered(schedule, drop)
        after = val_loss[drop - 1 :]  # (epochs from the drop on,)
        back = drop + int(np.argmin(after))
        if peak is not None and drop > peak and after.min() < val_loss[peak - 1]:
            text = (
                f"After the learning rate is first {lowered}, from epoch {drop} on, it falls "
                f"back, to {after.min():.3f} at epoch {back}"
            )
            if back < last:
                trend = "rises again" if val_loss[-1] > after.min() else "stays there"
                text += f", and then {trend}, to {val_loss[-1]:.3f} at the last epoch"
            loss.append(text + ".")
            said_end = True
        else:
            loss.append(f"The learning rate is first {lowered} from epoch {drop} on.")
    if not said_end:
        rise = 100 * (val_loss[-1] / val_loss[low - 1] - 1)
        loss.append(
            f"At the last epoch, epoch {last}, it is {val_loss[-1]:.3f}, {rise:.0f} % above "
            "its lowest."
        )
    return " ".join(loss), _accuracy_text(events, val_accuracy, peak=peak, drop=drop)


def _accuracy_text(events: CurveEvents, val_accuracy: np.ndarray, *, peak, drop) -> str:
    """The sentences on the validation accuracy (in %), against the epoch of the lowest loss."""
    low, best = events.lowest_loss_epoch, events.best_accuracy_epoch
    if best == low:
        return (
            f"The validation accuracy is best at the same epoch, epoch {best}, with "
            f"{val_accuracy[best - 1]:.2f} %."
        )
    if best < low:
        return (
            "The validation accuracy was best before the loss was lowest: "
            f"{val_accuracy[best - 1]:.2f} % at epoch {best}."
        )
    parts = [f"At epoch {low}, where the loss was lowest, it was {val_accuracy[low - 1]:.2f} %"]
    if peak is not None and peak < best and val_accuracy[peak - 1] < val_accuracy[low - 1]:
        parts.append(f"it dipped to {val_accuracy[peak - 1]:.2f} % at epoch {peak}")
    when = "after the learning rate was lowered, " if drop is not None and drop <= best else ""
    parts.append(f"{when}it rose to its best, {val_accuracy[best - 1]:.2f} %, at epoch {best}")
    return "The validation accuracy does not follow the loss. " + "; ".join(parts) + "."
