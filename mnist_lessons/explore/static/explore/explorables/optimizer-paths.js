/*
 * Explorable "optimizer-paths" (chapter Optimizers, after Figure fig-opt-paths): the chapter's
 * three surfaces with the paths of SGD, momentum, RMSProp and Adam, computed in the page by
 * math/optimizers.js on math/landscapes.js (both tested against mnist_lessons.scratch).
 *
 * The reader picks a surface and an optimizer, drags its learning rate eta (and mu, beta1,
 * beta2), and clicks on the map (or moves the start sliders) to start elsewhere. The chosen
 * optimizer's path is drawn bold, the other three faintly with the chapter's rates, and the
 * loss per step below. The build sends the chapter's settings (starts, steps, rates, windows,
 * hyperparameters); the first view is the chapter's figure for Rosenbrock's function.
 */

import { axes, clear, legend, line, points, text } from "../lib/plot.js";
import { descend, grid, LANDSCAPES } from "../math/landscapes.js";
import { Adam, RMSProp, SGD } from "../math/optimizers.js";

const OPTS = ["sgd", "momentum", "rmsprop", "adam"];
const LABELS = { sgd: "SGD", momentum: "momentum", rmsprop: "RMSProp", adam: "Adam" };

// Placeholders: mount() replaces the defaults of eta, x0, y0 (and the ranges of x0, y0) with
// the build's, so that the first view is the chapter's.
export const state = {
  surface: { default: "rosenbrock", choices: ["rosenbrock", "valley", "saddle"] },
  opt: { default: "adam", choices: OPTS },
  eta: { default: 0.01, min: 1e-5, max: 1, log: true },
  mu: { default: 0.9, min: 0, max: 0.99, step: 0.01 },
  beta1: { default: 0.9, min: 0, max: 0.99, step: 0.01 },
  beta2: { default: 0.999, min: 0.5, max: 0.9999, step: 0.0001 },
  x0: { default: 0, min: -10, max: 10 },
  y0: { default: 0, min: -10, max: 10 },
  others: { default: true },
};

/* ------------------------------------------------------------ contour lines ---------- */

/*
 * Marching squares: the segments where values (ny x nx, row 0 at the top, cell centres of
 * grid()) cross each level, as [x1, y1, x2, y2, ...] in data coordinates.
 */
export function contourSegments(values, nx, ny, xlim, ylim, levels) {
  const out = [];
  const dx = (xlim[1] - xlim[0]) / nx;
  const dy = (ylim[1] - ylim[0]) / ny;
  const e = new Float64Array(8); // crossing points on the top, right, bottom, left edges
  // the edges each case joins (0 top, 1 right, 2 bottom, 3 left), two per segment
  const JOIN = [[], [3, 2], [2, 1], [3, 1], [0, 1], [3, 0, 2, 1], [0, 2], [3, 0], [3, 0],
    [0, 2], [0, 1, 3, 2], [0, 1], [3, 1], [2, 1], [3, 2], []];
  for (const level of levels) {
    for (let r = 0; r < ny - 1; r++) {
      const y0 = ylim[1] - (r + 0.5) * dy;
      for (let c = 0; c < nx - 1; c++) {
        const tl = values[r * nx + c];
        const tr = values[r * nx + c + 1];
        const br = values[(r + 1) * nx + c + 1];
        const bl = values[(r + 1) * nx + c];
        const code = (tl > level) * 8 + (tr > level) * 4 + (br > level) * 2 + (bl > level);
        if (code === 0 || code === 15) continue;
        const x0 = xlim[0] + (c + 0.5) * dx;
        e[0] = x0 + ((level - tl) / (tr - tl)) * dx; // top
        e[1] = y0;
        e[2] = x0 + dx; // right
        e[3] = y0 - ((level - tr) / (br - tr)) * dy;
        e[4] = x0 + ((level - bl) / (br - bl)) * dx; // bottom
        e[5] = y0 - dy;
        e[6] = x0; // left
        e[7] = y0 - ((level - tl) / (bl - tl)) * dy;
        const join = JOIN[code];
        for (let k = 0; k < join.length; k += 2) {
          out.push(e[2 * join[k]], e[2 * join[k] + 1], e[2 * join[k + 1]], e[2 * join[k + 1] + 1]);
        }
      }
    }
  }
  return Float64Array.from(out);
}

