"""The book's figures, one submodule per group of chapters; every function is re-exported here.

Matplotlib only, no TensorFlow. One-panel functions take ``ax=None`` (a new figure) and return
the Axes; several-panel ones return the Figure. Nothing is shown or closed here.

- :mod:`~mnist_lessons.plotting.chapters`: the preface's map of the chapters.
- :mod:`~mnist_lessons.plotting.digits`: the data (digits, pixel maps, one-hot vectors, ...).
- :mod:`~mnist_lessons.plotting.diagrams`: drawings of a neuron and of a layered network.
- :mod:`~mnist_lessons.plotting.neurons`: activations, decision regions, weight images, outputs.
- :mod:`~mnist_lessons.plotting.losses`: loss curves and the constant that minimises each loss.
- :mod:`~mnist_lessons.plotting.learning`: gradient descent paths, loss surfaces, gradient checks.
- :mod:`~mnist_lessons.plotting.evaluation`: learning curves, confusion matrices, mistakes.
- :mod:`~mnist_lessons.plotting.other_digits`: two test sets side by side, what differs.
"""

from mnist_lessons.plotting.activations import *  # noqa: F403
from mnist_lessons.plotting.chapters import *  # noqa: F403
from mnist_lessons.plotting.diagrams import *  # noqa: F403
from mnist_lessons.plotting.digits import *  # noqa: F403
from mnist_lessons.plotting.evaluation import *  # noqa: F403
from mnist_lessons.plotting.learning import *  # noqa: F403
from mnist_lessons.plotting.losses import *  # noqa: F403
from mnist_lessons.plotting.networks import *  # noqa: F403
from mnist_lessons.plotting.neurons import *  # noqa: F403
from mnist_lessons.plotting.optimizers import *  # noqa: F403
from mnist_lessons.plotting.other_digits import *  # noqa: F403
from mnist_lessons.plotting.output import *  # noqa: F403
from mnist_lessons.plotting.output import _register_formatter

_register_formatter()  # in a Jupyter kernel, figures carry their alt text and a dark variant
