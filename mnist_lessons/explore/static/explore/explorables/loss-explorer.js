// Loss functions: drag the prediction and watch each loss and its gradient, side by side.
// Top row, classification: one example of class 1 and a sigmoid output p; the cross-entropy,
// squared and absolute error of p, and how hard each pulls, |dl/dz| = |dl/da| sigma'(z) (or
// dl/da itself). Bottom row, regression: a prediction a of the target 0, so the residual is
// r = a; the squared and absolute error and their derivatives. Every value comes from
// math/losses.js (tested against scratch.losses); the ranges, the losses shown and the
// starting points come from the build.
import { axes, clear, legend, line, rule } from "../lib/plot.js";
import { sigmoid_grad } from "../math/activations.js";
import * as losses from "../math/losses.js";

// Wide bounds until mount() sets the build's ranges and starting points.
export const state = {
  p: { default: 0.5, min: 0, max: 1, step: 0.001 },
  r: { default: 0, min: -1000, max: 1000, step: 0.01 },
  wrt: { default: "z", choices: ["z", "a"] },
};

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

function one(value) {
  const array = Float64Array.of(value);
  array.shape = [1, 1];
  return array;
}

/** scratch's per_point: the loss and dl/da of one prediction a of target y, a (1, 1) batch. */
export function lossAt(name, y, a) {
  return [losses[name](one(y), one(a)), losses[`${name}_grad`](one(y), one(a))[0]];
}

function linspace(lo, hi, n) {
  return Array.from({ length: n }, (_, i) => (n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1)));
}

