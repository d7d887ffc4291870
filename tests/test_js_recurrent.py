"""The JavaScript recurrent networks (explore/static/explore/math/recurrent.js) against Keras.

This test writes two sets of fixtures and runs ``tests/js/recurrent.test.mjs`` on them:

* ``scratch.recurrent.rnn_forward`` in float64 (a batch of sequences with blank steps, W in the
  book's (n, m) shape): tolerance 1e-12, relative to the larger of 1 and the value.
* Keras in float32: ``build_rnn`` and ``build_lstm`` (small) with random weights and biases,
  the states after every step (the layer with ``return_sequences=True``; the LSTM's cell states
  too) and ``outputs_after_each_step``. The JS computes in float64 on the float32 weights and
  must match to 1e-5 relative to the larger of 1 and the value (Keras' float32 roundings).
"""

from __future__ import annotations

import json

import numpy as np
from jsrun import run_node

from mnist_lessons.scratch.recurrent import rnn_forward


def flat(a) -> dict:
    a = np.asarray(a, dtype=float)
    return {"shape": list(a.shape), "values": a.ravel().tolist()}


def scratch_fixtures() -> dict:
    rng = np.random.default_rng(15)
    x = rng.random((3, 7, 5))
    x[0, :3] = 0  # blank rows, as at the top of a digit
    n = 4
    W, U, b = rng.normal(0, 0.8, (n, 5)), rng.normal(0, 0.8, (n, n)), rng.normal(0, 0.3, n)
    return {
        "x": flat(x),
        "W": flat(W),
        "U": flat(U),
        "b": flat(b),
        "h": flat(rnn_forward(x, W, U, b)),
    }


def keras_fixtures() -> dict:
    from mnist_lessons.models import build_lstm, build_rnn, keras, outputs_after_each_step

    rng = np.random.default_rng(16)
    x = rng.random((2, 6, 28)).astype(np.float32)
    x[1, :2] = 0
    out = {"x": flat(x)}
    for name, build in (("rnn", build_rnn), ("lstm", build_lstm)):
        keras.utils.set_random_seed(17)
        model = build(units=7)
        layer, dense = model.get_layer("recurrent"), model.get_layer("probabilities")
        weights = layer.get_weights()
        weights[-1] = rng.normal(0, 0.5, weights[-1].shape).astype(np.float32)  # not only 0, 1
        layer.set_weights(weights)
        dense.set_weights(
            [w + rng.normal(0, 0.3, w.shape).astype(np.float32) for w in dense.get_weights()]
        )
        every = type(layer).from_config(
            {**layer.get_config(), "return_sequences": True, "return_state": name == "lstm"}
        )
        every.build((None, None, 28))
        every.set_weights(layer.get_weights())
        fixture = {
            "weights": [flat(w) for w in layer.get_weights()],
            "V": flat(dense.get_weights()[0].T),
            "c": flat(dense.get_weights()[1]),
            "p": flat(outputs_after_each_step(model, x)),
        }
        if name == "lstm":
            # the cell states after each step: run the cell one step at a time
            hs, cs = [], []
            state = None
            for t in range(x.shape[1]):
                one = type(layer).from_config({**layer.get_config(), "return_state": True})
                one.build((None, 1, 28))
                one.set_weights(layer.get_weights())
                _, h_t, c_t = one(x[:, t : t + 1], initial_state=state)
                state = [h_t, c_t]
                hs.append(np.asarray(h_t))
                cs.append(np.asarray(c_t))
            fixture["h"], fixture["cell"] = flat(np.stack(hs, 1)), flat(np.stack(cs, 1))
        else:
            fixture["h"] = flat(np.asarray(every(x)))
        out[name] = fixture
    return out


def test_js_recurrent_matches_scratch_and_keras(tmp_path):
    (tmp_path / "recurrent.json").write_text(json.dumps(scratch_fixtures()))
    (tmp_path / "recurrent_keras.json").write_text(json.dumps(keras_fixtures()))
    run_node("tests/js/recurrent.test.mjs", tmp_path)
