"""A cache of validated decks, so a big deck opens in milliseconds the second time.

Reading and validating a 10,000-item deck takes about half a second. Its cache entry opens in
a few milliseconds, because two things are put off:

- **Checking the file.** An entry is used while the file's `stat` is the one recorded when
  it was parsed: path, size, mtime, ctime, inode and device. Any write to a file moves its
  ctime, and nothing but the system clock can set ctime back, so an edit that keeps the size
  and restores the mtime is still seen. As in git's "racy" rule, a file changed within
  `RACY_SECONDS` of being read could be written again within the same clock tick, with
  the same stat; such an entry (and every entry on Windows, where ctime is the creation
  time) also checks a BLAKE2 digest of the file's bytes, until an entry old enough replaces it.
  The stat is taken on an open file, which on NFS revalidates the client's cache. Where a
  file system keeps no real ctime (FAT, some FUSE mounts), a rewrite that restores both the
  size and the mtime goes unseen, as it does for git and make; touching the file (a new
  mtime) makes it seen.
- **Building the items.** An entry holds the deck in outline (parts, item ids, each
  question's checks and answer key), which is all that counting and scheduling need, and each
  part's items in a block of their own, built when the part is first asked for them
  (`Part.outline`). So opening a deck creates some 20 objects instead of 34,000.

Entries carry quiztui's version and the model's field names, so an upgrade never reads an old
layout. A CRC covers all of an entry, checked when it is read, so a part built later cannot
meet damage. Anything wrong with an entry (missing, truncated, damaged, from another version)
is a silent miss: the caller loads the file for real. Only valid decks are stored, so a deck
with problems is validated, and its problems reported, every time.

A part's block is columnar `marshal` data: one flat column per model field, rebuilt into the
frozen dataclasses by C-level `map` calls (`pickle` would run each object's Python
`__setstate__`: about 60 ms for 10,000 items instead of about 15).
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
import time
import zlib
from collections.abc import Iterator
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

from quiztui import __version__, locations
from quiztui.deck.model import (
    CHECK_NAMES,
    CheckName,
    Choice,
    Deck,
    KeyPoint,
    Part,
    Question,
    Source,
)
from quiztui.fastbuild import build_frozen

CACHE_FORMAT = 2
"""Bumped whenever the layout of an entry changes."""

_MAGIC = b"QTDECK\x00\x02"

RACY_SECONDS = 3.0
"""A file changed this recently when it was parsed has its digest checked on every hit (two
writes within one tick of a coarse clock, or of a FAT or network file system, share a stat)."""

_STAT_IS_ENOUGH = os.name != "nt"
"""Whether an unchanged stat proves an unchanged file (Windows' ctime is the creation time)."""

_ITEM_CLASSES: tuple[type, ...] = (KeyPoint, Question, Choice)
"""What a part's block holds, parents first."""

_PART_FIELDS = ("id", "title", "description", "line")
"""A part's own fields, kept in the outline; its items are in its block."""

_DECK_OWN = ("parts", "source", "path")
"""Deck fields not stored as plain values: parts and source are objects, the path is the path
the deck is opened from."""


def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


_DECK_FIELDS = tuple(name for name in _field_names(Deck) if name not in _DECK_OWN)

_LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Deck", _field_names(Deck)),
    ("Source", _field_names(Source)),
    ("Part", (*_PART_FIELDS, "key_points", "questions")),
    *((cls.__name__, _field_names(cls)) for cls in _ITEM_CLASSES),
)
"""The model's shape; an entry written for another shape is never read."""

_CHECK_SETS: tuple[frozenset[CheckName], ...] = tuple(
    frozenset(name for bit, name in enumerate(CHECK_NAMES) if code >> bit & 1)
    for code in range(1 << len(CHECK_NAMES))
)
"""Every set of checks a question can be in, indexed by its bit code (pre = 1, post = 2)."""


def content_digest(data: bytes) -> bytes:
    """The fingerprint of a deck file's bytes that a racy entry must match."""
    return hashlib.blake2b(data, digest_size=16).digest()


def entry_path(path: Path) -> Path:
    """The cache file for a deck file (named after its resolved path)."""
    name = hashlib.blake2b(str(path.resolve()).encode("utf-8", "surrogatepass"), digest_size=16)
    return locations.cache_dir() / "decks" / f"{name.hexdigest()}.deck"


def _key(path: Path, stat: os.stat_result) -> tuple[Any, ...]:
    """What must be unchanged for an entry to be used."""
    return (
        CACHE_FORMAT,
        __version__,
        _LAYOUT,
        str(path.resolve()),
        stat.st_size,
        stat.st_mtime_ns,
        stat.st_ctime_ns,
        stat.st_ino,
        stat.st_dev,
    )


def _clock() -> float:
    """Now, on the clock file systems stamp files with (a function, so tests can move it)."""
    return time.time()


def _is_racy(stat: os.stat_result, seen_at: float) -> bool:
    """Whether a file with this stat, read (or checked) at `seen_at`, could have been written
    again since without its stat changing: changed too shortly before, within a clock tick."""
    changed = max(stat.st_mtime_ns, stat.st_ctime_ns) / 1e9
    return not _STAT_IS_ENOUGH or seen_at - changed < RACY_SECONDS


