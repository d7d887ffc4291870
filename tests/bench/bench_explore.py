"""Every explorable against its targets: update time in Chromium, and bytes each page loads for it.

Targets (issue 15): an update (one render after a control changes) under 50 ms on this machine's
Chromium; an explorable's data at most 300 KB, or 600 KB for one that runs a trained network in
the page (its ``explorable(..., limit_kb=)``). The built site (``_build/html``, or ``--site``) is
served on 127.0.0.1; for each explorable the page is opened, scrolled to it, and every slider is
stepped with the arrow keys ``--steps`` times each way, and every other control changed, while
the framework times each render (``performance.now()``). Reported per explorable: the median and
90th percentile render time and their ratio to 50 ms; the bytes of its bundle, of its scripts
(its module, the math and drawing modules it imports and the framework, each counted once per
page) and their ratio to the data budget.

Usage: python tests/bench/bench_explore.py [--site DIR] [--steps N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

import test_site_explorables  # noqa: E402
from browser import launch, serve  # noqa: E402
from test_site_explorables import CONTROLS, change, placed  # noqa: E402

TIME_TARGET = 50.0  # ms per update


def measure(browser, url, page_path, name, steps):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sizes = {}

    def record(response):
        if "/_static/explore/" in response.url and response.ok:
            try:
                sizes[response.url] = len(response.body())
            except Exception:  # a redirect or a cached body: nothing to count
                pass

    page.on("response", record)
    page.goto(f"{url}/{page_path}", wait_until="load")
    root = page.locator(f"#explorable-{name}")
    root.scroll_into_view_if_needed()
    page.wait_for_selector(f"#explorable-{name}[data-state=ready]", timeout=60_000)
    page.wait_for_load_state("networkidle")
    root.evaluate("el => { el.explorable.timings.length = 0; }")
    for control in [c for c in root.locator(CONTROLS).all() if c.is_visible()]:
        if control.evaluate("c => c.type") == "range":
            control.focus()
            for key in ("ArrowRight", "ArrowLeft"):
                for _ in range(steps):
                    page.keyboard.press(key)
        else:
            change(page, control)
            change(page, control)
    timings = root.evaluate("el => [...el.explorable.timings]")
    limit = int(root.get_attribute("data-limit") or 300_000)
    context.close()
    bundle = sum(n for u, n in sizes.items() if u.endswith(f"/data/{name}.bin"))
    scripts = sum(n for u, n in sizes.items() if u.endswith(".js"))
    return timings, bundle, scripts, limit


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO / "_build" / "html")
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args()
    test_site_explorables.SITE = args.site
    found = placed()
    if not found:
        print(f"No explorable in {args.site}: build the book first (make book).")
        return 1
    print(f"{len(found)} explorables in {args.site}; target: update < {TIME_TARGET:.0f} ms")
    print(
        f"{'explorable':<22} {'page':<34} {'updates':>7} {'median':>8} {'p90':>8} "
        f"{'ratio':>6} {'bundle':>9} {'/limit':>6} {'scripts':>9}"
    )
    medians = []
    with serve(args.site) as url, sync_playwright() as playwright:
        browser = launch(playwright)
        for page_path, name in found:
            timings, bundle, scripts, limit = measure(browser, url, page_path, name, args.steps)
            if not timings:
                print(f"{name:<22} {page_path:<34} no update timed")
                continue
            median = statistics.median(timings)
            p90 = statistics.quantiles(timings, n=10)[-1] if len(timings) > 1 else median
            medians.append(median)
            print(
                f"{name:<22} {page_path:<34} {len(timings):>7} {median:>6.2f}ms {p90:>6.2f}ms "
                f"{median / TIME_TARGET:>6.3f} {bundle / 1000:>7.1f}KB {bundle / limit:>6.2f} "
                f"{scripts / 1000:>7.1f}KB"
            )
        browser.close()
    if medians:
        worst = max(medians)
        print(
            f"median of medians {statistics.median(medians):.2f} ms, slowest {worst:.2f} ms: "
            f"ratio {worst / TIME_TARGET:.3f} of the {TIME_TARGET:.0f} ms target"
        )
    print("Bundles over their budget fail the build itself (explorable(limit_kb=)).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
