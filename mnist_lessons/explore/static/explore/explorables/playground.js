/*
 * Train a network in your browser: the book's scratch MLP on real MNIST digits, trained by a
 * Web Worker (playground/worker.js runs playground/train.js), drawn here. The reader picks the
 * architecture, activation, optimizer, learning rate, batch size, number of training digits,
 * seed and epochs (all kept in the URL); Train, Pause, Step and Reset drive the worker; the
 * charts, the first layer's weights and a few test digits follow it live; a drawn digit is
 * read by the reader's network and by the book's trained MLP.
 */

import { loadBundle } from "../lib/bundle.js";
import { digitPad } from "../lib/digits.js";
import { axes, clear, image, legend, line, text } from "../lib/plot.js";
import { parseMLP, predictMLP } from "./playground/bookmlp.js";
import { sizes } from "./playground/train.js";

export const state = {
  hidden_layers: { default: 1, min: 0, max: 2, step: 1 },
  units: { default: 64, choices: [16, 32, 64, 128, 256] },
  activation: { default: "relu", choices: ["sigmoid", "tanh", "relu", "leaky_relu"] },
  optimizer: { default: "adam", choices: ["sgd", "momentum", "rmsprop", "adam"] },
  learning_rate: { default: 0.001, min: 0.0001, max: 10, log: true },
  batch_size: { default: 32, choices: [8, 16, 32, 64, 128, 256] },
  n_train: { default: 5000, choices: [500, 1000, 2000, 5000] },
  seed: { default: 0, min: 0, max: 999, step: 1 },
  epochs: { default: 5, min: 1, max: 20, step: 1 },
};

const NAMES = {
  sigmoid: "sigmoid",
  tanh: "tanh",
  relu: "relu",
  leaky_relu: "leaky relu",
  sgd: "SGD",
  momentum: "SGD with momentum 0.9",
  rmsprop: "RMSProp",
  adam: "Adam",
};
const SHOWN_DIGITS = 12;

function percent(v) {
  return `${(100 * v).toFixed(1)} %`;
}

function settingsOf(s) {
  // The select controls give strings; the worker and train.js want numbers.
  return {
    ...s,
    units: Number(s.units),
    batch_size: Number(s.batch_size),
    n_train: Number(s.n_train),
  };
}

function parameterCount(s) {
  const n = sizes(settingsOf(s));
  let total = 0;
  for (let l = 1; l < n.length; l++) total += n[l] * n[l - 1] + n[l];
  return total;
}

