"""A Sphinx extension that makes the book's pages light and fast to load.

Listed in ``_config.yml`` (``sphinx.extra_extensions``), after ``mnist_lessons.site.sphinxext``.
As each page is written (``html-page-context``), it keeps **MathJax** (1 MB of script, and its
fonts) off pages without math of their own: Sphinx also adds it to a page whose toctree includes
a page with math, such as the book's root page. Once the HTML build has succeeded, it goes over
the written site (``build-finished``):

- **FontAwesome:** drops the theme's ``fontawesome.js`` (1.5 MB, FontAwesome's SVG framework,
  which pydata-sphinx-theme's ``layout.html`` loads on every page through its
  ``webpack-macros.html``) and cuts FontAwesome's web fonts, which the theme's CSS already
  declares for its ``fa-*`` classes and its own icons (admonition titles, breadcrumbs, external
  links), down to the glyphs the site uses: the icons named by a ``fa-*`` class in a page or a
  script of the site, and every icon the site's style sheets name by code point. The icons look
  as before, drawn from the font instead of by JavaScript; nothing else loads. An empty icon
  element (``<i class="fa-solid fa-rocket"></i>``) gets ``aria-hidden="true"``, as the script
  gave the SVG it drew, so that a screen reader does not read out the font's glyph;
- **Scripts:** gives Sphinx's search scripts (``searchtools.js``, ``language_data.js``,
  ``searchindex.js``), which the theme puts in every page's ``<head>``, the ``defer`` attribute:
  they no longer hold up the first paint, and still run in the same order before the page's
  ``DOMContentLoaded``;
- **Figures:** gives every content image (``<img>`` from ``_images/``) ``loading="lazy"``,
  ``decoding="async"`` and its pixel ``width`` and ``height``, so the page keeps its layout while
  figures arrive (``static/speed.css`` scales them with ``height: auto``), and a figure that is
  not shown, such as the dark-mode variant in light mode, is not downloaded;
- **PNGs:** compresses every PNG in ``_images/`` losslessly with oxipng (level 2); the pixels
  are unchanged;
- **One viewport tag:** keeps the first ``<meta name="viewport">`` of each page and drops the
  others: Sphinx's ``basic/layout.html``, docutils' HTML writer (through ``metatags``) and
  pydata-sphinx-theme's ``layout.html`` (its ``extrahead`` block) each write one.

Every step is idempotent: an incremental build that rewrites some pages gets the same site.
"""

from __future__ import annotations

import html
import io
import os
import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
OXIPNG_LEVEL = 2

# The theme's script tag for FontAwesome's SVG framework, with its comment.
_FONTAWESOME_JS = re.compile(
    r"[ \t]*(?:<!-- So that users can add custom icons -->\s*)?"
    r'<script[^>]*\bsrc="[^"]*/fontawesome\.js(?:\?[^"]*)?"[^>]*>\s*</script>[ \t]*\n?'
)
# Sphinx's search scripts, which the theme loads in every page's <head> without defer.
_DEFERRED = ("searchtools.js", "language_data.js", "searchindex.js")
_SCRIPT = re.compile(r"<script\b([^>]*)>")
_IMG = re.compile(r"<img\b([^>]*?)\s*(/?)>")
# An empty icon element: <i class="fas fa-rocket"></i>, <span class="fa-solid fa-bars"></span>.
_ICON_ELEMENT = re.compile(r"<(i|span)\b([^>]*)>(\s*</\1>)")
_META = re.compile(r"(^[ \t]*)?<meta\b([^>]*)>(?(1)[ \t]*\n)", re.MULTILINE)
_ATTRIBUTE = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*("[^"]*"|\'[^\']*\'|[^\s"\'>]+))?')
# A FontAwesome icon class; the style classes (fa-solid, ...) and sizes (fa-lg) are no icons,
# but looking them up finds nothing, so they need no list.
_ICON_CLASS = re.compile(r"\bfa-[a-z0-9]+(?:-[a-z0-9]+)*\b")
# The theme's CSS names each icon class's glyph: .fa-house:before,.fa-home:before{content:"\f015"}
# (a glyph is written as a CSS escape or, minified, as the character itself).
_GLYPH = r'"(\\[0-9a-fA-F]{4,5}|[\ue000-\uf8ff])"'
_ICON_RULE = re.compile(r"((?:\.fa-[a-z0-9-]+:{1,2}before,?)+)\{content:" + _GLYPH + r"\}")
# A glyph in FontAwesome's private-use range (U+E000 to U+F8FF), in a CSS string.
_CSS_CODEPOINT = re.compile(r'"(\\[eEfF][0-9a-fA-F]{3}|[\ue000-\uf8ff])"')


def _codepoint(glyph: str) -> int:
    return int(glyph[1:], 16) if glyph.startswith("\\") else ord(glyph)


