"""The NumPy optimizers against Keras' step for step, against the textbook forms, and on MNIST.

Each Keras comparison runs 100 steps on the same random gradient sequence (three parameter
arrays of different shapes) and requires the parameters to agree within 1e-6 after every
step. In float64 both sides compute the same operations in the same order, so the difference
is only Keras' learning rate, which it stores as a float32 variable (relative 1e-8). In
float32 the operations round alike but TensorFlow's and NumPy's sqrt, pow and fused kernels
may differ by an ulp (6e-8 relative) per step; 100 steps stay well below 1e-6.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from mnist_lessons.data import flatten, one_hot, scale
from mnist_lessons.quiet import import_keras
from mnist_lessons.scratch import MLP, SGD, AdaGrad, Adam, RMSProp

keras = import_keras()

SHAPES = [(5, 3), (3,), (2, 2)]
STEPS = 100

# name -> (our class, Keras' class name, our keyword arguments)
CASES = {
    "sgd": (SGD, "SGD", {"learning_rate": 0.1}),
    "momentum": (SGD, "SGD", {"learning_rate": 0.05, "momentum": 0.9}),
    "adagrad": (
        AdaGrad,
        "Adagrad",
        {"learning_rate": 0.05, "initial_accumulator_value": 0.5, "epsilon": 1e-6},
    ),
    "adagrad_defaults": (AdaGrad, "Adagrad", {}),
    "rmsprop": (RMSProp, "RMSprop", {"learning_rate": 0.01, "rho": 0.8}),
    "rmsprop_defaults": (RMSProp, "RMSprop", {}),
    "adam": (Adam, "Adam", {"learning_rate": 0.02, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6}),
    "adam_defaults": (Adam, "Adam", {}),
}

KERAS_NAMES = {"beta1": "beta_1", "beta2": "beta_2"}


def make_pair(name, dtype):
    """Our optimizer and Keras' with the same hyperparameters.

    Keras turns each hyperparameter into a float32 tensor before casting it to the variable's
    dtype (momentum 0.9 becomes 0.89999998), so for float64 parameters ours gets the same
    float32-rounded values; otherwise the float64 paths would part by ~1e-8 per step.
    """
    ours, keras_name, kwargs = CASES[name]
    defaults = {
        k: p.default
        for k, p in inspect.signature(ours).parameters.items()
        if p.default is not inspect.Parameter.empty
    }
    kwargs = {**defaults, **kwargs}  # every hyperparameter, spelled out for both
    theirs = getattr(keras.optimizers, keras_name)(
        **{KERAS_NAMES.get(k, k): v for k, v in kwargs.items()}
    )
    if dtype == np.float64:
        kwargs = {k: float(np.float32(v)) for k, v in kwargs.items()}
    return ours(**kwargs), theirs


def test_our_defaults_are_keras_defaults():
    for ours, keras_name, _ in CASES.values():
        theirs = getattr(keras.optimizers, keras_name)
        for k, p in inspect.signature(ours).parameters.items():
            if p.default is not inspect.Parameter.empty:
                keras_default = inspect.signature(theirs).parameters[KERAS_NAMES.get(k, k)]
                assert p.default == keras_default.default, (ours, k)


def gradient_sequence(seed, dtype):
    """STEPS lists of gradients, one per shape; scales from 1e-4 to 10 to exercise epsilon."""
    rng = np.random.default_rng(seed)
    scales = 10.0 ** rng.uniform(-4, 1, STEPS)
    return [[(s * rng.standard_normal(shape)).astype(dtype) for shape in SHAPES] for s in scales]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", sorted(CASES))
def test_100_steps_agree_with_keras(name, dtype):
    ours, theirs = make_pair(name, dtype)
    rng = np.random.default_rng(1)
    params = [rng.standard_normal(shape).astype(dtype) for shape in SHAPES]
    variables = [keras.Variable(p.copy(), dtype=np.dtype(dtype).name) for p in params]
    for t, grads in enumerate(gradient_sequence(2, dtype), start=1):
        theirs.apply_gradients(
            zip([keras.ops.convert_to_tensor(g) for g in grads], variables, strict=True)
        )
        ours.step(params, grads)
        for p, v in zip(params, variables, strict=True):
            assert p.dtype == dtype
            np.testing.assert_allclose(p, np.asarray(v), rtol=0, atol=1e-6, err_msg=f"step {t}")
    assert ours.t == STEPS
    moved = max(
        np.abs(p - q).max()
        for p, q in zip(
            params,
            [np.random.default_rng(1).standard_normal(shape) for shape in SHAPES],
            strict=True,
        )
    )
    assert moved > 0.05  # the test compares paths that went somewhere


def test_sgd_without_momentum_is_the_old_rule_bit_for_bit():
    rng = np.random.default_rng(0)
    W = rng.standard_normal((4, 3)).astype(np.float32)
    dW = rng.standard_normal((4, 3)).astype(np.float32)
    expected = W - np.float32(0.1) * dW
    SGD(0.1).step([W], [dW])
    np.testing.assert_array_equal(W, expected)


def test_momentum_equals_the_textbook_form_for_a_constant_rate():
    """Keras' m_t = mu m - eta g, theta += m  vs  m_t = mu m + g, theta -= eta m."""
    eta, mu = 0.05, 0.9
    theta = np.array([1.0, -2.0])
    book_theta, book_m = theta.copy(), np.zeros(2)
    optimizer = SGD(eta, momentum=mu)
    for grads in gradient_sequence(3, np.float64)[:30]:
        g = grads[0][0, :2]
        optimizer.step([theta], [g])
        book_m = mu * book_m + g
        book_theta -= eta * book_m
        np.testing.assert_allclose(theta, book_theta, rtol=1e-12)


