"""The scramble of the scrambled-pixels explorable (book/network_types), in Node, against NumPy.

The page applies the chapter's permutation pi as swaps of two pixels, so that every step is a
permutation of the digit. ``tests/js/scrambled-pixels.test.mjs`` checks, for permutations of
784 pixels (random ones, the identity, one swap, one long cycle) and of 10 entries, that all
the swaps give NumPy's ``x[pi]`` exactly, that there are ``n`` less the number of pi's cycles
(counted here by following each cycle), and that every partial scramble is a permutation.
"""

from __future__ import annotations

import numpy as np
from jsrun import run_node, write_fixture


def n_cycles(pi) -> int:
    seen, count = np.zeros(len(pi), dtype=bool), 0
    for start in range(len(pi)):
        count += not seen[start]
        j = start
        while not seen[j]:
            seen[j], j = True, pi[j]
    return count


def test_the_scramble_in_javascript_applies_pi_as_swaps(tmp_path):
    rng = np.random.default_rng(12)
    perms = [rng.permutation(784) for _ in range(3)]
    one_swap = np.arange(784)
    one_swap[[5, 600]] = one_swap[[600, 5]]
    perms += [np.arange(784), one_swap, np.roll(np.arange(784), 1), rng.permutation(10)]
    cases = []
    for pi in perms:
        x = rng.random(len(pi))
        cases.append({"pi": pi, "x": x, "x_pi": x[pi], "n_swaps": len(pi) - n_cycles(pi)})
    assert [c["n_swaps"] for c in cases[3:6]] == [0, 1, 783]
    write_fixture(tmp_path, "scrambled_pixels", cases)
    run_node("tests/js/scrambled-pixels.test.mjs", tmp_path)
