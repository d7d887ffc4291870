/*
 * Draw a digit: the book's MLP, and its best CNN where the book has one, read it in the page,
 * with no server and no library.
 *
 * Every element <div class="mnist-widget"></div> becomes a canvas to draw on (mouse, touch, pen
 * or keyboard), a Clear button, ten sample digits, the 28x28 image the networks read, and ten
 * probability bars per network, titled with its name and its accuracies (from the model file's
 * meta). Each answer is written into a polite live region once the drawing settles, so a screen
 * reader announces it.
 *
 * The widget is built from the explorables' shared pieces (an ES module that imports them):
 * the drawing pad with its sample digits (explore/lib/digits.js), the MNIST preprocessing
 * (explore/math/preprocess.js, mnist_lessons.widget.preprocess step for step; the Node and
 * browser tests feed both the same drawings) and the reader of the build's files
 * (explore/lib/bundle.js), and the CNN's forward pass (cnn_forward of
 * explore/math/convolution.js, which the CNN explorable runs too). This file adds the MLP (the
 * float16 network that mnist_lessons.widget.export wrote into _static/widget/mnist-mlp.bin
 * during the build), the loading of both files, the 28x28 preview, the bars and the words.
 *
 * The CNN (_static/widget/mnist-cnn.bin) is there only in a book with the chapter that trains
 * it: the script first reads _static/widget/models.json, the list of the files the build
 * copied, and asks for the CNN only when it is listed, so a book without it makes no request
 * that fails and the widget shows the MLP alone.
 */

import { loadBundle } from "./explore/lib/bundle.js";
import { CANVAS, SAMPLES, digitPad } from "./explore/lib/digits.js";
import { cnn_forward } from "./explore/math/convolution.js";
import { FIELD, preprocess_steps } from "./explore/math/preprocess.js";

const LOADING = "Loading the network…";
const MODEL_URL = new URL("widget/mnist-mlp.bin", import.meta.url).href;
const CNN_URL = new URL("widget/mnist-cnn.bin", import.meta.url).href;
const LIST_URL = new URL("widget/models.json", import.meta.url).href;

/* ------------------------------------------------------------- the network ---------- */

