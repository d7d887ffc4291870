// gradient_depth.js (the explorable gradient-depth's math) against mnist_lessons.scratch, all in
// float64 (fixtures: tests/test_js_gradient_depth.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  DepthProbe,
  gradient_norms,
  standard_normal,
  std,
  weight_scale,
} from "../../mnist_lessons/explore/static/explore/math/gradient_depth.js";
import { MLP, make_rng, matrix } from "../../mnist_lessons/explore/static/explore/math/network.js";

const TOL = 1e-10; // relative
const F = JSON.parse(
  readFileSync(join(process.env.MNIST_LESSONS_FIXTURES, "gradient_depth.json"), "utf8"),
);

const asMatrix = (rows) => matrix(rows.length, rows[0].length, rows.flat());

function close(actual, expected, what) {
  const error = Math.abs(actual - expected);
  assert.ok(
    error <= TOL * Math.abs(expected),
    `${what}: ${actual} against ${expected} (relative difference ${error / Math.abs(expected)})`,
  );
}

const x = asMatrix(F.x);
const y = asMatrix(F.y);
const hidden = F.hidden.map(asMatrix);
const output = asMatrix(F.output);

test("weight_scale: Glorot's, He's and the chapter's 0.01 / std(N)", () => {
  for (const c of F.probe.filter((p) => p.depth === hidden.length)) {
    [...hidden, output].forEach((N, l) => {
      close(weight_scale(N, c.init), c.scales[l], `${c.init} scale of layer ${l + 1}`);
    });
  }
});

test("DepthProbe: every activation, initialisation and depth, as scratch.MLP", () => {
  const probe = new DepthProbe(x, y, hidden, output);
  for (const c of F.probe) {
    const { norms, slopes } = probe.norms(c.activation, c.init, c.depth);
    const what = `${c.activation}, ${c.init}, depth ${c.depth}`;
    assert.equal(norms.length, c.depth + 1, what);
    c.norms.forEach((v, l) => close(norms[l], v, `${what}: ||dW^(${l + 1})||`));
    c.slopes.forEach((v, l) => close(slopes[l], v, `${what}: mean f'(z^(${l + 1}))`));
  }
});

test("gradient_norms with given weights and biases, as scratch.MLP", () => {
  const Ws = F.plain.W.map(asMatrix);
  for (const [name, expected] of Object.entries(F.plain.norms)) {
    const norms = gradient_norms(x, y, Ws, name, F.plain.b);
    expected.forEach((v, l) => close(norms[l], v, `${name}: ||dW^(${l + 1})||`));
  }
});

test("DepthProbe agrees with network.js's MLP on the same weights", () => {
  const probe = new DepthProbe(x, y, hidden, output);
  const depth = 3;
  const draws = [...hidden.slice(0, depth), output];
  const params = draws.flatMap((N) => {
    const s = weight_scale(N, "he");
    return [N.map((v) => s * v), new Float64Array(N.shape[0])];
  });
  const sizes = [x.shape[1], ...draws.map((N) => N.shape[0])];
  const net = new MLP(sizes, { activation: "relu", params });
  net.forward(x);
  net.backward(y);
  const { norms } = probe.norms("relu", "he", depth);
  net.layers.forEach((layer, l) => {
    const norm = Math.sqrt(layer.dW.reduce((s, v) => s + v * v, 0));
    close(norms[l], norm, `layer ${l + 1}`);
  });
});

test("standard_normal: seeded, mean 0 and variance 1", () => {
  const a = standard_normal(200, 100, make_rng(3));
  const b = standard_normal(200, 100, make_rng(3));
  assert.deepEqual(a, b);
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`); // 4 standard errors of 20,000 draws
  assert.ok(Math.abs(std(a) - 1) < 0.02, `std ${std(a)}`);
});

test("DepthProbe refuses a depth it has no draws for", () => {
  const probe = new DepthProbe(x, y, hidden, output);
  assert.throws(() => probe.norms("relu", "he", hidden.length + 1), /depth must be 1 to/);
});
