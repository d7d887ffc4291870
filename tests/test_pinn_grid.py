"""Tests of mnist_lessons.pinn.fit_oscillator: the chapter's experiment for one setting."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lessons.pinn import fit_oscillator, oscillator_solution, train_pinn


def test_fit_oscillator_runs_the_chapters_experiment_for_one_setting():
    fits = fit_oscillator(
        delta=4.0, omega0=12.0, data_end=0.25, n_data=6, n_physics=20, steps=40, log_every=20
    )
    assert (fits.delta, fits.data_end) == (4.0, 0.25)
    np.testing.assert_allclose(fits.t_data[:, 0], np.linspace(0, 0.25, 6))
    np.testing.assert_allclose(
        fits.u_data, oscillator_solution(fits.t_data, delta=4.0, omega0=12.0)
    )
    assert fits.plain.physics_loss == [0.0, 0.0]  # the plain network sees no physics
    assert min(fits.pinn.physics_loss) > 0
    # the same seed and data as a direct call of train_pinn: the same network
    direct = train_pinn(
        fits.t_data,
        fits.u_data,
        np.linspace(0, 1, 20)[:, None],
        delta=4.0,
        omega0=12.0,
        physics_weight=1e-3,
        steps=40,
        log_every=20,
    )
    t = np.linspace(0, 1, 11, dtype=np.float32)[:, None]
    np.testing.assert_allclose(fits.pinn.model(t).numpy(), direct.model(t).numpy(), atol=1e-6)


@pytest.mark.parametrize("data_end", [0.0, -0.1, 1.5])
def test_fit_oscillator_wants_the_data_inside_the_interval(data_end):
    with pytest.raises(ValueError, match="data_end must lie in"):
        fit_oscillator(delta=1.5, omega0=12.0, data_end=data_end, steps=1)
