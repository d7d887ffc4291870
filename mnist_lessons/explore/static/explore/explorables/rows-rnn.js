// Explorable "rows-rnn" (chapter "Recurrent networks"): draw a digit (or pick a test digit),
// then step through its rows: the answer of the chapter's LSTM and SimpleRNN after each row,
// computed in the page (math/recurrent.js) with the build's weights. The answer after row t
// is the softmax layer applied to h_t, the state after reading rows 1 to t.

import { axes, bars, clear, image, legend, line, rule, text } from "../lib/plot.js";
import { digitPad } from "../lib/digits.js";
import { lstm_forward, outputs_after_each_step, rnn_forward } from "../math/recurrent.js";

const SIDE = 28;

export const state = {
  // The first view: the first test 0 (the figure's first digit), read to its last row.
  digit: { default: 0, min: 0, max: 9, step: 1 },
  row: { default: 28, min: 1, max: 28, step: 1 },
};

function pct(p) {
  return `${(100 * p).toFixed(p > 0.995 || p < 0.005 ? 2 : 0)}%`;
}

function argmax(p, from, n = 10) {
  let best = 0;
  for (let k = 1; k < n; k++) if (p[from + k] > p[from + best]) best = k;
  return best;
}

export function mount(ex, data, arrays) {
  const a = arrays;
  const testImage = (d) => Float64Array.from(a.digits.subarray(d * 784, (d + 1) * 784), (v) =>
    Math.fround(v / 255)); // float32, as data.scale
  /** Both networks' answers after rows 1..28: {lstm, rnn}, each (28, 10) (t = 1..28). */
  const forward = (x784) => {
    const x = Float64Array.from(x784);
    x.shape = [1, SIDE, SIDE];
    const { h } = lstm_forward(x, a.lstm_kernel, a.lstm_recurrent_kernel, a.lstm_bias);
    const hr = rnn_forward(x, a.rnn_W, a.rnn_U, a.rnn_b);
    // drop h_0: the answer after row t reads h_t, t = 1..28
    const after = (states) => {
      const n = states.shape[2];
      const out = states.subarray(n);
      out.shape = [SIDE, n];
      return out;
    };
    return {
      lstm: outputs_after_each_step(after(h), a.lstm_V, a.lstm_c),
      rnn: outputs_after_each_step(after(hr), a.rnn_V, a.rnn_c),
    };
  };

  ex.slider("digit", { label: "test digit", format: (d) => `the first ${data.labels[d]}` });
  ex.slider("row", { label: "rows read", format: (t) => `rows 1 to ${t} of 28` });
  ex.button("◀ Previous row", () => ex.set("row", ex.state.row - 1));
  ex.button("Next row ▶", () => ex.set("row", ex.state.row + 1));

  let now = null; // {x, p: {lstm, rnn}, source, label} or {message}
  let shownDigit = null;
  let quiet = false;
  const pad = digitPad(ex.panel("rows-rnn-pad"), {
    label: "Draw a digit for the recurrent networks",
    onImage(x, message) {
      if (quiet) return;
      now = x ? { x: Float64Array.from(x), p: forward(x), source: "drawing" } : { message };
      ex.render();
    },
  });
  const top = ex.canvas({ width: 480, height: 250, label: "" });
  const curves = ex.canvas({ width: 480, height: 200, label: "" });
  // The theme's colours, read once per render: plot.image asks for them at every pixel.
  let colors = ex.colors();
  top.colors = curves.colors = () => colors;
  const note = ex.panel("rows-rnn-note");
  note.textContent =
    "The answer after row t: the network reads rows 1 to t, one after another, and its " +
    "softmax layer reads the state h_t it has then; the rows below t are not read at all.";

  function showTest(d) {
    shownDigit = d;
    quiet = true;
    pad.setImage(testImage(d));
    quiet = false;
    const x = testImage(d);
    now = { x, p: forward(x), source: "test", label: data.labels[d] };
  }
  ex.expose({ forward, testImage, current: () => now, pad });

  return function render(s) {
    if (s.digit !== shownDigit) showTest(s.digit);
    const c = (colors = ex.colors());
    clear(top);
    clear(curves);
    if (!now.p) {
      text(top, now.message, 0, 20, { color: c.fg });
      top.setLabel(now.message);
      return now.message;
    }
    const t = s.row;
    // the digit, rows after t veiled
    const size = 8;
    image(top, now.x, SIDE, SIDE, { x: 0, y: 12, size, cmap: "gray", vmin: 0, vmax: 1 });
    top.ctx.save();
    top.ctx.globalAlpha = 0.75;
    top.ctx.fillStyle = c.bg;
    top.ctx.fillRect(0, 12 + t * size, SIDE * size, (SIDE - t) * size);
    top.ctx.restore();
    top.ctx.fillStyle = c.accent;
    top.ctx.fillRect(0, 12 + t * size - 1, SIDE * size, 2);
    text(top, `rows 1 to ${t} read`, 0, 8, { size: 11, color: c.muted });
    // the two answers after row t
    const said = {};
    [["LSTM", now.p.lstm, 0], ["SimpleRNN", now.p.rnn, 1]].forEach(([name, p, k]) => {
      const row = p.subarray((t - 1) * 10, t * 10);
      const best = argmax(row, 0);
      said[name] = [best, row[best]];
      const ax = axes(top, {
        box: { left: 268, top: 24 + k * 122, width: 200, height: 76 },
        xlim: [-0.5, 9.5],
        ylim: [0, 1],
        xticks: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        yticks: [0, 1],
      });
      // (the title is drawn here: axes() puts its title at the top of the whole figure)
      text(top, `${name}: ${best} (${pct(row[best])})`, 268, 16 + k * 122,
        { size: 12, color: c.fg, weight: "bold" });
      bars(top, ax, Array.from(row), { color: c.series[k] });
    });
    // the probability of one digit after every row, both networks
    const d = now.source === "test" ? now.label : argmax(now.p.lstm, 27 * 10);
    const rows = Array.from({ length: SIDE }, (_, i) => i + 1);
    const ax = axes(curves, {
      xlim: [1, 28],
      ylim: [0, 1],
      xlabel: "rows read",
      ylabel: `probability of ${d}`,
      yticks: [0, 0.5, 1],
    });
    [["LSTM", now.p.lstm, 0], ["SimpleRNN", now.p.rnn, 1]].forEach(([, p, k]) => {
      line(curves, ax, rows, rows.map((r) => p[(r - 1) * 10 + d]), { color: c.series[k] });
    });
    rule(curves, ax, { x: t, color: c.accent });
    legend(curves, [{ label: "LSTM", color: c.series[0] },
      { label: "SimpleRNN", color: c.series[1] }], ax.box.left + 8, ax.box.top + 10);
    const source = now.source === "test" ? `the first test ${now.label}` : "your drawing";
    const sentence =
      `After row ${t} of 28 of ${source}: the LSTM says ${said.LSTM[0]} ` +
      `(${pct(said.LSTM[1])}), the SimpleRNN ${said.SimpleRNN[0]} (${pct(said.SimpleRNN[1])}).`;
    top.setLabel(sentence);
    curves.setLabel(
      `Probability of ${d} after each row: LSTM ` +
        rows.map((r) => pct(now.p.lstm[(r - 1) * 10 + d])).join(", ") +
        "; SimpleRNN " + rows.map((r) => pct(now.p.rnn[(r - 1) * 10 + d])).join(", "),
    );
    return sentence;
  };
}
