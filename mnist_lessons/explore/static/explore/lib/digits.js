/*
 * Draw a digit: a canvas to draw on with the mouse, a finger, a pen or the keyboard, a Clear
 * button and ten sample digits; every drawing is read through the MNIST preprocessing
 * (../math/preprocess.js, the same as mnist_lessons.widget.preprocess) into the 28x28 image a
 * network reads.
 *
 *   const pad = digitPad(container, { label: "Draw a digit", onImage(x, message, info) {...} });
 *
 * onImage(x, message, info): x is a Float32Array(784) in [0, 1] (row-major 28x28) and message
 * null, or x is null and message says why (an empty canvas, a dot or a blob). It is called at
 * most once per frame while the reader draws (info.settled false: update the picture, say
 * nothing) and once more when the drawing settles, half a second after the last stroke, and at
 * once after Clear, a sample or setImage (info.settled true: the moment to announce).
 * info.steps is preprocess_steps' result (with the float64 image; {image, given: true} after
 * setImage).
 *
 * pad.setImage(x784) shows a given 28x28 image on the canvas (drawing goes on over it),
 * pad.clear() empties it, pad.sample(d) draws sample d, pad.update() reads the canvas now;
 * pad.last is the last info.steps. The pad calls onImage only when drawn on or asked (clear,
 * sample, setImage, update): call pad.clear() or pad.sample(d) to start. The canvas is white
 * paper with black ink in both colour modes. The drawing code is the draw-a-digit widget's
 * (mnist_widget.js), which uses this module with classPrefix "mnist-widget", so that its
 * elements keep their classes.
 */

import { preprocess_steps, FIELD } from "../math/preprocess.js";

export const CANVAS = 280; // the drawing canvas, in pixels
export const PEN = CANVAS / 14; // stroke width: about 2 pixels once scaled into the 20x20 box
export const STEP = 10; // one arrow key moves the keyboard pen this far (Shift: three times)
export const SETTLE_MS = 500; // the drawing has settled this long after the last stroke
export const KEYS_HINT =
  "Keyboard: Tab to the canvas, arrow keys move the pen (Shift: faster), Space or Enter " +
  "puts it down or lifts it, Escape clears.";

// Each digit as a reader might write it: strokes of (x, y) points on the 280x280 canvas,
// drawn with the same pen as the mouse. Drawn, not MNIST images: a network reads them
// through the same preprocessing as any drawing.
export const SAMPLES = [
  [
    [
      [140, 40], [157, 43], [172, 53], [186, 69], [196, 90], [203, 114], [205, 140],
      [203, 166], [196, 190], [186, 211], [173, 227], [157, 237], [140, 240], [123, 237],
      [108, 227], [94, 211], [84, 190], [77, 166], [75, 140], [77, 114], [84, 90], [94, 69],
      [107, 53], [123, 43], [140, 40],
    ],
  ],
  [[[150, 40], [135, 240]]],
  [[[80, 90], [110, 50], [160, 45], [195, 80], [190, 120], [80, 235], [215, 235]]],
  [
    [
      [85, 70], [140, 45], [190, 75], [180, 115], [130, 135], [185, 160], [195, 200],
      [150, 240], [85, 220],
    ],
  ],
  [[[170, 240], [170, 40], [70, 170], [220, 170]]],
  [
    [
      [195, 50], [95, 50], [85, 130], [150, 120], [195, 160], [190, 210], [140, 240],
      [80, 220],
    ],
  ],
  [
    [
      [180, 50], [120, 90], [90, 160], [100, 220], [150, 240], [190, 200], [180, 150],
      [130, 140], [95, 175],
    ],
  ],
  [[[70, 60], [215, 60], [120, 240]]],
  [
    [
      [140, 140], [170, 114], [192, 90], [200, 69], [192, 53], [170, 43], [140, 40],
      [110, 43], [88, 53], [80, 69], [88, 90], [110, 114], [140, 140], [170, 166],
      [192, 190], [200, 211], [192, 227], [170, 237], [140, 240], [110, 237], [88, 227],
      [80, 211], [88, 190], [110, 166], [140, 140],
    ],
  ],
  [
    [[185, 90], [150, 50], [100, 70], [95, 115], [140, 135], [185, 100], [185, 50]],
    [[185, 60], [175, 240]],
  ],
];

