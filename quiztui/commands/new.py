"""`quiztui new PATH`: a starter deck an instructor fills in, with a comment on every field.

The deck has one part with a key point and a question asked before and after reading, it passes
`quiztui validate` as written, and its schema modeline works where it is written: the schema is
written beside it as `.deck.schema.json` (hidden, so quiztui never takes it for a deck).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quiztui.errors import QuiztuiError

TEMPLATE = """\
# yaml-language-server: $schema=.deck.schema.json
# ^ lets your editor check and complete this deck as you type (the schema is beside this file).
# A deck is one chapter: its parts in study order, each with key points (flashcards) and
# questions. Check it with: quiztui validate {file_name}   Open it with: quiztui {file_name}
# Every field is described in docs/deck-format.md.

format: 1                      # the deck format this file is written in
id: {deck_id}{id_pad}# the deck's id: progress is kept by it, so never change it
title: "{title}"
version: "0.1"                 # your own version of the deck, kept exactly as written
description: |                 # optional; Markdown
  What this chapter teaches, in a sentence or two.
source:                        # optional: who to credit
  title: "Chapter 1"           # required inside source; also author, url, license

parts:                         # at least one, in the order they are studied
  - id: part-1                 # unique among the parts
    title: "The first part"
    description: "What this part covers."     # optional

    key_points:                # flashcards: a cue on the front, what to remember on the back
      - id: kp-first-idea      # unique in the whole deck; name the content, not the position
        front: "What is the first idea of this part?"
        back: "The idea, in a sentence. **Markdown** works here."
        explanation: "Why it matters, or where it comes from."   # optional
        section: "1.1"         # optional: where in the chapter
        tags: [basics]         # optional labels

    questions:                 # multiple choice, with an explanation for every answer
      - id: q-first-idea
        prompt: "Which of these states the first idea?"
        checks: [pre, post]    # asked before reading the part and after (the default)
        section: "1.1"
        explanation: "Why the right answer is right (or explain each choice instead)."
        choices:               # two or more; at least one correct
          - id: a              # unique within the question: keep it when you reword the text
            text: "The right statement."
            correct: true
            explanation: "Optional here, since the question has its own explanation."
          - id: b
            text: "A tempting wrong statement."   # correct: false is the default
          - id: c
            text: "Another wrong statement."
      # For "choose all that apply", add `multiple: true` and mark every right choice correct.
      # Put text that starts with * or contains ': ' or ' #' in double quotes.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The path to write, --force, and the deck's title."""
    parser.add_argument("path", type=Path, metavar="PATH", help="the deck file to write (.yaml)")
    parser.add_argument("--title", default="My new deck", help="the deck's title")
    parser.add_argument("--force", action="store_true", help="overwrite PATH if it exists")


def starter_deck(path: Path, title: str) -> str:
    """The starter deck's text for a file at `path`."""
    from quiztui.formats.common import slug

    deck_id = slug(path.stem, max_words=12) or "my-deck"
    pad = " " * max(1, 23 - len(deck_id))
    safe_title = title.replace("\\", "\\\\").replace('"', '\\"')
    return TEMPLATE.format(deck_id=deck_id, id_pad=pad, title=safe_title, file_name=path.name)


def run(args: argparse.Namespace) -> int:
    """Write the starter deck and the schema beside it; refuse to overwrite without --force."""
    from quiztui.commands.export import write_atomically
    from quiztui.deck.loader import DeckError, load_deck_text
    from quiztui.formats.schema_file import write_schema_beside

    path: Path = args.path
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise QuiztuiError(f"{path}: a deck file ends in .yaml or .yml")
    if path.exists() and not args.force:
        raise QuiztuiError(f"{path} already exists: give --force to overwrite it")
    if not path.parent.is_dir():
        raise QuiztuiError(f"no such folder: {path.parent}")
    text = starter_deck(path, args.title)
    try:
        load_deck_text(text, path)
    except DeckError as error:
        raise QuiztuiError(
            f"the starter deck does not validate (please report this): {error}"
        ) from None
    write_atomically(path, text)
    schema = write_schema_beside(path)
    print(f"wrote {path}" + (f" and {schema}" if schema else ""), file=sys.stderr)
    print(f"next: edit it, then run: quiztui validate {path}", file=sys.stderr)
    return 0
