/*
 * The playground's Web Worker: it trains (train.js) away from the page, so the page never
 * freezes, and posts what the page draws. Messages in:
 *   {type: "start", settings, digits}  a new run (the digits as uint8 arrays)
 *   {type: "run"}, {type: "pause"}     train until the last epoch, or stop where it is
 *   {type: "step"}                     train on one batch
 *   {type: "predict", image, id}       the network's probabilities for a 28x28 image
 *   {type: "bench", settings, digits, repeats}  time whole epochs (make bench)
 * Messages out: {type: "state", ...} after a batch or an epoch, {type: "prediction", ...},
 * {type: "bench", ms}, and {type: "error", message} instead of throwing.
 */

import { Run } from "./train.js";

const SLICE_MS = 30; // train this long, then let messages (pause) in
const SHOWN = 16; // first-layer units drawn as images

let run = null;
let digits = null;
let running = false;
let lastPost = 0;

function firstLayer() {
  const layer = run.net.layers[0];
  const units = Math.min(SHOWN, layer.n_out);
  return { W: layer.W.slice(0, units * 784), units };
}

function post(kind, extra = {}) {
  // The test digits' answers: after anything but a batch in a running loop (they cost a pass).
  const test = kind === "batch" && running ? null : run.evaluate();
  self.postMessage({
    type: "state",
    kind,
    epoch: run.epoch,
    batch: Math.ceil(run.start / run.settings.batch_size),
    batches: run.batchesPerEpoch,
    history: run.history,
    running,
    done: run.done,
    diverged: run.diverged,
    predicted: test ? test.predicted.slice(0, 24) : null,
    weights: firstLayer(),
    ...extra,
  });
}

function train() {
  if (!running || run === null) return;
  const until = performance.now() + SLICE_MS;
  let losses = 0;
  let count = 0;
  while (performance.now() < until && !run.done) {
    const epoch = run.epoch;
    const loss = run.step();
    if (Number.isNaN(loss)) break;
    losses += loss;
    count += 1;
    if (run.epoch !== epoch) {
      post("epoch", { loss: losses / count });
      losses = 0;
      count = 0;
    }
  }
  if (run.done) {
    running = false;
    post(run.diverged ? "diverged" : "done");
    return;
  }
  if (count && performance.now() - lastPost > 100) {
    lastPost = performance.now();
    post("batch", { loss: losses / count });
  }
  setTimeout(train, 0);
}

function bench(settings, data, repeats) {
  const times = [];
  for (let r = 0; r < repeats; r++) {
    const timed = new Run({ ...settings, epochs: 1 }, data);
    const start = performance.now();
    while (!timed.done) timed.step();
    times.push(performance.now() - start);
  }
  return times;
}

self.onmessage = (event) => {
  const message = event.data;
  try {
    switch (message.type) {
      case "start":
        if (message.digits) digits = message.digits;
        running = false;
        run = new Run(message.settings, digits);
        post("reset");
        break;
      case "run":
        if (run && !run.done && !running) {
          running = true;
          train();
        }
        break;
      case "pause":
        running = false;
        if (run) post("paused");
        break;
      case "step":
        running = false;
        if (run && !run.done) {
          const epoch = run.epoch;
          const loss = run.step();
          post(run.diverged ? "diverged" : run.epoch !== epoch ? "epoch" : "batch", { loss });
        }
        break;
      case "predict":
        if (run) {
          const p = run.predict(message.image);
          self.postMessage({ type: "prediction", id: message.id, p });
        }
        break;
      case "bench":
        if (message.digits) digits = message.digits;
        self.postMessage({
          type: "bench",
          ms: bench(message.settings, digits, message.repeats ?? 3),
        });
        break;
      default:
        throw new Error(`unknown message ${message.type}`);
    }
  } catch (error) {
    running = false;
    self.postMessage({ type: "error", message: error.message });
  }
};
