"""Tests of the training and evaluation figures: curves, confusion matrix, misclassified digits."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb

from mnist_lessons import plotting


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _history(n=5, start=0.8):
    epochs = np.arange(n)
    return {
        "accuracy": list(start + 0.03 * epochs),
        "val_accuracy": [0.80, 0.85, 0.90, 0.88, 0.87][:n],
        "loss": list(1.0 / (1 + epochs)),
        "val_loss": list(1.2 / (1 + epochs)),
    }


def test_plot_history_draws_training_and_validation_on_two_panels():
    history = _history()
    fig = plotting.plot_history(history)
    acc, loss = fig.axes
    assert acc.get_ylabel() == "accuracy" and loss.get_ylabel().startswith("loss")
    assert acc.get_xlabel() == loss.get_xlabel() == "epoch"
    solid, dashed, best = acc.get_lines()
    np.testing.assert_array_equal(solid.get_xdata(), [1, 2, 3, 4, 5])  # epochs from 1
    np.testing.assert_allclose(solid.get_ydata(), history["accuracy"])
    np.testing.assert_allclose(dashed.get_ydata(), history["val_accuracy"])
    assert dashed.get_linestyle() == "--"
    # the best validation accuracy is epoch 3, marked on both panels
    assert best.get_xdata()[0] == 3 and best.get_ydata()[0] == pytest.approx(0.90)
    assert loss.get_lines()[2].get_ydata()[0] == pytest.approx(history["val_loss"][2])
    assert [t.get_text() for t in acc.get_legend().get_texts()] == ["training", "validation"]


def test_plot_history_compares_models_in_their_own_colours():
    fig = plotting.plot_history({"MLP": _history(), "dropout": _history(4)}, mark_best=False)
    acc, _ = fig.axes
    lines = acc.get_lines()
    assert len(lines) == 4
    labels = [t.get_text() for t in acc.get_legend().get_texts()]
    names = ["MLP: training", "MLP: validation", "dropout: training", "dropout: validation"]
    assert labels == names
    assert lines[0].get_color() == lines[1].get_color() != lines[2].get_color()


def test_plot_history_reuses_given_axes():
    fig, axes = plt.subplots(1, 2)
    assert plotting.plot_history(_history(), axes=axes) is fig


def test_plot_history_rejects_a_history_without_validation():
    with pytest.raises(ValueError, match="validation"):
        plotting.plot_history({"loss": [1.0], "accuracy": [0.5]})
    bad = _history()
    bad["val_loss"] = bad["val_loss"][:2]
    with pytest.raises(ValueError, match="one value per epoch"):
        plotting.plot_history(bad)


def test_confusion_matrix_has_digit_ticks_and_one_count_per_cell():
    rng = np.random.default_rng(0)
    matrix = rng.integers(0, 20, (10, 10))
    matrix[np.diag_indices(10)] = 900 + np.arange(10)
    ax = plotting.plot_confusion_matrix(matrix)
    assert isinstance(ax, Axes)
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(d) for d in range(10)]
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(d) for d in range(10)]
    assert ax.get_xlabel() == "predicted digit" and ax.get_ylabel() == "true digit"
    texts = ax.texts
    assert len(texts) == 100
    assert [t.get_text() for t in texts] == [str(v) for v in matrix.ravel()]
    # row by row: text k sits at row k // 10, column k % 10
    assert texts[23].get_position() == (3, 2)
    assert texts[44].get_weight() == "bold" and texts[45].get_weight() == "normal"


def test_confusion_matrix_text_stays_readable_on_dark_cells():
    matrix = np.array([[1000, 0], [3, 990]])
    ax = plotting.plot_confusion_matrix(matrix, class_names=["no", "yes"])
    on_dark, on_zero, on_light = ax.texts[0], ax.texts[1], ax.texts[2]
    assert to_rgb(on_dark.get_color()) == (1.0, 1.0, 1.0)
    assert to_rgb(on_zero.get_color()) == (0.5, 0.5, 0.5)  # an empty cell: light or dark page
    assert to_rgb(on_light.get_color()) == (0.0, 0.0, 0.0)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["no", "yes"]


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        (np.zeros((3, 4), int), "square"),
        (np.full((2, 2), 0.5), "counts"),
        (-np.ones((2, 2), int), "counts"),
    ],
)
def test_confusion_matrix_rejects_what_is_not_one(matrix, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_confusion_matrix(matrix)


def test_plot_misclassified_titles_each_digit_with_truth_prediction_and_confidence():
    images = np.random.default_rng(1).random((3, 28, 28))
    fig = plotting.plot_misclassified(images, [4, 9, 3], [9, 4, 5], [0.87, 0.5, 0.999], ncols=2)
    titles = [ax.get_title() for ax in fig.axes if ax.get_images()]
    assert titles == ["true 4\npred 9 (87.0%)", "true 9\npred 4 (50.0%)", "true 3\npred 5 (99.9%)"]
    assert all(ax.title.get_color() == "tab:red" for ax in fig.axes if ax.get_images())


def test_plot_misclassified_writes_no_rounded_100_percent():
    images = np.zeros((3, 28, 28))
    fig = plotting.plot_misclassified(images, [1, 2, 3], [7, 7, 7], [0.99949, 0.9995, 1.0])
    titles = [ax.get_title().split("\n")[1] for ax in fig.axes if ax.get_images()]
    assert titles == ["pred 7 (99.9%)", "pred 7 (>99.9%)", "pred 7 (100.0%)"]


def test_plot_misclassified_checks_lengths_and_probabilities():
    images = np.zeros((2, 28, 28))
    with pytest.raises(ValueError, match="one true label"):
        plotting.plot_misclassified(images, [1], [2, 3], [0.5, 0.5])
    with pytest.raises(ValueError, match="probabilities"):
        plotting.plot_misclassified(images, [1, 2], [2, 3], [50, 90])


def test_plot_seed_spread_shows_each_run_and_the_mean_and_std():
    results = {"a": [0.97, 0.98, 0.99], "b": [0.95, 0.96, 0.94]}
    ax = plotting.plot_seed_spread(results, seeds=[0, 1, 2])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b"]
    dots = [c for c in ax.collections if c.get_offsets().shape == (3, 2)]
    np.testing.assert_allclose(dots[0].get_offsets()[:, 1], results["a"])
    np.testing.assert_allclose(dots[1].get_offsets()[:, 1], results["b"])
    (container,) = ax.containers
    np.testing.assert_allclose(container.lines[0].get_ydata(), [0.98, 0.95])
    # whiskers at mean ± sample standard deviation (ddof=1): 0.01 for both models
    (whiskers,) = container.lines[2]
    np.testing.assert_allclose(whiskers.get_segments()[0][:, 1], [0.97, 0.99])
    assert sum(t.get_text() == "seed 1" for t in ax.texts) == 2
    # a grey line joins the runs of each seed across models
    assert len([line for line in ax.get_lines() if line.get_color() == "0.8"]) == 3


def test_plot_seed_spread_keeps_the_labels_of_close_runs_apart():
    ax = plotting.plot_seed_spread({"a": [0.9810, 0.9811, 0.95]}, seeds=[0, 1, 2])
    offsets = {t.get_text(): t.xyann[1] for t in ax.texts}  # points above each dot, minus 3
    assert offsets["seed 2"] == pytest.approx(-3)  # alone at the bottom: beside its dot
    y = ax.transData.transform([[0, 0.9810], [0, 0.9811]])[:, 1] * 72 / ax.figure.dpi
    shown = y + np.array([offsets["seed 0"], offsets["seed 1"]])
    assert shown[1] - shown[0] == pytest.approx(9)  # pushed up to 9 points apart


def test_plot_seed_spread_needs_equal_runs_and_a_seed_per_run():
    with pytest.raises(ValueError, match="same number of runs"):
        plotting.plot_seed_spread({"a": [1, 2], "b": [1, 2, 3]})
    with pytest.raises(ValueError, match="at least 2"):
        plotting.plot_seed_spread({"a": [1]})
    with pytest.raises(ValueError, match="one seed per run"):
        plotting.plot_seed_spread({"a": [1, 2]}, seeds=[0])


def test_plot_reliability_diagram_draws_a_bar_per_filled_bin_and_the_diagonal():
    from mnist_lessons.evaluation import reliability_bins

    probabilities = np.array([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7], [0.55, 0.45]])
    bins = reliability_bins(probabilities, np.array([0, 1, 1, 0]), n_bins=4)
    ax = plotting.plot_reliability_diagram(bins)
    assert isinstance(ax, Axes)
    bars = ax.patches
    assert len(bars) == 2  # bins (0.5, 0.75] and (0.75, 1]
    assert [b.get_x() for b in bars] == pytest.approx([0.5, 0.75])
    assert [b.get_height() for b in bars] == pytest.approx([2 / 3, 1.0])
    dots, diagonal = ax.get_lines()
    np.testing.assert_allclose(dots.get_xdata(), [(0.6 + 0.7 + 0.55) / 3, 0.9])
    np.testing.assert_allclose(diagonal.get_xdata(), [0, 1])
    np.testing.assert_allclose(diagonal.get_ydata(), [0, 1])
    assert [t.get_text() for t in ax.texts] == ["3", "1"]
    assert ax.get_xlabel().startswith("confidence") and ax.get_ylabel() == "accuracy"


def test_plot_reliability_diagram_rejects_bins_of_different_lengths():
    class Bins:
        edges = np.linspace(0, 1, 5)
        counts = np.ones(3, dtype=int)
        accuracy = confidence = np.ones(4)

    with pytest.raises(ValueError, match="M \\+ 1 edges"):
        plotting.plot_reliability_diagram(Bins())


# Alt text: each function describes its own figure from the numbers it draws.


def test_plot_history_alt_text_gives_the_last_and_best_epochs():
    fig = plotting.plot_history(_history())
    assert plotting.get_alt_text(fig) == (
        "Line charts of training and validation accuracy and loss over 5 epochs. "
        "Last accuracy: training 92.00%, validation 87.00% (best "
        "90.00%, epoch 3); validation loss lowest at epoch 5, 0.240, last 0.240."
    )


def test_plot_history_alt_text_names_each_model_and_shortens_for_many():
    fig = plotting.plot_history({"small": _history(), "large": _history(4)})
    assert plotting.get_alt_text(fig) == (
        "Line charts of training and validation accuracy and loss per epoch for 2 "
        "models. Best validation accuracy: small 90.00% at epoch 3 of 5; large "
        "90.00% at epoch 3 of 4."
    )
    many = {
        f"model number {i}": dict(_history(), val_accuracy=[0.4 + 0.05 * i] * 5) for i in range(10)
    }
    text = plotting.get_alt_text(plotting.plot_history(many))
    assert len(text) <= plotting.ALT_TEXT_MAX
    assert text.endswith(
        "Best validation accuracy from 40.00% (model number 0) to 85.00% (model number 9)."
    )


def test_plot_seed_spread_alt_text_gives_each_mean_and_spread():
    results = {"a": [0.97, 0.98, 0.99], "b": [0.95, 0.96, 0.94]}
    ax = plotting.plot_seed_spread(results, ylabel="validation accuracy")
    assert plotting.get_alt_text(ax) == (
        "Dot plot of validation accuracy, 3 runs (seeds) for each of 2 models, with each "
        "model's mean and one standard deviation. Mean ± standard deviation: a 98.00% ± 1.00 "
        "points; b 95.00% ± 1.00 points."
    )
    ax = plotting.plot_seed_spread({"a": [10.0, 14.0]}, ylabel="epochs")
    assert plotting.get_alt_text(ax).endswith("Mean ± standard deviation: a 12 ± 2.8.")


def test_plot_confusion_matrix_alt_text_gives_the_diagonal_and_the_worst_cell():
    ax = plotting.plot_confusion_matrix(np.array([[50, 2, 0], [1, 40, 5], [0, 0, 30]]))
    assert plotting.get_alt_text(ax) == (
        "Confusion matrix, 3 by 3, of 128 images: true class in rows, predicted in columns, the "
        "count written in each cell. 120 lie on the diagonal (right); the largest count off it "
        "is 5, true 1 predicted as 2."
    )
    ax = plotting.plot_confusion_matrix(np.diag([3, 4]))
    assert plotting.get_alt_text(ax).endswith("7 lie on the diagonal (right), none off it.")


def test_plot_misclassified_alt_text_gives_the_confidences_and_the_common_pair():
    images = np.zeros((4, 28, 28))
    fig = plotting.plot_misclassified(images, [4, 4, 3, 4], [9, 9, 5, 9], [0.6, 0.9996, 0.5, 1])
    assert plotting.get_alt_text(fig) == (
        "Grid of 4 misclassified digit images, each titled with its true digit, the predicted "
        "digit and the confidence of the prediction, from 50.0% to 100.0%; the most frequent "
        "pair, 3 times, is true 4 predicted as 9."
    )
    fig = plotting.plot_misclassified(images[:2], [7, 1], [1, 1], [0.6, 0.9996])
    assert plotting.get_alt_text(fig).startswith("Grid of 2 digit images, each")  # one right
    assert plotting.get_alt_text(fig).endswith(
        "from 60.0% to >99.9%; the first is true 7 predicted as 1."
    )


def test_plot_reliability_diagram_alt_text_counts_the_over_confident_bins():
    class Bins:
        edges = np.linspace(0, 1, 5)
        counts = np.array([0, 3, 10, 900])
        accuracy = np.array([np.nan, 0.3, 0.8, 0.97])
        confidence = np.array([np.nan, 0.35, 0.7, 0.99])

    ax = plotting.plot_reliability_diagram(Bins())
    assert plotting.get_alt_text(ax) == (
        "Reliability diagram: 4 confidence bins on the x axis, 3 holding images, each drawn as "
        "a bar as high as its accuracy, against a dashed diagonal of perfect calibration. 2 of "
        "the 3 lie below it (over-confident); the fullest bin, 0.75 to 1.00, holds 900 images "
        "at accuracy 97.0%."
    )
