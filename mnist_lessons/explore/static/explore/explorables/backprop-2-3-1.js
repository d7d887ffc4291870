// Explorable "backprop-2-3-1": the backpropagation chapter's worked example made editable.
//
// A 2-3-1 sigmoid network with binary cross-entropy on one example (x, y). The reader edits x, y
// and any weight or bias; the page runs network.js (scratch's MLP, tested to 1e-12) forward and
// backward, and the diagram shows every z, a, delta on the units and every W, dW on the edges.

import { MLP } from "../math/network.js";
import { sigmoid_grad } from "../math/activations.js";

// The chapter's example (book/backpropagation.md). The build sends its own copy in `data`, and
// mount() refuses to start if the two differ, so the first view is always the chapter's.
const EXAMPLE = {
  x1: 1, x2: 0.5, y: 1,
  W1_11: 0.1, W1_12: -0.2, W1_21: 0.4, W1_22: 0.3, W1_31: -0.5, W1_32: 0.2,
  b1_1: 0.1, b1_2: -0.1, b1_3: 0.2,
  W2_11: 0.3, W2_12: -0.6, W2_13: 0.7,
  b2_1: 0.2,
};

const RANGE = { min: -5, max: 5, step: 0.01 };
export const state = Object.fromEntries(
  Object.entries(EXAMPLE).map(([key, value]) => [
    key,
    key === "y" ? { default: value, min: 0, max: 1, step: 0.01 } : { default: value, ...RANGE },
  ]),
);

const SUB = "₀₁₂₃₄₅₆₇₈₉";
const sub = (digits) => [...String(digits)].map((d) => SUB[Number(d)]).join("");
const SUP = { 1: "⁽¹⁾", 2: "⁽²⁾" };

/** "W⁽¹⁾₂₁" for W1_21, "b⁽²⁾₁" for b2_1, "x₁" for x1. */
export function symbol(key) {
  const m = /^([Wb])([12])_(\d+)$/.exec(key);
  if (m) return `${m[1]}${SUP[m[2]]}${sub(m[3])}`;
  return key === "y" ? "y" : `x${sub(key.slice(1))}`;
}

/** The network's parameters [W1, b1, W2, b2] from a state. */
function params(s) {
  return [
    [s.W1_11, s.W1_12, s.W1_21, s.W1_22, s.W1_31, s.W1_32],
    [s.b1_1, s.b1_2, s.b1_3],
    [s.W2_11, s.W2_12, s.W2_13],
    [s.b2_1],
  ];
}

/**
 * Forward and backward through the example with settings s, by network.js: every number of the
 * diagram, as plain lists (row-major for dW1, (3, 2)), in float64.
 */
export function compute(s) {
  const net = new MLP([2, 3, 1], { activation: "sigmoid", output: "sigmoid", params: params(s) });
  const x = [[s.x1, s.x2]];
  const y = [[s.y]];
  const E = net.loss(x, y); // forward: keeps every z and a
  const [deltaHidden, deltaOut] = net.backward(y);
  const [hidden, output] = net.layers;
  const list = (array) => Array.from(array);
  return {
    x: [s.x1, s.x2],
    y: s.y,
    z1: list(hidden.z),
    a1: list(hidden.a),
    fprime1: list(sigmoid_grad(hidden.z)),
    delta1: list(deltaHidden),
    dW1: list(hidden.dW),
    db1: list(hidden.db),
    z2: list(output.z),
    a2: list(output.a),
    fprime2: list(sigmoid_grad(output.z)),
    delta2: list(deltaOut),
    dW2: list(output.dW),
    db2: list(output.db),
    E,
  };
}

// --- the diagram (SVG: crisp text at any width) ---------------------------------------------

const NS = "http://www.w3.org/2000/svg";
const HEIGHTS = { input: 42, hidden: 102, output: 132 }; // each card's height (see card())
// Two layouts: layers from left to right on a wide figure, from top to bottom on a phone.
// A card is [left, right, centre y]; t1[j][k] and t2[j] place the label of edge k -> j (layer
// 1) and j -> 1 (layer 2) along it, staggered so that no two labels overlap.
const LAYOUTS = {
  wide: {
    width: 640, height: 446, vertical: false, // the key below the third hidden card
    input: [[20, 98, 150], [20, 98, 290]],
    hidden: [[262, 380, 75], [262, 380, 220], [262, 380, 365]],
    output: [522, 632, 220],
    t1: [[0.28, 0.72], [0.28, 0.72], [0.28, 0.72]], t2: [0.5, 0.5, 0.5],
    key: ["Edges: blue W ≥ 0, orange W < 0, thicker for larger |W|. " +
      "δ = ∂E/∂z, dW = ∂E/∂W, db = ∂E/∂b."],
  },
  narrow: { // 320 px: drawn at its own size in a 375 px page
    width: 320, height: 662, vertical: true,
    input: [[30, 130, 40], [190, 290, 40]],
    hidden: [[2, 104, 300], [109, 211, 300], [216, 318, 300]],
    output: [110, 210, 530],
    t1: [[0.25, 0.75], [0.5, 0.5], [0.75, 0.25]], t2: [0.62, 0.3, 0.62],
    key: ["Edges: blue W ≥ 0, orange W < 0,", "thicker for larger |W|.",
      "δ = ∂E/∂z, dW = ∂E/∂W, db = ∂E/∂b."],
  },
};

