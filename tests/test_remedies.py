"""Tests of mnist_lessons.remedies: the augmentation layers, the augmented CNN, the rule."""

import numpy as np
import pytest

from mnist_lessons import other_digits as od
from mnist_lessons.models import build_cnn
from mnist_lessons.remedies import (
    CNN_ARGUMENTS,
    MNIST_TOLERANCE,
    REMEDIES,
    RandomLowResolution,
    RandomThicken,
    build_augmented_cnn,
    choose_remedy,
    keras,
    validation_scores,
)
from mnist_lessons.training import Trained


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(0).random((8, 28, 28, 1)).astype(np.float32)


@pytest.mark.parametrize("size", [2, 3])
def test_random_thicken_at_rate_1_is_the_numpy_dilation(images, size):
    out = np.asarray(RandomThicken(1.0, size)(images, training=True))
    np.testing.assert_array_equal(out[..., 0], od.thicken(images[..., 0], size))


@pytest.mark.parametrize("factor", [2, 4])
def test_random_low_resolution_at_rate_1_is_the_numpy_block_mean(images, factor):
    out = np.asarray(RandomLowResolution(1.0, factor)(images, training=True))
    np.testing.assert_allclose(
        out[..., 0], od.lower_resolution(images[..., 0], factor), rtol=0, atol=1e-6
    )


@pytest.mark.parametrize("layer", [RandomThicken(1.0), RandomLowResolution(1.0)])
def test_the_layers_change_nothing_at_inference(images, layer):
    np.testing.assert_array_equal(np.asarray(layer(images, training=False)), images)
    np.testing.assert_array_equal(np.asarray(layer(images)), images)


def test_a_rate_of_one_half_changes_about_half_of_the_images():
    keras.utils.set_random_seed(0)
    batch = np.zeros((400, 28, 28, 1), dtype=np.float32)
    batch[:, 14, 14, 0] = 1.0  # one pixel each: thickened, it becomes a 2x2 square
    out = np.asarray(RandomThicken(0.5, 2, seed=3)(batch, training=True))
    changed = (out > 0).sum(axis=(1, 2, 3)) == 4
    assert np.all(((out > 0).sum(axis=(1, 2, 3)) == 1) | changed)  # all or nothing per image
    # Binomial(400, 1/2): 200 +- 10; outside 150..250 has probability below 1e-6.
    assert 150 <= changed.sum() <= 250


def test_the_layers_refuse_bad_settings():
    with pytest.raises(ValueError, match="share of images"):
        RandomThicken(1.5)
    with pytest.raises(ValueError, match="whole number"):
        RandomThicken(0.5, size=0)
    with pytest.raises(ValueError, match="whole number"):
        RandomLowResolution(0.5, factor=2.0)
    with pytest.raises(ValueError, match="rotation"):
        build_augmented_cnn(rotation=1.5)


def test_augmented_cnn_is_the_plain_cnn_at_inference(images):
    keras.utils.set_random_seed(0)
    augmented = build_augmented_cnn(**REMEDIES["shapes and pen"], **CNN_ARGUMENTS)
    names = [layer.name for layer in augmented.layers]
    assert names[1:6] == [
        "augment_thicken",
        "augment_low_resolution",
        "augment_rotation",
        "augment_shift",
        "augment_zoom",
    ]
    plain = build_cnn(**CNN_ARGUMENTS)
    assert [layer.name for layer in plain.layers][1:] == names[6:]
    assert plain.count_params() == augmented.count_params()
    for layer in plain.layers[1:]:
        layer.set_weights(augmented.get_layer(layer.name).get_weights())
    np.testing.assert_allclose(
        augmented.predict(images, verbose=0), plain.predict(images, verbose=0), atol=1e-6
    )
    # ...and not in training: the augmentation changes what the layers after it see.
    changed = np.asarray(augmented(images, training=True))
    assert not np.allclose(changed, np.asarray(plain(images, training=True)))


# Keras' loaded model converts a tensor the old way (a warning of NumPy 2, not ours).
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
def test_augmented_cnn_saves_and_loads(tmp_path, images):
    keras.utils.set_random_seed(0)
    model = build_augmented_cnn(**REMEDIES["pen"], **CNN_ARGUMENTS)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    assert isinstance(loaded.get_layer("augment_thicken"), RandomThicken)
    assert loaded.get_layer("augment_low_resolution").factor == 2
    np.testing.assert_allclose(
        loaded.predict(images, verbose=0), model.predict(images, verbose=0), atol=1e-6
    )


def test_choose_remedy_follows_the_rule():
    plain = (0.990, 0.90)
    assert choose_remedy({"no remedy": plain, "a": (0.991, 0.93), "b": (0.990, 0.95)}) == "b"
    # b costs MNIST more than the tolerance: a wins.
    costly = 0.990 - MNIST_TOLERANCE - 1e-4
    assert choose_remedy({"no remedy": plain, "a": (0.990, 0.93), "b": (costly, 0.99)}) == "a"
    # exactly at the tolerance is allowed; a tie goes to the first listed
    edge = 0.990 - MNIST_TOLERANCE
    assert choose_remedy({"no remedy": plain, "a": (edge, 0.95), "b": (0.99, 0.95)}) == "a"
    assert choose_remedy({"no remedy": plain, "a": (0.5, 0.99)}) == "no remedy"
    with pytest.raises(ValueError, match="plain CNN"):
        choose_remedy({"a": plain})


def test_validation_scores_read_the_digits_as_they_are_and_pen_shifted():
    keras.utils.set_random_seed(0)
    model = build_cnn(**CNN_ARGUMENTS)  # untrained: its answers are as good as any to count
    run = Trained(model=model, history={}, key="k", seconds=0.0)
    x = np.random.default_rng(1).random((50, 28, 28)).astype(np.float32)
    y = np.random.default_rng(2).integers(0, 10, 50)
    scores = validation_scores({"a": run}, x, y)
    expected = [
        np.mean(model.predict(images[..., None], verbose=0).argmax(1) == y)
        for images in (x, od.pen_shift(x).astype(np.float32))
    ]
    assert list(scores) == ["a"]
    np.testing.assert_allclose(scores["a"], expected)
