"""The book's myst-nb renderer: figures get their alt text and a dark-mode variant.

Registered as the myst-nb render plugin ``mnist_lessons`` (``pyproject.toml``'s entry point
``myst_nb.renderers``, selected by ``nb_render_plugin`` in ``_config.yml``). For a PNG output
that :mod:`mnist_lessons.plotting.output` made, it reads the output's metadata:

- ``alt``: becomes the image's ``alt`` text (myst-nb itself only passes width and height on);
- ``dark``: in HTML, a second image with the class ``only-dark``, beside the first, now
  ``only-light``, the two in one ``figure-variants`` box; the theme shows one of the two by the
  reader's colour mode. Other builders
  (LaTeX) get the light image alone.
"""

from __future__ import annotations

import hashlib
from binascii import a2b_base64

from docutils import nodes
from myst_nb.core.render import MimeData, NbElementRenderer


class BookRenderer(NbElementRenderer):
    """myst-nb's renderer, with alt text and dark variants for the book's figures."""

    def _builder_format(self) -> str | None:
        env = getattr(self.renderer, "sphinx_env", None)
        builder = getattr(getattr(env, "app", None), "builder", None)
        return getattr(builder, "format", None)

    def render_image(self, data: MimeData) -> list[nodes.Element]:
        rendered = super().render_image(data)
        if data.mime_type != "image/png" or len(rendered) != 1:
            return rendered
        figure = data.output_metadata.get(data.mime_type, {})
        (image,) = rendered
        if figure.get("alt"):
            image["alt"] = str(figure["alt"])
        dark = figure.get("dark")
        if not dark or self._builder_format() != "html":
            return rendered
        png = a2b_base64(dark)
        uri = self.write_file(
            [f"{hashlib.sha256(png).hexdigest()}.png"], png, overwrite=False, exists_ok=True
        )
        image["classes"] = [*image.get("classes", []), "only-light"]
        dark_image = nodes.image(uri=uri, classes=["only-dark"])
        if image.get("alt"):
            dark_image["alt"] = image["alt"]
        # Both in one box: the theme hides a caption that follows an .only-dark image directly
        # (".only-dark ~ figcaption"), which would hide the figure's caption in light mode.
        return [nodes.container("", image, dark_image, classes=["figure-variants"])]
