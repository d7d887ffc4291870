// Explorable "forward-steps": a digit through the book's trained 784-256-128-10 MLP, one layer
// at a time (book/forward_propagation.md).
//
// The bundle holds the chapter's trained weights (rounded to float16, W of shape (n_l, n_{l-1}))
// and ten test digits (uint8). The page runs the forward pass itself with network.js (scratch's
// MLP in JavaScript, in float64 on the rounded weights) on a test digit or on one the reader
// draws, and shows each layer: the input, the 256 and 128 hidden units as images, the ten
// logits and the ten probabilities.

import { MLP } from "../math/network.js";
import { axes, bars, clear, image, text } from "../lib/plot.js";
import { digitPad } from "../lib/digits.js";

const N_DIGITS = 10;
const DIGITS = Array.from({ length: N_DIGITS }, (_, i) => String(i));
const STEPS = ["the input", "hidden layer 1", "hidden layer 2", "the logits", "the softmax"];

export const state = {
  digit: { default: "0", choices: [...DIGITS, "drawn"] },
  step: { default: 4, min: 0, max: 4, step: 1 },
  show: { default: "a", choices: ["a", "z"] },
};

const GRID = [[28, 28], [16, 16], [16, 8]]; // each layer as an image: width x height units
// Two layouts, chosen by the room the figure has when it starts: three images in a row and the
// two bar charts below on a wide page; on a phone, two images, then one, then one chart a row.
// A slot is where a layer's image goes (its title above, its caption below); `bars` are the
// boxes of the logits' and the probabilities' charts.
const LAYOUTS = {
  wide: {
    width: 640, height: 410,
    slots: [{ left: 20, top: 34, size: 140 }, { left: 250, top: 34, size: 140 },
      { left: 480, top: 34, size: 140 }],
    arrows: [[168, 242, 104, "W⁽¹⁾, relu"], [398, 472, 104, "W⁽²⁾, relu"]],
    bars: [{ left: 50, top: 238, width: 240, height: 130 },
      { left: 370, top: 238, width: 240, height: 130 }],
  },
  narrow: { // 320 px: drawn at its own size in a 375 px page (the text keeps its size)
    width: 320, height: 672,
    slots: [{ left: 10, top: 34, size: 128 }, { left: 172, top: 34, size: 128 },
      { left: 96, top: 242, size: 128, height: 64 }],
    arrows: [[144, 168, 98, ""]],
    bars: [{ left: 46, top: 372, width: 262, height: 90 },
      { left: 46, top: 537, width: 262, height: 90 }],
  },
};

const num = (v, digits = 2) => v.toFixed(digits).replace("-", "−");
/** A probability in three decimals, or in powers of ten below 0.001 (1e−7). */
const small = (v) => (v >= 0.001 ? v.toFixed(3) : v.toExponential(0).replace("-", "−"));

/** The index of the largest entry and of the second largest. */
function topTwo(values) {
  let first = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[first]) first = i;
  let second = first === 0 ? 1 : 0;
  for (let i = 0; i < values.length; i++) {
    if (i !== first && values[i] > values[second]) second = i;
  }
  return [first, second];
}

function countPositive(values) {
  let n = 0;
  for (const v of values) n += v > 0 ? 1 : 0;
  return n;
}

function arrow(fig, x0, x1, y, label) {
  const { ctx } = fig;
  const c = fig.colors();
  ctx.save();
  ctx.strokeStyle = c.muted;
  ctx.fillStyle = c.muted;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(x0, y);
  ctx.lineTo(x1 - 6, y);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x1, y);
  ctx.lineTo(x1 - 8, y - 5);
  ctx.lineTo(x1 - 8, y + 5);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
  text(fig, label, (x0 + x1) / 2, y - 8, { align: "center", size: 11, color: c.muted });
}

function pending(fig, box, label) {
  const { ctx } = fig;
  const c = fig.colors();
  ctx.save();
  ctx.strokeStyle = c.grid;
  ctx.setLineDash([5, 4]);
  ctx.lineWidth = 1.5;
  ctx.strokeRect(box.left + 0.5, box.top + 0.5, box.width - 1, box.height - 1);
  ctx.restore();
  text(fig, label, box.left + box.width / 2, box.top + box.height / 2, { align: "center",
    baseline: "middle", size: 12, color: c.muted });
}

