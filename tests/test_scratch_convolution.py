"""The hand convolution of mnist_lessons.scratch.convolution against keras Conv2D."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lessons.scratch.convolution import (
    EDGE_KERNELS,
    convolve2d,
    max_pool2d,
    output_size,
    receptive_fields,
)


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


# --- stride, padding, pooling and the receptive field ---------------------------------------


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("k", [2, 3, 5])
@pytest.mark.parametrize("n", [7, 13, 28])
def test_output_size_equals_keras_conv2d_and_maxpooling2d_shapes(n, k, stride, padding):
    from mnist_lessons.models import keras

    x = np.zeros((1, n, n, 1), dtype=np.float32)
    conv = keras.layers.Conv2D(1, k, strides=stride, padding=padding)
    pool = keras.layers.MaxPooling2D(k, strides=stride, padding=padding)
    expected = output_size(n, k, stride=stride, padding=padding)
    assert conv(x).shape[1:3] == (expected, expected)
    assert pool(x).shape[1:3] == (expected, expected)


def test_output_size_by_the_formula_with_explicit_padding():
    # floor((n + 2p - k) / s) + 1, worked by hand: (28 + 2 - 3) // 2 + 1 = 14
    assert output_size(28, 3, stride=2, padding=1) == 14
    assert output_size(28, 5, padding=2) == 28
    assert output_size(7, 2, stride=2) == 3  # the book's third pooling rounds down
    with pytest.raises(ValueError, match="padding"):
        output_size(28, 3, padding="full")
    with pytest.raises(ValueError, match="stride"):
        output_size(28, 3, stride=0)


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("stride", [2, 3])
@pytest.mark.parametrize("shape", [(3, 3), (2, 4)])
def test_strided_hand_convolution_equals_keras(padding, stride, shape):
    from mnist_lessons.models import keras

    rng = np.random.default_rng(2)
    image, kernel = rng.random((28, 27)), rng.normal(size=shape)
    layer = keras.layers.Conv2D(1, shape, strides=stride, padding=padding, use_bias=False)
    layer.build((1, 28, 27, 1))
    layer.set_weights([kernel[:, :, None, None].astype(np.float32)])
    theirs = np.asarray(layer(image[None, :, :, None].astype(np.float32)))[0, :, :, 0]
    ours = convolve2d(image, kernel, padding=padding, stride=stride)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)


def test_convolution_with_explicit_padding_equals_valid_on_the_padded_image():
    rng = np.random.default_rng(3)
    x, K = rng.random((6, 6)), rng.random((3, 3))
    np.testing.assert_allclose(convolve2d(x, K, padding=2), convolve2d(np.pad(x, 2), K))


@pytest.mark.parametrize(("size", "stride"), [(2, None), (3, None), (3, 2), (2, 1)])
def test_max_pool_equals_keras_maxpooling2d(size, stride):
    from mnist_lessons.models import keras

    rng = np.random.default_rng(4)
    x = rng.normal(size=(13, 14))
    layer = keras.layers.MaxPooling2D(size, strides=stride)
    theirs = np.asarray(layer(x[None, :, :, None].astype(np.float32)))[0, :, :, 0]
    np.testing.assert_allclose(max_pool2d(x, size, stride=stride), theirs, rtol=1e-6)


def test_max_pool_by_hand():
    x = np.arange(16.0).reshape(4, 4)
    np.testing.assert_array_equal(max_pool2d(x), [[5.0, 7.0], [13.0, 15.0]])
    np.testing.assert_array_equal(max_pool2d(np.arange(9.0).reshape(3, 3)), [[4.0]])


def _book_stack(blocks, k=3, padding="same"):
    layers = []
    for i in range(1, blocks + 1):
        layers += [(f"conv_{i}", k, 1, padding), (f"pool_{i}", 2, 2, "valid")]
    return layers


@pytest.mark.parametrize("blocks", [1, 2, 3, 4])
def test_receptive_field_of_conv_pool_blocks_has_its_closed_form(blocks):
    # Block b adds (3 - 1) * 2**(b-1) (its convolution) + (2 - 1) * 2**(b-1) (its pooling),
    # so after B blocks r = 1 + 3 (2**B - 1) and the jump is 2**B.
    fields = receptive_fields(_book_stack(blocks), 64)
    assert fields[-1].field == 1 + 3 * (2**blocks - 1)
    assert fields[-1].jump == 2**blocks
    assert [f.size for f in fields] == [64 // 2 ** ((i + 1) // 2) for i in range(2 * blocks)]


def test_receptive_field_of_stride_one_convolutions():
    fields = receptive_fields([(f"c{i}", 5, 1, "valid") for i in range(4)], 28)
    assert [f.field for f in fields] == [1 + 4 * (i + 1) for i in range(4)]  # 1 + L (k - 1)
    assert [f.size for f in fields] == [24, 20, 16, 12]


def test_the_book_cnn_receptive_fields_by_hand():
    fields = receptive_fields(_book_stack(3), 28)
    assert [f.size for f in fields] == [28, 14, 14, 7, 7, 3]
    assert [f.field for f in fields] == [3, 4, 8, 10, 18, 22]
    assert [f.start for f in fields] == [-1, -1, -3, -3, -7, -7]


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_receptive_field_is_what_the_gradient_reaches(padding):
    """Count the input pixels a unit depends on: those where its gradient is not zero.

    Kernels of ones and average pooling (the same windows as max pooling, but every input of
    a window gets a share of the gradient) on an image of ones, so nothing cancels.
    """
    import tensorflow as tf

    from mnist_lessons.models import keras

    n = 40
    spec = _book_stack(3, padding=padding)
    model = keras.Sequential([keras.Input((n, n, 1))])
    for name, k, stride, pad in spec:
        if name.startswith("conv"):
            model.add(keras.layers.Conv2D(1, k, padding=pad, kernel_initializer="ones"))
        else:
            model.add(keras.layers.AveragePooling2D(k, strides=stride))
    x = tf.ones((1, n, n, 1))
    fields = receptive_fields(spec, n)
    for depth, f in enumerate(fields, start=1):
        head = keras.Sequential(model.layers[:depth])
        i = (f.size - 1) // 2  # a unit in the middle, whose field lies inside the image
        with tf.GradientTape() as tape:
            tape.watch(x)
            unit = head(x)[0, i, i, 0]
        reached = np.argwhere(np.asarray(tape.gradient(unit, x))[0, :, :, 0] != 0)
        first = f.start + i * f.jump
        assert reached.min(axis=0).tolist() == [first, first]
        assert reached.max(axis=0).tolist() == [first + f.field - 1] * 2
        assert len(reached) == f.field**2
