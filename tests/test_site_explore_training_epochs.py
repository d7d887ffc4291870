"""The explorable of the chapter "Your first neural network", in Chromium.

What only this explorable knows:

- its first view is the epoch early stopping kept, as the chapter prints it, and the count of
  test digits read wrong there is the one the chapter finds with ``predict`` on the kept model
  (the watched answers of that epoch are the restored weights' answers);
- its epochs, curves and learning rates are the chapter's run: the number of epochs and the
  kept one it prints, the learning-rate schedule it prints (each epoch's rate to the 3 digits
  printed), the best validation accuracy of its prose;
- after epoch 1 it counts the wrong test digits the prose quotes; the slider moves by keyboard,
  Play steps forward, and each epoch's thumbnails are that epoch's mistakes.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from explorables import SITE, explorable_page, page_of

from mnist_lessons.explore import read_bundle

pytestmark = pytest.mark.site

NAME = "training-epochs"
SELECT = f"document.querySelector('#explorable-{NAME}')"


def page_path() -> str:
    return page_of(NAME)


@pytest.fixture(scope="module")
def bundle():
    return read_bundle(SITE / "_static" / "explore" / "data" / f"{NAME}.bin")


@pytest.fixture(scope="module")
def page(browser, site_url):
    with explorable_page(browser, site_url, NAME) as page:
        yield page


def prose(page, pattern: str) -> re.Match:
    match = re.search(pattern, page.locator("main").inner_text())
    assert match, f"the chapter no longer says {pattern!r}"
    return match


def status(page) -> str:
    page.wait_for_timeout(600)  # the live region speaks once the reader pauses
    return page.locator(f"#explorable-{NAME} .explorable-status").inner_text()


def test_the_first_view_is_the_kept_epoch_with_the_chapters_test_mistakes(page, bundle):
    data, _ = bundle
    epochs, kept = map(
        int, prose(page, r"trained for (\d+) epochs; kept the weights of epoch (\d+)").groups()
    )
    assert (data["epochs"], data["best_epoch"]) == (epochs, kept)
    assert page.evaluate(f"{SELECT}.explorable.state.epoch") == kept
    wrong = int(prose(page, r"accuracy [\d.]+: (\d+) of 10,000 digits wrong").group(1))
    assert page.evaluate(f"{SELECT}.explorable.api.wrongAt({kept})") == wrong
    said = status(page)
    assert f"Epoch {kept} of {epochs}" in said and f"{wrong} test digits wrong" in said
    best = prose(page, r"The best validation accuracy,\s+([\d.]+)\s*%").group(1)
    assert f"{100 * data['val_accuracy'][kept - 1]:.2f}" == best
    first = int(prose(page, r"After epoch 1 it misreads\s+(\d+)").group(1))
    assert data["wrong"][0] == first
    assert page.errors == []


def test_the_learning_rate_of_every_epoch_is_the_chapters_schedule(page, bundle):
    data, _ = bundle
    table = prose(page, r"epochs\s+learning rate\n((?:\s*\d+ to \d+\s+[\d.e+-]+\n?)+)").group(1)
    schedule = re.findall(r"(\d+) to (\d+)\s+([\d.e+-]+)", table)
    assert int(schedule[-1][1]) == data["epochs"]
    for first, last, rate in schedule:
        for epoch in (int(first), int(last)):
            np.testing.assert_allclose(data["learning_rate"][epoch - 1], float(rate), rtol=5e-3)
    epoch = int(schedule[1][0])  # the first epoch with a halved rate
    page.evaluate(f"e => {SELECT}.explorable.set('epoch', e)", epoch)
    rate = f"{data['learning_rate'][epoch - 1]:.2e}".replace("e-0", "e-")
    assert rate in status(page)
    drops = page.evaluate(f"{SELECT}.explorable.api.rateDrops({data['learning_rate']})")
    assert drops == [int(first) for first, _, _ in schedule[1:]]


def test_keyboard_play_and_the_mistakes_of_each_epoch(page, bundle):
    data, arrays = bundle
    page.evaluate(f"{SELECT}.explorable.set('epoch', 3)")
    slider = page.locator(f"#explorable-{NAME} input[type=range]")
    slider.focus()
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(f"{SELECT}.explorable.state.epoch") == 2
    page.get_by_role("button", name="Play").click()
    assert page.evaluate(f"{SELECT}.explorable.state.epoch") == 3
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Kept epoch").click()
    assert page.evaluate(f"{SELECT}.explorable.state.epoch") == data["best_epoch"]
    for epoch in (1, data["epochs"]):
        page.evaluate(f"e => {SELECT}.explorable.set('epoch', e)", epoch)
        thumbs = page.locator(f"#explorable-{NAME} .exd-thumb:not([hidden]) canvas")
        n = thumbs.count()
        slots = arrays["slot"][epoch - 1]
        assert n == (slots >= 0).sum() == min(arrays["slot"].shape[1], data["wrong"][epoch - 1])
        for k in range(n):
            label = thumbs.nth(k).get_attribute("aria-label")
            row = slots[k]
            truth, pred = arrays["label"][row], arrays["pred"][epoch - 1, k]
            assert truth != pred  # a mistake
            assert f"test digit {arrays['index'][row]}, a {truth} read as {pred}" in label
    assert page.errors == []
