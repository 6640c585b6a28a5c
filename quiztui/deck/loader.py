"""Loading a deck file: read it safely, validate all of it, and return a Deck or every problem.

This is the one way into a deck for the rest of quiztui. A deck with any problem is never
half-loaded: the caller gets a complete, valid `Deck`, or a `DeckError` listing everything wrong.

The YAML reader and the validator are imported only when a file is really parsed: a deck served
from the cache costs neither (together some 40 ms of imports, PyYAML included, at start-up).
"""

from __future__ import annotations

import gc
from pathlib import Path

from quiztui.deck.model import Deck
from quiztui.deck.problems import DeckError, Problem

__all__ = [
    "MAX_FILE_BYTES",  # noqa: F822 (provided lazily by __getattr__)
    "DeckError",
    "Problem",
    "load_deck",
    "load_deck_bytes",
    "load_deck_text",
    "validate_file",
]

DECK_SUFFIXES = (".yaml", ".yml", ".json")
"""The file endings a deck may have (JSON is YAML, so the exporter's JSON loads back)."""


def __getattr__(name: str) -> object:
    """`MAX_FILE_BYTES`, from the YAML reader, without importing it up front."""
    if name == "MAX_FILE_BYTES":
        from quiztui.deck.yaml_reader import MAX_FILE_BYTES

        return MAX_FILE_BYTES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_deck(path: Path, *, use_cache: bool = True) -> Deck:
    """The deck in this file, fully validated; raises DeckError listing every problem.

    A valid deck is kept in the cache (`quiztui.deck.cache`) and served from it while the
    file stays the same; `use_cache=False` always reads and validates the file.
    """
    path = Path(path)
    if use_cache:
        from quiztui.deck import cache

        deck = cache.lookup(path)
        if deck is not None:
            return deck
        stat = cache.file_stat(path)  # before the read: a write after it changes the stat
    from quiztui.deck.yaml_reader import read_bytes

    data = read_bytes(path)
    read_at = cache.clock() if use_cache else 0.0
    deck = load_deck_bytes(data, path)
    if use_cache:
        cache.store(path, stat, data, deck, read_at=read_at)
    return deck


def load_deck_bytes(data: bytes, path: Path) -> Deck:
    """The deck in a file's raw bytes (checked for size, binary content and UTF-8 first)."""
    from quiztui.deck.yaml_reader import decode

    return load_deck_text(decode(data, path), Path(path))


def load_deck_text(text: str, path: Path, *, use_libyaml: bool | None = None) -> Deck:
    """The deck in `text`, as if read from `path` (named in the problems); raises DeckError.

    `use_libyaml` picks the YAML parser (default: libyaml when installed); both give the same
    results, and tests check that.
    """
    from quiztui.deck.validate import DeckValidator
    from quiztui.deck.yaml_reader import compose

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
