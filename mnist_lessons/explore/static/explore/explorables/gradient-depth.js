// Activation functions: the size of each layer's weight gradient, ||dW^(l)||, of a deep MLP at its
// initial weights, computed in the page on real training digits from the build. The reader picks
// the hidden activation, the number of hidden layers (of 128 units), the initialisation and the
// random draws; the chapter's own measurement (NumPy, its own random numbers) is drawn dashed
// when it measured the same network. The math is math/gradient_depth.js (tested against
// mnist_lessons.scratch); the weights are seeded standard normal draws times the initialisation's
// standard deviation, as the chapter rescales "the same random numbers".
import { axes, clear, legend, line, points, text } from "../lib/plot.js";
import { DepthProbe, standard_normal } from "../math/gradient_depth.js";
import { make_rng, matrix } from "../math/network.js";

export const state = {
  act: { default: "sigmoid", choices: ["sigmoid", "tanh", "relu", "leaky_relu"] },
  depth: { default: 10, min: 1, max: 10, step: 1 },
  init: { default: "glorot", choices: ["glorot", "he", "small"] },
  seed: { default: 0, min: 0, max: 99, step: 1 },
};

const ACT_LABELS = { sigmoid: "sigmoid", tanh: "tanh", relu: "relu", leaky_relu: "leaky relu" };
const INIT_LABELS = {
  glorot: "Glorot's variance (made for sigmoid and tanh)",
  he: "He's variance (made for relu)",
  small: "too small (std 0.01)",
};
const INIT_SHORT = { glorot: "Glorot", he: "He", small: "std 0.01" };

/** A number for the reader: 3 significant digits, exponent form when tiny or huge. */
function fmt(v) {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-2 || a >= 1e4)) return v.toExponential(1).replace("e+", "e");
  return String(Number(v.toPrecision(3)));
}

/** exp(mean(diff(log(v)))): the mean factor from one entry to the next (the chapter's). */
function meanFactor(values) {
  if (values.length < 2) return null;
  return Math.exp((Math.log(values[values.length - 1]) - Math.log(values[0])) /
    (values.length - 1));
}

