/*
 * The framework every explorable runs in: it loads the module and the bundle, keeps the
 * settings (the module's `state` specs) in the URL, builds labelled controls bound to them,
 * re-renders on every change and on a colour-mode switch, times each render, and writes the
 * render's sentence into a polite live region for screen readers.
 *
 * An explorable module exports `state` (specs, see state.js; or a function of the bundle's data
 * that returns them, for defaults the build decides) and `mount(ex, data, arrays)`, which
 * builds its figure with ex's controls and canvases and returns render(state) -> text.
 */

import { loadBundle } from "./bundle.js";
import { normalise, readState, writeState } from "./state.js";

const ANNOUNCE_MS = 400; // the live region speaks once the reader pauses
const URL_MS = 250; // the address bar follows at most four times a second
let serial = 0;

function element(tag, attributes = {}, parent = null, text = null) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  if (text !== null) node.textContent = text;
  if (parent) parent.append(node);
  return node;
}

/** The theme's colours: light or dark as the page is now. */
export function themeColors(root = document.documentElement) {
  const dark = document.documentElement.dataset.theme === "dark";
  const style = getComputedStyle(root);
  const css = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  return {
    dark,
    fg: css("--ex-fg", dark ? "#e6e6e6" : "#1a1a1a"),
    bg: css("--ex-bg", dark ? "#121212" : "#ffffff"),
    muted: css("--ex-muted", dark ? "#a8a8a8" : "#595959"),
    grid: css("--ex-grid", dark ? "#3a3a3a" : "#e0e0e0"),
    accent: css("--ex-accent", dark ? "#ff8c42" : "#c24e00"),
    series: dark
      ? ["#56b4e9", "#ff8c42", "#33d1a0", "#e7a3cc", "#f0c040", "#b0b0ff"]
      : ["#0072b2", "#c24e00", "#007a5a", "#b3478f", "#8a6d00", "#4b4bc8"],
  };
}

class Explorer {
  constructor(root, name, module, data) {
    this.root = root;
    this.name = name;
    // state: the specs, or a function of the bundle's data giving them (defaults from the build)
    this.specs = (typeof module.state === "function" ? module.state(data) : module.state) ?? {};
    this._state = readState(name, this.specs, location.search);
    this._syncs = [];
    this._id = `ex${++serial}`;
    this.timings = [];
    root.textContent = "";
    root.classList.add("explorable-ready");
    const title = root.getAttribute("aria-label")?.replace(/^Interactive figure: /, "");
    element("p", { class: "explorable-title" }, root, `Interactive figure: ${title ?? name}`);
    this.controls = element("div", { class: "explorable-controls" }, root);
    this.figures = element("div", { class: "explorable-figures" }, root);
    this.status = element("p", { class: "explorable-status", "aria-live": "polite" }, root);
    this._api = {};
    root.explorable = {
      name,
      get state() {
        return { ...this._ex._state };
      },
      _ex: this,
      set: (key, value) => this.set(key, value),
      api: this._api,
      timings: this.timings,
      render: () => this.render(),
    };
  }

  /** The settings now (a copy: change them with set). */
  get state() {
    return { ...this._state };
  }

  colors() {
    return themeColors(this.root);
  }

  _uid(key) {
    return `${this._id}-${key}`;
  }

  _spec(key) {
    const spec = this.specs[key];
    if (!spec) throw new Error(`explorable ${this.name} has no setting ${key} in its state`);
    return spec;
  }

  /** Change one setting (set(key, value)) or several (set({key: value})), then re-render. */
  set(key, value) {
    const changes = typeof key === "object" ? key : { [key]: value };
    for (const [k, v] of Object.entries(changes)) {
      this._state[k] = normalise(this._spec(k), v);
    }
    for (const sync of this._syncs) sync(this._state);
    this._scheduleURL();
    this.render();
  }

  _scheduleURL() {
    clearTimeout(this._urlTimer);
    this._urlTimer = setTimeout(() => {
      const search = writeState(this.name, this.specs, this._state, location.search);
      if (search !== location.search) {
        history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
      }
    }, URL_MS);
  }

  _field(key, labelText, className = "explorable-field") {
    const field = element("div", { class: className }, this.controls);
    const label = element("label", { for: this._uid(key) }, field, labelText);
    return { field, label };
  }

  /** A slider for a number setting; options: label, format(v), log (a log10 scale). */
  slider(key, { label, format = (v) => String(v), log = this._spec(key).log } = {}) {
    const spec = this._spec(key);
    const field = element("div", { class: "explorable-field" }, this.controls);
    const row = element("div", { class: "explorable-label-row" }, field);
    element("label", { for: this._uid(key) }, row, label ?? key);
    const output = element("output", { for: this._uid(key) }, row);
    const input = element("input", { type: "range", id: this._uid(key) }, field);
    const steps = 100; // an arrow key moves a hundredth of the range (log: of the decades)
    const [lo, hi] = log ? [Math.log10(spec.min), Math.log10(spec.max)] : [spec.min, spec.max];
    input.min = String(lo);
    input.max = String(hi);
    input.step = log ? String((hi - lo) / steps) : String(spec.step ?? (hi - lo) / steps);
    const toInput = (v) => (log ? Math.log10(v) : v);
    const fromInput = (t) => (log ? 10 ** t : t);
    input.addEventListener("input", () => this.set(key, fromInput(Number(input.value))));
    const sync = (s) => {
      if (document.activeElement !== input || Number(input.value) !== toInput(s[key])) {
        input.value = String(toInput(s[key]));
      }
      output.textContent = format(s[key]);
      input.setAttribute("aria-valuetext", format(s[key]));
    };
    this._syncs.push(sync);
    sync(this._state);
    return input;
  }

