// The neuron-xor explorable's training against scratch.MLP.fit, step by step, in float64
// (fixtures: tests/test_js_neuron_xor.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  fit,
  xorNetwork,
} from "../../mnist_lessons/explore/static/explore/explorables/neuron-xor/fit.js";

const TOL = 1e-10; // absolute, on weights of order 1 to 10 and on the loss
const fixtures = JSON.parse(
  readFileSync(join(process.env.MNIST_LESSONS_FIXTURES, "neuron_xor.json"), "utf8"),
);

for (const run of fixtures.runs) {
  test(`XOR, ${run.hidden} hidden units, eta ${run.eta}, seed ${run.seed}`, () => {
    const net = xorNetwork(run.hidden, run.start);
    let worst = 0;
    const history = fit(net, fixtures.x, fixtures.y, {
      epochs: run.steps.length,
      eta: run.eta,
      onEpoch(epoch, trained) {
        trained.params.forEach((p, i) => {
          const expected = run.steps[epoch - 1][i];
          assert.equal(p.length, expected.length);
          for (let j = 0; j < p.length; j++) {
            const error = Math.abs(p[j] - expected[j]);
            worst = Math.max(worst, error);
            assert.ok(error <= TOL, `step ${epoch}, param ${i}[${j}]: ${p[j]} vs ${expected[j]}`);
          }
        });
      },
    });
    history.loss.forEach((loss, i) => {
      assert.ok(Math.abs(loss - run.loss[i]) <= TOL, `loss at epoch ${i + 1}: ${loss}`);
    });
    const a = net.predict(fixtures.x);
    run.predict.forEach((p, i) => assert.ok(Math.abs(a[i] - p) <= TOL, `output ${i}`));
    assert.ok(worst <= TOL);
  });
}
