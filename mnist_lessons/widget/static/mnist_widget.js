/*
 * Draw a digit: the book's MLP reads it in the page, with no server and no library.
 *
 * Every element <div class="mnist-widget"></div> becomes a canvas to draw on (mouse, touch, pen
 * or keyboard), a Clear button, ten sample digits, the 28x28 image the network reads, and ten
 * probability bars. Each answer is written into a polite live region once the drawing settles,
 * so a screen reader announces it.
 *
 * The file has four parts, kept apart: the math (preprocessing and the forward pass, which know
 * nothing of the page), the sample digits (stroke data), the drawing (canvas, preview, bars) and
 * the wiring (events and the live region).
 *
 * The preprocessing is mnist_lessons.widget.preprocess, step for step (the browser tests feed
 * both the same drawing): crop to the ink, scale by area averaging so the longer side is 20
 * pixels, make the darkest pixel 1, then shift the centre of mass to pixel (14, 14) of a 28x28
 * field. The network is the float16 MLP that mnist_lessons.widget.export wrote into
 * _static/widget/mnist-mlp.bin during the build.
 */
(function () {
  "use strict";

  const FIELD = 28; // the side of an MNIST image
  const BOX = 20; // the side of the box the digit is scaled into
  // Ink under this share of the canvas is a dot or a blob (preprocess.MIN_EXTENT in Python;
  // tests/test_widget_preprocess.py checks that the two agree).
  const MIN_EXTENT = 0.25;
  const CANVAS = 280; // the drawing canvas, in pixels
  const PEN = CANVAS / 14; // stroke width: about 2 pixels once scaled into the 20x20 box
  const STEP = 10; // one arrow key moves the keyboard pen this far (Shift: three times)
  const SETTLE_MS = 500; // the answer is announced this long after the drawing stops
  const MESSAGES = {
    empty: "The canvas is empty: draw a digit first.",
    dot: "That is a dot or a blob, too small to read: draw a bigger digit.",
    loading: "Loading the network…",
  };
  const KEYS_HINT =
    "Keyboard: Tab to the canvas, arrow keys move the pen (Shift: faster), Space or Enter " +
    "puts it down or lifts it, Escape clears.";

  const script = document.currentScript;
  const MODEL_URL = new URL("widget/mnist-mlp.bin", script ? script.src : document.baseURI).href;

  /* ---------------------------------------------------------------- the math ---------- */

  // Math.floor(x + 0.5): round half up, as preprocess.py's _round does.
  function round(x) {
    return Math.floor(x + 0.5);
  }

  // x to the nearest multiple of 2**-20, as preprocess.py's _snap: a symmetric drawing's centre
  // of mass is a half pixel, a tie that the sums would break either way by a rounding error.
  function snap(x) {
    return Math.floor(x * 2 ** 20 + 0.5) / 2 ** 20;
  }

  // (nOut x nIn) weights: output pixel i averages the input interval [i s, (i + 1) s).
  function areaWeights(nIn, nOut) {
    const s = nIn / nOut;
    const R = new Float64Array(nOut * nIn);
    for (let i = 0; i < nOut; i++) {
      const lo = i * s;
      const hi = (i + 1) * s;
      for (let j = Math.floor(lo); j < Math.min(nIn, Math.ceil(hi)); j++) {
        const overlap = Math.min(hi, j + 1) - Math.max(lo, j);
        if (overlap > 0) R[i * nIn + j] = overlap / s;
      }
    }
    return R;
  }

  /*
   * gray: ink levels in [0, 1], row-major, height x width.
   * Returns {image: Float64Array(784)} or {error: "empty" | "dot", message: "..."}.
   */
  function preprocess(gray, width, height) {
    let top = height;
    let bottom = -1;
    let left = width;
    let right = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (gray[y * width + x] > 0) {
          if (y < top) top = y;
          if (y > bottom) bottom = y;
          if (x < left) left = x;
          if (x > right) right = x;
        }
      }
    }
    if (bottom < 0) return { error: "empty", message: MESSAGES.empty };
    const h = bottom + 1 - top;
    const w = right + 1 - left;
    if (Math.max(h, w) < MIN_EXTENT * Math.max(width, height)) {
      return { error: "dot", message: MESSAGES.dot };
    }
    const longer = Math.max(h, w);
    const rows = Math.max(1, round((h * BOX) / longer));
    const cols = Math.max(1, round((w * BOX) / longer));
    const R = areaWeights(h, rows); // (rows, h)
    const C = areaWeights(w, cols); // (cols, w)
    const tmp = new Float64Array(h * cols); // crop @ C.T, (h, cols)
    for (let r = 0; r < h; r++) {
      const base = (top + r) * width + left;
      for (let k = 0; k < cols; k++) {
        let sum = 0;
        for (let c = 0; c < w; c++) sum += gray[base + c] * C[k * w + c];
        tmp[r * cols + k] = sum;
      }
    }
    const box = new Float64Array(rows * cols); // R @ tmp, (rows, cols)
    let peak = 0;
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < cols; k++) {
        let sum = 0;
        for (let r = 0; r < h; r++) sum += R[i * h + r] * tmp[r * cols + k];
        box[i * cols + k] = sum;
        if (sum > peak) peak = sum;
      }
    }
    let mass = 0;
    let mr = 0;
    let mc = 0;
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < cols; k++) {
        const v = box[i * cols + k] / peak; // the darkest pixel full ink
        box[i * cols + k] = v;
        mass += v;
        mr += i * v;
        mc += k * v;
      }
    }
    const center = [mr / mass, mc / mass];
    const offset = [
      Math.min(Math.max(round(FIELD / 2 - snap(center[0])), 0), FIELD - rows),
      Math.min(Math.max(round(FIELD / 2 - snap(center[1])), 0), FIELD - cols),
    ];
    const image = new Float64Array(FIELD * FIELD); // (28, 28), row-major
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < cols; k++) {
        image[(offset[0] + i) * FIELD + offset[1] + k] = box[i * cols + k];
      }
    }
    return { image, center, offset, shape: [rows, cols] };
  }

  // IEEE 754 half precision to a JavaScript number (exact).
  function halfToFloat(bits) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >> 10) & 0x1f;
    const fraction = bits & 0x3ff;
    if (exponent === 0) return sign * fraction * Math.pow(2, -24);
    if (exponent === 31) return fraction ? NaN : sign * Infinity;
    return sign * (1 + fraction / 1024) * Math.pow(2, exponent - 15);
  }

  // The layout is documented in mnist_lessons/widget/export.py.
  function parseModel(buffer) {
    const view = new DataView(buffer);
    const magic = String.fromCharCode(
      view.getUint8(0),
      view.getUint8(1),
      view.getUint8(2),
      view.getUint8(3)
    );
    if (magic !== "MNW1") throw new Error("not a widget model file");
    const n = view.getUint32(4, true);
    const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, n)));
    let at = 8 + n;
    const layers = header.layers.map((layer) => {
      const [nIn, nOut] = layer.shape;
      const W = new Float32Array(nIn * nOut); // (nIn, nOut), row-major
      for (let i = 0; i < W.length; i++, at += 2) W[i] = halfToFloat(view.getUint16(at, true));
      const b = new Float32Array(nOut); // (nOut,)
      for (let k = 0; k < nOut; k++, at += 2) b[k] = halfToFloat(view.getUint16(at, true));
      return { nIn, nOut, W, b, activation: layer.activation };
    });
    if (at !== buffer.byteLength) throw new Error("the model file has the wrong length");
    return { header, layers };
  }

  // a = f(W^T a_prev + b) layer by layer: relu, then softmax at the end. x has 784 values.
  function predict(model, x) {
    let a = Float64Array.from(x); // (784,)
    for (const layer of model.layers) {
      const z = new Float64Array(layer.nOut); // (nOut,)
      for (let k = 0; k < layer.nOut; k++) z[k] = layer.b[k];
      for (let j = 0; j < layer.nIn; j++) {
        const aj = a[j];
        if (aj === 0) continue; // most pixels and many hidden units are 0
        const row = j * layer.nOut;
        for (let k = 0; k < layer.nOut; k++) z[k] += aj * layer.W[row + k];
      }
      if (layer.activation === "relu") {
        for (let k = 0; k < z.length; k++) if (z[k] < 0) z[k] = 0;
      } else {
        let top = -Infinity;
        let total = 0;
        for (let k = 0; k < z.length; k++) top = Math.max(top, z[k]);
        for (let k = 0; k < z.length; k++) total += z[k] = Math.exp(z[k] - top);
        for (let k = 0; k < z.length; k++) z[k] /= total;
      }
      a = z;
    }
    return a;
  }

  let modelPromise = null;
  function loadModel() {
    if (!modelPromise) {
      modelPromise = fetch(MODEL_URL)
        .then((response) => {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.arrayBuffer();
        })
        .then(parseModel);
    }
    return modelPromise;
  }

  /* ------------------------------------------------------- the sample digits ---------- */

  // Each digit as a reader might write it: strokes of (x, y) points on the 280x280 canvas,
  // drawn with the same pen as the mouse. Drawn, not MNIST images: the network reads them
  // through the same preprocessing as any drawing.
  const SAMPLES = [
    [
      [
        [140, 40], [157, 43], [172, 53], [186, 69], [196, 90], [203, 114], [205, 140],
        [203, 166], [196, 190], [186, 211], [173, 227], [157, 237], [140, 240], [123, 237],
        [108, 227], [94, 211], [84, 190], [77, 166], [75, 140], [77, 114], [84, 90], [94, 69],
        [107, 53], [123, 43], [140, 40],
      ],
    ],
    [[[150, 40], [135, 240]]],
    [[[80, 90], [110, 50], [160, 45], [195, 80], [190, 120], [80, 235], [215, 235]]],
    [
      [
        [85, 70], [140, 45], [190, 75], [180, 115], [130, 135], [185, 160], [195, 200],
        [150, 240], [85, 220],
      ],
    ],
    [[[170, 240], [170, 40], [70, 170], [220, 170]]],
    [
      [
        [195, 50], [95, 50], [85, 130], [150, 120], [195, 160], [190, 210], [140, 240],
        [80, 220],
      ],
    ],
    [
      [
        [180, 50], [120, 90], [90, 160], [100, 220], [150, 240], [190, 200], [180, 150],
        [130, 140], [95, 175],
      ],
    ],
    [[[70, 60], [215, 60], [120, 240]]],
    [
      [
        [140, 140], [170, 114], [192, 90], [200, 69], [192, 53], [170, 43], [140, 40],
        [110, 43], [88, 53], [80, 69], [88, 90], [110, 114], [140, 140], [170, 166],
        [192, 190], [200, 211], [192, 227], [170, 237], [140, 240], [110, 237], [88, 227],
        [80, 211], [88, 190], [110, 166], [140, 140],
      ],
    ],
    [
      [[185, 90], [150, 50], [100, 70], [95, 115], [140, 135], [185, 100], [185, 50]],
      [[185, 60], [175, 240]],
    ],
  ];

  /* --------------------------------------------------------------- the drawing ---------- */

  function element(tag, className, parent, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  // A fresh pen on the drawing canvas: black ink on transparent, round ends.
  function resetPen(ctx) {
    ctx.clearRect(0, 0, CANVAS, CANVAS);
    ctx.lineWidth = PEN;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = ctx.fillStyle = "#000";
  }

  function dot(ctx, point) {
    ctx.beginPath();
    ctx.arc(point[0], point[1], PEN / 2, 0, 2 * Math.PI);
    ctx.fill();
  }

  function line(ctx, from, to) {
    ctx.beginPath();
    ctx.moveTo(from[0], from[1]);
    ctx.lineTo(to[0], to[1]);
    ctx.stroke();
  }

  function drawStrokes(ctx, strokes) {
    for (const stroke of strokes) {
      dot(ctx, stroke[0]);
      for (let i = 1; i < stroke.length; i++) line(ctx, stroke[i - 1], stroke[i]);
    }
  }

  // The 28x28 image, white paper and black ink as the reader drew it.
  function drawPreview(canvas, image) {
    const pixels = canvas.getContext("2d");
    const picture = pixels.createImageData(FIELD, FIELD);
    for (let i = 0; i < FIELD * FIELD; i++) {
      const level = image ? 255 - Math.round(255 * image[i]) : 255;
      picture.data[4 * i] = picture.data[4 * i + 1] = picture.data[4 * i + 2] = level;
      picture.data[4 * i + 3] = 255;
    }
    pixels.putImageData(picture, 0, 0);
  }

  function drawBars(bars, p, best) {
    bars.forEach((bar, d) => {
      const share = p ? p[d] : 0;
      bar.fill.style.width = (100 * share).toFixed(1) + "%";
      bar.value.textContent = p ? shortPercent(share) : "";
      bar.row.classList.toggle("mnist-widget-best", d === best);
    });
  }

  /* ---------------------------------------------------------------- the words ---------- */

  // A probability as the book's prose writes it: never "100.0 %" for p < 1, nor "0.0 %".
  function percent(p) {
    if (p >= 0.9995) return "more than 99.9 %";
    if (p < 0.0005) return "less than 0.1 %";
    return (100 * p).toFixed(1) + " %";
  }

  // The same on a bar, where there is room for five characters: ">99.9 %", "<0.1 %".
  function shortPercent(p) {
    if (p >= 0.9995) return ">99.9 %";
    if (p < 0.0005) return "<0.1 %";
    return (100 * p).toFixed(1) + " %";
  }

  function aDigit(d) {
    return (d === 8 ? "an " : "a ") + d;
  }

  // "The network reads a 7 (98.2 % sure); next most likely 1 (1.1 %)."
  function answer(p) {
    const order = Array.from(p.keys()).sort((i, j) => p[j] - p[i]);
    const [best, next] = order;
    return (
      `The network reads ${aDigit(best)} (${percent(p[best])} sure); ` +
      `next most likely ${next} (${percent(p[next])}).`
    );
  }

  /* ---------------------------------------------------------------- the wiring ---------- */

  let widgets = 0;

  class Widget {
    constructor(root) {
      const id = "mnist-widget-" + ++widgets;
      root.innerHTML = "";
      root.setAttribute("role", "group");
      root.setAttribute("aria-label", "Draw a digit");
      const pad = element("div", "mnist-widget-pad", root);
      const paper = element("div", "mnist-widget-paper", pad);
      this.canvas = element("canvas", "mnist-widget-canvas", paper);
      this.canvas.width = this.canvas.height = CANVAS;
      this.canvas.tabIndex = 0;
      this.canvas.setAttribute("role", "application");
      this.canvas.setAttribute("aria-roledescription", "drawing canvas");
      this.canvas.setAttribute(
        "aria-label",
        "Draw a digit here with the mouse, a finger, or the keyboard"
      );
      this.cursor = element("div", "mnist-widget-cursor", paper);
      this.cursor.setAttribute("aria-hidden", "true");
      const hint = element("p", "mnist-widget-hint", pad, KEYS_HINT);
      hint.id = id + "-keys";
      this.pen = element("span", "mnist-widget-pen", hint);
      this.pen.setAttribute("aria-live", "polite");
      this.canvas.setAttribute("aria-describedby", hint.id);
      this.message = element("p", "mnist-widget-message", pad);
      this.message.setAttribute("role", "status");
      this.message.setAttribute("aria-live", "polite");
      this.message.setAttribute("aria-atomic", "true");

      const controls = element("div", "mnist-widget-controls", pad);
      this.clearButton = element("button", "mnist-widget-clear", controls, "Clear");
      this.clearButton.type = "button";
      const samples = element("div", "mnist-widget-samples", pad);
      samples.setAttribute("role", "group");
      const label = element("span", "mnist-widget-samples-label", samples, "Or a sample:");
      label.id = id + "-samples";
      samples.setAttribute("aria-labelledby", label.id);
      this.sampleButtons = SAMPLES.map((_, d) => {
        const button = element("button", "mnist-widget-sample", samples, String(d));
        button.type = "button";
        button.setAttribute("aria-label", "Sample " + d);
        button.dataset.digit = String(d);
        return button;
      });

      const result = element("div", "mnist-widget-result", root);
      const seen = element("div", "mnist-widget-seen", result);
      element("p", "mnist-widget-caption", seen, "What the network reads (28x28)");
      this.preview = element("canvas", "mnist-widget-preview", seen);
      this.preview.width = this.preview.height = FIELD;
      this.preview.setAttribute("role", "img");
      this.preview.setAttribute("aria-label", "The drawing as the 28 by 28 image the network reads");
      const bars = element("div", "mnist-widget-bars", result);
      element("p", "mnist-widget-caption", bars, "How sure it is of each digit");
      this.bars = [];
      for (let d = 0; d < 10; d++) {
        const row = element("div", "mnist-widget-bar", bars);
        element("span", "mnist-widget-digit", row, String(d));
        const track = element("span", "mnist-widget-track", row);
        const fill = element("span", "mnist-widget-fill", track);
        const value = element("span", "mnist-widget-value", row, "");
        this.bars.push({ row, fill, value });
      }

      this.ctx = this.canvas.getContext("2d", { willReadFrequently: true });
      this.model = null;
      this.last = null;
      this.pending = false; // a repaint is asked for the next frame
      this.timer = null; // the announcement once the drawing settles
      this.drawing = false; // a pointer is down
      this.point = null;
      this.keyPen = { at: [CANVAS / 2, CANVAS / 2], down: false };
      this.listen();
      this.clear();
      this.say(MESSAGES.loading);
      loadModel().then(
        (model) => {
          this.model = model;
          this.update();
        },
        (error) => this.say("The network could not be loaded (" + error.message + ").")
      );
    }

    listen() {
      const canvas = this.canvas;
      canvas.addEventListener("pointerdown", (event) => {
        event.preventDefault();
        canvas.setPointerCapture(event.pointerId);
        this.drawing = true;
        this.point = this.position(event);
        dot(this.ctx, this.point);
        this.schedule();
      });
      canvas.addEventListener("pointermove", (event) => {
        if (!this.drawing) return;
        event.preventDefault();
        const next = this.position(event);
        line(this.ctx, this.point, next);
        this.point = next;
        this.schedule();
      });
      for (const name of ["pointerup", "pointercancel"]) {
        canvas.addEventListener(name, () => {
          if (!this.drawing) return;
          this.drawing = false;
          this.schedule();
        });
      }
      canvas.addEventListener("keydown", (event) => this.key(event));
      this.clearButton.addEventListener("click", () => this.clear());
      this.sampleButtons.forEach((button, d) => {
        button.addEventListener("click", () => this.sample(d));
      });
    }

    // The pointer's place in canvas pixels, however large CSS shows the canvas.
    position(event) {
      const rect = this.canvas.getBoundingClientRect();
      return [
        ((event.clientX - rect.left) * CANVAS) / rect.width,
        ((event.clientY - rect.top) * CANVAS) / rect.height,
      ];
    }

    // Arrow keys move the keyboard pen (drawing while it is down), Space or Enter puts it down
    // or lifts it, Escape clears.
    key(event) {
      const moves = {
        ArrowLeft: [-1, 0],
        ArrowRight: [1, 0],
        ArrowUp: [0, -1],
        ArrowDown: [0, 1],
      };
      const pen = this.keyPen;
      if (event.key in moves) {
        const step = event.shiftKey ? 3 * STEP : STEP;
        const [dx, dy] = moves[event.key];
        const next = [
          Math.min(Math.max(pen.at[0] + dx * step, PEN / 2), CANVAS - PEN / 2),
          Math.min(Math.max(pen.at[1] + dy * step, PEN / 2), CANVAS - PEN / 2),
        ];
        if (pen.down) line(this.ctx, pen.at, next);
        pen.at = next;
      } else if (event.key === " " || event.key === "Enter") {
        pen.down = !pen.down;
        if (pen.down) dot(this.ctx, pen.at);
        this.pen.textContent = pen.down ? " Pen down." : " Pen up.";
      } else if (event.key === "Escape") {
        this.clear();
      } else {
        return;
      }
      event.preventDefault(); // the page does not scroll while the keys draw
      this.showCursor();
      this.schedule();
    }

    showCursor() {
      const pen = this.keyPen;
      this.cursor.style.left = (100 * pen.at[0]) / CANVAS + "%";
      this.cursor.style.top = (100 * pen.at[1]) / CANVAS + "%";
      this.cursor.classList.toggle("mnist-widget-cursor-down", pen.down);
    }

    // Write into the live region; the same words again are left alone (not announced twice).
    say(text) {
      if (this.message.textContent !== text) this.message.textContent = text;
    }

    // A blank canvas, the keyboard pen lifted where it was.
    blank() {
      resetPen(this.ctx);
      this.keyPen.down = false;
      this.pen.textContent = "";
      this.showCursor();
    }

    clear() {
      this.blank();
      return this.update();
    }

    sample(d) {
      this.blank();
      drawStrokes(this.ctx, SAMPLES[d]);
      return this.update();
    }

    // Repaint the preview and bars at the next frame; announce once the drawing settles.
    schedule() {
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => {
        if (!this.drawing) this.update();
      }, SETTLE_MS);
      if (this.pending) return;
      this.pending = true;
      window.requestAnimationFrame(() => {
        this.pending = false;
        this.read(false);
      });
    }

    // The ink of the canvas: alpha / 255, row-major (the strokes are black on transparent).
    ink() {
      const rgba = this.ctx.getImageData(0, 0, CANVAS, CANVAS).data;
      const gray = new Float64Array(CANVAS * CANVAS);
      for (let i = 0; i < gray.length; i++) gray[i] = rgba[4 * i + 3] / 255;
      return gray;
    }

    // Read the canvas, preprocess, predict, show, announce. Returns what it showed.
    update() {
      window.clearTimeout(this.timer);
      return this.read(true);
    }

    // Read the canvas and show the result; with announce, also say it. Never throws.
    read(announce) {
      let result;
      try {
        result = preprocess(this.ink(), CANVAS, CANVAS);
        if (!result.error && this.model) result.probabilities = predict(this.model, result.image);
      } catch (error) {
        result = { error: "failed", message: "Something went wrong: " + error.message };
      }
      this.last = result;
      const p = result.probabilities;
      drawPreview(this.preview, result.image);
      drawBars(this.bars, p, p ? p.indexOf(Math.max(...p)) : -1);
      if (announce) {
        if (result.error) this.say(result.message);
        else if (!p) this.say(MESSAGES.loading);
        else this.say(answer(p));
      }
      return result;
    }
  }

  function start() {
    for (const root of document.querySelectorAll(".mnist-widget")) {
      if (!root.mnistWidget) root.mnistWidget = new Widget(root);
    }
  }

  window.MnistWidget = {
    MODEL_URL,
    CANVAS,
    SAMPLES,
    preprocess,
    predict,
    parseModel,
    loadModel,
    start,
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
