"""Light, fast pages (issue 14, goal 3): mnist_lessons.site.speed and the site it leaves.

Unit tests of the extension's helpers, then checks of the built site (_build/html, marker
``site``): no page loads FontAwesome's 1.5 MB script, and every icon a page names is in the
cut-down font it gets instead; MathJax only on pages with math; the search scripts and the
widget's script deferred, and the widget's files only on pages with a widget; one viewport tag
per page; icons hidden from screen readers; every content image lazy, decoded off the main
thread and sized; every PNG already as small as oxipng makes it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from mnist_lessons.site import speed

THEME_STATIC = (
    Path(__import__("pydata_sphinx_theme").__file__).parent
    / "theme"
    / "pydata_sphinx_theme"
    / "static"
)

# What the theme writes in every page's <head> (pydata-sphinx-theme 0.17, webpack-macros.html).
THEME_HEAD = """  <!-- So that users can add custom icons -->
  <script defer src="../_static/scripts/fontawesome.js?digest=55c26ed414f5f8a31ebb"></script>
  <!-- Pre-loaded scripts that we'll load fully later -->
  <link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=55c" />
    <script src="../_static/documentation_options.js?v=9eb32ce0"></script>
    <script src="../_static/searchtools.js"></script>
    <script src="../_static/language_data.js"></script>
    <script src="../searchindex.js"></script>
