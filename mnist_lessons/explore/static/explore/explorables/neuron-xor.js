// The neuron, part 2: XOR trained in the page. Pick 0 to 4 hidden tanh neurons, one of the
// build's five starts (scratch's seeded initial weights) and the learning rate; the page trains
// the network by full-batch SGD, as the chapter's scratch.MLP.fit does (neuron-xor/fit.js,
// tested step by step against it), and the epoch slider (or Play) walks through the training:
// the map of the network's probability of class 1, its four outputs and its loss curve.
import { axes, clear, line, niceTicks, rule } from "../lib/plot.js";
import { SGD } from "../math/optimizers.js";
import { epoch, xorNetwork } from "./neuron-xor/fit.js";
import { shade } from "./neuron-line/shade.js";

// Wide bounds until mount() sets the build's defaults (the chapter's network and training).
export const state = {
  hidden: { default: 4, min: 0, max: 4, step: 1 },
  start: { default: 0, min: 0, max: 4, step: 1 },
  eta: { default: 1, min: 0.01, max: 10, log: true },
  epoch: { default: 0, min: 0, max: 100000, step: 1 },
};

const MAP = 48; // cells per side of the probability map
const LIM = [-0.5, 1.5]; // the map's range, the chapter's figure's (margin 0.5)

/** The build's values become the defaults; settings the URL gave are kept. */
function adoptDefaults(ex, specs) {
  const given = new URLSearchParams(location.search);
  const now = {};
  for (const [key, spec] of Object.entries(specs)) {
    Object.assign(state[key], spec);
    now[key] = given.has(`${ex.name}.${key}`) ? ex.state[key] : state[key].default;
  }
  ex.set(now);
}

