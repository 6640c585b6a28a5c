"""`quiztui export DECK --format json|markdown [-o FILE]`: a deck for scripts, or a handout.

JSON is the normalized deck (ids, parts, questions, choices, correct flags, explanations, key
points, every default explicit) and loads back as a deck; Markdown is a printable handout with an
answer key, for instructors.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from quiztui.deck.export import deck_to_json, deck_to_markdown
from quiztui.deck.library import resolve_deck_argument
from quiztui.deck.loader import load_deck
from quiztui.errors import QuiztuiError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The deck, the format and the output file."""
    parser.add_argument(
        "deck", metavar="DECK", help="a deck file, or a deck's id (e.g. a bundled one)"
    )
    parser.add_argument(
        "-f",
        "--format",
        choices=("json", "markdown"),
        default="json",
        help="json: the normalized deck, for tools (default); markdown: a handout with answers",
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file, so a failure never leaves half a file."""
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise QuiztuiError(f"cannot write {path}: {error.strerror or error}") from None


def run(args: argparse.Namespace) -> int:
    """Load the deck (any problem is reported and nothing is written) and export it."""
    deck = load_deck(resolve_deck_argument(args.deck))
    text = deck_to_json(deck) if args.format == "json" else deck_to_markdown(deck)
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_atomically(args.output, text)
        print(f"wrote {args.output}", file=sys.stderr)
    return 0