  /** A number box for a number setting (exact values: weights, inputs). */
  number(key, { label, format = (v) => String(v) } = {}) {
    const spec = this._spec(key);
    const { field } = this._field(key, label ?? key, "explorable-field explorable-number");
    const input = element("input", { type: "number", id: this._uid(key), inputmode: "decimal",
      step: spec.step ?? "any", min: spec.min, max: spec.max }, field);
    input.addEventListener("change", () => {
      const v = Number(input.value);
      if (input.value.trim() !== "" && Number.isFinite(v)) this.set(key, v);
      else input.value = format(this._state[key]);
    });
    const sync = (s) => {
      if (document.activeElement !== input) input.value = format(s[key]);
    };
    this._syncs.push(sync);
    sync(this._state);
    return input;
  }

  /** A drop-down list for a choice setting; labels maps a choice to the words shown. */
  choice(key, { label, labels = {} } = {}) {
    const spec = this._spec(key);
    const { field } = this._field(key, label ?? key);
    const select = element("select", { id: this._uid(key) }, field);
    for (const value of spec.choices) {
      element("option", { value }, select, labels[value] ?? String(value));
    }
    select.addEventListener("change", () => this.set(key, select.value));
    const sync = (s) => {
      select.value = s[key];
    };
    this._syncs.push(sync);
    sync(this._state);
    return select;
  }

  /** A checkbox for a boolean setting. */
  checkbox(key, { label } = {}) {
    const field = element("div", { class: "explorable-field explorable-check" }, this.controls);
    const input = element("input", { type: "checkbox", id: this._uid(key) }, field);
    element("label", { for: this._uid(key) }, field, label ?? key);
    input.addEventListener("change", () => this.set(key, input.checked));
    const sync = (s) => {
      input.checked = s[key];
    };
    this._syncs.push(sync);
    sync(this._state);
    return input;
  }

  /** A button that runs onClick (which may call set or render). */
  button(label, onClick, parent = this.controls) {
    const button = element("button", { type: "button", class: "explorable-button" }, parent,
      label);
    button.addEventListener("click", onClick);
    return button;
  }

  /** A block in the figure area for the explorable's own HTML (tables, thumbnails). */
  panel(className = "") {
    return element("div", { class: `explorable-panel ${className}`.trim() }, this.figures);
  }

  /**
   * A canvas of width x height CSS pixels (it shrinks on narrow screens), sharp on high-density
   * screens. Returns fig = {canvas, ctx, width, height, colors(), setLabel(text), pointer(event)}.
   */
  canvas({ width = 480, height = 320, label = "", parent = this.figures } = {}) {
    const ratio = Math.min(3, window.devicePixelRatio || 1);
    const canvas = element("canvas", { role: "img", "aria-label": label,
      class: "explorable-canvas" }, parent);
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    // Its own width, side by side with others where they fit, shrinking on a narrow screen.
    canvas.style.width = `${width}px`;
    canvas.style.maxWidth = "100%";
    canvas.style.aspectRatio = `${width} / ${height}`;
    const ctx = canvas.getContext("2d");
    ctx.scale(ratio, ratio);
    return {
      canvas,
      ctx,
      width,
      height,
      colors: () => this.colors(),
      setLabel: (text) => canvas.setAttribute("aria-label", text),
      // The event's position in the figure's CSS pixels, however wide the canvas is shown.
      pointer: (event) => {
        const rect = canvas.getBoundingClientRect();
        return {
          x: ((event.clientX - rect.left) / rect.width) * width,
          y: ((event.clientY - rect.top) / rect.height) * height,
        };
      },
    };
  }

  /**
   * Keep the live region for screen readers only, for an explorable that shows the same
   * sentence in its own place (the reader sees it once).
   */
  hideStatus() {
    this.status.classList.add("explorable-status-hidden");
  }

  /** Make values available to tests and the benchmark as element.explorable.api. */
  expose(values) {
    Object.assign(this._api, values);
  }

  /** Say text in the live region (after the reader pauses). */
  announce(text) {
    clearTimeout(this._announceTimer);
    this._announceTimer = setTimeout(() => {
      this.status.textContent = text;
    }, ANNOUNCE_MS);
  }

  /** Draw with the current settings; times the render for the benchmark. */
  render() {
    if (!this._render) return;
    const start = performance.now();
    let said;
    try {
      said = this._render(this.state);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.timings.push(performance.now() - start);
    if (this.timings.length > 500) this.timings.shift();
    if (typeof said === "string" && said) this.announce(said);
  }

  fail(error) {
    this.root.dataset.state = "error";
    this.status.textContent =
      `This interactive figure stopped: ${error.message}. Reload the page to start it again.`;
    console.error(`explorable ${this.name}:`, error);
  }
}

/** Load root's module and bundle, mount it, draw its first view. */
export async function mountExplorable(root, base) {
  const name = root.dataset.explorable;
  const [module, bundle] = await Promise.all([
    import(new URL(`explorables/${name}.js`, base).href),
    loadBundle(new URL(`data/${name}.bin`, base).href),
  ]);
  const ex = new Explorer(root, name, module, bundle.data);
  ex._render = module.mount(ex, bundle.data, bundle.arrays);
  if (typeof ex._render !== "function") {
    throw new Error(`explorable ${name}'s mount() must return its render(state) function`);
  }
  ex.render();
  // The colour mode changes the palette: draw again (the theme sets <html data-theme>).
  new MutationObserver(() => ex.render()).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ["data-theme"],
  });
  root.dataset.state = "ready";
  return ex;
}
