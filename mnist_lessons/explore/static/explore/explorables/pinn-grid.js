// Physics-informed networks: the chapter's PINN against the plain network, for each damping and
// data interval the build trained (mnist_lessons.pinn.fit_oscillator). The reader picks the
// damping delta and the interval of the ten measurements; the page draws the exact solution,
// both networks' predictions and the measurements (top), their absolute errors on a log scale
// (bottom), and gives the largest error of each inside and beyond the measurements. Nothing is
// trained in the page: every curve is the build's; the page only subtracts and compares.
import { axes, clear, line, points } from "../lib/plot.js";

// The choices are the build's: mount() fills them in from the bundle.
export const state = {
  delta: { default: "", choices: [""] },
  interval: { default: "", choices: [""] },
};

const NAMES = { pinn: "PINN", plain: "plain network" };

/** The largest |u - u_exact| inside [0, end] and beyond it, as the chapter computes them. */
export function largestErrors(t, u, exact, end) {
  const out = { inside: 0, beyond: 0 };
  for (let i = 0; i < t.length; i++) {
    const e = Math.abs(u[i] - exact[i]);
    const where = t[i] <= end ? "inside" : "beyond";
    if (e > out[where]) out[where] = e;
  }
  return out;
}

/**
 * A legend above the axes: items [{label, color, width}] (a dot if dot: true), in one row, or
 * in two when the figure is narrow.
 */
function legendRow(fig, items, x, y) {
  const { ctx } = fig;
  ctx.save();
  ctx.font = "12px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  let px = x;
  for (const item of items) {
    if (px > x && px + 26 + ctx.measureText(item.label).width > fig.width) {
      px = x;
      y += 17;
    }
    ctx.strokeStyle = item.color;
    ctx.fillStyle = item.color;
    ctx.lineWidth = item.width ?? 2;
    ctx.beginPath();
    if (item.dot) {
      ctx.arc(px + 10, y, 3.5, 0, 2 * Math.PI);
      ctx.fill();
    } else {
      ctx.moveTo(px, y);
      ctx.lineTo(px + 20, y);
      ctx.stroke();
    }
    ctx.fillStyle = fig.colors().fg;
    ctx.fillText(item.label, px + 26, y);
    px += 26 + ctx.measureText(item.label).width + 18;
  }
  ctx.restore();
}

function shade(fig, ax, x0, x1, color) {
  const { ctx } = fig;
  ctx.save();
  ctx.fillStyle = color;
  const left = ax.x(x0);
  ctx.fillRect(left, ax.box.top, ax.x(x1) - left, ax.box.height);
  ctx.restore();
}

