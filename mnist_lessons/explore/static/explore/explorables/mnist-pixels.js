/*
 * Explorable "mnist-pixels" (chapter The MNIST dataset): a training digit pixel by pixel.
 *
 * Hover, tap or move the pixel cursor with the arrow keys over the digit: the pixel's value
 * X (0-255), its scaled value x' = X / 255 and its entry 28 r + c of the flattened vector are
 * read out, the 7x7 pixels around it are shown with both numbers, and the 784-vector (wrapped
 * in four lines of 196, seven image rows each) shows where the pixel went, with its neighbours
 * in the vector. The digits (a few per class, the chapter's first) and their training-set
 * indices come from the build (mnist_lessons.explore.mnist_pixels.pick_digits).
 */

import { clear, text } from "../lib/plot.js";

const SIDE = 28;
const N = SIDE * SIDE;

export const state = {
  // which exported digit: the digits are grouped by class, the chapter's digit first
  index: { default: 0, min: 0, max: 99, step: 1 },
  // the pixel cursor [row, column]; the default is MNIST's centre pixel
  pixel: { default: [14, 14], length: 2, min: 0, max: SIDE - 1, step: 1 },
};

function aDigit(d) {
  return d === 8 ? "an 8" : `a ${d}`;
}

const thousands = (n) => n.toLocaleString("en-US");

/** x' = X / 255 as the chapter prints it (three decimals). */
export function scaled(X) {
  return (X / 255).toFixed(3);
}

/** The entry of pixel (r, c) in the flattened vector: 28 r + c. */
export function flatIndex(r, c) {
  return SIDE * r + c;
}

/** A colour's relative luminance is high: write on it in black, else in white. */
function inkOn([r, g, b]) {
  return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? "#000" : "#fff";
}

/**
 * The 256 colours of X = 0..255: the ink-on-paper map of plot.image's "gray" (paper 0, ink
 * 255) in the figure's colour mode, worked out once a render instead of once a pixel.
 */
function greys(fig) {
  const { dark } = fig.colors();
  const paper = dark ? [18, 18, 20] : [255, 255, 255];
  const ink = dark ? [245, 245, 245] : [0, 0, 0];
  return Array.from({ length: 256 }, (_, v) =>
    paper.map((p, i) => Math.round(p + (ink[i] - p) * (v / 255)))
  );
}

/** w x h values X (0..255, row-major) as squares at (x, y), `width` x `height` in all. */
function greyImage(fig, lut, X, w, h, { x, y, width, height }) {
  const off = document.createElement("canvas");
  off.width = w;
  off.height = h;
  const octx = off.getContext("2d");
  const pixels = octx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const [r, g, b] = lut[X[i]];
    pixels.data[4 * i] = r;
    pixels.data[4 * i + 1] = g;
    pixels.data[4 * i + 2] = b;
    pixels.data[4 * i + 3] = 255;
  }
  octx.putImageData(pixels, 0, 0);
  const { ctx } = fig;
  ctx.save();
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, x, y, width, height);
  ctx.strokeStyle = fig.colors().grid;
  ctx.lineWidth = 1;
  ctx.strokeRect(x + 0.5, y + 0.5, width - 1, height - 1);
  ctx.restore();
}

const rgb = (c) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

