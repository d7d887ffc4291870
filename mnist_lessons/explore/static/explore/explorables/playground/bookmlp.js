/*
 * The book's trained MLP, as the draw-a-digit widget reads it: the bundle
 * mnist_lessons.widget.export writes (_static/widget/mnist-mlp.bin; data.layers names each
 * layer's shape and activation, arrays W0, b0, W1, ... hold the kernels (n_in, n_out) and
 * biases in float16), and its forward pass (relu, then softmax).
 */

import { parseBundle } from "../../lib/bundle.js";

/** The layers [{W (n_in x n_out, row-major), b, n_in, n_out, activation}] of the file. */
export function parseMLP(buffer) {
  const { data, arrays } = parseBundle(buffer);
  return data.layers.map(({ shape: [n_in, n_out], activation }, i) => ({
    n_in,
    n_out,
    activation,
    W: arrays[`W${i}`],
    b: arrays[`b${i}`],
  }));
}

/** Probabilities of the ten digits for one image x (784 numbers in [0, 1]). */
export function predictMLP(layers, x) {
  let a = Float64Array.from(x);
  for (const { n_in, n_out, W, b, activation } of layers) {
    const z = Float64Array.from(b);
    for (let k = 0; k < n_in; k++) {
      const v = a[k];
      if (v === 0) continue;
      for (let j = 0; j < n_out; j++) z[j] += v * W[k * n_out + j];
    }
    if (activation === "relu") a = z.map((v) => (v > 0 ? v : 0));
    else {
      const top = Math.max(...z);
      const e = z.map((v) => Math.exp(v - top));
      const sum = e.reduce((s, v) => s + v, 0);
      a = e.map((v) => v / sum);
    }
  }
  return Array.from(a);
}
