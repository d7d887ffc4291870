"""Lighthouse on every chapter page of the built site, served with gzip, against the targets.

Targets (issue 14, goal 3), for each chapter page with Lighthouse's default mobile emulation
(a mid-range phone on a slow 4G connection, simulated): performance >= 90, accessibility 100,
best practices 100, SEO 100, Largest Contentful Paint <= 2.5 s, and the transfer size of the
page at load, figures included, at most 600 KB (median over the chapter pages).

The site (``_build/html``, or ``--site``) is served on 127.0.0.1 by a small static server that
gzips text (HTML, CSS, JavaScript, JSON, SVG), as any web host does. Lighthouse 12 (npm, pinned
in ``tests/bench/lighthouse/package-lock.json``; ``make bench`` runs ``npm ci`` there) runs
``--runs`` times per page in headless Chromium (``$CHROME_PATH``, else Debian's
``/usr/bin/chromium``, else Playwright's own); each figure is the median of the runs. The
table gives each page's medians, then the median over the pages and its ratio to the target
(a ratio >= 1 meets a score target, <= 1 meets the LCP and size targets).

A benchmark, not a test: it prints figures and exits 0 whatever they are.

Usage: python tests/bench/bench_lighthouse.py [--site DIR] [--pages NAME ...] [--runs N]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import ClassVar

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from browser import serve  # noqa: E402

RUNNER = Path(__file__).with_name("lighthouse") / "run.mjs"
LIGHTHOUSE = RUNNER.parent / "node_modules" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Each column: (title, how to read it from a report, target, True if the target is a minimum).
COLUMNS = (
    ("perf", lambda r: 100 * r["performance"], 90, True),
    ("a11y", lambda r: 100 * r["accessibility"], 100, True),
    ("best", lambda r: 100 * r["bestPractices"], 100, True),
    ("SEO", lambda r: 100 * r["seo"], 100, True),
    ("LCP s", lambda r: r["lcp"] / 1000, 2.5, False),
    ("kB", lambda r: r["bytes"] / 1000, 600, False),
)
# Pages of the site that are not chapters.
NOT_CHAPTERS = {"genindex.html", "search.html", "index.html", "py-modindex.html"}
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; text types are gzipped (once, then kept) for a client that accepts it."""

    cache: ClassVar[dict[Path, bytes]] = {}  # one per server (serve_gzip)

    def log_message(self, format, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        kind = self.guess_type(str(path))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and accepts and kind.startswith(GZIP_TYPES)):
            return super().send_head()
        body = self.cache.get(path)
        if body is None:
            body = self.cache[path] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return _Body(body)


class _Body:
    """The file-like object ``send_head`` returns: ``copyfile`` reads it, ``close`` ends it."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, size=-1):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def serve_gzip(folder: Path):
    """Serve ``folder`` with gzip on 127.0.0.1 at a free port; yield the base URL."""
    return serve(folder, type("Handler", (GzipHandler,), {"cache": {}}))


def chapter_pages(site: Path) -> list[str]:
    """The site's pages, as paths relative to ``site``: every HTML page but the index pages."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site)
        if relative.parts[0].startswith("_") or str(relative) in NOT_CHAPTERS:
            continue
        pages.append(relative.as_posix())
    return pages


def select(pages: list[str], names: list[str] | None) -> list[str]:
    """The pages named by ``--pages`` (``neuron``, ``neuron.html`` or ``book/neuron.html``)."""
    if not names:
        return pages
    chosen = []
    for name in names:
        stem = name.removesuffix(".html")
        matches = [p for p in pages if p.removesuffix(".html") in (stem, f"book/{stem}")]
        if not matches:
            sys.exit(f"No page {name!r} in the site; its pages are: {', '.join(pages)}.")
        chosen.extend(matches)
    return chosen


def find_chrome() -> str:
    """$CHROME_PATH, else Debian's Chromium, else Playwright's download; or exit saying how."""
    candidates = [os.environ.get("CHROME_PATH"), "/usr/bin/chromium"]
    with contextlib.suppress(Exception):
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            candidates.append(playwright.chromium.executable_path)
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    sys.exit(
        "No Chromium for Lighthouse: install Debian's (`sudo apt-get install chromium`) or "
        "Playwright's (`.venv/bin/python -m playwright install chromium`), or set CHROME_PATH."
    )


