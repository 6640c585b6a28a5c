"""A cache of validated decks, so a big deck opens in milliseconds the second time.

Reading and validating a 10,000-item deck takes about half a second; its disk entry loads some
twenty times faster, and a deck already loaded in this process is handed out again at once. An
entry is used only when the file is the very same: same resolved path, size, mtime and, because
a rewrite can keep all of those, the same bytes (a BLAKE2 digest of the file: about 7 ms for
10 MB). Entries carry quiztui's version and the model's field names, so an upgrade never reads
an old layout. Anything wrong with an entry (missing, truncated, damaged, from another version)
is a silent miss: the caller loads the file for real. Only valid decks are stored, so a deck
with problems is validated, and its problems reported, every time.

The payload is columnar `marshal` data: one flat column per model field, rebuilt into the frozen
dataclasses by C-level `map` calls. `pickle` would call each object's Python `__setstate__`
(about 60 ms for 10,000 items instead of about 15).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import marshal
import os
import tempfile
import threading
import zlib
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from quiztui import __version__, locations
from quiztui.deck.model import Choice, Deck, KeyPoint, Part, Question, Source
from quiztui.fastbuild import build_frozen

CACHE_FORMAT = 1
"""Bumped whenever the layout of an entry changes."""

_MAGIC = b"QTDECK\x00\x01"
_NESTED: dict[type, dict[str, type]] = {
    Deck: {"parts": Part, "source": Source},
    Part: {"key_points": KeyPoint, "questions": Question},
    Question: {"choices": Choice},
}
"""Fields holding other model objects: a tuple of them, or (for `source`) one or None."""

_CLASSES: tuple[type, ...] = (Deck, Source, Part, KeyPoint, Question, Choice)
_SKIPPED = frozenset({(Deck, "path")})
"""Fields not stored: the deck's path is the path it is opened from."""


def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if (cls, f.name) not in _SKIPPED)


_LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (cls.__name__, _field_names(cls)) for cls in _CLASSES
)
"""The model's shape; an entry written for another shape is never read."""


def content_digest(data: bytes) -> bytes:
    """The fingerprint of a deck file's bytes that an entry must match."""
    return hashlib.blake2b(data, digest_size=16).digest()


def entry_path(path: Path) -> Path:
    """The cache file for a deck file (named after its resolved path)."""
    name = hashlib.blake2b(str(path.resolve()).encode("utf-8", "surrogatepass"), digest_size=16)
    return locations.cache_dir() / "decks" / f"{name.hexdigest()}.deck"


def _key(path: Path, data: bytes) -> tuple[Any, ...]:
    """What must be unchanged for an entry to be used."""
    stat = path.stat()
    return (
        CACHE_FORMAT,
        __version__,
        _LAYOUT,
        str(path.resolve()),
        len(data),
        stat.st_size,
        stat.st_mtime_ns,
        content_digest(data),
    )


# ---------------------------------------------------------------------- encoding


def _walk(deck: Deck) -> dict[type, list[Any]]:
    """Every model object of the deck, by class, in a fixed depth-first order."""
    found: dict[type, list[Any]] = {cls: [] for cls in _CLASSES}
    found[Deck].append(deck)
    if deck.source is not None:
        found[Source].append(deck.source)
    for part in deck.parts:
        found[Part].append(part)
        found[KeyPoint].extend(part.key_points)
        for question in part.questions:
            found[Question].append(question)
            found[Choice].extend(question.choices)
    return found


def _encode(deck: Deck) -> bytes:
    """The deck as columnar marshal data (ValueError when a value cannot be marshalled)."""
    found = _walk(deck)
    tables = []
    for cls in _CLASSES:
        objects = found[cls]
        nested = _NESTED.get(cls, {})
        columns = []
        for name in _field_names(cls):
            values = [getattr(obj, name) for obj in objects]
            if nested.get(name) is Source:
                columns.append(tuple(value is not None for value in values))
            elif name in nested:
                columns.append(tuple(len(value) for value in values))
            else:
                columns.append(tuple(values))
        tables.append((len(objects), tuple(columns)))
    return marshal.dumps(tuple(tables))


def _groups(children: list[Any], lengths: tuple[int, ...]) -> list[tuple[Any, ...]]:
    """The flat child list cut into consecutive tuples of the given lengths."""
    if sum(lengths) != len(children):
        raise ValueError("child counts do not add up")
    stream: Iterator[Any] = iter(children)
    return [tuple(islice(stream, n)) for n in lengths]