"""


def test_the_fontawesome_script_is_dropped_and_nothing_else():
    head = speed.remove_fontawesome_js(THEME_HEAD)
    assert "fontawesome" not in head
    assert "custom icons" not in head
    assert head == "".join(THEME_HEAD.splitlines(keepends=True)[2:])
    assert speed.remove_fontawesome_js(head) == head


def test_empty_icon_elements_are_hidden_from_screen_readers():
    page = (
        '<i class="fas fa-rocket"></i><span class="fa-solid fa-bars"> </span>'
        '<i class="fa-solid fa-sun fa-lg" data-mode="light" aria-hidden="true"></i>'
        '<i>emphasis</i><span class="fa-solid">x</span><i class="note"></i>'
    )
    hidden = speed.hide_icons(page)
    assert hidden == (
        '<i class="fas fa-rocket" aria-hidden="true"></i>'
        '<span class="fa-solid fa-bars" aria-hidden="true"> </span>'
        '<i class="fa-solid fa-sun fa-lg" data-mode="light" aria-hidden="true"></i>'
        '<i>emphasis</i><span class="fa-solid">x</span><i class="note"></i>'
    )
    assert speed.hide_icons(hidden) == hidden


def test_one_viewport_tag_is_left_the_first():
    # What Sphinx 8 and pydata-sphinx-theme 0.17 write: Sphinx's basic layout and docutils'
    # metatags on one line, the theme's extrahead block on a line of its own.
    head = (
        '<head>\n    <meta charset="utf-8" />\n'
        '    <meta name="viewport" content="width=device-width, initial-scale=1.0" />'
        '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
        '<meta content="A page." name="description" />\n'
        '    <link rel="prev" href="a.html" />\n'
        '  <meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
        '  <meta name="docsearch:language" content="en"/>\n</head>'
    )
    single = speed.single_viewport(head)
    assert single == (
        '<head>\n    <meta charset="utf-8" />\n'
        '    <meta name="viewport" content="width=device-width, initial-scale=1.0" />\n'
        '<meta content="A page." name="description" />\n'
        '    <link rel="prev" href="a.html" />\n'
        '  <meta name="docsearch:language" content="en"/>\n</head>'
    )
    assert speed.single_viewport(single) == single
    no_viewport = '<meta charset="utf-8"><meta name="description" content="x">'
    assert speed.single_viewport(no_viewport) == no_viewport
    assert speed.single_viewport("<meta content='w' NAME='Viewport'><meta name=viewport>") == (
        "<meta content='w' NAME='Viewport'>"
    )


def test_the_search_scripts_are_deferred_once_and_others_left():
    head = speed.defer_scripts(THEME_HEAD)
    for name in ("searchtools.js", "language_data.js", "searchindex.js"):
        assert re.search(rf'<script src="[^"]*{name}" defer>', head), name
    assert '<script src="../_static/documentation_options.js?v=9eb32ce0"></script>' in head
    assert speed.defer_scripts(head) == head
    assert speed.defer_scripts('<script async src="searchindex.js">') == (
        '<script async src="searchindex.js">'
    )
    assert speed.defer_scripts('<script src="x.js?v=1">', ["x.js"]) == (
        '<script src="x.js?v=1" defer>'
    )


def test_content_images_get_lazy_loading_and_their_size():
    page = (
        '<img alt="Binder logo" src="../_static/images/logo_binder.svg">\n'
        '<img alt="A bar chart" class="only-light" src="../_images/a.png" />\n'
        '<img alt="The same, dark" class="only-dark" src="../_images/a-dark.png"/>\n'
        '<img src="../_images/b.png" width="40%">\n'
        '<img src="../_images/gone.png">'
    )
    sizes = {"../_images/a.png": (640, 480), "../_images/a-dark.png": (640, 480)}
    new = speed.lazy_images(page, sizes.get)
    images = BeautifulSoup(new, "html.parser").find_all("img")
    assert images[0].attrs == {"alt": "Binder logo", "src": "../_static/images/logo_binder.svg"}
    for image in images[1:3]:  # both colour variants: the hidden one is then never fetched
        assert image["loading"] == "lazy" and image["decoding"] == "async"
        assert (image["width"], image["height"]) == ("640", "480")
    assert images[1]["alt"] == "A bar chart" and images[1]["class"] == ["only-light"]
    assert images[3]["width"] == "40%" and not images[3].has_attr("height")
    assert images[4]["loading"] == "lazy" and not images[4].has_attr("width")
    assert new.count("/>") == 2
    assert speed.lazy_images(new, sizes.get) == new


def test_image_size_reads_the_header(tmp_path):
    Image.new("RGB", (37, 21)).save(tmp_path / "x.png")
    assert speed.image_size(tmp_path / "x.png") == (37, 21)
    (tmp_path / "bad.png").write_bytes(b"not a png")
    assert speed.image_size(tmp_path / "bad.png") is None


def test_icon_glyphs_are_read_from_the_style_sheets():
    css = (
        '.fa-house:before,.fa-home:before{content:"\\f015"}.fa-bars:before{content:"\\f0c9"}'
        'html{--pst-icon-bell:"\uf0f3";--pst-icon-note:var(--pst-icon-bell)}'
        '.onthispage:after{content:"\\f107";font-family:Font Awesome\\ 6 Free}'
        '.x:before{content:"\\201c"}'
    )
    assert speed.icon_codepoints(css) == {"fa-house": 0xF015, "fa-home": 0xF015, "fa-bars": 0xF0C9}
    assert speed.css_codepoints(css) == {0xF0F3, 0xF107}
    pages = ['<i class="fa-solid fa-bars fa-lg"></i>', 'x.classList.add("fa-xmark")']
    assert speed.used_icons(pages) == {"fa-solid", "fa-bars", "fa-lg", "fa-xmark"}


def test_the_theme_css_maps_the_icons_the_theme_uses():
    css = (THEME_STATIC / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    icons = speed.icon_codepoints(css)
    assert icons["fa-magnifying-glass"] == icons["fa-search"] == 0xF002
    assert icons["fa-circle-half-stroke"] == 0xF042
    assert len(icons) > 2000
    assert {0xF05A, 0xF0EB, 0xF303} <= speed.css_codepoints(css)  # admonition title icons


def test_a_font_cut_to_a_few_glyphs_keeps_exactly_those(tmp_path):
    from fontTools.ttLib import TTFont

    for name in ("fa-solid-900.woff2", "fa-solid-900.ttf"):
        original = THEME_STATIC / "vendor" / "fontawesome" / "webfonts" / name
        font = tmp_path / name
        font.write_bytes(original.read_bytes())
        speed.subset_font(font, {0xF002, 0xF062})
        with TTFont(font) as cut:
            assert set(cut.getBestCmap()) == {0xF002, 0xF062}
            assert cut.flavor == ("woff2" if name.endswith("woff2") else None)
        assert font.stat().st_size < original.stat().st_size / 20


def test_png_optimisation_is_lossless_and_smaller(tmp_path):
    rng = np.random.default_rng(0)
    pixels = np.zeros((120, 160, 3), np.uint8)
    pixels[20:100, 30:130] = rng.integers(0, 4, (80, 100, 1)) * 60  # a few flat colours
    path = tmp_path / "figure.png"
    Image.fromarray(pixels).save(path, compress_level=1)
    before, after = speed.optimise_png(path)
    assert before == len(_png(pixels, 1)) and after == path.stat().st_size < before
    with Image.open(path) as png:
        np.testing.assert_array_equal(np.asarray(png.convert("RGB")), pixels)
    assert speed.optimise_png(path) == (after, after)  # a second pass finds nothing more


def _png(pixels, level) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="png", compress_level=level)
    return buffer.getvalue()


# The built site ------------------------------------------------------------------------------


def _site_pages():
    from test_site import HTML

    if not HTML.is_dir():
        return []
    return sorted(p for p in HTML.rglob("*.html") if not p.relative_to(HTML).parts[0][0] == "_")


def _id(path: Path) -> str:
    return path.name if path.parent.name != "book" else f"book/{path.name}"


SITE_PAGES = _site_pages()


@pytest.fixture(scope="module")
def html():
    from test_site import HTML

    if not (HTML / "index.html").is_file():
        pytest.fail("No built site in _build/html: run `make book` (or `make test`) first.")
    return HTML


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _script_sources(soup: BeautifulSoup) -> dict[str, dict]:
    return {tag["src"].split("?")[0]: tag.attrs for tag in soup.find_all("script", src=True)}


@pytest.mark.site
@pytest.mark.parametrize("path", SITE_PAGES, ids=_id)
def test_a_page_loads_what_it_needs_and_no_more(html, path):
    soup = _soup(path)
    scripts = _script_sources(soup)
    assert len(soup.find_all("meta", attrs={"name": "viewport"})) == 1, "one viewport tag"
    # FontAwesome's script hid the icons it drew; the font's glyphs are hidden in the HTML.
    icons = [
        tag
        for tag in soup.find_all(["i", "span"], class_=re.compile(r"^fa-[a-z]"))
        if not tag.get_text(strip=True)
    ]
    assert all(tag.get("aria-hidden") == "true" for tag in icons), "an icon read out"
    assert not [src for src in scripts if "fontawesome" in src], "FontAwesome's 1.5 MB script"
    # Sphinx's search scripts and the widget's script never hold up the first paint.
    for src, attributes in scripts.items():
        if src.endswith(("searchtools.js", "language_data.js", "searchindex.js", "widget.js")):
            assert "defer" in attributes or "async" in attributes, f"{src} blocks rendering"
    has_math = soup.select_one(".math, mjx-container") is not None
    loads_mathjax = any("mathjax" in src for src in scripts)
    assert loads_mathjax == has_math, "MathJax on a page without math, or missing"
    has_widget = soup.select_one("div.mnist-widget") is not None
    assert any(src.endswith("mnist_widget.js") for src in scripts) == has_widget
    styles = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assert any("mnist_widget.css" in href for href in styles) == has_widget
    # Explorables: their framework only where one is placed, as a module (never render-blocking);
    # each explorable's own script and data are fetched by boot.js when the reader nears it.
    has_explorable = soup.select_one("div.explorable[data-explorable]") is not None
    boot = [src for src in scripts if src.endswith("explore/boot.js")]
    assert bool(boot) == has_explorable, "the explorables' boot.js where there is none, or missing"
    assert all(scripts[src].get("type") == "module" for src in boot)
    assert any("explore/explore.css" in href for href in styles) == has_explorable
    assert not [
        src for src in scripts if "/explore/explorables/" in src or "/explore/data/" in src
    ]


@pytest.mark.site
def test_mathjax_is_where_the_math_is(html):
    """The glossary writes formulas; the bibliography writes none."""
    glossary = _script_sources(_soup(html / "book" / "glossary.html"))
    bibliography = _script_sources(_soup(html / "book" / "bibliography.html"))
    assert any("mathjax" in src for src in glossary)
    assert not any("mathjax" in src for src in bibliography)


@pytest.mark.site
def test_every_icon_a_page_names_is_in_the_font_it_gets(html):
    from fontTools.ttLib import TTFont

    static = html / "_static"
    css = "".join(p.read_text(encoding="utf-8") for p in speed._site_files(static, ".css"))
    icons = speed.icon_codepoints(css)
    pages = [p.read_text(encoding="utf-8") for p in SITE_PAGES]
    named = {icons[name] for name in speed.used_icons(pages) if name in icons}
    assert len(named) >= 10, "the theme's icons are not found in the pages"
    glyphs = set()
    for font in (static / "vendor" / "fontawesome" / "webfonts").glob("*.woff2"):
        with TTFont(font) as cut:
            glyphs |= set(cut.getBestCmap())
        assert font.stat().st_size < 20_000, f"{font.name} was not cut down"
    assert named | speed.css_codepoints(css) <= glyphs


@pytest.mark.site
@pytest.mark.parametrize("path", SITE_PAGES, ids=_id)
def test_every_content_image_is_lazy_and_sized(html, path):
    for image in _soup(path).find_all("img"):
        if "_images/" not in image["src"]:
            continue
        assert image.get("loading") == "lazy" and image.get("decoding") == "async", image
        assert image.get("width", "").isdigit() and image.get("height", "").isdigit(), image
        width, height = int(image["width"]), int(image["height"])
        with Image.open(path.parent / image["src"]) as png:
            assert abs(width / height - png.width / png.height) < 0.01 * width / height, image


@pytest.mark.site
def test_every_png_is_already_as_small_as_oxipng_makes_it(html):
    import oxipng

    pngs = sorted((html / "_images").glob("*.png"))
    for path in pngs:
        data = path.read_bytes()
        # Level 0 is oxipng's quickest: it takes a third off a PNG that matplotlib wrote.
        again = oxipng.optimize_from_memory(data, level=0)
        assert len(again) >= 0.99 * len(data), f"{path.name} was not optimised"


# The Lighthouse benchmark's own parts ---------------------------------------------------------


def _bench():
    import importlib.util

    path = Path(__file__).parent / "bench" / "bench_lighthouse.py"
    spec = importlib.util.spec_from_file_location("bench_lighthouse", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_bench_server_gzips_text_and_nothing_else(tmp_path):
    import gzip
    import urllib.request

    bench = _bench()
    (tmp_path / "book").mkdir()
    page = "<p>" + "a figure " * 500 + "</p>"
    (tmp_path / "book" / "neuron.html").write_text(page)
    (tmp_path / "x.png").write_bytes(b"\x89PNG" + bytes(100))
    with bench.serve_gzip(tmp_path) as base:
        request = urllib.request.Request(
            f"{base}/book/neuron.html", headers={"Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            body = response.read()
        assert gzip.decompress(body).decode() == page and len(body) < len(page) / 10
        with urllib.request.urlopen(f"{base}/book/neuron.html") as response:
            assert (
                response.headers["Content-Encoding"] is None and response.read() == page.encode()
            )
        request = urllib.request.Request(f"{base}/x.png", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] is None
            assert response.read() == b"\x89PNG" + bytes(100)


def test_the_bench_finds_the_pages_and_reports_against_the_targets(tmp_path):
    bench = _bench()
    for name in ("index.html", "genindex.html", "search.html", "book/neuron.html", "book/a.html"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("<p>x</p>")
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "x.html").write_text("<p>x</p>")
    pages = bench.chapter_pages(tmp_path)
    assert pages == ["book/a.html", "book/neuron.html"]
    assert bench.select(pages, ["neuron"]) == ["book/neuron.html"]
    assert bench.select(pages, None) == pages
    with pytest.raises(SystemExit, match="No page 'nope'"):
        bench.select(pages, ["nope"])
    rows = {
        "book/a.html": [95, 100, 100, 100, 2.0, 500],
        "book/b.html": [85, 96, 100, 100, 3, 700],
    }
    table = bench.table(rows).splitlines()
    median = next(line for line in table if line.startswith("median "))
    ratio = next(line for line in table if line.startswith("median / target"))
    meets = next(line for line in table if line.startswith("meets"))
    assert median.split()[1:] == ["90", "98", "100", "100", "2.50", "600"]
    assert ratio.split()[3:] == ["1.00", "0.98", "1.00", "1.00", "1.00", "1.00"]
    assert meets.split()[1:] == ["yes", "no", "yes", "yes", "yes", "yes"]
