"""TensorFlow's start-up lines go to the kernel's terminal (the build log), not to the page."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from mnist_lessons.quiet import stderr_to_terminal


class KernelStderr(io.StringIO):
    """Stands in for ipykernel's sys.stderr, which keeps the terminal's descriptor."""


def test_descriptor_2_goes_to_the_terminal_inside_the_block(monkeypatch, tmp_path, capfd):
    terminal = tmp_path / "terminal.log"
    with terminal.open("wb") as handle:
        page = KernelStderr()
        page._original_stdstream_copy = handle.fileno()
        monkeypatch.setattr(sys, "stderr", page)
        with stderr_to_terminal():
            os.write(2, b"I0000 cudart_stub.cc: Could not find cuda drivers\n")
        os.write(2, b"after the block\n")
    assert terminal.read_text() == "I0000 cudart_stub.cc: Could not find cuda drivers\n"
    assert capfd.readouterr().err == "after the block\n"  # descriptor 2 was put back


def test_outside_a_kernel_nothing_is_redirected(capfd):
    with stderr_to_terminal():
        os.write(2, b"plain python\n")
    assert capfd.readouterr().err == "plain python\n"


def test_importing_the_models_in_a_kernel_writes_nothing_to_the_page(tmp_path):
    """A fresh interpreter whose stderr acts like ipykernel's: the page stays clean."""
    script = f"""
import io, os, sys
terminal = open({str(tmp_path / "terminal.log")!r}, "wb")
page = io.StringIO()
page._original_stdstream_copy = terminal.fileno()
sys.stderr = page
import mnist_lessons.models
sys.stderr = sys.__stderr__
print(repr(page.getvalue()))
"""
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == "''"
    assert result.stderr == "", f"TensorFlow wrote past the redirect: {result.stderr!r}"
