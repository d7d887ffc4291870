/*
 * Drawing for explorables, on a canvas: axes with ticks, lines, points, images, bars, text.
 *
 * Every function takes the figure `fig` that ex.canvas() returns ({canvas, ctx, width,
 * height, colors()}), works in CSS pixels (the context is already scaled for the screen's
 * pixel ratio) and knows nothing of neural networks: the math lives in ../math.
 */

/** Wipe the figure (transparent: the page's background shows, in either colour mode). */
export function clear(fig) {
  fig.ctx.save();
  fig.ctx.setTransform(1, 0, 0, 1, 0, 0);
  fig.ctx.clearRect(0, 0, fig.canvas.width, fig.canvas.height);
  fig.ctx.restore();
}

/** About n round tick values covering [lo, hi]. */
export function niceTicks(lo, hi, n = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, n);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push(Number(t.toPrecision(12)));
  }
  return ticks;
}

function tickLabel(v) {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0).replace("e+", "e");
  return String(Number(v.toPrecision(4)));
}

/**
 * Axes in a box of the figure: returns {x(v), y(v), inverse(px, py), box, xlim, ylim}.
 * Options: xlim, ylim ([lo, hi]), xlabel, ylabel, title, box ({left, top, width, height} in
 * CSS pixels; default: the whole figure less margins), xlog/ylog (log10 scales), grid (true),
 * xticks/yticks (values; default: round ones), frame (true).
 */
export function axes(fig, options = {}) {
  const { ctx } = fig;
  const c = fig.colors();
  const margin = { left: options.ylabel ? 54 : 40, right: 12, top: options.title ? 24 : 10,
    bottom: options.xlabel ? 40 : 24 };
  const box = options.box ?? {
    left: margin.left,
    top: margin.top,
    width: fig.width - margin.left - margin.right,
    height: fig.height - margin.top - margin.bottom,
  };
  const xlim = options.xlim ?? [0, 1];
  const ylim = options.ylim ?? [0, 1];
  const fx = options.xlog ? Math.log10 : (v) => v;
  const fy = options.ylog ? Math.log10 : (v) => v;
  const [x0, x1] = xlim.map(fx);
  const [y0, y1] = ylim.map(fy);
  const x = (v) => box.left + ((fx(v) - x0) / (x1 - x0)) * box.width;
  const y = (v) => box.top + box.height - ((fy(v) - y0) / (y1 - y0)) * box.height;
  const inverse = (px, py) => {
    const u = x0 + ((px - box.left) / box.width) * (x1 - x0);
    const w = y0 + ((box.top + box.height - py) / box.height) * (y1 - y0);
    return [options.xlog ? 10 ** u : u, options.ylog ? 10 ** w : w];
  };
  const logTicks = (lo, hi) => {
    const t = [];
    const top = Math.log10(hi) + 1e-9;
    for (let p = Math.ceil(Math.log10(lo) - 1e-9); p <= top; p++) t.push(10 ** p);
    return t;
  };
  const xticks = options.xticks ?? (options.xlog ? logTicks(...xlim) : niceTicks(...xlim));
  const yticks = options.yticks ?? (options.ylog ? logTicks(...ylim) : niceTicks(...ylim, 4));
  ctx.save();
  ctx.font = "12px system-ui, sans-serif";
  ctx.lineWidth = 1;
  ctx.fillStyle = c.muted;
  ctx.strokeStyle = c.grid;
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of xticks) {
    const px = x(t);
    if (options.grid !== false) line0(ctx, px, box.top, px, box.top + box.height);
    ctx.fillText(tickLabel(t), px, box.top + box.height + 4);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of yticks) {
    const py = y(t);
    if (options.grid !== false) line0(ctx, box.left, py, box.left + box.width, py);
    ctx.fillText(tickLabel(t), box.left - 4, py);
  }
  if (options.frame !== false) {
    ctx.strokeStyle = c.muted;
    ctx.strokeRect(box.left, box.top, box.width, box.height);
  }
  ctx.fillStyle = c.fg;
  if (options.xlabel) {
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    ctx.fillText(options.xlabel, box.left + box.width / 2, fig.height - 2);
  }
  if (options.ylabel) {
    ctx.save();
    ctx.translate(12, box.top + box.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(options.ylabel, 0, 0);
    ctx.restore();
  }
  if (options.title) {
    ctx.font = "bold 13px system-ui, sans-serif";
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.fillText(options.title, box.left, options.box ? Math.max(0, box.top - 18) : 4);
  }
  ctx.restore();
  return { x, y, inverse, box, xlim, ylim };
}

