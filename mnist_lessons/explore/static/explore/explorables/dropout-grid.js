/*
 * Explorable "dropout-grid" (chapter Overfitting and dropout): the chapter's overfitting recipe
 * (no early stopping, a fixed step size, validation on the same last 3,000 training images)
 * run by the build for every pair of training-set size and dropout rate in a small grid, for
 * 15 epochs each. Pick a pair (the two lists, or a cell of the table of gaps) and the learning
 * curves and the gap between training and validation accuracy update. The training curves
 * were measured after each epoch with dropout off (mnist_lessons.training's watch=), so that
 * the gap compares like with like.
 */

import { axes, clear, legend, line, points, rule, text } from "../lib/plot.js";

export const state = {
  size: { default: 1000, choices: [500, 1000, 5000] },
  rate: { default: 0, choices: [0, 0.5] },
};

function pct(v, digits = 1) {
  return `${(100 * v).toFixed(digits)}\u00a0%`;
}

function count(n) {
  return n.toLocaleString("en-US");
}

function rateName(rate) {
  return rate === 0 ? "no dropout" : `dropout ${rate}`;
}

/** The gap, in percentage points, between training and validation accuracy at the last epoch. */
export function finalGap(run) {
  const last = run.accuracy.length - 1;
  return 100 * (run.accuracy[last] - run.val_accuracy[last]);
}

let styled = false;
function addStyle() {
  if (styled) return;
  styled = true;
  const style = document.createElement("style");
  style.textContent = `
.dg-plots { display: flex; flex-wrap: wrap; gap: 0.5rem; }
.dg-plots canvas { flex: 1 1 18rem; min-width: 0; }
.dg-table { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums;
  margin: 0.25rem 0 0.5rem; }
.dg-table caption { caption-side: top; text-align: left; font-size: 0.8rem;
  color: var(--ex-muted); padding-bottom: 0.2rem; }
.dg-table th { font-weight: 600; padding: 0.1rem 0.4rem; text-align: center; }
.dg-table td { padding: 2px; }
.dg-table button { min-width: 4.2rem; min-height: 2rem; font: inherit; cursor: pointer;
  color: var(--ex-fg); background: var(--ex-bg); border: 1px solid var(--ex-muted);
  border-radius: 0.3rem; }
.dg-table button[aria-pressed="true"] { outline: 3px solid var(--ex-accent);
  outline-offset: -1px; font-weight: 700; }`;
  document.head.append(style);
}

