/*
 * An explorable's settings and the page URL: ?<name>.<key>=<value>, as TensorFlow Playground
 * keeps its state in the URL, so that a link reopens the figure as it was left.
 *
 * A spec per key says what a value may be:
 *   { default: 0.1, min: 0.001, max: 1, step: 0.001 }   a number (step 1: an integer)
 *   { default: "adam", choices: ["sgd", "adam"] }          one of a list
 *   { default: false }                                     a boolean
 *   { default: [0, 1], length: 2, min, max }               a list of numbers
 * Anything else in the URL (a typo, a value out of range) falls back to the default or is
 * clamped: a shared link never breaks the figure. These functions know nothing of the page.
 */

function kind(spec) {
  if (spec.choices) return "choice";
  if (Array.isArray(spec.default)) return "list";
  if (typeof spec.default === "boolean") return "boolean";
  if (typeof spec.default === "number") return "number";
  throw new Error(`a state spec needs a number, boolean, list or choices default: ${spec}`);
}

function tidyNumber(spec, value) {
  let v = Math.min(spec.max ?? Infinity, Math.max(spec.min ?? -Infinity, value));
  if (spec.step && !spec.log) {
    const origin = spec.min ?? 0;
    v = origin + Math.round((v - origin) / spec.step) * spec.step;
    v = Math.min(spec.max ?? Infinity, Math.max(spec.min ?? -Infinity, v));
  }
  return Number(v.toPrecision(12));
}

/** value made valid for spec: clamped, rounded to the step, or the default. */
export function normalise(spec, value) {
  switch (kind(spec)) {
    case "choice": {
      // A <select> and the URL give text: "64" stands for the choice 64.
      const found = spec.choices.find((c) => c === value || String(c) === String(value));
      return found === undefined ? spec.default : found;
    }
    case "boolean":
      return typeof value === "boolean" ? value : spec.default;
    case "number":
      return typeof value === "number" && Number.isFinite(value)
        ? tidyNumber(spec, value)
        : spec.default;
    case "list":
      if (!Array.isArray(value) || value.length !== spec.default.length) return spec.default;
      if (!value.every((v) => typeof v === "number" && Number.isFinite(v))) return spec.default;
      return value.map((v) => tidyNumber(spec, v));
  }
}

/** The value a URL parameter's text stands for, or the default if it stands for none. */
export function parse(spec, text) {
  if (text === null || text === undefined) return spec.default;
  switch (kind(spec)) {
    case "choice":
      return normalise(spec, text);
    case "boolean":
      return text === "1" || text === "true" ? true : text === "0" || text === "false" ? false
        : spec.default;
    case "number":
      return text.trim() === "" ? spec.default : normalise(spec, Number(text));
    case "list":
      return normalise(spec, text.split("_").map((t) => (t.trim() === "" ? NaN : Number(t))));
  }
}

function numberText(v) {
  return String(Number(v.toPrecision(6)));
}

/** The text a value takes in the URL. */
export function format(spec, value) {
  switch (kind(spec)) {
    case "choice":
      return value;
    case "boolean":
      return value ? "1" : "0";
    case "number":
      return numberText(value);
    case "list":
      return value.map(numberText).join("_");
  }
}

function same(a, b) {
  return Array.isArray(a) ? a.length === b.length && a.every((v, i) => v === b[i]) : a === b;
}

/** Every key's value for explorable name, read from a URL query string (location.search). */
export function readState(name, specs, search) {
  const params = new URLSearchParams(search);
  const state = {};
  for (const [key, spec] of Object.entries(specs)) {
    state[key] = parse(spec, params.get(`${name}.${key}`));
  }
  return state;
}

/** The query string with name's settings written in: only those that differ from default. */
export function writeState(name, specs, state, search) {
  const params = new URLSearchParams(search);
  for (const [key, spec] of Object.entries(specs)) {
    const param = `${name}.${key}`;
    if (same(state[key], spec.default)) params.delete(param);
    else params.set(param, format(spec, state[key]));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
