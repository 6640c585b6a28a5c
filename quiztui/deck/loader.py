"""Loading a deck file: read it safely, validate all of it, and return a Deck or every problem.

This is the one way into a deck for the rest of quiztui. A deck with any problem is never
half-loaded: the caller gets a complete, valid `Deck`, or a `DeckError` listing everything wrong.
Warnings (things that load but are probably not what the author meant) never stop a load; the
validator reports them.

The YAML reader and the validator are imported only when a file is really parsed: a deck served
from the cache costs neither (together some 40 ms of imports, PyYAML included, at start-up).
"""

from __future__ import annotations

from pathlib import Path

from quiztui.deck.model import Deck
from quiztui.deck.problems import DeckError, Problem

__all__ = [
    "DECK_SUFFIXES",
    "DeckError",
    "Problem",
    "load_deck",
    "load_deck_bytes",
    "load_deck_text",
    "validate_file",
]

DECK_SUFFIXES = (".yaml", ".yml", ".json")
"""The file endings a deck may have (JSON is YAML, so the exporter's JSON loads back)."""


def load_deck(path: Path, *, use_cache: bool = True) -> Deck:
    """The deck in this file, fully validated; raises DeckError listing every problem.

    A valid deck is kept in the cache (`quiztui.deck.cache`) and served from it while the
    file stays the same; `use_cache=False` always reads and validates the file.
    """
    path = Path(path)
    if not use_cache:
        return _parse_file(path)
    from quiztui.deck import cache

    deck = cache.lookup(path)
    if deck is not None:
        return deck
    stat = cache.file_stat(path)  # before the read: a write after it changes the stat
    from quiztui.deck.yaml_reader import read_bytes

    data = read_bytes(path)
    read_at = cache.clock()
    deck = load_deck_bytes(data, path)
    cache.store(path, stat, cache.content_digest(data), deck, read_at=read_at)
    return deck


def _parse_file(path: Path, warnings: list[Problem] | None = None) -> Deck:
    from quiztui.deck.yaml_reader import read_bytes

    return load_deck_bytes(read_bytes(path), path, warnings=warnings)


def load_deck_bytes(data: bytes, path: Path, *, warnings: list[Problem] | None = None) -> Deck:
    """The deck in a file's raw bytes (checked for size, binary content and UTF-8 first)."""
    from quiztui.deck.yaml_reader import decode

    return load_deck_text(decode(data, path), Path(path), warnings=warnings)


def load_deck_text(
    text: str,
    path: Path,
    *,
    use_libyaml: bool | None = None,
    warnings: list[Problem] | None = None,
) -> Deck:
    """The deck in `text`, as if read from `path` (named in the problems); raises DeckError.

    `use_libyaml` picks the YAML parser (default: libyaml when installed); both give the same
    results, and tests check that. Warnings found on the way are added to `warnings`.
    """
    from quiztui.deck.validate import DeckValidator
    from quiztui.deck.yaml_reader import compose

    path = Path(path)
    root, problems = compose(text, path, use_libyaml=use_libyaml)
    validator = DeckValidator(path)
    deck = validator.deck(root)
    problems.extend(validator.problems)
    if warnings is not None:
        warnings.extend(validator.warnings)
    if problems or deck is None:
        raise DeckError(problems or [Problem(path, 1, 1, "the deck could not be read")])
    return deck


def validate_file(path: Path) -> list[Problem]:
    """Every problem in a deck file, warnings included, in file order; [] means it is clean.

    The file is always read and validated (never served from the cache), so its warnings,
    which the cache does not keep, are found too.
    """
    warnings: list[Problem] = []
    try:
        _parse_file(Path(path), warnings)
    except DeckError as error:
        return sorted([*error.problems, *warnings], key=lambda p: p.sort_key)
    return sorted(warnings, key=lambda p: p.sort_key)
