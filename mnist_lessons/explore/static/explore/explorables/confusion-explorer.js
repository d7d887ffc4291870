/*
 * Explorable "confusion-explorer" (chapter Evaluating a classifier): the confusion matrix of
 * the book's MLP on the 10,000 test digits. Pick a cell (click it, or move with the arrow keys
 * and press Enter) to see test digits in it with their probabilities: up to 24 of a mistake
 * cell, the most confident first, and the 12 least confident right answers of a diagonal cell.
 * A threshold slider makes the network refuse every digit whose highest probability is below
 * tau: the curve shows the share it answers against its accuracy on those, the marker where
 * tau puts it. Everything is counted from the build's export of the chapter's predictions.
 */

import { axes, clear, line, points, rule, text } from "../lib/plot.js";
import { thumbStrip } from "./confusion-explorer/thumbs.js";

export const state = {
  // [true digit, predicted digit]; [-1, -1]: the most frequent mistake of the build
  cell: { default: [-1, -1], length: 2, min: -1, max: 9, step: 1 },
  tau: { default: 0.99, min: 0, max: 0.999999, step: 0.000001 },
};

const K = 10;
const MAX_NINES = 6; // the slider runs over u = -log10(1 - tau) from 0 to 6
const NINES_STEP = 0.01;

function pct(v, digits = 1) {
  return `${(100 * v).toFixed(digits)}\u00a0%`; // a no-break space: "99.8 %" stays whole
}

function count(n) {
  return n.toLocaleString("en-US");
}

/** tau with as many digits as its nines need: 0.99, 0.9990, 0.999968 */
export function formatTau(tau) {
  if (tau <= 0) return "0";
  const nines = -Math.log10(Math.max(1e-12, 1 - tau));
  const digits = Math.min(6, Math.max(2, Math.ceil(nines - 1e-9) + 1));
  return tau.toFixed(digits);
}

/**
 * coverage and accuracy at thresholds: the images with confidence >= tau are answered.
 * Built once from the confidences (Float32Array) and whether each answer is right.
 */
export function makeCoverage(confidence, correct) {
  const n = confidence.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => confidence[a] - confidence[b]);
  const sorted = Float64Array.from(order, (i) => confidence[i]); // ascending
  const rightFrom = new Int32Array(n + 1); // right answers from position k to the end
  for (let k = n - 1; k >= 0; k--) rightFrom[k] = rightFrom[k + 1] + (correct[order[k]] ? 1 : 0);
  return function at(tau) {
    let lo = 0;
    let hi = n; // first position whose confidence is >= tau
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < tau) lo = mid + 1;
      else hi = mid;
    }
    const answered = n - lo;
    const right = rightFrom[lo];
    return {
      tau,
      answered,
      right,
      wrong: answered - right,
      refused: lo,
      refusedWrong: n - rightFrom[0] - (answered - right),
      coverage: answered / n,
      accuracy: answered ? right / answered : NaN,
    };
  };
}

/** The n flags np.packbits packed into bytes (the first flag in each byte's highest bit). */
export function unpackBits(bytes, n) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (bytes[i >> 3] >> (7 - (i & 7))) & 1;
  return out;
}

