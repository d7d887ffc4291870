/*
 * Optimizers: how the gradients change the parameters (mnist_lessons/scratch/optimizers.py).
 *
 * Each optimizer's step(params, grads) updates a list of parameter arrays (Float64Array or
 * Float32Array) in place from a list of gradients of the same lengths. State such as a momentum
 * m or a square average v is kept per parameter, by its position in the list; it is created
 * (zeros) on the first step. The names and the order of operations are the Python module's,
 * which follows Keras 3 operation for operation: in float64 the two give the same numbers
 * (tests/js/optimizers.test.mjs checks 1e-12 against fixtures of the Python code, whose own
 * tests check it against keras.optimizers step for step).
 *
 * The learning rate learning_rate is the book's eta; it may also be a schedule, a function
 * step -> rate, which step t calls with t - 1 (as Keras does).
 *
 * Constructors take the Python keyword arguments as one object, or the learning rate alone:
 *   new SGD({ learning_rate: 0.05, momentum: 0.9 }), new Adam(0.001).
 */

function check(value, name, unit, hint) {
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (unit ? value >= 0 && value < 1 : value > 0);
  if (!ok) {
    const where = unit ? "in [0, 1)" : "a positive number";
    throw new RangeError(`${name} must be ${where}, got ${value}. ${hint}`);
  }
  return value;
}

function options(args, defaults) {
  const given = typeof args === "number" || typeof args === "function"
    ? { learning_rate: args }
    : args || {};
  for (const key of Object.keys(given)) {
    if (!(key in defaults)) {
      throw new TypeError(`Unknown setting ${key}; the settings are ${Object.keys(defaults)}.`);
    }
  }
  return { ...defaults, ...given };
}

// Base class: checks the learning rate, counts steps t, keeps per-parameter state.
export class Optimizer {
  static slots = [];

  constructor(learning_rate) {
    this.schedule = typeof learning_rate === "function" ? learning_rate : null;
    this.learning_rate = this._rate(this.schedule === null ? learning_rate : 0);
    this.t = 0; // steps taken
    this.state = null; // one object of slots per parameter
    this.slots = this.constructor.slots;
  }

  _rate(value) {
    if (this.schedule !== null) {
      const rate = Number(this.schedule(value));
      if (!(Number.isFinite(rate) && rate >= 0)) {
        throw new RangeError(
          `The learning-rate schedule gave ${rate} at step ${value}: a schedule must give ` +
            "a rate of 0 or more (a warm-up may start at 0).",
        );
      }
      return rate;
    }
    return check(
      value,
      "learning_rate",
      false,
      "Try learning_rate=0.1 for SGD or 0.001 for RMSProp and Adam on MNIST.",
    );
  }

  _zeros(p) {
    return new p.constructor(p.length);
  }

  _start(params, grads) {
    if (params.length !== grads.length) {
      throw new RangeError(
        `Pass one gradient per parameter: got ${params.length} parameters and ` +
          `${grads.length} gradients.`,
      );
    }
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      if (!ArrayBuffer.isView(p) || !grads[i] || grads[i].length !== p.length) {
        throw new RangeError(
          `Parameter ${i} must be a typed array with a gradient of its length; got ` +
            `${p && p.length} and gradient ${grads[i] && grads[i].length}.`,
        );
      }
    }
    if (this.state === null) {
      this.state = params.map((p) => {
        const s = {};
        for (const slot of this.slots) s[slot] = this._zeros(p);
        return s;
      });
    }
    let same = this.state.length === params.length;
    if (same && this.slots.length) {
      const slot = this.slots[0];
      for (let i = 0; i < params.length; i++) {
        same &&= this.state[i][slot].length === params[i].length;
      }
    }
    if (!same) {
      throw new RangeError(
        "This optimizer's state belongs to other parameters: use one optimizer " +
          "per network (make a new one to train another network).",
      );
    }
  }

  // Update every array of params in place from the matching array of grads.
  step(params, grads) {
    this._start(params, grads);
    if (this.schedule !== null) this.learning_rate = this._rate(this.t);
    this.t += 1;
    for (let i = 0; i < params.length; i++) this.update(params[i], grads[i], this.state[i]);
  }

  update() {
    throw new Error("An optimizer writes update(param, grad, state).");
  }
}

// Stochastic gradient descent, with optional momentum mu in Keras' form:
// m <- mu m - eta g, theta <- theta + m (eq-opt-momentum-keras); mu = 0: theta <- theta - eta g.
export class SGD extends Optimizer {
  constructor(args) {
    const o = options(args, { learning_rate: undefined, momentum: 0 });
    super(o.learning_rate);
    this.momentum = check(o.momentum, "momentum", true, "Use 0 (plain SGD) or for example 0.9.");
    this.slots = this.momentum ? ["m"] : [];
  }

