// explore/math/preprocess.js against mnist_lessons.widget.preprocess on the same drawings.
// The fixture (preprocess.json) is written by tests/test_js_preprocess.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import {
  BOX,
  DrawingTooSmall,
  EMPTY,
  FIELD,
  MIN_EXTENT,
  TOO_SMALL,
  area_resize,
  center_of_mass,
  preprocess,
  preprocess_steps,
} from "../../mnist_lessons/explore/static/explore/math/preprocess.js";

const folder = process.env.MNIST_LESSONS_FIXTURES;
const fixture = JSON.parse(readFileSync(join(folder, "preprocess.json"), "utf8"));
const TOL = fixture.tolerance;

function close(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    assert.ok(d <= TOL, `${what}[${i}]: ${actual[i]} vs Python's ${expected[i]} (|d| = ${d})`);
  }
}

function gray(c) {
  return c.bytes ? Float64Array.from(c.ink, (v) => v / 255) : Float64Array.from(c.ink);
}

test("the constants and messages are Python's", () => {
  assert.deepEqual({ FIELD, BOX, MIN_EXTENT }, fixture.constants);
  assert.equal(EMPTY, fixture.messages.empty);
  assert.equal(TOO_SMALL, fixture.messages.dot);
});

for (const c of fixture.cases) {
  test(`${c.name}: every stage as in Python`, () => {
    const steps = preprocess_steps(gray(c), c.width, c.height, { min_extent: c.min_extent });
    if (c.error) {
      assert.equal(steps.error, c.error);
      assert.equal(steps.message, c.message);
      assert.equal(steps.image, undefined);
      assert.throws(
        () => preprocess(gray(c), c.width, c.height, { min_extent: c.min_extent }),
        (e) => e instanceof DrawingTooSmall && e.kind === c.error && e.message === c.message
      );
      return;
    }
    const e = c.expected;
    assert.equal(steps.error, undefined);
    assert.deepEqual(steps.shape, e.shape);
    assert.deepEqual(steps.crop.slice(2), e.crop);
    close(steps.box, e.box, "box");
    close(steps.center, e.center, "center");
    assert.deepEqual(steps.offset, e.offset);
    assert.ok(steps.image instanceof Float64Array);
    close(steps.image, e.image, "image");
    close(preprocess(gray(c), c.width, c.height, { min_extent: c.min_extent }), e.image, "image");
  });
}

test("area_resize by whole factors is the block mean; a window reads its part only", () => {
  const h = 4;
  const w = 6;
  const image = Float64Array.from({ length: h * w }, (_, i) => (i * 7) % 5);
  const y = area_resize(image, h, w, 2, 2);
  for (let i = 0; i < 2; i++) {
    for (let k = 0; k < 2; k++) {
      let sum = 0;
      for (let r = 0; r < 2; r++) {
        for (let c = 0; c < 3; c++) sum += image[(2 * i + r) * w + 3 * k + c];
      }
      assert.ok(Math.abs(y[i * 2 + k] - sum / 6) <= TOL);
    }
  }
  const window = area_resize(image, 2, 3, 1, 1, { top: 2, left: 3, stride: w });
  assert.ok(Math.abs(window[0] - y[3]) <= TOL);
});

test("center_of_mass of an empty image is refused, as in Python", () => {
  assert.deepEqual(center_of_mass(Float64Array.from([0, 1, 0, 1]), 2, 2), [0.5, 1]);
  assert.throws(() => center_of_mass(new Float64Array(4), 2, 2), DrawingTooSmall);
});
