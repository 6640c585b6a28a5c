"""The command line honours the scheduler setting; `quiztui fsrs-optimize` says what it needs."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from quiztui.cli import main
from quiztui.days import SystemClock
from quiztui.deck.loader import load_deck
from quiztui.scheduling import FsrsState
from quiztui.settings import config_path, load_settings
from quiztui.store import Store
from quiztui.study import StudyContext, open_key_points
from quiztui.study import optimize as optimize_module
from quiztui.study.optimize import MIN_REVIEWS

DECK = Path(__file__).parent / "data" / "valid-deck.yaml"


def choose(scheduler: str) -> None:
    """Write config.toml choosing `scheduler`."""
    config_path().write_text(f'[study]\nscheduler = "{scheduler}"\n')


def test_stats_under_fsrs_names_it_and_gives_predicted_recall(
    isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With scheduler = "fsrs", the states are FSRS's and stats adds its predicted recall."""
    deck = load_deck(DECK)
    part = deck.parts[0]
    with Store.open() as store:
        session = open_key_points(
            StudyContext(store, SystemClock(), load_settings()), deck, part.id
        )
        while not session.finished:
            session.grade(5, 1.0)
        assert store.scheduler.name == "sm2"
    choose("fsrs")
    assert main(["stats", str(DECK)]) == 0
    text = capsys.readouterr().out
    assert "(FSRS)" in text and "Predicted recall today" in text, text
    assert main(["stats", "--json", str(DECK)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scheduler"] == "FSRS" and data["retrievability"] == pytest.approx(1.0, abs=0.02)
    with Store.open() as store:
        states = store.live_states().values()
        assert states and all(isinstance(s.state, FsrsState) for s in states)
    choose("sm2")
    assert main(["stats", "--json", str(DECK)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scheduler"] == "SM-2" and data["retrievability"] is None


def fill_log(items: int, days: int) -> None:
    """`items` key points each answered once a day for `days` days."""
    start = date(2024, 1, 1)
    with Store.open() as store:
        for day in range(days):
            for item in range(items):
                store.record_review(
                    deck_id="d",
                    item_id=f"k{item}",
                    kind="key_point",
                    mode="review",
                    grade=4 if (day + item) % 5 else 1,
                    answer_key="",
                    learning_day=start + timedelta(days=day),
                    at=datetime(2024, 1, 1, 9, tzinfo=UTC) + timedelta(days=day),
                    seconds=6.0,
                )


def test_optimize_with_too_few_reviews_says_how_many_it_needs(
    isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """10 items over 3 days: 20 count (the first answer of each is no review to learn from)."""
    fill_log(10, 3)
    assert main(["fsrs-optimize"]) == 1
    out, err = capsys.readouterr()
    assert "20 of your 30 reviews count" in out and f"needs {MIN_REVIEWS}" in out
    assert f"{MIN_REVIEWS - 20} more such reviews are needed" in err
    assert "nothing was changed" in err
    with Store.open() as store:
        assert store.fsrs_parameters() is None


def test_optimize_without_the_extra_says_how_to_install_it(
    isolated_data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enough reviews, but no PyTorch: exit 1 with the install line; --check needs none."""
    fill_log(100, 7)
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now fails
    assert main(["fsrs-optimize"]) == 1
    out, err = capsys.readouterr()
    assert "600 of your 700 reviews count" in out
    assert "not installed (torch is missing)" in err and "quiztui[optimizer]" in err
    assert main(["fsrs-optimize", "--check"]) == 0


def test_optimize_keeps_the_fit_and_fsrs_replays_with_it(
    isolated_data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fitted parameters are kept and, with FSRS chosen, the states are replayed with them
    (the fit itself stands in for PyTorch here)."""
    from quiztui.scheduling.fsrs_scheduler import default_parameters

    fitted = list(default_parameters())
    fitted[2] = 5.0  # initial stability after Good
    fill_log(100, 7)
    choose("fsrs")
    seen: list[int] = []
    monkeypatch.setattr(optimize_module, "missing_optimizer_package", lambda: None)
    monkeypatch.setattr(
        optimize_module, "fit_parameters", lambda reviews: seen.append(len(reviews)) or fitted
    )
    assert main(["fsrs-optimize"]) == 0
    assert seen == [700]
    assert "FSRS now schedules with them" in capsys.readouterr().out
    with Store.open() as store:
        assert store.fsrs_parameters() == tuple(fitted)
        assert json.loads(store.scheduler.basis)["parameters"] == fitted