/** Where an edge leaves card `from` and enters card `to` (of the given kinds). */
function ends(layout, from, fromKind, to, toKind) {
  const [l0, r0, y0] = from;
  const [l1, r1, y1] = to;
  if (!layout.vertical) return [r0, y0, l1, y1];
  return [(l0 + r0) / 2, y0 + HEIGHTS[fromKind] / 2, (l1 + r1) / 2, y1 - HEIGHTS[toKind] / 2];
}

function el(tag, attributes, parent) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (parent) parent.append(node);
  return node;
}

const f4 = (v) => {
  const t = v.toFixed(4);
  return (t === "-0.0000" ? "0.0000" : t).replace("-", "−");
};
const f2 = (v) => String(Number(v.toFixed(2))).replace("-", "−");

/** Lines of text centred in a card, with a frame; returns the text elements. */
function card(parent, [left, right, cy], lines, colors, { title } = {}) {
  const height = 15 * lines.length + (title ? 17 : 0) + 10;
  const top = cy - height / 2;
  el("rect", { x: left, y: top, width: right - left, height, rx: 8, fill: colors.bg,
    stroke: colors.fg, "stroke-width": 1.2 }, parent);
  let y = top + 17;
  if (title) {
    const t = el("text", { x: (left + right) / 2, y, "text-anchor": "middle",
      "font-weight": 600, fill: colors.fg }, parent);
    t.textContent = title;
    y += 17;
  }
  return lines.map((line) => {
    const t = el("text", { x: left + 8, y, fill: colors.fg }, parent);
    t.textContent = line;
    y += 15;
    return t;
  });
}

function edgeLabel(parent, x, y, W, dW, colors) {
  el("rect", { x: x - 37, y: y - 15, width: 74, height: 30, rx: 4, fill: colors.bg,
    opacity: 0.92 }, parent);
  const t1 = el("text", { x, y: y - 3, "text-anchor": "middle", fill: colors.fg }, parent);
  t1.textContent = `W ${f2(W)}`;
  const t2 = el("text", { x, y: y + 11, "text-anchor": "middle", fill: colors.muted,
    "font-size": 11 }, parent);
  t2.textContent = `dW ${f4(dW)}`;
}

function draw(svg, layout, v, s, colors) {
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);
  svg.style.maxWidth = `${layout.width}px`;
  const [pos, neg] = colors.series;
  const edges = el("g", { fill: "none" }, svg);
  const labels = el("g", { "font-size": 12, "font-variant-numeric": "tabular-nums" }, svg);
  const [W1, , W2] = params(s);
  const edge = ([x0, y0, x1, y1], W, dW, t) => {
    el("line", { x1: x0, y1: y0, x2: x1, y2: y1, stroke: W >= 0 ? pos : neg,
      "stroke-width": 1 + 2 * Math.min(Math.abs(W), 2.5) }, edges);
    edgeLabel(labels, x0 + t * (x1 - x0), y0 + t * (y1 - y0), W, dW, colors);
  };
  // Edges: width by |W|, colour by its sign, each labelled with W and dW.
  for (let j = 0; j < 3; j++) {
    for (let k = 0; k < 2; k++) {
      const at = ends(layout, layout.input[k], "input", layout.hidden[j], "hidden");
      edge(at, W1[2 * j + k], v.dW1[2 * j + k], layout.t1[j][k]);
    }
  }
  for (let j = 0; j < 3; j++) {
    const at = ends(layout, layout.hidden[j], "hidden", layout.output, "output");
    edge(at, W2[j], v.dW2[j], layout.t2[j]);
  }
  const units = el("g", { "font-size": 12.5, "font-variant-numeric": "tabular-nums" }, svg);
  for (let k = 0; k < 2; k++) {
    card(units, layout.input[k], [`${f2(v.x[k])}`], colors, { title: `input x${sub(k + 1)}` });
  }
  for (let j = 0; j < 3; j++) {
    card(units, layout.hidden[j], [
      `z  ${f4(v.z1[j])}`,
      `a  ${f4(v.a1[j])}`,
      `δ  ${f4(v.delta1[j])}`,
      `b  ${f2(s[`b1_${j + 1}`])}`,
      `db ${f4(v.db1[j])}`,
    ], colors, { title: `hidden ${j + 1}` });
  }
  card(units, layout.output, [
    `z  ${f4(v.z2[0])}`,
    `a  ${f4(v.a2[0])}`,
    `δ  ${f4(v.delta2[0])}`,
    `b  ${f2(s.b2_1)}`,
    `db ${f4(v.db2[0])}`,
    `y  ${f2(s.y)}`,
    `E  ${f4(v.E)}`,
  ], colors, { title: "output" });
  layout.key.forEach((line, i) => {
    const y = layout.height - 8 - 15 * (layout.key.length - 1 - i);
    const key = el("text", { x: layout.width / 2, y, "text-anchor": "middle",
      "font-size": 11.5, fill: colors.muted }, svg);
    key.textContent = line;
  });
}

