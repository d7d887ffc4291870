// The decoder of explorables/latent-map.js against Keras' decoder (float32 weights, 1e-5).
// Fixtures: tests/test_js_latent_map.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { makeDecoder } from "../../mnist_lessons/explore/static/explore/explorables/latent-map.js";

const folder = process.env.MNIST_LESSONS_FIXTURES;
const f = JSON.parse(readFileSync(join(folder, "latent_map.json"), "utf8"));

function typed(rows) {
  const a = Float32Array.from(rows.flat());
  a.shape = Array.isArray(rows[0]) ? [rows.length, rows[0].length] : [rows.length];
  return a;
}

test("the page's decoder draws what Keras' decoder draws, to 1e-5 per pixel", () => {
  const decode = makeDecoder({
    W_1: typed(f.W_1),
    b_1: typed(f.b_1),
    W_2: typed(f.W_2),
    b_2: typed(f.b_2),
  });
  f.codes.forEach((z, n) => {
    const x_hat = decode(z);
    assert.equal(x_hat.length, 784);
    f.x_hat[n].forEach((e, i) => {
      assert.ok(Math.abs(x_hat[i] - e) <= 1e-5, `code ${n}, pixel ${i}: ${x_hat[i]} vs ${e}`);
    });
  });
});
