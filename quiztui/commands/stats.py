"""`quiztui stats [DECK]`: what is due, new, learned and retired, and each part's check scores.

For scripts as much as for people: one line per deck and per part, `key=value` fields separated
by spaces (ids never contain spaces), scores as whole percentages or `-` when there is none;
`--json` gives the same as JSON. The counts come from the same query as the app's home screen.
With FSRS as the scheduler, each deck line adds `scheduler=fsrs` and FSRS's mean predicted
recall of the deck's reviewed items today (`retrievability`).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from quiztui.deck.model import Deck
from quiztui.study import DeckProgress, StudyContext, deck_progress, open_context


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """DECK (a file or a deck id; default every deck found) and --json."""
    parser.add_argument(
        "deck",
        nargs="?",
        metavar="DECK",
        help="a deck file or the id of a bundled or own deck (default: every deck found)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text lines")
    parser.epilog = (
        "output lines:\n"
        "  deck ID due=N redrill=N new=N learned=N retired=N streak=N"
        " [scheduler=fsrs retrievability=P%]\n"
        "  part ID PART pre=P% post=P% learned=N total=N next=STEP\n"
        "where P is a whole percentage or '-' when the check was not taken."
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def _decks(args: argparse.Namespace) -> list[Deck]:
    """The deck named on the command line, or every deck that loads (broken ones reported)."""
    if args.deck:
        from quiztui.deck.library import resolve_deck_argument
        from quiztui.deck.loader import load_deck

        return [load_deck(resolve_deck_argument(args.deck))]
    from quiztui.deck.library import load_library

    decks: list[Deck] = []
    for entry in load_library():
        if entry.deck is not None:
            decks.append(entry.deck)
        else:
            first = entry.problems[0] if entry.problems else entry.path
            print(f"quiztui: skipped {entry.path}: {first}", file=sys.stderr)
    return decks


def _percent(score: float | None) -> str:
    return "-" if score is None else f"{round(score * 100)}%"


def progress_json(
    progress: DeckProgress, streak_days: int, scheduler: str = "sm2", recall: float | None = None
) -> dict[str, Any]:
    """One deck's stats as JSON-ready data (`recall`: FSRS's mean predicted recall, or None)."""
    counts = progress.counts
    return {
        "deck": progress.deck.id,
        "title": progress.deck.title,
        "due": counts.due,
        "redrill": counts.redrill,
        "new": counts.new,
        "learned": counts.learned,
        "retired": counts.retired,
        "streak": streak_days,
        "scheduler": scheduler,
        "retrievability": recall,
        "parts": [
            {
                "part": part.part.id,
                "title": part.part.title,
                "pre": part.pre_score,
                "post": part.post_score,
                "learned": part.learned,
                "total": part.total,
                "next": part.next_step,
            }
            for part in progress.parts
        ],
    }


def progress_lines(
    progress: DeckProgress, streak_days: int, scheduler: str = "sm2", recall: float | None = None
) -> list[str]:
    """One deck's stats as text lines."""
    counts = progress.counts
    deck_id = progress.deck.id
    fsrs = f" scheduler={scheduler} retrievability={_percent(recall)}" if scheduler != "sm2" else ""
    lines = [
        f"deck {deck_id} due={counts.due} redrill={counts.redrill} new={counts.new}"
        f" learned={counts.learned}"
        f" retired={counts.retired} streak={streak_days}{fsrs}"
    ]
    lines += [
        f"part {deck_id} {part.part.id} pre={_percent(part.pre_score)}"
        f" post={_percent(part.post_score)} learned={part.learned} total={part.total}"
        f" next={part.next_step}"
        for part in progress.parts
    ]
    return lines


def run(args: argparse.Namespace) -> int:
    """Print the stats; 1 with a message when the store or a deck cannot be read."""
    from quiztui.errors import QuiztuiError
    from quiztui.study import mean_retrievability, streak

    try:
        decks = _decks(args)
        ctx: StudyContext = open_context()
    except QuiztuiError as error:
        if type(error).__name__ == "DeckError":
            raise
        print(f"quiztui: {error}", file=sys.stderr)
        return 1
    try:
        streak_days = streak(ctx)
        progresses = [deck_progress(ctx, deck) for deck in decks]
        scheduler = ctx.scheduler.name
        recalls = [mean_retrievability(ctx, [deck]) for deck in decks]
    except QuiztuiError as error:
        print(f"quiztui: {error}", file=sys.stderr)
        return 1
    finally:
        ctx.store.close()
    if args.json:
        data = [
            progress_json(p, streak_days, scheduler, r)
            for p, r in zip(progresses, recalls, strict=True)
        ]
        print(json.dumps({"decks": data}, indent=2, ensure_ascii=False))
    else:
        for progress, recall in zip(progresses, recalls, strict=True):
            print("\n".join(progress_lines(progress, streak_days, scheduler, recall)))
    return 0
