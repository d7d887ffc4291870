// The gradient of each layer of a deep MLP at its initial weights, on one batch of digits:
// the measurement of the activations chapter ("Vanishing gradients, measured"), for the explorable
// gradient-depth. The math is mnist_lessons.scratch.network.MLP's, symbol for symbol:
//     forward   z^(l) = a^(l-1) W^(l)T + b^(l),   a^(l) = f(z^(l)),   softmax at the output
//     backward  delta^(L) = (a^(L) - y) / N,   delta^(l) = (delta^(l+1) W^(l+1)) ⊙ f'(z^(l)),
//               dW^(l) = delta^(l)T a^(l-1)
// and the chapter plots ||dW^(l)|| (Frobenius norm) for l = 1, ..., L.
//
// gradient_norms does it plainly for given weights. DepthProbe does the same for the page, fast
// enough to answer within a frame: each W^(l) is a fixed matrix of standard normal draws N^(l)
// times a scale (the initialisation's standard deviation), as the chapter rescales "the same
// random numbers"; the forward pass of the deepest network is kept per activation and
// initialisation (a shallower network's hidden layers are its first ones), X N^(1)T is computed
// once, and each ||dW|| comes from the Gram matrix of the layer's inputs.

import { get_activation, softmax } from "./activations.js";
import { softmax_crossentropy_delta } from "./losses.js";
import { init_variance, matrix } from "./network.js";

/** (rows, cols) standard normal draws from rng (uniform in [0, 1)), by Box-Muller. */
export function standard_normal(rows, cols, rng) {
  const out = matrix(rows, cols);
  for (let i = 0; i < out.length; i++) {
    const u = 1 - rng(); // (0, 1]
    out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  }
  return out;
}

/** The population standard deviation of an array (NumPy's std, ddof = 0). */
export function std(values) {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i];
  mean /= values.length;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i] - mean) ** 2;
  return Math.sqrt(s / values.length);
}

/**
 * The factor that turns the draws N (n_out, n_in) into initial weights W = scale N:
 * sqrt(init_variance) for "glorot" or "he" (scratch.layers.init_variance), or, for "small",
 * 0.01 / std(N) (the chapter rescales the same draws to a standard deviation of 0.01).
 */
export function weight_scale(N, init) {
  const [n_out, n_in] = N.shape;
  if (init === "small") return 0.01 / std(N);
  return Math.sqrt(init_variance(n_in, n_out, init === "glorot" ? "glorot_normal" : init));
}

/** z = a_prev W^T (+ b): (batch, n_in) x (n_out, n_in) -> (batch, n_out). */
function forward_z(a_prev, W, b = null) {
  const [batch, n_in] = a_prev.shape;
  const n_out = W.shape[0];
  const z = matrix(batch, n_out);
  for (let i = 0; i < batch; i++) {
    const row = i * n_in;
    for (let j = 0; j < n_out; j++) {
      const w = j * n_in;
      let s = 0;
      for (let k = 0; k < n_in; k++) s += a_prev[row + k] * W[w + k];
      z[i * n_out + j] = b ? s + b[j] : s;
    }
  }
  return z;
}

/** z = a_prev W^T like forward_z, skipping the inputs that are 0 (most pixels of a digit). */
function forward_sparse(a_prev, W) {
  const [batch, n_in] = a_prev.shape;
  const n_out = W.shape[0];
  const z = matrix(batch, n_out);
  for (let i = 0; i < batch; i++) {
    const row = i * n_in;
    const cols = [];
    for (let k = 0; k < n_in; k++) if (a_prev[row + k] !== 0) cols.push(k);
    for (let j = 0; j < n_out; j++) {
      const w = j * n_in;
      let s = 0;
      for (const k of cols) s += a_prev[row + k] * W[w + k];
      z[i * n_out + j] = s;
    }
  }
  return z;
}

/** ||delta^T a_prev||: the Frobenius norm of dW = delta^T a_prev. */
function dW_norm(delta, a_prev) {
  const [batch, n_out] = delta.shape;
  const n_in = a_prev.shape[1];
  const dW = new Float64Array(n_out * n_in); // (n_out, n_in)
  for (let i = 0; i < batch; i++) {
    for (let j = 0; j < n_out; j++) {
      const d = delta[i * n_out + j];
      if (d === 0) continue;
      const w = j * n_in;
      const row = i * n_in;
      for (let k = 0; k < n_in; k++) dW[w + k] += d * a_prev[row + k];
    }
  }
  let s = 0;
  for (let i = 0; i < dW.length; i++) s += dW[i] * dW[i];
  return Math.sqrt(s);
}

/** (delta W) ⊙ f'(z_prev): the delta of the layer below, (batch, n_in). */
function delta_below(delta, W, fz_prev) {
  const [batch, n_out] = delta.shape;
  const n_in = W.shape[1];
  const out = matrix(batch, n_in);
  for (let i = 0; i < batch; i++) {
    const row = i * n_in;
    for (let j = 0; j < n_out; j++) {
      const d = delta[i * n_out + j];
      if (d === 0) continue;
      const w = j * n_in;
      for (let k = 0; k < n_in; k++) out[row + k] += d * W[w + k];
    }
  }
  for (let i = 0; i < out.length; i++) out[i] *= fz_prev[i];
  return out;
}

/** The Gram matrix a a^T (batch, batch) of a batch's rows (symmetric, both halves filled). */
export function gram(a) {
  const [batch, n] = a.shape;
  const G = matrix(batch, batch);
  for (let i = 0; i < batch; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * a[j * n + k];
      G[i * batch + j] = G[j * batch + i] = s;
    }
  }
  return G;
}