def remove_fontawesome_js(page: str) -> str:
    """``page`` without the theme's ``<script>`` for FontAwesome's SVG framework."""
    return _FONTAWESOME_JS.sub("", page)


def hide_icons(page: str) -> str:
    """``page`` with ``aria-hidden="true"`` on each empty FontAwesome icon element lacking it."""

    def hide(match: re.Match) -> str:
        attributes = dict(_attributes(match.group(2)))
        if "aria-hidden" in attributes or not _ICON_CLASS.search(attributes.get("class", "")):
            return match.group(0)
        return f'<{match.group(1)}{match.group(2)} aria-hidden="true">{match.group(3)}'

    return _ICON_ELEMENT.sub(hide, page)


def single_viewport(page: str) -> str:
    """``page`` with its first ``<meta name="viewport">`` only (a line left empty goes too)."""
    seen = False

    def keep_first(match: re.Match) -> str:
        nonlocal seen
        if dict(_attributes(match.group(2))).get("name", "").lower() != "viewport":
            return match.group(0)
        if not seen:
            seen = True
            return match.group(0)
        return ""

    return _META.sub(keep_first, page)


def defer_scripts(page: str, names: Iterable[str] = _DEFERRED) -> str:
    """``page`` with ``defer`` on each external script named in ``names`` that lacks it."""
    names = tuple(names)

    def defer(match: re.Match) -> str:
        attributes = dict(_attributes(match.group(1)))
        src = attributes.get("src", "").split("?")[0]
        if not src.endswith(names) or "defer" in attributes or "async" in attributes:
            return match.group(0)
        return f"<script{match.group(1)} defer>"

    return _SCRIPT.sub(defer, page)


def lazy_images(page: str, size_of: Callable[[str], tuple[int, int] | None]) -> str:
    """``page`` with lazy, async-decoded content images that carry their pixel size.

    ``size_of(src)`` gives the (width, height) of the image at ``src`` (the attribute's value),
    or None for an image that is not a content image (not in ``_images/``) or has no known
    size; such an image is left as it is. Attributes already there are kept.
    """

    def rewrite(match: re.Match) -> str:
        attributes = dict(_attributes(match.group(1)))
        src = attributes.get("src")
        if src is None or "_images/" not in src:
            return match.group(0)
        added = {"loading": "lazy", "decoding": "async"}
        size = size_of(html.unescape(src))
        if size is not None and "width" not in attributes and "height" not in attributes:
            added.update(width=str(size[0]), height=str(size[1]))
        extra = "".join(f' {k}="{v}"' for k, v in added.items() if k not in attributes)
        if not extra:
            return match.group(0)
        close = " /" if match.group(2) else ""
        return f"<img{match.group(1)}{extra}{close}>"

    return _IMG.sub(rewrite, page)


def _attributes(text: str) -> Iterable[tuple[str, str]]:
    for match in _ATTRIBUTE.finditer(text):
        value = match.group(2) or ""
        if value[:1] in "\"'":
            value = value[1:-1]
        yield match.group(1).lower(), value


def image_size(path: Path) -> tuple[int, int] | None:
    """The pixel (width, height) of a raster image, read from its header; None if unreadable."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, UnidentifiedImageError):
        return None


def icon_codepoints(css: str) -> dict[str, int]:
    """FontAwesome's icon classes and their glyphs, read from the rules of a style sheet."""
    icons = {}
    for match in _ICON_RULE.finditer(css):
        for name in re.findall(r"\.(fa-[a-z0-9-]+):", match.group(1)):
            icons[name] = _codepoint(match.group(2))
    return icons


def css_codepoints(css: str) -> set[int]:
    """The FontAwesome glyphs a style sheet uses itself: in ``content`` or custom properties.

    The rules that map each ``fa-*`` class to its glyph are left out: a class counts only where
    a page or a script uses it.
    """
    return {_codepoint(c) for c in _CSS_CODEPOINT.findall(_ICON_RULE.sub("", css))}


def used_icons(texts: Iterable[str]) -> set[str]:
    """The ``fa-*`` class names that occur in ``texts`` (pages, scripts)."""
    return {name for text in texts for name in _ICON_CLASS.findall(text)}