export function mount(ex, data) {
  addStyle();
  const E = data.epochs;
  const runs = data.runs;
  const key = (size, rate) => `${size}_${rate}`;
  ex.choice("size", { label: "training images",
    labels: Object.fromEntries(data.sizes.map((n) => [n, count(n)])) });
  ex.choice("rate", { label: "dropout rate",
    labels: Object.fromEntries(data.rates.map((r) => [r, r === 0 ? "0 (none)" : String(r)])) });

  // The table of final gaps: one button per pair, a click picks it.
  const table = document.createElement("table");
  table.className = "dg-table";
  const caption = document.createElement("caption");
  caption.textContent = `gap after ${E} epochs (percentage points): training images × dropout`;
  table.append(caption);
  const head = table.createTHead().insertRow();
  head.append(document.createElement("th"));
  for (const rate of data.rates) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = rate === 0 ? "none" : String(rate);
    head.append(th);
  }
  const body = table.createTBody();
  const cells = new Map();
  for (const size of data.sizes) {
    const tr = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = count(size);
    tr.append(th);
    for (const rate of data.rates) {
      const b = document.createElement("button");
      b.type = "button";
      const gap = finalGap(runs[key(size, rate)]);
      b.textContent = gap.toFixed(1);
      b.setAttribute("aria-label", `${count(size)} images, ${rateName(rate)}: a gap of `
        + `${gap.toFixed(1)} points`);
      b.addEventListener("click", () => ex.set({ size, rate }));
      tr.insertCell().append(b);
      cells.set(key(size, rate), b);
    }
  }
  ex.panel().append(table);

  const plots = ex.panel("dg-plots");
  const accFig = ex.canvas({ width: 320, height: 240, label: "", parent: plots });
  const lossFig = ex.canvas({ width: 320, height: 240, label: "", parent: plots });
  const all = Object.values(runs);
  const accMin = Math.min(...all.flatMap((r) => [...r.accuracy, ...r.val_accuracy]));
  const accLim = [Math.floor(accMin * 20) / 20, 1];
  const losses = all.flatMap((r) => [...r.loss, ...r.val_loss]);
  const lossLim = [10 ** Math.floor(Math.log10(Math.min(...losses))),
    10 ** Math.ceil(Math.log10(Math.max(...losses)))];
  const epochs = Array.from({ length: E }, (_, i) => i + 1);

  ex.expose({ finalGap: (size, rate) => finalGap(runs[key(size, rate)]), runs });

  return function render(s) {
    const c = ex.colors();
    const run = runs[key(s.size, s.rate)];
    for (const [k, b] of cells) b.setAttribute("aria-pressed", String(k === key(s.size, s.rate)));
    const last = E - 1;
    const gap = finalGap(run);

    clear(accFig);
    const ax = axes(accFig, { xlim: [0.5, E + 0.5], ylim: accLim, xlabel: "epoch",
      ylabel: "accuracy" });
    line(accFig, ax, epochs, run.accuracy, { color: c.series[0] });
    line(accFig, ax, epochs, run.val_accuracy, { color: c.series[2], dash: [6, 4] });
    const x = ax.x(E);
    const ctx = accFig.ctx;
    ctx.save();
    ctx.strokeStyle = c.accent;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x - 4, ax.y(run.accuracy[last]));
    ctx.lineTo(x - 4, ax.y(run.val_accuracy[last]));
    ctx.stroke();
    ctx.restore();
    text(accFig, `gap ${gap.toFixed(1)} points`, x - 10,
      (ax.y(run.accuracy[last]) + ax.y(run.val_accuracy[last])) / 2,
      { align: "right", baseline: "middle", color: c.accent, weight: "bold" });
    legend(accFig, [{ label: "training (dropout off)", color: c.series[0] },
      { label: "validation", color: c.series[2], dash: [6, 4] }],
    ax.box.left + ax.box.width - 162, ax.box.top + ax.box.height - 30);

    clear(lossFig);
    const lx = axes(lossFig, { xlim: [0.5, E + 0.5], ylim: lossLim, ylog: true,
      xlabel: "epoch", ylabel: "loss (log scale)" });
    line(lossFig, lx, epochs, run.loss, { color: c.series[0] });
    line(lossFig, lx, epochs, run.val_loss, { color: c.series[2], dash: [6, 4] });
    const low = run.val_loss.indexOf(Math.min(...run.val_loss));
    points(lossFig, lx, [low + 1], [run.val_loss[low]], { color: c.series[2], radius: 5,
      stroke: c.bg });
    rule(lossFig, lx, { x: low + 1, dash: [2, 3], width: 1,
      label: `lowest at epoch ${low + 1}` });

    const sentence = `${count(s.size)} training images, ${rateName(s.rate)}, after ${E} `
      + `epochs: training accuracy ${pct(run.accuracy[last])} (dropout off), validation `
      + `${pct(run.val_accuracy[last])}, a gap of ${gap.toFixed(1)} points. `
      + (low === last
        ? "Validation loss still falling: lowest at the last epoch "
          + `(${run.val_loss[low].toFixed(3)}).`
        : `Validation loss lowest at epoch ${low + 1} (${run.val_loss[low].toFixed(3)}), `
          + `${run.val_loss[last].toFixed(3)} at epoch ${E}.`);
    accFig.setLabel(`Accuracy per epoch, ${count(s.size)} images, ${rateName(s.rate)}: `
      + `training ${pct(run.accuracy[last])} and validation ${pct(run.val_accuracy[last])} at `
      + `epoch ${E}.`);
    lossFig.setLabel(`Loss per epoch on a log scale: validation lowest at epoch ${low + 1}, `
      + `training ${run.loss[last].toExponential(1)} at epoch ${E}.`);
    return sentence;
  };
}
