"""Code for the textbook *Neural Networks Explained with MNIST*.

The modules mirror the book's chapters:

- :mod:`mnist_lessons.data` loads, checks and prepares MNIST (NumPy only);
- :mod:`mnist_lessons.idx` reads the IDX file format MNIST is distributed in;
- :mod:`mnist_lessons.plotting` draws the book's figures;
- :mod:`mnist_lessons.report` glues numbers into the prose and records them for benchmarks.

Importing the package imports no TensorFlow, so ``import mnist_lessons`` stays fast.
"""

__version__ = "0.1.0"
