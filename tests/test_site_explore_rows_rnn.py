"""The row-by-row explorable (book/recurrent_networks), in Chromium on the built site.

What only this explorable knows: the LSTM and the SimpleRNN the page runs (float64 arithmetic
on the bundle's weights: the LSTM in float32, the SimpleRNN in float16) answer after every row
as Keras' ``build_lstm`` and ``build_rnn`` holding the same weights, within 1e-4 per
probability, on the exported test digits, on other test digits and on a drawn digit; the LSTM
also matches the chapter's own model (the answers the build exported) within 1e-4, and the
SimpleRNN within the rounding the chapter measured and glued; stepping the rows changes the
answer shown and said.
"""

from __future__ import annotations

import numpy as np
import pytest
from explorables import bundle_of, explorable_page, page_of

from mnist_lessons.data import scale

pytestmark = pytest.mark.site

NAME = "rows-rnn"
TOLERANCE = 1e-4  # float32 Keras against the page's float64 arithmetic on the same weights
API = f"document.querySelector('#explorable-{NAME}').explorable"


def page_path() -> str:
    return page_of(NAME)


@pytest.fixture(scope="module")
def bundle():
    return bundle_of(NAME)


@pytest.fixture(scope="module")
def keras_models(bundle):
    """build_lstm and build_rnn holding exactly the bundle's weights."""
    from mnist_lessons.models import build_lstm, build_rnn

    _, a = bundle
    lstm = build_lstm(units=a["lstm_V"].shape[1])
    lstm.get_layer("recurrent").set_weights(
        [a["lstm_kernel"], a["lstm_recurrent_kernel"], a["lstm_bias"]]
    )
    lstm.get_layer("probabilities").set_weights([a["lstm_V"].T, a["lstm_c"]])
    rnn = build_rnn(units=a["rnn_b"].shape[0])
    f32 = {k: v.astype(np.float32) for k, v in a.items() if k.startswith("rnn_")}
    rnn.get_layer("recurrent").set_weights([f32["rnn_W"].T, f32["rnn_U"].T, f32["rnn_b"]])
    rnn.get_layer("probabilities").set_weights([f32["rnn_V"].T, f32["rnn_c"]])
    return {"lstm": lstm, "rnn": rnn}


@pytest.fixture(scope="module")
def page(browser, site_url):
    with explorable_page(browser, site_url, NAME) as page:
        yield page


def js_rows(page, images) -> dict[str, np.ndarray]:
    """The page's answers after each row: {"lstm", "rnn"}, each (n, 28, 10)."""
    out = page.evaluate(
        f"""images => images.map(x => {{
            const p = {API}.api.forward(x);
            return [Array.from(p.lstm), Array.from(p.rnn)];
        }})""",
        np.asarray(images, dtype=float).reshape(len(images), -1).tolist(),
    )
    return {
        name: np.array([o[k] for o in out]).reshape(len(images), 28, 10)
        for k, name in enumerate(("lstm", "rnn"))
    }


def compare(page, keras_models, images):
    from mnist_lessons.models import outputs_after_each_step

    got = js_rows(page, images)
    x = np.asarray(images, np.float32)
    for name, model in keras_models.items():
        expected = outputs_after_each_step(model, x)
        np.testing.assert_allclose(got[name], expected, rtol=0, atol=TOLERANCE, err_msg=name)
    return got


def test_the_page_networks_answer_as_keras_on_the_exported_digits(page, bundle, keras_models):
    data, arrays = bundle
    got = compare(page, keras_models, scale(arrays["digits"]))
    # and as the chapter's own models, whose answers the build exported: the LSTM to 1e-4, the
    # SimpleRNN (sent in 16 bits) within the rounding the chapter measured
    np.testing.assert_allclose(got["lstm"], arrays["lstm_p"], rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(got["rnn"], arrays["rnn_p"], rtol=0, atol=data["rnn_rounding"])


def test_the_page_networks_answer_as_keras_on_other_test_digits(page, keras_models, real_mnist):
    (_, _), (x_test, _) = real_mnist
    compare(page, keras_models, scale(x_test[200:215]))


def test_a_drawn_digit_is_read_as_keras_reads_it(page, keras_models):
    page.evaluate(f"{API}.api.pad.sample(4)")
    image = np.array(page.evaluate(f"Array.from({API}.api.pad.last.image)")).reshape(28, 28)
    compare(page, keras_models, image[None])
    page.wait_for_function(
        f"document.querySelector('#explorable-{NAME} .explorable-status').textContent"
        ".includes('your drawing')"
    )


def test_stepping_the_rows_says_each_answer(page, bundle):
    _, arrays = bundle
    page.evaluate(f"{API}.set({{digit: 3, row: 28}})")
    status = page.locator(f"#explorable-{NAME} .explorable-status")
    for t in (27, 26):
        page.get_by_role("button", name="◀ Previous row").click()
        assert page.evaluate(f"{API}.state.row") == t
        best = int(np.argmax(arrays["lstm_p"][3, t - 1]))
        page.wait_for_function(
            f"document.querySelector('#explorable-{NAME} .explorable-status').textContent"
            f".includes('After row {t} of 28')"
        )
        assert f"the LSTM says {best} " in status.inner_text()
    page.get_by_role("button", name="Next row ▶").click()
    assert page.evaluate(f"{API}.state.row") == 27
    assert "rows 1 to t" in page.locator(f"#explorable-{NAME} .rows-rnn-note").inner_text()
    assert page.errors == []
