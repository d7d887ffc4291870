// Explorable "kernel-editor" (chapter "Convolutional networks"): nine weights of a 3x3 kernel,
// presets from the build (the Sobel edge kernels, a blur, the identity), a digit, the padding
// and the stride; the feature map is convolve2d of the page's math, the book's eq-convolution.

import { clear, image, text } from "../lib/plot.js";
import { convolve2d } from "../math/convolution.js";

const SIDE = 28;
// The first view is the chapter's figure: the horizontal-edge kernel on the chapter's digit.
// mount() checks these defaults against the build's preset of that name.
const FIRST_KERNEL = [1, 2, 1, 0, 0, 0, -1, -2, -1];
const KEYS = FIRST_KERNEL.map((_, i) => `k${Math.floor(i / 3) + 1}${(i % 3) + 1}`);

export const state = {
  ...Object.fromEntries(KEYS.map((key, i) => [key, { default: FIRST_KERNEL[i], min: -99,
    max: 99 }])),
  digit: { default: 0, min: 0, max: 10, step: 1 },
  padding: { default: "valid", choices: ["valid", "same"] },
  stride: { default: 1, min: 1, max: 3, step: 1 },
};

const PRESET_LABELS = {
  "horizontal edges": "Horizontal edges",
  "vertical edges": "Vertical edges",
  blur: "Blur",
  identity: "Identity",
};

function fmt(v) {
  return Math.abs(v) >= 100 || v === Math.round(v) ? String(v) : v.toFixed(2);
}

export function mount(ex, data, arrays) {
  const { digits } = arrays; // (11, 28, 28) uint8
  const preset = data.presets["horizontal edges"];
  if (preset.some((v, i) => v !== FIRST_KERNEL[i])) {
    throw new Error("the build's horizontal-edge kernel is not this figure's first kernel");
  }
  const image28 = (d) => {
    const x = new Float64Array(SIDE * SIDE);
    // float32 values, as mnist_lessons.data.scale gives the chapter
    for (let i = 0; i < x.length; i++) x[i] = Math.fround(digits[d * SIDE * SIDE + i] / 255);
    x.shape = [SIDE, SIDE];
    return x;
  };
  const describe = (d) =>
    d === 0 ? `the chapter's digit (a ${data.labels[0]})` : `test digit ${data.labels[d]}`;

  // The nine weights as a 3x3 grid of number boxes, row by row.
  const grid = document.createElement("div");
  grid.className = "kernel-editor-grid";
  grid.setAttribute("role", "group");
  grid.setAttribute("aria-label", "Kernel weights, row by row");
  Object.assign(grid.style, {
    display: "grid",
    gridTemplateColumns: "repeat(3, minmax(4.5rem, 6rem))",
    gap: "0.25rem 0.5rem",
  });
  const kernelRow = document.createElement("div");
  Object.assign(kernelRow.style, { display: "flex", flexWrap: "wrap", gap: "0.5rem 1.25rem",
    alignItems: "flex-end", flexBasis: "100%" });
  kernelRow.append(grid);
  ex.controls.append(kernelRow);
  KEYS.forEach((key, i) => {
    const [row, col] = [Math.floor(i / 3) + 1, (i % 3) + 1];
    const input = ex.number(key, { label: `K${row}${col}`, format: fmt });
    input.setAttribute("aria-label", `K${row}${col}, kernel weight, row ${row}, column ${col}`);
    Object.assign(input.style, { width: "100%", boxSizing: "border-box" });
    input.parentElement.style.minWidth = "0";
    grid.append(input.parentElement);
  });
  const presets = document.createElement("div");
  presets.setAttribute("role", "group");
  presets.setAttribute("aria-label", "Preset kernels");
  presets.className = "kernel-editor-presets";
  Object.assign(presets.style, { display: "flex", flexWrap: "wrap", gap: "0.4rem" });
  kernelRow.append(presets);
  for (const [name, values] of Object.entries(data.presets)) {
    ex.button(PRESET_LABELS[name] ?? name, () => {
      ex.set(Object.fromEntries(KEYS.map((key, i) => [key, values[i]])));
    }, presets);
  }
  ex.slider("digit", { label: "digit", format: describe });
  ex.choice("padding", { label: "padding", labels: { valid: "valid (none)", same: "same" } });
  ex.slider("stride", { label: "stride", format: (v) => String(v) });

  const fig = ex.canvas({ width: 520, height: 230, label: "" });
  // The theme's colours, read once per render: plot.image asks for them at every pixel.
  let colors = ex.colors();
  fig.colors = () => colors;

  function forward(kernel, d, padding, stride) {
    const K = Float64Array.from(kernel);
    K.shape = [3, 3];
    return convolve2d(image28(d), K, { padding, stride });
  }
  let last = null;
  ex.expose({ forward, image28, last: () => last });

  return function render(s) {
    const kernel = KEYS.map((key) => s[key]);
    const z = forward(kernel, s.digit, s.padding, s.stride);
    last = z;
    const [h, w] = z.shape;
    const c = (colors = ex.colors());
    clear(fig);
    const top = 26;
    const side = 168;
    // the digit
    text(fig, describe(s.digit), 0, 16, { color: c.fg });
    image(fig, image28(s.digit), SIDE, SIDE, { x: 0, y: top, width: side, height: side,
      cmap: "gray", vmin: 0, vmax: 1 });
    // the kernel, with its weights written in its cells
    const kx = side + 34;
    const cell = 38;
    text(fig, "kernel K", kx, 16, { color: c.fg });
    image(fig, kernel, 3, 3, { x: kx, y: top + 28, size: cell, cmap: "diverging" });
    kernel.forEach((v, i) => {
      text(fig, fmt(v), kx + (i % 3) * cell + cell / 2, top + 28 + Math.floor(i / 3) * cell +
        cell / 2, { align: "center", baseline: "middle", size: 11, color: c.fg });
    });
    // the feature map, on a colour scale symmetric about 0
    const mx = kx + 3 * cell + 34;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of z) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    text(fig, `feature map ${h} × ${w}`, mx, 16, { color: c.fg });
    image(fig, z, w, h, { x: mx, y: top, width: side, height: side, cmap: "diverging" });
    text(fig, `blue ${fmt(lo)} … red ${fmt(hi)}`, mx, top + side + 16, { size: 11,
      color: c.muted });
    const what = describe(s.digit);
    const sentence =
      `${what[0].toUpperCase()}${what.slice(1)} convolved with the kernel ` +
      `${kernel.map(fmt).join(", ")} ` +
      `(${s.padding} padding, stride ${s.stride}): a ${h} by ${w} feature map, from ` +
      `${fmt(lo)} to ${fmt(hi)}.`;
    fig.setLabel(sentence);
    return sentence;
  };
}
