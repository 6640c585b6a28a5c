"""The deck cache: a hit is the same deck; a change or damage misses; errors are never cached."""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from quiztui import locations
from quiztui.deck import cache
from quiztui.deck.loader import DeckError, load_deck
from quiztui.deck.model import Choice, Deck, KeyPoint, Part, Question, Source

DATA = Path(__file__).parent / "data"
VALID_DECK_PATH = DATA / "valid-deck.yaml"


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh cache folder per test, and nothing remembered from earlier tests."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(locations.CACHE_DIR_ENV, str(folder))
    cache.clear_memory()
    yield folder
    cache.clear_memory()


@pytest.fixture
def deck_file(tmp_path: Path) -> Path:
    """A copy of the valid test deck that a test may change."""
    return Path(shutil.copy(VALID_DECK_PATH, tmp_path / "deck.yaml"))


def from_disk(path: Path) -> Deck:
    """Load with the in-process tier emptied first, so the disk entry is what is read."""
    cache.clear_memory()
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


def test_the_same_process_hands_out_the_same_deck(deck_file: Path) -> None:
    assert load_deck(deck_file) is load_deck(deck_file)


@pytest.mark.parametrize("memory", [True, False], ids=["in-process", "on-disk"])
def test_one_byte_changed_at_the_same_size_and_mtime_misses(deck_file: Path, memory: bool) -> None:
    before = load_deck(deck_file)
    stat = deck_file.stat()
    text = deck_file.read_text(encoding="utf-8")
    title = before.title
    changed = title[:-1] + ("X" if title[-1] != "X" else "Y")
    deck_file.write_text(text.replace(title, changed, 1), encoding="utf-8")
    os.utime(deck_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert deck_file.stat().st_size == stat.st_size
    assert deck_file.stat().st_mtime_ns == stat.st_mtime_ns
    after = load_deck(deck_file) if memory else from_disk(deck_file)
    assert after.title == changed


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"",
        lambda raw: raw[: len(raw) // 2],
        lambda raw: raw[:-1] + bytes([raw[-1] ^ 0xFF]),
        lambda raw: raw[:40] + b"\x00" * 16 + raw[56:],
        lambda raw: b"not a cache entry at all",
    ],
    ids=["empty", "truncated", "last-byte-flipped", "header-zeroed", "garbage"],
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


def test_an_entry_for_another_quiztui_version_is_not_read(
    deck_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_deck(deck_file)
    monkeypatch.setattr(cache, "__version__", "0.0.0-other")

    def no_decoding(*args: object) -> None:
        raise AssertionError("an entry of another version was decoded")

    monkeypatch.setattr(cache, "_decode", no_decoding)
    assert cache.lookup(deck_file, deck_file.read_bytes()) is None


def test_the_codec_knows_every_field_of_the_model() -> None:
    """A new model field must get a column: extend `cache._NESTED` if it holds model objects."""
    for cls in (Deck, Source, Part, KeyPoint, Question, Choice):
        names = {f.name for f in dataclasses.fields(cls)}
        assert set(cache._field_names(cls)) | ({"path"} if cls is Deck else set()) == names


def test_a_deck_with_a_source_and_no_parts_round_trips(tmp_path: Path) -> None:
    deck = Deck(
        "d",
        "T",
        "1",
        (Part("p", "P"),),
        Source("Book", url="https://example.org"),
        "about",
        tmp_path / "d.yaml",
    )
    assert cache._decode(cache._encode(deck), tmp_path / "d.yaml") == deck
