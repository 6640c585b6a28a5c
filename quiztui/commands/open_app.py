"""Open the Textual app: build the study context (store, clock, settings) and run it.

Textual is imported here and nowhere else on the command line's path, so the other commands
never pay for it. A store or settings problem is reported before the app starts, and so is
another quiztui that has the data folder open (`second_instance`): the learner chooses to
open read-only, to wait, or to quit.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiztui.deck.model import Deck
    from quiztui.study.exam import ExamSpec


def run(args: argparse.Namespace) -> int:
    """Run the app on the bundled decks, the learner's decks and the DECK paths given."""
    return run_app(list(args.paths))


def run_app(deck_paths: list[Path], exam: tuple[Deck, ExamSpec] | None = None) -> int:
    """Take the data folder (or ask, when another quiztui has it), open the store and run the
    app on `deck_paths`, straight on `exam` when one is given; the app's exit code."""
    from quiztui.commands.second_instance import open_data_folder
    from quiztui.store import Store
    from quiztui.study import open_context

    opening = open_data_folder(read_only=exam is None)
    if opening is None:
        return 1
    try:
        store = Store.open(read_only=opening.read_only)
        try:
            ctx = open_context(store=store)
        except BaseException:
            store.close()
            raise
        try:
            from quiztui.tui.app import QuiztuiApp

            app = QuiztuiApp(ctx, deck_paths=deck_paths, exam=exam)
            app.run()
        finally:
            ctx.store.close()
    finally:
        opening.lock.release()
    return int(app.return_code or 0)
