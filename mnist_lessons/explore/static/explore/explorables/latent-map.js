/*
 * Explorable "latent-map" (chapter Autoencoders): the 2-D codes of the test digits, coloured by
 * label as in the chapter's figure. Move a point across the map (drag, click, or the z1 and z2
 * sliders) and the decoder, run here with the build's weights, draws the digit at that point;
 * point at (or pick with the slider) one of the exported test digits to see its code and its
 * reconstruction.
 *
 * The decoder is build_autoencoder's: z (2) -> Dense 256 relu -> Dense 784 sigmoid, with the
 * book's W (n_out, n_in) from math/network.js. The build sends W_2 as float16 (half the bytes);
 * the site test compares this decoder with Keras' holding the same rounded weights.
 */

import { axes, clear, image, text } from "../lib/plot.js";
import { Dense } from "../math/network.js";

export const state = {
  // The point's code. The ranges are set to the chapter figure's axes when the bundle arrives.
  z1: { default: 0, min: -100, max: 100, step: 0.1 },
  z2: { default: 0, min: -100, max: 100, step: 0.1 },
  // Which of the exported test digits is shown (an index into the bundle's digits).
  digit: { default: 0, min: 0, max: 999, step: 1 },
};

const SIDE = 28;
const PICK_PX = 12; // a pointer this close to an exported digit's point picks that digit

/** The decoder of the bundle as a function z (2 numbers) -> x_hat (Float64Array of 784). */
export function makeDecoder(arrays) {
  const layers = [
    new Dense(2, arrays.W_1.shape[0], "relu", { W: arrays.W_1, b: arrays.b_1 }),
    new Dense(arrays.W_2.shape[1], arrays.W_2.shape[0], "sigmoid", {
      W: arrays.W_2,
      b: arrays.b_2,
    }),
  ];
  return function decode(z) {
    let a = Float64Array.from(z);
    for (const layer of layers) a = layer.forward(a);
    return a;
  };
}

/** Round lo down and hi up to multiples of step, so a slider reaches both ends of the axes. */
function outward([lo, hi], step) {
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step].map((v) =>
    Number(v.toPrecision(12)),
  );
}

/** "a 7", "an 8": a digit with its article. */
function aDigit(d) {
  return d === 8 ? "an 8" : `a ${d}`;
}

function fmt(v) {
  return v.toFixed(1).replace("-", "−");
}

