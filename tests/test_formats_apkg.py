"""Anki packages: packages Anki made import as key points; our export opens in a real Anki.

The export tests import the package into a fresh collection with the `anki` package (Anki's own
importer, the test extra installs it), count notes and fields, then export again after an edit
and import that too: the notes are updated in place, never duplicated.
"""

from __future__ import annotations

import dataclasses
import os
import re
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from formats_helpers import FORMATS_DIR, imported

from quiztui.deck.loader import load_deck
from quiztui.deck.model import Deck
from quiztui.formats import apkg
from quiztui.formats.apkg import read_apkg, write_apkg
from quiztui.formats.common import MissingExtraError, SourceError
from quiztui.locations import bundled_decks_dir

AIRFLOW = bundled_decks_dir() / "airflow-mwaa.yaml"


@pytest.mark.parametrize("name", ["anki-biology.apkg", "anki-biology-legacy.apkg"])
def test_packages_made_by_anki_import(name: str) -> None:
    """Current (zstd) and legacy packages: Basic, reversed, optional reversed and cloze notes."""
    deck, draft, _ = imported(read_apkg, FORMATS_DIR / name)
    assert deck.title == "Biology"
    assert [part.title for part in deck.parts] == ["Cells", "Genetics"]
    fronts = [kp.front for part in deck.parts for kp in part.key_points]
    assert fronts == [
        "What is the **powerhouse** of the cell?",
        "Ribosome",
        "Makes proteins & peptides",
        "Name this organelle:",
        "DNA",
        "Deoxyribonucleic acid",
        "RNA",
        "[...] pairs with thymine in DNA.",
        "Adenine pairs with [a pyrimidine] in DNA.",
    ]
    assert deck.parts[0].key_points[0].tags == ("cells", "organelles")
    assert [str(note) for note in draft.notes] == [
        f"{FORMATS_DIR / name}: note 6: media not carried: cell.png",
        f"{FORMATS_DIR / name}: 1 media file not carried",
    ]


def test_current_package_without_zstandard_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_zstandard(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "zstandard":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_zstandard)
    with pytest.raises(MissingExtraError, match=r"pip install 'quiztui\[anki\]'"):
        imported(read_apkg, FORMATS_DIR / "anki-biology.apkg")


DAMAGED = r" is damaged or not an Anki package \(.+\); export it again from Anki$"


def test_a_file_that_is_no_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.apkg"
    path.write_bytes(b"not a zip")
    with pytest.raises(SourceError, match=re.escape(str(path)) + DAMAGED):
        imported(read_apkg, path)


