"""The autoencoder's latent map explorable (book/autoencoders), in Chromium on the built site.

What only this explorable knows: its decoder, run in the page with the bundle's weights, draws
what Keras' decoder draws with the same weights (to 1e-4 per pixel); its first view is the
chapter's figure (the same 5,000 codes, axes and label positions); dragging on the map moves
the decoded point and pointing at an exported test digit picks it.
"""

from __future__ import annotations

import numpy as np
import pytest
from explorables import SITE, explorable_page, page_of

from mnist_lessons.explore import read_bundle

pytestmark = pytest.mark.site

NAME = "latent-map"
TOLERANCE = 1e-4  # per pixel, float32 Keras against the page's float64 arithmetic


def page_path() -> str:
    return page_of(NAME)


@pytest.fixture(scope="module")
def bundle():
    path = SITE / "_static" / "explore" / "data" / f"{NAME}.bin"
    if not path.is_file():
        pytest.fail(f"No {path}: the autoencoders chapter exports it when the book is built.")
    return read_bundle(path)


@pytest.fixture(scope="module")
def page(browser, site_url):
    with explorable_page(browser, site_url, NAME) as page:
        yield page


def js_decode(page, codes) -> np.ndarray:
    """The page's decoder on each code: (n, 784)."""
    out = page.evaluate(
        f"""codes => {{
            const api = document.querySelector('#explorable-{NAME}').explorable.api;
            return codes.map(z => Array.from(api.decode(z)));
        }}""",
        [[float(a), float(b)] for a, b in codes],
    )
    return np.array(out)


def keras_decoder(arrays):
    """build_autoencoder's decoder holding exactly the weights of the bundle."""
    from mnist_lessons.models import build_autoencoder

    decoder = build_autoencoder(hidden_units=(256,), latent_dim=2).get_layer("decoder")
    decoder.set_weights(
        [arrays["W_1"].T, arrays["b_1"], arrays["W_2"].astype(np.float32).T, arrays["b_2"]]
    )
    return decoder


def test_the_page_decoder_draws_what_keras_draws_with_the_same_weights(page, bundle):
    data, arrays = bundle
    xs = np.linspace(*data["xlim"], 6)
    ys = np.linspace(*data["ylim"], 6)
    grid = np.array([(x, y) for x in xs for y in ys])  # the whole map, corners included
    codes = np.concatenate([grid, arrays["digit_z"][::10]]).astype(np.float32)
    expected = keras_decoder(arrays).predict(codes, verbose=0)  # (n, 784)
    got = js_decode(page, codes)
    assert got.shape == expected.shape == (len(codes), 784)
    assert np.abs(got - expected).max() < TOLERANCE
    assert expected.std() > 0.05, "the reference draws nothing: the comparison would be empty"
    assert not page.errors


def test_the_first_view_is_the_chapter_figure(page, bundle):
    data, arrays = bundle
    api = f"document.querySelector('#explorable-{NAME}').explorable.api"
    view = page.evaluate(f"{api}.firstView()")
    # the figure's own axes (the chapter exports ax.get_xlim() and ax.get_ylim())
    np.testing.assert_allclose(view["xlim"], data["xlim"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(view["ylim"], data["ylim"], rtol=0, atol=1e-9)
    # its 5,000 points, each label written at the median of its points
    z, labels = arrays["z"].astype(float), arrays["labels"]
    assert view["points"] == len(labels) == 5000
    medians = np.array([np.median(z[labels == d], axis=0) for d in range(10)])
    np.testing.assert_allclose(view["medians"], medians, atol=0.05)  # float16 codes
    # and the points are on the canvas where the axes put them
    canvas = page.locator(f"#explorable-{NAME} canvas").first
    shot = canvas.screenshot()
    from io import BytesIO

    from PIL import Image

    pixels = np.asarray(Image.open(BytesIO(shot)).convert("RGB")).astype(int)
    scale = pixels.shape[1] / 480  # screenshot pixels per figure pixel
    inked = 0
    for i in range(0, 5000, 250):
        px = page.evaluate(
            f"""([u, v]) => {{
                const ax = document.querySelector('#explorable-{NAME}').explorable.api.axes();
                return [ax.x(u), ax.y(v)];
            }}""",
            [float(z[i, 0]), float(z[i, 1])],
        )
        col, row = round(px[0] * scale), round(px[1] * scale)
        patch = pixels[row - 1 : row + 2, col - 1 : col + 2]
        inked += bool((np.abs(patch - pixels[2, 2]).sum(axis=-1) > 60).any())
    assert inked >= 18, f"only {inked} of 20 points drawn where the axes put them"


def test_dragging_moves_the_point_and_pointing_picks_a_test_digit(page, bundle):
    _, arrays = bundle
    root = f"document.querySelector('#explorable-{NAME}')"
    canvas = page.locator(f"#explorable-{NAME} canvas").first
    box = canvas.bounding_box()
    ratio = box["width"] / 480

    def screen(p):
        return box["x"] + p[0] * ratio, box["y"] + p[1] * ratio

    # the exported digit farthest from the others on the map: pointing at it picks it alone
    at = np.array(
        page.evaluate(
            f"codes => {{ const a = {root}.explorable.api.axes(); "
            "return codes.map(([u, v]) => [a.x(u), a.y(v)]); }",
            arrays["digit_z"].astype(float).tolist(),
        )
    )
    gaps = np.linalg.norm(at[:, None] - at[None], axis=-1) + np.eye(len(at)) * 1e9
    k = int(gaps.min(axis=1).argmax())
    assert gaps[k].min() > 12, "no exported digit stands alone on the map"
    at = at[k]
    page.mouse.move(*screen(at))
    page.wait_for_function(f"{root}.explorable.state.digit === {k}", timeout=5_000)
    # a drag from one point of the map to another
    start, end = (120, 300), (330, 150)
    page.mouse.move(*screen(start))
    page.mouse.down()
    page.mouse.move(*screen(end), steps=5)
    page.mouse.up()
    state = page.evaluate(f"{root}.explorable.state")
    target = page.evaluate(f"([x, y]) => {root}.explorable.api.axes().inverse(x, y)", end)
    assert abs(state["z1"] - target[0]) <= 0.1 and abs(state["z2"] - target[1]) <= 0.1
    shown = page.evaluate(f"{root}.querySelector('.explorable-status').textContent")
    assert "decoder draws the point" in shown
    assert not page.errors
