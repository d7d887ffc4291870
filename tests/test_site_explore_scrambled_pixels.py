"""The scrambled-pixels explorable (book/network_types), in Chromium on the built site.

What only this explorable knows: fully scrambled, the page's image is the chapter's x[pi]
exactly; every intermediate step is a permutation of the digit's pixels (pi split into swaps of
two pixels, 784 less the number of its cycles); its feature maps are
mnist_lessons.scratch.convolution.convolve2d with the Sobel kernels (to 1e-12); its first view is
the first column of the chapter's figure (MNIST's first test digit and its scrambled version).
"""

from __future__ import annotations

import numpy as np
import pytest
from explorables import SITE, explorable_page, page_of

from mnist_lessons.data import flatten, scale
from mnist_lessons.explore import read_bundle
from mnist_lessons.scratch.convolution import EDGE_KERNELS, convolve2d

pytestmark = pytest.mark.site

NAME = "scrambled-pixels"
ROOT = f"document.querySelector('#explorable-{NAME}')"


def page_path() -> str:
    return page_of(NAME)


@pytest.fixture(scope="module")
def bundle():
    path = SITE / "_static" / "explore" / "data" / f"{NAME}.bin"
    if not path.is_file():
        pytest.fail(f"No {path}: the network_types chapter exports it when the book is built.")
    return read_bundle(path)


@pytest.fixture(scope="module")
def page(browser, site_url):
    with explorable_page(browser, site_url, NAME) as page:
        yield page


def view(page, **settings) -> dict:
    """The page's images for these settings: x, y (784 each), fx, fy (676 each), count."""
    out = page.evaluate(
        f"""s => {{
            const e = {ROOT}.explorable;
            const v = e.api.view({{ ...e.state, ...s }});
            return {{ x: Array.from(v.x), y: Array.from(v.y), fx: Array.from(v.fx),
                      fy: Array.from(v.fy), count: v.count, swaps: e.api.nSwaps }};
        }}""",
        settings,
    )
    return {k: np.array(v) if isinstance(v, list) else v for k, v in out.items()}


def n_cycles(pi) -> int:
    seen, count = np.zeros(len(pi), dtype=bool), 0
    for start in range(len(pi)):
        count += not seen[start]
        j = start
        while not seen[j]:
            seen[j], j = True, pi[j]
    return count


@pytest.mark.parametrize("kernel", ["horizontal", "vertical"])
def test_fully_scrambled_is_x_of_pi_and_the_feature_maps_are_the_packages(page, bundle, kernel):
    data, arrays = bundle
    pi = arrays["pi"].astype(int)
    assert sorted(pi) == list(range(784)), "pi is a permutation of the 784 pixels"
    K = EDGE_KERNELS[f"{kernel} edges"]
    for i in range(len(data["labels"])):
        got = view(page, digit=i, scramble=1, kernel=kernel)
        x = arrays["digits"][i] / 255
        assert got["swaps"] == got["count"] == 784 - n_cycles(pi)
        np.testing.assert_array_equal(got["x"], x)
        np.testing.assert_array_equal(got["y"], x[pi])  # the chapter's digits[:, pi]
        for image, fmap in ((got["x"], got["fx"]), (got["y"], got["fy"])):
            expected = convolve2d(image.reshape(28, 28), K).ravel()
            np.testing.assert_allclose(fmap, expected, rtol=0, atol=1e-12)
    assert not page.errors


def test_every_step_is_a_permutation_of_the_digit(page, bundle):
    _, arrays = bundle
    x = arrays["digits"][3] / 255
    unscrambled = view(page, digit=3, scramble=0)
    assert unscrambled["count"] == 0
    np.testing.assert_array_equal(unscrambled["y"], x)
    changed = []
    for level in (0.1, 0.37, 0.5, 0.9):
        got = view(page, digit=3, scramble=level)
        assert got["count"] == round(level * got["swaps"])
        np.testing.assert_array_equal(np.sort(got["y"]), np.sort(x))  # the same 784 numbers
        changed.append(int(np.sum(got["y"] != x)))
    assert 0 < changed[0] < changed[-1], f"pixels moved: {changed}"


def test_the_first_view_is_the_figures_first_column(page, bundle, real_mnist):
    _, (x_test, y_test) = real_mnist
    data, arrays = bundle
    state = page.evaluate(f"{ROOT}.explorable.state")
    assert state["digit"] == 0 and state["scramble"] == 1  # the figure's first column
    assert data["labels"][:5] == y_test[:5].tolist()  # the figure's five digits come first
    first = view(page)
    digit = flatten(scale(x_test[:1]))[0]
    np.testing.assert_allclose(first["x"], digit, rtol=0, atol=1e-7)  # float32 in the book
    np.testing.assert_allclose(first["y"], digit[arrays["pi"].astype(int)], rtol=0, atol=1e-7)
    status = f"{ROOT}.querySelector('.explorable-status').textContent"
    page.wait_for_function(f"{status}.length > 0", timeout=5_000)
    said = page.evaluate(status)
    assert f"{y_test[0]}" in said and "same 784 numbers" in said


def test_a_followed_pixel_is_the_same_number_at_its_scrambled_place(page, bundle):
    _, arrays = bundle
    pi = arrays["pi"].astype(int)
    x = arrays["digits"][0] / 255
    p = int(np.argmax(x))  # an inked pixel
    q = int(np.flatnonzero(pi == p)[0])  # where x[pi] puts it: (x[pi])[q] = x[p]
    page.evaluate(f"{ROOT}.explorable.set({{digit: 0, scramble: 1, pixel: {p}}})")
    status = f"{ROOT}.querySelector('.explorable-status').textContent"
    page.wait_for_function(f"{status}.includes('input {p + 1} ')", timeout=5_000)
    said = page.evaluate(status)
    assert (
        f"is input {p + 1} of the MLP" in said and f"input {q + 1}, at row {q // 28 + 1}," in said
    )
    assert view(page, digit=0, scramble=1)["y"][q] == x[p]
