"""Shared fixtures for the TUI tests: a fixed clock, a temporary store, small decks, the app.

Every app test stands at the same instant (2026-03-10 10:00 UTC) with a fresh store in
`tmp_path`, so what a screen shows and what the store records are the same on every run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot

from quiztui.days import FixedClock
from quiztui.deck.loader import load_deck
from quiztui.deck.model import Deck
from quiztui.settings import Settings
from quiztui.store import Store
from quiztui.study import StudyContext
from quiztui.tui.app import QuiztuiApp

DATA_DIR = Path(__file__).parent.parent / "data"
VALID_DECK_PATH = DATA_DIR / "valid-deck.yaml"
"""The small deck the loader tests use: two parts, single- and multiple-answer questions."""

START = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
"""The instant every TUI test stands at."""

STUDY_DECK_YAML = """\
format: 1
id: study-deck
title: "Light and Plants"
version: "1"
parts:
  - id: light
    title: "Part 1: Light"
    description: How plants catch light.
    key_points:
      - id: kp-chlorophyll
        front: What colour does chlorophyll absorb least?
        back: Green, which is why leaves look **green**.
    questions:
      - id: q-colour
        prompt: Which colour of light does chlorophyll absorb **least**?
        section: "1.1"
        explanation: Leaves reflect the light they do not absorb.
        choices:
          - {id: green, text: Green, correct: true, explanation: "It is reflected, so we see it."}
          - {id: red, text: Red, explanation: Red is absorbed strongly.}
          - {id: blue, text: Blue, explanation: Blue is absorbed most of all.}
      - id: q-where
        prompt: Where in the cell does photosynthesis take place?
        section: "1.2"
        choices:
          - {id: chloroplast, text: In the chloroplasts, correct: true,
             explanation: Chloroplasts hold the chlorophyll.}
          - {id: nucleus, text: In the nucleus, explanation: The nucleus holds the DNA.}
          - {id: mito, text: In the mitochondria, explanation: They release energy instead.}
          - {id: wall, text: In the cell wall, explanation: The wall only gives shape.}
      - id: q-inputs
        prompt: |
          Which of these does a plant **take in** for photosynthesis?

          Pick every one that applies.
        section: "1.3"
        multiple: true
        explanation: "Carbon dioxide and water in; sugar and oxygen out."
        choices:
          - {id: co2, text: Carbon dioxide, correct: true, explanation: Taken from the air.}
          - {id: water, text: Water, correct: true, explanation: Drawn up from the roots.}
          - {id: oxygen, text: Oxygen, explanation: "Oxygen is given off, not taken in."}
          - {id: sugar, text: Sugar, explanation: Sugar is what the plant makes.}
      - id: q-gas
        prompt: Which gas do plants give off in daylight?
        section: "1.3"
        choices:
          - {id: o2, text: Oxygen, correct: true, explanation: Split from water.}
          - {id: co2, text: Carbon dioxide, explanation: That is taken in during the day.}
          - {id: n2, text: Nitrogen, explanation: Nitrogen plays no part here.}
      - id: q-energy
        prompt: What form of energy does photosynthesis store?
        section: "1.4"
        choices:
          - {id: chemical, text: Chemical energy in sugar, correct: true,
             explanation: Light energy ends up in the bonds of glucose.}
          - {id: heat, text: Heat, explanation: "Heat is lost, not stored."}
          - {id: sound, text: Sound, explanation: Plants make no use of sound.}
  - id: roots
    title: "Part 2: Roots"
    key_points:
      - id: kp-roots
        front: What do roots take up?
        back: Water and minerals.
"""
"""A deck whose first part has five questions in both checks (one multiple-answer), and whose
second part has no questions at all."""


@pytest.fixture
def clock() -> FixedClock:
    """A clock standing at `START`."""
    return FixedClock(START)


@pytest.fixture
def ctx(tmp_path: Path, clock: FixedClock) -> Iterator[StudyContext]:
    """A study context on a fresh store in `tmp_path`, with the fixed clock."""
    store = Store.open(tmp_path / "progress.sqlite3", backups_dir=tmp_path / "backups")
    yield StudyContext(store, clock, Settings())
    store.close()


@pytest.fixture
def valid_deck() -> Deck:
    """`tests/data/valid-deck.yaml`, loaded."""
    return load_deck(VALID_DECK_PATH)


@pytest.fixture
def study_deck_path(tmp_path: Path) -> Path:
    """`STUDY_DECK_YAML` written to a file in `tmp_path`."""
    path = tmp_path / "decks" / "study-deck.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STUDY_DECK_YAML, encoding="utf-8")
    return path


@pytest.fixture
def study_deck(study_deck_path: Path) -> Deck:
    """`STUDY_DECK_YAML`, loaded."""
    return load_deck(study_deck_path)


AppFactory = Callable[..., QuiztuiApp]


def _make_app(
    ctx: StudyContext,
    deck_paths: Sequence[Path] = (),
    *,
    include_library: bool = False,
    seed: int | None = 1,
) -> QuiztuiApp:
    """The app on `ctx`, opening only `deck_paths`, with fixed shuffles."""
    return QuiztuiApp(ctx, deck_paths, include_library=include_library, seed=seed)


@pytest.fixture
def make_app() -> AppFactory:
    """A factory: `make_app(ctx, deck_paths=[...], include_library=False, seed=1)`."""
    return _make_app


def _screen_text(app: App[object]) -> str:
    """What the terminal shows now, as plain text (one line per row, trailing blanks cut)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip).rstrip() for strip in strips)


@pytest.fixture
def screen_text() -> Callable[[App[object]], str]:
    """A function: `screen_text(app)` is the screen as plain text, to assert on what shows."""
    return _screen_text


async def settle(app: QuiztuiApp, pilot: Pilot[None]) -> None:
    """Wait until the decks are loaded and every background job's result is on screen.

    The app loads the decks in a worker, then the screen that shows them counts them in
    another; each posts its result as a message, handled on a later turn of the loop.
    """
    for _ in range(200):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.entries is not None and all(worker.is_finished for worker in app.workers):
            await pilot.pause()
            return
    raise AssertionError("the app never settled")
