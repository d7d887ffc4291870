"""The gradient norms of the explorable gradient-depth (math/gradient_depth.js) against scratch.

The explorable ``gradient-depth`` of the activations chapter computes, in the page, the size
``||dW^(l)||`` of every layer's weight gradient of a deep MLP at its initial weights, on a batch
of digits. Its weights are standard normal draws ``N^(l)`` (made in the page) times a scale:
Glorot's or He's standard deviation, or the chapter's "too small" 0.01 / std(N^(l)).

The page's draws cannot be NumPy's, so this test hands both sides the same draws: it writes
them, a batch and one-hot targets as fixtures, computes the norms with ``scratch.MLP`` in
float64 (``forward``, ``backward``, ``np.linalg.norm(layer.dW)``) for every activation,
initialisation and depth, and runs ``tests/js/gradient_depth.test.mjs``, which checks
``gradient_norms`` (given weights and biases) and ``DepthProbe`` (the page's cached version)
against them, and against ``network.js``'s MLP on the same weights.

Tolerance: 1e-10, relative (both sides compute in float64; the page adds in another order and
takes the first layer's norm from Gram matrices).
"""

from __future__ import annotations

import numpy as np
from jsrun import run_node, write_fixture

from mnist_lessons.scratch import MLP, init_variance

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")
INITS = ("glorot", "he", "small")
N_0, WIDTH, MAX_DEPTH, K, BATCH = 30, 8, 5, 4, 6


def scale(N, init) -> float:
    """The explorable's weight_scale: W = scale * N."""
    n_out, n_in = N.shape
    if init == "small":
        return 0.01 / N.std()
    return float(np.sqrt(init_variance(n_in, n_out, f"{init}_normal")))


def norms_by_scratch(x, y, Ws, activation, bs=None):
    """||dW^(l)|| of scratch.MLP in float64 with the given weights (biases 0 unless given)."""
    sizes = (Ws[0].shape[1], *(W.shape[0] for W in Ws))
    net = MLP(sizes, activation=activation, seed=0).astype(np.float64)
    for l, layer in enumerate(net.layers):  # noqa: E741
        layer.W = np.array(Ws[l], dtype=np.float64)
        layer.b = np.zeros(layer.n_out) if bs is None else np.array(bs[l], dtype=np.float64)
    net.forward(x)
    net.backward(y)
    norms = [float(np.linalg.norm(layer.dW)) for layer in net.layers]
    slopes = [float(layer.f_grad(layer.z).mean()) for layer in net.layers[:-1]]
    return norms, slopes


def test_gradient_norms_match_scratch(tmp_path):
    rng = np.random.default_rng(15)
    x = rng.integers(0, 256, (BATCH, N_0)) / 255  # (6, 30), like pixels, a third of them 0
    x[rng.random(x.shape) < 1 / 3] = 0.0
    y = np.eye(K)[rng.integers(0, K, BATCH)]  # (6, 4) one-hot
    hidden = [rng.standard_normal((WIDTH, N_0))]
    hidden += [rng.standard_normal((WIDTH, WIDTH)) for _ in range(MAX_DEPTH - 1)]
    output = rng.standard_normal((K, WIDTH))
    probe = []
    for activation in ACTIVATIONS:
        for init in INITS:
            for depth in range(1, MAX_DEPTH + 1):
                Ws = [scale(N, init) * N for N in (*hidden[:depth], output)]
                norms, slopes = norms_by_scratch(x, y, Ws, activation)
                probe.append(
                    {
                        "activation": activation,
                        "init": init,
                        "depth": depth,
                        "scales": [scale(N, init) for N in (*hidden[:depth], output)],
                        "norms": norms,
                        "slopes": slopes,
                    }
                )
    # gradient_norms with given weights and non-zero biases, for every activation
    Ws = [rng.normal(0, 0.5, (WIDTH, N_0)), rng.normal(0, 0.5, (WIDTH, WIDTH))]
    Ws.append(rng.normal(0, 0.5, (K, WIDTH)))
    bs = [rng.normal(0, 0.3, W.shape[0]) for W in Ws]
    plain = {name: norms_by_scratch(x, y, Ws, name, bs)[0] for name in ACTIVATIONS}
    write_fixture(
        tmp_path,
        "gradient_depth",
        {
            "x": x,
            "y": y,
            "hidden": hidden,
            "output": output,
            "probe": probe,
            "plain": {"W": Ws, "b": bs, "norms": plain},
        },
    )
    run_node("tests/js/gradient_depth.test.mjs", tmp_path)