def lighthouse(urls: list[str], runs: int, chrome: str):
    """Lighthouse on each of ``urls``, ``runs`` times, in one Chromium: one result per run.

    Each result is a dict with the scores (0 to 1) of the four categories, ``lcp`` (ms),
    ``bytes`` (the transfer size at load) and ``benchmarkIndex`` (Lighthouse's measure of the
    machine's speed: its simulated throttling is only as steady as the machine is idle).
    """
    command = ["node", str(RUNNER), str(runs), *urls]
    env = {**os.environ, "CHROME_PATH": chrome}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) as process:
        for line in process.stdout:
            if line.startswith("{"):
                yield json.loads(line)
    if process.returncode:
        sys.exit(f"Lighthouse stopped with exit status {process.returncode} (see above).")


def figures(result: dict) -> list[float] | None:
    """The table's columns read from one run's result; None if Lighthouse could not score it."""
    try:
        return [read(result) for _, read, _, _ in COLUMNS]
    except TypeError:  # a category without a score (null): Lighthouse says why in its warnings
        return None


def table(rows: dict[str, list[float]]) -> str:
    """Each page's medians, the median over the pages, its ratio to target, and the verdict."""
    width = max(len(page) for page in [*rows, "median / target"])
    head = f"{'page':<{width}}" + "".join(f"{title:>8}" for title, *_ in COLUMNS)
    lines = [head, "-" * len(head)]
    for page, values in rows.items():
        lines.append(f"{page:<{width}}" + "".join(f"{v:>8.{_digits(v)}f}" for v in values))
    medians = [statistics.median(column) for column in zip(*rows.values(), strict=True)]
    ratios = [m / target for m, (_, _, target, _) in zip(medians, COLUMNS, strict=True)]
    meets = [
        (r >= 1) if minimum else (r <= 1)
        for r, (_, _, _, minimum) in zip(ratios, COLUMNS, strict=True)
    ]
    targets = [("≥" if c[3] else "≤") + f"{c[2]:g}" for c in COLUMNS]
    lines.append("-" * len(head))
    lines.append(f"{'median':<{width}}" + "".join(f"{m:>8.{_digits(m)}f}" for m in medians))
    lines.append(f"{'target':<{width}}" + "".join(f"{t:>8}" for t in targets))
    lines.append(f"{'median / target':<{width}}" + "".join(f"{r:>8.2f}" for r in ratios))
    lines.append(f"{'meets':<{width}}" + "".join(f"{'yes' if m else 'no':>8}" for m in meets))
    worst = [
        (min if minimum else max)(column)
        for column, (_, _, _, minimum) in zip(
            zip(*rows.values(), strict=True), COLUMNS, strict=True
        )
    ]
    lines.append(f"{'worst page':<{width}}" + "".join(f"{w:>8.{_digits(w)}f}" for w in worst))
    return "\n".join(lines)


def _digits(value: float) -> int:
    return 2 if abs(value) < 10 else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO / "_build" / "html")
    parser.add_argument("--pages", nargs="+", metavar="NAME", help="only these pages")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file() and not any(args.site.glob("*.html")):
        sys.exit(f"No site in {args.site}: build it first (make book).")
    if not (LIGHTHOUSE / "package.json").is_file():
        sys.exit("Lighthouse is not installed: run `npm ci --prefix tests/bench/lighthouse`.")
    pages = select(chapter_pages(args.site), args.pages)
    chrome = find_chrome()
    print(
        f"Lighthouse {_version()}, mobile emulation, {args.runs} run(s) per page, median; "
        f"{len(pages)} page(s) of {args.site} served with gzip; Chromium {chrome}",
        flush=True,
    )
    runs: dict[str, list[list[float]]] = {page: [] for page in pages}
    speeds = []
    start = time.perf_counter()
    with serve_gzip(args.site) as base:
        urls = {f"{base}/{page}": page for page in pages}
        for result in lighthouse(list(urls), args.runs, chrome):
            page = urls[result["url"]]
            values = figures(result)
            if result["runtimeError"] or values is None:
                why = result["runtimeError"] or "; ".join(result["warnings"]) or "no score"
                print(f"  {page}: a run without a result, left out ({why})", flush=True)
                continue
            runs[page].append(values)
            speeds.append(result["benchmarkIndex"])
            if len(runs[page]) == args.runs:
                print(f"  {page}: done ({time.perf_counter() - start:.0f} s)", flush=True)
    rows = {
        page: [statistics.median(column) for column in zip(*values, strict=True)]
        for page, values in runs.items()
        if values
    }
    if not rows:
        sys.exit("Lighthouse gave no result for any page.")
    print(table(rows))
    print(
        f"Lighthouse's benchmark index of this machine (median over runs): "
        f"{statistics.median(speeds):.0f} (Lighthouse calibrates its throttling for about "
        "1000 or more; on a busy or slow machine performance and LCP read worse)."
    )
    return 0


def _version() -> str:
    return json.loads((LIGHTHOUSE / "package.json").read_text())["version"]


if __name__ == "__main__":
    sys.exit(main())