/**
 * ||delta^T a_prev|| from the Gram matrix G = a_prev a_prev^T: ||dW||^2 = trace(dW dW^T)
 * = sum over the pairs (i, i') of (delta delta^T)_{ii'} G_{ii'}, which costs batch^2 n_out
 * instead of batch n_out n_in products.
 */
function dW_norm_gram(delta, G) {
  const [batch, n_out] = delta.shape;
  let s = 0;
  for (let i = 0; i < batch; i++) {
    const di = i * n_out;
    for (let i2 = 0; i2 <= i; i2++) {
      const d2 = i2 * n_out;
      let dd = 0;
      for (let j = 0; j < n_out; j++) dd += delta[di + j] * delta[d2 + j];
      s += (i === i2 ? 1 : 2) * dd * G[i * batch + i2];
    }
  }
  return Math.sqrt(Math.max(s, 0));
}

/**
 * ||dW^(l)|| for every layer l = 1, ..., L of an MLP with hidden activation `activation` and a
 * softmax output, on the batch x (N, n_0) with one-hot targets y (N, K). `Ws` are the weights
 * W^(l) (n_l, n_{l-1}) with .shape, `bs` the biases (default 0, as at initialisation).
 */
export function gradient_norms(x, y, Ws, activation, bs = null) {
  const [f, f_grad] = get_activation(activation);
  const L = Ws.length;
  const a = [x]; // a[l] = a^(l), a[0] = x
  const z = [null];
  for (let l = 1; l <= L; l++) {
    z[l] = forward_z(a[l - 1], Ws[l - 1], bs ? bs[l - 1] : null);
    a[l] = l < L ? f(z[l]) : softmax(z[l]);
  }
  const norms = new Float64Array(L);
  let delta = softmax_crossentropy_delta(y, a[L]); // (N, K)
  for (let l = L; l >= 1; l--) {
    norms[l - 1] = dW_norm(delta, a[l - 1]);
    if (l > 1) delta = delta_below(delta, Ws[l - 1], f_grad(z[l - 1]));
  }
  return norms;
}

export class DepthProbe {
  /**
   * x (N, n_0) and y (N, K): the batch; `hidden` (list of N^(1), ..., N^(max depth)) and
   * `output` (N^out, (K, width)): standard normal draws, with .shape. A network of depth d uses
   * hidden draws 1, ..., d and the output draws, each times weight_scale(draws, init).
   */
  constructor(x, y, hidden, output) {
    this.x = x;
    this.y = y;
    this.hidden = hidden;
    this.output = output;
    this.max_depth = hidden.length;
    this.P = forward_sparse(x, hidden[0]); // x N^(1)T, (N, width): z^(1) before the scale
    this.G0 = gram(x); // x x^T, (N, N)
    this.cache = new Map();
  }

  /**
   * The weights for one initialisation: W^(l) = scale N^(l) for l >= 2 and the output layer
   * (W^(1) itself is never needed: z^(1) comes from x N^(1)T, and no delta goes below layer 1).
   */
  weights(init) {
    const key = `weights/${init}`;
    if (this.cache.has(key)) return this.cache.get(key);
    const scaled = (N) => {
      const s = weight_scale(N, init);
      const W = matrix(N.shape[0], N.shape[1]);
      for (let i = 0; i < N.length; i++) W[i] = s * N[i];
      return W;
    };
    const W = [null, ...this.hidden.slice(1).map(scaled)];
    const weights = { W, W_out: scaled(this.output), s1: weight_scale(this.hidden[0], init) };
    this.cache.set(key, weights);
    return weights;
  }

  /** The forward pass of the deepest network: every a^(l), f'(z^(l)) and Gram matrix. */
  forward(activation, init) {
    const key = `${activation}/${init}`;
    if (this.cache.has(key)) return this.cache.get(key);
    const [f, f_grad] = get_activation(activation);
    const { W, W_out, s1 } = this.weights(init);
    let z = matrix(...this.P.shape);
    for (let i = 0; i < z.length; i++) z[i] = s1 * this.P[i]; // z^(1) = x W^(1)T
    const a = [this.x, f(z)];
    const fz = [null, f_grad(z)];
    for (let l = 2; l <= this.max_depth; l++) {
      z = forward_z(a[l - 1], W[l - 1]);
      a[l] = f(z);
      fz[l] = f_grad(z);
    }
    const G = [this.G0, ...a.slice(1).map(gram)]; // G[l] = a^(l) a^(l)T
    const pass = { W, W_out, a, fz, G };
    this.cache.set(key, pass);
    return pass;
  }

  /**
   * ||dW^(l)|| for l = 1, ..., depth + 1 (the last is the output layer), and the mean slope
   * f'(z) of each hidden layer, for `depth` hidden layers of `activation` started with `init`.
   */
  norms(activation, init, depth) {
    if (!(depth >= 1 && depth <= this.max_depth)) {
      throw new Error(`depth must be 1 to ${this.max_depth}, got ${depth}.`);
    }
    const { W, W_out, a, fz, G } = this.forward(activation, init);
    const L = depth + 1;
    const norms = new Float64Array(L);
    const logits = forward_z(a[depth], W_out); // (N, K)
    let delta = softmax_crossentropy_delta(this.y, softmax(logits));
    norms[L - 1] = dW_norm_gram(delta, G[depth]);
    delta = delta_below(delta, W_out, fz[depth]);
    for (let l = depth; l >= 1; l--) {
      norms[l - 1] = dW_norm_gram(delta, G[l - 1]);
      if (l > 1) delta = delta_below(delta, W[l - 1], fz[l - 1]);
    }
    const slopes = fz.slice(1, depth + 1).map((g) => g.reduce((s, v) => s + v, 0) / g.length);
    return { norms, slopes };
  }
}
