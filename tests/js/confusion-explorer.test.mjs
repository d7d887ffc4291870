// confusion-explorer's coverage and bit unpacking, and training-epochs' rate drops, against
// Python (exact: counts). Fixtures: tests/test_js_confusion_explorer.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  makeCoverage,
  unpackBits,
} from "../../mnist_lessons/explore/static/explore/explorables/confusion-explorer.js";
import {
  rateDrops,
} from "../../mnist_lessons/explore/static/explore/explorables/training-epochs.js";

const folder = process.env.MNIST_LESSONS_FIXTURES;
const f = JSON.parse(readFileSync(join(folder, "confusion_explorer.json"), "utf8"));

test("unpackBits reads what np.packbits packed", () => {
  const bits = unpackBits(Uint8Array.from(f.bits), f.correct.length);
  assert.deepEqual(Array.from(bits), f.correct);
});

test("makeCoverage answers and gets right as many images as coverage_accuracy", () => {
  const at = makeCoverage(Float32Array.from(f.confidence), Uint8Array.from(f.correct));
  f.thresholds.forEach((tau, k) => {
    const r = at(tau);
    assert.equal(r.answered, f.answered[k], `answered at tau = ${tau}`);
    assert.equal(r.right, f.right[k], `right at tau = ${tau}`);
    assert.equal(r.refused, f.confidence.length - f.answered[k]);
  });
});

test("rateDrops marks the epochs where rate_schedule starts a new rate", () => {
  assert.deepEqual(rateDrops(f.rates), f.drops);
});
