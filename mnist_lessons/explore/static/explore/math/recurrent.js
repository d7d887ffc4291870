// Recurrent networks reading a digit row by row: mnist_lessons.scratch.recurrent's rnn_forward in
// JavaScript, name for name, and Keras' LSTM (eq-lstm of the chapter "Recurrent networks").
//
// Arrays are typed arrays in C order with a `.shape`. As in the Python module, one sample is a
// row: a SimpleRNN step reads h[t] = tanh(x[t] @ W.T + h[t - 1] @ U.T + b) with W (n, m) and
// U (n, n) in the book's shapes (Keras' kernel is W.T, its recurrent_kernel U.T).

function shaped(array, shape) {
  array.shape = shape;
  return array;
}

function sigmoid(z) {
  const e = Math.exp(-Math.abs(z)); // e^{-|z|}: no overflow for large |z|
  return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}

function sequences(x) {
  if (!x.shape || (x.shape.length !== 2 && x.shape.length !== 3)) {
    throw new Error("Pass x as (batch, steps, inputs) or (steps, inputs), with a .shape.");
  }
  return x.shape.length === 3 ? x.shape : [1, ...x.shape];
}

/**
 * The SimpleRNN's recurrence over every step: x (batch, T, m), W (n, m), U (n, n), b (n).
 * Returns h (batch, T + 1, n), the states for t = 0, ..., T; h[:, 0] is the zero start.
 */
export function rnn_forward(x, W, U, b) {
  const [batch, T, m] = sequences(x);
  const n = b.length;
  if (W.length !== n * m || U.length !== n * n) {
    throw new Error(
      `Pass W as (units, inputs) and U as (units, units): expected ${n}x${m} and ${n}x${n}. ` +
        "Keras' kernels are W.T and U.T.",
    );
  }
  const h = shaped(new Float64Array(batch * (T + 1) * n), [batch, T + 1, n]);
  for (let s = 0; s < batch; s++) {
    for (let t = 1; t <= T; t++) {
      const xt = (s * T + (t - 1)) * m; // x[s, t - 1]
      const prev = (s * (T + 1) + (t - 1)) * n; // h[s, t - 1]
      const now = prev + n; // h[s, t]
      for (let j = 0; j < n; j++) {
        let z = b[j];
        for (let k = 0; k < m; k++) z += x[xt + k] * W[j * m + k];
        for (let k = 0; k < n; k++) z += h[prev + k] * U[j * n + k];
        h[now + j] = Math.tanh(z);
      }
    }
  }
  return h;
}

/**
 * Keras' LSTM over every step (eq-lstm): x (batch, T, m); kernel (m, 4n), recurrent_kernel
 * (n, 4n) and bias (4n) as Keras stores them, the four blocks side by side in the order input
 * gate i, forget gate f, candidate g, output gate o:
 *     i = sigmoid(x W_i + h U_i + b_i), f = sigmoid(...), g = tanh(...), o = sigmoid(...)
 *     c_t = f * c_{t-1} + i * g,  h_t = o * tanh(c_t)
 * Returns {h, c}, each (batch, T + 1, n), with zero states at t = 0.
 */
export function lstm_forward(x, kernel, recurrent_kernel, bias) {
  const [batch, T, m] = sequences(x);
  const n = bias.length / 4;
  if (kernel.length !== m * 4 * n || recurrent_kernel.length !== n * 4 * n) {
    throw new Error(
      `Pass Keras' LSTM weights: kernel (${m}, ${4 * n}), recurrent_kernel (${n}, ${4 * n}).`,
    );
  }
  const h = shaped(new Float64Array(batch * (T + 1) * n), [batch, T + 1, n]);
  const c = shaped(new Float64Array(batch * (T + 1) * n), [batch, T + 1, n]);
  const z = new Float64Array(4 * n); // the four blocks' inputs, before their activations
  for (let s = 0; s < batch; s++) {
    for (let t = 1; t <= T; t++) {
      const xt = (s * T + (t - 1)) * m;
      const prev = (s * (T + 1) + (t - 1)) * n;
      const now = prev + n;
      z.set(bias);
      for (let k = 0; k < m; k++) {
        const xk = x[xt + k];
        if (xk === 0) continue;
        const row = k * 4 * n;
        for (let j = 0; j < 4 * n; j++) z[j] += xk * kernel[row + j];
      }
      for (let k = 0; k < n; k++) {
        const hk = h[prev + k];
        if (hk === 0) continue;
        const row = k * 4 * n;
        for (let j = 0; j < 4 * n; j++) z[j] += hk * recurrent_kernel[row + j];
      }
      for (let j = 0; j < n; j++) {
        const i = sigmoid(z[j]);
        const f = sigmoid(z[n + j]);
        const g = Math.tanh(z[2 * n + j]);
        const o = sigmoid(z[3 * n + j]);
        c[now + j] = f * c[prev + j] + i * g;
        h[now + j] = o * Math.tanh(c[now + j]);
      }
    }
  }
  return { h, c };
}

/**
 * The softmax layer on every state: softmax(h_t V.T + c) with V (K, n), c (K), for h of shape
 * (..., n). Entry t of a sequence's output is the model's answer after reading rows 1..t (the
 * same as models.outputs_after_each_step, which applies the layer to each h_t).
 */
export function outputs_after_each_step(h, V, c) {
  const K = c.length;
  const n = V.length / K;
  const count = h.length / n;
  const p = shaped(new Float64Array(count * K), [...h.shape.slice(0, -1), K]);
  for (let r = 0; r < count; r++) {
    let top = -Infinity;
    for (let k = 0; k < K; k++) {
      let z = c[k];
      for (let j = 0; j < n; j++) z += h[r * n + j] * V[k * n + j];
      p[r * K + k] = z;
      if (z > top) top = z;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) {
      p[r * K + k] = Math.exp(p[r * K + k] - top);
      sum += p[r * K + k];
    }
    for (let k = 0; k < K; k++) p[r * K + k] /= sum;
  }
  return p;
}
