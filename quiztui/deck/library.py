"""Finding decks: the bundled ones, the learner's own folder, and paths given on the command line.

A broken deck never hides the others: each file becomes a `LoadedDeck` entry, with either a deck or
the problems that kept it from loading. Progress is keyed on deck ids, so two files with the same id
cannot both be opened. The more specific wins: a deck named on the command line replaces a
learner's or a bundled deck with its id (an author previewing an edit of the shipped deck), and a
learner's deck replaces a bundled one; the winner's entry says which file it stands in for. Two
files of the same kind with one id are a problem, reported on the later one. `quiztui validate`
reads the same library, so it reports exactly what the app would do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from quiztui import locations
from quiztui.deck.loader import DECK_SUFFIXES, load_deck
from quiztui.deck.model import Deck
from quiztui.deck.problems import DeckError, Problem
from quiztui.errors import QuiztuiError

Origin = Literal["bundled", "user", "argument"]
"""Where a deck file was found."""


@dataclass(frozen=True, slots=True)
class LoadedDeck:
    """One deck file and what came of loading it: a deck, or the problems that stopped it."""

    path: Path
    origin: Origin
    deck: Deck | None
    problems: tuple[Problem, ...] = ()
    replaces: Path | None = None
    """The less specific deck file with the same id that this one stands in for, if any."""

    @property
    def ok(self) -> bool:
        """True when the deck loaded."""
        return self.deck is not None


class DeckNotFoundError(QuiztuiError):
    """A deck argument is neither a file nor the id of a deck we know."""


def deck_files_in(folder: Path) -> list[Path]:
    """Every deck file under a folder, recursively, in a stable order (hidden folders skipped)."""
    found = [
        path
        for path in folder.rglob("*")
        if path.suffix.lower() in DECK_SUFFIXES
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    ]
    return sorted(found)


def bundled_deck_paths() -> list[Path]:
    """The deck files that ship with quiztui."""
    folder = locations.bundled_decks_dir()
    return deck_files_in(folder) if folder.is_dir() else []


def user_deck_paths() -> list[Path]:
    """The deck files in the learner's own deck folder (<data dir>/decks), if it exists."""
    folder = locations.user_decks_dir()
    return deck_files_in(folder) if folder.is_dir() else []


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given and folders replaced by the deck files in them (missing paths kept as is)."""
    expanded: list[Path] = []
    for path in paths:
        if path.is_dir():
            expanded.extend(deck_files_in(path))
        else:
            expanded.append(path)
    return expanded


_TOP_LEVEL_ID = re.compile(r"""^["']?id["']?\s*:""", re.MULTILINE)


def id_line(path: Path) -> int:
    """The line of a deck file's top-level `id:` key (1 when it cannot be told)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 1
    match = _TOP_LEVEL_ID.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


_PRECEDENCE: dict[Origin, int] = {"bundled": 0, "user": 1, "argument": 2}
"""Which origin wins when two files share a deck id: the more specific."""


def load_decks(paths: Iterable[tuple[Path, Origin]]) -> list[LoadedDeck]:
    """Load each file in turn; a file given twice counts once; of two decks with one id the
    more specific origin wins, and two of the same origin are a problem on the later one."""
    entries: list[LoadedDeck] = []
    seen_files: set[Path] = set()
    owner_of_id: dict[str, int] = {}
    for path, origin in paths:
        resolved = path.resolve()
        if resolved in seen_files:
            continue
        seen_files.add(resolved)
        if not path.exists():
            problem = Problem(path, 0, 0, "no such file or folder")
            entries.append(LoadedDeck(path, origin, None, (problem,)))
            continue
        try:
            deck = load_deck(path)
        except DeckError as error:
            entries.append(LoadedDeck(path, origin, None, error.problems))
            continue
        index = owner_of_id.get(deck.id)
        if index is None:
            owner_of_id[deck.id] = len(entries)
            entries.append(LoadedDeck(path, origin, deck))
            continue
        first = entries[index]
        if _PRECEDENCE[origin] > _PRECEDENCE[first.origin]:
            entries[index] = LoadedDeck(path, origin, deck, replaces=first.path)
            continue
        problem = Problem(
            path,
            id_line(path),
            1,
            f"deck id {deck.id!r} is already used by {first.path}",
            "progress is kept by deck id: give this deck its own id, or remove one copy",
        )
        entries.append(LoadedDeck(path, origin, None, (problem,)))
    return entries


def load_library(extra_paths: Sequence[Path] = ()) -> list[LoadedDeck]:
    """The bundled decks, the learner's own decks, and the given files or folders, in that order."""
    sources: list[tuple[Path, Origin]] = [(path, "bundled") for path in bundled_deck_paths()]
    sources += [(path, "user") for path in user_deck_paths()]
    sources += [(path, "argument") for path in expand_paths(Path(p) for p in extra_paths)]
    return load_decks(sources)


def resolve_deck_argument(text: str) -> Path:
    """The deck file a command-line DECK names: an existing path, or a bundled or user deck's id
    (the deck the app would open for that id), or a deck file's name without its suffix.

    Raises DeckNotFoundError, listing the known ids, when it is neither.
    """
    path = locations.user_path(text)
    if path.is_file():
        return path
    if path.is_dir():
        raise DeckNotFoundError(f"{text} is a folder; name one deck file or a deck id")
    candidates: list[tuple[Path, Origin]] = [(p, "bundled") for p in bundled_deck_paths()]
    candidates += [(p, "user") for p in user_deck_paths()]
    # By id first, as the app opens them: the learner's own copy of a bundled deck wins.
    entries = load_decks(candidates)
    known: list[str] = []
    for entry in entries:
        if entry.deck is not None:
            if entry.deck.id == text:
                return entry.path
            known.append(entry.deck.id)
    for candidate, _origin in reversed(candidates):  # then a file's name, the learner's first
        if candidate.stem == text:
            return candidate
    listing = ", ".join(sorted(known)) or "none"
    raise DeckNotFoundError(f"no deck file or deck id {text!r} (known deck ids: {listing})")
