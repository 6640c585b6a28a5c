"""`quiztui stats [DECK]`: the counts and part scores, as text lines and as JSON."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from quiztui.cli import main
from quiztui.days import SystemClock
from quiztui.deck.loader import load_deck
from quiztui.settings import load_settings
from quiztui.store import Store
from quiztui.study import StudyContext, open_check, open_key_points

DECK = Path(__file__).parent / "data" / "valid-deck.yaml"


def test_stats_on_a_fresh_data_dir(capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing studied: zero counts and '-' scores for every part, one line each."""
    assert main(["stats", str(DECK)]) == 0
    lines = capsys.readouterr().out.splitlines()
    deck = load_deck(DECK)
    assert lines[0] == f"deck {deck.id} due=0 redrill=0 new=0 learned=0 retired=0 streak=0"
    assert len(lines) == 1 + len(deck.parts)
    assert lines[1].startswith(f"part {deck.id} {deck.parts[0].id} pre=- post=- learned=0 ")
    assert lines[1].endswith("next=pre")


def test_stats_after_studying_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    """After a pre-check and key points, the counts and scores match the store, in both forms."""
    deck = load_deck(DECK)
    part = deck.parts[0]
    store = Store.open()
    ctx = StudyContext(store, SystemClock(), load_settings())
    check = open_check(ctx, deck, part.id, "pre", seed=0)
    while not check.finished:
        check.answer(check.current.item.correct_choice_ids, 1.0)  # type: ignore[union-attr]
    check.finish()
    open_key_points(ctx, deck, part.id)
    store.close()
    assert main(["stats", str(DECK)]) == 0
    text = capsys.readouterr().out
    new = len(part.key_points)
    assert f"deck {deck.id} due=0 redrill=0 new={new} learned=0 retired=0 streak=1" in text
    assert f"part {deck.id} {part.id} pre=100% post=- learned=0" in text
    assert main(["stats", "--json", str(DECK)]) == 0
    data = json.loads(capsys.readouterr().out)["decks"][0]
    assert (data["deck"], data["new"], data["streak"]) == (deck.id, new, 1)
    assert data["parts"][0]["pre"] == 1.0 and data["parts"][0]["next"] == "key_points"


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