# ---------------------------------------------------------------------- encoding


def _check_code(checks: frozenset[CheckName]) -> int:
    return sum(1 << bit for bit, name in enumerate(CHECK_NAMES) if name in checks)


def _encode_items(part: Part) -> bytes:
    """A part's items as columnar marshal data (ValueError when a value cannot be marshalled)."""
    found: dict[type, list[Any]] = {
        KeyPoint: list(part.key_points),
        Question: list(part.questions),
        Choice: [choice for question in part.questions for choice in question.choices],
    }
    tables = []
    for cls in _ITEM_CLASSES:
        objects = found[cls]
        columns = []
        for name in _field_names(cls):
            values = [getattr(obj, name) for obj in objects]
            columns.append(tuple(map(len, values)) if name == "choices" else tuple(values))
        tables.append((len(objects), tuple(columns)))
    return marshal.dumps(tuple(tables))


def _groups(children: list[Any], lengths: tuple[int, ...]) -> list[tuple[Any, ...]]:
    """The flat child list cut into consecutive tuples of the given lengths."""
    if sum(lengths) != len(children):
        raise ValueError("child counts do not add up")
    stream: Iterator[Any] = iter(children)
    return [tuple(islice(stream, n)) for n in lengths]


def _decode_items(block: bytes | memoryview) -> tuple[tuple[KeyPoint, ...], tuple[Question, ...]]:
    """A part's items from `_encode_items`'s data."""
    tables = dict(zip(_ITEM_CLASSES, marshal.loads(block), strict=True))
    built: dict[type, list[Any]] = {}
    # Thousands of new acyclic objects: nothing for the cyclic collector to find.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for cls in reversed(_ITEM_CLASSES):  # children before the objects that hold them
            count, stored = tables[cls]
            columns = dict(zip(_field_names(cls), stored, strict=True))
            if cls is Question:
                columns["choices"] = _groups(built[Choice], columns["choices"])
            built[cls] = build_frozen(cls, count, columns)
    finally:
        if gc_was_enabled:
            gc.enable()
    return tuple(built[KeyPoint]), tuple(built[Question])


def _encode(deck: Deck) -> list[bytes]:
    """The entry's body, in pieces to write one after the other (a big deck's body is
    megabytes: joining it would copy it all while memory is at its peak, right after a parse):
    the outline's size, the deck's outline, then each part's block of items."""
    blocks = [_encode_items(part) for part in deck.parts]
    keys: dict[str, int] = {}
    parts = []
    offset = 0
    for part, block in zip(deck.parts, blocks, strict=True):
        parts.append(
            (
                tuple(getattr(part, name) for name in _PART_FIELDS),
                part.key_point_ids,
                part.question_ids,
                tuple(_check_code(q.checks) for q in part.questions),
                tuple(keys.setdefault(key, len(keys)) for key in part.answer_keys),
                offset,
                len(block),
            )
        )
        offset += len(block)
    source = None if deck.source is None else dataclasses.astuple(deck.source)
    outline = marshal.dumps(
        (
            tuple(getattr(deck, name) for name in _DECK_FIELDS),
            source,
            tuple(keys),
            tuple(parts),
        )
    )
    return [len(outline).to_bytes(4, "little"), outline, *blocks]


def _decode(body: bytes | memoryview, path: Path) -> Deck:
    """The deck from `_encode`'s data, every part in outline (errors when it is damaged).

    The parts keep views of `body` until they build their items.
    """
    body = memoryview(body)
    outline_size = int.from_bytes(body[:4], "little")
    deck_values, source_values, key_table, part_rows = marshal.loads(body[4 : 4 + outline_size])
    blocks = body[4 + outline_size :]
    parts = []
    for own, key_point_ids, question_ids, check_codes, key_indexes, offset, size in part_rows:
        if offset + size > len(blocks) or len(check_codes) != len(question_ids):
            raise ValueError("a part's block is out of bounds")
        fields = dict(zip(_PART_FIELDS, own, strict=True))
        parts.append(
            Part.outline(
                **fields,
                key_point_ids=key_point_ids,
                question_ids=question_ids,
                question_checks=tuple(map(_CHECK_SETS.__getitem__, check_codes)),
                answer_keys=tuple(map(key_table.__getitem__, key_indexes)),
                content=partial(_decode_items, blocks[offset : offset + size]),
            )
        )
    source = None if source_values is None else Source(*source_values)
    values = dict(zip(_DECK_FIELDS, deck_values, strict=True))
    return Deck(**values, parts=tuple(parts), source=source, path=path)


# ---------------------------------------------------------------------- the cache


MEMORY_ENTRIES = 8
"""How many decks the in-process tier keeps (the most recently loaded)."""


@dataclasses.dataclass(frozen=True, slots=True)
class _Remembered:
    key: tuple[Any, ...]
    digest: bytes
    racy: bool
    deck: Deck


