"""The hand convolution of mnist_lessons.scratch.convolution against keras Conv2D."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lessons.scratch.convolution import EDGE_KERNELS, convolve2d


def _keras_conv(image, kernel, padding, bias=0.0):
    from mnist_lessons.models import keras

    layer = keras.layers.Conv2D(1, kernel.shape, padding=padding)
    layer.build((1, *image.shape, 1))
    layer.set_weights([kernel[:, :, None, None].astype(np.float32), np.array([bias], np.float32)])
    return np.asarray(layer(image[None, :, :, None].astype(np.float32)))[0, :, :, 0]


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("shape", [(3, 3), (5, 5), (2, 4)])
def test_hand_convolution_equals_keras_conv2d(padding, shape):
    rng = np.random.default_rng(0)
    image = rng.random((28, 28))
    kernel = rng.normal(size=shape)
    ours = convolve2d(image, kernel, padding=padding, bias=0.3)
    theirs = _keras_conv(image, kernel, padding, bias=0.3)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)


def test_edge_kernel_on_a_digit_equals_keras(real_mnist):
    (x_train, _), _ = real_mnist
    digit = x_train[0] / 255.0
    kernel = EDGE_KERNELS["horizontal edges"]
    np.testing.assert_allclose(
        convolve2d(digit, kernel), _keras_conv(digit, kernel, "valid"), rtol=1e-5, atol=1e-5
    )


def test_one_output_pixel_by_the_formula():
    rng = np.random.default_rng(1)
    x, K = rng.random((6, 7)), rng.random((3, 2))
    z = convolve2d(x, K)
    assert z.shape == (4, 6)
    i, j = 2, 3
    assert z[i, j] == pytest.approx(
        sum(K[u, v] * x[i + u, j + v] for u in range(3) for v in range(2))
    )


def test_edge_kernels_find_edges_and_ignore_flat_areas():
    x = np.zeros((8, 8))
    x[4:, :] = 1.0  # dark top half, bright bottom half: one horizontal edge
    horizontal = convolve2d(x, EDGE_KERNELS["horizontal edges"])
    vertical = convolve2d(x, EDGE_KERNELS["vertical edges"])
    assert np.abs(vertical).max() == 0
    assert np.abs(horizontal[[0, -1]]).max() == 0  # flat rows away from the edge
    assert np.abs(horizontal).max() == 4.0  # 1 + 2 + 1 across the edge


@pytest.mark.parametrize(
    ("x", "K", "kwargs", "message"),
    [
        (np.zeros((4, 4, 1)), np.zeros((3, 3)), {}, "2-D image"),
        (np.zeros((2, 2)), np.zeros((3, 3)), {}, "larger than the image"),
        (np.zeros((4, 4)), np.zeros((3, 3)), {"padding": "full"}, "valid"),
    ],
)
def test_bad_input_says_what_to_do(x, K, kwargs, message):
    with pytest.raises(ValueError, match=message):
        convolve2d(x, K, **kwargs)