// The pad's look where no page style gives one (:where keeps it weaker than any page rule, so
// the widget's own style sheet wins). The paper stays white in dark mode; the rest takes the
// theme's colours.
const STYLE = `
:where(.digit-pad) { max-width: 284px; }
:where(.digit-pad-paper) { position: relative; box-sizing: border-box; max-width: 284px;
  border: 2px solid var(--pst-color-text-muted, #48566b); border-radius: 4px;
  background: #fff; }
:where(.digit-pad-canvas) { display: block; width: 100%; height: auto; aspect-ratio: 1 / 1;
  background: #fff; border-radius: 2px; cursor: crosshair; touch-action: none; }
:where(.digit-pad-cursor) { display: none; position: absolute; width: 7.142857%;
  aspect-ratio: 1 / 1; box-sizing: border-box; border: 2px solid #b3003c; border-radius: 50%;
  box-shadow: 0 0 0 2px #fff; transform: translate(-50%, -50%); pointer-events: none; }
:where(.digit-pad-cursor-down) { background: rgba(179, 0, 60, 0.35); }
:where(.digit-pad-canvas:focus-visible + .digit-pad-cursor) { display: block; }
:where(.digit-pad-hint) { margin: 0.4rem 0 0; font-size: 0.8rem; line-height: 1.35;
  color: var(--pst-color-text-muted, #48566b); }
:where(.digit-pad-pen) { font-weight: bold; color: var(--pst-color-text-base, #222832); }
:where(.digit-pad-controls, .digit-pad-samples) { display: flex; flex-wrap: wrap;
  gap: 0.3rem 0.5rem; align-items: center; margin-top: 0.4rem; }
:where(.digit-pad-samples-label) { font-size: 0.85rem; margin-right: 0.2rem; }
:where(.digit-pad button) { min-height: 2.25rem; min-width: 2.25rem; padding: 0.2rem 0.6rem;
  font: inherit; color: var(--pst-color-text-base, #222832);
  background: var(--pst-color-surface, #f3f4f5);
  border: 1px solid var(--pst-color-border, #8b95a5); border-radius: 4px; cursor: pointer; }
:where(.digit-pad button:focus-visible) { outline: 3px solid var(--pst-color-accent, #b3003c);
  outline-offset: 1px; }
`;

let styled = false;
function addStyle() {
  if (styled || typeof document === "undefined") return;
  styled = true;
  const style = document.createElement("style");
  style.dataset.digitPad = "";
  style.textContent = STYLE;
  document.head.prepend(style); // first, so the page's own rules come later and win
}

let pads = 0;

/* ---------------------------------------------------------------- drawing ---------- */

// A fresh pen on the drawing canvas: black ink on transparent, round ends.
function resetPen(ctx) {
  ctx.clearRect(0, 0, CANVAS, CANVAS);
  ctx.lineWidth = PEN;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.strokeStyle = ctx.fillStyle = "#000";
}

function dot(ctx, point) {
  ctx.beginPath();
  ctx.arc(point[0], point[1], PEN / 2, 0, 2 * Math.PI);
  ctx.fill();
}

function line(ctx, from, to) {
  ctx.beginPath();
  ctx.moveTo(from[0], from[1]);
  ctx.lineTo(to[0], to[1]);
  ctx.stroke();
}

/** Draw strokes (lists of [x, y] canvas points) with the pen: a dot, then its segments. */
export function drawStrokes(ctx, strokes) {
  for (const stroke of strokes) {
    dot(ctx, stroke[0]);
    for (let i = 1; i < stroke.length; i++) line(ctx, stroke[i - 1], stroke[i]);
  }
}

