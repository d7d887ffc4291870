"""mnist_lessons.report: figures recorded for the prose and the benchmarks."""

from __future__ import annotations

import io
import json
import sys

import numpy as np
import pytest

from mnist_lessons import report


def test_record_stores_plain_values_with_their_chapter(tmp_path):
    path = tmp_path / "_build" / "metrics.json"
    assert report.record("n_train", np.int64(60000), chapter="mnist_dataset", path=path) == 60000
    report.record("mean_pixel", np.float32(0.25), chapter="mnist_dataset", path=path)
    report.record("busiest_digit", "1", chapter="mnist_dataset", path=path)
    stored = json.loads(path.read_text())
    assert stored == {
        "n_train": {"value": 60000, "chapter": "mnist_dataset"},
        "mean_pixel": {"value": 0.25, "chapter": "mnist_dataset"},
        "busiest_digit": {"value": "1", "chapter": "mnist_dataset"},
    }
    assert type(stored["n_train"]["value"]) is int
    assert report.read_metrics(path) == stored
    assert not list(path.parent.glob("*.tmp"))  # the temporary file was renamed away


def test_recorder_fills_in_the_chapter(tmp_path):
    path = tmp_path / "metrics.json"
    record = report.Recorder("first_network", path=path)
    record("test_accuracy", 0.98)
    assert report.read_metrics(path)["test_accuracy"]["chapter"] == "first_network"


def test_same_chapter_may_record_again_another_may_not(tmp_path):
    path = tmp_path / "metrics.json"
    report.record("n_test", 1, chapter="a", path=path)
    report.record("n_test", 2, chapter="a", path=path)  # a re-run of the same chapter
    assert report.read_metrics(path)["n_test"]["value"] == 2
    with pytest.raises(ValueError, match="already recorded by chapter 'a'"):
        report.record("n_test", 3, chapter="b", path=path)
    assert report.read_metrics(path)["n_test"] == {"value": 2, "chapter": "a"}


@pytest.mark.parametrize("name", ["two words", "1st", "", "n-train"])
def test_names_must_be_identifiers(tmp_path, name):
    with pytest.raises(ValueError, match="identifiers"):
        report.record(name, 1, chapter="a", path=tmp_path / "m.json")


@pytest.mark.parametrize("value", [[1, 2], np.zeros(3), None, 1 + 2j])
def test_values_must_be_scalars(tmp_path, value):
    with pytest.raises(ValueError, match="a number or a string"):
        report.record("x", value, chapter="a", path=tmp_path / "m.json")
    assert not (tmp_path / "m.json").exists()


def test_metrics_path_is_found_from_a_chapter_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(report.METRICS_ENV_VAR, raising=False)
    (tmp_path / "_toc.yml").write_text("root: book/preface\n")
    (tmp_path / "_config.yml").write_text("title: t\n")
    (tmp_path / "book").mkdir()
    assert report.metrics_path(tmp_path / "book") == tmp_path / "_build" / "metrics.json"
    monkeypatch.chdir(tmp_path / "book")
    report.record("found", 1, chapter="c")
    assert report.read_metrics(tmp_path / "_build" / "metrics.json")["found"]["value"] == 1


def test_metrics_path_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv(report.METRICS_ENV_VAR, str(tmp_path / "elsewhere.json"))
    assert report.metrics_path(tmp_path) == tmp_path / "elsewhere.json"


def test_outside_a_book_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.delenv(report.METRICS_ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    assert report.metrics_path() is None
    assert report.record("alone", 5, chapter="c") == 5
    assert list(tmp_path.iterdir()) == []


def test_read_metrics_without_a_build_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="make book"):
        report.read_metrics(tmp_path / "metrics.json")


def test_log_goes_to_stderr_outside_a_kernel(capsys):
    report.log("epoch 1/3 - loss 0.5\n")
    captured = capsys.readouterr()
    assert captured.err == "epoch 1/3 - loss 0.5\n"
    assert captured.out == ""


def test_log_in_a_kernel_goes_to_the_terminal_not_the_page(monkeypatch, tmp_path):
    """ipykernel's stderr (sent to the page) keeps a copy of the terminal's descriptor."""
    terminal = tmp_path / "terminal.log"

    class KernelStderr(io.StringIO):
        pass

    page = KernelStderr()
    with terminal.open("wb") as handle:
        page._original_stdstream_copy = handle.fileno()
        monkeypatch.setattr(sys, "stderr", page)
        report.log("epoch 2/3")
    assert terminal.read_text() == "epoch 2/3\n"
    assert page.getvalue() == ""