export function mount(ex, data, arrays) {
  const [p0, p1] = data.p_range;
  const [r0, r1] = data.r_range;
  adoptDefaults(ex, {
    p: { default: data.p_start, min: p0, max: p1 },
    r: { default: data.r_start, min: r0, max: r1 },
  });
  ex.slider("p", { label: "classification: predicted probability p of the true class",
    format: (v) => v.toFixed(3) });
  ex.choice("wrt", {
    label: "its gradient with respect to",
    labels: { z: "z, the pre-activation: |∂ℓ/∂z|", a: "p itself: ∂ℓ/∂a" },
  });
  ex.slider("r", { label: "regression: prediction a of the target 0", format: (v) =>
    v.toFixed(2) });
  const figs = {
    classification: [
      ex.canvas({ width: 300, height: 250, label: "each loss of a probability" }),
      ex.canvas({ width: 300, height: 250, label: "how hard each pulls" }),
    ],
    regression: [
      ex.canvas({ width: 300, height: 250, label: "each loss of a number" }),
      ex.canvas({ width: 300, height: 250, label: "each derivative" }),
    ],
  };

  // the curves, once: for each task, each loss and its gradient over the build's grid
  const ps = linspace(p0, p1, data.p_count);
  const rs = linspace(r0, r1, data.r_count);
  const zs = ps.map((p) => Math.log(p / (1 - p))); // sigmoid(z) = p
  const slope = sigmoid_grad(Float64Array.from(zs)); // sigma'(z)
  const curves = { classification: {}, regression: {} };
  for (const name of Object.keys(data.losses.classification)) {
    const values = ps.map((p) => lossAt(name, 1, p));
    curves.classification[name] = {
      loss: values.map((v) => v[0]),
      a: values.map((v) => v[1]),
      z: values.map((v, i) => Math.abs(v[1]) * slope[i]),
    };
  }
  for (const name of Object.keys(data.losses.regression)) {
    const values = rs.map((r) => lossAt(name, 0, r));
    curves.regression[name] = { loss: values.map((v) => v[0]), a: values.map((v) => v[1]) };
  }
  const rLimit = Math.max(...rs.map((r) => r * r));
  const dLimit = Math.max(...curves.regression.mse.a.map(Math.abs));

  /** Each loss now: [loss, dl/da, |dl/dz|] (classification), [loss, dl/da] (regression). */
  function values(s) {
    const out = { classification: {}, regression: {} };
    const z = Math.log(s.p / (1 - s.p));
    const sz = sigmoid_grad(Float64Array.of(z))[0];
    for (const name of Object.keys(data.losses.classification)) {
      const [l, g] = lossAt(name, 1, s.p);
      out.classification[name] = [l, g, Math.abs(g) * sz];
    }
    for (const name of Object.keys(data.losses.regression)) {
      out.regression[name] = lossAt(name, 0, s.r);
    }
    return out;
  }

  // dragging on a figure moves its prediction (the sliders do the same from the keyboard)
  const drawn = new Map(); // canvas -> its axes, from the last render
  for (const [task, pair] of Object.entries(figs)) {
    for (const fig of pair) {
      const move = (event) => {
        const ax = drawn.get(fig);
        if (!ax) return;
        const { x } = fig.pointer(event);
        ex.set(task === "classification" ? "p" : "r", ax.inverse(x, 0)[0]);
      };
      fig.canvas.style.touchAction = "none";
      fig.canvas.style.cursor = "ew-resize";
      fig.canvas.addEventListener("pointerdown", (event) => {
        fig.canvas.setPointerCapture(event.pointerId);
        fig.dragging = true;
        move(event);
      });
      fig.canvas.addEventListener("pointermove", (event) => {
        if (fig.dragging) move(event);
      });
      const stop = () => {
        fig.dragging = false;
      };
      fig.canvas.addEventListener("pointerup", stop);
      fig.canvas.addEventListener("pointercancel", stop);
    }
  }

  // the build's scratch values at the starting points, by loss: [loss, dl/da]
  const byName = (task, array) => Object.fromEntries(Object.keys(data.losses[task]).map(
    (name, i) => [name, [array[2 * i], array[2 * i + 1]]]));
  ex.expose({ values: () => values(ex.state), lossAt,
    first: byName("classification", arrays.first),
    firstRegression: byName("regression", arrays.first_regression) });

  // one colour per loss in both rows, in the order of the classification row
  const order = Object.keys(data.losses.classification);
  const colour = (c, name) => c.series[Math.max(0, order.indexOf(name))];

  function panel(fig, task, options, key, at, now, column) {
    const c = fig.colors();
    const names = data.losses[task];
    clear(fig);
    const ax = axes(fig, options);
    drawn.set(fig, ax);
    if (options.ylim[0] < 0) rule(fig, ax, { y: 0, color: c.muted, dash: [] });
    const xs = task === "classification" ? ps : rs;
    for (const name of Object.keys(names)) {
      line(fig, ax, xs, curves[task][name][key], { color: colour(c, name) });
    }
    rule(fig, ax, { x: at, color: c.muted, dash: [] });
    markers(fig, ax, Object.keys(names).map((n) => [now[task][n][column], colour(c, n)]), at, c);
    if (key === "loss") {
      const left = task === "classification" ? ax.box.width - 118 : ax.box.width / 2 - 45;
      legend(fig, Object.entries(names).map(([name, label]) => ({ label,
        color: colour(c, name) })), ax.box.left + left, ax.box.top + 12);
    }
  }

  return function render(s) {
    const now = values(s);
    const useZ = s.wrt === "z";
    const pLabel = "predicted probability p of the true class";
    const rLabel = "residual r = a − y";
    panel(figs.classification[0], "classification", { xlim: data.p_range,
      ylim: data.loss_ylim, xlabel: pLabel, ylabel: "loss ℓ",
      title: "loss of one prediction (y = 1)" }, "loss", s.p, now, 0);
    panel(figs.classification[1], "classification", { xlim: data.p_range,
      ylim: useZ ? [0, 1.05] : [-10, 2], xlabel: pLabel,
      ylabel: useZ ? "|∂ℓ/∂z|" : "∂ℓ/∂a",
      title: useZ ? "how hard learning pulls" : "its derivative" }, useZ ? "z" : "a", s.p,
    now, useZ ? 2 : 1);
    panel(figs.regression[0], "regression", { xlim: data.r_range, ylim: [0, rLimit],
      xlabel: rLabel, ylabel: "loss ℓ", title: "loss of one prediction" }, "loss", s.r, now, 0);
    panel(figs.regression[1], "regression", { xlim: data.r_range, ylim: [-dLimit, dLimit],
      xlabel: rLabel, ylabel: "∂ℓ/∂a", title: "its derivative" }, "a", s.r, now, 1);

    const describe = (task, column) => Object.entries(data.losses[task]).map(([name, label]) => {
      const v = now[task][name];
      const g = column === 2 ? `pulls ${v[2].toPrecision(3)}` : `slope ${v[1].toPrecision(3)}`;
      return `${label} ${v[0].toPrecision(3)}, ${g}`;
    }).join("; ");
    const said =
      `At p = ${s.p.toFixed(3)}: ${describe("classification", useZ ? 2 : 1)}. ` +
      `At r = ${s.r.toFixed(2)}: ${describe("regression", 1)}.`;
    figs.classification[0].setLabel(`Each loss against ${pLabel}, marked at ${s.p.toFixed(3)}.`);
    figs.classification[1].setLabel(`Each loss's gradient against ${pLabel}. ${said}`);
    figs.regression[0].setLabel(`Each loss against the ${rLabel}, marked at ${s.r.toFixed(2)}.`);
    figs.regression[1].setLabel(`Each loss's derivative against the ${rLabel}.`);
    return said;
  };
}

function markers(fig, ax, values, at, c) {
  const { ctx } = fig;
  ctx.save();
  values.forEach(([value, color]) => {
    const py = ax.y(value);
    if (!Number.isFinite(py) || py < ax.box.top || py > ax.box.top + ax.box.height) return;
    ctx.beginPath();
    ctx.arc(ax.x(at), py, 5, 0, 2 * Math.PI);
    ctx.fillStyle = color;
    ctx.fill();
    ctx.strokeStyle = c.fg;
    ctx.lineWidth = 1.5;
    ctx.stroke();
  });
  ctx.restore();
}