def subset_font(path: Path, codepoints: set[int]) -> None:
    """Rewrite the font at ``path`` (``.woff2``, ``.woff``, ``.ttf``) with only ``codepoints``."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = {".woff2": "woff2", ".woff": "woff"}.get(path.suffix)
    options.layout_features = []  # FontAwesome's ligatures (icon names as text) are not used
    options.name_IDs = ["*"]  # keep the licence and copyright notices
    options.notdef_outline = True
    with subset.load_font(io.BytesIO(path.read_bytes()), options) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codepoints))
        subsetter.subset(font)
        subset.save_font(font, str(path), options)


def optimise_png(path: Path, level: int = OXIPNG_LEVEL) -> tuple[int, int]:
    """Compress the PNG at ``path`` losslessly in place; its sizes in bytes before and after."""
    import oxipng

    data = path.read_bytes()
    smaller = oxipng.optimize_from_memory(data, level=level)
    if len(smaller) < len(data):
        path.write_bytes(smaller)
        return len(data), len(smaller)
    return len(data), len(data)


def _speed_up_pages(outdir: Path) -> None:
    pages = sorted(
        p for p in outdir.rglob("*.html") if not p.relative_to(outdir).parts[0] == "_static"
    )
    sizes: dict[Path, tuple[int, int] | None] = {}
    for page in pages:

        def size_of(src: str, page=page) -> tuple[int, int] | None:
            path = (page.parent / src.split("?")[0].split("#")[0]).resolve()
            if path not in sizes:
                sizes[path] = image_size(path) if path.is_file() else None
            return sizes[path]

        text = page.read_text(encoding="utf-8")
        new = remove_fontawesome_js(text)
        new = hide_icons(single_viewport(defer_scripts(new)))
        new = lazy_images(new, size_of)
        if new != text:
            page.write_text(new, encoding="utf-8")


def _subset_fontawesome(outdir: Path) -> int:
    webfonts = outdir / "_static" / "vendor" / "fontawesome" / "webfonts"
    if not webfonts.is_dir():
        return 0
    static = outdir / "_static"
    styles = [p.read_text(encoding="utf-8", errors="replace") for p in _site_files(static, ".css")]
    scripts = [
        p.read_text(encoding="utf-8", errors="replace")
        for p in _site_files(static, ".js")
        if p.name != "fontawesome.js"
    ]
    pages = [p.read_text(encoding="utf-8") for p in outdir.rglob("*.html")]
    icons: dict[str, int] = {}
    codepoints: set[int] = set()
    for css in styles:
        icons.update(icon_codepoints(css))
        codepoints |= css_codepoints(css)
    names = used_icons([*pages, *scripts])
    codepoints |= {icons[name] for name in names if name in icons}
    for font in sorted(webfonts.iterdir()):
        if font.suffix in (".woff2", ".woff", ".ttf"):
            subset_font(font, codepoints)
    return len(codepoints)


def _site_files(static: Path, suffix: str) -> list[Path]:
    """The site's own style sheets or scripts: not MathJax's hundreds of files."""
    return sorted(
        p for p in static.rglob(f"*{suffix}") if "mathjax" not in p.relative_to(static).parts
    )


def _optimise_pngs(outdir: Path) -> tuple[int, int]:
    paths = sorted((outdir / "_images").glob("*.png"))
    # oxipng runs outside Python's lock: one image per core.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        sizes = list(pool.map(optimise_png, paths))
    return sum(old for old, _ in sizes), sum(new for _, new in sizes)


def _mathjax_only_with_math(app, pagename, templatename, context, doctree) -> None:
    """Drop MathJax from a page without math of its own.

    Sphinx adds MathJax to a page with math and to a page whose toctree includes one: the book's
    root page (the preface) lists every chapter in its (hidden) toctree, so it loaded MathJax
    without a formula on it.
    """
    if getattr(app.builder, "math_renderer_name", None) != "mathjax":
        return
    if app.env.get_domain("math").data["has_equations"].get(pagename, False):
        return
    if "script_files" in context:
        context["script_files"] = [
            js for js in context["script_files"] if not _is_mathjax(app, js)
        ]


def _is_mathjax(app, asset) -> bool:
    filename = str(getattr(asset, "filename", asset) or "")
    body = getattr(asset, "attributes", {}).get("body", "") or ""
    path = app.config.mathjax_path  # the builder puts a relative path under _static/
    return filename in (path, f"_static/{path}") or body.startswith("window.MathJax = ")


def _add_static_folder(app, config) -> None:
    if str(STATIC) not in map(str, config.html_static_path):
        config.html_static_path = [*config.html_static_path, str(STATIC)]


def _speed_up_site(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    start = time.perf_counter()
    glyphs = _subset_fontawesome(outdir)
    _speed_up_pages(outdir)
    before, after = _optimise_pngs(outdir)
    saved = f", PNGs {before / 1e3:.0f} -> {after / 1e3:.0f} kB" if before else ""
    logger.info(
        f"speed: FontAwesome cut to {glyphs} glyphs{saved} ({time.perf_counter() - start:.1f} s)"
    )


def setup(app):
    app.connect("config-inited", _add_static_folder)
    app.add_css_file("speed.css")
    # After sphinx.ext.mathjax's handler (priority 500), which adds MathJax to the page.
    app.connect("html-page-context", _mathjax_only_with_math, priority=600)
    # After the other extensions' build-finished handlers (copies into the site come first).
    app.connect("build-finished", _speed_up_site, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
