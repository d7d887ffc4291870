"""The explorables' Python side: bundles, placeholders and their checks; and the JavaScript
reader of the bundles (tests/js/framework.test.mjs) on a bundle written here."""

from __future__ import annotations

import numpy as np
import pytest
from jsrun import run_node, write_fixture

from mnist_lessons.explore import Explorable, explorable, read_bundle, write_bundle
from mnist_lessons.explore.export import bundle_dir, jsonable
from mnist_lessons.explore.sphinxext import has_explorable

JS_TYPES = {
    "float64": "Float64Array",
    "float32": "Float32Array",
    "float16": "Float32Array",
    "int32": "Int32Array",
    "uint8": "Uint8Array",
}


def example_arrays(rng):
    return {
        "W": rng.normal(size=(3, 5)),  # float64
        "b": rng.normal(size=5).astype(np.float32),
        "half": rng.normal(size=(2, 3)).astype(np.float16),
        "labels": np.arange(7, dtype=np.int32) - 3,
        "image": rng.integers(0, 256, size=(4, 4), dtype=np.uint8),
    }


def test_a_bundle_reads_back_exactly(tmp_path):
    arrays = example_arrays(np.random.default_rng(0))
    data = {"eta": np.float32(0.1), "names": ["a", "b"], "n": np.int64(3), "xs": np.arange(3)}
    path = write_bundle(tmp_path / "x.bin", "x", data, arrays)
    got_data, got = read_bundle(path)
    assert got_data == {"eta": 0.1, "names": ["a", "b"], "n": 3, "xs": [0, 1, 2]}
    for key, array in arrays.items():
        assert got[key].dtype == array.dtype and got[key].shape == array.shape
        np.testing.assert_array_equal(got[key], array)


def test_json_data_refuses_what_json_cannot_hold():
    with pytest.raises(ValueError, match="cannot go into"):
        jsonable({"x": float("nan")})
    with pytest.raises(ValueError, match="not object"):
        jsonable({"x": object()})
    assert jsonable(1 / 3) == 0.3333333


def test_an_array_of_an_unreadable_dtype_is_refused(tmp_path):
    with pytest.raises(ValueError, match="astype"):
        write_bundle(tmp_path / "x.bin", "x", arrays={"z": np.zeros(2, dtype=np.complex64)})
    assert not (tmp_path / "x.bin").exists()


def test_the_javascript_reads_what_python_wrote(tmp_path):
    arrays = example_arrays(np.random.default_rng(1))
    data = {"title": "é ok", "nested": {"k": [1, 2.5]}}
    write_bundle(tmp_path / "bundle.bin", "framework-test", data, arrays)
    expected = {
        key: {
            "shape": list(a.shape),
            "js_type": JS_TYPES[a.dtype.name],
            "values": a.astype(np.float64).ravel(),
        }
        for key, a in arrays.items()
    }
    write_fixture(tmp_path, "bundle", {"name": "framework-test", "data": data, "arrays": expected})
    halves = np.arange(65536, dtype=np.uint16).view(np.float16).astype(np.float64)
    values = [
        None if np.isnan(v) else ("inf" if v == np.inf else "-inf" if v == -np.inf else v)
        for v in halves.tolist()
    ]
    write_fixture(tmp_path, "float16", values)
    run_node("tests/js/framework.test.mjs", tmp_path)


def test_explorable_writes_its_bundle_and_places_its_div(tmp_path, monkeypatch):
    import mnist_lessons.explore as explore

    (tmp_path / "mods").mkdir()
    (tmp_path / "mods" / "demo-one.js").write_text("export const state = {};")
    monkeypatch.setattr(explore, "MODULES", tmp_path / "mods")
    shown = explorable(
        "demo-one", title="A <demo>", data={"a": 1}, arrays={"x": np.ones(3)}, folder=tmp_path
    )
    assert isinstance(shown, Explorable)
    assert read_bundle(tmp_path / "demo-one.bin")[0] == {"a": 1}
    html = shown._repr_html_()
    assert has_explorable(html)
    assert 'data-explorable="demo-one"' in html and "A &lt;demo&gt;" in html
    assert f'data-bytes="{(tmp_path / "demo-one.bin").stat().st_size}"' in html
    assert "online book" in repr(shown)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "Bad_Name"}, "lowercase words"),
        ({"name": "no-such-module"}, "No script"),
        ({"title": " "}, "title="),
        ({"limit_kb": 900}, "at most 600"),
        ({"arrays": {"big": np.zeros(100_000)}, "limit_kb": 300}, "over its 300 KB"),
    ],
)
def test_explorable_refuses_bad_arguments_with_a_sentence(tmp_path, monkeypatch, kwargs, message):
    import mnist_lessons.explore as explore

    (tmp_path / "mods").mkdir()
    (tmp_path / "mods" / "demo-one.js").write_text("export const state = {};")
    monkeypatch.setattr(explore, "MODULES", tmp_path / "mods")
    arguments = {"name": "demo-one", "title": "Demo", "folder": tmp_path / "out", **kwargs}
    with pytest.raises(ValueError, match=message):
        explorable(arguments.pop("name"), **arguments)
    assert not list((tmp_path / "out").glob("*.bin"))


def test_outside_a_book_nothing_is_written(tmp_path, monkeypatch):
    import mnist_lessons.explore as explore

    (tmp_path / "mods").mkdir()
    (tmp_path / "mods" / "demo-one.js").write_text("export const state = {};")
    monkeypatch.setattr(explore, "MODULES", tmp_path / "mods")
    monkeypatch.chdir(tmp_path)
    assert bundle_dir() is None
    shown = explorable("demo-one", title="Demo", data={"a": 1})
    assert shown.path is None and 'data-bytes="0"' in shown._repr_html_()
    assert list(tmp_path.rglob("*.bin")) == []


def test_has_explorable_finds_only_the_placeholder():
    assert has_explorable('<div class="output explorable x">')
    assert not has_explorable('<div class="explorables-list">')
    assert not has_explorable("<p>an explorable</p>")
