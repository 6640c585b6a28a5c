"""Loading a deck file: read it safely, validate all of it, and return a Deck or every problem.

This is the one way into a deck for the rest of quiztui. A deck with any problem is never
half-loaded: the caller gets a complete, valid `Deck`, or a `DeckError` listing everything wrong.
"""

from __future__ import annotations

import gc
from pathlib import Path

from quiztui.deck.model import Deck
from quiztui.deck.problems import DeckError, Problem
from quiztui.deck.validate import DeckValidator
from quiztui.deck.yaml_reader import MAX_FILE_BYTES, compose, decode, read_bytes

__all__ = [
    "MAX_FILE_BYTES",
    "DeckError",
    "Problem",
    "load_deck",
    "load_deck_bytes",
    "load_deck_text",
    "validate_file",
]

DECK_SUFFIXES = (".yaml", ".yml", ".json")
"""The file endings a deck may have (JSON is YAML, so the exporter's JSON loads back)."""


def load_deck(path: Path) -> Deck:
    """The deck in this file, fully validated; raises DeckError listing every problem."""
    path = Path(path)
    return load_deck_bytes(read_bytes(path), path)


def load_deck_bytes(data: bytes, path: Path) -> Deck:
    """The deck in a file's raw bytes (checked for size, binary content and UTF-8 first)."""
    return load_deck_text(decode(data, path), Path(path))


def load_deck_text(text: str, path: Path, *, use_libyaml: bool | None = None) -> Deck:
    """The deck in `text`, as if read from `path` (named in the problems); raises DeckError.

    `use_libyaml` picks the YAML parser (default: libyaml when installed); both give the same
    results, and tests check that.
    """
    path = Path(path)
    # A load allocates hundreds of thousands of small acyclic objects; the cyclic collector would
    # scan them again and again for nothing (it more than doubles the time of a large deck).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        root, problems = compose(text, path, use_libyaml=use_libyaml)
        validator = DeckValidator(path)
        deck = validator.deck(root)
        problems.extend(validator.problems)
    finally:
        if gc_was_enabled:
            gc.enable()
    if problems or deck is None:
        raise DeckError(problems or [Problem(path, 1, 1, "the deck could not be read")])
    return deck


def validate_file(path: Path) -> list[Problem]:
    """Every problem in a deck file, in file order; an empty list means it loads."""
    try:
        load_deck(path)
    except DeckError as error:
        return list(error.problems)
    return []