function star(fig, x, y, r, color) {
  const { ctx } = fig;
  ctx.save();
  ctx.fillStyle = color;
  ctx.beginPath();
  for (let k = 0; k < 10; k++) {
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    const q = k % 2 ? r * 0.45 : r;
    ctx.lineTo(x + q * Math.cos(a), y + q * Math.sin(a));
  }
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}

/* The points of a polyline that move it by half a pixel or more (and its breaks, its end). */
function thin(ax, xs, ys) {
  const outX = [];
  const outY = [];
  let px = NaN;
  let py = NaN;
  for (let i = 0; i < xs.length; i++) {
    const qx = ax.x(xs[i]);
    const qy = ax.y(ys[i]);
    const finite = Number.isFinite(qx) && Number.isFinite(qy);
    if (!finite || !(Math.abs(qx - px) < 0.5 && Math.abs(qy - py) < 0.5) || i === xs.length - 1) {
      outX.push(xs[i]);
      outY.push(ys[i]);
      px = finite ? qx : NaN;
      py = finite ? qy : NaN;
    }
  }
  return [outX, outY];
}

function drawSegments(fig, ax, segments, color) {
  const { ctx } = fig;
  ctx.save();
  ctx.beginPath();
  ctx.rect(ax.box.left, ax.box.top, ax.box.width, ax.box.height);
  ctx.clip();
  ctx.strokeStyle = color;
  ctx.lineWidth = 0.8;
  ctx.beginPath();
  for (let i = 0; i < segments.length; i += 4) {
    ctx.moveTo(ax.x(segments[i]), ax.y(segments[i + 1]));
    ctx.lineTo(ax.x(segments[i + 2]), ax.y(segments[i + 3]));
  }
  ctx.stroke();
  ctx.restore();
}

/* ------------------------------------------------------------ the paths -------------- */

/* The optimizer `opt` with learning rate eta and the settings s, hyperparameters from h. */
export function makeOptimizer(opt, eta, s, h) {
  if (opt === "sgd") return new SGD({ learning_rate: eta });
  if (opt === "momentum") return new SGD({ learning_rate: eta, momentum: s.mu });
  if (opt === "rmsprop") {
    return new RMSProp({ learning_rate: eta, rho: h.rho, epsilon: h.epsilon_rmsprop });
  }
  return new Adam({ learning_rate: eta, beta1: s.beta1, beta2: s.beta2, epsilon: h.epsilon_adam });
}

/* Each point's distance to the nearest minimum. */
function distances(path, minima) {
  const n = path.length / 2;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    d[i] = Math.min(...minima.map(([a, b]) => Math.hypot(path[2 * i] - a, path[2 * i + 1] - b)));
  }
  return d;
}

function fmt(v) {
  if (!Number.isFinite(v)) return "infinity";
  if (v === 0) return "0";
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? String(Number(v.toPrecision(3)))
    : v.toExponential(1);
}

