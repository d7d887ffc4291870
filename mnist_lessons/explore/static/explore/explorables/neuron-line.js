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
};

const MAP = 64; // cells per side of the probability map

/** The build's values become the defaults; settings the URL gave are kept. */
function adoptDefaults(ex, values, range) {
  const given = new URLSearchParams(location.search);
  const now = {};
  for (const [key, value] of Object.entries(values)) {
    Object.assign(state[key], { default: Number(value.toPrecision(12)) }, range);
    now[key] = given.has(`${ex.name}.${key}`) ? ex.state[key] : state[key].default;
  }
  ex.set(now);
}

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
  const { x, y, w, first } = arrays;
  const n = y.length;
  const labels = Float64Array.from(y);
  labels.shape = [n, 1];
  adoptDefaults(ex, { w1: w[0], w2: w[1], b: w[2] }, {
    min: -data.limit,
    max: data.limit,
  });
  const format = (v) => v.toFixed(2);
  ex.slider("w1", { label: "weight w₁ (ink at the centre)", format });
  ex.slider("w2", { label: "weight w₂ (ink at the sides)", format });
  ex.slider("b", { label: "bias b", format });
  ex.button("The trained neuron", () =>
    ex.set({ w1: state.w1.default, w2: state.w2.default, b: state.b.default }));
  const fig = ex.canvas({ width: 480, height: 400, label: "the neuron's map" });

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
    const ax = axes(fig, {
      xlim: data.xlim,
      ylim: data.ylim,
      xlabel: "x₁: ink at the centre",
      ylabel: "x₂: ink at the sides",
      grid: false,
    });
    const { left, top, width, height } = ax.box;
    const [x0, x1] = data.xlim;
    const [y0, y1] = data.ylim;
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
    ctx.restore();
    const sign = (v) => (v < 0 ? `− ${format(-v)}` : `+ ${format(v)}`);
    const said =
      `z = ${format(s.w1)} x₁ ${sign(s.w2)} x₂ ${sign(s.b)}: ${right} of ${n} digits on ` +
      `their side of the line (zeros below a = 0.5, ones above), loss ${loss.toFixed(3)}.`;
    fig.setLabel(
      `Map of the neuron's probability of a 1 over x₁ and x₂ with its boundary line and ` +
        `${n} test digits (circles zeros, triangles ones; wrong ones ringed). ${said}`,
    );
    return said;
  };
}
