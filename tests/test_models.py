"""Tests of mnist_lessons.models: the layers, shapes and parameter counts of the builders."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lessons.models import build_mlp, keras


def _dense_params(n_in: int, n_out: int) -> int:
    return n_in * n_out + n_out  # a weight per connection and a bias per unit


def test_the_book_mlp_has_235146_parameters_in_three_dense_layers():
    model = build_mlp()
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert [layer.units for layer in dense] == [256, 128, 10]
    expected = _dense_params(784, 256) + _dense_params(256, 128) + _dense_params(128, 10)
    assert expected == 235_146
    assert model.count_params() == expected
    assert [layer.activation.__name__ for layer in dense] == ["relu", "relu", "softmax"]


def test_mlp_output_is_a_probability_vector_per_input():
    model = build_mlp()
    x = np.random.default_rng(0).random((5, 784), dtype=np.float32)
    p = np.asarray(model(x))
    assert model.input_shape == (None, 784)
    assert model.output_shape == (None, 10)
    assert p.shape == (5, 10)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)
    assert (p > 0).all()


def test_dropout_follows_the_first_hidden_layer_only():
    model = build_mlp(dropout_rate=0.2)
    names = [layer.name for layer in model.layers]
    assert names == ["pixels", "hidden_1", "dropout", "hidden_2", "probabilities"]
    assert model.get_layer("dropout").rate == pytest.approx(0.2)
    assert model.count_params() == 235_146  # dropout adds no parameters
    assert not any(isinstance(layer, keras.layers.Dropout) for layer in build_mlp().layers)


def test_dropout_is_active_in_training_only():
    model = build_mlp(dropout_rate=0.5)
    x = np.ones((4, 784), dtype=np.float32)
    np.testing.assert_array_equal(np.asarray(model(x)), np.asarray(model(x)))
    assert not np.allclose(np.asarray(model(x, training=True)), np.asarray(model(x)))


def test_other_shapes_and_units():
    model = build_mlp(input_shape=(20,), hidden_units=(8,), num_classes=3, activation="tanh")
    assert model.count_params() == _dense_params(20, 8) + _dense_params(8, 3)
    assert model.output_shape == (None, 3)


def test_no_hidden_layer_is_a_linear_classifier():
    model = build_mlp(hidden_units=())
    (dense,) = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert model.count_params() == _dense_params(784, 10) == 7_850
    # softmax(x W + b): the logits are an affine function of the pixels
    x = np.random.default_rng(0).random((3, 784), dtype=np.float32)
    kernel, bias = dense.get_weights()
    logits = x @ kernel + bias
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(np.asarray(model(x)), expected, rtol=1e-5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hidden_units": (), "dropout_rate": 0.2}, "give hidden_units"),
        ({"hidden_units": (256, 0)}, "positive whole numbers"),
        ({"hidden_units": (256.0,)}, "positive whole numbers"),
        ({"dropout_rate": 1.0}, r"\[0, 1\)"),
        ({"dropout_rate": -0.1}, "dropout_rate"),
        ({"num_classes": 0}, "num_classes"),
    ],
)
def test_bad_arguments_say_what_is_expected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        build_mlp(**kwargs)


def test_layer_specs_match_a_sequential_model_written_by_hand():
    from mnist_lessons.models import layer_specs

    by_hand = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    specs = layer_specs(build_mlp())
    assert layer_specs(by_hand) == specs
    assert [kind for kind, _ in specs] == ["Input", "Dense", "Dense", "Dense"]
    assert specs[0] == ("Input", {"shape": (784,)})
    assert [config["units"] for _, config in specs[1:]] == [256, 128, 10]
    assert all("name" not in config for _, config in specs)
    # Any other size, activation, order or extra layer tells them apart.
    assert layer_specs(build_mlp(hidden_units=(128, 256))) != specs
    assert layer_specs(build_mlp(activation="tanh")) != specs
    assert layer_specs(build_mlp(dropout_rate=0.2)) != specs
    assert layer_specs(build_mlp(input_shape=(28 * 28 + 1,))) != specs
