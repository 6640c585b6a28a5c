"""Open the Textual app: build the study context (store, clock, settings) and run it.

Textual is imported here and nowhere else on the command line's path, so the other commands
never pay for it. A store or settings problem is reported before the app starts.
"""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Run the app on the bundled decks, the learner's decks and the DECK paths given."""
    from quiztui.study import open_context

    ctx = open_context()
    try:
        from quiztui.tui.app import QuiztuiApp

        app = QuiztuiApp(ctx, deck_paths=list(args.paths))
        app.run()
    finally:
        ctx.store.close()
    return int(app.return_code or 0)
