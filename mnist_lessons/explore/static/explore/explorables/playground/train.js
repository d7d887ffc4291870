/*
 * The playground's training loop: mnist_lessons.playground in JavaScript, with the book's
 * scratch MLP (../../math/network.js) and optimizers (../../math/optimizers.js).
 *
 * One seed gives the network and the batches of the Python side: the same generator
 * (make_rng, mulberry32), the same draws for the initial weights, the same Fisher-Yates
 * shuffle. Nothing here touches the page; the Web Worker (worker.js) runs it.
 */

import { MLP, make_rng } from "../../math/network.js";
import { Adam, RMSProp, SGD } from "../../math/optimizers.js";

export const MOMENTUM = 0.9; // the momentum of the "momentum" choice (playground.MOMENTUM)

/** Units per layer, input first: [784, 64, 10] for one hidden layer of 64. */
export function sizes(settings) {
  return [784, ...Array(settings.hidden_layers).fill(settings.units), 10];
}

/** The network the page starts from: He for relu and leaky relu, Glorot otherwise. */
export function initialNetwork(settings, rng) {
  return new MLP(sizes(settings), {
    activation: settings.activation,
    output: "softmax",
    rng,
    dtype: Float32Array,
  });
}

/** A Fisher-Yates shuffle of 0, ..., n - 1 (playground.batch_order). */
export function batchOrder(n, rng) {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** SGD, SGD with momentum 0.9, RMSProp or Adam at the settings' learning rate eta. */
export function makeOptimizer(settings) {
  const eta = settings.learning_rate;
  switch (settings.optimizer) {
    case "sgd":
      return new SGD({ learning_rate: eta });
    case "momentum":
      return new SGD({ learning_rate: eta, momentum: MOMENTUM });
    case "rmsprop":
      return new RMSProp({ learning_rate: eta });
    case "adam":
      return new Adam({ learning_rate: eta });
    default:
      throw new Error(`unknown optimizer ${settings.optimizer}`);
  }
}

/** Rows `index` of uint8 digits (n, 784) as a float32 batch in [0, 1], and one-hot labels. */
export function batch(digits, labels, index) {
  const x = new Float32Array(index.length * 784);
  const y = new Float32Array(index.length * 10);
  for (let r = 0; r < index.length; r++) {
    const from = index[r] * 784;
    for (let k = 0; k < 784; k++) x[r * 784 + k] = digits[from + k] / 255;
    y[r * 10 + labels[index[r]]] = 1;
  }
  x.shape = [index.length, 784];
  y.shape = [index.length, 10];
  return { x, y };
}

/** Mean clipped cross-entropy of probabilities a against one-hot y, and the correct count. */
function score(a, y, n) {
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let label = 0;
    for (let j = 0; j < 10; j++) {
      if (a[i * 10 + j] > a[i * 10 + best]) best = j;
      if (y[i * 10 + j] === 1) label = j;
    }
    const p = Math.min(1 - 1e-7, Math.max(1e-7, a[i * 10 + label]));
    loss -= Math.log(p);
    if (best === label) correct += 1;
  }
  return { loss: loss / n, correct };
}

/**
 * A training run: settings, the digits ({x_train, y_train, x_test, y_test}, uint8), the
 * network, the optimizer and where it is (epoch, batch). step() trains on one batch;
 * evaluate() scores the test digits; the history holds one entry per finished epoch.
 */
export class Run {
  constructor(settings, digits) {
    this.settings = { ...settings };
    this.digits = digits;
    this.n = settings.n_train;
    if (digits.y_train.length < this.n) {
      throw new Error(`the playground has ${digits.y_train.length} training digits`);
    }
    this.rng = make_rng(settings.seed);
    this.net = initialNetwork(settings, this.rng);
    this.optimizer = makeOptimizer(settings);
    this.epoch = 0; // finished epochs
    this.start = 0; // the next batch's first position in the order
    this.order = null;
    this.totals = { loss: 0, correct: 0, seen: 0 };
    this.history = { loss: [], accuracy: [], test_loss: [], test_accuracy: [] };
    this.diverged = false;
  }

  get batchesPerEpoch() {
    return Math.ceil(this.n / this.settings.batch_size);
  }

  get done() {
    return this.diverged || this.epoch >= this.settings.epochs;
  }

  /** Train on the next batch; returns its loss (NaN when training diverged). */
  step() {
    if (this.done) return NaN;
    if (this.order === null) this.order = batchOrder(this.n, this.rng);
    const size = this.settings.batch_size;
    const index = this.order.subarray(this.start, Math.min(this.n, this.start + size));
    const { x, y } = batch(this.digits.x_train, this.digits.y_train, index);
    const a = this.net.forward(x);
    const { loss, correct } = score(a, y, index.length);
    if (!Number.isFinite(loss) || a.some((v) => !Number.isFinite(v))) {
      this.diverged = true;
      return NaN;
    }
    this.totals.loss += loss * index.length;
    this.totals.correct += correct;
    this.totals.seen += index.length;
    this.net.backward(y);
    this.optimizer.step(this.net.params, this.net.grads);
    this.start += size;
    if (this.start >= this.n) this._endEpoch();
    return loss;
  }

  _endEpoch() {
    const test = this.evaluate();
    this.history.loss.push(this.totals.loss / this.totals.seen);
    this.history.accuracy.push(this.totals.correct / this.totals.seen);
    this.history.test_loss.push(test.loss);
    this.history.test_accuracy.push(test.accuracy);
    this.epoch += 1;
    this.start = 0;
    this.order = null;
    this.totals = { loss: 0, correct: 0, seen: 0 };
  }

  /** Loss and accuracy on the test digits, and the predicted class of each. */
  evaluate() {
    const { x_test, y_test } = this.digits;
    const n = y_test.length;
    const predicted = new Uint8Array(n);
    let loss = 0;
    let correct = 0;
    for (let from = 0; from < n; from += 250) {
      const index = Int32Array.from({ length: Math.min(250, n - from) }, (_, i) => from + i);
      const { x, y } = batch(x_test, y_test, index);
      const a = this.net.forward(x);
      const s = score(a, y, index.length);
      loss += s.loss * index.length;
      correct += s.correct;
      for (let i = 0; i < index.length; i++) {
        let best = 0;
        for (let j = 1; j < 10; j++) if (a[i * 10 + j] > a[i * 10 + best]) best = j;
        predicted[from + i] = best;
      }
    }
    return { loss: loss / n, accuracy: correct / n, predicted };
  }

  /** The network's probabilities for one image (784 numbers in [0, 1]). */
  predict(image) {
    const x = Float32Array.from(image);
    x.shape = [1, 784];
    return Array.from(this.net.forward(x));
  }
}
