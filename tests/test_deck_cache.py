"""The deck cache: a hit is the same deck; a change or damage misses; errors are never cached."""

from __future__ import annotations

import os
import pickle
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from deck_strategies import any_shape_decks
from hypothesis import given, settings

from quiztui import locations
from quiztui.deck import cache, loader
from quiztui.deck.loader import DeckError, load_deck
from quiztui.deck.model import Deck, KeyPoint, Part, Source

DATA = Path(__file__).parent / "data"
VALID_DECK_PATH = DATA / "valid-deck.yaml"


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh cache folder per test."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(locations.CACHE_DIR_ENV, str(folder))
    yield folder


@pytest.fixture
def deck_file(tmp_path: Path) -> Path:
    """A copy of the valid test deck that a test may change."""
    return Path(shutil.copy(VALID_DECK_PATH, tmp_path / "deck.yaml"))


def from_disk(path: Path) -> Deck:
    """Load through the cache (the disk entry, when one fits)."""
    return load_deck(path)


def test_cache_dir_follows_the_data_dir_when_only_it_is_set(
    monkeypatch: pytest.MonkeyPatch, isolated_data_dir: Path
) -> None:
    monkeypatch.delenv(locations.CACHE_DIR_ENV, raising=False)
    assert locations.cache_dir() == isolated_data_dir / "cache"


def test_a_load_writes_an_entry_into_the_cache_dir(deck_file: Path, cache_in_tmp: Path) -> None:
    load_deck(deck_file)
    entry = cache.entry_path(deck_file)
    assert entry.is_file()
    assert entry.parent.parent == cache_in_tmp


def test_a_hit_returns_an_equal_deck(deck_file: Path) -> None:
    cold = load_deck(deck_file, use_cache=False)
    load_deck(deck_file)
    warm = from_disk(deck_file)
    assert warm == cold
    assert warm.path == deck_file
    assert [item.line for item in warm.items()] == [item.line for item in cold.items()]
    assert [item.kind for item in warm.items()] == [item.kind for item in cold.items()]


