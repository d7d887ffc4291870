// A fully connected layer and a multilayer perceptron, forward and backward:
// mnist_lessons.scratch.layers.Dense and mnist_lessons.scratch.network.MLP in JavaScript.
//
// Matrices are row-major typed arrays with a `.shape` ([rows, cols]), one sample per row, as in
// the Python code: layer l has W (n_out, n_in) and b (n_out), the book's shapes, and computes
//     z = a_prev W^T + b,   a = f(z)
// Backward, from delta = dE/dz of the layer:
//     dW = delta^T a_prev,   db = sum over the batch of delta,   dE/da_prev = delta W
// The output layer is softmax (categorical cross-entropy) or sigmoid (binary cross-entropy),
// and backpropagation starts from the fused output delta (a - y) / N (N k for sigmoid).
// Numbers are Float64Array by default (`dtype: Float32Array` stores in float32 instead).

import { get_activation } from "./activations.js";
import {
  binary_crossentropy,
  categorical_crossentropy,
  sigmoid_crossentropy_delta,
  softmax_crossentropy_delta,
} from "./losses.js";

/** A typed array of `Type` with `.shape = [rows, cols]` (zeros, or a copy of `values`). */
export function matrix(rows, cols, values = null, Type = Float64Array) {
  const out = values ? Type.from(values) : new Type(rows * cols);
  if (out.length !== rows * cols) {
    throw new Error(`matrix: ${out.length} values do not fill a ${rows} x ${cols} matrix.`);
  }
  out.shape = [rows, cols];
  return out;
}

/**
 * `x` as a (batch, cols) matrix of `Type`: a typed array (with or without .shape), a flat list
 * of numbers (length a multiple of cols) or a list of rows. Copies only when it must.
 */
export function asMatrix(x, cols, Type = Float64Array) {
  let flat = x;
  if (Array.isArray(x) && Array.isArray(x[0])) flat = x.flat();
  if (!(flat instanceof Type)) flat = Type.from(flat);
  else if (flat === x && !(x.shape && x.shape.length === 2)) flat = flat.slice();
  if (flat.length % cols !== 0 || flat.length === 0) {
    throw new Error(`expected rows of ${cols} numbers, got ${flat.length} numbers.`);
  }
  if (!(flat.shape && flat.shape.length === 2 && flat.shape[1] === cols)) {
    flat.shape = [flat.length / cols, cols];
  }
  return flat;
}

