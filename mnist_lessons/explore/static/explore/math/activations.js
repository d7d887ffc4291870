// Activation functions f and their derivatives f', side by side: mnist_lessons.scratch.activations
// in JavaScript, name for name.
//
// Each f(z) acts elementwise on a typed array z (any length; a `.shape` is kept) and returns a new
// array of the same type. Each f_grad(z) is the derivative f'(z) evaluated at z (not at a = f(z)),
// which is what backpropagation multiplies the incoming delta by:
//     delta^(l) = (delta^(l+1) W^(l+1)) ⊙ f'(z^(l))
// softmax acts on whole rows (the last axis of z.shape; the whole array if z has no shape), so it
// has no elementwise derivative: softmax_jacobian gives the matrix for one row.

/** A new array of z's type (Float64Array for plain arrays), with z's shape. */
function like(z) {
  const out = ArrayBuffer.isView(z) ? new z.constructor(z.length) : new Float64Array(z.length);
  out.shape = z.shape ? z.shape.slice() : [z.length];
  return out;
}

function elementwise(fn) {
  return (z, ...args) => {
    const out = like(z);
    for (let i = 0; i < z.length; i++) out[i] = fn(z[i], ...args);
    return out;
  };
}

/** Logistic sigmoid without overflow: 1 / (1 + e^-z) for z >= 0, e^z / (1 + e^z) below. */
export const sigmoid = elementwise((z) => {
  const e = Math.exp(-Math.abs(z)); // e^{-|z|} in (0, 1]
  return z >= 0 ? 1 / (1 + e) : e / (1 + e);
});

/** sigma'(z) = sigma(z) (1 - sigma(z)). */
export const sigmoid_grad = elementwise((z) => {
  const e = Math.exp(-Math.abs(z));
  const s = z >= 0 ? 1 / (1 + e) : e / (1 + e);
  return s * (1 - s);
});

/** Hyperbolic tangent. */
export const tanh = elementwise((z) => Math.tanh(z));

/** tanh'(z) = 1 - tanh^2(z). */
export const tanh_grad = elementwise((z) => {
  const t = Math.tanh(z);
  return 1 - t * t;
});

/** relu(z) = max(0, z). */
export const relu = elementwise((z) => (z > 0 ? z : 0));

/** relu'(z): 1 for z > 0, else 0 (0 at z = 0, as TensorFlow). */
export const relu_grad = elementwise((z) => (z > 0 ? 1 : 0));

/** Leaky relu: z for z > 0, alpha z otherwise (Keras' negative_slope). */
export const leaky_relu = elementwise((z, alpha = 0.01) => (z > 0 ? z : alpha * z));

/** Leaky relu's derivative: 1 for z > 0, alpha otherwise (alpha at z = 0, as TensorFlow). */
export const leaky_relu_grad = elementwise((z, alpha = 0.01) => (z > 0 ? 1 : alpha));

/** The identity (no activation), for a linear output layer. */
export const linear = elementwise((z) => z);

/** The identity's derivative: ones. */
export const linear_grad = elementwise(() => 1);

/**
 * Softmax over the last axis (each row of a batch), with the row maximum subtracted first so
 * that no exponent is positive: softmax(z)_k = e^{z_k - m} / sum_i e^{z_i - m}, m = max_j z_j.
 */
export function softmax(z) {
  const out = like(z);
  const k = z.shape ? z.shape[z.shape.length - 1] : z.length;
  for (let r = 0; r < z.length; r += k) {
    let m = -Infinity;
    for (let j = 0; j < k; j++) m = Math.max(m, z[r + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) {
      out[r + j] = Math.exp(z[r + j] - m); // in (0, 1]
      sum += out[r + j];
    }
    for (let j = 0; j < k; j++) out[r + j] /= sum;
  }
  return out;
}

/**
 * Jacobian of softmax at one row z (length K): J[i][j] = da_i/dz_j = a_i (delta_ij - a_j),
 * returned as a K x K array (row-major, shape [K, K]).
 */
export function softmax_jacobian(z) {
  const K = z.length;
  const a = softmax(Object.assign(Float64Array.from(z), { shape: [K] }));
  const J = new Float64Array(K * K);
  J.shape = [K, K];
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) J[i * K + j] = (i === j ? a[i] : 0) - a[i] * a[j];
  }
  return J;
}

/** name -> [f, f_grad] for the hidden layers; softmax has no elementwise derivative. */
export const ACTIVATIONS = {
  sigmoid: [sigmoid, sigmoid_grad],
  tanh: [tanh, tanh_grad],
  relu: [relu, relu_grad],
  leaky_relu: [leaky_relu, leaky_relu_grad],
  linear: [linear, linear_grad],
};

/**
 * [f, f_grad] for an activation name (f_grad is null for softmax, allowed only with
 * allow_softmax, as in the Python get_activation). Throws an Error naming the known ones.
 */
export function get_activation(name, { allow_softmax = false } = {}) {
  if (allow_softmax && name === "softmax") return [softmax, null];
  if (!Object.hasOwn(ACTIVATIONS, name)) {
    const known = Object.keys(ACTIVATIONS).sort();
    if (allow_softmax) known.push("softmax");
    const hint = !allow_softmax && name === "softmax" ? " (softmax only in an output layer)" : "";
    throw new Error(`Unknown activation '${name}'${hint}. Use one of: ${known.join(", ")}.`);
  }
  return ACTIVATIONS[name];
}
