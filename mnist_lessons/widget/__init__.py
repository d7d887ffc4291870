"""The draw-a-digit widget: MNIST-like preprocessing, the model exported for the page, Jupyter.

- :mod:`~mnist_lessons.widget.preprocess`: crop, scale to 20x20, centre by centre of mass in
  28x28, as MNIST was made; ``explore/math/preprocess.js`` does the same steps in the browser.
- :mod:`~mnist_lessons.widget.export`: the trained MLP (470 KB) and CNN (200 KB) as float16
  files for the page.
- :mod:`~mnist_lessons.widget.notebook`: the same widget in Jupyter or Binder (ipycanvas).

Importing this package imports neither TensorFlow nor ipycanvas.
"""

from mnist_lessons.widget.export import (
    CNN_FILENAME,
    FILENAME,
    export_cnn,
    export_mlp,
    keras_cnn,
    keras_model,
    read_cnn,
    read_mlp,
    site_static_dir,
)
from mnist_lessons.widget.preprocess import (
    BOX,
    FIELD,
    MIN_EXTENT,
    TOO_SMALL,
    DrawingTooSmall,
    Steps,
    area_resize,
    center_of_mass,
    preprocess,
    preprocess_steps,
    render_strokes,
)

__all__ = [
    "BOX",
    "CNN_FILENAME",
    "FIELD",
    "FILENAME",
    "MIN_EXTENT",
    "TOO_SMALL",
    "DrawingTooSmall",
    "Steps",
    "area_resize",
    "center_of_mass",
    "export_cnn",
    "export_mlp",
    "keras_cnn",
    "keras_model",
    "preprocess",
    "preprocess_steps",
    "read_cnn",
    "read_mlp",
    "render_strokes",
    "site_static_dir",
]
