// Full-batch training of the XOR networks for the neuron-xor explorable: scratch.MLP.fit with
// batch_size equal to the data (one step per epoch), in float64. Kept apart from the drawing so
// that Node can test it against scratch (tests/js/neuron_xor.test.mjs).
import { MLP } from "../../math/network.js";
import { SGD } from "../../math/optimizers.js";

/**
 * A network of sizes [2, hidden, 1] (or [2, 1] for hidden = 0), tanh hidden units and a sigmoid
 * output, starting from params [W1, b1, W2, b2] (flat, row-major, W of shape (n_out, n_in)).
 */
export function xorNetwork(hidden, params) {
  const sizes = hidden > 0 ? [2, hidden, 1] : [2, 1];
  return new MLP(sizes, { activation: "tanh", output: "sigmoid", params });
}

/**
 * One epoch of scratch's MLP.fit with one batch of all of (x, y): a forward pass, the loss and
 * accuracy of that pass, a backward pass and one step of the optimizer. Returns {loss, accuracy}.
 */
export function epoch(net, x, y, optimizer) {
  const a = net.forward(x);
  const loss = net._loss(y, a);
  let right = 0;
  for (let i = 0; i < a.length; i++) right += a[i] > 0.5 === y[i] > 0.5 ? 1 : 0;
  net.backward(y);
  optimizer.step(net.params, net.grads);
  return { loss, accuracy: right / a.length };
}

/**
 * Train `net` on (x, y) for `epochs` full-batch steps of SGD with learning rate eta, as
 * scratch's MLP.fit(x, y, epochs, optimizer=SGD(eta), batch_size=len(x)) does.
 * onEpoch(epoch, net), if given, is called after each step. Returns the history.
 */
export function fit(net, x, y, { epochs, eta, onEpoch = null }) {
  const optimizer = new SGD({ learning_rate: eta });
  const history = { loss: [], accuracy: [] };
  for (let e = 1; e <= epochs; e++) {
    const { loss, accuracy } = epoch(net, x, y, optimizer);
    history.loss.push(loss);
    history.accuracy.push(accuracy);
    if (onEpoch) onEpoch(e, net);
  }
  return history;
}
