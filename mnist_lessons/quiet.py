"""Import Keras (and TensorFlow) with their start-up chatter kept off the page.

TensorFlow's C++ core logs a few lines to the process' standard error while it loads and when
it first looks for GPUs ("Could not find cuda drivers ...", "oneDNN custom operations are on
..."). ``TF_CPP_MIN_LOG_LEVEL`` does not silence those written before logging is set up. In a
Jupyter kernel, ipykernel sends everything written to the standard-error file descriptor to the
notebook, so they would show on the page (and fail the book build, which treats stderr output as
an error). :func:`import_keras` points that descriptor at the kernel's terminal while TensorFlow
starts, so the lines go to the build log instead. Outside a kernel it changes nothing.

The package's Keras modules import Keras through :func:`import_keras`, so a chapter that
imports :mod:`mnist_lessons.models` or :mod:`mnist_lessons.training` before ``import keras`` gets
a quiet start; a chapter that needs Keras or TensorFlow alone writes
``keras = import_keras()`` before ``import tensorflow``.
"""

from __future__ import annotations

import contextlib
import os
import sys
from types import ModuleType

__all__ = ["import_keras", "stderr_to_terminal"]


@contextlib.contextmanager
def stderr_to_terminal():
    """Within the block, send file descriptor 2 to the kernel's terminal, if in a kernel."""
    terminal = getattr(sys.stderr, "_original_stdstream_copy", None)
    if not isinstance(terminal, int):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        os.dup2(terminal, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def import_keras() -> ModuleType:
    """Return the ``keras`` module, TensorFlow loaded and its devices listed, quietly."""
    with stderr_to_terminal():
        import keras
        import tensorflow as tf

        tf.config.list_physical_devices()  # the first device query logs the CUDA probe
    return keras