export function mount(ex, data, arrays) {
  const x = Float64Array.from(arrays.x);
  x.shape = [4, 2];
  const y = Float64Array.from(arrays.y);
  y.shape = [4, 1];
  /** The build's initial weights [W1, b1, W2, b2] (or [W, b]) for `hidden` units, a seed. */
  function startOf(hidden, seed) {
    const rows = arrays[`starts_${hidden}`];
    const size = rows.shape[1];
    const flat = rows.subarray(seed * size, (seed + 1) * size);
    const sizes = hidden > 0 ? [2, hidden, 1] : [2, 1];
    const params = [];
    let offset = 0;
    for (let l = 1; l < sizes.length; l++) {
      for (const n of [sizes[l] * sizes[l - 1], sizes[l]]) {
        params.push(Float64Array.from(flat.subarray(offset, offset + n)));
        offset += n;
      }
    }
    return params;
  }
  adoptDefaults(ex, {
    hidden: { default: data.hidden, min: 0, max: data.hidden_max },
    start: { default: 0, min: 0, max: data.seeds - 1 },
    eta: { default: data.eta },
    epoch: { default: data.epochs, max: data.epochs },
  });
  ex.slider("hidden", { label: "hidden neurons", format: (v) => String(v) });
  ex.slider("start", { label: "initial weights (seed)", format: (v) => String(v) });
  ex.slider("eta", { label: "learning rate η", format: (v) => v.toPrecision(2) });
  ex.slider("epoch", { label: "epoch", format: (v) => String(v) });
  let playing = null;
  const play = ex.button("Train from epoch 0", () => {
    if (playing) {
      cancelAnimationFrame(playing);
      playing = null;
      play.textContent = "Train from epoch 0";
      return;
    }
    const t0 = performance.now();
    const seconds = 3;
    play.textContent = "Stop";
    const tick = (now) => {
      const e = Math.min(data.epochs, Math.round(((now - t0) / 1000 / seconds) * data.epochs));
      ex.set("epoch", e);
      if (e < data.epochs && playing) playing = requestAnimationFrame(tick);
      else {
        playing = null;
        play.textContent = "Train from epoch 0";
      }
    };
    playing = requestAnimationFrame(tick);
  });
  const mapFig = ex.canvas({ width: 300, height: 290, label: "the network's map" });
  const lossFig = ex.canvas({ width: 300, height: 290, label: "the loss curve" });

  // One training run per (hidden, start, eta), kept: every epoch's weights and the loss curve.
  // A render trains for at most BUDGET_MS and draws what is done; the next frame goes on.
  const runs = new Map();
  function run(s) {
    const key = `${s.hidden}-${s.start}-${s.eta}`;
    if (runs.has(key)) return runs.get(key);
    const net = xorNetwork(s.hidden, startOf(s.hidden, s.start));
    const size = net.params.reduce((total, p) => total + p.length, 0);
    const r = { net, size, optimizer: new SGD({ learning_rate: s.eta }), done: 0,
      snapshots: new Float64Array((data.epochs + 1) * size),
      loss: new Float64Array(data.epochs + 1) };
    save(r);
    if (runs.size > 40) runs.clear();
    runs.set(key, r);
    return r;
  }
  function save(r) {
    let offset = r.done * r.size;
    for (const p of r.net.params) {
      r.snapshots.set(p, offset);
      offset += p.length;
    }
  }
  /** Train r on until `until` epochs are done, or the clock passes `deadline`. */
  function advance(r, until, deadline = Infinity) {
    while (r.done < until && performance.now() < deadline) {
      r.loss[r.done] = epoch(r.net, x, y, r.optimizer).loss; // the loss after r.done epochs
      r.done += 1;
      save(r);
      if (r.done === data.epochs) r.loss[r.done] = r.net.loss(x, y);
    }
    return r;
  }
  const complete = (s) => advance(run(s), s.epoch);

  /** The network after `epoch` epochs of run(s). */
  function networkAt(s, at) {
    const r = run(s);
    const params = [];
    let offset = at * r.size;
    for (const p of xorNetwork(s.hidden, startOf(s.hidden, s.start)).params) {
      params.push(r.snapshots.slice(offset, offset + p.length));
      offset += p.length;
    }
    return xorNetwork(s.hidden, params);
  }

  const grid = new Float64Array(MAP * MAP * 2);
  for (let r = 0; r < MAP; r++) {
    for (let k = 0; k < MAP; k++) {
      grid[2 * (r * MAP + k)] = LIM[0] + ((k + 0.5) / MAP) * (LIM[1] - LIM[0]);
      grid[2 * (r * MAP + k) + 1] = LIM[1] - ((r + 0.5) / MAP) * (LIM[1] - LIM[0]);
    }
  }
  grid.shape = [MAP * MAP, 2];

  ex.expose({
    predict: () => {
      complete(ex.state);
      return Array.from(networkAt(ex.state, ex.state.epoch).predict(x));
    },
    loss: () => complete(ex.state).loss[ex.state.epoch],
    first: {
      predict: Array.from(arrays.first_predict),
      chapter: Array.from(arrays.chapter_predict),
    },
  });

  const BUDGET_MS = 12;
  let pending = 0;
  return function render(s) {
    const c = mapFig.colors();
    const r = advance(run(s), s.epoch, performance.now() + BUDGET_MS);
    const at = Math.min(r.done, s.epoch);
    if (at < s.epoch && !pending) {
      pending = requestAnimationFrame(() => {
        pending = 0;
        ex.render();
      });
    }
    const net = networkAt(s, at);
    const out = Array.from(net.predict(x));
    const lossNow = net.loss(x, y); // = the loss after `at` epochs (and loss[at] once known)
    const a_map = net.predict(grid);
    const { loss } = r;

    clear(mapFig);
    const ax = axes(mapFig, { xlim: LIM, ylim: LIM, xlabel: "x₁", ylabel: "x₂", grid: false,
      xticks: [0, 1], yticks: [0, 1] });
    shade(mapFig, a_map, MAP, MAP, ax.box);
    const { ctx } = mapFig;
    ctx.save();
    ctx.font = "12px system-ui, sans-serif";
    for (let i = 0; i < 4; i++) {
      const px = ax.x(x[2 * i]);
      const py = ax.y(x[2 * i + 1]);
      const wrong = out[i] > 0.5 !== y[i] > 0.5;
      ctx.lineWidth = wrong ? 3 : 1.5;
      ctx.strokeStyle = wrong ? c.accent : c.fg;
      ctx.fillStyle = c.fg;
      ctx.beginPath();
      if (y[i] > 0.5) {
        ctx.moveTo(px, py - 8);
        ctx.lineTo(px + 7, py + 5);
        ctx.lineTo(px - 7, py + 5);
        ctx.closePath();
        ctx.fill();
      } else {
        ctx.arc(px, py, 6, 0, 2 * Math.PI);
      }
      ctx.stroke();
      ctx.textAlign = "center";
      ctx.textBaseline = x[2 * i + 1] > 0.5 ? "bottom" : "top";
      ctx.fillText(`a = ${out[i].toFixed(3)}`, px, py + (x[2 * i + 1] > 0.5 ? -12 : 12));
    }
    ctx.restore();

    clear(lossFig);
    let hi = 0;
    for (let e = 0; e < r.done; e++) hi = Math.max(hi, loss[e]);
    const lx = axes(lossFig, { xlim: [0, data.epochs], ylim: [0, Math.max(0.8, hi * 1.05)],
      xticks: niceTicks(0, data.epochs, 4).filter((t) => t < 0.9 * data.epochs),
      xlabel: "epoch", ylabel: "loss (binary cross-entropy)" });
    const trained = r.done === data.epochs ? r.done + 1 : r.done; // loss[e] known for e < that
    const epochs = Array.from({ length: trained }, (_, i) => i);
    line(lossFig, lx, epochs, loss.subarray(0, trained), { color: c.muted, width: 1.5 });
    const upto = Math.min(at + 1, trained);
    line(lossFig, lx, epochs.slice(0, upto), loss.subarray(0, upto), {
      color: c.series[0], width: 2.5 });
    rule(lossFig, lx, { x: s.epoch, color: c.accent, dash: [], label: `epoch ${s.epoch}` });
    rule(lossFig, lx, { y: Math.log(2), label: "ln 2: a = 0.5 for all four" });

    let right = 0;
    for (let i = 0; i < 4; i++) right += out[i] > 0.5 === y[i] > 0.5 ? 1 : 0;
    const sizes = s.hidden > 0 ? `2-${s.hidden}-1` : "2-1";
    const verdict = right === 4 ? "all four right" : `${right} of 4 right`;
    const said =
      `The ${sizes} network, start ${s.start}, η = ${s.eta.toPrecision(2)}, after ${at} ` +
      `epochs${at < s.epoch ? ` (training on to ${s.epoch})` : ""}: outputs ` +
      `${out.map((v) => v.toFixed(3)).join(", ")} for (0,0), (0,1), (1,0), (1,1); ` +
      `loss ${lossNow.toFixed(4)}, ${verdict}.`;
    mapFig.setLabel(`Map of the network's probability of class 1 over x₁ and x₂. ${said}`);
    lossFig.setLabel(
      `Loss curve over ${r.done} of ${data.epochs} epochs, from ${loss[0].toFixed(3)}, ` +
        `marked at epoch ${s.epoch}.`,
    );
    return at < s.epoch ? "" : said;
  };
}