def _damage_collection(path: Path) -> None:
    """Overwrite the zipped collection's bytes, as a bad download or disk would."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("collection.anki2")
    data = bytearray(path.read_bytes())
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 :][:4])
    start = info.header_offset + 30 + name_length + extra_length
    data[start : start + info.compress_size] = b"\xff" * info.compress_size
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("compression", "reason"),
    [(zipfile.ZIP_STORED, "Bad CRC-32"), (zipfile.ZIP_DEFLATED, "while decompressing")],
    ids=["stored", "deflated"],
)
def test_a_damaged_package_is_refused_without_a_traceback(
    tmp_path: Path, compression: int, reason: str
) -> None:
    """A bad CRC (stored, as genanki writes), or a broken deflate stream (as others zip)."""
    written = tmp_path / "written.apkg"
    write_apkg(load_deck(AIRFLOW), written, timestamp=1_700_000_000)
    path = tmp_path / "deck.apkg"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w", compression) as out:
        for name in source.namelist():
            out.writestr(name, source.read(name))
    _damage_collection(path)
    with pytest.raises(SourceError, match=re.escape(str(path)) + DAMAGED) as raised:
        imported(read_apkg, path)
    assert reason in str(raised.value)


@pytest.mark.parametrize(
    ("member", "reason"),
    [("collection.anki2", "not a database"), ("collection.anki21b", "zstd")],
)
def test_a_collection_that_is_no_collection_is_refused(
    tmp_path: Path, member: str, reason: str
) -> None:
    path = tmp_path / "deck.apkg"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, b"this is no SQLite database " * 100)
    with pytest.raises(SourceError, match=re.escape(str(path)) + DAMAGED) as raised:
        imported(read_apkg, path)
    assert re.search(reason, str(raised.value))


def test_fields_letter_choices_and_say_all_that_apply() -> None:
    deck = load_deck(FORMATS_DIR.parent / "valid-deck.yaml")
    multi = deck.item("q-multi")
    front, answer, explanation = apkg.question_fields(multi)  # type: ignore[arg-type]
    assert "Choose all that apply" in front and front.count("<li>") == 3
    assert answer == "A. <p>012</p><br>B. <p>12:30</p>"
    assert "All scalars are text" in explanation


# -- a real Anki opens what we write ---------------------------------------------------------

anki_collection = pytest.importorskip("anki.collection")


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Any]:
    (tmp_path / "learner").mkdir()
    col = anki_collection.Collection(str(tmp_path / "learner" / "collection.anki2"))
    yield col
    col.close()


def _import(col: Any, package: Path) -> None:
    request = anki_collection.ImportAnkiPackageRequest(
        package_path=str(package),
        options=anki_collection.ImportAnkiPackageOptions(with_scheduling=True),
    )
    col.import_anki_package(request)


def _notes(col: Any) -> dict[str, Any]:
    return {col.get_note(nid).guid: col.get_note(nid) for nid in col.find_notes("")}


def test_export_opens_in_anki_with_every_note_and_field(tmp_path: Path, collection: Any) -> None:
    deck = load_deck(AIRFLOW)
    package = tmp_path / "airflow.apkg"
    write_apkg(deck, package, timestamp=1_700_000_000)
    _import(collection, package)
    notes = _notes(collection)
    key_points = sum(len(part.key_points) for part in deck.parts)
    questions = sum(len(part.questions) for part in deck.parts)
    assert len(notes) == key_points + questions
    types = {note.note_type()["name"]: len(note.fields) for note in notes.values()}
    assert types == {"quiztui key point": 3, "quiztui multiple choice": 3}
    names = {d.name for d in collection.decks.all_names_and_ids()}
    assert {f"{deck.title}::{n} {p.title}" for n, p in enumerate(deck.parts, 1)} <= names
    first = deck.parts[0].questions[0]
    import genanki

    note = notes[genanki.guid_for(deck.id, first.id)]
    assert note["Question"].startswith(apkg.question_fields(first)[0][:40])


def _edited(deck: Deck) -> Deck:
    part = deck.parts[0]
    key_point = dataclasses.replace(part.key_points[0], back="An edited back.")
    parts = (dataclasses.replace(part, key_points=(key_point, *part.key_points[1:])),)
    return dataclasses.replace(deck, parts=parts + deck.parts[1:])


def test_reexport_after_an_edit_updates_notes_without_duplicates(
    tmp_path: Path, collection: Any
) -> None:
    deck = load_deck(AIRFLOW)
    first, second = tmp_path / "v1.apkg", tmp_path / "v2.apkg"
    write_apkg(deck, first, timestamp=1_700_000_000)
    write_apkg(_edited(deck), second, timestamp=1_700_000_100)
    _import(collection, first)
    before = len(_notes(collection))
    _import(collection, second)
    notes = _notes(collection)
    assert len(notes) == before == collection.note_count()
    import genanki

    edited = notes[genanki.guid_for(deck.id, deck.parts[0].key_points[0].id)]
    assert edited["Back"] == "<p>An edited back.</p>"
    ours = [m.name for m in collection.models.all_names_and_ids() if "quiztui" in m.name]
    assert sorted(ours) == ["quiztui key point", "quiztui multiple choice"]


def test_our_package_imports_back_as_key_points(tmp_path: Path) -> None:
    package = tmp_path / "deck.apkg"
    source = load_deck(AIRFLOW)
    write_apkg(source, package, timestamp=1_700_000_000)
    deck, draft, _ = imported(read_apkg, package)
    key_points = sum(len(p.key_points) for p in source.parts)
    questions = sum(len(p.questions) for p in source.parts)
    assert sum(len(p.key_points) for p in deck.parts) == key_points
    assert sum("multiple-choice note" in note.message for note in draft.notes) == questions


def test_an_edit_exported_within_the_same_second_still_reaches_anki(
    tmp_path: Path, collection: Any
) -> None:
    """Anki keeps its copy of a note unless ours is newer: the CLI dates notes by the deck file."""
    from quiztui.cli import main

    deck_file = tmp_path / "deck.yaml"
    deck_file.write_text(AIRFLOW.read_text(encoding="utf-8"), encoding="utf-8")
    os.utime(deck_file, (1_700_000_000, 1_700_000_000))
    assert main(["export", str(deck_file), "-f", "apkg", "-o", str(tmp_path / "v1.apkg")]) == 0
    text = deck_file.read_text(encoding="utf-8")
    deck_file.write_text(text.replace("It decides **when", "EDITED: it decides **when"))
    os.utime(deck_file, (1_700_000_060, 1_700_000_060))
    assert main(["export", str(deck_file), "-f", "apkg", "-o", str(tmp_path / "v2.apkg")]) == 0
    _import(collection, tmp_path / "v1.apkg")
    before = collection.note_count()
    _import(collection, tmp_path / "v2.apkg")
    notes = _notes(collection).values()
    edited = [note for note in notes if "EDITED" in note.joined_fields()]
    assert collection.note_count() == before
    assert len(edited) == 1 and edited[0]["Front"].startswith("<p>What does a workflow")
