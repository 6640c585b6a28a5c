"""Anki's text files (its "Notes in Plain Text" export, and CSV or TSV written for its importer).

As Anki's manual describes them: optional header lines at the top, `#key:value` each (`separator`,
`html`, `tags`, `columns`, `notetype`, `deck`, and the `notetype column`, `deck column`, `tags
column` and `guid column` numbers, from 1), an old-style `tags:` line, then one note per record,
fields split by the separator and quoted with `"` when they hold it or a line break. Other lines
starting with `#` are comments. Without a `separator` header, a tab, then `;`, then `,` found on
the first record decides, as in Anki. Each note becomes key points (see `anki_notes`); the deck
column (or `deck` header) gives the part, else the file's name does.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from quiztui.formats.anki_notes import AnkiNote, add_note
from quiztui.formats.common import DeckDraft, SourceError, read_text
from quiztui.formats.html_text import looks_like_html

_SEPARATORS = {
    "comma": ",",
    "semicolon": ";",
    "tab": "\t",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
_COLUMN_KEYS = ("notetype column", "deck column", "tags column", "guid column")


@dataclass(slots=True)
class Headers:
    """What a file's header lines say, and the line its records start on."""

    values: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    first_line: int = 1


def read_headers(lines: list[str]) -> Headers:
    """The `#key:value` header lines (and a `tags:` line) at the top of an Anki text file."""
    headers = Headers()
    for index, line in enumerate(lines):
        stripped = line.rstrip("\r")
        if stripped.startswith("#") and ":" in stripped:
            key, _, value = stripped[1:].partition(":")
            key = key.strip().lower()
            if key in ("separator", "html", "tags", "columns", "notetype", "deck", *_COLUMN_KEYS):
                headers.values[key] = value
                headers.first_line = index + 2
                continue
        if index == 0 and stripped.lower().startswith("tags:"):
            headers.tags = stripped[5:].split()
            headers.first_line = index + 2
            continue
        break
    if "tags" in headers.values:
        headers.tags += headers.values["tags"].split()
    return headers


def _separator(headers: Headers, sample: str, path: Path) -> str:
    named = headers.values.get("separator")
    if named is not None:
        value = named.strip()
        if value.lower() in _SEPARATORS:
            return _SEPARATORS[value.lower()]
        if len(named) == 1:
            return named
        known = ", ".join(_SEPARATORS)
        raise SourceError(f"{path}:1: unknown #separator:{named} (Anki's are {known})")
    if path.suffix.lower() == ".tsv":
        return "\t"
    for candidate in ("\t", ";", ","):
        if candidate in sample:
            return candidate
    raise SourceError(
        f"{path}:{headers.first_line}: cannot tell how fields are separated"
        " (add a '#separator:tab' line, or comma, semicolon)"
    )


_DOUBLE_QUOTES = 'a quote inside a quoted field is written twice: ""'


def _record_error(path: Path, line: int, error: csv.Error) -> SourceError:
    """The user's message for a record the csv module gives up on."""
    if "field limit" in str(error):
        return SourceError(
            f"{path}:{line}: a field of the note on line {line} runs past"
            f' {csv.field_size_limit():,} characters: most likely a quote (") opening it is'
            f" never closed; close it ({_DOUBLE_QUOTES}), or shorten the field"
        )
    return SourceError(f"{path}:{line}: {error}")


def _unclosed_quote(record: list[str], separator: str) -> bool:
    """Whether the file's last record ends inside a quoted field (the lenient reader hides it)."""
    strict = csv.reader(io.StringIO("\n".join(record)), delimiter=separator, strict=True)
    try:
        for _ in strict:
            pass
    except csv.Error as error:
        return str(error) == "unexpected end of data"
    return False


def _column(headers: Headers, key: str, path: Path) -> int | None:
    value = headers.values.get(key)
    if value is None:
        return None
    try:
        number = int(value.strip())
    except ValueError:
        raise SourceError(f"{path}:1: #{key}:{value} must be a column number") from None
    return number - 1 if number > 0 else None


def read_anki_text(path: Path, draft: DeckDraft) -> None:
    """Add the key points of every note in an Anki text file, reporting what cannot be carried."""
    text = read_text(path)
    lines = text.split("\n")
    headers = read_headers(lines)
    body_lines = lines[headers.first_line - 1 :]
    sample = next((line for line in body_lines if line.strip() and not line.startswith("#")), "")
    separator = _separator(headers, sample, path)
    columns = {key: _column(headers, key, path) for key in _COLUMN_KEYS}
    special = {index for index in columns.values() if index is not None}
    html_value = headers.values.get("html", "").strip().lower()
    html_header = {"true": True, "false": False}.get(html_value)
    default_deck = headers.values.get("deck", "").strip() or path.stem
    default_type = headers.values.get("notetype", "").strip() or "Basic"

    body = "\n".join(body_lines)
    last_line = body.count("\n") + (not body.endswith("\n"))
    reader = csv.reader(io.StringIO(body), delimiter=separator, strict=False)
    previous_end = 0
    while True:
        line = headers.first_line + previous_end
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise _record_error(path, line, error) from None
        record = body_lines[previous_end : reader.line_num]
        previous_end = reader.line_num
        if previous_end >= last_line and _unclosed_quote(record, separator):
            raise SourceError(
                f'{path}:{line}: a quote (") opening a field of the note on line {line} is'
                " never closed, so the rest of the file would be one field; close it"
                f" ({_DOUBLE_QUOTES})"
            )
        if not row or not "".join(row).strip():
            continue
        if row[0].startswith("#"):
            continue

        def value(key: str, row: list[str] = row) -> str:
            index = columns[key]
            return row[index].strip() if index is not None and index < len(row) else ""

        regular = [cell for index, cell in enumerate(row) if index not in special]
        notetype = value("notetype column") or default_type
        deck_name = value("deck column") or default_deck
        tags = [*headers.tags, *value("tags column").split()]
        html = html_header if html_header is not None else any(map(looks_like_html, regular))
        note = AnkiNote(
            line=line,
            notetype=notetype,
            cloze=notetype.startswith("Cloze"),
            fields=regular,
            tags=tags,
            guid=value("guid column") or None,
            html=html,
        )
        add_note(draft, path, deck_name.replace("\x1f", "::"), note)
