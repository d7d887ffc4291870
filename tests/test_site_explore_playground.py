"""The training playground on the built site, in Chromium: its digits wait for Train, its first
run with the default settings lands where the build's Python run did, a learning rate that
diverges stops with a sentence, and a drawn digit is read by the reader's network."""

from __future__ import annotations

import pytest
from test_site_explorables import PLACED, SITE, open_explorable

pytestmark = pytest.mark.site

PAGE = next((page for page, name in PLACED if name == "playground"), "book/playground.html")
TRAINING = 600_000  # ms: five epochs on a busy two-core machine


def api(root, expression):
    return root.evaluate(f"el => el.explorable.api.{expression}")


def status(root) -> str:
    return root.locator(".playground-progress").inner_text()


def train(page, root, *, until="done"):
    root.locator("button", has_text="Train").click()
    page.wait_for_function(
        f"""() => {{ const s = document.querySelector('#explorable-playground')
                       .explorable.api.latest();
                    return s && s.{until}; }}""",
        timeout=TRAINING,
    )


@pytest.fixture
def opened(browser, site_url):
    made = []

    def opener(query=""):
        context, page, root, log = open_explorable(
            browser, site_url, PAGE, "playground", query=query
        )
        made.append(context)
        return page, root, log

    yield opener
    for context in made:
        context.close()


def test_the_first_run_with_the_defaults_matches_the_builds_run(opened):
    page, root, log = opened()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.wait_for_timeout(500)
    assert not [u for u in requests if "playground-digits" in u], "digits fetched before Train"
    defaults = api(root, "defaults")
    assert root.evaluate("el => el.explorable.state") == defaults, "page and Python defaults"
    train(page, root)
    assert [u for u in requests if "playground-digits" in u]
    history = api(root, "latest().history")
    reference = api(root, "reference")
    page_accuracy = 100 * history["test_accuracy"][-1]
    python_accuracy = 100 * reference["test_accuracy"][-1]
    assert abs(page_accuracy - python_accuracy) <= 0.5, (page_accuracy, python_accuracy)
    prose = page.locator("main").inner_text()
    assert f"{python_accuracy / 100:.1%} of the test digits" in prose, "the glued reference"
    assert f"test accuracy {page_accuracy:.1f} %" in status(root)
    assert not log["errors"], log["errors"]


def test_a_learning_rate_that_diverges_stops_with_a_sentence(opened):
    page, root, log = opened(
        "?playground.activation=leaky_relu&playground.hidden_layers=2"
        "&playground.optimizer=sgd&playground.learning_rate=3&playground.n_train=500"
    )
    train(page, root, until="diverged")
    assert "Training diverged (loss is not a number)" in status(root)
    assert root.locator("button", has_text="Train").count() == 1, "Pause went back to Train"
    assert not log["errors"], log["errors"]


def test_a_drawn_digit_is_read_by_the_readers_network(opened):
    page, root, log = opened("?playground.epochs=1&playground.n_train=1000")
    answer = root.locator(".playground-answer")
    root.locator("button", has_text="3").first.click()
    page.wait_for_timeout(800)
    assert "Train your network first" in answer.inner_text()
    train(page, root)
    root.locator("button", has_text="7").first.click()
    page.wait_for_function(
        "() => document.querySelector('.playground-answer').textContent.includes('reads a')",
        timeout=30_000,
    )
    text = answer.inner_text()
    assert "Your network reads a" in text
    book_file = SITE / "_static" / "widget" / "mnist-mlp.bin"
    if book_file.is_file():
        assert "The book's trained MLP reads a" in text
        assert not log["errors"], log["errors"]
        # The page's forward pass of the book's MLP is Keras' on the same float16 weights.
        import numpy as np

        from mnist_lessons.data import load_mnist
        from mnist_lessons.widget import keras_model

        _, (x_test, _) = load_mnist()
        x = (x_test[:3].reshape(3, 784) / 255).astype(np.float32)
        keras = keras_model(book_file).predict(x, verbose=0)
        for row, expected in zip(x, keras, strict=True):
            mine = root.evaluate("(el, x) => el.explorable.api.bookProbabilities(x)", row.tolist())
            np.testing.assert_allclose(mine, expected, atol=1e-4)
    else:  # a one-chapter build: the page asks once for the book's MLP, and says it is missing
        assert "not in this build" in text
        assert len(log["errors"]) == 1 and "404" in log["errors"][0], log["errors"]
