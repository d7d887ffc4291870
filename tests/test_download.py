"""The download path of load_mnist(), against a local HTTP server on 127.0.0.1 only."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from mnist_lessons import data


class FileServer:
    """Serves ``files`` (path -> bytes) on 127.0.0.1; ``short`` paths send half their bytes
    while announcing the full length, like a dropped connection."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.short: set[str] = set()
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if self.path in server.short else body)

            def log_message(self, *args):  # keep the test output clean
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"


@pytest.fixture
def server():
    srv = FileServer()
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()
    srv.thread.join()


@pytest.fixture(scope="module")
def real_npz(real_mnist) -> bytes:
    """The real MNIST as an ``mnist.npz`` like Keras' (same keys, same arrays)."""
    (x_train, y_train), (x_test, y_test) = real_mnist
    buffer = io.BytesIO()
    np.savez_compressed(buffer, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def no_local_data(monkeypatch):
    """With no local folder configured, load_mnist() must go to the network."""
    monkeypatch.delenv("MNIST_LESSONS_DATA", raising=False)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_download_once_then_read_from_the_cache(server, real_npz, real_mnist, tmp_path, capfd):
    server.files["/mnist.npz"] = real_npz
    kwargs = {"cache_dir": tmp_path, "url": server.url("/mnist.npz"), "sha256": sha256(real_npz)}
    (x_train, y_train), (x_test, y_test) = data.load_mnist(**kwargs)
    expected = [*real_mnist[0], *real_mnist[1]]
    for got, want in zip((x_train, y_train, x_test, y_test), expected, strict=True):
        np.testing.assert_array_equal(got, want)
    assert [p.name for p in tmp_path.iterdir()] == ["mnist.npz"]
    data.load_mnist(**kwargs)
    assert server.requests == ["/mnist.npz"]  # the second call read the cache
    out, err = capfd.readouterr()
    assert out.count("Downloading MNIST") == 1
    assert err == ""  # a book build fails on stderr output, so the download must write none


def test_a_corrupted_cached_file_is_fetched_again(server, real_npz, tmp_path):
    server.files["/mnist.npz"] = real_npz
    (tmp_path / "mnist.npz").write_bytes(b"half a file")
    data.load_mnist(cache_dir=tmp_path, url=server.url("/mnist.npz"), sha256=sha256(real_npz))
    assert (tmp_path / "mnist.npz").read_bytes() == real_npz
    assert server.requests == ["/mnist.npz"]


def test_hash_mismatch_leaves_nothing_in_the_cache(server, real_npz, tmp_path):
    server.files["/mnist.npz"] = real_npz
    with pytest.raises(ValueError, match=r"corrupted.*nothing was saved"):
        data.load_mnist(cache_dir=tmp_path, url=server.url("/mnist.npz"), sha256="0" * 64)
    assert list(tmp_path.iterdir()) == []


def test_connection_dropped_midway_leaves_nothing_in_the_cache(server, real_npz, tmp_path):
    server.files["/mnist.npz"] = real_npz
    server.short.add("/mnist.npz")
    with pytest.raises((ConnectionError, ValueError), match="MNIST"):
        data.load_mnist(cache_dir=tmp_path, url=server.url("/mnist.npz"), sha256=sha256(real_npz))
    assert list(tmp_path.iterdir()) == []


def test_http_error_says_what_to_do(server, tmp_path):
    with pytest.raises(ConnectionError, match=r"404.*set MNIST_LESSONS_DATA"):
        data.load_mnist(cache_dir=tmp_path, url=server.url("/missing.npz"), sha256="0" * 64)
    assert list(tmp_path.iterdir()) == []


def test_no_network_says_what_to_do(tmp_path):
    with socket.socket() as sock:  # a port that was free a moment ago: nobody listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ConnectionError, match=r"No local copy.*MNIST_LESSONS_DATA"):
        data.load_mnist(cache_dir=tmp_path, url=f"http://127.0.0.1:{port}/mnist.npz")
    assert list(tmp_path.iterdir()) == []


def test_a_file_with_the_right_hash_but_other_arrays_is_rejected(server, tmp_path):
    buffer = io.BytesIO()
    small = np.zeros((2, 28, 28), np.uint8)
    np.savez(buffer, x_train=small, y_train=np.zeros(2, np.uint8), x_test=small, y_test=small)
    server.files["/other.npz"] = buffer.getvalue()
    url, digest = server.url("/other.npz"), sha256(buffer.getvalue())
    with pytest.raises(ValueError, match=r"\[x_train\] does not hold the canonical MNIST"):
        data.load_mnist(cache_dir=tmp_path, url=url, sha256=digest)


def test_an_npz_without_the_expected_arrays_is_rejected(server, tmp_path):
    buffer = io.BytesIO()
    np.savez(buffer, images=np.zeros(3))
    server.files["/odd.npz"] = buffer.getvalue()
    url, digest = server.url("/odd.npz"), sha256(buffer.getvalue())
    with pytest.raises(ValueError, match=r"not a readable mnist\.npz"):
        data.load_mnist(cache_dir=tmp_path, url=url, sha256=digest)


def test_default_source_is_keras_own_mnist_npz():
    """The default URL and hash are the ones Keras' own loader uses (read, not imported)."""
    keras_dir = Path(importlib.util.find_spec("keras").origin).parent
    source = (keras_dir / "src" / "datasets" / "mnist.py").read_text()
    assert data.MNIST_NPZ_URL.rsplit("/", 1)[0] + "/" in source
    assert data.MNIST_NPZ_SHA256 in source
