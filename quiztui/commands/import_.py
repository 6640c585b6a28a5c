"""`quiztui import FILE... -o deck.yaml [--from FORMAT] [--force]`: question banks into a deck.

Reads GIFT (Moodle), Aiken, Anki text exports (CSV/TSV with Anki's header lines) and Anki packages
(.apkg, .colpkg), writes one valid quiztui deck in YAML (with the schema modeline and the schema
beside it, stable ids, and comments where something could not be carried), and reports on standard
error everything it could not carry, each as `file:line: what`. It never overwrites a file unless
given --force, and checks what it wrote loads as a deck before writing it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from quiztui.errors import QuiztuiError

FORMAT_NAMES = ("gift", "aiken", "anki-text", "apkg")
SUFFIXES = {
    ".gift": "gift",
    ".aiken": "aiken",
    ".csv": "anki-text",
    ".tsv": "anki-text",
    ".apkg": "apkg",
    ".colpkg": "apkg",
}
"""The format each file ending stands for; `.txt` is looked into (all three use it)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The source files, the output deck, --from, --force, --id and --title."""
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="files to import")
    parser.add_argument(
        "-o", "--output", type=Path, metavar="DECK", required=True, help="the deck file to write"
    )
    parser.add_argument(
        "--from",
        dest="source_format",
        choices=FORMAT_NAMES,
        help="the files' format (default: from each file's ending, or its contents for .txt)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite DECK if it exists")
    parser.add_argument("--id", dest="deck_id", help="the deck's id (default: from DECK's name)")
    parser.add_argument("--title", help="the deck's title (default: from the source)")


def sniff(path: Path, head: str) -> str | None:
    """The format a `.txt` file is in, judged from its first lines; None when it is unclear."""
    import re

    lines = [line.strip() for line in head.splitlines()]
    if any(line.lower().startswith(("#separator:", "#html:", "#columns:")) for line in lines):
        return "anki-text"
    if any(re.match(r"^ANSWER:\s*[A-Z]\s*$", line) for line in lines):
        return "aiken"
    if "{" in head and "}" in head:
        return "gift"
    if any("\t" in line for line in lines):
        return "anki-text"
    return None


def format_of(path: Path, chosen: str | None) -> str:
    """The format to read a file as: --from, else its ending, else a look at a .txt file."""
    if chosen is not None:
        return chosen
    known = SUFFIXES.get(path.suffix.lower())
    if known is not None:
        return known
    if path.suffix.lower() == ".txt":
        try:
            with path.open(encoding="utf-8-sig", errors="replace") as stream:
                found = sniff(path, stream.read(64 * 1024))
        except OSError as error:
            raise QuiztuiError(f"cannot read {path}: {error.strerror or error}") from None
        if found is not None:
            return found
    raise QuiztuiError(
        f"cannot tell the format of {path}: name it with --from ({', '.join(FORMAT_NAMES)})"
    )


def _reader(name: str) -> Callable[..., None]:
    if name == "gift":
        from quiztui.formats.gift import read_gift

        return read_gift
    if name == "aiken":
        from quiztui.formats.aiken import read_aiken

        return read_aiken
    if name == "anki-text":
        from quiztui.formats.anki_text import read_anki_text

        return read_anki_text
    from quiztui.formats.apkg import read_apkg

    return read_apkg


def _title_from(path: Path) -> str:
    words = path.stem.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else "Imported deck"


def run(args: argparse.Namespace) -> int:
    """Read every file into one deck, check it, write it, and report what was not carried."""
    from quiztui.commands.export import write_atomically
    from quiztui.deck.loader import DeckError, load_deck_text
    from quiztui.formats.common import DeckDraft, slug
    from quiztui.formats.schema_file import write_schema_beside
    from quiztui.formats.yaml_writer import deck_to_yaml

    output: Path = args.output
    if output.exists() and not args.force:
        raise QuiztuiError(f"{output} already exists: give --force to overwrite it")
    if output.suffix.lower() not in (".yaml", ".yml"):
        raise QuiztuiError(f"{output}: a deck file ends in .yaml or .yml")
    files: list[Path] = args.files
    for path in files:
        if not path.is_file():
            raise QuiztuiError(f"no such file: {path}")
    draft = DeckDraft()
    formats: list[str] = []
    for path in files:
        name = format_of(path, args.source_format)
        formats.append(name)
        _reader(name)(path, draft)
    for note in draft.notes:
        print(note, file=sys.stderr)
    if draft.item_count == 0:
        raise QuiztuiError("nothing to import: no question or note could be carried")

    deck_id = args.deck_id or slug(output.stem, max_words=12) or "imported"
    title = args.title or draft.suggested_title() or _title_from(files[0])
    deck = draft.to_deck(deck_id, title)
    sources = ", ".join(f"{path.name} ({name})" for path, name in zip(files, formats, strict=True))
    header = [f"Imported by quiztui from {sources}."]
    if draft.comments:
        header.append("Comments below say what could not be carried; TODO marks what to write.")
    text = deck_to_yaml(deck, comments=draft.comments, header=header)
    try:
        load_deck_text(text, output)
    except DeckError as error:
        raise QuiztuiError(
            f"the imported deck does not validate (please report this): {error}"
        ) from None
    write_atomically(output, text)
    write_schema_beside(output)

    questions = sum(len(part.questions) for part in deck.parts)
    key_points = sum(len(part.key_points) for part in deck.parts)
    summary = (
        f"wrote {output}: {len(deck.parts)} part{'s' if len(deck.parts) != 1 else ''}, "
        f"{questions} question{'s' if questions != 1 else ''}, "
        f"{key_points} key point{'s' if key_points != 1 else ''}"
    )
    if draft.notes:
        summary += f"; {len(draft.notes)} not carried or changed (listed above)"
    print(summary, file=sys.stderr)
    if draft.unexplained:
        print(
            f"{draft.unexplained} question{'s' if draft.unexplained != 1 else ''} had no"
            " explanation: each got a placeholder, marked TODO in the deck",
            file=sys.stderr,
        )
    return 0
