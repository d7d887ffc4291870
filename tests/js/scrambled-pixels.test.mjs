// The scramble of explorables/scrambled-pixels.js against NumPy's x[pi] (exact).
// Fixtures: tests/test_js_scrambled_pixels.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  scrambleOrder,
  scrambleSteps,
  transpositions,
} from "../../mnist_lessons/explore/static/explore/explorables/scrambled-pixels.js";

const folder = process.env.MNIST_LESSONS_FIXTURES;
const cases = JSON.parse(readFileSync(join(folder, "scrambled_pixels.json"), "utf8"));

cases.forEach(({ pi, x, x_pi, n_swaps }, c) => {
  const n = pi.length;
  test(`permutation ${c} of ${n}: all the swaps give x[pi], one per position of a cycle`, () => {
    const swaps = transpositions(pi);
    assert.equal(swaps.length / 2, n_swaps);
    assert.deepEqual(Array.from(scrambleSteps(x, swaps, n_swaps)), x_pi);
    assert.deepEqual(Array.from(scrambleOrder(swaps, n_swaps, n)), pi);
  });

  test(`permutation ${c} of ${n}: every partial scramble is a permutation`, () => {
    const swaps = transpositions(pi);
    const sorted = [...x].sort((a, b) => a - b);
    for (const k of [0, 1, Math.floor(n_swaps / 3), Math.floor(n_swaps / 2), n_swaps - 1]) {
      if (k < 0 || k > n_swaps) continue;
      const y = scrambleSteps(x, swaps, k);
      assert.deepEqual([...y].sort((a, b) => a - b), sorted, `after ${k} swaps`);
      const order = scrambleOrder(swaps, k, n);
      order.forEach((from, i) => assert.equal(y[i], x[from], `after ${k} swaps, entry ${i}`));
      const placed = order.filter((from, i) => from === pi[i]).length;
      assert.ok(placed >= k, `after ${k} swaps, only ${placed} entries hold x[pi]`);
    }
  });
});
