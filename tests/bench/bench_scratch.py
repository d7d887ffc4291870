"""Epoch time of the NumPy MLP against the same MLP in Keras, measured side by side.

The network is the book's 784-256-128-10 (relu, relu, softmax), trained on 48,000 real MNIST
digits in batches of 128: by :class:`mnist_lessons.scratch.MLP` with :class:`SGD`, and by
Keras (``mnist_lessons.models.build_mlp``) with ``keras.optimizers.SGD`` and with ``Adam``,
``verbose=0``. The three are interleaved (one epoch of each per round, the order rotating from
round to round), so that other load on the machine hits them alike. Keras' first epoch traces
its graph; it is reported but left out of the medians.

The Keras epoch time is the time between ``on_epoch_begin`` and ``on_epoch_end`` (a
callback), which leaves out the per-``fit`` set-up of its data pipeline; the NumPy epoch time
is the whole ``MLP.fit(epochs=1)`` call. Neither library's threads are configured: both use
their defaults, and the script changes no environment variable. One more row, "NumPy SGD 1t",
runs the NumPy epoch with OpenBLAS limited to one thread inside a ``threadpoolctl`` block (the
limit is lifted when the block ends): on a machine whose cores other work is using, OpenBLAS'
threads wait for each other at every product, and one thread can then be much faster.

Usage: python tests/bench/bench_scratch.py [--quick] [--rounds N]
  --quick  2 measured rounds on 12,000 digits (a smoke run, not a measurement)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import time
from functools import partial

import numpy as np
from threadpoolctl import threadpool_limits

from mnist_lessons.data import flatten, load_mnist, one_hot, scale
from mnist_lessons.scratch import MLP, SGD

BATCH_SIZE = 128
ETA = 0.1  # both SGDs
ADAM_ETA = 1e-3
NUMPY = ("NumPy SGD", "NumPy SGD 1t")  # default threads; one OpenBLAS thread


def keras_model(optimizer):
    """The book's MLP in Keras, compiled like the book's models (plus the optimizer)."""
    from mnist_lessons.models import build_mlp

    model = build_mlp(hidden_units=(256, 128), dropout_rate=0.0)
    model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
    return model


class EpochTimer:
    """A Keras callback that records the seconds of each epoch."""

    def __init__(self):
        import keras

        class _Timer(keras.callbacks.Callback):
            def on_epoch_begin(inner, epoch, logs=None):
                inner.start = time.perf_counter()

            def on_epoch_end(inner, epoch, logs=None):
                self.seconds.append(time.perf_counter() - inner.start)

        self.seconds: list[float] = []
        self.callback = _Timer()


def blas_threads() -> str:
    from threadpoolctl import threadpool_info

    return ", ".join(f"{p['internal_api']} {p['num_threads']} threads" for p in threadpool_info())


def report(seconds: dict[str, list[float]], walls: dict[str, list[float]]) -> None:
    """Print each run's epoch times, then median NumPy / median Keras for each pair.

    ``seconds[name][0]`` is the warm-up epoch (Keras' traces its graph): shown, not in the median.
    """
    medians = {name: statistics.median(values[1:]) for name, values in seconds.items()}
    header = f"{'':<14} {'median s':>9} {'min s':>7} {'max s':>7} {'first s':>8}"
    print(f"{header}\n{'-' * len(header)}")
    for name, values in seconds.items():
        print(
            f"{name:<14} {medians[name]:>9.3f} {min(values[1:]):>7.3f} "
            f"{max(values[1:]):>7.3f} {values[0]:>8.3f}"
        )
    print("\nKeras' whole fit(epochs=1) call, data set-up included (median s): ", end="")
    print(", ".join(f"{k} {statistics.median(v[1:]):.3f}" for k, v in walls.items()))
    print(f"\nRatio of medians, NumPy / Keras   {'Keras SGD':>10} {'Keras Adam':>11}")
    for name in NUMPY:
        ratios = [medians[name] / medians[keras_name] for keras_name in walls]
        print(f"{name:<32} {ratios[0]:>10.2f} {ratios[1]:>11.2f}")
    ratio = medians["NumPy SGD"] / medians["Keras SGD"]
    verdict = "met" if ratio <= 1.0 else "NOT met"
    print(f"Target NumPy SGD / Keras SGD <= 1.0 (default threads): {verdict} ({ratio:.2f})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    parser.add_argument("--rounds", type=int, default=None, help="measured rounds (default 5)")
    args = parser.parse_args(argv)
    rounds = args.rounds or (2 if args.quick else 5)
    n = 12_000 if args.quick else 48_000

    (x_train, y_train), _ = load_mnist()
    x = flatten(scale(x_train[:n]))  # (n, 784) float32
    y = one_hot(y_train[:n])  # (n, 10) float32

    import keras  # after the data: TensorFlow's start-up lines come here

    keras.utils.set_random_seed(0)
    timers = {"Keras SGD": EpochTimer(), "Keras Adam": EpochTimer()}
    models = {
        "Keras SGD": keras_model(keras.optimizers.SGD(learning_rate=ETA)),
        "Keras Adam": keras_model(keras.optimizers.Adam(learning_rate=ADAM_ETA)),
    }
    nets = {
        name: (MLP(seed=0), SGD(learning_rate=ETA), np.random.default_rng(0)) for name in NUMPY
    }
    seconds: dict[str, list[float]] = {name: [] for name in NUMPY}
    walls: dict[str, list[float]] = {name: [] for name in models}

    def numpy_epoch(name):
        net, sgd, rng = nets[name]
        limit = threadpool_limits(1) if name == "NumPy SGD 1t" else contextlib.nullcontext()
        with limit:
            start = time.perf_counter()
            net.fit(x, y, epochs=1, batch_size=BATCH_SIZE, optimizer=sgd, rng=rng, log=None)
            seconds[name].append(time.perf_counter() - start)

    def keras_epoch(name):
        start = time.perf_counter()
        models[name].fit(
            x, y, epochs=1, batch_size=BATCH_SIZE, verbose=0, callbacks=[timers[name].callback]
        )
        walls[name].append(time.perf_counter() - start)

    runs = [partial(numpy_epoch, name) for name in NUMPY]
    runs += [partial(keras_epoch, name) for name in models]
    for run in runs:  # round 0: Keras traces its graph; NumPy warms up too
        run()
    for r in range(rounds):
        for run in runs[r % len(runs) :] + runs[: r % len(runs)]:  # rotate the order
            run()
    seconds.update({name: timer.seconds for name, timer in timers.items()})

    print(f"\n== NumPy MLP vs Keras MLP, one epoch (784-256-128-10, batch {BATCH_SIZE}) ==")
    print(
        f"{n:,} MNIST digits, {rounds} interleaved rounds after a warm-up round; "
        f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}; "
        f"NumPy {np.__version__} ({blas_threads()}), Keras {keras.__version__}, "
        f"XLA jit_compile={models['Keras SGD'].jit_compile}"
    )
    print("(on a shared machine: compare the medians and ratios of one run, not across runs)\n")
    report(seconds, walls)
    loss, accuracy = nets["NumPy SGD"][0].evaluate(x, y)
    epochs = len(seconds["NumPy SGD"])
    print(f"NumPy MLP after {epochs} epochs: training loss {loss:.4f}, accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()