_recent: dict[str, _Remembered] = {}
"""Decks loaded in this process, by the path as given: the same file opened again (a reload,
a deck named on the command line then opened by the app) costs one `stat`."""

_recent_lock = threading.Lock()
"""Decks load in worker threads."""


def _remember(path: Path, remembered: _Remembered) -> None:
    with _recent_lock:
        _recent.pop(str(path), None)
        _recent[str(path)] = remembered
        while len(_recent) > MEMORY_ENTRIES:
            del _recent[next(iter(_recent))]


def clear_memory() -> None:
    """Forget the decks kept in this process (the disk entries stay)."""
    with _recent_lock:
        _recent.clear()


LOOKUP_MAX_BYTES = 64 * 1024 * 1024
"""Files bigger than this are not even read for a lookup (no valid deck is that big)."""


def _same_bytes(path: Path, stat: os.stat_result, digest: bytes) -> bool:
    """Whether the file still holds the bytes with this digest (for racy entries)."""
    if stat.st_size > LOOKUP_MAX_BYTES:
        return False
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return len(data) == stat.st_size and content_digest(data) == digest


def file_stat(path: Path) -> os.stat_result | None:
    """The file's stat, or None. Taken on an open file: on NFS an open revalidates what the
    client caches (close-to-open consistency), where a bare `stat` may answer from a cache
    up to a minute old."""
    try:
        with open(path, "rb") as stream:
            return os.fstat(stream.fileno())
    except (OSError, ValueError):
        return None


def clock() -> float:
    """Now, for `store`'s `read_at`."""
    return _clock()


def lookup(path: Path) -> Deck | None:
    """The cached deck for this file as it is now, or None (never an error).

    Decks are immutable, so one loaded earlier in this process is handed out again as is;
    otherwise the disk entry is read.
    """
    stat = file_stat(path)
    if stat is None:
        return None
    try:
        key = _key(path, stat)
        remembered = _recent.get(str(path))
        if remembered is not None and remembered.key == key:
            if remembered.racy and not _same_bytes(path, stat, remembered.digest):
                return None
            return remembered.deck
        entry = entry_path(path)
        raw = memoryview(entry.read_bytes())  # slices below copy nothing
        if raw[:8] != _MAGIC:
            return None
        header_size = int.from_bytes(raw[8:12], "little")
        stored_key, racy, digest, checksum = marshal.loads(raw[12 : 12 + header_size])
        if stored_key != key:
            return None
        seen_at = _clock()  # before the bytes are read again, if they are
        if racy and not _same_bytes(path, stat, digest):
            return None
        body = raw[12 + header_size :]
        if zlib.crc32(body) != checksum:
            return None
        deck = _decode(body, path)
    except Exception:  # any damage at all means: load the file for real
        return None
    if not isinstance(deck, Deck):
        return None
    still_racy = racy and _is_racy(stat, seen_at)
    _remember(path, _Remembered(key, digest, still_racy, deck))
    if racy and not still_racy:
        _write_entry(entry, key, still_racy, digest, [body])  # the stat alone is proof from now on
    return deck


def store(
    path: Path,
    stat: os.stat_result | None,
    data: bytes,
    deck: Deck,
    *,
    read_at: float | None = None,
) -> bool:
    """Keep a valid deck parsed from `data` for next time (atomically); False when not kept.

    `stat` is the file's, taken before `data` was read: a write after it changes the stat,
    so the entry is never used for bytes it was not made from. `read_at` (`clock()` right
    after the read; default now) is when the bytes were seen: whether the entry is racy is
    judged then, not after the parse, however long that took. Every value in a deck is a
    str, int, bool, None, tuple or frozenset, which marshal writes exactly; a field holding
    anything else makes `marshal.dumps` fail, and the deck is simply not cached.
    """
    if stat is None or len(data) != stat.st_size:
        return False  # the file changed while it was read: nothing to trust
    try:
        key = _key(path, stat)
        digest = content_digest(data)
        racy = _is_racy(stat, _clock() if read_at is None else read_at)
        _remember(path, _Remembered(key, digest, racy, deck))
        return _write_entry(entry_path(path), key, racy, digest, _encode(deck))
    except (OSError, ValueError, TypeError, RecursionError):
        return False


def _write_entry(
    target: Path,
    key: tuple[Any, ...],
    racy: bool,
    digest: bytes,
    body: list[bytes] | list[memoryview],
) -> bool:
    """Write an entry atomically (a reader sees the old one or the new one); False on failure."""
    try:
        checksum = 0
        for piece in body:
            checksum = zlib.crc32(piece, checksum)
        header = marshal.dumps((key, racy, digest, checksum))
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(_MAGIC + len(header).to_bytes(4, "little") + header)
                for piece in body:
                    stream.write(piece)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except (OSError, ValueError):
        return False
    return True


def forget(path: Path) -> None:
    """Drop a deck file's entries (in this process and on disk), if there are any."""
    with _recent_lock:
        _recent.pop(str(path), None)
    with contextlib.suppress(OSError):
        entry_path(path).unlink()
