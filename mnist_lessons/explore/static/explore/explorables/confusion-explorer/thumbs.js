/*
 * Digit thumbnails for explorables that show test digits (confusion-explorer, training-epochs):
 * a strip of small figures, each a 28 x 28 canvas drawn from uint8 pixels (ink on paper in
 * either colour mode) with a one- or two-line caption. The figures are made once and reused.
 */

const SIDE = 28;
let styled = false;

/** The strip's few style rules, added to the page once (the framework's CSS stays as it is). */
function addStyle() {
  if (styled) return;
  styled = true;
  const style = document.createElement("style");
  style.textContent = `
.exd-thumbs { display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 0.4rem 0 0.6rem;
  padding: 0; list-style: none; }
.exd-thumb { margin: 0; width: 3.9rem; text-align: center; font-size: 0.68rem;
  line-height: 1.2; font-variant-numeric: tabular-nums; }
.exd-thumb canvas { display: block; width: 100%; aspect-ratio: 1; image-rendering: pixelated;
  border: 1px solid var(--ex-grid); box-sizing: border-box; }
.exd-thumb.is-dim canvas { opacity: 0.35; }
.exd-thumb span span { display: block; white-space: nowrap; }
.exd-thumb.is-marked canvas { border: 3px solid var(--ex-accent); }
.exd-thumb[hidden] { display: none; }`;
  document.head.append(style);
}

/** Draw 784 uint8 pixels (0 paper .. 255 ink) on a 28 x 28 canvas. */
export function drawDigit(canvas, pixels, offset = 0, dark = false) {
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(SIDE, SIDE);
  const paper = dark ? [18, 18, 20] : [255, 255, 255];
  const ink = dark ? [245, 245, 245] : [0, 0, 0];
  for (let i = 0; i < SIDE * SIDE; i++) {
    const t = pixels[offset + i] / 255;
    for (let c = 0; c < 3; c++) {
      image.data[4 * i + c] = Math.round(paper[c] + (ink[c] - paper[c]) * t);
    }
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

/**
 * A list of `count` thumbnails in parent. Returns {list, show(k, images, row, caption, opts),
 * hide(k)}: thumbnail k shows image `row` of the (n, 28, 28) uint8 array `images`, with
 * `caption` (lines joined by a line break), opts {label (for screen readers), dim, marked,
 * dark}.
 */
export function thumbStrip(parent, count) {
  addStyle();
  const list = document.createElement("ul");
  list.className = "exd-thumbs";
  parent.append(list);
  const items = [];
  for (let k = 0; k < count; k++) {
    const li = document.createElement("li");
    li.className = "exd-thumb";
    li.hidden = true;
    const canvas = document.createElement("canvas");
    canvas.width = SIDE;
    canvas.height = SIDE;
    canvas.setAttribute("role", "img");
    const caption = document.createElement("span"); // one span per line
    li.append(canvas, caption);
    list.append(li);
    items.push({ li, canvas, caption });
  }
  return {
    list,
    show(k, images, row, lines, { label = "", dim = false, marked = false, dark = false } = {}) {
      const { li, canvas, caption } = items[k];
      li.hidden = false;
      li.classList.toggle("is-dim", dim);
      li.classList.toggle("is-marked", marked);
      drawDigit(canvas, images, row * SIDE * SIDE, dark);
      canvas.setAttribute("aria-label", label);
      caption.replaceChildren();
      for (const textLine of lines) {
        const span = document.createElement("span");
        span.textContent = textLine;
        caption.append(span);
      }
    },
    hide(k) {
      items[k].li.hidden = true;
    },
  };
}
