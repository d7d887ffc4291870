"""mnist_lessons.data: reading IDX files, checking them, and preparing the arrays."""

from __future__ import annotations

import gzip
import hashlib
import shutil

import numpy as np
import pytest
from idxfiles import idx_encode

from mnist_lessons import data

# The facts of the real MNIST, from the data folder's README (an independent reference).
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


# --- finding and verifying the four files --------------------------------------------------


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"MNIST folder .*nope does not exist"):
        data.load_mnist(tmp_path / "nope")


def test_missing_file_is_named(small_mnist_dir):
    (small_mnist_dir / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match=r"lacks t10k-labels-idx1-ubyte\[\.gz\]"):
        data.load_mnist(small_mnist_dir)


def test_env_var_pointing_nowhere_is_an_error_not_a_download(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_LESSONS_DATA", str(tmp_path / "moved"))
    with pytest.raises(FileNotFoundError, match="MNIST_LESSONS_DATA"):
        data.load_mnist(cache_dir=tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_well_formed_files_that_are_not_mnist_fail_the_hash_check(small_mnist_dir):
    found = data.find_idx_files(small_mnist_dir)
    assert found["x_train"].name == "train-images-idx3-ubyte.gz"
    assert found["x_test"].name == "t10k-images-idx3-ubyte"
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte.gz does not hold the canon"):
        data.load_mnist(small_mnist_dir)


@pytest.fixture
def real_copy(real_mnist_dir, tmp_path):
    """A copy of the real MNIST folder (the four .gz files), for the tests to damage."""
    for name in data.IDX_FILES.values():
        shutil.copy(real_mnist_dir / f"{name}.gz", tmp_path)
    return tmp_path


def gunzip_in_place(folder, name) -> bytes:
    """Replace ``folder/name.gz`` by its uncompressed twin ``folder/name``; return the bytes."""
    gz = folder / f"{name}.gz"
    content = gzip.decompress(gz.read_bytes())
    gz.unlink()
    (folder / name).write_bytes(content)
    return content


def test_one_changed_label_fails_the_hash_check(real_copy):
    content = bytearray(gunzip_in_place(real_copy, "train-labels-idx1-ubyte"))
    content[8] = (content[8] + 1) % 10  # the first label, 5, becomes 6
    (real_copy / "train-labels-idx1-ubyte").write_bytes(bytes(content))
    with pytest.raises(ValueError, match=r"train-labels-idx1-ubyte does not hold the canonical"):
        data.load_mnist(real_copy)


def test_truncated_real_file_is_reported(real_copy):
    images = gunzip_in_place(real_copy, "t10k-images-idx3-ubyte")
    (real_copy / "t10k-images-idx3-ubyte").write_bytes(images[: len(images) // 2])
    with pytest.raises(ValueError, match=r"t10k-images-idx3-ubyte is truncated"):
        data.load_mnist(real_copy)


def test_uncompressed_and_compressed_files_mix(real_copy, real_mnist):
    gunzip_in_place(real_copy, "t10k-labels-idx1-ubyte")
    (_, _), (_, y_test) = data.load_mnist(real_copy)
    np.testing.assert_array_equal(y_test, real_mnist[1][1])


# --- the real data -------------------------------------------------------------------------


def test_real_mnist_shapes_and_dtypes(real_mnist):
    (x_train, y_train), (x_test, y_test) = real_mnist
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}


def test_real_mnist_label_counts_and_first_labels(real_mnist):
    (x_train, y_train), (_, y_test) = real_mnist
    assert np.bincount(y_train, minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(y_test, minlength=10).tolist() == TEST_COUNTS
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert x_train.mean() == pytest.approx(33.318, abs=5e-4)
    assert x_train.min() == 0 and x_train.max() == 255


def test_canonical_hashes_agree_with_the_data_folder(real_mnist_dir):
    lines = (real_mnist_dir / "SHA256SUMS").read_text().split("\n")
    listed = {name: digest for digest, name in (line.split() for line in lines if line)}
    assert listed == data.CANONICAL_SHA256


def test_the_loaded_arrays_re_encode_to_the_canonical_bytes(real_mnist):
    (x_train, y_train), (x_test, y_test) = real_mnist
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    for role, array in arrays.items():
        digest = hashlib.sha256(idx_encode(array)).hexdigest()
        assert digest == data.CANONICAL_SHA256[data.IDX_FILES[role]]


# --- preparing the arrays -----------------------------------------------------------------


def test_scale_maps_uint8_to_unit_interval_float32():
    x = np.array([[0, 1, 128, 255]], dtype=np.uint8)
    out = data.scale(x)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [[0.0, 1 / 255, 128 / 255, 1.0]], rtol=1e-7)


def test_scale_refuses_already_scaled_images():
    with pytest.raises(ValueError, match="scaled already"):
        data.scale(np.zeros((2, 28, 28), np.float32))


def test_flatten_keeps_rows_in_reading_order(real_mnist):
    x = real_mnist[0][0][:3]
    flat = data.flatten(x)
    assert flat.shape == (3, 784)
    np.testing.assert_array_equal(flat[1, 28 * 5 : 28 * 6], x[1, 5])  # pixel row 5 of image 1
    with pytest.raises(ValueError, match=r"image\[None\]"):
        data.flatten(x[0])


def test_one_hot_matches_rows_of_the_identity():
    labels = np.array([3, 0, 9, 3])
    out = data.one_hot(labels)
    np.testing.assert_array_equal(out, np.eye(10, dtype=np.float32)[labels])
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.argmax(axis=1), labels)
    assert data.one_hot(np.array([1, 0]), num_classes=2).tolist() == [[0, 1], [1, 0]]


@pytest.mark.parametrize(
    ("labels", "num_classes", "message"),
    [
        (np.array([0, 10]), 10, r"0\.\.9, found 0\.\.10"),
        (np.array([-1, 2]), 10, "must lie in"),
        (np.array([0.0, 1.0]), 10, "integer labels"),
        (np.eye(3, dtype=int), 10, "1-D array"),
        (np.array([0, 1]), 0, "positive integer"),
        (np.array([], dtype=int), 10, "non-empty"),
    ],
)
def test_one_hot_rejects_bad_input(labels, num_classes, message):
    with pytest.raises(ValueError, match=message):
        data.one_hot(labels, num_classes=num_classes)


@pytest.mark.parametrize(("rows", "cols"), [(0, 0), (3, 0), (-2, 0), (0, 4), (0, -1), (2, -3)])
def test_shift_moves_content_with_zero_fill_as_scipy_does(rows, cols):
    from scipy import ndimage

    rng = np.random.default_rng(0)
    images = rng.integers(1, 256, (3, 28, 28), dtype=np.uint8)  # no zero pixel inside
    moved = data.shift(images, rows, cols)
    assert moved.dtype == images.dtype and moved.shape == images.shape
    for image, ours in zip(images, moved, strict=True):
        theirs = ndimage.shift(image, (rows, cols), order=0, mode="constant", cval=0)
        np.testing.assert_array_equal(ours, theirs)
    # the strip that opened is background, the rest is the old content
    assert np.count_nonzero(moved[0]) == (28 - abs(rows)) * (28 - abs(cols))


def test_shift_refuses_a_shift_off_the_image():
    with pytest.raises(ValueError, match="off a 28 by 28"):
        data.shift(np.zeros((1, 28, 28)), 28, 0)
    with pytest.raises(ValueError, match="stack of images"):
        data.shift(np.zeros((28, 28)), 1, 0)
