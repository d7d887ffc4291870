"""The kernel editor explorable (book/convolutional_networks), in Chromium on the built site.

What only this explorable knows: its first view is the chapter's figure (the horizontal-edge
kernel on the chapter's digit: the page's map equals the build's ``convolve2d`` output, to
1e-12); its presets are the build's kernels; a typed kernel, a padding and a stride give
``scratch.convolution.convolve2d``'s map on the same digit (float64 on both sides, 1e-12).
"""

from __future__ import annotations

import numpy as np
import pytest
from explorables import bundle_of, explorable_page, page_of

from mnist_lessons.data import scale
from mnist_lessons.scratch.convolution import EDGE_KERNELS, convolve2d

pytestmark = pytest.mark.site

NAME = "kernel-editor"
KEYS = [f"k{u}{v}" for u in (1, 2, 3) for v in (1, 2, 3)]


def page_path() -> str:
    return page_of(NAME)


@pytest.fixture(scope="module")
def bundle():
    return bundle_of(NAME)


@pytest.fixture(scope="module")
def page(browser, site_url):
    with explorable_page(browser, site_url, NAME) as page:
        yield page


def last_map(page) -> np.ndarray:
    out = page.evaluate(
        f"""() => {{
            const z = document.querySelector('#explorable-{NAME}').explorable.api.last();
            return {{shape: z.shape, values: Array.from(z)}};
        }}"""
    )
    return np.array(out["values"]).reshape(out["shape"])


def set_state(page, values: dict) -> None:
    page.evaluate(f"v => document.querySelector('#explorable-{NAME}').explorable.set(v)", values)


def test_the_first_view_is_the_chapters_figure(page, bundle):
    _, arrays = bundle
    np.testing.assert_allclose(last_map(page), arrays["first_view"], rtol=0, atol=1e-12)
    assert page.errors == []


def test_the_presets_are_the_builds_kernels(page, bundle):
    data, _ = bundle
    for name, K in EDGE_KERNELS.items():
        np.testing.assert_array_equal(data["presets"][name], K.ravel())
    page.get_by_role("button", name="Identity").click()
    state = page.evaluate(f"document.querySelector('#explorable-{NAME}').explorable.state")
    assert [state[k] for k in KEYS] == data["presets"]["identity"]
    page.get_by_role("button", name="Horizontal edges").click()


@pytest.mark.parametrize(
    ("kernel", "digit", "padding", "stride"),
    [
        ([0.5, -1, 2, 0, 3.25, -0.75, 1, 1, -2], 3, "same", 2),
        ([1 / 9] * 9, 10, "valid", 3),
        ([0, 0, 0, 0, 1, 0, 0, 0, 0], 0, "same", 1),
    ],
)
def test_a_typed_kernel_gives_scratchs_map(page, bundle, kernel, digit, padding, stride):
    _, arrays = bundle
    set_state(
        page,
        {
            **dict(zip(KEYS, kernel, strict=True)),
            "digit": digit,
            "padding": padding,
            "stride": stride,
        },
    )
    x = scale(arrays["digits"][digit])
    expected = convolve2d(x, np.reshape(kernel, (3, 3)), padding=padding, stride=stride)
    np.testing.assert_allclose(last_map(page), expected, rtol=0, atol=1e-12)


def test_a_number_typed_in_a_box_changes_the_map(page):
    set_state(page, {"k11": 1, "k12": 2, "k13": 1, "digit": 0, "padding": "valid", "stride": 1})
    before = last_map(page)
    box = page.get_by_label("kernel weight, row 2, column 2")
    box.fill("5")
    box.press("Enter")
    box.blur()
    page.wait_for_function(
        f"document.querySelector('#explorable-{NAME}').explorable.state.k22 === 5"
    )
    assert not np.allclose(last_map(page), before)
    assert page.errors == []
