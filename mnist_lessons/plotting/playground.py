"""The figure of the playground page: the Python run of the playground's default settings."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from mnist_lessons.plotting.output import alt_text

__all__ = ["plot_playground_run"]


def plot_playground_run(history: dict, *, axes=None):
    """Loss and accuracy per epoch, training (solid) and test (dashed), of one playground run.

    ``history`` has ``loss``, ``accuracy``, ``test_loss`` and ``test_accuracy`` lists, as
    :func:`mnist_lessons.playground.train` returns them. Returns the Figure.
    """
    keys = ("loss", "accuracy", "test_loss", "test_accuracy")
    if any(len(history.get(k, ())) == 0 for k in keys):
        raise ValueError(f"Give a history with {', '.join(keys)}, each one value per epoch.")
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
    epochs = np.arange(1, len(history["loss"]) + 1)
    for ax, key, name in zip(axes, ("loss", "accuracy"), ("loss", "accuracy"), strict=True):
        ax.plot(epochs, history[key], color="tab:blue", marker="o", label="training")
        ax.plot(
            epochs, history[f"test_{key}"], color="tab:orange", ls="--", marker="s", label="test"
        )
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.set_xticks(epochs)
        ax.legend()
    fig = axes[0].figure
    alt_text(
        fig,
        f"Two panels over {len(epochs)} epochs: the training loss falls from "
        f"{history['loss'][0]:.2f} to {history['loss'][-1]:.2f} and the test loss from "
        f"{history['test_loss'][0]:.2f} to {history['test_loss'][-1]:.2f}; the test accuracy "
        f"goes from {100 * history['test_accuracy'][0]:.1f} % to "
        f"{100 * history['test_accuracy'][-1]:.1f} %.",
    )
    return fig
