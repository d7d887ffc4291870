"""The page's XOR training (explorables/neuron-xor/fit.js) against scratch.MLP.fit, per step.

For 0 to 4 hidden units (and two learning rates), scratch trains the chapter's XOR network in
float64 from its seeded initial weights, one epoch (one full-batch step) at a time with one
generator and one optimizer, exactly as ``fit(epochs=...)`` runs; the fixtures hold the initial
weights and the weights and loss after every step. ``tests/js/neuron_xor.test.mjs`` trains the
same networks in JavaScript and compares every step within 1e-10 (float64 on both sides; only
the order of the four rows in a sum differs, since fit shuffles them).
"""

from __future__ import annotations

import json

import numpy as np
from jsrun import run_node

from mnist_lessons import scratch

X_XOR = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
Y_XOR = np.array([[0], [1], [1], [0]], dtype=np.float64)
EPOCHS = 2000  # the chapter trains XOR for 2000 epochs


def run(hidden: int, eta: float, seed: int) -> dict:
    sizes = (2, hidden, 1) if hidden else (2, 1)
    net = scratch.MLP(sizes, activation="tanh", output="sigmoid", seed=seed).astype(np.float64)
    start = [p.ravel().tolist() for p in net.params]
    optimizer, rng = scratch.SGD(learning_rate=eta), np.random.default_rng(seed)
    steps, losses = [], []
    for _ in range(EPOCHS):
        history = net.fit(X_XOR, Y_XOR, epochs=1, batch_size=4, optimizer=optimizer, rng=rng,
                          log=None)  # fmt: skip
        losses.append(history["loss"][0])
        steps.append([p.ravel().tolist() for p in net.params])
    return {"hidden": hidden, "eta": eta, "seed": seed, "start": start, "steps": steps,
            "loss": losses, "predict": net.predict(X_XOR).ravel().tolist()}  # fmt: skip


def test_js_xor_training_matches_scratch(tmp_path):
    runs = [run(hidden, 1.0, 0) for hidden in range(5)] + [run(2, 3.0, 1)]
    fixtures = {"x": X_XOR.ravel().tolist(), "y": Y_XOR.ravel().tolist(), "runs": runs}
    (tmp_path / "neuron_xor.json").write_text(json.dumps(fixtures))
    run_node("tests/js/neuron_xor.test.mjs", tmp_path)
