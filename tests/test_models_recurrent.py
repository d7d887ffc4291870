"""The recurrent builders' parameter formulas against Keras' count_params, and the LSTM's
gate order (input, forget, candidate, output) against Keras' own computation."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lessons.models import (
    RECURRENT_BLOCKS,
    build_gru,
    build_lstm,
    build_rnn,
    keras,
    outputs_after_each_step,
    recurrent_parameter_count,
    units_for_parameters,
)

BUILDERS = {"SimpleRNN": build_rnn, "LSTM": build_lstm, "GRU": build_gru}


@pytest.mark.parametrize("cell", sorted(RECURRENT_BLOCKS))
@pytest.mark.parametrize("units", [1, 5, 64, 128])
def test_the_parameter_formula_is_keras_count_params(cell, units):
    model = BUILDERS[cell](units=units)
    assert recurrent_parameter_count(cell, units) == model.count_params()


def test_the_formula_for_other_inputs_and_classes():
    for cell, layer in (("SimpleRNN", "SimpleRNN"), ("LSTM", "LSTM"), ("GRU", "GRU")):
        inputs = keras.Input((None, 5))
        h = getattr(keras.layers, layer)(9)(inputs)
        model = keras.Model(inputs, keras.layers.Dense(3)(h))
        count = recurrent_parameter_count(cell, 9, features=5, num_classes=3)
        assert count == model.count_params(), cell


@pytest.mark.parametrize("cell", sorted(RECURRENT_BLOCKS))
def test_units_for_parameters_finds_the_closest_count(cell):
    target = recurrent_parameter_count("LSTM", 128)  # the chapter's LSTM
    n = units_for_parameters(cell, target)
    gap = abs(recurrent_parameter_count(cell, n) - target)
    assert gap <= abs(recurrent_parameter_count(cell, n - 1) - target)
    assert gap <= abs(recurrent_parameter_count(cell, n + 1) - target)
    assert gap < 0.01 * target
    assert units_for_parameters(cell, recurrent_parameter_count(cell, 37)) == 37


def test_the_simple_rnn_as_large_as_the_chapter_lstm():
    n_lstm = build_lstm(units=128).count_params()
    n = units_for_parameters("SimpleRNN", n_lstm)
    assert n == 267
    assert abs(build_rnn(units=n).count_params() - n_lstm) < 0.001 * n_lstm


def test_unknown_cells_and_sizes_are_refused():
    with pytest.raises(ValueError, match="cell must be one of"):
        recurrent_parameter_count("Transformer", 8)
    with pytest.raises(ValueError, match="units"):
        recurrent_parameter_count("LSTM", 0)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_the_lstm_computes_its_gates_in_keras_order():
    # The chapter's equations, with Keras' kernel split into four blocks in the order
    # input gate, forget gate, candidate, output gate.
    keras.utils.set_random_seed(2)
    model = build_lstm(units=6)
    layer = model.get_layer("recurrent")
    kernel, recurrent_kernel, bias = layer.get_weights()  # (28, 24), (6, 24), (24,)
    rng = np.random.default_rng(3)
    bias = rng.normal(0, 0.5, bias.shape).astype(np.float32)  # not only 0 and Keras' 1
    layer.set_weights([kernel, recurrent_kernel, bias])
    blocks = {
        gate: (kernel[:, k * 6 : (k + 1) * 6], recurrent_kernel[:, k * 6 : (k + 1) * 6])
        for k, gate in enumerate("ifgo")
    }
    b = {gate: bias[k * 6 : (k + 1) * 6] for k, gate in enumerate("ifgo")}
    x = rng.random((2, 5, 28), dtype=np.float32)
    h, c = np.zeros((2, 6)), np.zeros((2, 6))
    for t in range(5):
        pre = {g: x[:, t] @ Wk + h @ Uk + b[g] for g, (Wk, Uk) in blocks.items()}
        i, f, o = _sigmoid(pre["i"]), _sigmoid(pre["f"]), _sigmoid(pre["o"])
        g = np.tanh(pre["g"])
        c = f * c + i * g
        h = o * np.tanh(c)
    np.testing.assert_allclose(np.asarray(layer(x)), h, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("cell", sorted(RECURRENT_BLOCKS))
def test_outputs_after_each_step_are_the_model_on_the_first_rows(cell):
    keras.utils.set_random_seed(4)
    model = BUILDERS[cell](units=9)
    x = np.random.default_rng(5).random((3, 6, 28), dtype=np.float32)
    p = outputs_after_each_step(model, x)
    assert p.shape == (3, 6, 10)
    for t in range(1, 7):
        np.testing.assert_allclose(p[:, t - 1], np.asarray(model(x[:, :t])), rtol=1e-4, atol=1e-6)
