"""The deck cache: a hit is the same deck; a change or damage misses; errors are never cached."""

from __future__ import annotations

import dataclasses
import marshal
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from deck_strategies import any_shape_decks
from hypothesis import given, settings

from quiztui import locations
from quiztui.deck import cache, loader
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
    assert cache.lookup(deck_file) is None


def test_the_codec_knows_every_field_of_the_model() -> None:
    """A new model field must get a column (or a place in the outline)."""
    for cls in (KeyPoint, Question, Choice):
        assert set(cache._field_names(cls)) == {f.name for f in dataclasses.fields(cls)}
    deck_fields = {f.name for f in dataclasses.fields(Deck)}
    assert set(cache._DECK_FIELDS) | set(cache._DECK_OWN) == deck_fields
    public_slots = {name for name in Part.__slots__ if not name.startswith("_")}
    derived = {"key_point_ids", "question_ids"}
    assert set(cache._PART_FIELDS) == public_slots - derived


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
    assert cache._decode(b"".join(cache._encode(deck)), tmp_path / "d.yaml") == deck


def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on the clock says every file was changed long ago (entries are not racy)."""
    monkeypatch.setattr(cache, "_clock", lambda: time.time() + 10 * cache.RACY_SECONDS)


def no_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(data: bytes) -> bytes:
        raise AssertionError("the file's bytes were read and digested")

    monkeypatch.setattr(cache, "content_digest", refuse)


def entry_header(path: Path) -> tuple[object, ...]:
    raw = cache.entry_path(path).read_bytes()
    return marshal.loads(raw[12 : 12 + int.from_bytes(raw[8:12], "little")])


def test_a_settled_file_is_served_on_its_stat_alone(
    deck_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settled(monkeypatch)
    cold = load_deck(deck_file)
    assert entry_header(deck_file)[1] is False  # not racy
    no_digest(monkeypatch)
    assert from_disk(deck_file) == cold
    assert load_deck(deck_file) == cold  # and from memory


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


@pytest.mark.parametrize("memory", [True, False], ids=["in-process", "on-disk"])
def test_a_settled_entry_sees_a_rewrite_that_keeps_size_and_mtime(
    deck_file: Path, monkeypatch: pytest.MonkeyPatch, memory: bool
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
    after = load_deck(deck_file) if memory else from_disk(deck_file)
    assert after.title == changed


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


def test_a_file_that_changes_while_it_is_read_is_not_cached(
    deck_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stat = deck_file.stat()
    data = deck_file.read_bytes() + b"\n# appended while read\n"
    deck = load_deck(deck_file, use_cache=False)
    assert cache.store(deck_file, stat, data, deck) is False
    assert not cache.entry_path(deck_file).exists()


def test_a_hit_builds_no_items_until_a_part_is_used(deck_file: Path) -> None:
    cold = load_deck(deck_file, use_cache=False)
    load_deck(deck_file)
    warm = from_disk(deck_file)
    assert not any(part.is_built for part in warm.parts)
    for warm_part, cold_part in zip(warm.parts, cold.parts, strict=True):
        assert warm_part.item_ids == cold_part.item_ids
        assert warm_part.answer_keys == cold_part.answer_keys
        for check in ("pre", "post"):
            assert warm_part.check_question_ids(check) == cold_part.check_question_ids(check)
        assert warm_part.has_item(cold_part.item_ids[0])
    assert not any(part.is_built for part in warm.parts)
    first = warm.parts[0]
    assert warm.item(first.item_ids[-1]) == cold.item(first.item_ids[-1])
    assert first.is_built
    assert not any(part.is_built for part in warm.parts[1:])


def test_a_part_is_built_once_however_many_threads_ask(deck_file: Path) -> None:
    load_deck(deck_file)
    part = from_disk(deck_file).parts[0]
    barrier = threading.Barrier(8)
    seen: list[tuple[object, ...]] = []

    def build() -> None:
        barrier.wait()
        seen.append(part.questions)

    threads = [threading.Thread(target=build) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(questions) for questions in seen}) == 1


@settings(max_examples=80, deadline=None)
@given(any_shape_decks())
def test_any_deck_round_trips_through_an_entry_in_outline(deck: Deck) -> None:
    """Before a part is built its outline answers as the eager part does; built, it is equal,
    lines included."""
    again = cache._decode(b"".join(cache._encode(deck)), Path("d.yaml"))
    assert (again.id, again.title, again.version, again.source, again.description) == (
        deck.id,
        deck.title,
        deck.version,
        deck.source,
        deck.description,
    )
    for outlined, eager in zip(again.parts, deck.parts, strict=True):
        assert not outlined.is_built
        assert (outlined.id, outlined.title, outlined.description, outlined.line) == (
            eager.id,
            eager.title,
            eager.description,
            eager.line,
        )
        assert outlined.item_ids == eager.item_ids
        assert outlined.answer_keys == eager.answer_keys
        for check in ("pre", "post"):
            assert outlined.check_question_ids(check) == eager.check_question_ids(check)
        assert not outlined.is_built
        assert outlined == eager
        assert hash(outlined) == hash(eager)
        assert [i.line for i in outlined.items()] == [i.line for i in eager.items()]
    assert again == deck


def test_a_slow_parse_does_not_settle_an_entry_read_right_after_a_write(
    deck_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Racy or not is judged when the bytes were read: a write just after the read, in the
    same clock tick, would keep the stat, however long the parse took afterwards."""
    offset = [0.0]
    monkeypatch.setattr(cache, "_clock", lambda: time.time() + offset[0])
    real_parse = loader.load_deck_bytes

    def slow_parse(data: bytes, path: Path) -> Deck:
        offset[0] = 10 * cache.RACY_SECONDS  # the parse "took" longer than the racy window
        return real_parse(data, path)

    monkeypatch.setattr(loader, "load_deck_bytes", slow_parse)
    load_deck(deck_file)
    assert entry_header(deck_file)[1] is True
