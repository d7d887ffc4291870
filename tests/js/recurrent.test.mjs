// recurrent.js against mnist_lessons.scratch.recurrent (float64, 1e-12) and against Keras'
// SimpleRNN and LSTM of build_rnn, build_lstm (float32 weights, 1e-5).
// Fixtures: tests/test_js_recurrent.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as rec from "../../mnist_lessons/explore/static/explore/math/recurrent.js";

const folder = process.env.MNIST_LESSONS_FIXTURES;
const scratch = JSON.parse(readFileSync(join(folder, "recurrent.json"), "utf8"));
const keras = JSON.parse(readFileSync(join(folder, "recurrent_keras.json"), "utf8"));

function array({ values, shape }) {
  const a = Float64Array.from(values);
  a.shape = shape;
  return a;
}

function close(actual, expected, tol, what) {
  const error = Math.abs(actual - expected);
  assert.ok(
    error <= tol * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} against ${expected} (difference ${error})`,
  );
}

/** States from step 1 on: the JS keeps h_0 = 0 first, as scratch does; Keras does not. */
function afterStart(states, [batch, T, n]) {
  const out = [];
  for (let s = 0; s < batch; s++) {
    for (let t = 1; t <= T; t++) {
      for (let j = 0; j < n; j++) out.push(states[(s * (T + 1) + t) * n + j]);
    }
  }
  return out;
}

test("rnn_forward matches scratch's, h_0 = 0 included", () => {
  const h = rec.rnn_forward(
    array(scratch.x),
    array(scratch.W),
    array(scratch.U),
    array(scratch.b),
  );
  assert.deepEqual(h.shape, scratch.h.shape);
  scratch.h.values.forEach((e, i) => close(h[i], e, 1e-12, `h [${i}]`));
});

test("rnn_forward refuses Keras' transposed kernels with a sentence", () => {
  const W = array(scratch.W);
  W.shape = W.shape.slice().reverse();
  const wrong = new Float64Array(W.length + 1);
  assert.throws(
    () => rec.rnn_forward(array(scratch.x), wrong, array(scratch.U), array(scratch.b)),
    /W\.T/,
  );
});

test("rnn_forward with Keras' SimpleRNN weights (W = kernel.T) matches Keras", () => {
  const { weights, V, c, h: hk, p: pk } = keras.rnn;
  const [kernel, recurrent, b] = weights.map(array);
  const [m, n] = kernel.shape;
  const W = new Float64Array(n * m);
  const U = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < m; k++) W[j * m + k] = kernel[k * n + j];
    for (let k = 0; k < n; k++) U[j * n + k] = recurrent[k * n + j];
  }
  const h = rec.rnn_forward(array(keras.x), W, U, b);
  afterStart(h, hk.shape).forEach((v, i) => close(v, hk.values[i], 1e-5, `h [${i}]`));
  const p = rec.outputs_after_each_step(h, array(V), array(c));
  const pAfter = afterStart(p, pk.shape);
  pAfter.forEach((v, i) => close(v, pk.values[i], 1e-5, `p [${i}]`));
});

test("lstm_forward matches Keras' LSTM: states, cell states and answers after each step", () => {
  const { weights, V, c: bias, h: hk, cell: ck, p: pk } = keras.lstm;
  const [kernel, recurrent, b] = weights.map(array);
  const { h, c } = rec.lstm_forward(array(keras.x), kernel, recurrent, b);
  assert.deepEqual(h.shape, [hk.shape[0], hk.shape[1] + 1, hk.shape[2]]);
  afterStart(h, hk.shape).forEach((v, i) => close(v, hk.values[i], 1e-5, `h [${i}]`));
  afterStart(c, ck.shape).forEach((v, i) => close(v, ck.values[i], 1e-5, `c [${i}]`));
  const p = rec.outputs_after_each_step(h, array(V), array(bias));
  afterStart(p, pk.shape).forEach((v, i) => close(v, pk.values[i], 1e-5, `p [${i}]`));
});
