"""The explorable of the chapter "Evaluating a classifier", in Chromium.

What only this explorable knows:

- the counts its matrix shows are the chapter's confusion matrix: the bundle's, and the numbers
  the chapter prints from it (the trace over the total, TP, FP and FN of its digit, the most
  frequent mistake, on which the figure opens);
- the share answered and the accuracy it shows at a threshold equal a recomputation in Python
  (``mnist_lessons.evaluation.coverage_accuracy``) from the same probabilities, exactly (they
  are counts), at the first view as the prose quotes it and wherever the slider goes;
- a cell picked with the mouse, or with the arrow keys and Enter, shows its test digits.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from explorables import SITE, explorable_page, page_of

from mnist_lessons.evaluation import coverage_accuracy
from mnist_lessons.explore import read_bundle

pytestmark = pytest.mark.site

NAME = "confusion-explorer"
SELECT = f"document.querySelector('#explorable-{NAME}')"


def page_path() -> str:
    return page_of(NAME)


@pytest.fixture(scope="module")
def bundle():
    data, arrays = read_bundle(SITE / "_static" / "explore" / "data" / f"{NAME}.bin")
    correct = np.unpackbits(arrays["correct_bits"])[: data["n"]].astype(bool)
    return data, arrays, correct


@pytest.fixture(scope="module")
def page(browser, site_url):
    with explorable_page(browser, site_url, NAME) as page:
        yield page


def shown_matrix(page) -> np.ndarray:
    texts = page.locator(f"#explorable-{NAME} table button").all_inner_texts()
    assert len(texts) == 100
    return np.array([int(t) for t in texts]).reshape(10, 10)


def prose(page, pattern: str) -> re.Match:
    match = re.search(pattern, page.locator("main").inner_text())
    assert match, f"the chapter no longer says {pattern!r}"
    return match


def test_the_counts_shown_are_the_chapters_confusion_matrix(page, bundle):
    data, _, correct = bundle
    C = shown_matrix(page)
    np.testing.assert_array_equal(C, data["C"])
    trace, total = prose(page, r"trace / total = (\d+) / (\d+)").groups()
    assert (np.trace(C), C.sum()) == (int(trace), int(total))
    assert correct.sum() == np.trace(C)  # the threshold's data agree with the matrix
    k, tp, fp, fn = map(int, prose(page, r"digit (\d): TP (\d+), FP (\d+), FN (\d+)").groups())
    assert (C[k, k], C[:, k].sum() - C[k, k], C[k].sum() - C[k, k]) == (tp, fp, fn)
    true, pred, times = prose(
        page, r"most frequent single mistake is an? (\d) taken for\s+an? (\d) \((\d+) times\)"
    ).groups()
    assert C[int(true), int(pred)] == int(times)
    # the figure opens on that cell
    state = page.evaluate(f"{SELECT}.explorable.api.chosen()")
    assert state == [int(true), int(pred)]
    assert page.errors == []


def test_coverage_and_accuracy_equal_a_recomputation_from_the_same_probabilities(page, bundle):
    _, arrays, correct = bundle
    confidence = arrays["confidence"]
    first = page.evaluate(f"{SELECT}.explorable.api.current()")
    coverage, accuracy = coverage_accuracy(confidence, correct, [first["tau"]])
    assert first["answered"] == round(coverage[0] * len(correct))
    assert first["right"] / first["answered"] == pytest.approx(accuracy[0], rel=1e-12)
    # the prose quotes the first view
    quoted_coverage, quoted_accuracy = prose(
        page, r"it answers ([\d.]+)\s*% of the\s+test digits and is right on ([\d.]+)\s*%"
    ).groups()
    assert first["tau"] == 0.99
    assert f"{100 * coverage[0]:.1f}" == quoted_coverage
    assert f"{100 * accuracy[0]:.2f}" == quoted_accuracy
    for tau in [0.0, 0.5, 0.9, 0.97, 0.999, 0.99999, 0.999999]:
        page.evaluate(f"t => {SELECT}.explorable.set('tau', t)", tau)
        now = page.evaluate(f"{SELECT}.explorable.api.current()")
        coverage, accuracy = coverage_accuracy(confidence, correct, [now["tau"]])
        assert now["answered"] == round(coverage[0] * len(correct)), tau
        assert now["right"] == round(accuracy[0] * now["answered"]), tau
        assert now["refusedWrong"] == (~correct[confidence < now["tau"]]).sum()
    # the status says the numbers of the last setting
    page.wait_for_function(
        f"{SELECT}.querySelector('.explorable-status').textContent.includes('{now['answered']:,}')"
    )
    # the slider, from the keyboard: one step to the right raises the threshold
    slider = page.locator(f"#explorable-{NAME} input[type=range]")
    page.evaluate(f"{SELECT}.explorable.set('tau', 0.99)")
    slider.focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate(f"{SELECT}.explorable.state.tau") > 0.99


def test_a_cell_picked_with_the_mouse_or_the_keyboard_shows_its_digits(page, bundle):
    data, arrays, _ = bundle
    C = np.array(data["C"])
    page.evaluate(f"{SELECT}.explorable.set('tau', 0)")  # nothing refused
    thumbs = page.locator(f"#explorable-{NAME} .exd-thumb:not([hidden])")
    off = C.copy()
    np.fill_diagonal(off, 0)
    i, j = np.unravel_index(np.argsort(off, axis=None)[-2], C.shape)  # a second mistake cell
    page.locator(f"#explorable-{NAME} table button[data-cell='{i},{j}']").click()
    assert page.evaluate(f"{SELECT}.explorable.state.cell") == [i, j]
    assert thumbs.count() == min(C[i, j], data["per_mistake_cell"])
    labels = [thumbs.nth(k).locator("canvas").get_attribute("aria-label") for k in range(2)]
    rows = page.evaluate(f"{SELECT}.explorable.api.cellDigits({i}, {j})")
    for label, row in zip(labels, rows, strict=False):
        assert f"test digit {arrays['index'][row]}, labelled {i}, read as {j}" in label
        assert f"{100 * arrays['p_pred'][row]:.1f}" in label
    # keyboard: from the picked cell, move left until the diagonal and press Enter
    page.locator(f"#explorable-{NAME} table button[data-cell='{i},{j}']").focus()
    for _ in range(abs(j - i)):
        page.keyboard.press("ArrowLeft" if j > i else "ArrowRight")
    page.keyboard.press("Enter")
    assert page.evaluate(f"{SELECT}.explorable.state.cell") == [i, i]
    assert thumbs.count() == min(C[i, i], data["per_right_cell"])
    assert page.errors == []
