"""Errors a learner can meet in the app (a locked or damaged database) end as one clear message."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

import pytest
from textual.widgets import Static
from textual.worker import WorkerFailed

from quiztui.deck.model import Deck
from quiztui.store import StoreError
from quiztui.study import StudyContext
from quiztui.tui.screens.check import CheckScreen
from quiztui.tui.screens.home import HomeScreen
from tests.tui.conftest import AppFactory, settle

LOCKED = "progress.sqlite3: is locked by another program; nothing was lost."


def _raise_locked(*args: object, **kwargs: object) -> None:
    raise StoreError(LOCKED)


async def test_a_failed_load_is_shown_not_left_waiting(
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ctx.store, "deck_states", _raise_locked)
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        with suppress(WorkerFailed):  # raised here or not, depending on timing
            await settle(app, pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        status = ""
        for _ in range(100):  # the failure message is handled on the next turns of the loop
            await pilot.pause()
            status = str(home.query_one("#home-status", Static).render())
            if "Could not load" in status:
                break
        assert not home.loaded
        assert "Could not load" in status and "is locked" in status
        assert any("is locked" in str(n.message) for n in app._notifications)


async def test_a_store_error_while_answering_ends_with_the_message_alone(
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = make_app(ctx, [study_deck_path])
    with pytest.raises(StoreError, match="is locked"):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await app.push_screen(CheckScreen(study_deck, "light", "post"))
            await pilot.pause()
            monkeypatch.setattr(ctx.store, "record_review", _raise_locked)
            await pilot.press("1")
            await pilot.pause()
    assert app.return_code == 1
    # What is printed on exit is the message, not a traceback.
    printed = capsys.readouterr().err
    assert printed.startswith("quiztui: " + LOCKED[:20])
    assert "Traceback" not in printed
    assert ctx.store.reviews(study_deck.id) == []
