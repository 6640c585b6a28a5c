"""`quiztui export DECK --format json|markdown|gift|apkg|qti [-o FILE]`: a deck for other tools.

JSON is the normalized deck (every default explicit; it loads back as a deck). Markdown is a sheet
for students, or with `--answers` the instructor's handout with the answer key. GIFT goes to Moodle,
QTI 1.2 to Canvas (both carry the questions), and an Anki package (`apkg`, needs the `anki` extra)
carries key points and questions as notes that a later export updates in place. What a format
cannot hold is said on standard error.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from quiztui.deck.library import resolve_deck_argument
from quiztui.deck.loader import load_deck
from quiztui.errors import QuiztuiError

FORMATS = ("json", "markdown", "gift", "apkg", "qti")
BINARY_FORMATS = ("apkg", "qti")
"""Formats that are files of bytes (zip packages), written only with -o."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The deck, the format, --answers and the output file."""
    parser.add_argument(
        "deck", metavar="DECK", help="a deck file, or a deck's id (e.g. a bundled one)"
    )
    parser.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default="json",
        help="json: the normalized deck (default); markdown: a student sheet (--answers: the"
        " answer key); gift: Moodle; apkg: Anki (pip install 'quiztui[anki]'); qti: Canvas",
    )
    parser.add_argument(
        "--answers",
        action="store_true",
        help="markdown: the instructor's handout, with key-point backs and the answer key",
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )


def _mode_for(path: Path) -> int:
    """The mode a written file gets: the old file's, else the umask's (not mkstemp's 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write to `path` through a temporary file, so a failure never leaves half a file."""
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
        try:
            if isinstance(content, bytes):
                with os.fdopen(handle, "wb") as stream:
                    stream.write(content)
            else:
                with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                    stream.write(content)
            os.chmod(temporary, _mode_for(path))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise QuiztuiError(f"cannot write {path}: {error.strerror or error}") from None


def run(args: argparse.Namespace) -> int:
    """Load the deck (any problem is reported and nothing is written) and export it."""
    if args.answers and args.format != "markdown":
        raise QuiztuiError("--answers goes with --format markdown")
    if args.format in BINARY_FORMATS and args.output is None:
        raise QuiztuiError(f"--format {args.format} writes a package: give the file with -o FILE")
    source = resolve_deck_argument(args.deck)
    deck = load_deck(source)
    notes: list[str] = []
    content: str | bytes
    if args.format == "json":
        from quiztui.deck.export import deck_to_json

        content = deck_to_json(deck)
    elif args.format == "markdown":
        from quiztui.formats.markdown import handout

        content = handout(deck, answers=args.answers)
    elif args.format == "gift":
        from quiztui.formats.gift import deck_to_gift

        content, notes = deck_to_gift(deck)
    elif args.format == "qti":
        from quiztui.formats.qti import deck_to_qti

        content, notes = deck_to_qti(deck)
    else:
        from quiztui.formats.apkg import write_apkg

        # Anki updates a note it already has only when the package's copy is newer, so the
        # notes carry the time the deck file last changed: an edit always reaches Anki, even
        # when two exports fall within the same second, and an unchanged deck exported again
        # changes nothing there.
        changed = source.stat().st_mtime
        try:
            write_apkg(deck, args.output, timestamp=changed)
        except OSError as error:
            raise QuiztuiError(f"cannot write {args.output}: {error.strerror or error}") from None
        print(f"wrote {args.output}", file=sys.stderr)
        return 0
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if args.output is None:
        assert isinstance(content, str)
        sys.stdout.write(content)
    else:
        write_atomically(args.output, content)
        print(f"wrote {args.output}", file=sys.stderr)
    return 0
