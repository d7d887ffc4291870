/*
 * A drawing made MNIST-like: crop, scale to 20x20, centre by centre of mass in 28x28.
 *
 * mnist_lessons.widget.preprocess, name for name and step for step (tests/js/preprocess.test.mjs
 * holds the two to 1e-12 on the same drawings): crop to the ink, scale by area averaging so the
 * longer side is 20 pixels keeping the aspect ratio, make the darkest pixel 1, then shift by
 * whole pixels so the centre of mass lands on pixel (14, 14) of a 28x28 field.
 *
 * Images are row-major typed arrays with their sides passed beside them: `gray` is the canvas's
 * ink in [0, 1] (ink 1, paper 0), height x width. Nothing here knows of the page.
 */

export const FIELD = 28; // the side of an MNIST image
export const BOX = 20; // the side of the box the digit is scaled into
// Ink whose longer side is under this share of the canvas's is a dot or a blob (MIN_EXTENT).
export const MIN_EXTENT = 0.25;
export const EMPTY = "The canvas is empty: draw a digit first.";
export const TOO_SMALL = "That is a dot or a blob, too small to read: draw a bigger digit.";

/** The canvas is empty, or holds a dot or a blob rather than a digit (`kind`: "empty", "dot"). */
export class DrawingTooSmall extends Error {
  constructor(kind, message) {
    super(message);
    this.name = "DrawingTooSmall";
    this.kind = kind;
  }
}

// Math.floor(x + 0.5): round half up, as preprocess.py's _round does (not to even).
function _round(x) {
  return Math.floor(x + 0.5);
}

// x to the nearest multiple of 2**-20, as preprocess.py's _snap: a symmetric drawing's centre of
// mass is a half pixel, a tie for the rounding; the sums land a few units in the last place
// either side of it (NumPy sums pairwise, this loop in order), and snapped both see the exact
// half and round it up, instead of shifting the digit a pixel apart.
function _snap(x) {
  return Math.floor(x * 2 ** 20 + 0.5) / 2 ** 20;
}

// (nOut, nIn): output pixel i averages the input interval [i s, (i + 1) s), s = nIn / nOut.
function _area_weights(nIn, nOut) {
  const s = nIn / nOut;
  const R = new Float64Array(nOut * nIn);
  for (let i = 0; i < nOut; i++) {
    const lo = i * s;
    const hi = (i + 1) * s;
    for (let j = Math.floor(lo); j < Math.min(nIn, Math.ceil(hi)); j++) {
      const overlap = Math.min(hi, j + 1) - Math.max(lo, j);
      if (overlap > 0) R[i * nIn + j] = overlap / s;
    }
  }
  return R;
}

/**
 * Resize by area averaging, y = R x C^T: each output pixel is the mean of the input area it
 * covers. `image` is (h, w) row-major, or a window of a larger image: rows start at `top`,
 * columns at `left`, and a row of the larger image is `stride` long (default: the window).
 * Returns Float64Array(rows * cols).
 */
export function area_resize(image, h, w, rows, cols, { top = 0, left = 0, stride = w } = {}) {
  if (!(h >= 1 && w >= 1 && rows >= 1 && cols >= 1)) {
    throw new RangeError(
      `Resize one 2-D image to a positive shape; got ${h}x${w} -> ${rows}x${cols}.`
    );
  }
  const R = _area_weights(h, rows); // (rows, h)
  const C = _area_weights(w, cols); // (cols, w)
  const tmp = new Float64Array(h * cols); // image @ C.T, (h, cols)
  for (let r = 0; r < h; r++) {
    const base = (top + r) * stride + left;
    for (let k = 0; k < cols; k++) {
      let sum = 0;
      for (let c = 0; c < w; c++) sum += image[base + c] * C[k * w + c];
      tmp[r * cols + k] = sum;
    }
  }
  const y = new Float64Array(rows * cols); // R @ tmp, (rows, cols)
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < cols; k++) {
      let sum = 0;
      for (let r = 0; r < h; r++) sum += R[i * h + r] * tmp[r * cols + k];
      y[i * cols + k] = sum;
    }
  }
  return y;
}

/** The grey-level centre of mass [row, column] of a (rows, cols) image, in pixel indices. */
export function center_of_mass(image, rows, cols) {
  let mass = 0;
  let mr = 0;
  let mc = 0;
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < cols; k++) {
      const v = image[i * cols + k];
      mass += v;
      mr += i * v;
      mc += k * v;
    }
  }
  if (!(mass > 0)) {
    const message = "An empty image has no centre of mass: draw something first.";
    throw new DrawingTooSmall("empty", message);
  }
  return [mr / mass, mc / mass];
}

/**
 * Every stage of preprocess, never throwing (for the page): {box (rows x cols, the longer side
 * BOX), shape: [rows, cols], center: [row, col] of box, offset: [row, col] of box's top-left
 * corner in the field, crop: [top, left, h, w] of the ink, image: Float64Array(784) in [0, 1]},
 * or {error: "empty" | "dot", message} for an empty canvas or ink whose longer side is under
 * min_extent of the canvas's (pass min_extent: 0 to read it anyway).
 */
export function preprocess_steps(gray, width, height, { min_extent = MIN_EXTENT } = {}) {
  let top = height;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (gray[y * width + x] > 0) {
        if (y < top) top = y;
        if (y > bottom) bottom = y;
        if (x < left) left = x;
        if (x > right) right = x;
      }
    }
  }
  if (bottom < 0) return { error: "empty", message: EMPTY };
  const h = bottom + 1 - top;
  const w = right + 1 - left;
  if (Math.max(h, w) < min_extent * Math.max(width, height)) {
    return { error: "dot", message: TOO_SMALL };
  }
  const longer = Math.max(h, w);
  const rows = Math.max(1, _round((h * BOX) / longer));
  const cols = Math.max(1, _round((w * BOX) / longer));
  const box = area_resize(gray, h, w, rows, cols, { top, left, stride: width }); // (rows, cols)
  let peak = 0;
  for (let i = 0; i < box.length; i++) if (box[i] > peak) peak = box[i];
  for (let i = 0; i < box.length; i++) box[i] /= peak; // the darkest pixel full ink
  const center = center_of_mass(box, rows, cols);
  // Centre of mass within half a pixel of pixel (14, 14), as in MNIST; keep the box inside.
  const offset = [
    Math.min(Math.max(_round(FIELD / 2 - _snap(center[0])), 0), FIELD - rows),
    Math.min(Math.max(_round(FIELD / 2 - _snap(center[1])), 0), FIELD - cols),
  ];
  const image = new Float64Array(FIELD * FIELD); // (28, 28), row-major
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < cols; k++) {
      image[(offset[0] + i) * FIELD + offset[1] + k] = box[i * cols + k];
    }
  }
  return { box, shape: [rows, cols], center, offset, crop: [top, left, h, w], image };
}

/**
 * A grey-level drawing (ink 1, paper 0; height x width, row-major) as the 28x28 MNIST-like
 * image in [0, 1], Float64Array(784). Throws DrawingTooSmall for an empty canvas, a dot or a
 * blob, as the Python does.
 */
export function preprocess(gray, width, height, options = {}) {
  const steps = preprocess_steps(gray, width, height, options);
  if (steps.error) throw new DrawingTooSmall(steps.error, steps.message);
  return steps.image;
}