export function mount(ex, data, arrays) {
  // The choice controls hold strings in the URL: turn the numeric choices into strings.
  ex.slider("hidden_layers", { label: "hidden layers" });
  ex.choice("units", { label: "units per hidden layer" });
  ex.choice("activation", { label: "activation", labels: NAMES });
  ex.choice("optimizer", { label: "optimizer", labels: NAMES });
  ex.slider("learning_rate", { label: "learning rate η", format: (v) => v.toPrecision(2) });
  ex.choice("batch_size", { label: "batch size" });
  ex.choice("n_train", { label: "training digits" });
  ex.number("seed", { label: "seed" });
  ex.slider("epochs", { label: "epochs" });
  const row = document.createElement("div");
  row.className = "explorable-buttons";
  ex.controls.append(row);
  const trainButton = ex.button("Train", () => toggle(), row);
  const stepButton = ex.button("Step", () => command("step"), row);
  ex.button("Reset", () => reset(), row);
  const summary = ex.panel("playground-summary");
  const progress = ex.panel("playground-progress");
  ex.hideStatus(); // the progress line says it where the reader looks
  const lossFig = ex.canvas({ width: 310, height: 220, label: "loss per epoch" });
  const accFig = ex.canvas({ width: 310, height: 220, label: "accuracy per epoch" });
  const weightFig = ex.canvas({ width: 310, height: 100, label: "first layer's weights" });
  const digitFig = ex.canvas({ width: 310, height: 180, label: "test digits and answers" });
  const drawPanel = ex.panel("playground-draw");
  const drawAnswer = document.createElement("p");

  let worker = null;
  let digits = null;
  let loading = null;
  let latest = null; // the worker's last state
  let running = false;
  let failure = null;
  let book = null; // the book's MLP, loaded with the first drawing
  let drawn = null;
  let predictionId = 0;
  let runSettings = null; // the settings the worker's run was started with
  let workerHasDigits = false;

  function ensureWorker() {
    if (worker) return worker;
    worker = new Worker(new URL("./playground/worker.js", import.meta.url), { type: "module" });
    worker.onmessage = (event) => receive(event.data);
    worker.onerror = (event) => {
      failure = `the training worker stopped (${event.message ?? "error"}): press Reset`;
      running = false;
      ex.render();
    };
    return worker;
  }

  async function loadDigits() {
    if (digits) return digits;
    if (!loading) {
      const url = new URL("../data/playground-digits.bin.gz", import.meta.url);
      loading = loadBundle(url.href).then((bundle) => {
        digits = bundle.arrays;
        return digits;
      });
    }
    return loading;
  }

  async function start(then) {
    failure = null;
    latest = null;
    running = false;
    ex.render();
    try {
      const data = await loadDigits();
      runSettings = JSON.stringify(settingsOf(ex.state));
      ensureWorker().postMessage(startMessage(data), workerHasDigits ? [] : transfer(data));
      workerHasDigits = true;
      if (then) worker.postMessage({ type: then });
      running = then === "run";
    } catch (error) {
      failure =
        `the digits could not be loaded (${error.message}): check the connection and ` +
        "press Train again";
      loading = null;
    }
    ex.render();
  }

  // The digits go to the worker once, moved rather than copied (4.7 MB): it keeps them.
  function transfer(data) {
    return Object.values(data).map((array) => array.buffer);
  }

  function startMessage(data) {
    const message = { type: "start", settings: settingsOf(ex.state) };
    if (!workerHasDigits) message.digits = data;
    return message;
  }

  function command(type) {
    if (!latest || latest.done) {
      start(type);
      return;
    }
    running = type === "run";
    worker.postMessage({ type });
    ex.render();
  }

  function toggle() {
    if (running) {
      running = false;
      worker.postMessage({ type: "pause" });
      ex.render();
    } else command("run");
  }

  function reset() {
    if (worker) worker.postMessage({ type: "pause" });
    running = false;
    latest = null;
    if (digits) start(null);
    else ex.render();
  }

  function receive(message) {
    if (message.type === "state") {
      if (message.predicted === null && latest) message.predicted = latest.predicted;
      latest = message;
      running = message.running && !message.done;
      if (message.diverged) running = false;
      if (drawn) predictDrawn();
      ex.render();
    } else if (message.type === "prediction") {
      if (message.id === predictionId) showAnswers(message.p);
    } else if (message.type === "error") {
      failure = message.message;
      running = false;
      ex.render();
    }
  }

  // ---- the reader's own digit ------------------------------------------------------------
  const pad = digitPad(drawPanel, {
    label: "Draw a digit for your network",
    onImage(x, message, info) {
      drawn = x;
      if (!x) {
        drawAnswer.textContent = message ?? "";
        return;
      }
      if (info && info.settled) predictDrawn();
    },
  });
  drawAnswer.className = "playground-answer";
  drawAnswer.setAttribute("aria-live", "polite");
  drawPanel.append(drawAnswer);

  function predictDrawn() {
    if (!drawn) return;
    if (!latest || !worker) {
      drawAnswer.textContent = "Train your network first (press Train or Step), then draw.";
      return;
    }
    predictionId += 1;
    worker.postMessage({ type: "predict", image: drawn, id: predictionId });
  }

  async function bookProbabilities(x) {
    if (book === false) throw new Error("not in this build");
    if (!book) {
      const response = await fetch(new URL("../../widget/mnist-mlp.bin", import.meta.url));
      if (!response.ok) {
        book = false; // asked once: a single-chapter build has no trained MLP
        throw new Error(`HTTP ${response.status}`);
      }
      book = parseMLP(await response.arrayBuffer());
    }
    return predictMLP(book, x);
  }

  async function showAnswers(p) {
    const mine = p.indexOf(Math.max(...p));
    let words = `Your network reads a ${mine} (${percent(p[mine])}).`;
    try {
      const q = await bookProbabilities(drawn);
      const theirs = q.indexOf(Math.max(...q));
      words += ` The book's trained MLP reads a ${theirs} (${percent(q[theirs])}).`;
    } catch {
      words += " (The book's trained MLP is not in this build.)";
    }
    drawAnswer.textContent = words;
  }

  // ---- drawing ---------------------------------------------------------------------------
  function drawCurves(fig, keys, labels, ylabel, ylim, epochs, legendAtBottom = false) {
    clear(fig);
    const c = fig.colors();
    const ax = axes(fig, { xlim: [0, Math.max(1, epochs)], ylim, xlabel: "epoch", ylabel });
    const h = latest?.history;
    keys.forEach((key, i) => {
      if (!h || !h[key].length) return;
      const xs = [0, ...h[key].map((_, e) => e + 1)].slice(1);
      line(fig, ax, xs, h[key], { color: c.series[i], dash: i ? [6, 3] : [] });
    });
    legend(
      fig,
      labels.map((label, i) => ({ label, color: c.series[i], dash: i ? [6, 3] : [] })),
      ax.box.left + ax.box.width - 135,
      legendAtBottom ? ax.box.top + ax.box.height - 28 : ax.box.top + 12,
    );
  }

  function drawWeights() {
    clear(weightFig);
    if (!latest) {
      text(weightFig, "The first layer's weights appear here", 10, 24);
      text(weightFig, "once training starts.", 10, 42);
      return;
    }
    const { W, units } = latest.weights;
    const perRow = 8;
    const size = 34;
    for (let u = 0; u < units; u++) {
      const x = 4 + (u % perRow) * (size + 3);
      const y = 4 + Math.floor(u / perRow) * (size + 3);
      image(weightFig, W.subarray(u * 784, (u + 1) * 784), 28, 28, {
        x, y, width: size, height: size, cmap: "diverging",
      });
    }
    const shown = latest.weights.units;
    const count = `${shown} unit${shown === 1 ? "" : "s"}`;
    text(weightFig, `first layer: ${count}' weights (red +, blue −)`,
      4, 94, { size: 12, color: weightFig.colors().muted });
  }

  function drawDigits() {
    clear(digitFig);
    const size = 38;
    const c = digitFig.colors();
    for (let i = 0; i < SHOWN_DIGITS; i++) {
      const x = 4 + (i % 6) * (size + 12);
      const y = 4 + Math.floor(i / 6) * (size + 42);
      const digit = arrays.sample_digits.subarray(i * 784, (i + 1) * 784);
      const pixels = Float32Array.from(digit, (v) => v / 255);
      image(digitFig, pixels, 28, 28, { x, y, width: size, height: size });
      const guess = latest?.predicted ? latest.predicted[i] : null;
      const ok = guess === data.sample_labels[i];
      const label = guess === null ? "?" : `${guess} ${ok ? "✓" : "✗"}`;
      text(digitFig, label, x + size / 2, y + size + 18, {
        align: "center",
        size: 15,
        weight: "bold",
        color: guess === null ? c.muted : ok ? c.series[2] : c.accent,
      });
    }
  }

  // make bench: time `repeats` whole epochs of the current settings in the worker.
  function bench(repeats) {
    return loadDigits().then(
      (data) =>
        new Promise((resolve) => {
          const w = ensureWorker();
          const listener = (event) => {
            if (event.data.type !== "bench") return;
            w.removeEventListener("message", listener);
            resolve(event.data.ms);
          };
          w.addEventListener("message", listener);
          const message = { type: "bench", settings: settingsOf(ex.state), repeats };
          if (!workerHasDigits) message.digits = data;
          w.postMessage(message, workerHasDigits ? [] : transfer(data));
          workerHasDigits = true;
        }),
    );
  }

  ex.expose({
    bench,
    bookProbabilities,
    worker: () => worker,
    latest: () => latest,
    start: (then) => start(then),
    reference: data.reference,
    defaults: data.defaults,
  });

  return function render(s) {
    if (latest && runSettings !== JSON.stringify(settingsOf(s))) {
      // New settings make a new network: stop the old run; Train starts the new one.
      worker.postMessage({ type: "pause" });
      latest = null;
      running = false;
    }
    const n = parameterCount(s);
    const shape = sizes(settingsOf(s)).join(" → ");
    summary.textContent =
      `Network ${shape}: ${n.toLocaleString("en")} weights and biases, ${NAMES[s.activation]} ` +
      `hidden units; ${NAMES[s.optimizer]} with η = ${s.learning_rate.toPrecision(2)}, ` +
      `batches of ${s.batch_size}; ${Number(s.n_train).toLocaleString("en")} training digits, ` +
      `seed ${s.seed}, ${s.epochs} epoch${s.epochs === 1 ? "" : "s"}.`;
    trainButton.textContent = running ? "Pause" : "Train";
    trainButton.setAttribute("aria-pressed", String(running));
    stepButton.disabled = running;
    let said;
    if (failure) said = `Stopped: ${failure}.`;
    else if (!latest && loading && !digits) said = `Downloading ${data.digits_kb} KB of digits…`;
    else if (!latest) {
      said = `Not started. Train downloads ${data.digits_kb} KB of MNIST digits ` +
        `(${data.n_train.toLocaleString("en")} for training, ` +
        `${data.n_test.toLocaleString("en")} ` +
        "for testing), then trains in your browser.";
    } else if (latest.diverged) {
      said = "Training diverged (loss is not a number) and stopped: lower the learning rate, " +
        "then press Reset.";
    } else {
      const h = latest.history;
      const e = h.test_accuracy.length;
      const where = latest.done
        ? `Done: ${e} epoch${e === 1 ? "" : "s"}`
        : `Epoch ${latest.epoch + 1} of ${s.epochs}, batch ${latest.batch} of ${latest.batches}`;
      said = e
        ? `${where}. After epoch ${e}: test accuracy ${percent(h.test_accuracy[e - 1])}, ` +
          `test loss ${h.test_loss[e - 1].toFixed(3)}.`
        : `${where}.` +
          (latest.loss !== undefined ? ` Batch loss ${latest.loss.toFixed(3)}.` : "");
    }
    progress.textContent = said;
    const epochs = s.epochs;
    const h = latest?.history;
    const top = h && h.loss.length ? Math.max(2.5, ...h.loss, ...h.test_loss) : 2.5;
    drawCurves(lossFig, ["loss", "test_loss"], ["training loss", "test loss"], "loss",
      [0, Math.min(top, 20)], epochs);
    const low = h && h.accuracy.length ? Math.min(...h.accuracy, ...h.test_accuracy) : 0.5;
    drawCurves(accFig, ["accuracy", "test_accuracy"], ["training accuracy", "test accuracy"],
      "accuracy", [Math.min(0.8, Math.floor(low * 10) / 10), 1], epochs, true);
    drawWeights();
    drawDigits();
    return latest?.kind === "batch" ? "" : said;
  };
}
