// Explorable "cnn-maps" (chapter "Convolutional networks"): draw a digit (or pick a test digit)
// and see the feature maps of the chapter's trained CNN, layer by layer, and its answer. The
// network runs in the page (math/convolution.js's cnn_forward: Conv2D, BatchNormalization as at
// inference, ReLU, max pooling, Dense, softmax) with the build's float32 weights.

import { axes, bars, clear, image, text } from "../lib/plot.js";
import { digitPad } from "../lib/digits.js";
import { channel, cnn_forward } from "../math/convolution.js";

const SIDE = 28;
const LAYERS = ["conv_1", "relu_1", "pool_1", "conv_2", "relu_2", "pool_2", "conv_3", "relu_3",
  "pool_3", "dense"];
const LAYER_LABELS = {
  conv_1: "block 1: convolution",
  relu_1: "block 1: batch norm + ReLU",
  pool_1: "block 1: max pooling",
  conv_2: "block 2: convolution",
  relu_2: "block 2: batch norm + ReLU",
  pool_2: "block 2: max pooling",
  conv_3: "block 3: convolution",
  relu_3: "block 3: batch norm + ReLU",
  pool_3: "block 3: max pooling",
  dense: "dense layer (ReLU)",
};

export const state = {
  // The first view is the chapter's figure: the first test digit (a 7), block 1 after ReLU.
  digit: { default: 7, min: 0, max: 9, step: 1 },
  layer: { default: "relu_1", choices: LAYERS },
};

function pct(p) {
  return `${(100 * p).toFixed(p > 0.995 || p < 0.005 ? 2 : 1)}%`;
}

export function mount(ex, data, arrays) {
  const weights = { ...arrays, epsilon: data.epsilon };
  const testImage = (d) => {
    const x = new Float64Array(SIDE * SIDE);
    const pixels = arrays.digits.subarray(d * SIDE * SIDE, (d + 1) * SIDE * SIDE);
    // float32 values, as mnist_lessons.data.scale gives Keras
    for (let i = 0; i < x.length; i++) x[i] = Math.fround(pixels[i] / 255);
    x.shape = [SIDE, SIDE];
    return x;
  };
  const forward = (x784) => {
    const x = Float64Array.from(x784);
    x.shape = [SIDE, SIDE];
    return cnn_forward(x, weights);
  };

  ex.slider("digit", { label: "test digit", format: (d) => `the first ${data.labels[d]}` });
  ex.choice("layer", { label: "layer", labels: LAYER_LABELS });

  // now: {layers, source: "test" | "drawing", digit} or {message} for an empty canvas
  let now = null;
  let shownDigit = null;
  let quiet = false;
  const padPanel = ex.panel("cnn-maps-pad");
  const pad = digitPad(padPanel, {
    label: "Draw a digit for the CNN",
    onImage(x, message) {
      if (quiet) return;
      now = x ? { layers: forward(x), source: "drawing" } : { message };
      ex.render();
    },
  });
  const maps = ex.canvas({ width: 480, height: 480, label: "" });
  const answer = ex.canvas({ width: 480, height: 170, label: "" });
  // The theme's colours, read once per render: plot.image asks for them at every pixel.
  let colors = ex.colors();
  maps.colors = answer.colors = () => colors;

  function showTest(d) {
    shownDigit = d;
    quiet = true;
    pad.setImage(testImage(d));
    quiet = false;
    now = { layers: forward(testImage(d)), source: "test", digit: d };
  }
  ex.expose({
    forward,
    testImage,
    current: () => now,
    pad,
  });

  function drawMaps(fig, out, name) {
    const c = colors;
    clear(fig);
    const [H, W, C] = out.shape.length === 3 ? out.shape : [16, 8, 1];
    const signed = name.startsWith("conv");
    let top = 0;
    for (const v of out) top = Math.max(top, Math.abs(v));
    top = top || 1;
    const opts = signed
      ? { cmap: "diverging", vmin: -top, vmax: top }
      : { cmap: "gray", vmin: 0, vmax: top };
    if (name === "dense") {
      text(fig, `${out.length} units of the dense layer (ReLU), 0 to ${top.toFixed(2)}`, 0, 16,
        { color: c.fg });
      image(fig, out, 16, out.length / 16, { x: 0, y: 28, width: 480, height: 240, ...opts });
      return `the ${out.length} units of the dense layer`;
    }
    const cols = Math.ceil(Math.sqrt(C));
    const rows = Math.ceil(C / cols);
    const gap = 4;
    const tile = Math.floor(Math.min((fig.width - (cols - 1) * gap) / cols,
      (fig.height - 28 - (rows - 1) * gap) / rows));
    text(fig, `${C} maps of ${H} × ${W}, one colour scale: ` +
      (signed ? `blue −${top.toFixed(2)} … red ${top.toFixed(2)}` : `0 … ${top.toFixed(2)}`),
    0, 16, { color: c.fg });
    for (let f = 0; f < C; f++) {
      const x = (f % cols) * (tile + gap);
      const y = 28 + Math.floor(f / cols) * (tile + gap);
      image(fig, channel(out, f), W, H, { x, y, width: tile, height: tile, ...opts });
    }
    return `${C} feature maps of ${H} by ${W}`;
  }

  function drawAnswer(fig, p) {
    const c = colors;
    clear(fig);
    const ax = axes(fig, {
      xlim: [-0.5, 9.5],
      ylim: [0, 1],
      xticks: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      yticks: [0, 0.5, 1],
      xlabel: "digit",
      ylabel: "probability",
    });
    const best = p.indexOf(Math.max(...p));
    bars(fig, ax, Array.from(p), { highlight: [best], color: c.series[0] });
    return best;
  }

  return function render(s) {
    colors = ex.colors();
    if (s.digit !== shownDigit) showTest(s.digit);
    if (!now.layers) {
      clear(maps);
      clear(answer);
      text(maps, now.message, 0, 20, { color: colors.fg });
      maps.setLabel(now.message);
      return now.message;
    }
    const what = drawMaps(maps, now.layers[s.layer], s.layer);
    const p = now.layers.probabilities;
    const best = drawAnswer(answer, p);
    const source = now.source === "test" ? `the first test ${data.labels[s.digit]}` :
      "your drawing";
    maps.setLabel(`${LAYER_LABELS[s.layer]} for ${source}: ${what}.`);
    const sentence = `The CNN reads ${source} as a ${best} (${pct(p[best])}).`;
    answer.setLabel(`Probabilities of the ten digits: ` +
      Array.from(p, (v, d) => `${d}: ${pct(v)}`).join(", "));
    return `${sentence} Showing ${LAYER_LABELS[s.layer]}: ${what}.`;
  };
}