let styled = false;
function addStyle() {
  if (styled) return;
  styled = true;
  const style = document.createElement("style");
  style.textContent = `
.cx-layout { display: flex; flex-wrap: wrap; gap: 0.75rem 1.5rem; align-items: flex-start; }
.cx-matrix { border-collapse: collapse; font-size: 0.7rem; font-variant-numeric: tabular-nums;
  margin: 0; table-layout: fixed; width: 100%; max-width: 23rem; }
.cx-matrix th { font-weight: 600; padding: 0 0.15rem; color: var(--ex-fg); text-align: center; }
.cx-matrix td { padding: 1px; }
.cx-matrix button { width: 100%; height: 1.7rem; padding: 0; font: inherit;
  border: 1px solid transparent; border-radius: 0.2rem; cursor: pointer; }
.cx-matrix button[aria-pressed="true"] { outline: 3px solid var(--ex-accent);
  outline-offset: -1px; font-weight: 700; }
.cx-matrix button:focus-visible { outline: 3px solid var(--ex-fg); outline-offset: 1px; }
.cx-matrix caption { caption-side: top; font-size: 0.8rem; color: var(--ex-muted);
  text-align: left; padding-bottom: 0.2rem; }
.cx-layout > table { flex: 1 1 17rem; }
.cx-cell { flex: 1 1 16rem; min-width: 0; }
.cx-cell h4 { font-size: 0.95rem; margin: 0 0 0.2rem; }
.cx-cell p { font-size: 0.85rem; margin: 0; color: var(--ex-muted); }
`;
  document.head.append(style);
}

