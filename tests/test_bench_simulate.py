"""The simulated-learner benchmark: its learners follow quiztui's own sessions exactly, and a tiny
run prints every row (the year-long run stays out of CI)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench.memory import Learner
from bench.simulate import SCHEDULERS, main, simulate, simulate_with_quiztui
from quiztui.scheduling import make_scheduler


@pytest.mark.parametrize("scheduler", ["sm2", "fsrs"])
def test_the_simulation_asks_what_quiztui_s_sessions_ask(scheduler: str, tmp_path: Path) -> None:
    """Twenty days of a learner with a time budget: the same answers, in the same order and
    modes, whether driven through the real store and review sessions or the fast loop."""
    learner = Learner.draw(random.Random(3), 30)
    fast = simulate(
        learner.fresh(), make_scheduler(scheduler), scheduler, days=20, budget_minutes=8, rng_seed=5
    )
    real = simulate_with_quiztui(
        learner.fresh(), scheduler, days=20, budget_minutes=8, rng_seed=5, folder=str(tmp_path)
    )
    assert len(real) > 100
    assert [(a.day, f"i{a.item:04d}", a.mode, a.grade) for a in fast.answers] == real


def test_the_true_memory_shows_forgetting_and_the_spacing_effect() -> None:
    """Recall fades with time, and a review after a gap leaves a longer-lasting memory than one
    massed into the same hour."""
    learner = Learner(ability=0.0, difficulties=[0.0, 0.0], is_question=[False, False])
    learner.traces = [[], []]
    learner.day_form = dict.fromkeys(range(100), 0.0)
    for item in (0, 1):
        learner.study(item, 0.0)
    assert learner.recall_probability(0, 1.0) > learner.recall_probability(0, 7.0) > 0.2
    learner.study(0, 0.01)  # massed
    learner.study(1, 3.0)  # spaced
    assert learner.recall_probability(1, 30.0) > learner.recall_probability(0, 30.0)


def test_a_tiny_run_prints_every_row(capsys: pytest.CaptureFixture[str]) -> None:
    """Two learners, 30 items, 20 days, a 2,000-review replay: every table row comes out."""
    argv = ["--learners", "2", "--items", "30", "--days", "40", "--replay-reviews", "2000"]
    assert main([*argv, "--workers", "1"]) == 0
    out = capsys.readouterr().out
    for label in SCHEDULERS:
        assert f"| {label} |" in out
    assert "| FSRS-6, its own R" in out and "| SM-2, R = 0.9^(t/I)" in out
    assert "SM-2:" in out and "FSRS:" in out
