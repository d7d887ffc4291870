/*
 * Explorable "learning-rate-bowls" (chapter Gradient descent, after Figure fig-descent-2d):
 * a learning-rate slider on each of the chapter's two bowls, the loss w^2 of one weight and
 * the elongated bowl (w1^2 + 10 w2^2) / 2 of two. For each: the path of gradient descent, the
 * loss per step, and the factor each step multiplies a coordinate by, |1 - eta E''|, against
 * eta, with the edge of stability eta = 2 / E'' (the steepest curvature) marked where the
 * chapter derives it. The build sends the starts, steps, windows, the chapter's three rates and
 * the curvatures it measured on the chapter's own loss and gradient functions.
 *
 * Each step is the chapter's w <- w - eta * gradient(w), done by math/optimizers.js's SGD with
 * the gradient (c_1 w_1, c_2 w_2) of E = (c_1 w_1^2 + c_2 w_2^2) / 2, the same operations as
 * the chapter's gradient functions (tests/test_site_explore_learning_rate_bowls.py compares).
 */

import { axes, clear, legend, line, points, rule, text } from "../lib/plot.js";
import { SGD } from "../math/optimizers.js";

// Placeholders: mount() puts the build's rates and ranges in.
export const state = {
  eta1: { default: 0.1, min: 0.005, max: 1.2, step: 0.005 },
  eta2: { default: 0.1, min: 0.001, max: 0.25, step: 0.001 },
};

/* The points w_0, ..., w_steps of gradient descent on E = sum(c_i w_i^2) / 2, flat. */
export function descentPath(curvatures, w0, eta, steps) {
  const n = curvatures.length;
  const w = Float64Array.from(w0);
  const path = new Float64Array((steps + 1) * n);
  path.set(w, 0);
  const sgd = new SGD({ learning_rate: eta });
  const g = new Float64Array(n);
  for (let t = 1; t <= steps; t++) {
    for (let i = 0; i < n; i++) g[i] = curvatures[i] * w[i]; // the gradient c_i w_i
    sgd.step([w], [g]); // w <- w - eta * gradient(w)
    path.set(w, t * n);
  }
  return path;
}

/* E = sum(c_i w_i^2) / 2 at one point. */
export function bowl(curvatures, w) {
  let sum = 0;
  for (let i = 0; i < curvatures.length; i++) sum += curvatures[i] * (w[i] * w[i]);
  return 0.5 * sum;
}

function fmt(v) {
  if (!Number.isFinite(v)) return "infinity";
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(3))) : v.toExponential(1);
}

const SUB = ["₁", "₂", "₃"];

/* The loss as the chapter writes it: E(w) = w² or E = (w₁² + 10 w₂²) / 2. */
function formula(b) {
  const c = b.curvatures;
  if (c.length === 1) return `E(w) = ${c[0] / 2 === 1 ? "" : fmt(c[0] / 2) + " "}w²`;
  const terms = c.map((v, i) => `${v === 1 ? "" : fmt(v) + " "}w${SUB[i]}²`);
  return `E = (${terms.join(" + ")}) / 2`;
}

function row(ex, parent) {
  const box = document.createElement("div");
  box.style.cssText = "display:flex;flex-wrap:wrap;gap:0.75rem;width:100%";
  parent.append(box);
  return box;
}

function sized(fig, basis) {
  fig.canvas.style.flex = `1 1 ${basis}px`;
  fig.canvas.style.width = "auto";
  fig.canvas.style.minWidth = "0";
  return fig;
}

