"""Weight initialisation: init_weights' variance against the closed forms of Glorot and He.

The closed forms are typed here from the papers (Glorot & Bengio 2010, eq. 16; He et al.
2015, eq. 10), not taken from the package. A sample variance of n draws has standard error
sqrt((m4 - var^2) / n), with the fourth moment m4 = 3 var^2 for a normal and 9/5 var^2 for a
uniform distribution; the tests allow 5 standard errors.
"""

import numpy as np
import pytest

from mnist_lessons.scratch import MLP, init_variance, init_weights

CLOSED_FORM = {  # init -> Var(W_jk) as a function of n_in, n_out
    "he_normal": lambda n_in, n_out: 2 / n_in,
    "he_uniform": lambda n_in, n_out: 2 / n_in,
    "glorot_normal": lambda n_in, n_out: 2 / (n_in + n_out),
    "glorot_uniform": lambda n_in, n_out: 2 / (n_in + n_out),
}
KURTOSIS = {"normal": 3.0, "uniform": 9 / 5}  # m4 / var^2


@pytest.mark.parametrize("init", sorted(CLOSED_FORM))
@pytest.mark.parametrize(("n_in", "n_out"), [(784, 256), (256, 128), (128, 10)])
def test_sample_variance_matches_the_closed_form(init, n_in, n_out):
    W = init_weights(n_in, n_out, init, rng=np.random.default_rng(1), dtype=np.float64)
    assert W.shape == (n_out, n_in)
    var = CLOSED_FORM[init](n_in, n_out)
    kurtosis = KURTOSIS[init.split("_")[1]]
    se = np.sqrt((kurtosis - 1) * var**2 / W.size)  # standard error of the sample variance
    assert abs(np.mean(W**2) - var) < 5 * se  # mean 0 is known: E[W^2] = Var(W)
    assert abs(W.mean()) < 5 * np.sqrt(var / W.size)
    np.testing.assert_allclose(init_variance(n_in, n_out, init), var, rtol=1e-12)


@pytest.mark.parametrize(("short", "full"), [("he", "he_normal"), ("glorot", "glorot_uniform")])
def test_short_names_mean_the_papers_distributions(short, full):
    a = init_weights(300, 200, short, rng=np.random.default_rng(0))
    b = init_weights(300, 200, full, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(a, b)
    assert init_variance(300, 200, short) == init_variance(300, 200, full)


@pytest.mark.parametrize("n_in, n_out", [(784, 256), (100, 300)])
def test_uniform_weights_stay_inside_their_bound(n_in, n_out):
    W = init_weights(n_in, n_out, "glorot_uniform", rng=np.random.default_rng(2))
    r = np.sqrt(6 / (n_in + n_out))  # U(-r, r) has variance r^2 / 3
    assert np.abs(W).max() <= r and np.abs(W).max() > 0.99 * r


def test_unknown_init_raises_a_sentence():
    with pytest.raises(ValueError, match="Unknown init 'lecun'"):
        init_variance(3, 2, "lecun")


def test_he_keeps_the_mean_square_of_relu_outputs_through_depth():
    # The derivation behind He's scale: E[z_l^2] = n * Var(W) * E[a_{l-1}^2] and
    # E[relu(z)^2] = E[z^2] / 2 for a symmetric z, so Var(W) = 2 / n keeps E[a^2] steady,
    # while Glorot's 2 / (2 n) halves it at every layer. Wide layers make the sample tight.
    n, depth = 1000, 8
    x = np.random.default_rng(0).standard_normal((500, n))  # (500, n)
    ratios = {}
    for init in ("he_normal", "glorot_normal"):
        net = MLP((n,) * (depth + 1) + (10,), init=init, seed=3, dtype=np.float64)
        net.forward(x)
        squares = [np.mean(layer.a**2) for layer in net.layers[:-1]]
        ratios[init] = np.array(squares[1:]) / np.array(squares[:-1])  # per-layer factor
    np.testing.assert_allclose(ratios["he_normal"], 1.0, rtol=0.15)
    np.testing.assert_allclose(ratios["glorot_normal"], 0.5, rtol=0.15)
