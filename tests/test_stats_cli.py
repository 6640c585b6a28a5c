"""`quiztui stats [DECK]`: the statistics as Rich tables and as JSON, from the core's figures."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import quiztui.study.context
from quiztui.cli import main
from quiztui.days import FixedClock
from quiztui.deck.loader import load_deck
from quiztui.settings import load_settings
from quiztui.store import Store
from quiztui.study import StudyContext, open_check, open_key_points
from tests.test_statistics import day, known_log

DECK = Path(__file__).parent / "data" / "valid-deck.yaml"
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[FixedClock]:
    """`quiztui stats` stands at NOW: its context's clock is a fixed one."""
    clock = FixedClock(NOW)
    monkeypatch.setattr(quiztui.study.context, "SystemClock", lambda: clock)
    yield clock


def test_stats_on_a_fresh_data_dir(capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing studied: the tables say so, with zero counts and '-' scores."""
    assert main(["stats", str(DECK)]) == 0
    out = capsys.readouterr().out
    deck = load_deck(DECK)
    assert "Nothing answered yet" in out and deck.title in out
    for title in ("Today", "True retention", "Forecast", "Before and after reading", "Hardest"):
        assert title in out
    assert main(["stats", "--json", str(DECK)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total_reviews"] == 0 and data["reviews_by_day"] == {}
    assert data["streak"] == {
        "current": 0,
        "longest": 0,
        "days_studied": 0,
        "days_in_range": 1,
        "share_studied": 0.0,
    }
    assert data["true_retention"]["young"] == {"reviews": 0, "right": 0, "rate": None}
    assert len(data["forecast"]) == 30 and set(data["forecast"].values()) == {0}
    assert [p["first_pre"] for p in data["parts"]] == [None] * len(data["parts"])


def test_stats_after_a_pre_check_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    """After a pre-check all right and the key points opened: today's figures in both forms."""
    deck = load_deck(DECK)
    part = deck.parts[0]
    store = Store.open()
    ctx = StudyContext(store, FixedClock(NOW), load_settings())
    check = open_check(ctx, deck, part.id, "pre", seed=0)
    while not check.finished:
        check.answer(check.current.item.correct_choice_ids, 1.0)  # type: ignore[union-attr]
    check.finish()
    open_key_points(ctx, deck, part.id)
    asked = len(part.check_questions("pre"))
    store.close()
    assert main(["stats", str(DECK)]) == 0
    text = capsys.readouterr().out
    assert f"Answered today: {asked} in {asked} s." in text
    assert "Streak: 1 day (longest 1)" in text
    assert main(["stats", "--json", "--range", "1m", str(DECK)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["range"] == {"name": "1m", "start": "2026-02-09", "end": "2026-03-10"}
    assert data["reviews_by_day"] == {
        "2026-03-10": {"count": asked, "seconds": float(asked), "by_category": {"learning": asked}}
    }
    assert data["streak"]["current"] == 1 and data["streak"]["longest"] == 1
    first = data["parts"][0]
    assert (first["part"], first["first_pre"], first["latest_post"], first["gain"]) == (
        part.id,
        1.0,
        None,
        None,
    )
    assert data["decks"][0]["new"] == len(part.key_points)


def test_stats_json_of_the_known_log(
    capsys: pytest.CaptureFixture[str], fixed_clock: FixedClock, tmp_path: Path
) -> None:
    """The hand-counted log of tests/test_statistics.py, through the command."""
    from tests.tui.conftest import STUDY_DECK_YAML

    path = tmp_path / "study-deck.yaml"
    path.write_text(STUDY_DECK_YAML, encoding="utf-8")
    deck = load_deck(path)
    store = Store.open()
    known_log(store, deck)
    store.close()
    fixed_clock.set(datetime.combine(day(61), datetime.min.time(), tzinfo=UTC).replace(hour=12))
    assert main(["stats", "--json", "--range", "all", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    retention = data["true_retention"]
    assert retention["young"] == {"reviews": 5, "right": 4, "rate": 0.8}
    assert retention["mature"] == {"reviews": 1, "right": 0, "rate": 0.0}
    assert retention["by_kind"]["question"] == {"reviews": 1, "right": 0, "rate": 0.0}
    assert data["streak"]["current"] == 2 and data["streak"]["longest"] == 3
    assert sum(d["count"] for d in data["reviews_by_day"].values()) == 12
    assert data["reviews_by_day"][day(61).isoformat()]["seconds"] == 30
    assert data["backlog"] == 1 and data["forecast"][day(61).isoformat()] == 1
    assert [h["item"] for h in data["hardest"]] == ["kp-chlorophyll", "q-colour"]
    assert main(["stats", "--range", "all", str(path)]) == 0
    text = capsys.readouterr().out
    assert "young (interval < 21 d)" in text and "80%" in text


def test_stats_with_a_store_from_the_future_exits_1(
    isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database from a newer quiztui: exit 1, one message naming it, no traceback."""
    path = isolated_data_dir / "progress.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    assert main(["stats", str(DECK)]) == 1
    err = capsys.readouterr().err
    assert str(path) in err and "newer quiztui" in err and "Traceback" not in err


def test_stats_unknown_deck_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    """A DECK that is neither a file nor a known id is reported."""
    assert main(["stats", "no-such-deck"]) == 1
    assert "no-such-deck" in capsys.readouterr().err
