"""mnist_lessons.idx: reading IDX files, on small files the tests write."""

from __future__ import annotations

import numpy as np
import pytest
from idxfiles import idx_encode, write_idx

from mnist_lessons import idx


@pytest.mark.parametrize("name", ["images-idx3-ubyte", "images-idx3-ubyte.gz"])
def test_read_idx_round_trips_images(tmp_path, name):
    images = np.random.default_rng(1).integers(0, 256, (5, 28, 28), dtype=np.uint8)
    out = idx.read_idx(write_idx(tmp_path / name, images), expected_magic=idx.IMAGE_MAGIC)
    np.testing.assert_array_equal(out, images)
    assert out.dtype == np.uint8
    assert out.flags.writeable


@pytest.mark.parametrize(
    "array",
    [np.arange(-3, 3, dtype=np.int32), np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)],
)
def test_parse_idx_reads_multibyte_big_endian_types(array):
    out = idx.parse_idx(idx_encode(array))
    np.testing.assert_array_equal(out, array)
    assert out.dtype.isnative


def test_idx_bytes_matches_the_reference_encoder():
    labels = np.random.default_rng(2).integers(0, 10, 17, dtype=np.uint8)
    assert idx.idx_bytes(labels) == idx_encode(labels)
    with pytest.raises(ValueError, match="uint8"):
        idx.idx_bytes(labels.astype(np.int32))


def test_truncated_raw_file_is_named_and_explained(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(idx_encode(np.zeros((4, 28, 28), np.uint8))[:-100])
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte is truncated.*Copy the file"):
        idx.read_idx(path)


def test_truncated_header_is_reported(tmp_path):
    path = tmp_path / "labels"
    path.write_bytes(idx_encode(np.zeros(3, np.uint8))[:6])
    with pytest.raises(ValueError, match="truncated inside its header"):
        idx.read_idx(path)


def test_truncated_gzip_file_is_named_and_explained(tmp_path):
    path = write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.zeros(500, np.uint8))
    path.write_bytes(path.read_bytes()[:-12])
    with pytest.raises(ValueError, match=r"t10k-labels-idx1-ubyte.gz is not a complete gzip"):
        idx.read_idx(path)


def test_corrupted_gzip_stream_is_reported(tmp_path):
    path = write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.arange(200, dtype=np.uint8))
    raw = bytearray(path.read_bytes())
    raw[-6] ^= 0xFF  # break the CRC-32 in the gzip trailer
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="truncated or corrupted"):
        idx.read_idx(path)


def test_wrong_magic_number_says_which_file_was_expected(tmp_path):
    path = write_idx(tmp_path / "train-images-idx3-ubyte", np.zeros(10, np.uint8))  # labels
    with pytest.raises(ValueError, match=r"magic number 2049, but an MNIST image file has 2051"):
        idx.read_idx(path, expected_magic=idx.IMAGE_MAGIC)


def test_a_file_that_is_not_idx_is_rejected(tmp_path):
    path = tmp_path / "train-labels-idx1-ubyte"
    path.write_bytes(b"<html>Not Found</html>")
    with pytest.raises(ValueError, match="not an IDX file"):
        idx.read_idx(path)


def test_trailing_bytes_are_rejected(tmp_path):
    path = tmp_path / "labels"
    path.write_bytes(idx_encode(np.zeros(3, np.uint8)) + b"extra")
    with pytest.raises(ValueError, match="5 bytes after"):
        idx.read_idx(path)


def test_read_idx_on_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing-here"):
        idx.read_idx(tmp_path / "nothing-here")