  update(param, grad, { m }) {
    const eta = this.learning_rate;
    if (m === undefined) {
      for (let i = 0; i < param.length; i++) param[i] -= eta * grad[i]; // theta - eta g
      return;
    }
    const mu = this.momentum;
    for (let i = 0; i < param.length; i++) {
      m[i] *= mu;
      m[i] -= grad[i] * eta; // m <- mu m - eta g
      param[i] += m[i]; // theta <- theta + m
    }
  }
}

// AdaGrad as Keras computes it, epsilon inside the root (eq-opt-adagrad):
// G <- G + g^2 (G_0 = initial_accumulator_value), theta <- theta - eta g / sqrt(G + epsilon).
export class AdaGrad extends Optimizer {
  static slots = ["G"];

  constructor(args) {
    const o = options(args, {
      learning_rate: 0.001,
      initial_accumulator_value: 0.1,
      epsilon: 1e-7,
    });
    super(o.learning_rate);
    const G0 = o.initial_accumulator_value;
    if (!(typeof G0 === "number" && Number.isFinite(G0) && G0 >= 0)) {
      throw new RangeError(
        `initial_accumulator_value must be 0 or more, got ${G0}. Keras' default is 0.1.`,
      );
    }
    this.initial_accumulator_value = G0;
    this.epsilon = check(o.epsilon, "epsilon", false, "Keras' default is 1e-7.");
  }

  _start(params, grads) {
    const fresh = this.state === null;
    super._start(params, grads);
    if (fresh) for (const s of this.state) s.G.fill(this.initial_accumulator_value);
  }

  update(param, grad, { G }) {
    const eta = this.learning_rate;
    const epsilon = this.epsilon;
    for (let i = 0; i < param.length; i++) {
      G[i] += grad[i] * grad[i]; // G <- G + g^2
      param[i] -= (eta * grad[i]) / Math.sqrt(G[i] + epsilon);
    }
  }
}

// RMSProp as Keras computes it, epsilon inside the root (eq-opt-rmsprop):
// v <- rho v + (1 - rho) g^2, theta <- theta - eta g / sqrt(v + epsilon).
export class RMSProp extends Optimizer {
  static slots = ["v"];

  constructor(args) {
    const o = options(args, { learning_rate: 0.001, rho: 0.9, epsilon: 1e-7 });
    super(o.learning_rate);
    this.rho = check(o.rho, "rho", true, "Keras' default is rho=0.9.");
    this.epsilon = check(o.epsilon, "epsilon", false, "Keras' default is 1e-7.");
  }

  update(param, grad, { v }) {
    const eta = this.learning_rate;
    const rho = this.rho;
    const epsilon = this.epsilon;
    for (let i = 0; i < param.length; i++) {
      v[i] *= rho;
      v[i] += (1 - rho) * (grad[i] * grad[i]); // v <- rho v + (1 - rho) g^2
      param[i] -= (eta * grad[i]) / Math.sqrt(v[i] + epsilon);
    }
  }
}

// Adam as Keras computes it, bias correction folded into the rate (eq-opt-adam-keras):
// m <- beta1 m + (1 - beta1) g, v <- beta2 v + (1 - beta2) g^2,
// eta_t = eta sqrt(1 - beta2^t) / (1 - beta1^t), theta <- theta - eta_t m / (sqrt(v) + epsilon).
export class Adam extends Optimizer {
  static slots = ["m", "v"];

  constructor(args) {
    const o = options(args, { learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    super(o.learning_rate);
    const hint = "Keras' defaults are beta1=0.9, beta2=0.999.";
    this.beta1 = check(o.beta1, "beta1", true, hint);
    this.beta2 = check(o.beta2, "beta2", true, hint);
    this.epsilon = check(o.epsilon, "epsilon", false, "Keras' default is 1e-7.");
  }

  update(param, grad, { m, v }) {
    const eta = this.learning_rate;
    const t = this.t;
    const beta1 = this.beta1;
    const beta2 = this.beta2;
    const epsilon = this.epsilon;
    const eta_t = (eta * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    for (let i = 0; i < param.length; i++) {
      // m + (g - m) (1 - beta1): the same average as beta1 m + (1 - beta1) g, rounded as Keras
      m[i] += (grad[i] - m[i]) * (1 - beta1);
      v[i] += (grad[i] * grad[i] - v[i]) * (1 - beta2);
      param[i] -= (m[i] * eta_t) / (Math.sqrt(v[i]) + epsilon);
    }
  }
}

// The optimizers by the names the book's tables use.
export const OPTIMIZERS = { SGD, AdaGrad, RMSProp, Adam };