def test_rmsprop_puts_epsilon_inside_the_root():
    g = np.array([1e-4, 1.0])
    theta = np.zeros(2)
    RMSProp(0.001, rho=0.9, epsilon=1e-7).step([theta], [g])
    v = 0.1 * g**2
    np.testing.assert_allclose(theta, -0.001 * g / np.sqrt(v + 1e-7), rtol=1e-12)
    assert not np.allclose(theta, -0.001 * g / (np.sqrt(v) + 1e-7), rtol=1e-3)


def test_adam_is_the_textbook_form_with_a_rescaled_epsilon():
    """theta -= eta m_hat / (sqrt(v_hat) + eps / sqrt(1 - beta2^t)) gives Keras' step."""
    eta, beta1, beta2, eps = 0.01, 0.9, 0.999, 1e-7
    theta = np.array([0.5, -0.5, 2.0])
    book = theta.copy()
    m = v = np.zeros(3)
    adam = Adam(eta, beta1, beta2, eps)
    for t, grads in enumerate(gradient_sequence(4, np.float64)[:50], start=1):
        g = grads[0][0]
        adam.step([theta], [g])
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        book -= eta * m_hat / (np.sqrt(v_hat) + eps / np.sqrt(1 - beta2**t))
        np.testing.assert_allclose(theta, book, rtol=1e-10, atol=1e-14)


def test_adam_first_step_has_size_eta_whatever_the_gradient_scale():
    """Step 1: eta sign(g) |g| / (|g| + eps / sqrt(1 - beta2)), about eta unless |g| ~ eps."""
    for g in (1e-3, 1.0, 1e3):
        theta = np.zeros(2)
        Adam(0.001).step([theta], [np.array([g, -g])])
        expected = 0.001 * g / (g + 1e-7 / np.sqrt(1 - 0.999))
        np.testing.assert_allclose(theta, [-expected, expected], rtol=1e-12)
        np.testing.assert_allclose(np.abs(theta), 0.001, rtol=4e-3)


