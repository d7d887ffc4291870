"""Learning-rate schedules against Keras' ``keras.optimizers.schedules``, value for value, and
the optimizers driven by a schedule against Keras' optimizers step for step.

Keras computes a schedule in float32 (rounding 6e-8 relative, of the peak rate where the cosine
nears -1 and 1 + cos loses digits), so the values agree within 1e-6 of the peak rate. With a
schedule, step t of an optimizer uses the rate at t - 1 (Keras' iteration count before the
update): an off-by-one would move the paths apart by far more than 1e-6.
"""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lessons.quiet import import_keras
from mnist_lessons.scratch import SGD, AdaGrad, Adam, CosineDecay, ExponentialDecay

keras = import_keras()

STEPS = np.arange(0, 301)

# name -> (our class, Keras' class name, positional and keyword arguments both take)
SCHEDULES = {
    "exponential": (ExponentialDecay, "ExponentialDecay", (0.1, 50, 0.5), {}),
    "step": (ExponentialDecay, "ExponentialDecay", (0.1, 60, 0.3), {"staircase": True}),
    "cosine": (CosineDecay, "CosineDecay", (0.01, 250), {}),
    "cosine_alpha": (CosineDecay, "CosineDecay", (0.01, 200), {"alpha": 0.1}),
    "cosine_warmup": (
        CosineDecay,
        "CosineDecay",
        (0.0, 200),
        {"warmup_target": 0.05, "warmup_steps": 40},
    ),
    "cosine_warmup_from_a_rate": (
        CosineDecay,
        "CosineDecay",
        (0.001, 150),
        {"alpha": 0.05, "warmup_target": 0.02, "warmup_steps": 30},
    ),
}


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_every_step_agrees_with_keras(name):
    ours, keras_name, args, kwargs = SCHEDULES[name]
    theirs = getattr(keras.optimizers.schedules, keras_name)(*args, **kwargs)
    ours = ours(*args, **kwargs)
    expected = np.array([float(theirs(int(s))) for s in STEPS])
    atol = 1e-6 * expected.max()
    np.testing.assert_allclose(ours(STEPS), expected, rtol=0, atol=atol)
    assert ours(7) == pytest.approx(expected[7], abs=atol)
    assert isinstance(ours(7), float)
    assert expected.max() > 1.5 * expected[-1]  # the schedule does change the rate


def test_the_closed_forms():
    step = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5, staircase=True)
    assert [step(s) for s in (0, 9, 10, 25)] == pytest.approx([0.1, 0.1, 0.05, 0.025])
    smooth = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    assert smooth(5) == pytest.approx(0.1 / np.sqrt(2))
    cosine = CosineDecay(0.2, decay_steps=100)
    assert [cosine(s) for s in (0, 50, 100, 150)] == pytest.approx([0.2, 0.1, 0.0, 0.0])
    warm = CosineDecay(0.0, decay_steps=100, warmup_target=0.2, warmup_steps=20)
    assert [warm(s) for s in (0, 10, 20, 70, 120)] == pytest.approx([0, 0.1, 0.2, 0.1, 0])


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="decay_steps must be a positive number"):
        ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(ValueError, match=r"alpha .* in \[0, 1\]"):
        CosineDecay(0.1, 10, alpha=2.0)
    with pytest.raises(ValueError, match="warmup_steps"):
        CosineDecay(0.0, 10, warmup_target=0.1)
    with pytest.raises(ValueError, match="Steps count from 0"):
        CosineDecay(0.1, 10)(-1)


# name -> (ours, Keras' class, keyword arguments other than the rate, the schedule's arguments)
SCHEDULED = {
    "momentum_cosine_warmup": (
        SGD,
        "SGD",
        {"momentum": 0.9},
        (CosineDecay, "CosineDecay", (0.0, 70), {"warmup_target": 0.05, "warmup_steps": 20}),
    ),
    "adam_step_decay": (
        Adam,
        "Adam",
        {},
        (ExponentialDecay, "ExponentialDecay", (0.01, 25, 0.5), {"staircase": True}),
    ),
    "adagrad_exponential": (
        AdaGrad,
        "Adagrad",
        {},
        (ExponentialDecay, "ExponentialDecay", (0.1, 40, 0.3), {}),
    ),
}


@pytest.mark.parametrize("name", sorted(SCHEDULED))
def test_optimizers_follow_a_schedule_as_keras_does(name):
    ours, keras_name, kwargs, (schedule, keras_schedule, args, options) = SCHEDULED[name]
    schedule = schedule(*args, **options)
    optimizer = ours(schedule, **kwargs)
    theirs = getattr(keras.optimizers, keras_name)(
        learning_rate=getattr(keras.optimizers.schedules, keras_schedule)(*args, **options),
        **kwargs,
    )
    rng = np.random.default_rng(5)
    params = [rng.standard_normal((4, 3)).astype(np.float32)]
    variables = [keras.Variable(params[0].copy())]
    for t in range(1, 101):
        grads = [rng.standard_normal((4, 3)).astype(np.float32)]
        theirs.apply_gradients(
            zip([keras.ops.convert_to_tensor(grads[0])], variables, strict=True)
        )
        optimizer.step(params, grads)
        np.testing.assert_allclose(
            params[0], np.asarray(variables[0]), rtol=0, atol=1e-6, err_msg=f"step {t}"
        )
        assert optimizer.learning_rate == pytest.approx(schedule(t - 1), rel=1e-12)
    start = np.random.default_rng(5).standard_normal((4, 3)).astype(np.float32)
    assert np.abs(params[0] - start).max() > 0.05  # the paths went somewhere