export function mount(ex, data, arrays) {
  addStyle();
  const C = data.C; // (10, 10): rows true digits, columns predicted
  const n = data.n;
  const correct = unpackBits(arrays.correct_bits, n);
  const coverageAt = makeCoverage(arrays.confidence, correct);
  const cells = new Map(data.cells.map(([i, j, start, shown]) => [`${i},${j}`, { start, shown }]));
  const maxCount = Math.max(...C.flat());

  // The threshold: a slider over the nines of tau (0.9 is one nine, 0.99 two, ...).
  const field = document.createElement("div");
  field.className = "explorable-field";
  const row = document.createElement("div");
  row.className = "explorable-label-row";
  const label = document.createElement("label");
  const id = `${ex.root.id}-tau`;
  label.htmlFor = id;
  label.textContent = "confidence threshold τ";
  const output = document.createElement("output");
  output.htmlFor = id;
  row.append(label, output);
  const slider = document.createElement("input");
  Object.assign(slider, { type: "range", id, min: "0", max: String(MAX_NINES),
    step: String(NINES_STEP) });
  field.append(row, slider);
  ex.controls.append(field);
  const toNines = (tau) => -Math.log10(Math.max(10 ** -MAX_NINES, 1 - tau));
  slider.addEventListener("input", () => {
    const u = Number(slider.value);
    ex.set("tau", u <= 0 ? 0 : 1 - 10 ** -u);
  });

  // The matrix: a grid of buttons, one tab stop, arrow keys move, Enter or Space picks.
  const layout = ex.panel("cx-layout");
  const table = document.createElement("table");
  table.className = "cx-matrix";
  table.setAttribute("role", "grid");
  table.setAttribute("aria-label", "confusion matrix: rows true digits, columns predicted");
  const caption = document.createElement("caption");
  caption.textContent = "true digit (rows) × predicted digit (columns)";
  table.append(caption);
  const head = table.createTHead().insertRow();
  head.append(document.createElement("th"));
  for (let j = 0; j < K; j++) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = String(j);
    head.append(th);
  }
  const body = table.createTBody();
  const buttons = [];
  let focusCell = [0, 0];
  for (let i = 0; i < K; i++) {
    const tr = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = String(i);
    tr.append(th);
    buttons.push([]);
    for (let j = 0; j < K; j++) {
      const td = tr.insertCell();
      td.setAttribute("role", "gridcell");
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = String(C[i][j]);
      b.dataset.cell = `${i},${j}`;
      b.tabIndex = -1;
      const digits = C[i][j] === 1 ? "digit" : "digits";
      b.setAttribute("aria-label", i === j
        ? `${C[i][j]} ${i}s read right`
        : `true ${i} predicted as ${j}: ${C[i][j]} ${digits}`);
      b.addEventListener("click", () => ex.set("cell", [i, j]));
      b.addEventListener("focus", () => {
        focusCell = [i, j];
      });
      td.append(b);
      buttons[i].push(b);
    }
  }
  table.addEventListener("keydown", (event) => {
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1],
      Home: [0, -K], End: [0, K] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const i = Math.min(K - 1, Math.max(0, focusCell[0] + move[0]));
    const j = Math.min(K - 1, Math.max(0, focusCell[1] + move[1]));
    roving(i, j);
    buttons[i][j].focus();
  });
  function roving(i, j) {
    for (const rowButtons of buttons) for (const b of rowButtons) b.tabIndex = -1;
    buttons[i][j].tabIndex = 0;
  }
  layout.append(table);

  const cellBox = document.createElement("div");
  cellBox.className = "cx-cell";
  const cellTitle = document.createElement("h4");
  const cellNote = document.createElement("p");
  cellBox.append(cellTitle, cellNote);
  const strip = thumbStrip(cellBox, Math.max(data.per_mistake_cell, data.per_right_cell));
  layout.append(cellBox);

  const fig = ex.canvas({ width: 480, height: 250, label: "" });
  let current = null; // the numbers of the last render, for tests

  // The curve: coverage against accuracy, tau from 0 to 1 - 10^-6.
  const curve = [];
  for (let k = 0; k <= MAX_NINES * 50; k++) {
    const u = k / 50;
    curve.push(coverageAt(u === 0 ? 0 : 1 - 10 ** -u));
  }
  const xs = curve.map((c) => c.coverage);
  const ys = curve.map((c) => c.accuracy);
  const xlo = Math.floor(Math.min(...xs) * 20) / 20;
  const ylo = Math.floor(Math.min(...ys) * 200) / 200;

  const defaultCell = data.default_cell;
  const chosen = (s) => (s.cell[0] < 0 || s.cell[1] < 0 ? defaultCell : s.cell);

  function cellDigits(i, j) {
    const entry = cells.get(`${i},${j}`);
    if (!entry) return [];
    return Array.from({ length: entry.shown }, (_, k) => entry.start + k);
  }

  ex.expose({ coverageAt, cellDigits, C, chosen: () => chosen(ex.state), current: () => current });
  let paintedFor = ""; // the colours the matrix was last painted with

  return function render(s) {
    const colors = ex.colors();
    const [ci, cj] = chosen(s);
    const tau = s.tau;
    const at = coverageAt(tau);

    // matrix colours: log scale of the count, as the chapter's figure
    if (paintedFor !== `${colors.series[0]} ${colors.bg}`) {
      paintedFor = `${colors.series[0]} ${colors.bg}`;
      const ink = hexToRgb(colors.series[0]);
      const paper = hexToRgb(colors.bg);
      for (let i = 0; i < K; i++) {
        for (let j = 0; j < K; j++) {
          const button = buttons[i][j];
          const t = C[i][j] ? Math.log1p(C[i][j]) / Math.log1p(maxCount) : 0;
          const rgb = ink.map((v, c) => Math.round(paper[c] + (v - paper[c]) * (0.1 + 0.9 * t)));
          button.style.background = `rgb(${rgb.join(", ")})`;
          button.style.color = legibleOn(rgb);
          button.style.fontWeight = i === j ? "700" : "400";
        }
      }
    }
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < K; j++) {
        const pressed = String(i === ci && j === cj);
        if (buttons[i][j].getAttribute("aria-pressed") !== pressed) {
          buttons[i][j].setAttribute("aria-pressed", pressed);
        }
      }
    }
    if (!table.contains(document.activeElement)) {
      roving(ci, cj);
      focusCell = [ci, cj];
    }

    // the digits of the chosen cell
    const rows = cellDigits(ci, cj);
    const inCell = C[ci][cj];
    const mistakes = inCell === 1 ? "mistake" : "mistakes";
    cellTitle.textContent = ci === cj
      ? `True ${ci}, predicted ${cj}: ${count(inCell)} right answers`
      : `True ${ci}, predicted as ${cj}: ${count(inCell)} ${mistakes}`;
    let refusedShown = 0;
    rows.forEach((rowIndex, k) => {
      const pPred = arrays.p_pred[rowIndex];
      const refused = pPred < tau;
      if (refused) refusedShown++;
      const lines = [`p(${cj}) ${pct(pPred)}`];
      if (ci !== cj) lines.push(`p(${ci}) ${pct(arrays.p_true[rowIndex])}`);
      if (refused) lines.push("refused");
      strip.show(k, arrays.images, rowIndex, lines, {
        dim: refused,
        dark: colors.dark,
        label: `test digit ${arrays.index[rowIndex]}, labelled ${ci}, read as ${cj} with `
          + `probability ${pct(pPred)}${refused ? ", refused at this threshold" : ""}`,
      });
    });
    for (let k = rows.length; k < Math.max(data.per_mistake_cell, data.per_right_cell); k++) {
      strip.hide(k);
    }
    if (inCell === 0) {
      cellNote.textContent = "No test digit falls in this cell.";
    } else if (ci === cj) {
      cellNote.textContent = `The ${rows.length} it was least sure of, least sure first; under `
        + "each, the probability it gave its answer.";
    } else {
      const which = rows.length === inCell ? `All ${inCell}` : `${rows.length} of them`;
      cellNote.textContent = `${which}, the most confident first; under each, the probability`
        + " of the prediction and of"
        + " the true digit.";
    }

    // the threshold
    output.textContent = formatTau(tau);
    const u = tau <= 0 ? 0 : toNines(tau);
    if (document.activeElement !== slider) slider.value = String(u);
    slider.setAttribute("aria-valuetext", `τ = ${formatTau(tau)}`);

    clear(fig);
    const ax = axes(fig, { xlim: [xlo, 1], ylim: [ylo, 1], xlabel: "share of test digits answered",
      ylabel: "accuracy on those" });
    line(fig, ax, xs, ys, { color: colors.series[0] });
    rule(fig, ax, { y: curve[0].accuracy,
      label: `always answering: ${pct(curve[0].accuracy, 2)}` });
    points(fig, ax, [at.coverage], [at.accuracy], { color: colors.accent, radius: 6,
      stroke: colors.bg });
    text(fig, `τ = ${formatTau(tau)}`, ax.x(at.coverage) - 8, ax.y(at.accuracy) - 10,
      { align: "right", color: colors.accent, weight: "bold" });
    const sentence = `At τ = ${formatTau(tau)} the network answers ${count(at.answered)} of the `
      + `${count(n)} test digits (${pct(at.coverage)}) and is right on ${pct(at.accuracy, 2)} `
      + `of them; it refuses ${count(at.refused)}, ${count(at.refusedWrong)} of which it would `
      + "have got wrong.";
    current = at;
    fig.setLabel(`Curve of the share of test digits answered against the accuracy on them, `
      + `from ${pct(curve[0].coverage)} and ${pct(curve[0].accuracy, 2)} at τ = 0 to `
      + `${pct(xs[xs.length - 1])} and ${pct(ys[ys.length - 1], 2)}; the dot marks τ = `
      + `${formatTau(tau)}.`);
    const cellText = ci === cj
      ? `Test digits of ${ci} read right: ${count(inCell)}`
      : `Test digits of ${ci} read as ${cj}: ${count(inCell)}`;
    const refusedText = refusedShown
      ? `, ${refusedShown} of the ${rows.length} shown refused at this threshold` : "";
    return `${cellText}${refusedText}. ${sentence}`;
  };
}

/** Black or white, whichever contrasts more with the colour rgb (WCAG's luminance). */
function legibleOn(rgb) {
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return (1.05) / (luminance + 0.05) > (luminance + 0.05) / 0.05 ? "#ffffff" : "#000000";
}

function hexToRgb(hex) {
  const h = hex.replace("#", "");
  return [0, 2, 4].map((k) => parseInt(h.slice(k, k + 2), 16));
}
