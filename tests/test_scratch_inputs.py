"""Bad input to the NumPy network raises ValueError with a sentence that says what to do."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lessons.scratch import MLP, SGD, Dense, init_weights


@pytest.fixture
def net():
    return MLP((784, 16, 10), seed=0)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    x = rng.random((8, 784), dtype=np.float32)  # (8, 784)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 8)]  # (8, 10) one-hot
    return x, y


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"activation": "softplus"}, r"Unknown activation 'softplus'.*Use one of"),
        ({"activation": "softmax"}, "softmax only in an output layer"),
        ({"output": "relu"}, r"Use 'softmax' .* or 'sigmoid'"),
        ({"sizes": (784, 1)}, "use output='sigmoid' for a single output neuron"),
        ({"sizes": (784,)}, r"at least an input and an output size.*for example"),
        ({"sizes": (784, 0, 10)}, "must be a positive integer"),
        ({"sizes": (784, 2.5, 10)}, "must be a positive integer"),
        ({"init": "zeros"}, r"Unknown init 'zeros'.*'he'"),
        ({"seed": 1, "rng": np.random.default_rng(1)}, "either seed= or rng="),
        ({"rng": 42}, r"np\.random\.default_rng\(seed\)"),
    ],
)
def test_building_a_network_checks_its_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MLP(**kwargs)


def test_a_layer_needs_an_explicit_generator():
    with pytest.raises(ValueError, match=r"rng=np\.random\.default_rng\(seed\)"):
        Dense(3, 2, rng=None)
    with pytest.raises(ValueError, match="Unknown init"):
        init_weights(3, 2, "lecun", rng=np.random.default_rng(0))


@pytest.mark.parametrize("eta", [0, -0.1, float("nan"), float("inf"), "0.1", True])
def test_sgd_needs_a_positive_learning_rate(eta):
    with pytest.raises(ValueError, match=r"learning_rate must be a positive number.*0\.1"):
        SGD(learning_rate=eta)


def test_images_must_be_flattened_and_scaled(net):
    images = np.zeros((8, 28, 28), np.float32)
    with pytest.raises(ValueError, match=r"shape \(batch, 784\).*flatten\(\)"):
        net.forward(images)
    with pytest.raises(ValueError, match=r"shape \(batch, 784\)"):
        net.forward(np.zeros(784, np.float32))  # one sample needs a batch axis
    with pytest.raises(ValueError, match=r"uint8.*scale\(\)"):
        net.forward(np.zeros((8, 784), np.uint8))
    with pytest.raises(ValueError, match=r"\(batch, 784\).*flatten\(\)"):
        net.layers[0].forward(images.reshape(8, -1)[:, :100])


def test_labels_must_be_one_hot_rows(net, data):
    x, y = data
    net.forward(x)
    with pytest.raises(ValueError, match=r"shape \(8, 10\).*one_hot\(\)"):
        net.backward(y.argmax(axis=1))  # class indices instead of one-hot rows
    with pytest.raises(ValueError, match=r"one_hot\(\)"):
        net.evaluate(x, y[:5])
    sigmoid_net = MLP((784, 1), output="sigmoid")
    with pytest.raises(ValueError, match=r"y\.reshape\(-1, 1\)"):
        sigmoid_net.fit(x, np.ones(8), epochs=1, optimizer=SGD(0.1), log=None)


def test_backward_needs_a_forward_pass_first(net):
    with pytest.raises(ValueError, match=r"Call forward\(x\) before backward\(y\)"):
        net.backward(np.eye(10)[:2])
    with pytest.raises(ValueError, match=r"call forward\(\) before backward\(\)"):
        net.layers[0].backward(np.zeros((2, 16)))
    with pytest.raises(ValueError, match=r"call backward\(\) first"):
        net.layers[0].grads  # noqa: B018


def test_a_layer_checks_the_shape_of_delta(net, data):
    net.layers[0].forward(data[0])
    with pytest.raises(ValueError, match=r"shape of z.*\(8, 16\).*same batch"):
        net.layers[0].backward(np.zeros((4, 16)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"epochs": 0}, "epochs must be a positive integer"),
        ({"epochs": 1.5}, "epochs must be a positive integer"),
        ({"batch_size": 0}, "batch_size must be a positive integer"),
        ({"batch_size": -128}, "batch_size must be a positive integer"),
        ({"optimizer": 0.1}, r"step\(params, grads\) method.*SGD\(learning_rate=0\.1\)"),
        ({"validation_data": (np.zeros((2, 784), np.float32),)}, r"pair \(x_val, y_val\)"),
        ({"validation_data": (np.zeros((2, 784), np.float32), np.zeros(2))}, r"y_val.*one_hot"),
        ({"seed": 0, "rng": np.random.default_rng(0)}, "either seed= or rng="),
    ],
)
def test_fit_checks_its_arguments(net, data, kwargs, message):
    arguments = {"epochs": 1, "optimizer": SGD(0.1), "log": None, **kwargs}
    with pytest.raises(ValueError, match=message):
        net.fit(*data, **arguments)
