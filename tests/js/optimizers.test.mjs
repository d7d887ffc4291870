// math/optimizers.js and math/landscapes.js against mnist_lessons.scratch (float64).
// The fixtures are written by tests/test_js_optimizers.py into $MNIST_LESSONS_FIXTURES.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import * as landscapes from "../../mnist_lessons/explore/static/explore/math/landscapes.js";
import {
  AdaGrad,
  Adam,
  OPTIMIZERS,
  RMSProp,
  SGD,
} from "../../mnist_lessons/explore/static/explore/math/optimizers.js";

const FIXTURES = process.env.MNIST_LESSONS_FIXTURES;
const RTOL = 1e-12; // float64 on both sides, the same operations in the same order

function load(name) {
  return JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));
}

// |actual - expected| <= RTOL * max(1, |expected|), element by element.
function close(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= RTOL * Math.max(1, Math.abs(expected[i])))) {
      assert.fail(`${what}[${i}]: ${actual[i]} against scratch's ${expected[i]}`);
    }
  }
}

function make(cls, kwargs) {
  const args = { ...kwargs };
  if (Array.isArray(args.learning_rate)) {
    const rates = args.learning_rate;
    args.learning_rate = (t) => rates[t];
  }
  return new OPTIMIZERS[cls](args);
}

test("every optimizer matches scratch step for step on three parameter arrays", () => {
  const { params0, grads, cases } = load("steps.json");
  assert.ok(Object.keys(cases).length >= 9);
  for (const [name, { class: cls, kwargs, after }] of Object.entries(cases)) {
    const optimizer = make(cls, kwargs);
    const params = params0.map((p) => Float64Array.from(p));
    grads.forEach((step, t) => {
      optimizer.step(
        params,
        step.map((g) => Float64Array.from(g)),
      );
      params.forEach((p, i) => close(p, after[t][i], `${name} step ${t + 1} param ${i}`));
    });
    assert.equal(optimizer.t, grads.length);
  }
});

test("descend() gives scratch.descend's path for each optimizer on each surface", () => {
  const runs = load("paths.json");
  const seen = new Set();
  for (const { surface, class: cls, kwargs, start, steps, path } of runs) {
    const grad = landscapes.LANDSCAPES[surface][1];
    const ours = landscapes.descend(grad, start, make(cls, kwargs), steps);
    assert.deepEqual(ours.shape, [steps + 1, 2]);
    close(ours, path, `${cls} ${JSON.stringify(kwargs)} on ${surface}`);
    seen.add(`${surface} ${cls}`);
  }
  assert.equal(seen.size, 3 * 4); // every surface with SGD, AdaGrad, RMSProp and Adam
});

test("each surface and its gradient match scratch at random points", () => {
  const surfaces = load("surfaces.json");
  for (const [name, { points, f, grad, minima }] of Object.entries(surfaces)) {
    const [F, G, M] = landscapes.LANDSCAPES[name];
    close(
      points.map((p) => F(p)),
      f,
      `${name}`,
    );
    points.forEach((p, i) => close(G(p), grad[i], `${name}_grad at ${p}`));
    assert.deepEqual(M, minima);
  }
});

test("grid() tabulates a surface row by row from the top", () => {
  const values = landscapes.grid(landscapes.valley, [-1, 1], [-2, 2], 4, 2);
  assert.deepEqual(values.shape, [2, 4]);
  assert.equal(values[0], landscapes.valley([-0.75, 1]));
  assert.equal(values[7], landscapes.valley([0.75, -1]));
});

test("bad settings and inputs raise with advice, as scratch does", () => {
  assert.throws(() => new SGD(0), /learning_rate must be a positive number/);
  assert.throws(() => new SGD({ learning_rate: 0.1, momentum: 1 }), /momentum must be in/);
  assert.throws(() => new Adam({ beta1: -0.1 }), /beta1 must be in \[0, 1\)/);
  assert.throws(() => new RMSProp({ rho: 1.5 }), /rho must be in/);
  assert.throws(() => new AdaGrad({ initial_accumulator_value: -1 }), /0 or more/);
  assert.throws(() => new Adam({ beta_1: 0.9 }), /Unknown setting beta_1/);
  const sgd = new SGD(0.1);
  assert.throws(() => sgd.step([new Float64Array(2)], []), /one gradient per parameter/);
  const adam = new Adam();
  adam.step([new Float64Array(2)], [new Float64Array(2)]);
  assert.throws(() => adam.step([new Float64Array(3)], [new Float64Array(3)]), /other param/);
  assert.throws(() => landscapes.descend(landscapes.saddle_grad, [0, 0, 0], sgd, 3), /one point/);
  assert.throws(() => landscapes.descend(landscapes.saddle_grad, [0, 0], sgd, 0), /positive/);
});

test("defaults are scratch's (and so Keras') defaults", () => {
  const { defaults } = load("steps.json");
  for (const [cls, kwargs] of Object.entries(defaults)) {
    const optimizer = new OPTIMIZERS[cls]({ learning_rate: 0.1, ...kwargs });
    for (const [key, value] of Object.entries(kwargs)) {
      assert.equal(optimizer[key], value, `${cls} ${key}`);
    }
  }
  assert.equal(new Adam().learning_rate, defaults.Adam.learning_rate);
});
