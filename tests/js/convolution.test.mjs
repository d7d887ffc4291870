// convolution.js against mnist_lessons.scratch.convolution (float64, 1e-12) and against Keras'
// layers of build_cnn (float32 weights, 1e-5). Fixtures: tests/test_js_convolution.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as conv from "../../mnist_lessons/explore/static/explore/math/convolution.js";

const folder = process.env.MNIST_LESSONS_FIXTURES;
const scratch = JSON.parse(readFileSync(join(folder, "convolution.json"), "utf8"));
const keras = JSON.parse(readFileSync(join(folder, "convolution_keras.json"), "utf8"));

function array({ values, shape }) {
  const a = Float64Array.from(values);
  a.shape = shape;
  return a;
}

function allClose(actual, expected, tol, what) {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  expected.values.forEach((e, i) => {
    const error = Math.abs(actual[i] - e);
    assert.ok(
      error <= tol * Math.max(1, Math.abs(e)),
      `${what} [${i}]: ${actual[i]} against ${e} (difference ${error})`,
    );
  });
}

const x = array(scratch.x);

for (const c of scratch.convolutions) {
  const label = `K ${c.K.shape.join("x")}, padding ${c.padding}, stride ${c.stride}`;
  test(`convolve2d, ${label}`, () => {
    const z = conv.convolve2d(x, array(c.K), {
      padding: c.padding,
      stride: c.stride,
      bias: c.bias,
    });
    allClose(z, c.z, 1e-12, `convolve2d ${label}`);
  });
}

test("max_pool2d, windows and strides", () => {
  for (const c of scratch.pools) {
    const opts = c.stride === null ? {} : { stride: c.stride };
    allClose(conv.max_pool2d(x, c.size, opts), c.y, 0, `max_pool2d ${c.size}/${c.stride}`);
  }
});

test("max_pool2d pools every channel of an (H, W, C) map", () => {
  const [H, W] = x.shape;
  const stacked = new Float64Array(H * W * 2);
  for (let i = 0; i < H * W; i++) {
    stacked[2 * i] = x[i];
    stacked[2 * i + 1] = -x[i];
  }
  stacked.shape = [H, W, 2];
  const y = conv.max_pool2d(stacked, 2);
  const first = conv.channel(y, 0);
  allClose(first, scratch.pools[0].y, 0, "channel 0");
});

test("output_size", () => {
  for (const c of scratch.sizes) {
    const out = conv.output_size(c.n, c.k, { stride: c.stride, padding: c.padding });
    assert.equal(out, c.out, JSON.stringify(c));
  }
});

test("receptive_fields of the chapter's CNN", () => {
  assert.deepEqual(conv.receptive_fields(scratch.stack, 28), scratch.fields);
});

test("bad arguments are refused with a sentence", () => {
  assert.throws(() => conv.convolve2d(x, x, { stride: 0 }), /stride/);
  assert.throws(() => conv.convolve2d(x, x, { padding: "full" }), /padding/);
  assert.throws(() => conv.output_size(3, 5), /does not fit/);
});

const weights = Object.fromEntries(
  Object.entries(keras.weights).map(([k, v]) => [k, typeof v === "number" ? v : array(v)]),
);

keras.images.forEach((image, j) => {
  test(`cnn_forward matches Keras' build_cnn layer by layer, image ${j}`, () => {
    const layers = conv.cnn_forward(array(image), weights);
    for (const [name, outputs] of Object.entries(keras.layers)) {
      allClose(layers[name], outputs[j], 1e-5, `${name} of image ${j}`);
    }
  });
});
