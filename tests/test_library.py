"""Finding decks: bundled, the learner's folder, arguments; broken and duplicate decks reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from deck_texts import BASE, VALID_DECK_PATH

from quiztui import locations
from quiztui.deck import library
from quiztui.deck.library import (
    DeckNotFoundError,
    bundled_deck_paths,
    load_library,
    resolve_deck_argument,
    user_deck_paths,
)


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bundled-decks folder holding the valid test deck."""
    folder = tmp_path / "bundled"
    folder.mkdir()
    shutil.copy(VALID_DECK_PATH, folder / "test-deck.yaml")
    monkeypatch.setattr(locations, "bundled_decks_dir", lambda: folder)
    return folder


@pytest.fixture
def user_decks() -> Path:
    """The learner's deck folder inside the test's data dir."""
    folder = locations.user_decks_dir()
    folder.mkdir(parents=True)
    return folder


def test_paths_are_found(bundled: Path, user_decks: Path) -> None:
    """Bundled and user decks are listed (recursively, hidden folders and other files skipped)."""
    (user_decks / "sub").mkdir()
    (user_decks / "sub" / "mine.yml").write_text(BASE)
    (user_decks / ".trash").mkdir()
    (user_decks / ".trash" / "old.yaml").write_text(BASE)
    (user_decks / "notes.txt").write_text("not a deck")
    assert bundled_deck_paths() == [bundled / "test-deck.yaml"]
    assert user_deck_paths() == [user_decks / "sub" / "mine.yml"]


def test_no_user_folder_means_no_user_decks(bundled: Path) -> None:
    assert user_deck_paths() == []


def test_library_loads_all_and_reports_broken_ones(
    bundled: Path, user_decks: Path, tmp_path: Path
) -> None:
    """A broken deck is an entry with problems; the decks after it still load."""
    (user_decks / "a-broken.yaml").write_text(BASE.replace("title: Demo", "titel: Demo"))
    (user_decks / "b-good.yaml").write_text(BASE)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "other.json").write_text(
        '{"id": "other", "title": "O", "version": "1", "parts": [{"id": "p", "title": "P",'
        ' "key_points": [{"id": "k", "front": "f", "back": "b"}]}]}'
    )
    entries = load_library([extra])
    assert [(e.path.name, e.origin, e.ok) for e in entries] == [
        ("test-deck.yaml", "bundled", True),
        ("a-broken.yaml", "user", False),
        ("b-good.yaml", "user", True),
        ("other.json", "argument", True),
    ]
    broken = entries[1]
    assert broken.deck is None
    assert any("unknown key `titel`" in p.message for p in broken.problems)


def test_a_deck_of_the_same_kind_with_a_taken_id_is_blamed_on_the_later_file(
    bundled: Path, user_decks: Path
) -> None:
    """Two of the learner's decks with one id: the second is reported, naming the first."""
    first_copy, second_copy = user_decks / "a.yaml", user_decks / "b.yaml"
    shutil.copy(VALID_DECK_PATH, first_copy)
    shutil.copy(VALID_DECK_PATH, second_copy)
    first, second = load_library()
    assert first.ok and first.path == first_copy and first.replaces == bundled / "test-deck.yaml"
    assert not second.ok
    (problem,) = second.problems
    assert problem.path == second_copy
    assert f"deck id 'test-deck' is already used by {first_copy}" in problem.message
    assert problem.line == 5  # the line of `id:` in the copy


def test_the_more_specific_deck_replaces_the_bundled_one(bundled: Path, tmp_path: Path) -> None:
    """An author editing the shipped deck in a clone opens their copy: `quiztui decks/`
    previews it in place of the installed one, which is not an error."""
    clone = tmp_path / "clone" / "decks"
    clone.mkdir(parents=True)
    shutil.copy(VALID_DECK_PATH, clone / "test-deck.yaml")
    (entry,) = load_library([clone])
    assert entry.ok and entry.origin == "argument" and entry.path == clone / "test-deck.yaml"
    assert entry.replaces == bundled / "test-deck.yaml"


def test_same_file_given_twice_loads_once(bundled: Path) -> None:
    entries = load_library([bundled / "test-deck.yaml", bundled])
    assert len(entries) == 1 and entries[0].ok


def test_missing_argument_is_an_entry_with_a_problem(bundled: Path, tmp_path: Path) -> None:
    entries = load_library([tmp_path / "gone.yaml"])
    assert entries[-1].problems[0].message == "no such file or folder"


def test_resolve_deck_argument(bundled: Path, user_decks: Path, tmp_path: Path) -> None:
    """A DECK is a path, a bundled deck's file name, or any known deck's id."""
    assert resolve_deck_argument(str(VALID_DECK_PATH)) == VALID_DECK_PATH
    assert resolve_deck_argument("test-deck") == bundled / "test-deck.yaml"
    (user_decks / "named-differently.yaml").write_text(BASE)
    assert resolve_deck_argument("demo") == user_decks / "named-differently.yaml"
    with pytest.raises(DeckNotFoundError, match=r"'nope' \(known deck ids: demo, test-deck\)"):
        resolve_deck_argument("nope")
    with pytest.raises(DeckNotFoundError, match="is a folder"):
        resolve_deck_argument(str(tmp_path))


def test_real_bundled_folder_is_the_repository_decks_folder() -> None:
    """From a checkout, bundled decks are read from decks/ (the wheel maps it into the package)."""
    assert locations.bundled_decks_dir() == Path(library.__file__).resolve().parents[2] / "decks"


def test_a_deck_id_names_the_learners_own_copy_as_the_app_opens_it(
    bundled: Path, user_decks: Path
) -> None:
    """An edited copy of a bundled deck in the learner's folder (same id, any file name) is
    what the app opens for that id, so `export`, `stats` and `exam` take it too."""
    copy = user_decks / "my-edit.yaml"
    shutil.copy(VALID_DECK_PATH, copy)
    assert resolve_deck_argument("test-deck") == copy
    same_name = user_decks / "test-deck.yaml"
    shutil.move(copy, same_name)
    assert resolve_deck_argument("test-deck") == same_name