function sameExample(data) {
  const from = {
    x1: data.x[0], x2: data.x[1], y: data.y,
    W1_11: data.W1[0][0], W1_12: data.W1[0][1], W1_21: data.W1[1][0], W1_22: data.W1[1][1],
    W1_31: data.W1[2][0], W1_32: data.W1[2][1],
    b1_1: data.b1[0], b1_2: data.b1[1], b1_3: data.b1[2],
    W2_11: data.W2[0][0], W2_12: data.W2[0][1], W2_13: data.W2[0][2],
    b2_1: data.b2[0],
  };
  return Object.keys(EXAMPLE).filter((key) => from[key] !== EXAMPLE[key]);
}

export function mount(ex, data) {
  const changed = sameExample(data);
  if (changed.length) {
    throw new Error(`the chapter's example changed (${changed.join(", ")}): update EXAMPLE in ` +
      "explorables/backprop-2-3-1.js");
  }
  // Controls in three groups: the example, layer 1, layer 2.
  const groups = [
    ["Example", ["x1", "x2", "y"]],
    ["Layer 1", ["W1_11", "W1_12", "W1_21", "W1_22", "W1_31", "W1_32", "b1_1", "b1_2", "b1_3"]],
    ["Layer 2", ["W2_11", "W2_12", "W2_13", "b2_1"]],
  ];
  for (const [legend, keys] of groups) {
    const fieldset = document.createElement("fieldset");
    fieldset.className = "bp231-group";
    Object.assign(fieldset.style, { display: "flex", flexWrap: "wrap", gap: "0.4rem 0.75rem",
      border: "1px solid var(--ex-border)", borderRadius: "0.4rem", padding: "0.3rem 0.6rem",
      margin: "0", minWidth: "0" });
    const title = document.createElement("legend");
    title.textContent = legend;
    Object.assign(title.style, { fontSize: "0.9rem", fontWeight: "600", padding: "0 0.3rem",
      margin: "0", width: "auto", float: "none", border: "0" });
    fieldset.append(title);
    for (const key of keys) {
      const input = ex.number(key, { label: symbol(key), format: (v) => String(v) });
      input.style.width = "5.5rem";
      Object.assign(input.parentElement.style, { minWidth: "0", width: "auto" });
      fieldset.append(input.parentElement);
    }
    ex.controls.append(fieldset);
  }
  ex.button("Back to the chapter's example", () => ex.set({ ...EXAMPLE }));

  const panel = ex.panel("bp231-diagram");
  panel.style.flex = "1 1 100%";
  const svg = el("svg", { width: "100%", role: "img",
    style: "display: block; margin: 0 auto; font-family: system-ui, sans-serif" }, panel);
  // The layout follows the room the figure has: redraw when it crosses the threshold.
  const narrow = () => panel.clientWidth > 0 && panel.clientWidth < 560;
  let wasNarrow = narrow();
  new ResizeObserver(() => {
    if (narrow() !== wasNarrow) ex.root.explorable.render();
  }).observe(panel);
  let last = null;
  ex.expose({ compute, values: () => last, EXAMPLE });

  return function render(s) {
    const v = compute(s);
    last = v;
    wasNarrow = narrow();
    draw(svg, wasNarrow ? LAYOUTS.narrow : LAYOUTS.wide, v, s, ex.colors());
    const text =
      `Forward: output a = ${f4(v.a2[0])}, loss E = ${f4(v.E)}. Backward: output δ = ` +
      `${f4(v.delta2[0])}, hidden δ = ${v.delta1.map(f4).join(", ")}; dW⁽²⁾ = ` +
      `${v.dW2.map(f4).join(", ")}.`;
    const what = "The 2-3-1 network after one forward and one backward pass.";
    svg.setAttribute("aria-label", `${what} ${text}`);
    return text;
  };
}
