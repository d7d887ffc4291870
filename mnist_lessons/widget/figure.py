"""The figure of the "Try it" page: a drawing through the MNIST preprocessing, step by step."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from mnist_lessons.plotting.output import alt_text
from mnist_lessons.widget.preprocess import FIELD, center_of_mass, preprocess_steps

__all__ = ["plot_preprocessing"]


def plot_preprocessing(canvas, axes=None):
    """Four panels: the canvas with the ink's bounding box, the crop, the 20x20 box with its
    centre of mass (red cross), and the 28x28 image with the field's centre (dashed lines).

    Returns the :class:`matplotlib.figure.Figure`.
    """
    canvas = np.asarray(canvas, dtype=np.float64)
    steps = preprocess_steps(canvas)
    if axes is None:
        _, axes = plt.subplots(1, 4, figsize=(11, 3.2), layout="constrained")
    axes = np.asarray(axes).ravel()
    if axes.size != 4:
        raise ValueError(f"Give four axes, one per step; got {axes.size}.")
    ink_rows = np.flatnonzero(canvas.max(axis=1) > 0)
    ink_cols = np.flatnonzero(canvas.max(axis=0) > 0)
    panels = [
        (canvas, f"drawing, {canvas.shape[0]}x{canvas.shape[1]}"),
        (steps.crop, f"cropped to the ink, {steps.crop.shape[0]}x{steps.crop.shape[1]}"),
        (steps.box, f"scaled, {steps.box.shape[0]}x{steps.box.shape[1]}"),
        (steps.image, f"centred, {FIELD}x{FIELD}"),
    ]
    for ax, (image, title) in zip(axes, panels, strict=True):
        ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("column (pixel)")
    axes[0].set_ylabel("row (pixel)")
    top, left = ink_rows[0] - 0.5, ink_cols[0] - 0.5
    axes[0].add_patch(
        Rectangle(
            (left, top),
            ink_cols[-1] + 1 - ink_cols[0],
            ink_rows[-1] + 1 - ink_rows[0],
            fill=False,
            edgecolor="tab:orange",
            linewidth=1.5,
        )
    )
    axes[2].plot(steps.center[1], steps.center[0], "x", color="tab:red", markersize=10, mew=2)
    row, col = center_of_mass(steps.image)
    axes[3].plot(col, row, "x", color="tab:red", markersize=10, mew=2)
    axes[3].axhline(FIELD / 2, color="tab:blue", linestyle="--", linewidth=1)
    axes[3].axvline(FIELD / 2, color="tab:blue", linestyle="--", linewidth=1)
    fig = axes[0].figure
    alt_text(
        fig,
        f"Four panels: a {canvas.shape[0]} by {canvas.shape[1]} drawing with its ink's "
        f"{ink_rows.size} by {ink_cols.size} bounding box in orange; the crop; the crop scaled "
        f"to {steps.box.shape[0]} by {steps.box.shape[1]} with its centre of mass as a red "
        f"cross; and the {FIELD} by {FIELD} result, its centre of mass at row {row:.1f}, "
        f"column {col:.1f}.",
    )
    return fig
