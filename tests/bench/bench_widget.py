"""The draw-a-digit widget against its targets: model file size, and time per drawing in Chromium.

Targets (issue 7): the model file at most 500 KB (500,000 bytes), and preprocessing plus
inference at most 10 ms per drawing in Chromium (issue 17: the CNN's file within 500 KB too; its
forward pass is timed beside the MLP's). The built site (``_build/html``, or
``--site``) is served on 127.0.0.1 and opened in Debian's Chromium; each digit of
``tests/browser/strokes.py`` is drawn with the mouse, then the page times, with
``performance.now()``, ``repeats`` runs of

- preprocessing plus inference: ``MnistWidget.preprocess`` on the canvas's ink, then
  ``MnistWidget.predict`` (the target);
- each forward pass alone on the preprocessed image: the MLP's ``MnistWidget.predict`` and,
  where the site has the CNN, ``MnistWidget.predictCnn`` (``cnn_forward``);
- the whole update after a stroke: reading the canvas, preprocessing, both networks, and
  redrawing the 28x28 image and the bars.

It reports the median of each per digit and over all drawings, and the largest difference
between the page's probabilities and Keras' (same float16 weights) on 1,000 MNIST test digits,
for each network.

Usage: python tests/bench/bench_widget.py [--site DIR] [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from browser import draw, js_probabilities, launch, serve, wait_for_model  # noqa: E402
from browser.strokes import DIGITS  # noqa: E402

from mnist_lessons.data import flatten, load_mnist, scale  # noqa: E402
from mnist_lessons.widget import CNN_FILENAME, FILENAME, keras_cnn, keras_model  # noqa: E402

SIZE_TARGET = 500_000  # bytes
TIME_TARGET = 10.0  # ms per drawing

TIMING = """(repeats) => {
    const w = document.querySelector('.mnist-widget').mnistWidget;
    const ink = w.ink();
    const model = w.model;
    const n = window.MnistWidget.CANVAS;
    const steps = [], mlp = [], cnn = [], updates = [];
    for (let i = 0; i < repeats; i++) {
        let t = performance.now();
        const r = window.MnistWidget.preprocess(ink, n, n);
        window.MnistWidget.predict(model, r.image);
        steps.push(performance.now() - t);
        t = performance.now();
        window.MnistWidget.predict(model, r.image);
        mlp.push(performance.now() - t);
        if (w.cnn) {
            t = performance.now();
            window.MnistWidget.predictCnn(w.cnn, r.image);
            cnn.push(performance.now() - t);
        }
        t = performance.now();
        w.update();
        updates.push(performance.now() - t);
    }
    return {steps: steps, mlp: mlp, cnn: cnn, updates: updates};
}"""

CNN_PROBABILITIES = """async (images) => {
    const cnn = await window.MnistWidget.loadCnn();
    return images.map((x) => Array.from(window.MnistWidget.predictCnn(cnn, x)));
}"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO / "_build" / "html")
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args(argv)
    model_file = args.site / "_static" / "widget" / FILENAME
    if not (args.site / "book" / "try_it.html").is_file() or not model_file.is_file():
        sys.exit(f"No built Try-it page and model in {args.site}: run `make book` first.")

    cnn_file = model_file.with_name(CNN_FILENAME)
    has_cnn = cnn_file.is_file()
    print("\n== Draw-a-digit widget ==")
    for path in (model_file, cnn_file) if has_cnn else (model_file,):
        size = path.stat().st_size
        print(f"Model file {path.relative_to(args.site)}: {size:,} bytes")
        print(
            f"Target size <= {SIZE_TARGET:,} bytes: {'met' if size <= SIZE_TARGET else 'MISSED'}"
            f" (ratio {size / SIZE_TARGET:.2f})"
        )
    if not has_cnn:
        print(f"No {CNN_FILENAME}: the site's widget runs the MLP alone.")

    (_, _), (x_test, _) = load_mnist()
    images = flatten(scale(x_test[:1000]))  # (1000, 784)
    in_keras = keras_model(model_file).predict(images, verbose=0)  # (1000, 10)
    if has_cnn:
        cnn_keras = keras_cnn(cnn_file).predict(images.reshape(-1, 28, 28, 1), verbose=0)

    with serve(args.site) as url, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(f"{url}/book/try_it.html")
        wait_for_model(page)
        print(f"Browser: Chromium {browser.version}, {args.repeats} runs per drawing")
        in_page = np.array(js_probabilities(page, images.astype(np.float64).tolist()))
        if has_cnn:
            cnn_page = np.array(page.evaluate(CNN_PROBABILITIES, images.tolist()))
        steps, mlp, cnn, updates = [], [], [], []
        print(
            f"\n{'digit':>5} {'MLP':>4} {'CNN':>4} {'prep+MLP ms':>12} {'MLP ms':>7} "
            f"{'CNN ms':>7} {'whole update ms':>16}"
        )
        for digit, strokes in sorted(DIGITS.items()):
            shown = draw(page, strokes)
            read = page.evaluate(
                "() => { const r = document.querySelector('.mnist-widget').mnistWidget.last;"
                " return r.cnn ? Array.from(r.cnn.probabilities) : null; }"
            )
            times = page.evaluate(TIMING, args.repeats)
            steps += times["steps"]
            mlp += times["mlp"]
            cnn += times["cnn"]
            updates += times["updates"]
            cnn_ms = f"{statistics.median(times['cnn']):>7.3f}" if times["cnn"] else f"{'-':>7}"
            print(
                f"{digit:>5} {int(np.argmax(shown['probabilities'])):>4} "
                f"{int(np.argmax(read)) if read else '-':>4} "
                f"{statistics.median(times['steps']):>12.3f} "
                f"{statistics.median(times['mlp']):>7.3f} {cnn_ms} "
                f"{statistics.median(times['updates']):>16.3f}"
            )
        browser.close()

    median = statistics.median(steps)
    print(
        f"\nMedian over {len(steps)} runs: preprocessing + inference {median:.3f} ms, "
        f"MLP forward pass {statistics.median(mlp):.3f} ms"
        + (f", CNN forward pass {statistics.median(cnn):.3f} ms" if cnn else "")
        + f", whole update {statistics.median(updates):.3f} ms"
    )
    print(
        f"Target preprocessing + inference <= {TIME_TARGET:.0f} ms per drawing: "
        f"{'met' if median <= TIME_TARGET else 'MISSED'} (ratio {median / TIME_TARGET:.3f})"
    )
    difference = np.abs(in_page - in_keras).max()
    print(f"Largest |JS - Keras| probability on 1,000 MNIST test digits: {difference:.2e}")
    if has_cnn:
        difference = np.abs(cnn_page - cnn_keras).max()
        print(f"Largest |JS - Keras| CNN probability on the same digits: {difference:.2e}")


if __name__ == "__main__":
    main()