function line0(ctx, xa, ya, xb, yb) {
  ctx.beginPath();
  ctx.moveTo(xa, ya);
  ctx.lineTo(xb, yb);
  ctx.stroke();
}

function clip(fig, ax) {
  fig.ctx.beginPath();
  fig.ctx.rect(ax.box.left, ax.box.top, ax.box.width, ax.box.height);
  fig.ctx.clip();
}

/** A polyline through (xs[i], ys[i]); non-finite points break it. */
export function line(fig, ax, xs, ys, { color, width = 2, dash = [] } = {}) {
  const { ctx } = fig;
  ctx.save();
  clip(fig, ax);
  ctx.strokeStyle = color ?? fig.colors().series[0];
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  ctx.lineJoin = "round";
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const px = ax.x(xs[i]);
    const py = ax.y(ys[i]);
    if (!Number.isFinite(px) || !Number.isFinite(py)) {
      pen = false;
      continue;
    }
    if (pen) ctx.lineTo(px, py);
    else ctx.moveTo(px, py);
    pen = true;
  }
  ctx.stroke();
  ctx.restore();
}

/** Dots at (xs[i], ys[i]); colors may be one colour or one per point. */
export function points(fig, ax, xs, ys, { color, radius = 3, stroke } = {}) {
  const { ctx } = fig;
  ctx.save();
  clip(fig, ax);
  for (let i = 0; i < xs.length; i++) {
    ctx.fillStyle = Array.isArray(color) ? color[i] : color ?? fig.colors().series[0];
    ctx.beginPath();
    ctx.arc(ax.x(xs[i]), ax.y(ys[i]), radius, 0, 2 * Math.PI);
    ctx.fill();
    if (stroke) {
      ctx.strokeStyle = stroke;
      ctx.lineWidth = 1.5;
      ctx.stroke();
    }
  }
  ctx.restore();
}

/** A vertical (x given) or horizontal (y given) reference line across the axes. */
export function rule(fig, ax, { x, y, color, dash = [5, 4], width = 1.5, label } = {}) {
  const { ctx } = fig;
  ctx.save();
  ctx.strokeStyle = color ?? fig.colors().muted;
  ctx.fillStyle = ctx.strokeStyle;
  ctx.setLineDash(dash);
  ctx.lineWidth = width;
  ctx.font = "12px system-ui, sans-serif";
  const { left, top, width: w, height: h } = ax.box;
  if (x !== undefined) {
    const px = ax.x(x);
    if (px >= left && px <= left + w) {
      line0(ctx, px, top, px, top + h);
      if (label) {
        ctx.textAlign = px > left + w / 2 ? "right" : "left";
        ctx.textBaseline = "top";
        ctx.fillText(label, px + (px > left + w / 2 ? -4 : 4), top + 4);
      }
    }
  } else if (y !== undefined) {
    const py = ax.y(y);
    if (py >= top && py <= top + h) {
      line0(ctx, left, py, left + w, py);
      if (label) {
        ctx.textAlign = "right";
        ctx.textBaseline = "bottom";
        ctx.fillText(label, left + w - 4, py - 2);
      }
    }
  }
  ctx.restore();
}

function lerp(a, b, t) {
  return a.map((v, i) => Math.round(v + (b[i] - v) * t));
}

/** The [r, g, b] of a colour map at t in [0, 1], for the figure's colour mode. */
export function colormap(fig, cmap, t) {
  return mapColour(fig.colors().dark, cmap, t);
}

function mapColour(dark, cmap, t) {
  t = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  if (cmap === "diverging") {
    const blue = dark ? [90, 160, 230] : [33, 102, 172];
    const red = dark ? [240, 110, 90] : [178, 24, 43];
    const mid = dark ? [24, 26, 30] : [247, 247, 247];
    return t < 0.5 ? lerp(blue, mid, t * 2) : lerp(mid, red, (t - 0.5) * 2);
  }
  if (cmap === "viridis") {
    const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
    const s = t * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(s));
    return lerp(stops[i], stops[i + 1], s - i);
  }
  // "gray": ink on paper. 0 is the page's background, 1 the darkest (light) or lightest ink.
  const paper = dark ? [18, 18, 20] : [255, 255, 255];
  const ink = dark ? [245, 245, 245] : [0, 0, 0];
  return lerp(paper, ink, t);
}

const LEVELS = 256; // an image's colours come from a table of this many
const tables = new Map();

