// losses.js against mnist_lessons.scratch.losses (fixtures: tests/test_js_losses.py), float64.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as losses from "../../mnist_lessons/explore/static/explore/math/losses.js";

const TOL = 1e-12; // relative to max(1, |expected|)
const fixtures = JSON.parse(
  readFileSync(join(process.env.MNIST_LESSONS_FIXTURES, "losses.json"), "utf8"),
);

function close(actual, expected, what) {
  const error = Math.abs(actual - expected);
  assert.ok(
    error <= TOL * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} against ${expected} (difference ${error})`,
  );
}

function shaped(values, shape) {
  const array = Float64Array.from(values);
  array.shape = shape;
  return array;
}

test("EPSILON is Keras' epsilon", () => {
  assert.equal(losses.EPSILON, fixtures.EPSILON);
});

for (const [name, cases] of Object.entries(fixtures.losses)) {
  for (const c of cases) {
    test(`${name} and ${name}_grad, ${c.label}`, () => {
      const y = shaped(c.y_true, c.shape);
      const a = shaped(c.y_pred, c.shape);
      close(losses[name](y, a), c.loss, `${name} ${c.label}`);
      const grad = losses[`${name}_grad`](y, a);
      assert.deepEqual(grad.shape, c.shape);
      assert.equal(grad.length, c.grad.length);
      c.grad.forEach((g, i) => close(grad[i], g, `${name}_grad ${c.label} [${i}]`));
    });
  }
}

for (const [name, cases] of Object.entries(fixtures.deltas)) {
  for (const c of cases) {
    test(`${name}, ${c.label}`, () => {
      const delta = losses[name](shaped(c.y_true, c.shape), shaped(c.a, c.shape));
      assert.deepEqual(delta.shape, c.shape);
      c.delta.forEach((d, i) => close(delta[i], d, `${name} ${c.label} [${i}]`));
    });
  }
}

test("plain arrays without a shape are one row", () => {
  close(losses.mse([0, 1], [1, 1]), 0.5, "mse of a plain row");
  assert.deepEqual(losses.mae_grad([0, 1], [1, 1]).shape, [1, 2]);
  assert.throws(() => losses.mse([0], [1, 2]), /same shape/);
});
