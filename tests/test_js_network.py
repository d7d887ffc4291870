"""The JavaScript activations and network (explore/static/explore/math/) against scratch.

This test writes fixtures computed by ``mnist_lessons.scratch`` in float64 and runs
``tests/js/network.test.mjs`` on them with Node's test runner:

- every activation and its derivative on values that include 0, ties and ±1000; softmax on
  rows with large offsets; the softmax Jacobian;
- a ``Dense`` layer per activation: forward (z, a), then backward from a given delta (dW, db
  and dE/da_prev);
- an ``MLP`` per hidden activation with a softmax output (categorical cross-entropy), one with
  a two-unit sigmoid output (binary cross-entropy), and the backpropagation chapter's 2-3-1
  worked example: every layer's z and a, the loss, every delta (recorded as scratch's
  ``Dense.backward`` receives it) and every dW, db; the worked example (and an edited one)
  also through the backprop-2-3-1 explorable's ``compute()``.

Tolerance: 1e-12, relative to the larger of 1 and the value (both sides compute in float64;
only the order of the additions in the matrix products differs).
"""

from __future__ import annotations

import json

import numpy as np
from jsrun import run_node

from mnist_lessons.scratch import MLP, Dense, activations

HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")


def flat(array) -> list[float]:
    return np.asarray(array, dtype=np.float64).ravel().tolist()


def activation_fixtures(rng) -> dict:
    z = np.concatenate(
        [[-1000.0, -30.0, -1.0, 0.0, 1e-300, 1.0, 30.0, 1000.0], rng.normal(0, 3, 24)]
    )
    out = {"z": flat(z), "f": {}, "grad": {}}
    for name in HIDDEN:
        f, f_grad = activations.get_activation(name)
        out["f"][name], out["grad"][name] = flat(f(z)), flat(f_grad(z))
    out["leaky_relu_alpha"] = {
        "alpha": 0.2,
        "f": flat(activations.leaky_relu(z, 0.2)),
        "grad": flat(activations.leaky_relu_grad(z, 0.2)),
    }
    rows = rng.normal(0, 4, (4, 6))
    rows[1] += 1000.0  # a large offset: the row maximum keeps exp from overflowing
    rows[2] = 7.0  # a tie: uniform
    rows[3, 0] = -800.0  # an underflow to 0
    out["softmax"] = {"shape": [4, 6], "z": flat(rows), "a": flat(activations.softmax(rows))}
    row = rng.normal(0, 2, 5)
    out["softmax_jacobian"] = {"z": flat(row), "J": flat(activations.softmax_jacobian(row))}
    return out


def dense_fixtures(rng) -> list[dict]:
    cases = []
    for name in (*HIDDEN, "softmax"):
        n_in, n_out, batch = 7, 4, 3
        layer = Dense(n_in, n_out, name, rng=rng, dtype=np.float64)
        layer.b[...] = rng.normal(0, 0.5, n_out)
        a_prev = rng.normal(0, 1, (batch, n_in))
        if name == "relu":
            a_prev[0] = 0.0  # a row that makes z = b
        a = layer.forward(a_prev)
        delta = rng.normal(0, 0.1, (batch, n_out))
        grad_input = layer.backward(delta)
        cases.append(
            {
                "activation": name,
                "n_in": n_in,
                "n_out": n_out,
                "W": flat(layer.W),
                "b": flat(layer.b),
                "a_prev": flat(a_prev),
                "z": flat(layer.z),
                "a": flat(a),
                "delta": flat(delta),
                "dW": flat(layer.dW),
                "db": flat(layer.db),
                "grad_input": flat(grad_input),
            }
        )
    return cases


def mlp_case(label, net: MLP, x, y) -> dict:
    """Forward and backward through scratch's MLP, recording what every layer saw."""
    deltas = [None] * len(net.layers)
    for index, layer in enumerate(net.layers):
        original = layer.backward

        def recording(delta, *, need_grad_input=True, index=index, original=original):
            deltas[index] = np.array(delta)
            return original(delta, need_grad_input=need_grad_input)

        layer.backward = recording
    a = net.forward(x)
    z_a = [(flat(layer.z), flat(layer.a)) for layer in net.layers]
    net.backward(y)
    loss = net.loss(x, y)
    return {
        "label": label,
        "sizes": list(net.sizes),
        "activation": net.activation,
        "output": net.output,
        "params": [flat(p) for p in net.params],
        "x": flat(x),
        "y": flat(y),
        "z": [z for z, _ in z_a],
        "a": [a_ for _, a_ in z_a],
        "output_a": flat(a),
        "loss": loss,
        "deltas": [flat(d) for d in deltas],
        "grads": [flat(g) for g in net.grads],
    }


def worked_example(y=1.0) -> tuple[MLP, np.ndarray, np.ndarray]:
    """The backpropagation chapter's 2-3-1 sigmoid network, x = (1, 0.5), target y."""
    net = MLP(sizes=(2, 3, 1), activation="sigmoid", output="sigmoid", dtype=np.float64)
    W1 = np.array([[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]])
    b1 = np.array([0.1, -0.1, 0.2])
    W2 = np.array([[0.3, -0.6, 0.7]])
    b2 = np.array([0.2])
    for layer, W, b in zip(net.layers, (W1, W2), (b1, b2), strict=True):
        layer.W[...], layer.b[...] = W, b
    return net, np.array([[1.0, 0.5]]), np.array([[y]])


def mlp_fixtures(rng) -> list[dict]:
    cases = []
    for name in HIDDEN:
        net = MLP(sizes=(6, 5, 4, 3), activation=name, rng=rng, dtype=np.float64)
        for layer in net.layers:
            layer.b[...] = rng.normal(0, 0.3, layer.n_out)
        x = rng.normal(0, 1, (4, 6))
        y = np.eye(3)[rng.integers(0, 3, 4)]
        cases.append(mlp_case(f"{name} hidden, softmax output", net, x, y))
    net = MLP(sizes=(4, 3, 2), activation="tanh", output="sigmoid", rng=rng, dtype=np.float64)
    x = rng.normal(0, 1, (5, 4))
    y = (rng.random((5, 2)) < 0.5).astype(float)
    cases.append(mlp_case("tanh hidden, two sigmoid outputs", net, x, y))
    cases.append(mlp_case("the chapter's worked example", *worked_example()))
    net, x, y = worked_example(y=0.0)
    net.layers[0].W[1, 0] = -2.5  # an edited example, as a reader might make it
    x[0, 1] = -3.0
    cases.append(mlp_case("the chapter's worked example, edited", net, x, y))
    return cases


def fixtures() -> dict:
    rng = np.random.default_rng(15)
    return {
        "activations": activation_fixtures(rng),
        "dense": dense_fixtures(rng),
        "mlp": mlp_fixtures(rng),
    }


def test_js_network_matches_scratch(tmp_path):
    (tmp_path / "network.json").write_text(json.dumps(fixtures()))
    run_node("tests/js/network.test.mjs", tmp_path)
