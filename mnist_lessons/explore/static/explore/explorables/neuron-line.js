// The neuron, part 1: one sigmoid neuron with two inputs, x1 (ink at the centre of a digit) and
// x2 (ink at its sides), on the test zeros and ones the chapter draws. Sliders move w1, w2 and
// b; the map of a = sigmoid(w1 x1 + w2 x2 + b) and the boundary w1 x1 + w2 x2 + b = 0 follow,
// and the binary cross-entropy of the drawn digits says how good the line is. The first view is
// the neuron the chapter trained (its weights come from the build, as do the digits).
import { axes, clear, line } from "../lib/plot.js";
import { sigmoid } from "../math/activations.js";
import { binary_crossentropy } from "../math/losses.js";
import { shade } from "./neuron-line/shade.js";

// Wide bounds until mount() narrows them to the build's range and sets the build's weights.
export const state = {
  w1: { default: 0, min: -1000, max: 1000 },
  w2: { default: 0, min: -1000, max: 1000 },
  b: { default: 0, min: -1000, max: 1000 },
  at: { default: [0, 0], length: 2, min: -1000, max: 1000 }, // the probe: (x1, x2)
};

const MAP = 64; // cells per side of the probability map

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

const tidy = (v) => Number(v.toPrecision(12));

/** z = w1 x1 + w2 x2 + b and a = sigmoid(z) of the neuron at one point. */
export function neuron(s, x1, x2) {
  const z = s.w1 * x1 + s.w2 * x2 + s.b;
  return { z, a: sigmoid([z])[0] };
}

function triangle(ctx, x, y, r) {
  ctx.beginPath();
  ctx.moveTo(x, y - r);
  ctx.lineTo(x + r * 0.9, y + r * 0.6);
  ctx.lineTo(x - r * 0.9, y + r * 0.6);
  ctx.closePath();
}

