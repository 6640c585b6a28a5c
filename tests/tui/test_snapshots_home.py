"""How the home and deck screens look at 80x24 (pytest-textual-snapshot)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quiztui.deck.model import Deck
from quiztui.study import StudyContext, open_key_points
from quiztui.tui.screens.deck import DeckScreen
from tests.tui.conftest import AppFactory, settle

BROKEN_DECK = "id: broken\ntitle: Broken\nversion: '1'\nparts:\n  - id: p\n    title: P\n"


def test_home_screen(
    snap_compare: Any,
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
) -> None:
    """A good deck with counts beside a broken one, the broken one's problem shown."""
    (study_deck_path.parent / "zz-broken.yaml").write_text(BROKEN_DECK, encoding="utf-8")
    open_key_points(ctx, study_deck, "light")
    app = make_app(ctx, [study_deck_path.parent])

    async def loaded(pilot: Any) -> None:
        await settle(app, pilot)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=loaded)


def test_deck_screen(
    snap_compare: Any,
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
) -> None:
    """The parts and their steps, the next one marked."""
    app = make_app(ctx, [study_deck_path])

    async def opened(pilot: Any) -> None:
        await settle(app, pilot)
        await app.push_screen(DeckScreen(study_deck))
        await settle(app, pilot)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=opened)