export function mount(ex, data) {
  const S = data.surfaces;
  const h = data.hyper;
  // The chapter's values for a surface and an optimizer (eta) and its start.
  const chapter = (surface, opt) => ({
    eta: S[surface].rates[opt],
    x0: S[surface].start[0],
    y0: S[surface].start[1],
  });
  const first = { surface: data.first.surface, opt: data.first.opt };
  state.surface.default = first.surface;
  state.opt.default = first.opt;
  const f0 = chapter(first.surface, first.opt);
  state.eta.default = f0.eta;
  state.x0.default = f0.x0;
  state.y0.default = f0.y0;
  state.mu.default = h.mu;
  state.beta1.default = h.beta1;
  state.beta2.default = h.beta2;
  const all = Object.values(S);
  state.x0.min = Math.min(...all.map((v) => v.xlim[0]));
  state.x0.max = Math.max(...all.map((v) => v.xlim[1]));
  state.y0.min = Math.min(...all.map((v) => v.ylim[0]));
  state.y0.max = Math.max(...all.map((v) => v.ylim[1]));
  // Settings the URL does not name take these defaults (the URL leaves out default values);
  // those it names are checked against the ranges just set.
  const named = new URLSearchParams(location.search);
  const now = ex.state; // the URL's numbers read again: the placeholders' ranges clamped them
  for (const [key, spec] of Object.entries(state)) {
    const text = named.get(`${ex.name}.${key}`);
    if (text !== null && typeof spec.default === "number" && Number.isFinite(Number(text))) {
      now[key] = Number(text);
    }
  }
  ex.set(Object.fromEntries(Object.keys(state).map((key) =>
    [key, named.has(`${ex.name}.${key}`) ? now[key] : state[key].default])));

  ex.choice("surface", {
    label: "surface",
    labels: Object.fromEntries(Object.entries(S).map(([k, v]) => [k, v.title])),
  });
  ex.choice("opt", { label: "optimizer", labels: LABELS });
  ex.slider("eta", { label: "learning rate η", format: fmt });
  ex.slider("mu", { label: "momentum μ (momentum)", format: (v) => v.toFixed(2) });
  ex.slider("beta1", { label: "β₁ (Adam)", format: (v) => v.toFixed(2) });
  ex.slider("beta2", { label: "β₂ (Adam)", format: (v) => v.toFixed(4) });
  const xInput = ex.slider("x0", { label: "start x (or click the map)", format: fmt });
  const yInput = ex.slider("y0", { label: "start y", format: fmt });
  ex.checkbox("others", { label: "the other optimizers (the chapter's rates)" });
  ex.button("The chapter's settings", () =>
    ex.set({ ...chapter(ex.state.surface, ex.state.opt), mu: h.mu, beta1: h.beta1,
      beta2: h.beta2 }),
  );

  // as wide as the page allows, up to 600 px (the text keeps its size on a phone)
  const wide = Math.round(Math.max(280, Math.min(600, ex.figures.clientWidth || 600)));
  const map = ex.canvas({ width: wide, height: Math.round(Math.max(260, wide * 0.63)),
    label: "paths on the surface" });
  const lossFig = ex.canvas({ width: wide, height: 200, label: "loss per step" });

  // Contours per surface, computed once: levels even in log(1 + f - min f), as the chapter's.
  const contours = {};
  const contourOf = (name) => {
    if (!contours[name]) {
      const { xlim, ylim } = S[name];
      const f = LANDSCAPES[name][0];
      const n = 121;
      const values = grid((p) => Math.log1p(f(p)), xlim, ylim, n, n);
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of values) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      const levels = Array.from({ length: data.levels }, (_, i) =>
        lo + ((i + 1) * (hi - lo)) / (data.levels + 1));
      contours[name] = contourSegments(values, n, n, xlim, ylim, levels);
    }
    return contours[name];
  };

  // One optimizer's path and its loss per step, kept for the next renders (dragging eta
  // recomputes only the chosen optimizer's path).
  const memo = new Map();
  function run(opt, eta, s) {
    const hyper = opt === "momentum" ? [s.mu] : opt === "adam" ? [s.beta1, s.beta2] : [];
    const key = [s.surface, opt, eta, s.x0, s.y0, ...hyper].join(" ");
    if (!memo.has(key)) {
      const [f, grad] = LANDSCAPES[s.surface];
      const path = descend(grad, [s.x0, s.y0], makeOptimizer(opt, eta, s, h),
        S[s.surface].steps);
      const loss = new Float64Array(path.length / 2);
      const point = new Float64Array(2);
      for (let i = 0; i < loss.length; i++) {
        point[0] = path[2 * i];
        point[1] = path[2 * i + 1];
        loss[i] = f(point);
      }
      if (memo.size > 40) memo.delete(memo.keys().next().value);
      memo.set(key, { path, loss });
    }
    return memo.get(key);
  }

  // The paths of the four optimizers for settings s: the chosen one with s.eta, the others
  // (if shown) with the chapter's rates.
  function paths(s) {
    const out = {};
    for (const opt of OPTS) {
      if (opt !== s.opt && !s.others) continue;
      out[opt] = run(opt, opt === s.opt ? s.eta : S[s.surface].rates[opt], s).path;
    }
    return out;
  }

  const layer = { canvas: document.createElement("canvas"), key: null };
  let ax = null;
  let last = null;
  let current = null;
  map.canvas.addEventListener("pointerdown", (event) => {
    if (!ax) return;
    const { x, y } = map.pointer(event);
    const [u, v] = ax.inverse(x, y);
    const { xlim, ylim } = S[ex.state.surface];
    if (u < xlim[0] || u > xlim[1] || v < ylim[0] || v > ylim[1]) return;
    ex.set({ x0: Number(u.toFixed(3)), y0: Number(v.toFixed(3)) });
  });
  map.canvas.style.cursor = "crosshair";

  let sentence = "";
  ex.expose({ paths, contourSegments, chapter, data, current: () => current,
    sentence: () => sentence });

  return function render(s) {
    if (last && (s.surface !== last.surface || s.opt !== last.opt)) {
      // another surface: the chapter's start and rate; another optimizer: the chapter's rate
      const moved = s.surface !== last.surface;
      last = s;
      ex.set(moved ? chapter(s.surface, s.opt) : { eta: chapter(s.surface, s.opt).eta });
      return undefined;
    }
    last = s;
    const c = ex.colors();
    const surf = S[s.surface];
    const { xlim, ylim, steps, minima } = surf;
    xInput.min = String(xlim[0]);
    xInput.max = String(xlim[1]);
    xInput.step = String((xlim[1] - xlim[0]) / 400);
    yInput.min = String(ylim[0]);
    yInput.max = String(ylim[1]);
    yInput.step = String((ylim[1] - ylim[0]) / 400);
    xInput.value = String(s.x0);
    yInput.value = String(s.y0);

    const ps = paths(s);
    const colour = Object.fromEntries(OPTS.map((o, i) => [o, c.series[i]]));
    current = { surface: s.surface, opt: s.opt, path: Array.from(ps[s.opt]) };

    clear(map);
    ax = axes(map, { xlim, ylim, xlabel: "x", ylabel: "y",
      box: { left: 64, top: 24, width: map.width - 88, height: map.height - 64 },
      title: `${surf.title}, ${steps.toLocaleString("en")} steps` });
    // the contour lines, drawn once per surface and colour mode into a canvas of their own
    const layerKey = `${s.surface} ${c.muted}`;
    if (layer.key !== layerKey) {
      layer.canvas.width = map.canvas.width;
      layer.canvas.height = map.canvas.height;
      const ctx = layer.canvas.getContext("2d");
      ctx.setTransform(map.canvas.width / map.width, 0, 0, map.canvas.height / map.height, 0, 0);
      ctx.globalAlpha = 0.55;
      drawSegments({ ...map, ctx }, ax, contourOf(s.surface), c.muted);
      layer.key = layerKey;
    }
    map.ctx.save();
    map.ctx.setTransform(1, 0, 0, 1, 0, 0);
    map.ctx.drawImage(layer.canvas, 0, 0);
    map.ctx.restore();
    const order = OPTS.filter((o) => o !== s.opt && ps[o]).concat([s.opt]);
    for (const o of order) {
      const p = ps[o];
      const xs = [];
      const ys = [];
      for (let i = 0; i < p.length; i += 2) {
        xs.push(p[i]);
        ys.push(p[i + 1]);
      }
      const mine = o === s.opt;
      map.ctx.save();
      map.ctx.globalAlpha = mine ? 1 : 0.75;
      const [tx, ty] = thin(ax, xs, ys);
      line(map, ax, tx, ty, { color: colour[o], width: mine ? 2.75 : 1.5 });
      const n = xs.length - 1;
      if (Number.isFinite(xs[n]) && Number.isFinite(ys[n])) {
        points(map, ax, [xs[n]], [ys[n]], { color: colour[o], radius: mine ? 4.5 : 3 });
      }
      map.ctx.restore();
    }
    for (const [mx, my] of minima) star(map, ax.x(mx), ax.y(my), 8, c.fg);
    // the start: a square
    map.ctx.fillStyle = c.fg;
    map.ctx.fillRect(ax.x(s.x0) - 5, ax.y(s.y0) - 5, 10, 10);
    const items = OPTS.filter((o) => ps[o]).map((o) => ({
      label: `${LABELS[o]}, η = ${fmt(o === s.opt ? s.eta : surf.rates[o])}`,
      color: colour[o],
    }));
    const legendTop = ax.box.top + ax.box.height - 10 - 16 * (items.length - 1);
    map.ctx.save();
    map.ctx.fillStyle = c.bg;
    map.ctx.globalAlpha = 0.85;
    map.ctx.fillRect(ax.box.left + 2, legendTop - 10, 150, 16 * items.length + 4);
    map.ctx.restore();
    legend(map, items, ax.box.left + 8, legendTop);

    // loss per step, log scale
    clear(lossFig);
    const losses = {};
    let lo = Infinity;
    let hi = 0;
    for (const o of order) {
      const L = run(o, o === s.opt ? s.eta : surf.rates[o], s).loss;
      for (let i = 0; i < L.length; i++) {
        if (Number.isFinite(L[i]) && L[i] > 0) {
          lo = Math.min(lo, L[i]);
          hi = Math.max(hi, L[i]);
        }
      }
      losses[o] = L;
    }
    lo = Math.max(lo, hi * 1e-16, 1e-300);
    const p0 = Math.floor(Math.log10(lo));
    const p1 = Math.max(Math.ceil(Math.log10(hi)), p0 + 1);
    const every = Math.ceil((p1 - p0) / 5);
    const yticks = [];
    for (let p = p1; p >= p0; p -= every) yticks.push(10 ** p);
    const lax = axes(lossFig, { xlim: [0, steps], ylim: [10 ** p0, 10 ** p1], ylog: true,
      yticks, xlabel: "step t", ylabel: "f(θ)",
      box: { left: 64, top: 10, width: lossFig.width - 88, height: lossFig.height - 50 } });
    const ts = Array.from({ length: steps + 1 }, (_, i) => i);
    for (const o of order) {
      const L = Array.from(losses[o], (v) => (v > 0 ? v : NaN));
      lossFig.ctx.save();
      lossFig.ctx.globalAlpha = o === s.opt ? 1 : 0.75;
      const [tx, ty] = thin(lax, ts, L);
      line(lossFig, lax, tx, ty, { color: colour[o], width: o === s.opt ? 2.5 : 1.25 });
      lossFig.ctx.restore();
    }

    // the sentence
    const path = ps[s.opt];
    const d = distances(path, minima);
    const end = d[d.length - 1];
    const reach = d.findIndex((v) => v < data.within);
    const xe = path[2 * steps];
    const ye = path[2 * steps + 1];
    const where = Number.isFinite(end)
      ? `ends at (${fmt(xe)}, ${fmt(ye)}), ${fmt(end)} from the nearest minimum`
      : "diverges (the numbers overflow)";
    const within = reach >= 0
      ? `; within ${data.within} of it after ${reach.toLocaleString("en")} steps`
      : `; never within ${data.within} of a minimum`;
    const said = `${surf.title[0].toUpperCase()}${surf.title.slice(1)}, ${LABELS[s.opt]} with ` +
      `η = ${fmt(s.eta)} from (${fmt(s.x0)}, ${fmt(s.y0)}), ${steps.toLocaleString("en")} ` +
      `steps: ${where}${within}.`;
    map.setLabel(said);
    lossFig.setLabel(`Loss per step of ${LABELS[s.opt]}, log scale, from ` +
      `${fmt(losses[s.opt][0])} to ${fmt(losses[s.opt][steps])}.`);
    sentence = said;
    if (!Number.isFinite(end)) {
      text(map, "diverged", ax.box.left + ax.box.width - 8, ax.box.top + 16,
        { align: "right", color: c.accent, weight: "bold" });
    }
    return said;
  };
}