def test_adagrad_steps_shrink_like_one_over_root_t_for_a_constant_gradient():
    """G_t = G_0 + t g^2, so step t is eta g / sqrt(G_0 + t g^2 + eps) (closed form)."""
    eta, G0, eps, g = 0.1, 0.1, 1e-7, 2.0
    theta = np.zeros(1)
    adagrad = AdaGrad(eta, initial_accumulator_value=G0, epsilon=eps)
    for t in range(1, 201):
        before = theta[0]
        adagrad.step([theta], [np.array([g])])
        np.testing.assert_allclose(before - theta[0], eta * g / np.sqrt(G0 + t * g**2 + eps))
    np.testing.assert_allclose(adagrad.state[0]["G"], G0 + 200 * g**2)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SGD(0), r"learning_rate must be a positive number.*learning_rate=0\.1"),
        (lambda: SGD(0.1, momentum=1.0), r"momentum must be in \[0, 1\).*0\.9"),
        (lambda: SGD(0.1, momentum=-0.5), r"momentum must be in \[0, 1\)"),
        (lambda: RMSProp(rho=1.5), r"rho must be in \[0, 1\).*rho=0\.9"),
        (lambda: RMSProp(epsilon=0), "epsilon must be a positive number"),
        (lambda: Adam(beta1=1.0), r"beta1 must be in \[0, 1\).*beta1=0\.9"),
        (lambda: Adam(beta2=float("nan")), r"beta2 must be in \[0, 1\)"),
        (lambda: Adam(learning_rate="0.001"), "learning_rate must be a positive number"),
        (lambda: AdaGrad(initial_accumulator_value=-1), r"must be 0 or more.*0\.1"),
        (lambda: AdaGrad(epsilon=-1e-7), "epsilon must be a positive number"),
    ],
)
def test_bad_hyperparameters_raise_with_advice(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_step_checks_params_and_grads():
    W, b = np.zeros((3, 2)), np.zeros(3)
    adam = Adam()
    with pytest.raises(ValueError, match=r"one gradient per parameter.*net\.params, net\.grads"):
        adam.step([W, b], [W])
    with pytest.raises(ValueError, match=r"Parameter 1 must be a NumPy array.*\(3,\).*\(2,\)"):
        adam.step([W, b], [W, np.zeros(2)])
    with pytest.raises(ValueError, match="Parameter 0 must be a NumPy array"):
        adam.step([[0.0, 1.0]], [[1.0, 1.0]])
    adam.step([W, b], [W + 1, b + 1])
    with pytest.raises(ValueError, match="one optimizer per network"):
        adam.step([W], [W])
    with pytest.raises(ValueError, match="one optimizer per network"):
        adam.step([b, W], [b, W])


# --- training the from-scratch MLP on real MNIST ------------------------------------------


@pytest.fixture(scope="module")
def batch(real_mnist):
    (x_train, y_train), _ = real_mnist
    return flatten(scale(x_train[:1024])), one_hot(y_train[:1024])


@pytest.mark.parametrize(
    "make",
    [lambda: SGD(0.1), lambda: SGD(0.05, momentum=0.9), lambda: AdaGrad(0.05), RMSProp, Adam],
    ids=["sgd", "momentum", "adagrad", "rmsprop", "adam"],
)
def test_the_scratch_mlp_trains_with_each_optimizer(batch, make):
    x, y = batch
    optimizer = make()
    net = MLP((784, 64, 10), seed=0)
    before = net.loss(x, y)
    history = net.fit(x, y, epochs=2, batch_size=64, optimizer=optimizer, seed=0, log=None)
    after = net.loss(x, y)
    assert after < 0.6 * before  # 2.3 -> well below
    assert history["loss"][1] < history["loss"][0]
    assert optimizer.t == 2 * 1024 // 64
    assert all(p.dtype == np.float32 for p in net.params)
    assert all(s.dtype == np.float32 for state in optimizer.state for s in state.values())
