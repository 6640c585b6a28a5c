"""`quiztui exam DECK [--questions N] [--minutes M] [--part ID]... [--tag T]...`: a mock exam.

Opens the app straight on a timed (or untimed) exam of one deck, drawn across the parts and
tags given. The deck and the choices are checked before the app starts, so a part or tag the
deck lacks is one message naming the ones it has. An exam left half-way is offered to resume.
"""

from __future__ import annotations

import argparse
import random

MAX_MINUTES = 7 * 24 * 60
"""The longest time limit an exam takes: a week (NaN, infinity and absurd limits refused)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """DECK and the exam's size, time, parts and tags."""
    parser.add_argument("deck", metavar="DECK", help="a deck file, or a bundled or own deck's id")
    parser.add_argument(
        "--questions",
        "-n",
        type=_positive_int,
        metavar="N",
        help="how many questions (default: all, or 20 when there are more)",
    )
    parser.add_argument(
        "--minutes",
        "-m",
        type=_positive_float,
        metavar="M",
        help="the time allowed; at zero the exam ends, unanswered questions wrong (default: none)",
    )
    parser.add_argument(
        "--part",
        action="append",
        default=[],
        metavar="ID",
        help="draw from this part (repeat for several; default: every part)",
    )
    parser.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="T",
        help="draw questions with this tag (repeat for several; default: any)",
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    if not value <= MAX_MINUTES:
        raise argparse.ArgumentTypeError(f"at most {MAX_MINUTES} (a week)")
    return value


def run(args: argparse.Namespace) -> int:
    """Check the deck and the exam, then open the app on it (taking the data folder as the
    app does: another quiztui on it is asked about first)."""
    from quiztui.commands.open_app import run_app
    from quiztui.deck.library import resolve_deck_argument
    from quiztui.deck.loader import load_deck
    from quiztui.study.exam import ExamSpec, draw

    path = resolve_deck_argument(args.deck)
    deck = load_deck(path)
    spec = ExamSpec(args.questions, args.minutes, tuple(args.part), tuple(args.tag))
    draw(deck, spec, random.Random(0))  # ExamError now, not inside the app
    return run_app([path], exam=(deck, spec))
