// A probability map as a shaded background, for the neuron explorables: values in [0, 1] drawn
// with lib/plot.js's diverging colour map (blue 0, the page's background 0.5, red 1). Unlike
// plot.image, which asks the theme for its colours once per cell, it looks them up once per
// drawing in a table of 256 colours, so a 64 x 64 map costs well under a millisecond.
import { colormap } from "../../lib/plot.js";

const off = typeof document === "undefined" ? null : document.createElement("canvas");

/** Draw w x h values in [0, 1] (row-major, top row first) into box {left, top, width, height}. */
export function shade(fig, values, w, h, box) {
  const table = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) table.set(colormap(fig, "diverging", i / 255), 3 * i);
  off.width = w;
  off.height = h;
  const octx = off.getContext("2d");
  const pixels = octx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const v = values[i];
    const k = 3 * Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0.5)));
    pixels.data[4 * i] = table[k];
    pixels.data[4 * i + 1] = table[k + 1];
    pixels.data[4 * i + 2] = table[k + 2];
    pixels.data[4 * i + 3] = 255;
  }
  octx.putImageData(pixels, 0, 0);
  const { ctx } = fig;
  ctx.save();
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, box.left, box.top, box.width, box.height);
  ctx.restore();
}