/** A small seeded generator of uniform numbers in [0, 1) (mulberry32), for initial weights. */
export function make_rng(seed = 0) {
  let t = seed >>> 0;
  return function random() {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** He's variance 2 / n_in, or Glorot's 2 / (n_in + n_out), as scratch.layers.init_variance. */
export function init_variance(n_in, n_out, init) {
  init = { he: "he_normal", glorot: "glorot_uniform" }[init] ?? init;
  const known = ["he_normal", "he_uniform", "glorot_normal", "glorot_uniform"];
  if (!known.includes(init)) throw new Error(`Unknown init '${init}'.`);
  return init.startsWith("he") ? 2 / n_in : 2 / (n_in + n_out);
}

/**
 * Random initial weights W (n_out, n_in) with scratch's variances (the draws differ from
 * NumPy's: `rng` is a function giving uniform numbers in [0, 1), such as make_rng(seed)).
 */
export function init_weights(n_in, n_out, init, { rng, dtype = Float64Array }) {
  const std = Math.sqrt(init_variance(n_in, n_out, init));
  init = { he: "he_normal", glorot: "glorot_uniform" }[init] ?? init;
  const W = matrix(n_out, n_in, null, dtype);
  for (let i = 0; i < W.length; i++) {
    if (init.endsWith("normal")) {
      const u = 1 - rng(); // (0, 1]: Box-Muller
      W[i] = std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
    } else {
      W[i] = Math.sqrt(3) * std * (2 * rng() - 1); // U(-r, r), r = sqrt(3) std
    }
  }
  return W;
}

export class Dense {
  /**
   * A fully connected layer: W (n_out, n_in), b (n_out), activation f.
   * Give `W` and `b` (typed arrays or lists, row-major) to start from given weights; otherwise
   * W is drawn by init_weights with `rng` (default make_rng(0)) and b starts at 0.
   */
  constructor(n_in, n_out, activation = "relu", options = {}) {
    const { W = null, b = null, init = null, rng = null, dtype = Float64Array } = options;
    this.n_in = n_in;
    this.n_out = n_out;
    this.activation = activation;
    [this.f, this.f_grad] = get_activation(activation, { allow_softmax: true });
    this.dtype = dtype;
    if (W) {
      this.W = matrix(n_out, n_in, Array.isArray(W) && Array.isArray(W[0]) ? W.flat() : W, dtype);
    } else {
      const he = activation === "relu" || activation === "leaky_relu";
      const start = init ?? (he ? "he" : "glorot");
      this.W = init_weights(n_in, n_out, start, { rng: rng ?? make_rng(0), dtype });
    }
    this.b = b ? dtype.from(b) : new dtype(n_out);
    this.b.shape = [n_out];
    if (this.b.length !== n_out) throw new Error(`b must have ${n_out} entries.`);
    this.a_prev = this.z = this.a = null;
    this.dW = this.db = null;
  }

  /** Compute and cache z = a_prev W^T + b and a = f(z) for a batch a_prev (batch, n_in). */
  forward(a_prev) {
    a_prev = asMatrix(a_prev, this.n_in, this.dtype);
    const [batch] = a_prev.shape;
    const { n_in, n_out, W, b } = this;
    const z = matrix(batch, n_out, null, this.dtype);
    // Inputs that are 0 add nothing: skipping them (four pixels in five of an MNIST digit)
    // gives the same sums, in the same order, several times faster.
    const nonzero = new Int32Array(n_in);
    for (let i = 0; i < batch; i++) {
      const row = i * n_in;
      let count = 0;
      for (let k = 0; k < n_in; k++) if (a_prev[row + k] !== 0) nonzero[count++] = k;
      for (let j = 0; j < n_out; j++) {
        const w = j * n_in;
        let s = 0;
        for (let c = 0; c < count; c++) {
          const k = nonzero[c];
          s += a_prev[row + k] * W[w + k];
        }
        z[i * n_out + j] = s + b[j];
      }
    }
    this.a_prev = a_prev;
    this.z = z;
    this.a = this.f(z);
    return this.a;
  }

  /**
   * Store dW = delta^T a_prev and db = sum of delta over the batch, from delta = dE/dz
   * (batch, n_out) of the last forward; return dE/da_prev = delta W (batch, n_in), or null
   * when need_grad_input is false.
   */
  backward(delta, { need_grad_input = true } = {}) {
    if (this.a_prev === null) throw new Error("Call forward() before backward().");
    delta = asMatrix(delta, this.n_out, this.dtype);
    const [batch] = this.z.shape;
    if (delta.shape[0] !== batch) {
      throw new Error(`delta must have the shape of z, (${batch}, ${this.n_out}).`);
    }
    const { n_in, n_out, W, a_prev } = this;
    const dW = matrix(n_out, n_in, null, this.dtype);
    const db = new this.dtype(n_out);
    db.shape = [n_out];
    // dW_jk = sum over the batch of delta_ij a_ik, summed in float64 sample by sample (the
    // order of the plain triple loop), skipping the products with a 0 factor: relu's
    // inactive units and the blank pixels add nothing.
    let sums = dW;
    if (this.dtype !== Float64Array) {
      // one float64 buffer per layer, reused batch after batch (no garbage to collect)
      if (!this._sums) this._sums = new Float64Array(n_out * n_in);
      sums = this._sums.fill(0);
    }
    const nonzero = new Int32Array(n_in);
    for (let i = 0; i < batch; i++) {
      const row = i * n_in;
      let count = 0;
      for (let k = 0; k < n_in; k++) if (a_prev[row + k] !== 0) nonzero[count++] = k;
      for (let j = 0; j < n_out; j++) {
        const d = delta[i * n_out + j];
        if (d === 0) continue;
        const w = j * n_in;
        for (let c = 0; c < count; c++) {
          const k = nonzero[c];
          sums[w + k] += d * a_prev[row + k];
        }
      }
    }
    if (sums !== dW) dW.set(sums);
    for (let j = 0; j < n_out; j++) {
      let s = 0;
      for (let i = 0; i < batch; i++) s += delta[i * n_out + j];
      db[j] = s;
    }
    this.dW = dW;
    this.db = db;
    if (!need_grad_input) return null;
    const grad = matrix(batch, n_in, null, this.dtype);
    for (let i = 0; i < batch; i++) {
      for (let j = 0; j < n_out; j++) {
        const d = delta[i * n_out + j];
        if (d === 0) continue;
        for (let k = 0; k < n_in; k++) grad[i * n_in + k] += d * W[j * n_in + k];
      }
    }
    return grad;
  }

  /** [W, b]: the arrays an optimizer updates in place. */
  get params() {
    return [this.W, this.b];
  }

  /** [dW, db] from the last backward. */
  get grads() {
    if (this.dW === null) throw new Error("No gradients yet: call backward() first.");
    return [this.dW, this.db];
  }
}

const OUTPUTS = {
  softmax: [categorical_crossentropy, softmax_crossentropy_delta],
  sigmoid: [binary_crossentropy, sigmoid_crossentropy_delta],
};

export class MLP {
  /**
   * A fully connected network: sizes (input first, e.g. [784, 256, 128, 10]), the hidden
   * layers' activation, and the output ("softmax" or "sigmoid"), which fixes the loss.
   * `params`: [W1, b1, W2, b2, ...] to start from given weights (W of shape (n_out, n_in),
   * row-major), else random as scratch's (init, rng: see Dense).
   */
  constructor(sizes = [784, 256, 128, 10], options = {}) {
    const { activation = "relu", output = "softmax", params = null } = options;
    const { init = null, rng = null, dtype = Float64Array } = options;
    if (sizes.length < 2) throw new Error("sizes needs at least an input and an output size.");
    get_activation(activation); // hidden layers need an elementwise f'
    if (!Object.hasOwn(OUTPUTS, output)) {
      throw new Error(`Unknown output '${output}'. Use 'softmax' or 'sigmoid'.`);
    }
    if (params && params.length !== 2 * (sizes.length - 1)) {
      throw new Error(`params must be [W1, b1, ...]: ${2 * (sizes.length - 1)} arrays.`);
    }
    this.sizes = sizes.slice();
    this.activation = activation;
    this.output = output;
    this.dtype = dtype;
    const random = rng ?? make_rng(0);
    this.layers = [];
    for (let l = 1; l < sizes.length; l++) {
      const f = l === sizes.length - 1 ? output : activation;
      const given = params ? { W: params[2 * l - 2], b: params[2 * l - 1] } : {};
      const layer = new Dense(sizes[l - 1], sizes[l], f, { ...given, init, rng: random, dtype });
      this.layers.push(layer);
    }
    [this._loss, this._delta] = OUTPUTS[output];
  }

  /** [W1, b1, W2, b2, ...]: every layer's parameters. */
  get params() {
    return this.layers.flatMap((layer) => layer.params);
  }

  /** [dW1, db1, dW2, db2, ...] from the last backward. */
  get grads() {
    return this.layers.flatMap((layer) => layer.grads);
  }

  /** Run a batch x (batch, n_0) through every layer, caching each z and a; return a^(L). */
  forward(x) {
    let a = asMatrix(x, this.sizes[0], this.dtype);
    for (const layer of this.layers) a = layer.forward(a);
    return a;
  }

  /**
   * Backpropagate targets y (batch, n_L) through the last forward; fill every dW, db:
   * delta^(L) = (a^(L) - y) / N, delta^(l) = (delta^(l+1) W^(l+1)) ⊙ f'(z^(l)).
   * Returns the deltas, delta[0] for layer 1 up to delta[L - 1] for the output layer.
   */
  backward(y) {
    const last = this.layers[this.layers.length - 1];
    if (last.a === null) throw new Error("Call forward(x) before backward(y).");
    const k = this.sizes[this.sizes.length - 1];
    y = asMatrix(y, k, this.dtype);
    let delta = this._delta(y, last.a); // dE/dz^(L), (batch, n_L)
    const deltas = new Array(this.layers.length);
    for (let l = this.layers.length; l >= 1; l--) {
      const layer = this.layers[l - 1];
      deltas[l - 1] = delta;
      const grad_a_prev = layer.backward(delta, { need_grad_input: l > 1 });
      if (l > 1) {
        const below = this.layers[l - 2];
        const fz = below.f_grad(below.z);
        for (let i = 0; i < grad_a_prev.length; i++) grad_a_prev[i] *= fz[i];
        delta = grad_a_prev;
      }
    }
    return deltas;
  }

  /** Output probabilities a^(L) for x (the caches of the last layer are overwritten). */
  predict(x) {
    return this.forward(x);
  }

  /** The loss on (x, y), from clipped probabilities, averaged over the batch (as scratch). */
  loss(x, y) {
    const a = this.predict(x);
    const k = this.sizes[this.sizes.length - 1];
    return this._loss(asMatrix(y, k, this.dtype), a);
  }
}