export function mount(ex, data, arrays) {
  if (data.labels.length !== N_DIGITS || arrays.x.shape[0] !== N_DIGITS) {
    throw new Error(`forward-steps expects ${N_DIGITS} test digits in its bundle`);
  }
  const params = ["W1", "b1", "W2", "b2", "W3", "b3"].map((key) => arrays[key]);
  const sizes = [arrays.W1.shape[1], arrays.W1.shape[0], arrays.W2.shape[0], arrays.W3.shape[0]];
  const net = new MLP(sizes, { activation: "relu", output: "softmax", params });

  /** Every layer's z and a for one image x (784 numbers in [0, 1]), by network.js. */
  function forward(x) {
    const p = net.forward(Float64Array.from(x));
    const [l1, l2, l3] = net.layers;
    return {
      x: Float64Array.from(x),
      z: [l1.z.slice(), l2.z.slice(), l3.z.slice()],
      a: [l1.a.slice(), l2.a.slice(), p.slice()],
    };
  }

  const testDigits = Array.from({ length: N_DIGITS }, (_, i) => {
    const x = new Float64Array(784);
    for (let k = 0; k < 784; k++) x[k] = arrays.x[i * 784 + k] / 255;
    return x;
  });
  const cache = new Map(); // test digit -> its pass
  const passOf = (i) => {
    if (!cache.has(i)) cache.set(i, forward(testDigits[i]));
    return cache.get(i);
  };
  for (let i = 0; i < N_DIGITS; i++) passOf(i); // at mount: every render stays quick
  let drawn = null; // {pass} of the reader's drawing, or {message} when it cannot be read
  let padShows = null; // the test digit the pad shows (null: a drawing)

  const a = (d) => `${d === 8 ? "an" : "a"} ${d}`;
  ex.choice("digit", {
    label: "digit",
    labels: Object.fromEntries([
      ...DIGITS.map((i) => [i, `${a(data.labels[i])} (test image ${data.index[i]})`]),
      ["drawn", "your drawing"],
    ]),
  });
  const names = ["input only", "+ hidden layer 1", "+ hidden layer 2", "+ logits", "+ softmax"];
  ex.slider("step", { label: "layers computed", format: (v) => names[v] });
  const stepper = document.createElement("div");
  Object.assign(stepper.style, { display: "flex", gap: "0.5rem", flexWrap: "wrap" });
  ex.controls.append(stepper);
  ex.button("◀ Previous layer", () => ex.set("step", ex.state.step - 1), stepper);
  ex.button("Next layer ▶", () => ex.set("step", ex.state.step + 1), stepper);
  ex.choice("show", {
    label: "hidden units show",
    labels: { a: "a, after relu", z: "z, before relu" },
  });

  // The pad folds away behind a button: the figure stays in view, a click opens the pad.
  const padPanel = ex.panel("forward-steps-pad");
  padPanel.style.flex = "1 1 100%";
  const holder = document.createElement("div");
  holder.id = `${ex.root.id}-pad`;
  holder.hidden = true;
  const showPad = (open) => {
    holder.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? "Hide the drawing pad ▾" : "Draw your own digit ▸";
  };
  const toggle = ex.button("", () => showPad(holder.hidden), padPanel);
  toggle.setAttribute("aria-controls", holder.id);
  padPanel.append(holder);
  showPad(ex.state.digit === "drawn"); // a link to "your drawing" opens the pad to draw on
  const pad = digitPad(holder, {
    label: "Draw a digit for the network",
    onImage(x, message, info) {
      if (padShows !== null && info.steps?.given) return; // our own setImage
      padShows = null;
      drawn = x ? { pass: forward(x) } : { message };
      if (ex.state.digit !== "drawn") ex.set("digit", "drawn");
      else ex.root.explorable.render();
    },
  });
  const L = ex.root.clientWidth > 0 && ex.root.clientWidth < 560 ? LAYOUTS.narrow : LAYOUTS.wide;
  const fig = ex.canvas({ width: L.width, height: L.height, label: "" });
  if (ex.state.digit !== "drawn") {
    padShows = Number(ex.state.digit);
    pad.setImage(testDigits[padShows]);
  }

  let last = null;
  ex.expose({ forward, pass: () => last, testDigits, sizes });

  return function render(s) {
    const c = ex.colors();
    clear(fig);
    let pass = null;
    let what;
    if (s.digit === "drawn") {
      pass = drawn?.pass ?? null;
      what = "Your drawing";
    } else {
      const i = Number(s.digit);
      if (padShows !== i) {
        padShows = i;
        pad.setImage(testDigits[i]);
      }
      pass = passOf(i);
      what = `Test image ${data.index[i]}, ${a(data.labels[i])}`;
    }
    last = pass;
    if (!pass) {
      const message = drawn?.message ?? "Draw a digit on the pad, or pick a test digit.";
      text(fig, message, L.width / 2, L.height / 3, { align: "center", color: c.muted });
      fig.setLabel(message);
      return message;
    }
    const useZ = s.show === "z";
    // Top row: the input and the two hidden layers as images.
    const layers = [pass.x, useZ ? pass.z[0] : pass.a[0], useZ ? pass.z[1] : pass.a[1]];
    const sentences = [];
    layers.forEach((values, l) => {
      const [w, h] = GRID[l];
      const slot = L.slots[l];
      const size = slot.size / w;
      const room = slot.height ?? slot.size;
      const box = { left: slot.left, top: slot.top + (room - h * size) / 2, width: slot.size,
        height: h * size };
      const title = l === 0 ? "input a⁽⁰⁾, 784 pixels"
        : `hidden ${l}: ${useZ ? "z" : "a"}⁽${l}⁾, ${values.length} units`;
      const middle = slot.left + slot.size / 2;
      text(fig, title, middle, slot.top - 16, { align: "center", size: 12, weight: "600" });
      if (l > s.step) {
        pending(fig, box, "Next layer ▶");
        return;
      }
      if (l === 0) {
        image(fig, values, w, h, { x: box.left, y: box.top, size, cmap: "gray", vmin: 0,
          vmax: 1 });
      } else if (useZ) {
        image(fig, values, w, h, { x: box.left, y: box.top, size, cmap: "diverging" });
      } else {
        image(fig, values, w, h, { x: box.left, y: box.top, size, cmap: "gray", vmin: 0 });
      }
      const active = countPositive(pass.a[l - 1] ?? []);
      const caption = l === 0 ? "pixel values 0 to 1"
        : `${active} of ${values.length} active (a > 0)`;
      text(fig, caption, middle, slot.top + room + 16, { align: "center", size: 11.5,
        color: c.muted });
      if (l > 0) {
        sentences.push(`Hidden layer ${l}: ${active} of ${values.length} units active`);
      }
    });
    for (const [x0, x1, y, label] of L.arrows) arrow(fig, x0, x1, y, label);
    // Bottom row: the logits and the probabilities, one bar per class.
    const logits = pass.z[2];
    const p = pass.a[2];
    const [best, second] = topTwo(p);
    const zmax = Math.max(1, ...Array.from(logits, Math.abs));
    const panels = [
      { l: 3, title: "logits z⁽³⁾ = W⁽³⁾a⁽²⁾ + b⁽³⁾", values: logits,
        ylim: [-zmax, 1.15 * zmax] }, // room above the bars for the value
      { l: 4, title: "softmax a⁽³⁾: probabilities", values: p, ylim: [0, 1.15] },
    ];
    panels.forEach((panel, i) => {
      const box = L.bars[i];
      text(fig, panel.title, box.left + box.width / 2, box.top - 12, { align: "center",
        size: 12, weight: "600" });
      if (panel.l > s.step) {
        pending(fig, box, "Next layer ▶");
        return;
      }
      const ax = axes(fig, { xlim: [-0.6, 9.6], ylim: panel.ylim, box,
        xticks: DIGITS.map(Number) });
      text(fig, "class", box.left + box.width / 2, box.top + box.height + 32, {
        align: "center", size: 11.5, color: c.muted });
      bars(fig, ax, panel.values, { highlight: [best] });
      const v = panel.values[best];
      text(fig, num(v, panel.l === 4 ? 3 : 1), ax.x(best), ax.y(Math.max(0, v)) - 4,
        { align: "center", size: 11, color: c.accent });
    });
    // What to say: the deepest layer computed.
    const said = [`${what}.`];
    if (s.step === 0) said.push("The input: 784 pixel values between 0 and 1.");
    else if (s.step <= 2) said.push(`${sentences[s.step - 1]}.`);
    if (s.step === 3) {
      const [zb, zs] = topTwo(logits);
      said.push(`Logits: largest for ${zb} (${num(logits[zb], 1)}), next ${zs} ` +
        `(${num(logits[zs], 1)}).`);
    }
    if (s.step === 4) {
      said.push(`The network answers ${best} with probability ${num(p[best], 3)}; next is ` +
        `${second} with ${small(p[second])}.`);
    }
    said.push(`Computed up to ${STEPS[s.step]}.`);
    const sentence = said.join(" ");
    fig.setLabel(sentence);
    return sentence;
  };
}
