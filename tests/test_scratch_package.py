"""mnist_lessons.scratch as a package: the contract's names, and no TensorFlow."""

from __future__ import annotations

import mnist_lessons.scratch as scratch

# The names the chapters are written against (notes/scratch_api.md); renaming one breaks them.
CONTRACT = {
    "sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad", "leaky_relu",
    "leaky_relu_grad", "softmax", "linear", "linear_grad", "ACTIVATIONS",
    "EPSILON", "mse", "mae", "binary_crossentropy", "categorical_crossentropy", "mse_grad",
    "mae_grad", "binary_crossentropy_grad", "categorical_crossentropy_grad",
    "softmax_crossentropy_delta", "Dense", "MLP", "SGD", "numerical_gradient", "gradcheck",
}  # fmt: skip


def test_every_contract_name_is_exported():
    assert CONTRACT <= set(scratch.__all__)
    assert all(hasattr(scratch, name) for name in scratch.__all__)
    assert sorted(scratch.ACTIVATIONS) == ["leaky_relu", "linear", "relu", "sigmoid", "tanh"]
    assert scratch.EPSILON == 1e-7


def test_the_contract_methods_and_attributes_exist():
    net = scratch.MLP((4, 3, 2), seed=0)
    for method in ("forward", "backward", "loss", "predict", "evaluate", "fit"):
        assert callable(getattr(net, method))
    layer = net.layers[0]
    assert (layer.W.shape, layer.b.shape, layer.activation) == ((3, 4), (3,), "relu")
    assert layer.params[0] is layer.W and layer.params[1] is layer.b
    assert callable(layer.f) and callable(layer.f_grad)
