"""Anki text files: Anki's own export (made by Anki) and a hand-written CSV with header lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from formats_helpers import FORMATS_DIR, imported, note_lines

from quiztui.formats.anki_text import read_anki_text, read_headers
from quiztui.formats.common import SourceError


def _key_points(path: Path) -> dict[str, tuple[str, str, str | None, tuple[str, ...]]]:
    deck, _, _ = imported(read_anki_text, path)
    return {
        f"{part.title}/{kp.front}": (kp.back, kp.id, kp.explanation, kp.tags)
        for part in deck.parts
        for kp in part.key_points
    }


def test_headers_are_read_until_the_first_record() -> None:
    headers = read_headers(["#separator:tab", "#html:true", "#tags column:7", "a\tb", "#x:y"])
    assert headers.values == {"separator": "tab", "html": "true", "tags column": "7"}
    assert headers.first_line == 4


def test_ankis_own_export() -> None:
    """Guid, note type, deck and tags columns; Basic, reversed, optional reversed and cloze."""
    path = FORMATS_DIR / "anki-notes-export.txt"
    deck, draft, _ = imported(read_anki_text, path)
    assert deck.title == "Biology"
    assert [part.title for part in deck.parts] == ["Cells", "Genetics"]
    cards = _key_points(path)
    back, kp_id, _, tags = cards["Cells/What is the **powerhouse** of the cell?"]
    assert back == "The *mitochondrion*\n\n(plural: mitochondria)"
    assert tags == ("cells", "organelles") and kp_id.startswith("kp-")
    assert cards["Cells/Ribosome"][0] == "Makes proteins & peptides"
    assert cards["Cells/Makes proteins & peptides"][0] == "Ribosome"  # the reversed card
    assert "Genetics/Deoxyribonucleic acid" in cards  # optional reverse, asked for
    assert "Genetics/Ribonucleic acid" not in cards  # optional reverse, not asked for
    cloze = cards["Genetics/[...] pairs with thymine in DNA."]
    assert cloze[0] == "**Adenine** pairs with thymine in DNA."
    assert cloze[2] == "In RNA, uracil replaces thymine."
    assert "Genetics/Adenine pairs with [a pyrimidine] in DNA." in cards
    assert note_lines(draft) == {12: "media not carried: cell.png"}


def test_ids_follow_the_guid_so_a_reimport_keeps_them() -> None:
    path = FORMATS_DIR / "anki-notes-export.txt"
    assert _key_points(path) == _key_points(path)
    ids = [value[1] for value in _key_points(path).values()]
    assert len(set(ids)) == len(ids)


def test_handwritten_csv_with_headers_quotes_and_comments() -> None:
    path = FORMATS_DIR / "anki-handwritten.csv"
    deck, draft, _ = imported(read_anki_text, path)
    assert deck.title == "Networks" and [p.title for p in deck.parts] == ["Basics"]
    cards = _key_points(path)
    assert cards["Basics/What does DNS stand for?"][3] == ("imported", "dns", "acronyms")
    assert cards["Basics/Which port; and which protocol?"][0] == (
        "53, over UDP\n\n(TCP for large answers)"
    )
    assert 'Basics/A "quoted" word' in cards
    assert note_lines(draft) == {
        12: "the front or the back is empty (once media are left out); skipped"
    }


def test_unknown_separator_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("#separator:Slash\na/b\n", encoding="utf-8")
    with pytest.raises(SourceError, match="unknown #separator"):
        imported(read_anki_text, path)


def test_an_unclosed_quote_is_an_error_naming_its_line(tmp_path: Path) -> None:
    """The lenient reader would make the rest of the file one field, silently."""
    path = tmp_path / "notes.csv"
    path.write_text('#separator:semicolon\nfront;back\n"open;back\nmore;notes\n', encoding="utf-8")
    where = re.escape(str(path))
    with pytest.raises(SourceError, match=rf"^{where}:3: a quote .* on line 3 is never closed"):
        imported(read_anki_text, path)


def test_an_unclosed_quote_in_a_long_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    """Past the csv module's field limit (128 KiB) the reader raises: reported with the line."""
    path = tmp_path / "notes.tsv"
    rest = "".join(f"front {n}\tback {n}\n" for n in range(10_000))
    path.write_text(f'front\tback\n"open\tback\n{rest}', encoding="utf-8")
    where = re.escape(str(path))
    with pytest.raises(SourceError, match=rf"^{where}:2: a field of the note on line 2 runs past"):
        imported(read_anki_text, path)


def test_quotes_closed_in_the_last_note_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text('front;back\n"two\nlines";"say ""hi"""', encoding="utf-8")
    deck, draft, _ = imported(read_anki_text, path)
    assert [kp.back for part in deck.parts for kp in part.key_points] == ["back", 'say "hi"']
    assert draft.notes == []
