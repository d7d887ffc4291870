"""`make bench`: a clean, timed build of the whole book, then a table of each chapter's share.

Prints the build's wall time, each chapter's execution time as myst-nb recorded it (read from
the Sphinx environment that the build pickled), and the figures the chapters recorded in
_build/metrics.json. Later benchmarks add their own sections here.

Usage: python tests/bench/bench_build.py [--no-build]
  --no-build  report on the existing _build (its wall time is then unknown)
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import time
from pathlib import Path

from mnist_lessons.report import read_metrics

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "_build"

# The issues' targets for figures the chapters record: (metric, lowest acceptable value).
TARGETS = [
    ("mlp_test_accuracy", 0.980),
    ("dropout_mlp_test_accuracy", 0.982),
    ("scratch_mlp_test_accuracy", 0.975),
    ("cnn_test_accuracy", 0.993),
    ("lstm_test_accuracy", 0.985),
    # issue 17: the chosen remedy on the other digits, and the same network on MNIST test
    ("other_digits_best_accuracy", 0.95),
    ("other_digits_best_mnist_test_accuracy", 0.993),
]
# Execution budgets on the 2-core development machine: (group, chapters, seconds).
BUDGETS = [
    ("Keras chapters", ["book/first_network", "book/overfitting_dropout", "book/evaluation"], 300),
    (
        "from-scratch chapters",
        [
            "book/neuron",
            "book/forward_propagation",
            "book/loss_functions",
            "book/backpropagation",
            "book/gradient_descent",
        ],
        120,
    ),
    ("activations and optimizers", ["book/activations", "book/optimizers"], 180),
    (
        "network types",
        [
            "book/network_types",
            "book/convolutional_networks",
            "book/recurrent_networks",
            "book/autoencoders",
            "book/physics_informed_networks",
        ],
        240,
    ),
    ("beyond the test set", ["book/other_digits"], 360),
    ("the rest", "rest", 60),  # the data chapter, the Try-it page and the back matter
    ("whole book", None, 900),
]


def clean_build() -> float:
    """Run `make book` (which removes _build first) and return its wall time in seconds."""
    start = time.perf_counter()
    subprocess.run(["make", "--no-print-directory", "-C", str(REPO), "book"], check=True)
    return time.perf_counter() - start


def execution_times() -> dict[str, dict]:
    """docname -> myst-nb's execution record (runtime in seconds, method, succeeded)."""
    with open(BUILD / ".doctrees" / "environment.pickle", "rb") as handle:
        env = pickle.load(handle)
    return {
        doc: meta["exec_data"]
        for doc, meta in sorted(getattr(env, "nb_metadata", {}).items())
        if meta.get("exec_data")
    }


def shown(value) -> str:
    """A recorded value as the table prints it: floats to 6 significant digits."""
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def table(rows: list[tuple], header: tuple) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line.format(*header), line.format(*("-" * w for w in widths))]
    out += [line.format(*row) for row in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="report on the existing build")
    args = parser.parse_args(argv)
    wall = None if args.no_build else clean_build()

    times = execution_times()
    total = sum(t["runtime"] or 0.0 for t in times.values())
    rows = [
        (doc, f"{t['runtime']:.1f}", f"{100 * (t['runtime'] or 0) / total:.0f} %", t["method"])
        for doc, t in times.items()
    ]
    rows.append(("all chapters", f"{total:.1f}", "100 %", ""))
    print(f"\n== Book build (this machine: {os.cpu_count()} cores) ==")
    if wall is not None:
        print(f"clean build wall time: {wall:.1f} s ({wall / 60:.1f} min)")
        print(f"chapter execution:     {total:.1f} s ({100 * total / wall:.0f} % of the build)")
    print()
    print(table(rows, ("chapter", "execution s", "share", "method")))

    print("\n== Execution budgets ==\n")
    budget_rows = []
    grouped = {d for _, docs, _ in BUDGETS if isinstance(docs, list) for d in docs}
    for group, docs, limit in BUDGETS:
        if docs == "rest":
            chosen = [d for d in times if d not in grouped]
        else:
            chosen = [d for d in times if docs is None or d in docs]
        spent = sum(times[d]["runtime"] or 0.0 for d in chosen)
        verdict = "within" if spent <= limit else "OVER"
        budget_rows.append((group, f"{len(chosen)}", f"{spent:.1f}", f"{limit}", verdict))
    print(table(budget_rows, ("group", "chapters", "execution s", "budget s", "verdict")))

    metrics = read_metrics(BUILD / "metrics.json")
    print("\n== Targets ==\n")
    target_rows = []
    for name, lowest in TARGETS:
        value = metrics.get(name, {}).get("value")
        if value is None:
            target_rows.append((name, "not recorded", f">= {lowest}", "-", "MISSING"))
            continue
        verdict = "met" if value >= lowest else "MISSED"
        target_rows.append((name, shown(value), f">= {lowest}", f"{value / lowest:.4f}", verdict))
    print(table(target_rows, ("figure", "value", "target", "ratio", "verdict")))
    print("\n== Figures recorded by the chapters (_build/metrics.json) ==\n")
    print(
        table(
            [(name, m["chapter"], shown(m["value"])) for name, m in sorted(metrics.items())],
            ("name", "chapter", "value"),
        )
    )


if __name__ == "__main__":
    main()
