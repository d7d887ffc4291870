"""The widget's model file (an explorables' bundle): float16 weights written and read back
exactly, refused when wrong."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from mnist_lessons.explore import read_bundle
from mnist_lessons.models import build_mlp
from mnist_lessons.quiet import import_keras
from mnist_lessons.widget import FILENAME, export_mlp, keras_model, read_mlp, site_static_dir

keras = import_keras()


@pytest.fixture(scope="module")
def small_mlp():
    keras.utils.set_random_seed(0)
    return build_mlp(hidden_units=(16, 8))


def test_weights_come_back_as_float16_rounded(tmp_path, small_mlp):
    path = export_mlp(small_mlp, tmp_path, meta={"seed": 0})
    header, weights = read_mlp(path)
    assert [layer["shape"] for layer in header["layers"]] == [[784, 16], [16, 8], [8, 10]]
    assert [layer["activation"] for layer in header["layers"]] == ["relu", "relu", "softmax"]
    assert header["meta"] == {"seed": 0}
    originals = small_mlp.get_weights()
    for (W, b), W0, b0 in zip(weights, originals[::2], originals[1::2], strict=True):
        np.testing.assert_array_equal(W, W0.astype(np.float16).astype(np.float32))
        np.testing.assert_array_equal(b, b0.astype(np.float16).astype(np.float32))
        # float16 keeps 11 significant bits: a relative error of at most 2**-11.
        assert np.all(np.abs(W - W0) <= 2.0**-11 * np.abs(W0) + 2.0**-24)
    # The header, then two bytes a parameter, each array padded to a multiple of 8 bytes.
    n = struct.unpack("<I", path.read_bytes()[4:8])[0]
    extra = path.stat().st_size - (8 + n + 2 * small_mlp.count_params())
    assert 0 <= extra < 8 * 2 * len(header["layers"])


def test_the_keras_copy_computes_with_the_rounded_weights(tmp_path, small_mlp):
    half = keras_model(export_mlp(small_mlp, tmp_path))
    x = np.random.default_rng(0).random((32, 784)).astype(np.float32)
    # The forward pass by hand in float64 on the rounded weights (eq-try-it-layer).
    _, weights = read_mlp(tmp_path / "mnist-mlp.bin")
    a = x.astype(np.float64)
    for W, b in weights[:-1]:
        a = np.maximum(a @ W + b, 0.0)
    z = a @ weights[-1][0] + weights[-1][1]
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(np.asarray(half(x)), p, atol=1e-6)
    assert np.abs(np.asarray(half(x)) - np.asarray(small_mlp(x))).max() < 1e-2


def test_only_dense_relu_softmax_models_are_exported(tmp_path):
    inputs = keras.Input(shape=(28, 28, 1))
    x = keras.layers.Conv2D(2, 3)(inputs)
    x = keras.layers.Flatten()(x)
    cnn = keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(x))
    with pytest.raises(ValueError, match="Dense layers with relu or softmax"):
        export_mlp(cnn, tmp_path)
    with pytest.raises(ValueError, match="Dense layers with relu or softmax"):
        export_mlp(build_mlp(activation="tanh"), tmp_path)


def test_a_damaged_file_is_refused(tmp_path, small_mlp):
    path = export_mlp(small_mlp, tmp_path)
    data = path.read_bytes()
    path.write_bytes(b"XXXX" + data[4:])
    with pytest.raises(ValueError, match="magic"):
        read_mlp(path)
    path.write_bytes(data[:-30])  # past the last array's padding, into its numbers
    with pytest.raises(ValueError, match="export it again"):
        read_mlp(path)


def test_the_file_is_a_bundle_that_the_pages_reader_reads(tmp_path, small_mlp):
    data, arrays = read_bundle(export_mlp(small_mlp, tmp_path))
    assert data["dtype"] == "float16" and data["format"] == "mnist-lessons widget MLP"
    assert sorted(arrays) == ["W0", "W1", "W2", "b0", "b1", "b2"]
    assert {a.dtype.name for a in arrays.values()} == {"float16"}


def test_site_static_dir_is_in_the_books_build_folder(tmp_path):
    (tmp_path / "_toc.yml").write_text("root: x\n")
    (tmp_path / "_config.yml").write_text("title: x\n")
    (tmp_path / "book").mkdir()
    assert site_static_dir(tmp_path / "book") == tmp_path / "_build" / "widget"
    # Outside a book (a chapter's notebook on its own): beside the notebook.
    outside = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    outside.mkdir()
    assert site_static_dir(outside) == outside / "_build" / "widget"


def test_the_sphinx_extension_serves_the_widget_and_copies_the_exported_network(tmp_path):
    from types import SimpleNamespace

    from mnist_lessons.widget import sphinxext

    assert (sphinxext.STATIC / "mnist_widget.js").is_file()
    assert (sphinxext.STATIC / "mnist_widget.css").is_file()
    config = SimpleNamespace(html_static_path=["_static"])
    sphinxext._add_static_folder(None, config)
    assert config.html_static_path == ["_static", str(sphinxext.STATIC)]

    (tmp_path / "_toc.yml").write_text("root: x\n")
    (tmp_path / "_config.yml").write_text("title: x\n")
    html = SimpleNamespace(format="html")
    app = SimpleNamespace(srcdir=tmp_path, outdir=tmp_path / "_build" / "html", builder=html)
    sphinxext._copy_exported_network(app, None)  # nothing exported: nothing to copy
    assert not (app.outdir / "_static" / "widget").exists()
    exported = site_static_dir(tmp_path)
    exported.mkdir(parents=True)
    (exported / FILENAME).write_bytes(b"network")
    sphinxext._copy_exported_network(app, RuntimeError("the build failed"))
    assert not (app.outdir / "_static" / "widget").exists()
    sphinxext._copy_exported_network(app, None)
    assert (app.outdir / "_static" / "widget" / FILENAME).read_bytes() == b"network"


def test_the_widget_files_are_added_only_to_pages_with_a_widget():
    from types import SimpleNamespace

    from mnist_lessons.widget import sphinxext as widget_ext

    assert widget_ext.has_widget('<p>x</p><div class="mnist-widget"><p>needs JS</p></div>')
    assert widget_ext.has_widget("<div id='w' class='figure mnist-widget'>")
    assert not widget_ext.has_widget('<div class="mnist-widget-canvas">')
    assert not widget_ext.has_widget("<p>The mnist-widget class places one.</p>")
    added = []
    builder = SimpleNamespace(
        add_js_file=lambda name, **kw: added.append((name, kw)),
        add_css_file=lambda name, **kw: added.append((name, kw)),
    )
    app = SimpleNamespace(builder=builder)
    widget_ext._add_widget_files(app, "book/neuron", "page.html", {"body": "<p>x</p>"}, None)
    assert added == []
    body = '<div class="mnist-widget"></div>'
    widget_ext._add_widget_files(app, "book/try_it", "page.html", {"body": body}, None)
    assert added == [
        ("mnist_widget.css", {}),
        ("mnist_widget.js", {"type": "module", "defer": "defer"}),
    ]
