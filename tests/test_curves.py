"""Tests of mnist_lessons.curves: the epochs a learning-curve reading names, and its sentences.

The histories are written by hand, so every expected epoch and number is read off the lists.
"""

import pytest

from mnist_lessons.curves import describe_curves, rate_schedule, read_curves

# Shaped like the chapter's run: lowest validation loss at epoch 3, a jump at epoch 5 while the
# rate is still 1e-3, the rate halved from epoch 6 on, the loss back down at epoch 7, rising
# again to the end, and the best validation accuracy at epoch 8.
RUN = {
    "val_loss": [0.30, 0.20, 0.10, 0.11, 0.15, 0.12, 0.105, 0.108, 0.11, 0.12],
    "val_accuracy": [0.90, 0.94, 0.960, 0.958, 0.950, 0.962, 0.965, 0.970, 0.969, 0.968],
    "learning_rate": [1e-3] * 5 + [5e-4] * 3 + [2.5e-4] * 2,
}


def test_rate_schedule_groups_equal_rates_into_runs_of_epochs():
    assert rate_schedule(RUN) == [(1e-3, 1, 5), (5e-4, 6, 8), (2.5e-4, 9, 10)]
    # Keras' float32 rates (0.0010000000474974513) still form one run with each other.
    assert rate_schedule({"learning_rate": [0.0010000000474974513, 0.001]}) == [
        (0.0010000000474974513, 1, 2)
    ]
    assert rate_schedule({"learning_rate": [0.1]}) == [(0.1, 1, 1)]


def test_read_curves_finds_the_epochs_of_the_figure():
    events = read_curves(RUN)
    assert events.epochs_run == 10
    assert events.lowest_loss_epoch == 3
    assert events.best_accuracy_epoch == 8
    assert events.jumps == (5,)  # 0.15 > 1.1 x 0.10; the rise at the end is not a peak
    assert events.rate_drops == (6, 9)


def test_a_peak_counts_as_a_jump_only_above_the_threshold():
    small = dict(RUN, val_loss=[0.3, 0.2, 0.10, 0.105, 0.108, 0.107, 0.11, 0.12, 0.13, 0.14])
    assert read_curves(small).jumps == ()  # 0.108 is only 8 % above 0.10
    assert read_curves(small, jump=0.05).jumps == (5,)


def test_ties_name_the_first_epoch_as_early_stopping_keeps_it():
    tied = {"val_loss": [0.2, 0.1, 0.1], "val_accuracy": [0.9, 0.95, 0.95]}
    events = read_curves(tied)
    assert (events.lowest_loss_epoch, events.best_accuracy_epoch) == (2, 2)
    assert events.rate_drops == ()  # no learning_rate curve


def test_the_sentences_of_the_chapters_kind_of_run():
    loss, accuracy = describe_curves(RUN)
    assert loss == (
        "The validation loss is lowest at epoch 3, at 0.100. It then jumps, to 0.150 at epoch "
        "5, while the learning rate is still 0.001. After the learning rate is first halved, "
        "from epoch 6 on, it falls back, to 0.105 at epoch 7, and then rises again, to 0.120 "
        "at the last epoch."
    )
    assert accuracy == (
        "The validation accuracy does not follow the loss. At epoch 3, where the loss was "
        "lowest, it was 96.00 %; it dipped to 95.00 % at epoch 5; after the learning rate was "
        "lowered, it rose to its best, 97.00 %, at epoch 8."
    )


def test_no_jump_and_no_rate_change_give_plain_sentences():
    plain = {
        "val_loss": [0.3, 0.2, 0.15, 0.16, 0.18],
        "val_accuracy": [0.90, 0.93, 0.95, 0.95, 0.94],
    }
    loss, accuracy = describe_curves(plain)
    assert loss == (
        "The validation loss is lowest at epoch 3, at 0.150. At the last epoch, epoch 5, it is "
        "0.180, 20 % above its lowest."
    )
    assert "jumps" not in loss and "learning rate" not in loss
    assert accuracy == "The validation accuracy is best at the same epoch, epoch 3, with 95.00 %."


def test_a_loss_that_falls_to_the_end_says_so():
    falling = {
        "val_loss": [0.4, 0.3, 0.25],
        "val_accuracy": [0.90, 0.92, 0.93],
        "learning_rate": [1e-3] * 3,
    }
    loss, accuracy = describe_curves(falling)
    assert loss == (
        "The validation loss falls all the way to the last epoch, epoch 3, where it is 0.250."
    )
    assert accuracy.endswith("epoch 3, with 93.00 %.")


def test_a_rate_lowered_before_the_jump_is_not_credited_with_the_fall():
    early = dict(RUN, learning_rate=[1e-3] * 4 + [1e-4] * 6)  # lowered (not halved) at 5
    loss, accuracy = describe_curves(early)
    assert "It then jumps, to 0.150 at epoch 5." in loss  # not "while ... still 0.001"
    assert "The learning rate is first lowered to 0.0001 from epoch 5 on." in loss
    assert "falls back" not in loss
    assert loss.endswith("At the last epoch, epoch 10, it is 0.120, 20 % above its lowest.")
    assert "after the learning rate was lowered, it rose" in accuracy


def test_accuracy_best_before_the_lowest_loss():
    before = {"val_loss": [0.3, 0.2, 0.1], "val_accuracy": [0.90, 0.95, 0.94]}
    _, accuracy = describe_curves(before)
    assert accuracy == (
        "The validation accuracy was best before the loss was lowest: 95.00 % at epoch 2."
    )


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ({"val_accuracy": [0.9]}, "no 'val_loss' curve"),
        ({"val_loss": [], "val_accuracy": []}, "one finite number per epoch"),
        ({"val_loss": [0.1, float("nan")], "val_accuracy": [0.9, 0.9]}, "finite"),
        ({"val_loss": [0.1, 0.2], "val_accuracy": [0.9]}, "one value per epoch each"),
    ],
)
def test_bad_histories_say_what_is_expected(history, message):
    with pytest.raises(ValueError, match=message):
        read_curves(history)


def test_the_jump_threshold_must_be_positive():
    with pytest.raises(ValueError, match="above 0"):
        read_curves(RUN, jump=0)