export function mount(ex, data, arrays) {
  const { configs } = data;
  const t = arrays.t;
  const n = t.length;
  const key = (v) => String(Number(v.toPrecision(6)));
  const deltas = [...new Set(configs.map((c) => key(c.delta)))];
  const intervals = [...new Set(configs.map((c) => key(c.data_end)))];
  const first = configs[data.first];
  state.delta.choices = deltas;
  state.delta.default = key(first.delta);
  state.interval.choices = intervals;
  state.interval.default = key(first.data_end);
  const given = new URLSearchParams(location.search);
  const pick = (k) => given.get(`${ex.name}.${k}`) ?? state[k].default;
  ex.set({ delta: pick("delta"), interval: pick("interval") });

  const curves = configs.map((c, i) => {
    const u = (j) => arrays.u.subarray((3 * i + j) * n, (3 * i + j + 1) * n);
    return { exact: u(0), pinn: u(1), plain: u(2) };
  });
  const errors = configs.map((c, i) => {
    const e = {};
    for (const name of ["pinn", "plain"]) {
      const u = curves[i][name];
      const err = new Float64Array(n);
      for (let j = 0; j < n; j++) err[j] = Math.abs(u[j] - curves[i].exact[j]);
      e[name] = { curve: err, ...largestErrors(t, u, curves[i].exact, c.data_end) };
    }
    return e;
  });
  // One scale for every setting, so that switching compares like with like.
  let uLo = Infinity;
  let uHi = -Infinity;
  let eHi = 0;
  curves.forEach((c, i) => {
    for (const name of ["exact", "pinn", "plain"]) {
      for (const v of c[name]) {
        uLo = Math.min(uLo, v);
        uHi = Math.max(uHi, v);
      }
    }
    for (const name of ["pinn", "plain"]) eHi = Math.max(eHi, ...errors[i][name].curve);
  });
  const pad = 0.05 * (uHi - uLo);
  const eLim = [1e-5, 10 ** Math.ceil(Math.log10(eHi))];

  ex.choice("delta", {
    label: "damping δ",
    labels: Object.fromEntries(deltas.map((d) =>
      [d, `δ = ${d}${d === state.delta.default ? " (the chapter's)" : ""}`])),
  });
  ex.choice("interval", {
    label: "measurements on",
    labels: Object.fromEntries(intervals.map((e) =>
      [e, `[0, ${e}]${e === state.interval.default ? " (the chapter's)" : ""}`])),
  });
  ex.button("The chapter's setting", () =>
    ex.set({ delta: state.delta.default, interval: state.interval.default }));
  // As wide as the figure has room for, up to 600 px: the text keeps its size on a phone,
  // where the legend takes two rows.
  const wide = Math.round(Math.max(300, Math.min(600, ex.figures.clientWidth || 600)));
  const legendRoom = wide < 560 ? 47 : 30;
  const top = ex.canvas({ width: wide, height: 250 + legendRoom,
    label: "the networks against the solution" });
  const bottom = ex.canvas({ width: wide, height: 220, label: "their absolute errors" });
  const table = ex.panel("pinn-grid-errors");

  const find = (s) =>
    configs.findIndex((c) => key(c.delta) === s.delta && key(c.data_end) === s.interval);

  ex.expose({
    /** The largest errors the page computes for a setting (index into data.configs). */
    errors: (i) => ({ pinn: { inside: errors[i].pinn.inside, beyond: errors[i].pinn.beyond },
      plain: { inside: errors[i].plain.inside, beyond: errors[i].plain.beyond } }),
    built: (i) => configs[i].errors,
    /** The curves the page draws for setting i: t, the exact solution, the two networks. */
    curves: (i) => ({ t: Array.from(t), exact: Array.from(curves[i].exact),
      pinn: Array.from(curves[i].pinn), plain: Array.from(curves[i].plain),
      delta: configs[i].delta, data_end: configs[i].data_end, omega0: data.omega0 }),
    shown: () => find(ex.state),
    configs: configs.length,
  });

  return function render(s) {
    const i = find(s);
    const c = configs[i];
    const u = curves[i];
    const colors = ex.colors();
    const series = { pinn: colors.series[0], plain: colors.series[1] };
    const end = c.data_end;

    clear(top);
    const ax = axes(top, { xlim: [0, t[n - 1]], ylim: [uLo - pad, uHi + pad],
      box: { left: 66, top: legendRoom, width: top.width - 78,
        height: top.height - legendRoom - 40 },
      xlabel: "time t", ylabel: "displacement u(t)" });
    shade(top, ax, 0, end, colors.grid);
    line(top, ax, t, u.exact, { color: colors.muted, width: 5 });
    for (const name of ["pinn", "plain"]) line(top, ax, t, u[name], { color: series[name] });
    points(top, ax, c.t_data, c.u_data, { color: colors.fg, radius: 3.5 });
    legendRow(top, [
      { label: "exact solution", color: colors.muted, width: 5 },
      { label: NAMES.pinn, color: series.pinn },
      { label: NAMES.plain, color: series.plain },
      { label: "measurements (shaded)", color: colors.fg, dot: true },
    ], 12, 12);

    clear(bottom);
    const bx = axes(bottom, { xlim: [0, t[n - 1]], ylim: eLim, ylog: true, xlabel: "time t",
      box: { left: 66, top: 10, width: bottom.width - 78, height: bottom.height - 50 },
      ylabel: "absolute error" });
    shade(bottom, bx, 0, end, colors.grid);
    for (const name of ["pinn", "plain"]) {
      const curve = Array.from(errors[i][name].curve, (v) => Math.max(v, 1e-12));
      line(bottom, bx, t, curve, { color: series[name] });
    }

    const e = errors[i];
    const f = (v) => v.toFixed(v < 0.1 ? 4 : 3);
    table.innerHTML = "";
    const tbl = document.createElement("table");
    tbl.style.borderCollapse = "collapse";
    const head = "style='padding: 0.15rem 1rem 0.15rem 0; text-align: right'";
    tbl.innerHTML = "<caption style='text-align: left; font-weight: 600'>Largest absolute " +
      "error</caption><thead><tr><th scope='col' style='padding-right: 1rem; text-align: " +
      `left'>network</th><th scope='col' ${head}>inside [0, ${key(end)}]</th>` +
      `<th scope='col' ${head}>beyond</th></tr></thead>`;
    const body = document.createElement("tbody");
    for (const name of ["pinn", "plain"]) {
      const row = document.createElement("tr");
      for (const [tag, value] of [["th", NAMES[name]], ["td", f(e[name].inside)],
        ["td", f(e[name].beyond)]]) {
        const cell = document.createElement(tag);
        if (tag === "th") cell.scope = "row";
        cell.style.padding = "0.15rem 1rem 0.15rem 0";
        if (tag === "td") cell.style.textAlign = "right";
        cell.textContent = value;
        row.append(cell);
      }
      body.append(row);
    }
    tbl.append(body);
    table.append(tbl);

    const said = `δ = ${key(c.delta)}, measurements on [0, ${key(end)}]: beyond them the ` +
      `largest error is ${f(e.pinn.beyond)} for the PINN and ${f(e.plain.beyond)} for the ` +
      `plain network; inside, ${f(e.pinn.inside)} and ${f(e.plain.inside)}.`;
    top.setLabel(`The exact solution, the PINN, the plain network and the ten measurements ` +
      `(shaded interval). ${said}`);
    bottom.setLabel(`Absolute errors on a log scale. ${said}`);
    return said;
  };
}