export function mount(ex, data) {
  const bowls = [data.one, data.two];
  const keys = ["eta1", "eta2"];
  // ranges and defaults from the build: up to 1.25 times the edge, the chapter's middle rate
  bowls.forEach((b, k) => {
    const edge = 2 / Math.max(...b.curvatures);
    const step = edge / 200;
    Object.assign(state[keys[k]], { default: b.rates[b.first], min: step, max: 1.25 * edge,
      step });
  });
  // Settings the URL does not name take these defaults; those it names are checked against
  // the ranges just set.
  const named = new URLSearchParams(location.search);
  const now = ex.state; // the URL's numbers read again: the placeholders' ranges clamped them
  for (const [key, spec] of Object.entries(state)) {
    const text = named.get(`${ex.name}.${key}`);
    if (text !== null && typeof spec.default === "number" && Number.isFinite(Number(text))) {
      now[key] = Number(text);
    }
  }
  ex.set(Object.fromEntries(keys.map((key) =>
    [key, named.has(`${ex.name}.${key}`) ? now[key] : state[key].default])));

  // the strip as wide as the page allows (its text keeps its size on a phone)
  const wide = Math.round(Math.max(280, Math.min(640, ex.figures.clientWidth || 640)));
  const figs = bowls.map((b, k) => {
    ex.slider(keys[k], { label: `learning rate η, ${b.title}`, format: (v) => fmt(v) });
    const heading = document.createElement("p");
    heading.textContent = `${b.title[0].toUpperCase()}${b.title.slice(1)}: ${formula(b)}`;
    heading.style.cssText = "margin:0.25rem 0 0;width:100%;font-weight:600";
    ex.figures.append(heading);
    const box = row(ex, ex.figures);
    return {
      path: sized(ex.canvas({ width: 320, height: 240, label: "path", parent: box }), 280),
      loss: sized(ex.canvas({ width: 320, height: 240, label: "loss per step", parent: box }),
        280),
      rate: ex.canvas({ width: wide, height: 150, label: "factor per step" }),
    };
  });

  function drawOne(b, fig, eta, c) {
    const n = b.curvatures.length;
    const path = descentPath(b.curvatures, b.start, eta, b.steps);
    const at = (t) => Array.from(path.subarray(t * n, t * n + n));
    const losses = Array.from({ length: b.steps + 1 }, (_, t) => bowl(b.curvatures, at(t)));
    const colour = c.series[0];

    // the path
    clear(fig.path);
    if (n === 1) {
      const xs = [];
      const ys = [];
      for (let i = 0; i <= 200; i++) {
        const w = b.xlim[0] + (i * (b.xlim[1] - b.xlim[0])) / 200;
        xs.push(w);
        ys.push(bowl(b.curvatures, [w]));
      }
      const top = Math.max(...ys);
      const ax = axes(fig.path, { xlim: b.xlim, ylim: [-0.05 * top, 1.05 * top],
        xlabel: "weight w", ylabel: "loss E(w)" });
      line(fig.path, ax, xs, ys, { color: c.muted, width: 1.5 });
      line(fig.path, ax, Array.from(path), losses, { color: colour, width: 1 });
      points(fig.path, ax, Array.from(path), losses, { color: colour, radius: 2.5 });
      fig.path.ctx.fillStyle = c.fg;
      fig.path.ctx.fillRect(ax.x(path[0]) - 4, ax.y(losses[0]) - 4, 8, 8);
    } else {
      const ax = axes(fig.path, { xlim: b.xlim, ylim: b.ylim, xlabel: "w₁", ylabel: "w₂" });
      // contour ellipses E = level: semi-axes sqrt(2 level / c_i), levels on a square-root
      // scale as the chapter's figure
      const corners = [[b.xlim[0], b.ylim[0]], [b.xlim[0], b.ylim[1]], [b.xlim[1], b.ylim[0]],
        [b.xlim[1], b.ylim[1]]];
      const top = Math.max(...corners.map((p) => bowl(b.curvatures, p)));
      const ctx = fig.path.ctx;
      ctx.save();
      ctx.beginPath();
      ctx.rect(ax.box.left, ax.box.top, ax.box.width, ax.box.height);
      ctx.clip();
      ctx.strokeStyle = c.grid;
      ctx.lineWidth = 1;
      for (let k = 1; k <= data.levels; k++) {
        const level = (Math.sqrt(top) * k / data.levels) ** 2;
        const rx = Math.abs(ax.x(Math.sqrt((2 * level) / b.curvatures[0])) - ax.x(0));
        const ry = Math.abs(ax.y(Math.sqrt((2 * level) / b.curvatures[1])) - ax.y(0));
        ctx.beginPath();
        ctx.ellipse(ax.x(0), ax.y(0), rx, ry, 0, 0, 2 * Math.PI);
        ctx.stroke();
      }
      ctx.restore();
      const xs = [];
      const ys = [];
      for (let t = 0; t <= b.steps; t++) {
        xs.push(path[2 * t]);
        ys.push(path[2 * t + 1]);
      }
      line(fig.path, ax, xs, ys, { color: colour, width: 1 });
      points(fig.path, ax, xs, ys, { color: colour, radius: 2.5 });
      points(fig.path, ax, [0], [0], { color: c.fg, radius: 4 });
      fig.path.ctx.fillStyle = c.fg;
      fig.path.ctx.fillRect(ax.x(xs[0]) - 4, ax.y(ys[0]) - 4, 8, 8);
    }

    // the loss per step, log scale
    clear(fig.loss);
    const positive = losses.filter((v) => v > 0 && Number.isFinite(v));
    const lo = Math.max(Math.min(...positive), 1e-30);
    const hi = Math.max(...positive, losses[0]);
    const p0 = Math.floor(Math.log10(lo));
    const p1 = Math.max(Math.ceil(Math.log10(hi)), p0 + 1);
    const every = Math.ceil((p1 - p0) / 5);
    const yticks = [];
    for (let p = p1; p >= p0; p -= every) yticks.push(10 ** p);
    const lax = axes(fig.loss, { xlim: [0, b.steps], ylog: true, xlabel: "step t",
      ylabel: "loss E", ylim: [10 ** p0, 10 ** p1], yticks });
    const ts = losses.map((_, t) => t);
    line(fig.loss, lax, ts, losses.map((v) => (v > 0 ? v : NaN)), { color: colour });
    points(fig.loss, lax, ts, losses.map((v) => (v > 0 ? v : NaN)), { color: colour,
      radius: 2 });

    // the factor per step against eta, and the edge
    clear(fig.rate);
    const etaMax = state[keys[bowls.indexOf(b)]].max;
    const edge = 2 / Math.max(...b.curvatures);
    const rax = axes(fig.rate, { xlim: [0, etaMax], ylim: [0, 2.4], xlabel: "learning rate η",
      yticks: [0, 1, 2],
      box: { left: 44, top: 8, width: fig.rate.width - 56, height: fig.rate.height - 48 } });
    const es = Array.from({ length: 201 }, (_, i) => (i * etaMax) / 200);
    const names = n === 1 ? ["w"] : ["w₁", "w₂"];
    const items = b.curvatures.map((cv, i) => {
      const style = { color: c.series[2 + i], width: 1.5, dash: i ? [4, 3] : [] };
      line(fig.rate, rax, es, es.map((e) => Math.abs(1 - e * cv)), style);
      return { label: `${names[i]}: E'' = ${fmt(cv)}`, ...style };
    });
    legend(fig.rate, items, rax.box.left + 6, rax.box.top + 28);
    rule(fig.rate, rax, { y: 1, color: c.muted, dash: [2, 3] });
    rule(fig.rate, rax, { x: edge, color: c.accent, width: 2,
      label: `edge: η = 2/E'' = ${fmt(edge)}` });
    for (const [name, r] of Object.entries(b.rates)) {
      const px = rax.x(r);
      fig.rate.ctx.fillStyle = c.muted;
      fig.rate.ctx.fillRect(px - 0.5, rax.box.top + rax.box.height - 6, 1, 6);
      text(fig.rate, name, px, rax.box.top + rax.box.height - 9,
        { align: "center", size: 10, color: c.muted });
    }
    const worst = Math.max(...b.curvatures.map((cv) => Math.abs(1 - eta * cv)));
    points(fig.rate, rax, [eta], [Math.min(worst, 2.4)], { color: colour, radius: 5 });
    text(fig.rate, "|1 − η E''| per step", rax.box.left + 6, rax.box.top + 12,
      { color: c.fg, size: 11 });

    const factors = b.curvatures.map((cv) => 1 - eta * cv);
    const verdict = worst < 1 ? "converges" : worst === 1 ? "neither converges nor diverges"
      : "diverges";
    const each = n === 1 ? `each step multiplies w by 1 − 2η = ${fmt(factors[0])}`
      : `each step multiplies w₁ by ${fmt(factors[0])} and w₂ by ${fmt(factors[1])}`;
    const said = `${b.title[0].toUpperCase()}${b.title.slice(1)}, η = ${fmt(eta)}: ${each}; ` +
      `after ${b.steps} steps the loss is ${fmt(losses[b.steps])} (from ${fmt(losses[0])}), ` +
      `it ${verdict} (the edge of stability is η = ${fmt(edge)}).`;
    fig.path.setLabel(`Path of gradient descent. ${said}`);
    fig.loss.setLabel(`Loss per step, log scale, from ${fmt(losses[0])} to ` +
      `${fmt(losses[b.steps])}.`);
    fig.rate.setLabel(`The factor per step against the learning rate; it passes 1 at the ` +
      `edge of stability η = ${fmt(edge)}.`);
    return { said, path, losses };
  }

  let last = null;
  let results = [];
  ex.expose({ descentPath, bowl, data, results: () => results });

  return function render(s) {
    const c = ex.colors();
    results = bowls.map((b, k) => drawOne(b, figs[k], s[keys[k]], c));
    const changed = keys.filter((key) => !last || last[key] !== s[key]);
    last = s;
    return changed.map((key) => results[keys.indexOf(key)].said).join(" ");
  };
}