def test_a_hit_is_served_from_the_entry_not_the_file(
    deck_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_deck(deck_file)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was parsed again")

    monkeypatch.setattr("quiztui.deck.loader.load_deck_bytes", no_parsing)
    assert from_disk(deck_file).id


def test_one_byte_changed_at_the_same_size_and_mtime_misses(deck_file: Path) -> None:
    before = load_deck(deck_file)
    stat = deck_file.stat()
    text = deck_file.read_text(encoding="utf-8")
    title = before.title
    changed = title[:-1] + ("X" if title[-1] != "X" else "Y")
    deck_file.write_text(text.replace(title, changed, 1), encoding="utf-8")
    os.utime(deck_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert deck_file.stat().st_size == stat.st_size
    assert deck_file.stat().st_mtime_ns == stat.st_mtime_ns
    assert from_disk(deck_file).title == changed


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"",
        lambda raw: raw[: len(raw) // 2],
        lambda raw: raw[:-1] + bytes([raw[-1] ^ 0xFF]),
        lambda raw: (
            raw[: len(raw) // 2] + bytes([raw[len(raw) // 2] ^ 0x01]) + raw[len(raw) // 2 + 1 :]
        ),
        lambda raw: raw[:40] + b"\x00" * 16 + raw[56:],
        lambda raw: b"not a cache entry at all",
    ],
    ids=[
        "empty",
        "truncated",
        "last-byte-flipped",
        "middle-bit-flipped",
        "header-zeroed",
        "garbage",
    ],
)
def test_a_damaged_entry_falls_back_to_a_real_load(deck_file: Path, damage: object) -> None:
    cold = load_deck(deck_file, use_cache=False)
    load_deck(deck_file)
    entry = cache.entry_path(deck_file)
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    assert from_disk(deck_file) == cold
    assert from_disk(deck_file) == cold  # and the entry was rewritten sound


def test_an_unwritable_cache_dir_only_costs_the_cache(
    deck_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(locations.CACHE_DIR_ENV, str(blocker / "cache"))
    assert load_deck(deck_file) == load_deck(deck_file, use_cache=False)


def test_a_deck_with_errors_is_never_cached(deck_file: Path) -> None:
    load_deck(deck_file)
    text = deck_file.read_text(encoding="utf-8")
    deck_file.write_text(text.replace("format: 1", "format: 99", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DeckError):
            load_deck(deck_file)
        with pytest.raises(DeckError):
            from_disk(deck_file)


@pytest.mark.parametrize("name", ["__version__", "sys"], ids=["another quiztui", "another python"])
def test_an_entry_for_another_version_is_not_read(
    deck_file: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    load_deck(deck_file)
    assert cache.lookup(deck_file) is not None
    if name == "sys":

        class OtherPython:
            version = "2.7.18"
            implementation = cache.sys.implementation

        monkeypatch.setattr(cache, "sys", OtherPython)
    else:
        monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    assert cache.lookup(deck_file) is None


def test_a_deck_with_a_source_and_renames_round_trips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = Deck(
        "d",
        "T",
        "1",
        (Part("p", "P", (KeyPoint("k", "f", "b", renamed_from=("k0",)),), renamed_from=("p0",)),),
        Source("Book", url="https://example.org"),
        "about",
        renamed_from=("d0",),
        path=tmp_path / "d.yaml",
    )
    deck.path.write_text("stands in for the deck file")  # type: ignore[union-attr]
    settled(monkeypatch)
    stat = cache.file_stat(tmp_path / "d.yaml")
    assert cache.store(tmp_path / "d.yaml", stat, b"", deck, read_at=cache.clock())
    again = cache.lookup(tmp_path / "d.yaml")
    assert again == deck and again is not None
    assert again.part("p").renamed_from == ("p0",) and again.item("k").renamed_from == ("k0",)


def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on the clock says every file was changed long ago (entries are not racy)."""
    monkeypatch.setattr(cache, "clock", lambda: time.time() + 10 * cache.RACY_SECONDS)


def no_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(data: bytes) -> bytes:
        raise AssertionError("the file's bytes were read and digested")

    monkeypatch.setattr(cache, "content_digest", refuse)


def entry_header(path: Path) -> tuple[object, ...]:
    with cache.entry_path(path).open("rb") as stream:
        header: tuple[object, ...] = pickle.load(stream)
    return header


def test_a_settled_file_is_served_on_its_stat_alone(
    deck_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settled(monkeypatch)
    cold = load_deck(deck_file)
    assert entry_header(deck_file)[1] is False  # not racy
    no_digest(monkeypatch)
    assert from_disk(deck_file) == cold


def test_a_racy_entry_checks_the_bytes_then_settles(
    deck_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parsed right after a write, the entry checks the digest; once old enough, it is
    rewritten so that later hits need the stat only."""
    cold = load_deck(deck_file)
    assert entry_header(deck_file)[1] is True
    digests: list[bytes] = []
    real_digest = cache.content_digest

    def counted(data: bytes) -> bytes:
        digests.append(data)
        return real_digest(data)

    monkeypatch.setattr(cache, "content_digest", counted)
    assert from_disk(deck_file) == cold
    assert len(digests) == 1
    settled(monkeypatch)
    assert from_disk(deck_file) == cold
    assert len(digests) == 2
    assert entry_header(deck_file)[1] is False
    no_digest(monkeypatch)
    assert from_disk(deck_file) == cold


def test_a_settled_entry_sees_a_rewrite_that_keeps_size_and_mtime(
    deck_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ctime moves on any write, and nothing but the system clock can set it back."""
    settled(monkeypatch)
    before = load_deck(deck_file)
    stat = deck_file.stat()
    time.sleep(0.05)  # past the tick of the coarsest file system clock in use
    text = deck_file.read_text(encoding="utf-8")
    changed = before.title[:-1] + ("X" if before.title[-1] != "X" else "Y")
    deck_file.write_text(text.replace(before.title, changed, 1), encoding="utf-8")
    os.utime(deck_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (deck_file.stat().st_size, deck_file.stat().st_mtime_ns) == (
        stat.st_size,
        stat.st_mtime_ns,
    )
    assert from_disk(deck_file).title == changed


def test_where_ctime_proves_nothing_every_hit_checks_the_bytes(
    deck_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "_STAT_IS_ENOUGH", False)
    settled(monkeypatch)
    cold = load_deck(deck_file)
    assert entry_header(deck_file)[1] is True
    assert from_disk(deck_file) == cold
    assert entry_header(deck_file)[1] is True
    no_digest(monkeypatch)
    assert cache.lookup(deck_file) is None  # a miss, never an error


def test_a_write_during_the_read_makes_the_entry_miss(
    deck_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stat is taken before the bytes are read: a write after it changes the stat, so
    the entry made from the old bytes is never used for the new ones."""
    settled(monkeypatch)
    stat_before = cache.file_stat(deck_file)
    deck = load_deck(deck_file, use_cache=False)
    time.sleep(0.05)
    deck_file.write_text(deck_file.read_text().replace(deck.title, "Changed"), encoding="utf-8")
    cache.store(deck_file, stat_before, b"old bytes", deck, read_at=cache.clock())
    assert cache.lookup(deck_file) is None
    assert load_deck(deck_file).title == "Changed"


@settings(max_examples=40, deadline=None)
@given(any_shape_decks())
def test_any_deck_round_trips_through_an_entry(deck: Deck) -> None:
    """An entry gives back an equal deck, lines and kinds included."""
    again = pickle.loads(pickle.dumps(deck, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == deck
    assert [i.line for i in again.items()] == [i.line for i in deck.items()]
    assert [i.kind for i in again.items()] == [i.kind for i in deck.items()]
    assert [again.position(i.id) for i in deck.items()] == list(range(deck.item_count))


def test_a_slow_parse_does_not_settle_an_entry_read_right_after_a_write(
    deck_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Racy or not is judged when the bytes were read: a write just after the read, in the
    same clock tick, would keep the stat, however long the parse took afterwards."""
    offset = [0.0]
    monkeypatch.setattr(cache, "clock", lambda: time.time() + offset[0])
    real_parse = loader.load_deck_bytes

    def slow_parse(data: bytes, path: Path, **kwargs: object) -> Deck:
        offset[0] = 10 * cache.RACY_SECONDS  # the parse "took" longer than the racy window
        return real_parse(data, path)

    monkeypatch.setattr(loader, "load_deck_bytes", slow_parse)
    load_deck(deck_file)
    assert entry_header(deck_file)[1] is True
