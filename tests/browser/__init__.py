"""Helpers for the tests and benchmark that run the built site in Debian's Chromium.

Playwright for Python drives the system browser (``/usr/bin/chromium``, installed by
``.ci/run``); it never downloads one. The site is served by a local ``http.server``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless"]
WIDGET = ".mnist-widget"

# Console errors a page may log that the book cannot fix at its source, each matched exactly,
# with the reason beside it. None today: the theme's colour-mode message, Thebe's duplicated
# configuration and the missing favicon are fixed in mnist_lessons.site.sphinxext.
BENIGN_ERRORS: tuple[str, ...] = ()


def benign(message) -> bool:
    """True for a console message or page error that :data:`BENIGN_ERRORS` explains."""
    if isinstance(message, BaseException):
        return str(message) in BENIGN_ERRORS
    return message.text in BENIGN_ERRORS


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(folder: Path, handler_class=_QuietHandler):
    """Serve ``folder`` on 127.0.0.1 at a free port with ``handler_class``; yield the base URL."""
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


INSTALL_HINT = (
    "No Chromium for the browser tests: install Debian's (`sudo apt-get install chromium "
    "chromium-driver`, as .ci/run does) or Playwright's own "
    "(`.venv/bin/python -m playwright install chromium`), then run `make test` again."
)


def chromium_path() -> Path | None:
    """Debian's Chromium where it is installed, else None (Playwright's own is tried next)."""
    return CHROMIUM if CHROMIUM.is_file() else None


def launch(playwright):
    """Headless Chromium: Debian's at /usr/bin/chromium, else the one Playwright downloaded.

    Raises
    ------
    FileNotFoundError
        With one sentence naming the commands that install one, if neither is there.
    """
    from playwright.sync_api import Error

    path = chromium_path()
    if path is not None:
        return playwright.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)
    try:
        return playwright.chromium.launch(args=CHROMIUM_ARGS)
    except Error as error:
        if "Executable doesn't exist" in str(error):
            raise FileNotFoundError(INSTALL_HINT) from None
        raise


def wait_for_math(page, timeout: float = 30_000) -> None:
    """Wait until MathJax has typeset every formula of the page (none left in TeX form)."""
    if page.locator(".math").count():
        page.wait_for_function(
            "() => !document.querySelector('.math:not(:has(mjx-container))')", timeout=timeout
        )


def wait_for_model(page, timeout: float = 30_000) -> None:
    """Wait until the first widget of the page has loaded its network."""
    page.wait_for_function(
        f"() => {{ const r = document.querySelector('{WIDGET}');"
        " return !!(r && r.mnistWidget && r.mnistWidget.model); }",
        timeout=timeout,
    )


def draw(page, strokes, *, steps: int = 4) -> dict:
    """Clear the first widget, draw ``strokes`` with the mouse, return what it shows.

    Returns ``{"ink": [...], "image": [...] or None, "probabilities": [...] or None,
    "error": ..., "message": ...}`` from the widget's ``update()``.
    """
    root = page.locator(WIDGET).first
    root.locator(".mnist-widget-clear").click()
    canvas = root.locator(".mnist-widget-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    for stroke in strokes:
        x, y = stroke[0]
        page.mouse.move(box["x"] + x, box["y"] + y)
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x, box["y"] + y, steps=steps)
        page.mouse.up()
    return page.evaluate(
        f"""() => {{
        const w = document.querySelector('{WIDGET}').mnistWidget;
        const r = w.update();
        return {{
            ink: Array.from(w.ink()),
            image: r.image ? Array.from(r.image) : null,
            probabilities: r.probabilities ? Array.from(r.probabilities) : null,
            error: r.error || null,
            message: w.message.textContent,
        }};
    }}"""
    )


def js_probabilities(page, images) -> list[list[float]]:
    """The page's JavaScript MLP on each 784-pixel image (lists of floats)."""
    return page.evaluate(
        """async (images) => {
        const model = await window.MnistWidget.loadModel();
        return images.map((x) => Array.from(window.MnistWidget.predict(model, x)));
    }""",
        images,
    )