export function mount(ex, data, arrays) {
  // (n, 2) features, (n,) 0/1 labels, the trained [w1, w2, b], its [loss, right] on them
  const { x, y, w, first, probe } = arrays;
  const n = y.length;
  const labels = Float64Array.from(y);
  labels.shape = [n, 1];
  const range = { min: -data.limit, max: data.limit };
  const [x0, x1] = data.xlim;
  const [y0, y1] = data.ylim;
  adoptDefaults(ex, {
    w1: { default: tidy(w[0]), ...range },
    w2: { default: tidy(w[1]), ...range },
    b: { default: tidy(w[2]), ...range },
    at: { default: [tidy(probe[0]), tidy(probe[1])], min: Math.min(x0, y0),
      max: Math.max(x1, y1) },
  });
  const format = (v) => v.toFixed(2);
  ex.slider("w1", { label: "weight w₁ (ink at the centre)", format });
  ex.slider("w2", { label: "weight w₂ (ink at the sides)", format });
  ex.slider("b", { label: "bias b", format });
  ex.button("The trained neuron", () =>
    ex.set({ w1: state.w1.default, w2: state.w2.default, b: state.b.default }));
  // As wide as the figure has room for, up to 480 px: its text keeps its size on a phone.
  const wide = Math.round(Math.max(300, Math.min(480, ex.figures.clientWidth || 480)));
  const fig = ex.canvas({ width: wide, height: Math.round((wide * 5) / 6),
    label: "the neuron's map" });
  // The probe: drag it on the map, or focus the map and use the arrow keys (Shift: larger).
  let ax = null;
  const clampAt = ([u, v]) => [Math.min(x1, Math.max(x0, u)), Math.min(y1, Math.max(y0, v))];
  const moveTo = (event) => {
    if (!ax) return;
    const { x: px, y: py } = fig.pointer(event);
    ex.set("at", clampAt(ax.inverse(px, py)));
  };
  fig.canvas.tabIndex = 0;
  fig.canvas.style.touchAction = "none";
  fig.canvas.style.cursor = "crosshair";
  fig.canvas.addEventListener("pointerdown", (event) => {
    fig.canvas.setPointerCapture(event.pointerId);
    fig.dragging = true;
    moveTo(event);
  });
  fig.canvas.addEventListener("pointermove", (event) => fig.dragging && moveTo(event));
  fig.canvas.addEventListener("pointerup", () => (fig.dragging = false));
  fig.canvas.addEventListener("pointercancel", () => (fig.dragging = false));
  const KEYS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
  fig.canvas.addEventListener("keydown", (event) => {
    const step = KEYS[event.key];
    if (!step) return;
    event.preventDefault();
    const f = event.shiftKey ? 0.1 : 0.01;
    const [u, v] = ex.state.at;
    ex.set("at", clampAt([u + step[0] * f * (x1 - x0), v + step[1] * f * (y1 - y0)]));
  });

  /** The neuron's outputs for the drawn digits, their loss and how many lie on their side. */
  function score(s) {
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) z[i] = s.w1 * x[2 * i] + s.w2 * x[2 * i + 1] + s.b;
    const a = sigmoid(z);
    a.shape = [n, 1];
    let right = 0;
    for (let i = 0; i < n; i++) right += a[i] > 0.5 === labels[i] > 0.5 ? 1 : 0;
    return { a, loss: binary_crossentropy(labels, a), right };
  }

  ex.expose({
    output: (x1, x2) => neuron(ex.state, x1, x2).a,
    score: () => {
      const { loss, right } = score(ex.state);
      return { loss, right, n };
    },
    first: { loss: first[0], right: first[1] },
  });

  return function render(s) {
    const c = fig.colors();
    clear(fig);
    ax = axes(fig, {
      xlim: data.xlim,
      ylim: data.ylim,
      xlabel: "x₁: ink at the centre",
      ylabel: "x₂: ink at the sides",
      grid: false,
    });
    const { left, top, width, height } = ax.box;
    const map = new Float64Array(MAP * MAP); // row 0 at the top (largest x2)
    for (let r = 0; r < MAP; r++) {
      const v = y1 - ((r + 0.5) / MAP) * (y1 - y0);
      for (let k = 0; k < MAP; k++) {
        const u = x0 + ((k + 0.5) / MAP) * (x1 - x0);
        map[r * MAP + k] = s.w1 * u + s.w2 * v + s.b;
      }
    }
    const a_map = sigmoid(map);
    shade(fig, a_map, MAP, MAP, ax.box);
    // the boundary w1 x1 + w2 x2 + b = 0, through the box
    if (Math.abs(s.w2) >= Math.abs(s.w1) && s.w2 !== 0) {
      line(fig, ax, [x0, x1], [x0, x1].map((u) => -(s.w1 * u + s.b) / s.w2), {
        color: c.fg, width: 2.5 });
    } else if (s.w1 !== 0) {
      line(fig, ax, [y0, y1].map((v) => -(s.w2 * v + s.b) / s.w1), [y0, y1], {
        color: c.fg, width: 2.5 });
    }
    const { a, loss, right } = score(s);
    const { ctx } = fig;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    for (let i = 0; i < n; i++) {
      const px = ax.x(x[2 * i]);
      const py = ax.y(x[2 * i + 1]);
      const wrong = a[i] > 0.5 !== labels[i] > 0.5;
      ctx.lineWidth = wrong ? 2.5 : 1.2;
      ctx.strokeStyle = wrong ? c.accent : c.fg;
      if (labels[i] > 0.5) {
        triangle(ctx, px, py, 5);
        ctx.fillStyle = c.fg;
        ctx.globalAlpha = 0.75;
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.stroke();
      } else {
        ctx.beginPath();
        ctx.arc(px, py, 4, 0, 2 * Math.PI);
        ctx.stroke();
      }
    }
    // the probe: z and a at (x1, x2)
    const [u, v] = s.at;
    const here = neuron(s, u, v);
    const px = ax.x(u);
    const py = ax.y(v);
    ctx.lineWidth = 5;
    ctx.strokeStyle = c.bg;
    ctx.beginPath();
    ctx.arc(px, py, 8, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.strokeStyle = c.fg;
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    ctx.arc(px, py, 8, 0, 2 * Math.PI);
    ctx.moveTo(px - 14, py);
    ctx.lineTo(px - 4, py);
    ctx.moveTo(px + 4, py);
    ctx.lineTo(px + 14, py);
    ctx.stroke();
    const probeText = `z = ${here.z.toFixed(3)}, a = σ(z) = ${here.a.toFixed(4)}`;
    ctx.font = "12px system-ui, sans-serif";
    const label = fig.width < 400 ? probeText : `marked point: ${probeText}`;
    const boxWidth = ctx.measureText(label).width + 12;
    ctx.globalAlpha = 0.88;
    ctx.fillStyle = c.bg;
    ctx.fillRect(left + width - boxWidth - 4, top + 4, boxWidth, 20);
    ctx.globalAlpha = 1;
    ctx.fillStyle = c.fg;
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    ctx.fillText(label, left + width - boxWidth + 2, top + 14);
    ctx.restore();
    const sign = (v) => (v < 0 ? `− ${format(-v)}` : `+ ${format(v)}`);
    const said =
      `z = ${format(s.w1)} x₁ ${sign(s.w2)} x₂ ${sign(s.b)}: ${right} of ${n} digits on ` +
      `their side of the line (zeros below a = 0.5, ones above), loss ${loss.toFixed(3)}. ` +
      `At x₁ = ${u.toFixed(3)}, x₂ = ${v.toFixed(3)}: ${probeText}.`;
    fig.setLabel(
      `Map of the neuron's probability of a 1 over x₁ and x₂ with its boundary line and ` +
        `${n} test digits (circles zeros, triangles ones; wrong ones ringed). ${said}`,
    );
    return said;
  };
}
