// The explorables' bundle reader and URL state, against the bundle Python wrote
// (tests/test_explore.py writes the fixtures and runs this file).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import {
  halfToFloat,
  parseBundle,
} from "../../mnist_lessons/explore/static/explore/lib/bundle.js";
import {
  format,
  normalise,
  parse,
  readState,
  writeState,
} from "../../mnist_lessons/explore/static/explore/lib/state.js";

const FIXTURES = process.env.MNIST_LESSONS_FIXTURES;
const fixture = (name) => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8"));

test("the bundle Python wrote reads back: data, dtypes, shapes and every value", () => {
  const raw = readFileSync(join(FIXTURES, "bundle.bin"));
  const buffer = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
  const bundle = parseBundle(buffer);
  const expected = fixture("bundle");
  assert.equal(bundle.name, expected.name);
  assert.deepEqual(bundle.data, expected.data);
  for (const [key, spec] of Object.entries(expected.arrays)) {
    const array = bundle.arrays[key];
    assert.deepEqual(array.shape, spec.shape, key);
    assert.equal(array.constructor.name, spec.js_type, key);
    assert.equal(array.length, spec.values.length, key);
    spec.values.forEach((v, i) => assert.equal(array[i], v, `${key}[${i}]`));
  }
});

test("float16 decoding matches NumPy's for every one of the 65,536 bit patterns", () => {
  const expected = fixture("float16");
  for (let bits = 0; bits < 65536; bits++) {
    const v = halfToFloat(bits);
    const e = expected[bits];
    if (e === null) assert.ok(Number.isNaN(v), `bits ${bits}`);
    else if (e === "inf" || e === "-inf") assert.equal(v, e === "inf" ? Infinity : -Infinity);
    else assert.equal(v, e, `bits ${bits}`);
  }
});

test("a file that is not a bundle says so", () => {
  assert.throws(() => parseBundle(new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]).buffer), /MNX1/);
});

const SPECS = {
  eta: { default: 0.1, min: 0.001, max: 1, step: 0.001 },
  steps: { default: 50, min: 1, max: 200, step: 1 },
  opt: { default: "adam", choices: ["sgd", "momentum", "adam"] },
  log: { default: false },
  start: { default: [-1.5, 2], length: 2, min: -3, max: 3 },
};

test("settings round-trip through the URL, and only changed ones are written", () => {
  const state = { eta: 0.3, steps: 50, opt: "sgd", log: true, start: [0.5, -1.25] };
  const search = writeState("optimizer-paths", SPECS, state, "?other=1");
  assert.equal(
    search,
    "?other=1&optimizer-paths.eta=0.3&optimizer-paths.opt=sgd&optimizer-paths.log=1" +
      "&optimizer-paths.start=0.5_-1.25",
  );
  assert.deepEqual(readState("optimizer-paths", SPECS, search), state);
  const defaults = Object.fromEntries(Object.entries(SPECS).map(([k, s]) => [k, s.default]));
  assert.equal(writeState("optimizer-paths", SPECS, defaults, ""), "");
});

test("a bad value in a shared link falls back or is clamped, never breaks", () => {
  assert.equal(parse(SPECS.eta, "abc"), 0.1);
  assert.equal(parse(SPECS.eta, "7"), 1);
  assert.equal(parse(SPECS.eta, "-1"), 0.001);
  assert.equal(parse(SPECS.steps, "12.6"), 13);
  assert.equal(parse(SPECS.opt, "lbfgs"), "adam");
  assert.equal(parse(SPECS.log, "maybe"), false);
  assert.deepEqual(parse(SPECS.start, "1_2_3"), [-1.5, 2]);
  assert.deepEqual(parse(SPECS.start, "9_x"), [-1.5, 2]);
  assert.deepEqual(parse(SPECS.start, "9_-9"), [3, -3]);
  assert.equal(normalise(SPECS.eta, NaN), 0.1);
  assert.equal(format(SPECS.eta, 0.30000000000000004), "0.3");
});