def _decode(payload: bytes, path: Path) -> Deck:
    """The deck from `_encode`'s data (ValueError, TypeError and friends when it is damaged)."""
    tables = dict(zip(_CLASSES, marshal.loads(payload), strict=True))
    built: dict[type, list[Any]] = {}
    for cls in reversed(_CLASSES):  # children before the objects that hold them
        count, stored = tables[cls]
        columns = dict(zip(_field_names(cls), stored, strict=True))
        for name, child_cls in _NESTED.get(cls, {}).items():
            if child_cls is Source:
                present = iter(built[Source])
                columns[name] = [next(present) if flag else None for flag in columns[name]]
            else:
                columns[name] = _groups(built[child_cls], columns[name])
        built[cls] = build_frozen(cls, count, columns)
    (deck,) = built[Deck]
    object.__setattr__(deck, "path", path)
    return deck


# ---------------------------------------------------------------------- the cache


MEMORY_ENTRIES = 8
"""How many decks the in-process tier keeps (the most recently loaded)."""

_recent: dict[str, tuple[tuple[Any, ...], Deck]] = {}
"""Decks loaded in this process, by the path as given: the same file opened again (a reload,
a deck named on the command line then opened by the app) costs one read and one digest."""

_recent_lock = threading.Lock()
"""Decks load in worker threads."""


def _remember(path: Path, key: tuple[Any, ...], deck: Deck) -> None:
    with _recent_lock:
        _recent.pop(str(path), None)
        _recent[str(path)] = (key, deck)
        while len(_recent) > MEMORY_ENTRIES:
            del _recent[next(iter(_recent))]


def clear_memory() -> None:
    """Forget the decks kept in this process (the disk entries stay)."""
    with _recent_lock:
        _recent.clear()


LOOKUP_MAX_BYTES = 64 * 1024 * 1024
"""Files bigger than this are not even read for a lookup (no valid deck is that big)."""


def read_for_lookup(path: Path) -> bytes | None:
    """A deck file's bytes to look up, or None when it cannot simply be read (the real load
    then reports why). Reads exactly the file's size, unlike the reader's capped read."""
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > LOOKUP_MAX_BYTES:
                return None
            return stream.read(size + 1)
    except OSError:
        return None


def lookup(path: Path, data: bytes) -> Deck | None:
    """The cached deck for this file with exactly these bytes, or None (never an error).

    Decks are immutable, so one loaded earlier in this process is handed out again as is;
    otherwise the disk entry is read.
    """
    try:
        key = _key(path, data)
        remembered = _recent.get(str(path))
        if remembered is not None and remembered[0] == key:
            return remembered[1]
        raw = memoryview(entry_path(path).read_bytes())  # slices below copy nothing
        if raw[:8] != _MAGIC:
            return None
        header_size = int.from_bytes(raw[8:12], "little")
        header = marshal.loads(raw[12 : 12 + header_size])
        stored_key, checksum = header
        if stored_key != key:
            return None
        payload = raw[12 + header_size :]
        if zlib.crc32(payload) != checksum:
            return None
        # As in the loader: tens of thousands of new acyclic objects, nothing for the cyclic
        # collector to find (it would otherwise run several times during the decode).
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            deck = _decode(payload, path)
        finally:
            if gc_was_enabled:
                gc.enable()
    except Exception:  # any damage at all means: load the file for real
        return None
    if not isinstance(deck, Deck):
        return None
    _remember(path, key, deck)
    return deck


def store(path: Path, data: bytes, deck: Deck) -> bool:
    """Keep a valid deck for next time (atomically); False when it could not be kept.

    Every value in a deck is a str, int, bool, None, tuple or frozenset, which marshal writes
    exactly; a field holding anything else makes `marshal.dumps` fail, and the deck is simply
    not cached. (Decoding the entry back to compare would hold a second copy of a big deck at
    the moment the parse has pushed memory to its peak.)
    """
    try:
        payload = _encode(deck)
        key = _key(path, data)
        _remember(path, key, deck)
        header = marshal.dumps((key, zlib.crc32(payload)))
        target = entry_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(_MAGIC + len(header).to_bytes(4, "little") + header + payload)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except (OSError, ValueError, TypeError, RecursionError):
        return False
    return True


def forget(path: Path) -> None:
    """Drop a deck file's entries (in this process and on disk), if there are any."""
    with _recent_lock:
        _recent.pop(str(path), None)
    with contextlib.suppress(OSError):
        entry_path(path).unlink()