export function mount(ex, data, arrays) {
  const { width, max_depth: maxDepth, reference } = data;
  const n = arrays.labels.length;
  const n0 = arrays.x.length / n;
  const x = matrix(n, n0);
  for (let i = 0; i < x.length; i++) x[i] = arrays.x[i] / 255; // data.scale: x / 255
  const K = data.classes;
  const y = matrix(n, K);
  for (let i = 0; i < n; i++) y[i * K + arrays.labels[i]] = 1; // data.one_hot

  /** The probe for one seed: draws N^(1), ..., N^(max depth) and N^out, as the page makes. */
  let probe = null;
  function probeFor(seed) {
    if (probe && probe.seed === seed) return probe;
    const rng = make_rng(seed);
    const hidden = [standard_normal(width, n0, rng)];
    for (let l = 2; l <= maxDepth; l++) hidden.push(standard_normal(width, width, rng));
    probe = new DepthProbe(x, y, hidden, standard_normal(K, width, rng));
    probe.seed = seed;
    return probe;
  }
  const memo = new Map(); // "act/init/depth/seed" -> {norms, slopes}
  function measure(act, init, depth, seed) {
    const key = `${act}/${init}/${depth}/${seed}`;
    if (!memo.has(key)) memo.set(key, probeFor(seed).norms(act, init, depth));
    return memo.get(key);
  }
  probeFor(ex.state.seed); // the draws of the first view, before the first render
  // While the reader looks, the forward passes of the other settings are computed, one per
  // pause, so that switching the activation or the start costs only a backward pass.
  let warming = null;
  let warmTimer = null;
  function warm(seed) {
    if (warming === seed) return;
    warming = seed;
    clearTimeout(warmTimer);
    const todo = state.act.choices.flatMap((act) =>
      ["glorot", "he", "small"].map((init) => [act, init]));
    const next = () => {
      if (probe.seed !== seed || todo.length === 0) return;
      probe.forward(...todo.shift());
      warmTimer = setTimeout(next, 20);
    };
    warmTimer = setTimeout(next, 300);
  }
  const chapterFor = (act, init, depth) =>
    depth === maxDepth ? reference.find((r) => r.activation === act && r.init === init) : null;

  ex.choice("act", { label: "hidden activation", labels: ACT_LABELS });
  ex.slider("depth", { label: "hidden layers", format: (v) => String(v) });
  ex.choice("init", { label: "initial weights", labels: INIT_LABELS });
  ex.slider("seed", { label: "random draws (seed)", format: (v) => String(v) });
  ex.button("Other random weights", () => ex.set("seed", (ex.state.seed + 1) % 100));
  ex.button("The chapter's view", () =>
    ex.set(Object.fromEntries(Object.entries(state).map(([k, s]) => [k, s.default]))));
  // As wide as the figure has room for, up to 600 px: its text keeps its size on a phone.
  const wide = Math.round(Math.max(300, Math.min(600, ex.figures.clientWidth || 600)));
  const narrow = wide < 480; // shorter legend labels
  const fig = ex.canvas({ width: wide, height: narrow ? 300 : 340,
    label: "gradient size per layer" });

  ex.expose({
    /** ||dW^(l)|| for l = 1, ..., depth + 1 as the page computes them. */
    norms: (act, init, depth, seed = 0) =>
      Array.from(measure(act, init, depth, seed).norms),
    reference,
    /** The batch as the page holds it: pixels 0-255 (row-major, n x 784) and labels. */
    digits: () => ({ x: Array.from(arrays.x), labels: Array.from(arrays.labels), n, n0 }),
    /** The standard normal draws of the first `depth` hidden layers and of the output layer. */
    draws: (seed, depth) => {
      const p = probeFor(seed);
      const plain = (N) => ({ shape: N.shape, values: Array.from(N) });
      return { hidden: p.hidden.slice(0, depth).map(plain), output: plain(p.output) };
    },
  });

  return function render(s) {
    const { init } = s;
    const { norms, slopes } = measure(s.act, init, s.depth, s.seed);
    warm(s.seed);
    const chapter = chapterFor(s.act, init, s.depth);
    const c = ex.colors();
    const layers = Array.from({ length: s.depth + 1 }, (_, i) => i + 1);
    const all = [...norms, ...(chapter ? chapter.norms : [])].filter((v) => v > 0);
    let lo = Math.floor(Math.log10(Math.min(...all)));
    let hi = Math.ceil(Math.log10(Math.max(...all)));
    if (hi - lo < 2) [lo, hi] = [lo - 1, hi + 1];
    clear(fig);
    const ax = axes(fig, {
      box: { left: 70, top: 10, width: fig.width - 82, height: fig.height - 50 },
      xlim: [0.5, maxDepth + 1.5],
      ylim: [10 ** lo, 10 ** hi],
      ylog: true,
      xticks: Array.from({ length: maxDepth + 1 }, (_, i) => i + 1),
      yticks: hi - lo > 8 ? Array.from({ length: Math.floor((hi - lo) / 2) + 1 },
        (_, i) => 10 ** (lo + 2 * i)) : undefined,
      xlabel: "layer l (the last one is the output layer)",
      ylabel: "‖dW⁽ˡ⁾‖, log scale",
    });
    const items = [];
    if (chapter) {
      const xs = chapter.norms.map((_, i) => i + 1);
      line(fig, ax, xs, chapter.norms, { color: c.muted, width: 2, dash: [6, 4] });
      points(fig, ax, xs, chapter.norms, { color: c.muted, radius: 2.5 });
      items.push({ label: narrow ? "the chapter's measurement"
        : `the chapter's measurement (${chapter.label})`, color: c.muted,
        dash: [6, 4] });
    }
    line(fig, ax, layers, norms, { color: c.series[0], width: 2.5 });
    points(fig, ax, layers, norms, { color: c.series[0], radius: 3.5 });
    items.unshift({ label: `${narrow ? "this page" : "in this page"}: ${ACT_LABELS[s.act]}, ` +
      `${INIT_SHORT[init]}${narrow ? "" : `, ${n} digits`}`, color: c.series[0] });
    legend(fig, items, ax.box.left + 10, ax.box.top + 14);
    if (!chapter && s.depth !== maxDepth) {
      text(fig, `The chapter measured ${maxDepth} hidden layers.`, ax.box.left + 10,
        ax.box.top + ax.box.height - 10, { color: c.muted });
    }

    const first = norms[0];
    const last = norms[norms.length - 1];
    const factor = meanFactor(Array.from(norms.slice(0, -1)));
    const slope = slopes.reduce((a, b) => a + b, 0) / slopes.length;
    let said = `${ACT_LABELS[s.act]}, ${s.depth} hidden layer${s.depth > 1 ? "s" : ""}, ` +
      `${INIT_LABELS[init]}, draws ${s.seed}: the first layer's gradient has size ` +
      `${fmt(first)}, the output layer's ${fmt(last)}, ${fmt(last / first)} times as large.`;
    if (factor !== null) {
      said += ` From one hidden layer to the next up it is multiplied by ${fmt(factor)}` +
        ` on average; the mean slope f'(z) of the hidden units is ${fmt(slope)}.`;
    }
    if (chapter) {
      said += ` The chapter measured ${fmt(chapter.norms[0])} and ` +
        `${fmt(chapter.norms[chapter.norms.length - 1])}.`;
    }
    said = `With ${said}`; // a sentence: "With sigmoid, 10 hidden layers, …"
    fig.setLabel(`Gradient size per layer on a log scale. ${said}`);
    return said;
  };
}
