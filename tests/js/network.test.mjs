// activations.js and network.js against mnist_lessons.scratch, all in float64
// (fixtures: tests/test_js_network.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as act from "../../mnist_lessons/explore/static/explore/math/activations.js";
import { Dense, MLP, asMatrix } from "../../mnist_lessons/explore/static/explore/math/network.js";

const TOL = 1e-12; // relative to max(1, |expected|)
const fixtures = JSON.parse(
  readFileSync(join(process.env.MNIST_LESSONS_FIXTURES, "network.json"), "utf8"),
);

function close(actual, expected, what) {
  const error = Math.abs(actual - expected);
  assert.ok(
    error <= TOL * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} against ${expected} (difference ${error})`,
  );
}

function allClose(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  expected.forEach((v, i) => close(actual[i], v, `${what} [${i}]`));
}

const A = fixtures.activations;
const z = Float64Array.from(A.z);

for (const name of Object.keys(A.f)) {
  test(`${name} and ${name}_grad`, () => {
    const [f, f_grad] = act.get_activation(name);
    assert.equal(f, act[name]);
    assert.equal(f_grad, act[`${name}_grad`]);
    allClose(f(z), A.f[name], name);
    allClose(f_grad(z), A.grad[name], `${name}_grad`);
  });
}

test("leaky_relu with another alpha", () => {
  const { alpha, f, grad } = A.leaky_relu_alpha;
  allClose(act.leaky_relu(z, alpha), f, "leaky_relu");
  allClose(act.leaky_relu_grad(z, alpha), grad, "leaky_relu_grad");
});

test("softmax over each row, large offsets, ties and underflow", () => {
  const rows = Object.assign(Float64Array.from(A.softmax.z), { shape: A.softmax.shape });
  const a = act.softmax(rows);
  assert.deepEqual(a.shape, A.softmax.shape);
  allClose(a, A.softmax.a, "softmax");
});

test("softmax_jacobian", () => {
  allClose(act.softmax_jacobian(A.softmax_jacobian.z), A.softmax_jacobian.J, "J");
});

test("get_activation refuses unknown names and softmax in a hidden layer", () => {
  assert.throws(() => act.get_activation("swish"), /Unknown activation 'swish'/);
  assert.throws(() => act.get_activation("softmax"), /only in an output layer/);
  assert.deepEqual(act.get_activation("softmax", { allow_softmax: true }), [act.softmax, null]);
});

test("activations keep the array type and shape", () => {
  const z32 = Object.assign(new Float32Array([-1, 0, 2, 3]), { shape: [2, 2] });
  const a = act.relu(z32);
  assert.ok(a instanceof Float32Array);
  assert.deepEqual(a.shape, [2, 2]);
});

for (const c of fixtures.dense) {
  test(`Dense(${c.n_in}, ${c.n_out}, ${c.activation}): forward and backward`, () => {
    const layer = new Dense(c.n_in, c.n_out, c.activation, { W: c.W, b: c.b });
    assert.deepEqual(layer.W.shape, [c.n_out, c.n_in]);
    const a = layer.forward(asMatrix(c.a_prev, c.n_in));
    allClose(layer.z, c.z, "z");
    allClose(a, c.a, "a");
    const grad_input = layer.backward(asMatrix(c.delta, c.n_out));
    allClose(layer.dW, c.dW, "dW");
    allClose(layer.db, c.db, "db");
    allClose(grad_input, c.grad_input, "dE/da_prev");
    assert.deepEqual(layer.dW.shape, [c.n_out, c.n_in]);
    assert.deepEqual(grad_input.shape, [c.a_prev.length / c.n_in, c.n_in]);
    assert.equal(layer.backward(c.delta, { need_grad_input: false }), null);
  });
}

for (const c of fixtures.mlp) {
  test(`MLP ${c.sizes.join("-")}, ${c.label}: forward, loss, deltas, gradients`, () => {
    const net = new MLP(c.sizes, { activation: c.activation, output: c.output, params: c.params });
    const a = net.forward(c.x);
    allClose(a, c.output_a, "a^(L)");
    net.layers.forEach((layer, l) => {
      allClose(layer.z, c.z[l], `z^(${l + 1})`);
      allClose(layer.a, c.a[l], `a^(${l + 1})`);
    });
    const deltas = net.backward(c.y);
    deltas.forEach((delta, l) => allClose(delta, c.deltas[l], `delta^(${l + 1})`));
    net.grads.forEach((g, i) => allClose(g, c.grads[i], `grads[${i}]`));
    close(net.loss(c.x, c.y), c.loss, "loss");
  });
}

test("an MLP in float32 stays within float32 rounding of float64", () => {
  const c = fixtures.mlp[0];
  const options = { activation: c.activation, params: c.params, dtype: Float32Array };
  const net = new MLP(c.sizes, options);
  const a = net.forward(c.x);
  assert.ok(a instanceof Float32Array);
  c.output_a.forEach((v, i) => assert.ok(Math.abs(a[i] - v) < 1e-5, `a[${i}]`));
});

test("the network says what is wrong", () => {
  assert.throws(() => new MLP([3]), /at least an input and an output/);
  assert.throws(() => new MLP([3, 2], { output: "tanh" }), /Unknown output 'tanh'/);
  assert.throws(() => new MLP([3, 2], { activation: "softmax" }), /only in an output layer/);
  const net = new MLP([3, 2]);
  assert.throws(() => net.backward([[1, 0]]), /forward\(x\) before backward/);
  assert.throws(() => net.forward([1, 2]), /rows of 3 numbers/);
});

test("the backprop-2-3-1 explorable's compute() on the chapter's worked example", async () => {
  const { compute } = await import(
    "../../mnist_lessons/explore/static/explore/explorables/backprop-2-3-1.js"
  );
  for (const c of fixtures.mlp.filter((m) => m.label.startsWith("the chapter's worked"))) {
    const [W1, b1, W2, b2] = c.params;
    const s = { x1: c.x[0], x2: c.x[1], y: c.y[0], b2_1: b2[0] };
    [11, 12, 21, 22, 31, 32].forEach((jk, i) => (s[`W1_${jk}`] = W1[i]));
    b1.forEach((v, j) => (s[`b1_${j + 1}`] = v));
    W2.forEach((v, j) => (s[`W2_1${j + 1}`] = v));
    const v = compute(s);
    allClose(v.z1, c.z[0], "z1");
    allClose(v.a1, c.a[0], "a1");
    allClose(v.a2, c.a[1], "a2");
    allClose(v.delta1, c.deltas[0], "delta1");
    allClose(v.delta2, c.deltas[1], "delta2");
    allClose(v.dW1, c.grads[0], "dW1");
    allClose(v.db1, c.grads[1], "db1");
    allClose(v.dW2, c.grads[2], "dW2");
    allClose(v.db2, c.grads[3], "db2");
    close(v.E, c.loss, "E");
  }
});
