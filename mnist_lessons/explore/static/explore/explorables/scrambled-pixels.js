/*
 * Explorable "scrambled-pixels" (chapter Types of networks): one fixed permutation pi of the 784
 * pixels (the chapter's, exported by the build), applied to a test digit step by step. Shown:
 * the image as a CNN gets it (28 x 28: neighbours matter) with the feature map of a 3 x 3 Sobel
 * edge kernel, and the same numbers as the MLP gets them, a row of 784 inputs in another order.
 *
 * Each step swaps two pixels: pi is split into transpositions (cycle by cycle), so every
 * intermediate image is itself a permutation of the digit, and the last one is x[pi] exactly.
 */

import { clear, image, text } from "../lib/plot.js";
import { convolve2d } from "../math/convolution.js";

export const state = {
  digit: { default: 0, min: 0, max: 99, step: 1 }, // which exported test digit
  scramble: { default: 1, min: 0, max: 1, step: 0.01 }, // share of pi's swaps applied
  kernel: { default: "horizontal", choices: ["horizontal", "vertical"] },
};

const SIDE = 28;

/**
 * pi as a list of swaps [i, j] (flat): applied in order to a copy y of x (swap y[i] and y[j]),
 * they leave y[k] = x[pi[k]] for every k. One swap fixes one position of a cycle, so there are
 * 784 minus the number of cycles.
 */
export function transpositions(pi) {
  const n = pi.length;
  const seen = new Uint8Array(n);
  const swaps = [];
  for (let start = 0; start < n; start++) {
    if (seen[start]) continue;
    seen[start] = 1;
    let j = start;
    while (pi[j] !== start) {
      swaps.push(j, pi[j]); // y[j] takes x[pi[j]], which still sits at pi[j]
      j = pi[j];
      seen[j] = 1;
    }
  }
  return Int32Array.from(swaps);
}

/** x with the first `count` swaps applied (a Float64Array; x[pi] when count is all of them). */
export function scrambleSteps(x, swaps, count) {
  const y = Float64Array.from(x);
  for (let s = 0; s < count; s++) {
    const i = swaps[2 * s];
    const j = swaps[2 * s + 1];
    const t = y[i];
    y[i] = y[j];
    y[j] = t;
  }
  return y;
}

function aDigit(d) {
  return d === 8 ? "an 8" : `a ${d}`;
}

/** A row of n values as ink in `rows` lines of cells (the MLP's input vector, wrapped). */
function strip(fig, values, { x, y, width, rows, height, highlight = -1 }) {
  const n = values.length;
  const perRow = Math.ceil(n / rows);
  const cell = width / perRow;
  const c = fig.colors();
  const { ctx } = fig;
  ctx.save();
  for (let r = 0; r < rows; r++) {
    const row = values.subarray(r * perRow, Math.min(n, (r + 1) * perRow));
    const top = y + r * (height + 3);
    image(fig, row, row.length, 1, { x, y: top, width: cell * row.length, height,
      vmin: 0, vmax: 1 });
  }
  if (highlight >= 0) {
    const r = Math.floor(highlight / perRow);
    ctx.strokeStyle = c.accent;
    ctx.lineWidth = 2;
    ctx.strokeRect(x + (highlight % perRow) * cell - 1, y + r * (height + 3) - 2, cell + 2,
      height + 4);
  }
  ctx.restore();
}