// The layers of the bundle mnist_lessons/widget/export.py writes: W0, b0, W1, b1, ...
function modelFromBundle({ data, arrays }) {
  if (data.format !== "mnist-lessons widget MLP") throw new Error("not a widget model file");
  const layers = data.layers.map((layer, i) => {
    const [nIn, nOut] = layer.shape;
    const W = arrays[`W${i}`]; // (nIn, nOut), row-major, float16 decoded to float32
    const b = arrays[`b${i}`]; // (nOut,)
    if (!W || !b || W.length !== nIn * nOut || b.length !== nOut) {
      throw new Error(`layer ${i} of the model file has the wrong shape`);
    }
    return { nIn, nOut, W, b, activation: layer.activation };
  });
  return { header: data, layers };
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

// The arrays of the bundle export_cnn writes, as cnn_forward reads them (epsilon from data).
function cnnFromBundle({ data, arrays }) {
  if (data.format !== "mnist-lessons widget CNN") throw new Error("not a widget CNN file");
  if (!arrays.conv_1 || !arrays.out_kernel) throw new Error("the CNN file has no layers");
  return { header: data, weights: { ...arrays, epsilon: data.epsilon } };
}

// The CNN's ten probabilities for one preprocessed image x (784 values, row-major 28x28).
function predictCnn(cnn, x) {
  const image = Float64Array.from(x);
  image.shape = [FIELD, FIELD];
  return cnn_forward(image, cnn.weights).probabilities;
}

let modelPromise = null;
function loadModel() {
  if (!modelPromise) modelPromise = loadBundle(MODEL_URL).then(modelFromBundle);
  return modelPromise;
}

// The CNN, or null where the build exported none (models.json does not list it).
let cnnPromise = null;
function loadCnn() {
  if (!cnnPromise) {
    cnnPromise = fetch(LIST_URL)
      .then((response) => (response.ok ? response.json() : { models: [] }))
      .then((list) =>
        list.models.includes("mnist-cnn.bin") ? loadBundle(CNN_URL).then(cnnFromBundle) : null
      );
  }
  return cnnPromise;
}

/* --------------------------------------------------------------- the drawing ---------- */

function element(tag, className, parent, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
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

function drawBars(bars, p) {
  const best = p ? p.indexOf(Math.max(...p)) : -1;
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

function argmax(p) {
  return p.indexOf(Math.max(...p));
}

// "The MLP of chapter 3: 98.1 % on MNIST test, 82.5 % on other writers' digits", from the
// meta the build wrote into the model file (whatever of it is there).
function title(meta, fallback) {
  const name = meta.name || fallback;
  const scores = [];
  const share = (a) => (100 * a).toFixed(1) + " %";
  if (typeof meta.mnist_test_accuracy === "number") {
    scores.push(share(meta.mnist_test_accuracy) + " on MNIST test");
  }
  if (typeof meta.other_accuracy === "number") {
    scores.push(share(meta.other_accuracy) + " on other writers' digits");
  }
  return scores.length ? `${name}: ${scores.join(", ")}` : name;
}

// "The network reads a 7 (98.2 % sure); next most likely 1 (1.1 %)." With the CNN too:
// "The MLP reads a 7 (98.2 % sure); the CNN reads a 7 (more than 99.9 % sure)."
function answer(p, q) {
  if (q) {
    const [a, b] = [argmax(p), argmax(q)];
    return (
      `The MLP reads ${aDigit(a)} (${percent(p[a])} sure); ` +
      `the CNN reads ${aDigit(b)} (${percent(q[b])} sure).`
    );
  }
  const order = Array.from(p.keys()).sort((i, j) => p[j] - p[i]);
  const [best, next] = order;
  return (
    `The network reads ${aDigit(best)} (${percent(p[best])} sure); ` +
    `next most likely ${next} (${percent(p[next])}).`
  );
}

let groups = 0; // numbers the bar groups' titles, for aria-labelledby

// A labelled group of ten bars (digit, bar, value) in parent; returns {title, bars}.
function barGroup(parent, caption, className) {
  const group = element("div", "mnist-widget-bars " + className, parent);
  const heading = element("p", "mnist-widget-caption", group, caption);
  heading.id = `mnist-widget-bars-${++groups}`;
  group.setAttribute("role", "group");
  group.setAttribute("aria-labelledby", heading.id);
  const bars = [];
  for (let d = 0; d < 10; d++) {
    const row = element("div", "mnist-widget-bar", group);
    element("span", "mnist-widget-digit", row, String(d));
    const track = element("span", "mnist-widget-track", row);
    const fill = element("span", "mnist-widget-fill", track);
    const value = element("span", "mnist-widget-value", row, "");
    bars.push({ row, fill, value });
  }
  return { group, title: heading, bars };
}

/* ---------------------------------------------------------------- the wiring ---------- */

class Widget {
  constructor(root) {
    root.innerHTML = "";
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", "Draw a digit");
    // The pad: canvas, keyboard hint, Clear, samples; its elements keep the widget's classes.
    this.pad = digitPad(root, {
      label: null,
      classPrefix: "mnist-widget",
      onImage: (x, message, info) => this.show(info.steps, info.settled),
    });
    this.canvas = this.pad.canvas;
    this.ctx = this.pad.ctx;
    this.clearButton = this.pad.clearButton;
    this.sampleButtons = this.pad.sampleButtons;
    this.message = element("p", "mnist-widget-message");
    this.message.setAttribute("role", "status");
    this.message.setAttribute("aria-live", "polite");
    this.message.setAttribute("aria-atomic", "true");
    this.pad.controls.before(this.message); // under the hint, above Clear

    this.result = element("div", "mnist-widget-result", root);
    const seen = element("div", "mnist-widget-seen", this.result);
    const reads = "What the network reads (28x28)";
    this.seenCaption = element("p", "mnist-widget-caption", seen, reads);
    this.preview = element("canvas", "mnist-widget-preview", seen);
    this.preview.width = this.preview.height = FIELD;
    this.preview.setAttribute("role", "img");
    this.preview.setAttribute("aria-label", "The drawing as the 28 by 28 image the network reads");
    this.mlpGroup = barGroup(this.result, "How sure it is of each digit", "mnist-widget-mlp");
    this.bars = this.mlpGroup.bars;
    this.cnnGroup = null; // made once the CNN has loaded, if the book has one

    this.model = null; // the MLP; set, with this.cnn, once both files are read
    this.cnn = null; // the CNN, or null without one
    this.last = null;
    this.clear();
    this.say(LOADING);
    // A CNN that is listed but cannot be read leaves the MLP working, and says so.
    const cnn = loadCnn().catch((error) => ({ error }));
    Promise.all([loadModel(), cnn]).then(
      ([model, cnn]) => {
        if (cnn && cnn.error) {
          const text = "The CNN could not be loaded (" + cnn.error.message + ").";
          element("p", "mnist-widget-caption", this.result, text);
          cnn = null;
        }
        if (cnn) {
          this.mlpGroup.title.textContent = title(model.header.meta || {}, "The MLP");
          this.cnnGroup = barGroup(this.result, "", "mnist-widget-cnn");
          this.cnnGroup.title.textContent = title(cnn.header.meta || {}, "The CNN");
          this.result.classList.add("mnist-widget-two");
          this.seenCaption.textContent = "What both networks read (28x28)";
          const image = "The drawing as the 28 by 28 image the networks read";
          this.preview.setAttribute("aria-label", image);
        }
        this.cnn = cnn;
        this.model = model;
        this.update();
      },
      (error) => this.say("The network could not be loaded (" + error.message + ").")
    );
  }

  // Write into the live region; the same words again are left alone (not announced twice).
  say(text) {
    if (this.message.textContent !== text) this.message.textContent = text;
  }

  // The ink of the canvas: alpha / 255, row-major (the strokes are black on transparent).
  ink() {
    return this.pad.ink();
  }

  clear() {
    this.pad.clear();
    return this.last;
  }

  sample(d) {
    this.pad.sample(d);
    return this.last;
  }

  // Read the canvas, preprocess, predict, show, announce. Returns what it showed.
  update() {
    this.pad.update();
    return this.last;
  }

  // Show the pad's preprocessed drawing (steps) with the network's answer; when the drawing
  // has settled, also say it. Never throws.
  show(steps, announce) {
    let result = steps;
    try {
      if (!steps.error && this.model) {
        result = { ...steps, probabilities: predict(this.model, steps.image) };
        if (this.cnn) result.cnn = { probabilities: predictCnn(this.cnn, steps.image) };
      }
    } catch (error) {
      result = { error: "failed", message: "Something went wrong: " + error.message };
    }
    this.last = result;
    const p = result.probabilities;
    const q = result.cnn ? result.cnn.probabilities : null;
    drawPreview(this.preview, result.image);
    drawBars(this.bars, p);
    if (this.cnnGroup) drawBars(this.cnnGroup.bars, q);
    if (announce) {
      if (result.error) this.say(result.message);
      else if (!p) this.say(LOADING);
      else this.say(answer(p, q));
    }
    return result;
  }
}

function start() {
  for (const root of document.querySelectorAll(".mnist-widget")) {
    if (!root.mnistWidget) root.mnistWidget = new Widget(root);
  }
}

// For the tests and the benchmark: preprocess(gray, width, height) is preprocess_steps.
window.MnistWidget = {
  MODEL_URL,
  CNN_URL,
  CANVAS,
  SAMPLES,
  preprocess: preprocess_steps,
  predict,
  predictCnn,
  loadModel,
  loadCnn,
  start,
};
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