export function mount(ex, data, arrays) {
  const decode = makeDecoder(arrays);
  const { z, labels, digits, digit_z: digitZ } = arrays;
  const nPoints = labels.length;
  const nDigits = digits.shape[0];
  const colors = data.colors; // the figure's colour per label (matplotlib's tab10)
  // The sliders span the figure's axes; a value from elsewhere (an old link) is clamped.
  [state.z1.min, state.z1.max] = outward(data.xlim, state.z1.step);
  [state.z2.min, state.z2.max] = outward(data.ylim, state.z2.step);
  state.digit.max = nDigits - 1;
  const s0 = ex.state;
  if (s0.z1 < state.z1.min || s0.z1 > state.z1.max || s0.z2 < state.z2.min ||
      s0.z2 > state.z2.max || s0.digit > state.digit.max) {
    queueMicrotask(() => ex.set({ z1: s0.z1, z2: s0.z2, digit: s0.digit }));
  }

  ex.slider("z1", { label: "code z₁", format: fmt });
  ex.slider("z2", { label: "code z₂", format: fmt });
  ex.slider("digit", {
    label: "test digit",
    format: (i) => `#${data.index[i]}, ${aDigit(data.label[i])}`,
  });
  ex.button("Move the point to this digit's code", () => {
    const i = ex.state.digit;
    ex.set({ z1: digitZ[2 * i], z2: digitZ[2 * i + 1] });
  });

  // As wide as the figure has room for, up to 480 px: the text keeps its size on a phone,
  // where the panel's images are smaller and its words fewer.
  const wide = Math.round(Math.max(300, Math.min(480, ex.figures.clientWidth || 480)));
  const narrow = wide < 440;
  const map = ex.canvas({ width: wide, height: Math.round((wide * 7) / 8),
    label: "Map of the test digits' two-number codes" });
  const panel = ex.canvas({ width: wide, height: narrow ? 165 : 190,
    label: "Decoded digits" });
  map.canvas.style.touchAction = "none";
  map.canvas.style.cursor = "crosshair";

  // The 5,000 points do not change: draw them once per colour mode on an offscreen canvas.
  let layer = null;
  let layerKey = "";
  let ax = null;
  function scatterLayer() {
    const c = ex.colors();
    const ratio = map.canvas.width / map.width;
    const key = `${c.dark}-${ratio}`;
    if (layer && key === layerKey) return layer;
    layer = document.createElement("canvas");
    layer.width = map.canvas.width;
    layer.height = map.canvas.height;
    const ctx = layer.getContext("2d");
    ctx.scale(ratio, ratio);
    const fig = { ...map, canvas: layer, ctx };
    ax = axes(fig, { xlim: data.xlim, ylim: data.ylim, xlabel: "z₁", ylabel: "z₂",
      grid: false });
    ctx.save();
    ctx.beginPath();
    ctx.rect(ax.box.left, ax.box.top, ax.box.width, ax.box.height);
    ctx.clip();
    ctx.globalAlpha = 0.5;
    for (let i = 0; i < nPoints; i++) {
      ctx.fillStyle = colors[labels[i]];
      ctx.beginPath();
      ctx.arc(ax.x(z[2 * i]), ax.y(z[2 * i + 1]), 1.6, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    ctx.font = "bold 18px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    data.medians.forEach(([mx, my], d) => {
      const px = ax.x(mx);
      const py = ax.y(my);
      ctx.fillStyle = c.dark ? "rgba(18, 18, 20, 0.75)" : "rgba(255, 255, 255, 0.75)";
      ctx.fillRect(px - 8, py - 11, 16, 22);
      ctx.fillStyle = colors[d];
      ctx.fillText(String(d), px, py);
    });
    ctx.restore();
    layerKey = key;
    return layer;
  }

  // The decoded images change only with their code: keep the last few.
  const cache = new Map();
  function decoded(z1, z2) {
    const key = `${z1},${z2}`;
    if (!cache.has(key)) {
      if (cache.size > 64) cache.delete(cache.keys().next().value);
      cache.set(key, decode([z1, z2]));
    }
    return cache.get(key);
  }

  function nearestDigit(px, py) {
    let best = -1;
    let bestD = PICK_PX ** 2;
    for (let i = 0; i < nDigits; i++) {
      const d = (ax.x(digitZ[2 * i]) - px) ** 2 + (ax.y(digitZ[2 * i + 1]) - py) ** 2;
      if (d < bestD) {
        best = i;
        bestD = d;
      }
    }
    return best;
  }

  let dragging = false;
  function moveTo(event) {
    const p = map.pointer(event);
    const [u, v] = ax.inverse(p.x, p.y);
    ex.set({ z1: u, z2: v });
  }
  map.canvas.addEventListener("pointerdown", (event) => {
    if (!ax) return;
    dragging = true;
    map.canvas.setPointerCapture(event.pointerId);
    const p = map.pointer(event);
    const i = nearestDigit(p.x, p.y);
    if (i >= 0) ex.set("digit", i);
    moveTo(event);
  });
  map.canvas.addEventListener("pointermove", (event) => {
    if (!ax) return;
    if (dragging) {
      moveTo(event);
      return;
    }
    const p = map.pointer(event);
    const i = nearestDigit(p.x, p.y);
    if (i >= 0 && i !== ex.state.digit) ex.set("digit", i);
  });
  const stop = () => {
    dragging = false;
  };
  map.canvas.addEventListener("pointerup", stop);
  map.canvas.addEventListener("pointercancel", stop);

  function firstView() {
    return { xlim: ax.xlim, ylim: ax.ylim, box: ax.box, points: nPoints,
      medians: data.medians, colors };
  }
  ex.expose({ decode, firstView, axes: () => ax });

  return function render(s) {
    const c = ex.colors();
    // plot.js asks fig.colors() for every pixel it paints: answer from this render's palette.
    const p = { ...panel, colors: () => c };
    const zs = [s.z1, s.z2];
    const i = Math.min(s.digit, nDigits - 1);
    const code = [digitZ[2 * i], digitZ[2 * i + 1]];
    const x_hat = decoded(...zs);
    const recon = decoded(...code);

    // The map: points, the chosen test digit (ring), the point being decoded (cross).
    clear(map);
    map.ctx.drawImage(scatterLayer(), 0, 0, map.width, map.height);
    const { ctx } = map;
    ctx.save();
    ctx.beginPath();
    ctx.rect(ax.box.left, ax.box.top, ax.box.width, ax.box.height);
    ctx.clip();
    // A halo in the background colour keeps both marks visible on points of any colour.
    const ringPath = () => {
      ctx.beginPath();
      ctx.arc(ax.x(code[0]), ax.y(code[1]), 6, 0, 2 * Math.PI);
    };
    const px = ax.x(s.z1);
    const py = ax.y(s.z2);
    const crossPath = () => {
      ctx.beginPath();
      ctx.moveTo(px - 9, py);
      ctx.lineTo(px + 9, py);
      ctx.moveTo(px, py - 9);
      ctx.lineTo(px, py + 9);
    };
    for (const [path, color] of [[ringPath, c.fg], [crossPath, c.accent]]) {
      path();
      ctx.strokeStyle = c.bg;
      ctx.lineWidth = 5.5;
      ctx.stroke();
      ctx.strokeStyle = color;
      ctx.lineWidth = 2.5;
      ctx.stroke();
    }
    ctx.restore();

    // The panel: the decoded point, the test digit and its reconstruction.
    clear(p);
    const size = narrow ? 3 : 4;
    const top = 34;
    const xs = narrow ? [0, 1, 2].map((k) => 4 + (k * (wide - 8)) / 3) : [16, 176, 336];
    const x = digits.subarray(i * 784, (i + 1) * 784);
    image(p, x_hat, SIDE, SIDE, { x: xs[0], y: top, size, vmin: 0, vmax: 1 });
    image(p, x, SIDE, SIDE, { x: xs[1], y: top, size, vmin: 0, vmax: 255 });
    image(p, recon, SIDE, SIDE, { x: xs[2], y: top, size, vmin: 0, vmax: 1 });
    const head = { size: 13, weight: "bold", baseline: "top" };
    text(p, narrow ? "decoded at +" : "decoded at the +", xs[0], 8, head);
    text(p, `${narrow ? "test" : "test digit"} #${data.index[i]} (○)`, xs[1], 8, head);
    text(p, narrow ? "reconstruction" : "its reconstruction", xs[2], 8, head);
    const note = { size: 12, color: c.muted, baseline: "top" };
    const below = top + SIDE * size + 4;
    text(p, `${narrow ? "" : "code "}(${fmt(s.z1)}, ${fmt(s.z2)})`, xs[0], below, note);
    text(p, `label ${data.label[i]}`, xs[1], below, note);
    text(p, `${narrow ? "" : "its code "}(${fmt(code[0])}, ${fmt(code[1])})`, xs[2], below,
      note);
    let err = 0;
    for (let k = 0; k < 784; k++) err += (recon[k] - x[k] / 255) ** 2;
    err /= 784;
    text(p, `${narrow ? "error" : "squared error"} ${err.toFixed(4)}`, xs[2], below + 16,
      note);

    const where = `(${fmt(s.z1)}, ${fmt(s.z2)})`;
    panel.setLabel(`The decoder's digit at ${where}; test digit ${data.index[i]}, ` +
      `${aDigit(data.label[i])}, and its reconstruction from its code ` +
      `(${fmt(code[0])}, ${fmt(code[1])}).`);
    map.setLabel(`Map of ${nPoints} test digits' codes, coloured by label; the point at ` +
      `${where}; test digit ${data.index[i]} circled.`);
    return `The decoder draws the point ${where}. Test digit ${data.index[i]}, ` +
      `${aDigit(data.label[i])}, has the code (${fmt(code[0])}, ${fmt(code[1])}); its ` +
      `reconstruction has a mean squared error of ${err.toFixed(4)}.`;
  };
}