export function mount(ex, data, arrays) {
  const pi = Array.from(arrays.pi);
  const swaps = transpositions(pi);
  const nSwaps = swaps.length / 2;
  const nDigits = arrays.digits.shape[0];
  state.digit.max = nDigits - 1;
  const kernels = {};
  for (const [name, K] of Object.entries(data.kernels)) {
    const flat = Float64Array.from(K.flat());
    flat.shape = [K.length, K[0].length];
    kernels[name.split(" ")[0]] = flat;
  }
  const digit = (i) => {
    const x = Float64Array.from(arrays.digits.subarray(i * 784, (i + 1) * 784), (v) => v / 255);
    x.shape = [SIDE, SIDE];
    return x;
  };

  ex.slider("digit", {
    label: "test digit",
    format: (i) => `#${data.index[i]}, ${aDigit(data.labels[i])}`,
  });
  ex.slider("scramble", {
    label: "pixels scrambled",
    format: (v) => `${Math.round(v * 100)} % (${Math.round(v * nSwaps)} swaps)`,
  });
  ex.choice("kernel", {
    label: "3×3 edge kernel",
    labels: { horizontal: "horizontal edges", vertical: "vertical edges" },
  });
  ex.button("Scramble / unscramble", () => ex.set("scramble", ex.state.scramble < 1 ? 1 : 0));

  const fig = ex.canvas({ width: 480, height: 330,
    label: "A digit and its scrambled version, as a CNN and as an MLP get them" });

  function view(s) {
    const x = digit(Math.min(s.digit, nDigits - 1));
    const count = Math.round(s.scramble * nSwaps);
    const y = scrambleSteps(x, swaps, count);
    y.shape = [SIDE, SIDE];
    const K = kernels[s.kernel];
    return { x, y, count, K, fx: convolve2d(x, K), fy: convolve2d(y, K) };
  }
  ex.expose({ view, transpositions, scrambleSteps, pi, nSwaps });

  return function render(s) {
    const c = ex.colors();
    const i = Math.min(s.digit, nDigits - 1);
    const { x, y, count, fx, fy } = view(s);
    clear(fig);
    // The CNN's view: two 28 x 28 images and their 26 x 26 feature maps, on one colour scale.
    let m = 0;
    for (const v of [...fx, ...fy]) m = Math.max(m, Math.abs(v));
    const size = 112;
    const cols = [4, 124, 248, 368];
    const top = 42;
    text(fig, "What a CNN gets: an image, and a 3×3 kernel's feature map", 4, 4,
      { size: 13, weight: "bold", baseline: "top" });
    const head = { size: 12, baseline: "top", color: c.muted };
    text(fig, "the digit", cols[0], 24, head);
    text(fig, "its edges", cols[1], 24, head);
    text(fig, `scrambled ${Math.round(s.scramble * 100)} %`, cols[2], 24, head);
    text(fig, "its edges", cols[3], 24, head);
    image(fig, x, SIDE, SIDE, { x: cols[0], y: top, width: size, height: size, vmin: 0,
      vmax: 1 });
    image(fig, fx, SIDE - 2, SIDE - 2, { x: cols[1], y: top, width: size, height: size,
      cmap: "diverging", vmin: -m || -1, vmax: m || 1 });
    image(fig, y, SIDE, SIDE, { x: cols[2], y: top, width: size, height: size, vmin: 0,
      vmax: 1 });
    image(fig, fy, SIDE - 2, SIDE - 2, { x: cols[3], y: top, width: size, height: size,
      cmap: "diverging", vmin: -m || -1, vmax: m || 1 });

    // The MLP's view: the same 784 numbers in a row, wrapped in 4 lines.
    const stripTop = 186;
    text(fig, "What an MLP gets: 784 numbers in a row (wrapped in 4 lines)", 4, stripTop,
      { size: 13, weight: "bold", baseline: "top" });
    text(fig, "the digit", 4, stripTop + 20, head);
    strip(fig, x, { x: 4, y: stripTop + 36, width: 472, rows: 4, height: 6 });
    text(fig, `scrambled ${Math.round(s.scramble * 100)} %`, 4, stripTop + 76, head);
    strip(fig, y, { x: 4, y: stripTop + 92, width: 472, rows: 4, height: 6 });

    let sum = 0;
    for (const v of x) sum += v;
    const what = count === 0 ? "the digit itself" : count === nSwaps
      ? "the digit scrambled by π" : `${count} of π's ${nSwaps} swaps applied`;
    fig.setLabel(`Test digit ${data.index[i]}, ${aDigit(data.labels[i])}, and ${what}, ` +
      `as 28 by 28 images with their ${s.kernel}-edge feature maps, and as rows of 784 inputs.`);
    const cnn = count === 0 ? "the edge map is the digit's"
      : "the edge map loses the strokes, a stroke being a run of neighbours";
    return `Test digit ${data.index[i]}, ${aDigit(data.labels[i])}, ${what}: the MLP gets ` +
      `the same 784 numbers (sum ${sum.toFixed(1)}) in another order; for the CNN, ${cnn}.`;
  };
}
