// Loss functions E(y, a) and their gradients dE/da, side by side: mnist_lessons/scratch/losses.py
// in JavaScript, name for name.
//
// Every loss takes (y_true, y_pred) of the same shape (batch, k), given as flat arrays (typed or
// plain) in row order; a `.shape` of [batch, k] on y_pred (or y_true) says where the rows end,
// and without one the arrays are a single row, (1, length). Each returns one number, reduced as
// Keras' default "sum_over_batch_size" is: a value per sample (the mean over the k entries, or
// for categorical cross-entropy the sum over classes), then the mean over the batch. Each *_grad
// returns dE/dy_pred as a Float64Array with the shape of y_pred (its `.shape` set).
//
// The cross-entropies clip probabilities to [EPSILON, 1 - EPSILON] as keras.losses does, and
// their gradient is 0 where the clip changed a probability, as in TensorFlow. The fused *_delta
// functions are the gradients with respect to the logits of the unclipped losses.
// All arithmetic is float64.

export const EPSILON = 1e-7; // keras.config.epsilon()

function shapeOf(y_true, y_pred, name) {
  const n = y_pred.length;
  if (y_true.length !== n || n === 0) {
    throw new Error(
      `${name}: y_true has ${y_true.length} entries but y_pred has ${n}. ` +
        "Pass arrays of the same shape (batch, k).",
    );
  }
  const shape = y_pred.shape || y_true.shape || [1, n];
  const k = shape[shape.length - 1];
  if (n % k !== 0) throw new Error(`${name}: shape [${shape}] does not fit ${n} entries.`);
  return [n / k, k];
}

function withShape(array, shape) {
  array.shape = shape.slice();
  return array;
}

function clip(value) {
  return Math.min(Math.max(value, EPSILON), 1 - EPSILON);
}

// --- mean squared error ------------------------------------------------------------------------

/** E = 1/N sum_i 1/k sum_j (a_ij - y_ij)^2 */
export function mse(y_true, y_pred) {
  shapeOf(y_true, y_pred, "mse");
  let sum = 0;
  for (let i = 0; i < y_pred.length; i++) {
    const r = y_pred[i] - y_true[i];
    sum += r * r;
  }
  return sum / y_pred.length;
}

/** dE/da_ij = 2 (a_ij - y_ij) / (N k) */
export function mse_grad(y_true, y_pred) {
  const shape = shapeOf(y_true, y_pred, "mse_grad");
  const n = y_pred.length;
  const grad = new Float64Array(n);
  for (let i = 0; i < n; i++) grad[i] = (2 * (y_pred[i] - y_true[i])) / n;
  return withShape(grad, shape);
}

// --- mean absolute error -----------------------------------------------------------------------

/** E = 1/N sum_i 1/k sum_j |a_ij - y_ij| */
export function mae(y_true, y_pred) {
  shapeOf(y_true, y_pred, "mae");
  let sum = 0;
  for (let i = 0; i < y_pred.length; i++) sum += Math.abs(y_pred[i] - y_true[i]);
  return sum / y_pred.length;
}

/** dE/da_ij = sign(a_ij - y_ij) / (N k), 0 where a = y (as in TensorFlow) */
export function mae_grad(y_true, y_pred) {
  const shape = shapeOf(y_true, y_pred, "mae_grad");
  const n = y_pred.length;
  const grad = new Float64Array(n);
  for (let i = 0; i < n; i++) grad[i] = Math.sign(y_pred[i] - y_true[i]) / n;
  return withShape(grad, shape);
}

// --- binary cross-entropy ----------------------------------------------------------------------

/** E = -1/N sum_i 1/k sum_j [y ln p + (1 - y) ln(1 - p)], p = clip(a, eps, 1 - eps) */
export function binary_crossentropy(y_true, y_pred) {
  shapeOf(y_true, y_pred, "binary_crossentropy");
  let sum = 0;
  for (let i = 0; i < y_pred.length; i++) {
    const y = y_true[i];
    const p = clip(y_pred[i]);
    sum += y * Math.log(p) + (1 - y) * Math.log(1 - p);
  }
  return -sum / y_pred.length;
}

/** dE/da_ij = ((1 - y)/(1 - p) - y/p) / (N k) where eps <= a <= 1 - eps, else 0 */
export function binary_crossentropy_grad(y_true, y_pred) {
  const shape = shapeOf(y_true, y_pred, "binary_crossentropy_grad");
  const n = y_pred.length;
  const grad = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = y_pred[i];
    const y = y_true[i];
    const p = clip(a);
    grad[i] = p === a ? ((1 - y) / (1 - p) - y / p) / n : 0; // the clip passes no gradient
  }
  return withShape(grad, shape);
}

// --- categorical cross-entropy -----------------------------------------------------------------

/** E = -1/N sum_i sum_k y_ik ln p_ik, p_ik = clip(a_ik / S_i, eps, 1 - eps), S_i = sum_j a_ij */
export function categorical_crossentropy(y_true, y_pred) {
  const [N, k] = shapeOf(y_true, y_pred, "categorical_crossentropy");
  let total = 0;
  for (let i = 0; i < N; i++) {
    let S = 0;
    for (let j = 0; j < k; j++) S += y_pred[i * k + j];
    let row = 0;
    for (let j = 0; j < k; j++) row += y_true[i * k + j] * Math.log(clip(y_pred[i * k + j] / S));
    total += row;
  }
  return -total / N;
}

/** dE/da_ij = (sum_k m_ik y_ik - m_ij y_ij / p_ij) / (N S_i), m = 1 where the clip passed */
export function categorical_crossentropy_grad(y_true, y_pred) {
  const [N, k] = shapeOf(y_true, y_pred, "categorical_crossentropy_grad");
  const grad = new Float64Array(y_pred.length);
  for (let i = 0; i < N; i++) {
    let S = 0;
    for (let j = 0; j < k; j++) S += y_pred[i * k + j];
    let sumMy = 0;
    for (let j = 0; j < k; j++) {
      const q = y_pred[i * k + j] / S;
      if (clip(q) === q) sumMy += y_true[i * k + j];
    }
    for (let j = 0; j < k; j++) {
      const q = y_pred[i * k + j] / S;
      const p = clip(q);
      const my = p === q ? y_true[i * k + j] : 0;
      grad[i * k + j] = (sumMy - my / p) / (N * S);
    }
  }
  return withShape(grad, [N, k]);
}

// --- fused output deltas: loss gradient through the output activation ---------------------------

/** delta = dE/dz = (a - y) / N: softmax + categorical cross-entropy (unclipped) */
export function softmax_crossentropy_delta(y_true, a) {
  const shape = shapeOf(y_true, a, "softmax_crossentropy_delta");
  const delta = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) delta[i] = (a[i] - y_true[i]) / shape[0];
  return withShape(delta, shape);
}

/** delta = dE/dz = (a - y) / (N k): sigmoid + binary cross-entropy (unclipped) */
export function sigmoid_crossentropy_delta(y_true, a) {
  const shape = shapeOf(y_true, a, "sigmoid_crossentropy_delta");
  const delta = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) delta[i] = (a[i] - y_true[i]) / a.length;
  return withShape(delta, shape);
}
