"""The page's optimizers and surfaces (math/optimizers.js, math/landscapes.js) against scratch.

This test writes JSON fixtures computed with ``mnist_lessons.scratch`` (float64) and runs
``tests/js/optimizers.test.mjs`` on them with Node's test runner, which requires the JavaScript
to give the same numbers within 1e-12 (relative to the size of each coordinate, at least 1):

- ``steps.json``: 100 steps of each optimizer on three parameter arrays of different shapes
  from one random gradient sequence (the cases of ``tests/test_scratch_optimizers.py``, whose
  ``test_100_steps_agree_with_keras`` holds the same scratch optimizers to
  ``keras.optimizers`` step for step, so the page agrees with Keras through them), and one run
  with a learning-rate schedule;
- ``paths.json``: the path of ``scratch.descend`` for each optimizer on each surface, with the
  chapter's settings (book/optimizers.md, Figure ``fig-opt-paths``) and a few others;
- ``surfaces.json``: each surface and its gradient at a few points.
"""

from __future__ import annotations

import inspect
import json

import numpy as np
from jsrun import run_node

from mnist_lessons import scratch

SHAPES = [(5, 3), (3,), (2, 2)]
STEPS = 100

# name -> (class name, keyword arguments): those of tests/test_scratch_optimizers.py
CASES = {
    "sgd": ("SGD", {"learning_rate": 0.1}),
    "momentum": ("SGD", {"learning_rate": 0.05, "momentum": 0.9}),
    "adagrad": (
        "AdaGrad",
        {"learning_rate": 0.05, "initial_accumulator_value": 0.5, "epsilon": 1e-6},
    ),
    "adagrad_defaults": ("AdaGrad", {}),
    "rmsprop": ("RMSProp", {"learning_rate": 0.01, "rho": 0.8}),
    "rmsprop_defaults": ("RMSProp", {}),
    "adam": ("Adam", {"learning_rate": 0.02, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6}),
    "adam_defaults": ("Adam", {}),
}

# The chapter's surfaces: start, steps, rates (SGD, momentum, RMSProp, Adam), as in
# book/optimizers.md; the page's first view (tests/test_site_explore_optimizer_paths.py)
# reads them from the build.
CHAPTER = {
    "rosenbrock": ((-1.5, 2.5), 3000, (1e-3, 2e-4, 1e-2, 5e-2)),
    "valley": ((-9.0, 1.5), 100, (0.45, 0.1, 0.1, 0.3)),
    "saddle": ((1.5, 1e-4), 150, (0.1, 0.05, 0.05, 0.1)),
}

# Other settings on every surface: (class name, keyword arguments, start, steps)
OTHERS = [
    ("SGD", {"learning_rate": 0.002, "momentum": 0.5}, (0.5, -0.5), 200),
    ("AdaGrad", {"learning_rate": 0.3}, (-1.0, 1.2), 200),
    ("RMSProp", {"learning_rate": 0.02, "rho": 0.8, "epsilon": 1e-6}, (1.2, -0.8), 200),
    ("Adam", {"learning_rate": 0.05, "beta1": 0.5, "beta2": 0.9}, (-0.7, -0.9), 200),
    ("Adam", {"learning_rate": 0.1, "beta1": 0.95, "beta2": 0.999}, (1.8, 2.0), 300),
]


def steps_fixture():
    """Each case's parameters after every step, from the same start and gradients."""
    rng = np.random.default_rng(1)
    params0 = [rng.standard_normal(shape) for shape in SHAPES]
    rng = np.random.default_rng(2)
    scales = 10.0 ** rng.uniform(-4, 1, STEPS)  # 1e-4 to 10: exercises epsilon
    grads = [[s * rng.standard_normal(shape) for shape in SHAPES] for s in scales]
    cases = {name: (name_, kwargs) for name, (name_, kwargs) in CASES.items()}
    rates = list(0.1 * 0.97 ** np.arange(STEPS))  # a schedule: the rate of step t at t - 1
    cases["momentum_schedule"] = ("SGD", {"learning_rate": rates, "momentum": 0.9})
    out = {
        "defaults": {
            cls: {
                k: p.default
                for k, p in inspect.signature(getattr(scratch, cls)).parameters.items()
                if p.default is not inspect.Parameter.empty
            }
            for cls in ("SGD", "AdaGrad", "RMSProp", "Adam")
        },
        "params0": [p.ravel().tolist() for p in params0],
        "grads": [[g.ravel().tolist() for g in step] for step in grads],
        "cases": {},
    }
    for name, (cls, kwargs) in cases.items():
        args = dict(kwargs)
        if isinstance(kwargs.get("learning_rate"), list):
            args["learning_rate"] = lambda t, r=kwargs["learning_rate"]: r[t]
        optimizer = getattr(scratch, cls)(**args)
        params = [p.copy() for p in params0]
        after = []
        for step in grads:
            optimizer.step(params, step)
            after.append([p.ravel().tolist() for p in params])
        out["cases"][name] = {"class": cls, "kwargs": kwargs, "after": after}
    return out


def paths_fixture():
    """scratch.descend's path for each optimizer and setting on each surface."""
    runs = []
    for surface, (start, steps, rates) in CHAPTER.items():
        settings = [
            ("SGD", {"learning_rate": rates[0]}),
            ("SGD", {"learning_rate": rates[1], "momentum": 0.9}),
            ("RMSProp", {"learning_rate": rates[2]}),
            ("Adam", {"learning_rate": rates[3]}),
            ("AdaGrad", {"learning_rate": rates[2]}),
        ]
        runs += [(surface, cls, kwargs, start, steps) for cls, kwargs in settings]
        runs += [(surface, *other) for other in OTHERS]
    out = []
    for surface, cls, kwargs, start, steps in runs:
        grad = scratch.LANDSCAPES[surface][1]
        path = scratch.descend(grad, start, getattr(scratch, cls)(**kwargs), steps)
        assert np.isfinite(path).all()
        out.append(
            {
                "surface": surface,
                "class": cls,
                "kwargs": kwargs,
                "start": list(start),
                "steps": steps,
                "path": path.ravel().tolist(),
            }
        )
    return out


def surfaces_fixture():
    """Each surface's value and gradient at a few points, and its minima."""
    points = np.random.default_rng(3).uniform(-3, 3, (20, 2))
    out = {}
    for name, (f, grad, minima) in scratch.LANDSCAPES.items():
        out[name] = {
            "points": points.tolist(),
            "f": [float(f(p)) for p in points],
            "grad": [grad(p).tolist() for p in points],
            "minima": minima.tolist(),
        }
    return out


def test_javascript_optimizers_match_scratch(tmp_path):
    fixtures = {
        "steps.json": steps_fixture(),
        "paths.json": paths_fixture(),
        "surfaces.json": surfaces_fixture(),
    }
    for name, data in fixtures.items():
        (tmp_path / name).write_text(json.dumps(data))
    run_node("tests/js/optimizers.test.mjs", tmp_path)
