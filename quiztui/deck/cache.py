"""A cache of validated decks on disk, so a big deck opens fast the second time.

Reading and validating a 10,000-item deck takes about half a second; unpickling the deck it
gave takes a fraction of that. An entry is the pickled `Deck` with a header saying what it was
made from: quiztui's version, Python's (a pickle is only read by the Python that wrote it), the
file's resolved path and its stat (size, mtime, ctime, inode, device). Any write to a file moves
its ctime, and only the system clock can set ctime back, so an unchanged stat means unchanged
bytes, with one exception handled as git does: a file changed less than `RACY_SECONDS` before
it was read could be written again within the same clock tick without its stat changing, so
such an entry (and every entry on Windows, where ctime is the creation time) also checks a
digest of the bytes on every hit. On file systems without a real ctime (FAT, some FUSE mounts)
a rewrite that restores both the size and the mtime goes unseen, as it does for git and make;
touching the file makes it seen.

A CRC of the pickled deck is checked on every hit. Anything wrong with an entry (missing,
truncated, damaged, from another version) is a miss: the caller loads the file for real. Only
valid decks are stored, so a deck with problems is validated, and its problems reported, every
time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

from quiztui import __version__, locations
from quiztui.deck.model import Deck

CACHE_FORMAT = 4
"""Bumped whenever the layout of an entry changes."""

RACY_SECONDS = 3.0
"""A file changed this recently when it was read has its digest checked on every hit."""

_STAT_IS_ENOUGH = os.name != "nt"
"""Whether an unchanged stat proves an unchanged file (Windows' ctime is the creation time)."""

LOOKUP_MAX_BYTES = 64 * 1024 * 1024
"""Files bigger than this are not even read for a digest (no valid deck is that big)."""


def content_digest(data: bytes) -> bytes:
    """The fingerprint of a deck file's bytes that a racy entry must match."""
    return hashlib.blake2b(data, digest_size=16).digest()


def entry_path(path: Path) -> Path:
    """The cache file for a deck file (named after its resolved path)."""
    name = hashlib.blake2b(str(path.resolve()).encode("utf-8", "surrogatepass"), digest_size=16)
    return locations.cache_dir() / "decks" / f"{name.hexdigest()}.pickle"


def file_stat(path: Path) -> os.stat_result | None:
    """The file's stat, or None (also for anything but a regular file). Taken on an open
    file: on NFS an open revalidates what the client caches (close-to-open consistency),
    where a bare `stat` may answer from a cache. The open never blocks (a FIFO named x.yaml)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return None
    try:
        found = os.fstat(descriptor)
    finally:
        os.close(descriptor)
    return found if stat.S_ISREG(found.st_mode) else None


def _key(path: Path, stat: os.stat_result) -> tuple[Any, ...]:
    """What must be unchanged for an entry to be used."""
    return (
        CACHE_FORMAT,
        __version__,
        sys.implementation.cache_tag,
        sys.version,
        str(path.resolve()),
        stat.st_size,
        stat.st_mtime_ns,
        stat.st_ctime_ns,
        stat.st_ino,
        stat.st_dev,
    )


def clock() -> float:
    """Now, on the clock file systems stamp files with (a function, so tests can move it)."""
    return time.time()


def _is_racy(stat: os.stat_result, seen_at: float) -> bool:
    """Whether a file with this stat, read at `seen_at`, could have been written again since
    without its stat changing: it changed too shortly before, within a clock tick."""
    changed = max(stat.st_mtime_ns, stat.st_ctime_ns) / 1e9
    return not _STAT_IS_ENOUGH or seen_at - changed < RACY_SECONDS


def _same_bytes(path: Path, stat: os.stat_result, digest: bytes) -> bool:
    """Whether the file still holds the bytes with this digest (for racy entries)."""
    if stat.st_size > LOOKUP_MAX_BYTES:
        return False
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return len(data) == stat.st_size and content_digest(data) == digest


def lookup(path: Path) -> Deck | None:
    """The cached deck for this file as it is now, or None (never an error)."""
    stat = file_stat(path)
    if stat is None:
        return None
    try:
        with entry_path(path).open("rb") as stream:
            key, racy, digest, checksum = pickle.load(stream)
            if key != _key(path, stat):
                return None
            if racy and not _same_bytes(path, stat, digest):
                return None
            body = stream.read()
        if zlib.crc32(body) != checksum:
            return None
        deck = pickle.loads(body)
    except Exception:  # any damage at all means: load the file for real
        return None
    if not isinstance(deck, Deck):
        return None
    if racy and not _is_racy(stat, clock()):
        store(path, stat, digest, deck, read_at=clock())  # the stat alone is proof from now on
    return deck if deck.path == path else _with_path(deck, path)


def _with_path(deck: Deck, path: Path) -> Deck:
    """The deck as opened from `path` (the same file, named another way)."""
    import dataclasses

    return dataclasses.replace(deck, path=path)


def store(
    path: Path, stat: os.stat_result | None, digest: bytes, deck: Deck, *, read_at: float
) -> bool:
    """Keep a valid deck for next time (atomically); False when it was not kept.

    `stat` is the file's, taken before its bytes were read (so a write after it changes the
    stat and the entry is never used for bytes it was not made from); `digest` is those
    bytes' `content_digest`; `read_at` is when they were read (`clock()`), which decides
    whether the entry is racy.
    """
    if stat is None:
        return False
    try:
        body = pickle.dumps(deck, protocol=pickle.HIGHEST_PROTOCOL)
        header = (_key(path, stat), _is_racy(stat, read_at), digest, zlib.crc32(body))
        target = entry_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(header, stream, protocol=pickle.HIGHEST_PROTOCOL)
                stream.write(body)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except (OSError, pickle.PicklingError, TypeError, RecursionError):
        return False
    return True


def forget(path: Path) -> None:
    """Drop a deck file's entry, if there is one."""
    with contextlib.suppress(OSError):
        entry_path(path).unlink()