export function mount(ex, data, arrays) {
  const images = arrays.images; // (n, 28, 28) uint8, as in the IDX file
  const labels = arrays.labels; // (n,) uint8
  const trainIndex = data.train_index; // (n,) the digits' indices in the training set
  const n = labels.length;
  const at = (i) => Math.min(Math.max(0, i), n - 1);
  const digit = (i) => images.subarray(at(i) * N, at(i) * N + N);
  const group = (i) => {
    const members = [];
    for (let j = 0; j < n; j++) if (labels[j] === labels[at(i)]) members.push(j);
    return members;
  };

  // The class: a drop-down of 0-9 that jumps to the class's first digit.
  const field = document.createElement("div");
  field.className = "explorable-field";
  const selectId = `${ex.root.id || "mnist-pixels"}-class`;
  const label = document.createElement("label");
  label.htmlFor = selectId;
  label.textContent = "digit class";
  const select = document.createElement("select");
  select.id = selectId;
  const classes = [...new Set(labels)].sort((a, b) => a - b);
  for (const k of classes) {
    const option = document.createElement("option");
    option.value = String(k);
    option.textContent = String(k);
    select.append(option);
  }
  field.append(label, select);
  ex.controls.append(field);
  select.addEventListener("change", () => {
    const k = Number(select.value);
    ex.set("index", labels.indexOf(k));
  });
  const step = (by) => {
    const members = group(ex.state.index);
    const slot = members.indexOf(at(ex.state.index));
    ex.set("index", members[(slot + by + members.length) % members.length]);
  };
  ex.button("Previous digit", () => step(-1));
  ex.button("Next digit", () => step(1));

  const hint = document.createElement("p");
  hint.id = `${selectId}-hint`;
  hint.textContent =
    "Point at a pixel or tap it; or Tab to the digit and move the cursor with the arrow keys " +
    "(Shift: 7 pixels at a time).";
  hint.style.cssText = "margin: 0 0 0.5rem; font-size: 0.85rem; color: var(--ex-muted);";
  ex.figures.before(hint);

  // The digit, 10 CSS pixels a pixel, row and column numbers in the margins.
  const CELL = 10;
  const MARGIN = 22;
  const pic = ex.canvas({ width: MARGIN + SIDE * CELL + 4, height: MARGIN + SIDE * CELL + 4,
    label: "" });
  pic.canvas.tabIndex = 0;
  pic.canvas.setAttribute("role", "application");
  pic.canvas.setAttribute("aria-roledescription", "pixel grid");
  pic.canvas.classList.add("mnist-pixels-grid");
  pic.canvas.setAttribute("aria-describedby", hint.id);
  const pixelAt = (event) => {
    const { x, y } = pic.pointer(event);
    const c = Math.floor((x - MARGIN) / CELL);
    const r = Math.floor((y - MARGIN) / CELL);
    return r >= 0 && r < SIDE && c >= 0 && c < SIDE ? [r, c] : null;
  };
  const point = (event) => {
    const p = pixelAt(event);
    const [r, c] = ex.state.pixel;
    if (p && (p[0] !== r || p[1] !== c)) ex.set("pixel", p);
  };
  pic.canvas.addEventListener("pointermove", point);
  pic.canvas.addEventListener("pointerdown", point);
  const MOVES = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
  pic.canvas.addEventListener("keydown", (event) => {
    let [r, c] = ex.state.pixel;
    if (event.key in MOVES) {
      const by = event.shiftKey ? 7 : 1;
      r += MOVES[event.key][0] * by;
      c += MOVES[event.key][1] * by;
    } else if (event.key === "Home") {
      c = 0;
    } else if (event.key === "End") {
      c = SIDE - 1;
    } else {
      return;
    }
    event.preventDefault();
    ex.set("pixel", [Math.min(SIDE - 1, Math.max(0, r)), Math.min(SIDE - 1, Math.max(0, c))]);
  });

  // The 7x7 pixels around the cursor: X and x' on each.
  const AROUND = 3;
  const BIG = 40;
  const near = ex.canvas({ width: MARGIN + 7 * BIG + 4, height: MARGIN + 7 * BIG + 4,
    label: "" });
  // The flattened vector: four lines of 196 entries, then the entries around the cursor's.
  // As wide as the figure has room for, up to 420 px, so that its numbers keep their size on a
  // phone; there, seven neighbours instead of nine.
  const VW = Math.round(Math.max(300, Math.min(420, ex.figures.clientWidth || 420)));
  const K = VW < 400 ? 7 : 9;
  const vec = ex.canvas({ width: VW, height: 200, label: "" });

  function drawDigit(X, r0, c0, c, lut) {
    clear(pic);
    greyImage(pic, lut, X, SIDE, SIDE,
      { x: MARGIN, y: MARGIN, width: SIDE * CELL, height: SIDE * CELL });
    for (let t = 0; t < SIDE; t += 7) {
      text(pic, String(t), MARGIN + t * CELL + CELL / 2, MARGIN - 6,
        { align: "center", size: 11, color: c.muted });
      text(pic, String(t), MARGIN - 4, MARGIN + t * CELL + CELL / 2,
        { align: "right", baseline: "middle", size: 11, color: c.muted });
    }
    const { ctx } = pic;
    ctx.save();
    ctx.strokeStyle = c.accent;
    ctx.globalAlpha = 0.35;
    ctx.lineWidth = 1;
    ctx.strokeRect(MARGIN + 0.5, MARGIN + r0 * CELL + 0.5, SIDE * CELL - 1, CELL - 1);
    ctx.strokeRect(MARGIN + c0 * CELL + 0.5, MARGIN + 0.5, CELL - 1, SIDE * CELL - 1);
    ctx.globalAlpha = 1;
    ctx.lineWidth = 2.5;
    ctx.strokeRect(MARGIN + c0 * CELL - 1, MARGIN + r0 * CELL - 1, CELL + 2, CELL + 2);
    ctx.restore();
  }

  function drawNear(X, r0, c0, c, lut) {
    clear(near);
    const { ctx } = near;
    const top = Math.min(Math.max(0, r0 - AROUND), SIDE - 7);
    const left = Math.min(Math.max(0, c0 - AROUND), SIDE - 7);
    for (let i = 0; i < 7; i++) {
      text(near, String(left + i), MARGIN + i * BIG + BIG / 2, MARGIN - 6,
        { align: "center", size: 11, color: c.muted });
      text(near, String(top + i), MARGIN - 4, MARGIN + i * BIG + BIG / 2,
        { align: "right", baseline: "middle", size: 11, color: c.muted });
      for (let k = 0; k < 7; k++) {
        const v = X[flatIndex(top + i, left + k)];
        const fill = lut[v];
        const x = MARGIN + k * BIG;
        const y = MARGIN + i * BIG;
        ctx.fillStyle = rgb(fill);
        ctx.fillRect(x, y, BIG, BIG);
        const ink = inkOn(fill);
        text(near, String(v), x + BIG / 2, y + 16, { align: "center", size: 13,
          weight: "600", color: ink });
        text(near, scaled(v), x + BIG / 2, y + 31, { align: "center", size: 11, color: ink });
      }
    }
    ctx.strokeStyle = c.grid;
    ctx.lineWidth = 1;
    ctx.strokeRect(MARGIN + 0.5, MARGIN + 0.5, 7 * BIG - 1, 7 * BIG - 1);
    ctx.strokeStyle = c.accent;
    ctx.lineWidth = 3;
    ctx.strokeRect(MARGIN + (c0 - left) * BIG + 1.5, MARGIN + (r0 - top) * BIG + 1.5,
      BIG - 3, BIG - 3);
  }

  function drawVector(X, r0, c0, c, lut) {
    clear(vec);
    const { ctx } = vec;
    const idx = flatIndex(r0, c0);
    const PER = 196; // entries a line: seven image rows
    const LEFT = 34;
    const cell = (VW - LEFT - 6) / PER;
    const H = 14;
    const GAP = 6;
    for (let line = 0; line < N / PER; line++) {
      const y = 8 + line * (H + GAP);
      greyImage(vec, lut, X.subarray(line * PER, (line + 1) * PER), PER, 1,
        { x: LEFT, y, width: cell * PER, height: H });
      text(vec, String(line * PER), LEFT - 4, y + H / 2,
        { align: "right", baseline: "middle", size: 11, color: c.muted });
    }
    const line = Math.floor(idx / PER);
    const mx = LEFT + (idx % PER) * cell;
    const my = 8 + line * (H + GAP);
    ctx.strokeStyle = c.accent;
    ctx.lineWidth = 2;
    ctx.strokeRect(mx - 2, my - 3, cell + 4, H + 6);
    // The entries around the cursor's, K cells, the cursor's in the middle.
    const first = Math.min(Math.max(0, idx - Math.floor(K / 2)), N - K);
    const W = (VW - LEFT - 6) / K;
    const zy = 110;
    ctx.strokeStyle = c.muted;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(mx + cell / 2, my + H + 3);
    ctx.lineTo(LEFT + (idx - first) * W + W / 2, zy - 14);
    ctx.stroke();
    for (let k = 0; k < K; k++) {
      const i = first + k;
      const x = LEFT + k * W;
      const fill = lut[X[i]];
      ctx.fillStyle = rgb(fill);
      ctx.fillRect(x, zy, W, 34);
      text(vec, scaled(X[i]), x + W / 2, zy + 21, { align: "center", size: 11,
        color: inkOn(fill) });
      text(vec, String(i), x + W / 2, zy + 50, { align: "center", size: 11,
        color: i === idx ? c.fg : c.muted, weight: i === idx ? "600" : "normal" });
      if (i % SIDE === 0 && k > 0) {
        ctx.strokeStyle = c.fg;
        ctx.lineWidth = 2;
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        ctx.moveTo(x, zy - 6);
        ctx.lineTo(x, zy + 40);
        ctx.stroke();
        ctx.setLineDash([]);
        text(vec, `row ${i / SIDE} starts`, x + 3, zy - 8, { size: 11, color: c.fg });
      }
    }
    ctx.strokeStyle = c.grid;
    ctx.lineWidth = 1;
    ctx.strokeRect(LEFT + 0.5, zy + 0.5, K * W - 1, 33);
    ctx.strokeStyle = c.accent;
    ctx.lineWidth = 3;
    ctx.strokeRect(LEFT + (idx - first) * W + 1.5, zy + 1.5, W - 3, 31);
    text(vec, "entry", LEFT - 4, zy + 50, { align: "right", size: 11, color: c.muted });
    text(vec, "x'", LEFT - 4, zy + 21, { align: "right", size: 11, color: c.muted });
    text(vec, `the 784-vector, entry 28 × ${r0} + ${c0} = ${idx}`, LEFT, 196,
      { size: 12, color: c.fg });
  }

  ex.expose({
    n,
    // what the figure shows now: the digit's training-set index, label and 784 values
    current: () => {
      const i = at(ex.state.index);
      return { slot: i, train_index: trainIndex[i], label: labels[i],
        pixels: Array.from(digit(i)) };
    },
    digits: () => ({ train_index: Array.from(trainIndex), labels: Array.from(labels) }),
    pixelBox: (r, c) => {
      // the cursor's pixel (r, c) on the digit canvas, in CSS pixels of the page
      const rect = pic.canvas.getBoundingClientRect();
      const s = rect.width / pic.width;
      return { x: rect.left + (MARGIN + (c + 0.5) * CELL) * s,
        y: rect.top + (MARGIN + (r + 0.5) * CELL) * s };
    },
    scaled,
    flatIndex,
  });

  return function render(s) {
    const i = at(s.index);
    const X = digit(i);
    const [r, c] = s.pixel;
    const d = labels[i];
    if (select.value !== String(d)) select.value = String(d);
    const colors = ex.colors();
    const lut = greys(pic);
    drawDigit(X, r, c, colors, lut);
    drawNear(X, r, c, colors, lut);
    drawVector(X, r, c, colors, lut);
    const members = group(i);
    const v = X[flatIndex(r, c)];
    const where = `training image ${thousands(trainIndex[i])}, ${aDigit(d)}`;
    pic.setLabel(
      `The digit, 28 by 28 pixels (${where}; ${members.indexOf(i) + 1} of ${members.length} ` +
        `of its class shown here). Arrow keys move the pixel cursor, now at row ${r}, ` +
        `column ${c}.`
    );
    near.setLabel(`The 7 by 7 pixels around row ${r}, column ${c}, each with X and X / 255.`);
    vec.setLabel(
      `The image flattened to 784 numbers, row after row; pixel (${r}, ${c}) is entry ` +
        `${flatIndex(r, c)}.`
    );
    return (
      `Pixel (row ${r}, column ${c}) of ${where}: X = ${v}, scaled x' = ${v} / 255 = ` +
      `${scaled(v)}, entry 28 × ${r} + ${c} = ${flatIndex(r, c)} of the 784-vector.`
    );
  };
}