function colourTable(dark, cmap) {
  const key = `${dark}-${cmap}`;
  if (!tables.has(key)) {
    const table = new Uint8ClampedArray(3 * LEVELS);
    for (let i = 0; i < LEVELS; i++) table.set(mapColour(dark, cmap, i / (LEVELS - 1)), 3 * i);
    tables.set(key, table);
  }
  return tables.get(key);
}

/**
 * An image of w x h values (row-major) at (x, y), each value a square of `size` CSS pixels
 * (or stretched to width x height). cmap: "gray" (digits: ink on paper in either mode),
 * "diverging" (negative blue, positive red, symmetric about 0 unless vmin/vmax are given)
 * or "viridis". Returns the drawn box {left, top, width, height}.
 */
export function image(fig, values, w, h, options = {}) {
  const { x = 0, y = 0, cmap = "gray" } = options;
  const width = options.width ?? (options.size ?? 4) * w;
  const height = options.height ?? (options.size ?? 4) * h;
  let { vmin, vmax } = options;
  if (vmin === undefined || vmax === undefined) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < w * h; i++) {
      if (values[i] < lo) lo = values[i];
      if (values[i] > hi) hi = values[i];
    }
    if (cmap === "diverging") {
      const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
      vmin ??= -m;
      vmax ??= m;
    } else {
      vmin ??= Math.min(0, lo);
      vmax ??= hi > vmin ? hi : vmin + 1;
    }
  }
  const off = document.createElement("canvas");
  off.width = w;
  off.height = h;
  const octx = off.getContext("2d");
  const pixels = octx.createImageData(w, h);
  const table = colourTable(fig.colors().dark, cmap);
  const scale = (LEVELS - 1) / (vmax - vmin || 1);
  for (let i = 0; i < w * h; i++) {
    const v = (values[i] - vmin) * scale;
    const level = Number.isFinite(v) ? Math.min(LEVELS - 1, Math.max(0, Math.round(v))) : 0;
    pixels.data[4 * i] = table[3 * level];
    pixels.data[4 * i + 1] = table[3 * level + 1];
    pixels.data[4 * i + 2] = table[3 * level + 2];
    pixels.data[4 * i + 3] = 255;
  }
  octx.putImageData(pixels, 0, 0);
  fig.ctx.save();
  fig.ctx.imageSmoothingEnabled = false;
  fig.ctx.drawImage(off, x, y, width, height);
  fig.ctx.strokeStyle = fig.colors().grid;
  fig.ctx.lineWidth = 1;
  fig.ctx.strokeRect(x + 0.5, y + 0.5, width - 1, height - 1);
  fig.ctx.restore();
  return { left: x, top: y, width, height };
}

/** Vertical bars, one per value, at x = 0, 1, ...; `highlight` indexes get the accent. */
export function bars(fig, ax, values, { color, highlight = [], width = 0.7 } = {}) {
  const c = fig.colors();
  const { ctx } = fig;
  ctx.save();
  clip(fig, ax);
  for (let i = 0; i < values.length; i++) {
    ctx.fillStyle = highlight.includes(i) ? c.accent : color ?? c.series[0];
    const left = ax.x(i - width / 2);
    const right = ax.x(i + width / 2);
    const top = ax.y(Math.max(0, values[i]));
    const bottom = ax.y(Math.min(0, values[i]));
    ctx.fillRect(left, top, right - left, Math.max(1, bottom - top));
  }
  ctx.restore();
}

/** Text at (x, y) in CSS pixels. */
export function text(fig, str, x, y, options = {}) {
  const { ctx } = fig;
  const { align = "left", baseline = "alphabetic", size = 12, weight = "normal" } = options;
  ctx.save();
  ctx.font = `${weight} ${size}px system-ui, sans-serif`;
  ctx.fillStyle = options.color ?? fig.colors().fg;
  ctx.textAlign = align;
  ctx.textBaseline = baseline;
  ctx.fillText(str, x, y);
  ctx.restore();
}

/** A legend: items [{label, color, dash}] stacked from (x, y). */
export function legend(fig, items, x, y) {
  const { ctx } = fig;
  ctx.save();
  ctx.font = "12px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  items.forEach((item, i) => {
    const py = y + i * 16;
    ctx.strokeStyle = item.color;
    ctx.setLineDash(item.dash ?? []);
    ctx.lineWidth = 2;
    line0(ctx, x, py, x + 18, py);
    ctx.fillStyle = fig.colors().fg;
    ctx.fillText(item.label, x + 24, py);
  });
  ctx.restore();
}
