"""`quiztui import`, `quiztui new` and the new export formats, run as a user runs them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from formats_helpers import FORMATS_DIR

from quiztui.cli import main
from quiztui.deck.loader import load_deck, validate_file
from quiztui.formats.yaml_writer import MODELINE, SCHEMA_FILE_NAME
from quiztui.locations import schema_path


def test_import_writes_a_valid_deck_with_its_schema_and_reports_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bank.yaml"
    assert main(["import", str(FORMATS_DIR / "moodle-bank.gift"), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{FORMATS_DIR / 'moodle-bank.gift'}:54: a matching question" in err
    assert "wrote " in err and "9 questions" in err and "6 not carried" in err
    assert out.read_text(encoding="utf-8").startswith(MODELINE + "\n")
    assert (tmp_path / SCHEMA_FILE_NAME).read_text() == schema_path().read_text()
    assert [p for p in validate_file(out) if p.severity != "warning"] == []
    assert load_deck(out).id == "bank"
    assert main(["validate", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"{out}: ok (bank: 2 parts, 0 key points, 9 questions)" in said
    placeholders = [line for line in said.splitlines() if "placeholder explanation" in line]
    assert len(placeholders) == 5, "each question the source left unexplained is named"
    assert all(": warning: question '" in line for line in placeholders)


def test_validate_counts_one_of_each_in_the_singular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`quiztui new`'s starter deck: one part, one key point, one question, in those words."""
    deck = tmp_path / "mine.yaml"
    assert main(["new", str(deck)]) == 0
    capsys.readouterr()
    assert main(["validate", str(deck)]) == 0
    assert "1 part, 1 key point, 1 question)" in capsys.readouterr().out


def test_import_never_overwrites_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "deck.yaml"
    out.write_text("mine", encoding="utf-8")
    source = str(FORMATS_DIR / "aiken-questions.txt")
    assert main(["import", source, "-o", str(out)]) == 1
    assert "already exists: give --force" in capsys.readouterr().err
    assert out.read_text() == "mine"
    assert main(["import", source, "-o", str(out), "--force", "--title", "Nets"]) == 0
    assert load_deck(out).title == "Nets"


def test_import_several_files_of_several_formats(tmp_path: Path) -> None:
    out = tmp_path / "all.yaml"
    files = [
        FORMATS_DIR / n for n in ("moodle-bank.gift", "anki-biology.apkg", "anki-handwritten.csv")
    ]
    assert main(["import", *map(str, files), "-o", str(out)]) == 0
    deck = load_deck(out)
    assert sum(len(p.questions) for p in deck.parts) == 9
    assert sum(len(p.key_points) for p in deck.parts) == 12


def test_import_needs_a_format_it_can_tell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("just some words\n", encoding="utf-8")
    assert main(["import", str(odd), "-o", str(tmp_path / "d.yaml")]) == 1
    assert "--from" in capsys.readouterr().err


def test_new_writes_a_starter_deck_that_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "chapter-2.yaml"
    assert main(["new", str(path), "--title", 'A "quoted" title']) == 0
    assert validate_file(path) == []
    deck = load_deck(path)
    assert deck.id == "chapter-2" and deck.title == 'A "quoted" title'
    question = deck.parts[0].questions[0]
    assert question.checks == frozenset({"pre", "post"}) and deck.parts[0].key_points
    assert (tmp_path / SCHEMA_FILE_NAME).is_file()
    assert main(["new", str(path)]) == 1
    assert "already exists" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["gift", "markdown", "json"])
def test_text_exports_go_to_standard_output(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(FORMATS_DIR.parent / "valid-deck.yaml"), "--format", fmt]) == 0
    assert capsys.readouterr().out


def test_markdown_answers_flag(capsys: pytest.CaptureFixture[str]) -> None:
    deck = str(FORMATS_DIR.parent / "valid-deck.yaml")
    main(["export", deck, "--format", "markdown"])
    assert "## Answer key" not in capsys.readouterr().out
    main(["export", deck, "--format", "markdown", "--answers"])
    assert "## Answer key" in capsys.readouterr().out
    assert main(["export", deck, "--answers"]) == 1


@pytest.mark.parametrize("fmt", ["apkg", "qti"])
def test_packages_need_an_output_file(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = str(FORMATS_DIR.parent / "valid-deck.yaml")
    assert main(["export", deck, "--format", fmt]) == 1
    assert "-o FILE" in capsys.readouterr().err
    out = tmp_path / f"deck.{fmt}"
    assert main(["export", deck, "--format", fmt, "-o", str(out)]) == 0
    assert zipfile.ZipFile(io.BytesIO(out.read_bytes())).namelist()
