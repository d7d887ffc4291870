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
  pixel: { default: -1, min: -1, max: 783, step: 1 }, // a pixel of the digit to follow, or none
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

/** The first `count` swaps applied to the positions: y[k] = x[order[k]] (an Int32Array). */
export function scrambleOrder(swaps, count, n = 784) {
  const order = Int32Array.from({ length: n }, (_, k) => k);
  for (let s = 0; s < count; s++) {
    const i = swaps[2 * s];
    const j = swaps[2 * s + 1];
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

const STRIP = { rows: 4, height: 8, gap: 3, width: 472 }; // width: narrower on a phone
const PER_ROW = Math.ceil(784 / STRIP.rows);
let CELL = STRIP.width / PER_ROW;

/** A row of 784 values as ink in STRIP.rows lines of cells (the MLP's input, wrapped). */
function strip(fig, values, x, y) {
  for (let r = 0; r < STRIP.rows; r++) {
    const row = values.subarray(r * PER_ROW, Math.min(values.length, (r + 1) * PER_ROW));
    image(fig, row, row.length, 1, { x, y: y + r * (STRIP.height + STRIP.gap),
      width: CELL * row.length, height: STRIP.height, vmin: 0, vmax: 1 });
  }
}

/** The box of input k in a strip drawn at (x, y). */
function stripCell(k, x, y) {
  const r = Math.floor(k / PER_ROW);
  return { left: x + (k % PER_ROW) * CELL, top: y + r * (STRIP.height + STRIP.gap),
    width: CELL, height: STRIP.height };
}

/** Which input of a strip drawn at (x, y) is under the point (px, py), or -1. */
function stripIndex(px, py, x, y) {
  const r = Math.floor((py - y) / (STRIP.height + STRIP.gap));
  const into = py - y - r * (STRIP.height + STRIP.gap);
  const k = r * PER_ROW + Math.floor((px - x) / CELL);
  const inside = r >= 0 && r < STRIP.rows && into <= STRIP.height && px >= x;
  return inside && px < x + STRIP.width && k < 784 ? k : -1;
}

function ring(fig, box, color) {
  const { ctx } = fig;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.strokeRect(box.left - 2, box.top - 2, box.width + 4, box.height + 4);
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
  ex.slider("pixel", {
    label: "follow a pixel",
    format: (k) => (k < 0 ? "none" : `row ${Math.floor(k / SIDE) + 1}, column ${(k % SIDE) + 1}`),
  });

  // Four images in a row where there is room (480 px), else two rows of two, so that the text
  // keeps its size on a phone.
  const room = ex.figures.clientWidth || 480;
  const narrow = room < 480;
  const wide = narrow ? Math.round(Math.max(250, room)) : 480;
  STRIP.width = wide - 8;
  CELL = STRIP.width / PER_ROW;
  const size = 112; // the images' side in CSS pixels: 4 per pixel
  // where the digit, its edges, the scrambled digit and its edges are drawn (top left corners)
  const slots = narrow
    ? [[4, 42], [124, 42], [4, 180], [124, 180]]
    : [[4, 42], [124, 42], [248, 42], [368, 42]];
  const stripTop = narrow ? 318 : 186;
  const strips = [stripTop + 36, stripTop + 96]; // the digit's row, the scrambled row
  const fig = ex.canvas({ width: wide, height: stripTop + 164,
    label: "A digit and its scrambled version, as a CNN and as an MLP get them" });

  function view(s) {
    const x = digit(Math.min(s.digit, nDigits - 1));
    const count = Math.round(s.scramble * nSwaps);
    const y = scrambleSteps(x, swaps, count);
    y.shape = [SIDE, SIDE];
    const K = kernels[s.kernel];
    return { x, y, count, K, fx: convolve2d(x, K), fy: convolve2d(y, K),
      order: scrambleOrder(swaps, count) };
  }
  ex.expose({ view, transpositions, scrambleSteps, scrambleOrder, pi, nSwaps });

  // Pointing at a pixel (in an image or a row of inputs) follows it; the slider does the same.
  function pixelAt(px, py) {
    const order = scrambleOrder(swaps, Math.round(ex.state.scramble * nSwaps));
    const inImage = ([left, top]) =>
      px >= left && px < left + size && py >= top && py < top + size;
    const cell = ([left, top]) => Math.floor((py - top) / 4) * SIDE + Math.floor((px - left) / 4);
    if (inImage(slots[0])) return cell(slots[0]);
    if (inImage(slots[2])) return order[cell(slots[2])];
    const a = stripIndex(px, py, 4, strips[0]);
    if (a >= 0) return a;
    const b = stripIndex(px, py, 4, strips[1]);
    return b >= 0 ? order[b] : -1;
  }
  fig.canvas.addEventListener("pointermove", (event) => {
    const p = fig.pointer(event);
    const k = pixelAt(p.x, p.y);
    if (k >= 0 && k !== ex.state.pixel) ex.set("pixel", k);
  });
  fig.canvas.addEventListener("pointerdown", (event) => {
    const p = fig.pointer(event);
    const k = pixelAt(p.x, p.y);
    if (k >= 0) ex.set("pixel", k);
  });

  return function render(s) {
    const c = ex.colors();
    // plot.js asks fig.colors() for every pixel it paints: answer from this render's palette.
    const f = { ...fig, colors: () => c };
    const i = Math.min(s.digit, nDigits - 1);
    const { x, y, count, fx, fy, order } = view(s);
    clear(f);
    // The CNN's view: two 28 x 28 images and their 26 x 26 feature maps, on one colour scale.
    let m = 0;
    for (const v of [...fx, ...fy]) m = Math.max(m, Math.abs(v));
    text(f, narrow ? "What a CNN gets (3×3 kernel's map)"
      : "What a CNN gets: an image, and a 3×3 kernel's feature map", 4, 4,
      { size: 13, weight: "bold", baseline: "top" });
    const head = { size: 12, baseline: "top", color: c.muted };
    const pct = `${Math.round(s.scramble * 100)} %`;
    ["the digit", "its edges", `scrambled ${pct}`, "its edges"].forEach((words, k) =>
      text(f, words, slots[k][0], slots[k][1] - 18, head));
    const box = ([left, top]) => ({ x: left, y: top, width: size, height: size });
    image(f, x, SIDE, SIDE, { ...box(slots[0]), vmin: 0, vmax: 1 });
    image(f, fx, SIDE - 2, SIDE - 2, { ...box(slots[1]), cmap: "diverging", vmin: -m || -1,
      vmax: m || 1 });
    image(f, y, SIDE, SIDE, { ...box(slots[2]), vmin: 0, vmax: 1 });
    image(f, fy, SIDE - 2, SIDE - 2, { ...box(slots[3]), cmap: "diverging", vmin: -m || -1,
      vmax: m || 1 });

    // The MLP's view: the same 784 numbers in a row, wrapped in 4 lines.
    text(f, narrow ? "What an MLP gets: 784 numbers in a row"
      : "What an MLP gets: 784 numbers in a row (wrapped in 4 lines)", 4, stripTop,
      { size: 13, weight: "bold", baseline: "top" });
    text(f, "the digit", 4, strips[0] - 16, head);
    strip(f, x, 4, strips[0]);
    text(f, `scrambled ${pct}`, 4, strips[1] - 16, head);
    strip(f, y, 4, strips[1]);

    // The followed pixel: where its number sits in each image and each row.
    let follow = "";
    if (s.pixel >= 0) {
      const p = s.pixel;
      const q = order.indexOf(p); // its position once scrambled
      const at = (k, [left, top]) => ({ left: left + (k % SIDE) * 4,
        top: top + Math.floor(k / SIDE) * 4,
        width: 4, height: 4 });
      ring(f, at(p, slots[0]), c.accent);
      ring(f, at(q, slots[2]), c.accent);
      ring(f, stripCell(p, 4, strips[0]), c.accent);
      ring(f, stripCell(q, 4, strips[1]), c.accent);
      const rc = (k) => `row ${Math.floor(k / SIDE) + 1}, column ${(k % SIDE) + 1}`;
      follow = ` The pixel at ${rc(p)} (value ${x[p].toFixed(2)}) is input ${p + 1} of the ` +
        `MLP; scrambled, the same number is input ${q + 1}, at ${rc(q)} of the CNN's image.`;
    }

    let sum = 0;
    for (const v of x) sum += v;
    const what = count === 0 ? "the digit itself" : count === nSwaps
      ? "the digit scrambled by π" : `${count} of π's ${nSwaps} swaps applied`;
    fig.setLabel(`Test digit ${data.index[i]}, ${aDigit(data.labels[i])}, and ${what}, ` +
      `as 28 by 28 images with their ${s.kernel}-edge feature maps, and as rows of 784 inputs.`);
    const cnn = count === 0 ? "the edge map is the digit's"
      : "the edge map loses the strokes, a stroke being a run of neighbours";
    return `Test digit ${data.index[i]}, ${aDigit(data.labels[i])}, ${what}: the MLP gets ` +
      `the same 784 numbers (sum ${sum.toFixed(1)}) in another order; for the CNN, ${cnn}.` +
      follow;
  };
}