/**
 * The pad. container: the element it is appended to. Options: label (the group's name; null
 * for none, when the container is already a named group), onImage (above), samples (false: no
 * sample buttons), classPrefix (each element also gets `${classPrefix}-<part>`, the pad itself
 * `${classPrefix}-pad`, and the page's style sheet styles them: the pad's own style is added
 * only to pads without a prefix).
 */
export function digitPad(
  container,
  { label = "Draw a digit", onImage = () => {}, samples = true, classPrefix = null } = {}
) {
  if (!classPrefix) addStyle(); // with a classPrefix, the page's style sheet styles the pad
  const id = "digit-pad-" + ++pads;
  const element = (tag, part, parent, text) => {
    const node = document.createElement(tag);
    node.className = "digit-pad" + (part ? "-" + part : "");
    if (classPrefix) node.classList.add(classPrefix + "-" + (part || "pad"));
    if (text !== undefined) node.textContent = text;
    parent.appendChild(node);
    return node;
  };

  const root = element("div", "", container);
  if (label) {
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", label);
  }
  const paper = element("div", "paper", root);
  const canvas = element("canvas", "canvas", paper);
  canvas.width = canvas.height = CANVAS;
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "application");
  canvas.setAttribute("aria-roledescription", "drawing canvas");
  canvas.setAttribute("aria-label", "Draw a digit here with the mouse, a finger, or the keyboard");
  const cursor = element("div", "cursor", paper);
  cursor.setAttribute("aria-hidden", "true");
  const hint = element("p", "hint", root, KEYS_HINT);
  hint.id = id + "-keys";
  const penStatus = element("span", "pen", hint);
  penStatus.setAttribute("aria-live", "polite");
  canvas.setAttribute("aria-describedby", hint.id);
  const controls = element("div", "controls", root);
  const clearButton = element("button", "clear", controls, "Clear");
  clearButton.type = "button";
  const sampleButtons = [];
  if (samples) {
    const group = element("div", "samples", root);
    group.setAttribute("role", "group");
    const name = element("span", "samples-label", group, "Or a sample:");
    name.id = id + "-samples";
    group.setAttribute("aria-labelledby", name.id);
    SAMPLES.forEach((_, d) => {
      const button = element("button", "sample", group, String(d));
      button.type = "button";
      button.setAttribute("aria-label", "Sample " + d);
      button.dataset.digit = String(d);
      sampleButtons.push(button);
    });
  }

  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const keyPen = { at: [CANVAS / 2, CANVAS / 2], down: false };
  let drawing = false; // a pointer is down
  let point = null;
  let pending = false; // a read is asked for the next frame
  let timer = null; // the settled read

  const pad = {
    root,
    canvas,
    ctx,
    hint,
    controls,
    clearButton,
    sampleButtons,
    keyPen,
    last: null,
    get drawing() {
      return drawing;
    },
    // The ink of the canvas: alpha / 255, row-major (the strokes are black on transparent).
    ink() {
      const rgba = ctx.getImageData(0, 0, CANVAS, CANVAS).data;
      const gray = new Float64Array(CANVAS * CANVAS);
      for (let i = 0; i < gray.length; i++) gray[i] = rgba[4 * i + 3] / 255;
      return gray;
    },
    // Read the canvas now and report it as settled; returns preprocess_steps' result.
    update() {
      window.clearTimeout(timer);
      return read(true);
    },
    clear() {
      blank();
      return pad.update();
    },
    sample(d) {
      blank();
      drawStrokes(ctx, SAMPLES[d]);
      return pad.update();
    },
    // Show a given 28x28 image (784 values in [0, 1]) on the canvas, pixel by pixel.
    setImage(x) {
      window.clearTimeout(timer);
      blank();
      const small = document.createElement("canvas");
      small.width = small.height = FIELD;
      const picture = small.getContext("2d").createImageData(FIELD, FIELD);
      for (let i = 0; i < FIELD * FIELD; i++) {
        picture.data[4 * i + 3] = Math.round(255 * Math.min(1, Math.max(0, x[i])));
      }
      small.getContext("2d").putImageData(picture, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(small, 0, 0, CANVAS, CANVAS);
      ctx.imageSmoothingEnabled = true;
      const steps = { image: Float64Array.from(x), given: true };
      pad.last = steps;
      onImage(Float32Array.from(x), null, { settled: true, steps });
      return steps;
    },
  };

  // Preprocess the canvas and hand the result to onImage. Never throws.
  function read(settled) {
    let steps;
    try {
      steps = preprocess_steps(pad.ink(), CANVAS, CANVAS);
    } catch (error) {
      steps = { error: "failed", message: "Something went wrong: " + error.message };
    }
    pad.last = steps;
    const x = steps.image ? Float32Array.from(steps.image) : null;
    onImage(x, x ? null : steps.message, { settled, steps });
    return steps;
  }

  // Read at the next frame; read again, settled, once the drawing stops.
  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      if (!drawing) pad.update();
    }, SETTLE_MS);
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(() => {
      pending = false;
      read(false);
    });
  }

  // A blank canvas, the keyboard pen lifted where it was.
  function blank() {
    resetPen(ctx);
    keyPen.down = false;
    penStatus.textContent = "";
    showCursor();
  }

  function showCursor() {
    cursor.style.left = (100 * keyPen.at[0]) / CANVAS + "%";
    cursor.style.top = (100 * keyPen.at[1]) / CANVAS + "%";
    cursor.classList.toggle("digit-pad-cursor-down", keyPen.down);
    if (classPrefix) cursor.classList.toggle(classPrefix + "-cursor-down", keyPen.down);
  }

  // The pointer's place in canvas pixels, however large CSS shows the canvas.
  function position(event) {
    const rect = canvas.getBoundingClientRect();
    return [
      ((event.clientX - rect.left) * CANVAS) / rect.width,
      ((event.clientY - rect.top) * CANVAS) / rect.height,
    ];
  }

  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    drawing = true;
    point = position(event);
    dot(ctx, point);
    schedule();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    event.preventDefault();
    const next = position(event);
    line(ctx, point, next);
    point = next;
    schedule();
  });
  for (const name of ["pointerup", "pointercancel"]) {
    canvas.addEventListener(name, () => {
      if (!drawing) return;
      drawing = false;
      schedule();
    });
  }

  // Arrow keys move the keyboard pen (drawing while it is down), Space or Enter puts it down
  // or lifts it, Escape clears.
  const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  canvas.addEventListener("keydown", (event) => {
    if (event.key in moves) {
      const step = event.shiftKey ? 3 * STEP : STEP;
      const [dx, dy] = moves[event.key];
      const next = [
        Math.min(Math.max(keyPen.at[0] + dx * step, PEN / 2), CANVAS - PEN / 2),
        Math.min(Math.max(keyPen.at[1] + dy * step, PEN / 2), CANVAS - PEN / 2),
      ];
      if (keyPen.down) line(ctx, keyPen.at, next);
      keyPen.at = next;
    } else if (event.key === " " || event.key === "Enter") {
      keyPen.down = !keyPen.down;
      if (keyPen.down) dot(ctx, keyPen.at);
      penStatus.textContent = keyPen.down ? " Pen down." : " Pen up.";
    } else if (event.key === "Escape") {
      pad.clear();
      event.preventDefault();
      return;
    } else {
      return;
    }
    event.preventDefault(); // the page does not scroll while the keys draw
    showCursor();
    schedule();
  });
  clearButton.addEventListener("click", () => pad.clear());
  sampleButtons.forEach((button, d) => button.addEventListener("click", () => pad.sample(d)));

  blank();
  return pad;
}
