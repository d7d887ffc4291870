"""The playground's JavaScript (explorables/playground/train.js) against mnist_lessons.playground.

Python writes, for the same seeds and digits: the generator's numbers, the initial networks,
the batch orders, the parameters after one training step for every activation and optimizer,
and the losses over 200 steps; tests/js/playground.test.mjs runs the JavaScript on the same
digits and compares (tolerances there).
"""

from __future__ import annotations

import pytest
from jsrun import run_node, write_fixture

from mnist_lessons import playground as pg

pytestmark = pytest.mark.slow  # 200 steps of 16 runs in both languages

N_TRAIN, N_TEST = 500, 100
LONG_STEPS = 200


def digits(real_mnist):
    (x_train, y_train), (x_test, y_test) = real_mnist
    return x_train[:N_TRAIN], y_train[:N_TRAIN], x_test[:N_TEST], y_test[:N_TEST]


def settings(**changes) -> pg.Settings:
    base = {"units": 16, "batch_size": 32, "n_train": 500, "epochs": 50}
    return pg.Settings(**{**base, **changes})


@pytest.fixture(scope="module")
def fixtures(real_mnist, tmp_path_factory):
    folder = tmp_path_factory.mktemp("playground")
    x_train, y_train, x_test, y_test = digits(real_mnist)
    write_fixture(
        folder,
        "digits",
        {
            "x_train": x_train.reshape(-1).tolist(),
            "y_train": y_train,
            "x_test": x_test.reshape(-1).tolist(),
            "y_test": y_test,
        },
    )
    rngs = {}
    for seed in (0, 1, 12345):
        rng = pg.Mulberry32(seed)
        rngs[seed] = [rng() for _ in range(1000)]
    write_fixture(folder, "rng", rngs)
    rng = pg.Mulberry32(7)
    write_fixture(folder, "orders", [pg.batch_order(n, rng) for n in (1, 2, 10, 500)])
    inits = []
    for layers in (0, 1, 2):
        for activation in pg.ACTIVATIONS:
            s = settings(hidden_layers=layers, activation=activation, seed=3)
            net = pg.initial_network(s)
            inits.append({"settings": s.as_dict(), "params": [p.ravel() for p in net.params]})
    write_fixture(folder, "inits", inits)
    steps = []
    for activation in pg.ACTIVATIONS:
        for optimizer in pg.OPTIMIZERS:
            eta = 0.1 if optimizer in ("sgd", "momentum") else 0.003
            s = settings(activation=activation, optimizer=optimizer, learning_rate=eta)
            run = pg.Run(s, x_train, y_train, x_test, y_test)
            first = run.step()
            after_one = [p.ravel().copy() for p in run.net.params]
            losses = [first] + [run.step() for _ in range(LONG_STEPS - 1)]
            steps.append(
                {
                    "settings": s.as_dict(),
                    "after_one": after_one,
                    "losses": losses,
                    "history": run.history,
                }
            )
    write_fixture(folder, "steps", steps)
    return folder


def test_the_page_trains_as_the_python_playground(fixtures):
    report = run_node("tests/js/playground.test.mjs", fixtures, timeout=300)
    print("\n".join(line for line in report.splitlines() if "largest" in line))
