// The playground's training (explorables/playground/train.js) against mnist_lessons.playground:
// tests/test_js_playground.py writes the fixtures and runs this file.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { make_rng } from "../../mnist_lessons/explore/static/explore/math/network.js";
import {
  Run,
  batchOrder,
  initialNetwork,
} from "../../mnist_lessons/explore/static/explore/explorables/playground/train.js";

const FIXTURES = process.env.MNIST_LESSONS_FIXTURES;
const fixture = (name) => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8"));
const raw = fixture("digits");
const DIGITS = {
  x_train: Uint8Array.from(raw.x_train),
  y_train: Uint8Array.from(raw.y_train),
  x_test: Uint8Array.from(raw.x_test),
  y_test: Uint8Array.from(raw.y_test),
};

// Float32 parameters after one step: both sides round each value to float32, but compute in
// float64 (JavaScript) or float32 (NumPy), so they differ by a few float32 roundings.
const STEP_RTOL = 1e-5;
const STEP_ATOL = 1e-6;
const LONG_RTOL = 1e-3; // the loss after 200 steps, relative (the bound)

function close(actual, expected, rtol, atol, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) - rtol * Math.abs(expected[i]);
    if (err > worst) worst = err;
    if (!(err <= atol)) {
      assert.fail(`${what}[${i}]: ${actual[i]} vs ${expected[i]} (rtol ${rtol}, atol ${atol})`);
    }
  }
  return worst;
}

test("make_rng draws mulberry32's numbers exactly as the Python Mulberry32", () => {
  for (const [seed, numbers] of Object.entries(fixture("rng"))) {
    const rng = make_rng(Number(seed));
    numbers.forEach((v, i) => assert.equal(rng(), v, `seed ${seed}, draw ${i}`));
  }
});

test("batchOrder shuffles exactly as playground.batch_order", () => {
  const rng = make_rng(7);
  for (const expected of fixture("orders")) {
    assert.deepEqual(Array.from(batchOrder(expected.length, rng)), expected);
  }
});

test("one seed gives the Python initial network, for every depth and activation", () => {
  for (const { settings, params } of fixture("inits")) {
    const net = initialNetwork(settings, make_rng(settings.seed));
    const what = `${settings.hidden_layers} layers of ${settings.activation}`;
    assert.equal(net.params.length, params.length, what);
    // Box-Muller's log and cos may differ by an ulp between the two maths libraries before
    // the float32 rounding: 1e-7 absolute covers that, on weights of size about 0.05.
    net.params.forEach((p, i) => close(p, params[i], 0, 1e-7, `${what}, param ${i}`));
  }
});

test("one training step equals scratch.MLP + the optimizer, for each activation and optimizer",
  (t) => {
    let worst = 0;
    for (const { settings, after_one } of fixture("steps")) {
      const run = new Run(settings, DIGITS);
      run.step();
      const what = `${settings.activation} with ${settings.optimizer}`;
      run.net.params.forEach((p, i) => {
        close(p, after_one[i], STEP_RTOL, STEP_ATOL, `${what} ${i}`);
        for (let k = 0; k < p.length; k++) {
          worst = Math.max(worst, Math.abs(p[k] - after_one[i][k]));
        }
      });
    }
    t.diagnostic(`largest difference of a parameter after one step: ${worst.toExponential(2)}`);
  });

test("after 200 steps the losses agree within 1e-3 relative, and so do the epochs' figures",
  (t) => {
    let worst = 0;
    for (const { settings, losses, history } of fixture("steps")) {
      const run = new Run(settings, DIGITS);
      const mine = losses.map(() => run.step());
      const what = `${settings.activation} with ${settings.optimizer}`;
      const last = losses.length - 1;
      worst = Math.max(worst, Math.abs(mine[last] - losses[last]) / Math.abs(losses[last]));
      assert.ok(Math.abs(mine[last] - losses[last]) <= LONG_RTOL * Math.abs(losses[last]),
        `${what}: loss after ${losses.length} steps ${mine[last]} vs ${losses[last]}`);
      for (const key of ["loss", "test_loss"]) {
        close(run.history[key], history[key], LONG_RTOL, 0, `${what} ${key}`);
      }
    }
    const text = worst.toExponential(2);
    t.diagnostic(`largest relative difference of the loss after 200 steps: ${text}`);
  });
