// Convolution by hand: mnist_lessons.scratch.convolution in JavaScript, name for name, and the
// layers of the book's CNN (Keras' Conv2D, BatchNormalization in inference form, max pooling).
//
// An image or a feature map is a typed array in C order with a `.shape`: (H, W) for one map,
// (H, W, C) for C channels (channels last, as Keras keeps them). As in the Python module (and
// Keras), the kernel is not flipped: strictly a cross-correlation,
//     z_ij = b + sum_u sum_v K_uv x_{s i + u, s j + v}          (eq-convolution)
// Padding is "valid" (none), "same" (Keras': ceil(n / s) outputs, the odd zero after the image)
// or a whole number of zeros on every side.

function shaped(array, shape) {
  array.shape = shape;
  return array;
}

function checkPositive(values) {
  for (const [name, value] of Object.entries(values)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`${name} must be a positive whole number, got ${value}.`);
    }
  }
}

/** The zeros [before, after] added to one axis of length n, as Keras adds them. */
export function padding_amounts(n, k, stride, padding) {
  if (padding === "valid") return [0, 0];
  if (padding === "same") {
    const total = Math.max((Math.ceil(n / stride) - 1) * stride + k - n, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  }
  if (Number.isInteger(padding) && padding >= 0) return [padding, padding];
  throw new Error(
    `padding must be "valid", "same" or a whole number of zeros per side, got ${padding}.`,
  );
}

/** n_out = floor((n + 2p - k) / s) + 1 (eq-conv-output-size), for one axis. */
export function output_size(n, k, { stride = 1, padding = "valid" } = {}) {
  checkPositive({ n, k, stride });
  const [before, after] = padding_amounts(n, k, stride, padding);
  if (n + before + after < k) {
    throw new Error(`A kernel of ${k} does not fit in ${n} entries padded with ${padding}.`);
  }
  return Math.floor((n + before + after - k) / stride) + 1;
}

/**
 * Slide the kernel K (shape (k_h, k_w)) over the image x (shape (H, W)): one output pixel per
 * kernel position, plus the bias. Returns a Float64Array with shape (out_h, out_w).
 */
export function convolve2d(x, K, { padding = "valid", stride = 1, bias = 0 } = {}) {
  if (!x.shape || x.shape.length !== 2 || !K.shape || K.shape.length !== 2) {
    throw new Error("convolve2d takes one 2-D image (H, W) and one 2-D kernel (k_h, k_w).");
  }
  checkPositive({ stride });
  const [H, W] = x.shape;
  const [k_h, k_w] = K.shape;
  const [top] = padding_amounts(H, k_h, stride, padding);
  const [left] = padding_amounts(W, k_w, stride, padding);
  const out_h = output_size(H, k_h, { stride, padding });
  const out_w = output_size(W, k_w, { stride, padding });
  const z = shaped(new Float64Array(out_h * out_w), [out_h, out_w]);
  for (let i = 0; i < out_h; i++) {
    for (let j = 0; j < out_w; j++) {
      let sum = bias;
      for (let u = 0; u < k_h; u++) {
        const r = i * stride + u - top; // the image's row under kernel row u (padding outside)
        if (r < 0 || r >= H) continue;
        for (let v = 0; v < k_w; v++) {
          const c = j * stride + v - left;
          if (c >= 0 && c < W) sum += K[u * k_w + v] * x[r * W + c];
        }
      }
      z[i * out_w + j] = sum;
    }
  }
  return z;
}

/**
 * Max pooling: the largest value of each size-by-size window, stride `stride` (default: size),
 * no padding, as MaxPooling2D. x is (H, W), or (H, W, C) to pool every channel.
 */
export function max_pool2d(x, size = 2, { stride = size } = {}) {
  checkPositive({ size, stride });
  const [H, W, C = 1] = x.shape;
  if (x.shape.length < 2 || x.shape.length > 3 || Math.min(H, W) < size) {
    throw new Error(`max_pool2d takes a map (H, W) or (H, W, C) at least ${size} by ${size}.`);
  }
  const out_h = output_size(H, size, { stride });
  const out_w = output_size(W, size, { stride });
  const shape = x.shape.length === 3 ? [out_h, out_w, C] : [out_h, out_w];
  const y = shaped(new Float64Array(out_h * out_w * C).fill(-Infinity), shape);
  for (let i = 0; i < out_h; i++) {
    for (let j = 0; j < out_w; j++) {
      for (let u = 0; u < size; u++) {
        for (let v = 0; v < size; v++) {
          const from = ((i * stride + u) * W + (j * stride + v)) * C;
          const to = (i * out_w + j) * C;
          for (let c = 0; c < C; c++) if (x[from + c] > y[to + c]) y[to + c] = x[from + c];
        }
      }
    }
  }
  return y;
}

/**
 * The receptive field of each layer of a stack of convolutions and poolings (eq-receptive-field):
 * layers is a list of [name, k, stride, padding]; n the image's height. Returns one
 * {name, size, field, jump, start} per layer, as scratch's ReceptiveField.
 */
export function receptive_fields(layers, n) {
  let field = 1;
  let jump = 1;
  let start = 0;
  const fields = [];
  for (const [name, k, stride, padding] of layers) {
    const [before] = padding_amounts(n, k, stride, padding);
    n = output_size(n, k, { stride, padding });
    field += (k - 1) * jump;
    start -= before * jump;
    jump *= stride;
    fields.push({ name, size: n, field, jump, start });
  }
  return fields;
}

// The layers of a trained Keras CNN, channels last, for one image at a time.

/**
 * Keras' Conv2D: x (H, W, C_in), kernel (k_h, k_w, C_in, C_out) as Keras stores it, bias
 * (C_out) or null. Each output channel is the sum over input channels of convolve2d with that
 * channel's kernel slice. Returns (out_h, out_w, C_out).
 */
export function conv2d(x, kernel, bias = null, { padding = "valid", stride = 1 } = {}) {
  const [H, W, C_in] = x.shape;
  const [k_h, k_w, kc, C_out] = kernel.shape;
  if (kc !== C_in) throw new Error(`The kernel expects ${kc} channels, the input has ${C_in}.`);
  const [top] = padding_amounts(H, k_h, stride, padding);
  const [left] = padding_amounts(W, k_w, stride, padding);
  const out_h = output_size(H, k_h, { stride, padding });
  const out_w = output_size(W, k_w, { stride, padding });
  const z = shaped(new Float64Array(out_h * out_w * C_out), [out_h, out_w, C_out]);
  const acc = new Float64Array(C_out);
  for (let i = 0; i < out_h; i++) {
    for (let j = 0; j < out_w; j++) {
      for (let f = 0; f < C_out; f++) acc[f] = bias ? bias[f] : 0;
      for (let u = 0; u < k_h; u++) {
        const r = i * stride + u - top;
        if (r < 0 || r >= H) continue;
        for (let v = 0; v < k_w; v++) {
          const c = j * stride + v - left;
          if (c < 0 || c >= W) continue;
          const xo = (r * W + c) * C_in;
          const ko = (u * k_w + v) * C_in * C_out;
          for (let ch = 0; ch < C_in; ch++) {
            const xv = x[xo + ch];
            if (xv === 0) continue;
            const kr = ko + ch * C_out;
            for (let f = 0; f < C_out; f++) acc[f] += xv * kernel[kr + f];
          }
        }
      }
      z.set(acc, (i * out_w + j) * C_out);
    }
  }
  return z;
}

/**
 * BatchNormalization at inference, over the last axis:
 *     y = gamma (x - moving_mean) / sqrt(moving_variance + epsilon) + beta
 */
export function batch_normalization(x, gamma, beta, moving_mean, moving_variance, epsilon) {
  const C = gamma.length;
  const y = shaped(new Float64Array(x.length), x.shape.slice());
  const scale = Float64Array.from(gamma, (g, c) => g / Math.sqrt(moving_variance[c] + epsilon));
  for (let i = 0; i < x.length; i++) {
    const c = i % C;
    y[i] = (x[i] - moving_mean[c]) * scale[c] + beta[c];
  }
  return y;
}

/** max(0, x), elementwise, keeping the shape. */
export function relu(x) {
  return shaped(Float64Array.from(x, (v) => (v > 0 ? v : 0)), x.shape.slice());
}

/** Keras' Dense before its activation: z = a @ kernel + bias, kernel (n_in, n_out). */
export function dense(a, kernel, bias) {
  const [n_in, n_out] = kernel.shape;
  const z = shaped(Float64Array.from(bias), [n_out]);
  for (let k = 0; k < n_in; k++) {
    const ak = a[k];
    if (ak === 0) continue;
    for (let j = 0; j < n_out; j++) z[j] += ak * kernel[k * n_out + j];
  }
  return z;
}

/** softmax of one vector, shifted by its largest entry so that exp never overflows. */
export function softmax(z) {
  const top = Math.max(...z);
  const e = Float64Array.from(z, (v) => Math.exp(v - top));
  const sum = e.reduce((s, v) => s + v, 0);
  return shaped(e.map((v) => v / sum), [z.length]);
}

/**
 * The book's CNN (mnist_lessons.models.build_cnn) on one image x (28, 28) in [0, 1]: blocks of
 * Conv2D (same padding, no bias) -> BatchNormalization -> ReLU -> MaxPooling2D(2), then Flatten,
 * Dense + ReLU and a softmax layer. `weights` holds per block i (1, 2, ...) `conv_i`,
 * `gamma_i`, `beta_i`, `mean_i`, `variance_i`, and `dense_kernel`, `dense_bias`, `out_kernel`,
 * `out_bias`, `epsilon`. Returns every layer's output by name, in order.
 */
export function cnn_forward(x, weights) {
  const layers = {};
  let a = shaped(Float64Array.from(x), [x.shape[0], x.shape[1], 1]);
  for (let i = 1; weights[`conv_${i}`]; i++) {
    const z = conv2d(a, weights[`conv_${i}`], null, { padding: "same" });
    layers[`conv_${i}`] = z;
    const bn = batch_normalization(
      z,
      weights[`gamma_${i}`],
      weights[`beta_${i}`],
      weights[`mean_${i}`],
      weights[`variance_${i}`],
      weights.epsilon,
    );
    layers[`batchnorm_${i}`] = bn;
    layers[`relu_${i}`] = relu(bn);
    a = max_pool2d(layers[`relu_${i}`], 2);
    layers[`pool_${i}`] = a;
  }
  // Flatten keeps C order of (H, W, C), which is how the maps are stored.
  layers.flatten = shaped(Float64Array.from(a), [a.length]);
  let h = layers.flatten;
  if (weights.dense_kernel) {
    h = relu(dense(h, weights.dense_kernel, weights.dense_bias));
    layers.dense = h;
  }
  layers.logits = dense(h, weights.out_kernel, weights.out_bias);
  layers.probabilities = softmax(layers.logits);
  return layers;
}

/** Channel c of a channels-last map (H, W, C), as a (H, W) map. */
export function channel(x, c) {
  const [H, W, C] = x.shape;
  const out = shaped(new Float64Array(H * W), [H, W]);
  for (let i = 0; i < H * W; i++) out[i] = x[i * C + c];
  return out;
}
