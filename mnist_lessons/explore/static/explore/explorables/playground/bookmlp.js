/*
 * The book's trained MLP, as the draw-a-digit widget reads it: the float16 file
 * mnist_lessons.widget.export writes (_static/widget/mnist-mlp.bin: "MNW1", a header, then per
 * layer the kernel (n_in, n_out) and the bias), and its forward pass (relu, then softmax).
 */

import { halfToFloat } from "../../lib/bundle.js";

/** The layers [{W (n_in x n_out, row-major), b, n_in, n_out, activation}] of an MNW1 file. */
export function parseMLP(buffer) {
  const bytes = new Uint8Array(buffer);
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== "MNW1") {
    throw new Error("the book's MLP file is not a widget model (no MNW1)");
  }
  const n = new DataView(buffer).getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  let at = 8 + n;
  const half = (count) => {
    const out = Float32Array.from(new Uint16Array(buffer.slice(at, at + 2 * count)), halfToFloat);
    at += 2 * count;
    return out;
  };
  return header.layers.map(({ shape: [n_in, n_out], activation }) => ({
    n_in,
    n_out,
    activation,
    W: half(n_in * n_out),
    b: half(n_out),
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
