"""Safe, YAML 1.2-minded reading of a deck file into a small tree that remembers lines and columns.

Why not `yaml.safe_load`: PyYAML reads YAML 1.1, so a choice written `No` becomes False, `12:30`
becomes 750 and `012` becomes 10, while editors (YAML 1.2) show the text; it silently keeps the last
of two equal keys; it expands aliases (a 370-byte alias chain expands to 80 MB); and libyaml's
recursive composer kills the process at about 50,000 nested `[`, and is quadratic on unclosed `{`.

So we take libyaml's *event* stream (the pure-Python parser when libyaml is missing; same events),
which is produced lazily and without recursion, and build the tree ourselves with an explicit stack:
every scalar stays the exact text written (the validator gives it a type by field), anchors and
aliases are rejected without ever being expanded, duplicate keys are reported with both lines, tags
other than YAML's core ones are rejected, and reading stops at the first level deeper than
`MAX_DEPTH`, long before libyaml could get into trouble. Before any of that the raw bytes are
checked: size cap, binary content, UTF-8, control characters.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from quiztui.deck.problems import DeckError, Problem, clip

MAX_FILE_BYTES = 32 * 1024 * 1024
"""The largest deck file we read (32 MiB).

A real chapter's deck is well under 1 MB; the 10,000-item benchmark deck (bench/deckgen.py) is about
10 MB. 32 MiB leaves three times that, while bounding memory (about 10x the file size while loading)
and time (about a second) for a file that is not a deck at all.
"""

MAX_DEPTH = 64
"""The deepest nesting of lists and mappings we accept; a deck needs 6 levels."""

_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
"""Characters YAML forbids in a stream (the same set PyYAML's reader checks)."""

_CORE_TAG_PREFIX = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(
    {"!"}
    | {_CORE_TAG_PREFIX + name for name in ("str", "int", "float", "bool", "null", "map", "seq")}
)
"""Explicit tags that change nothing for us: the field decides the type anyway."""

_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(slots=True)
class Scalar:
    """A scalar exactly as written: quoted or not, it is text until a field gives it a type."""

    text: str
    plain: bool
    """True when written without quotes or block style, so `null`, `true` and `1` may mean more."""
    line: int
    column: int
    cut_by_comment: bool = False
    """True when plain and followed by ` #` (one space): YAML took the rest for a comment."""

    @property
    def is_null(self) -> bool:
        """True for an unquoted `null`, `~`, or nothing at all (YAML 1.2's null)."""
        return self.plain and self.text in _NULL_WORDS


@dataclass(slots=True)
class Mapping:
    """A mapping whose keys are text; `entries` maps each key to its key scalar and its value."""

    entries: dict[str, tuple[Scalar, Node]]
    line: int
    column: int


@dataclass(slots=True)
class Sequence:
    """A list of nodes."""

    items: list[Node]
    line: int
    column: int


@dataclass(slots=True)
class Rejected:
    """Stands in for a node already reported as a problem (an alias), so nobody reports it twice."""

    line: int
    column: int


Node = Scalar | Mapping | Sequence | Rejected


class _Open:
    """A collection still being read, and (for a mapping) the key waiting for its value."""

    __slots__ = ("key", "node")

    def __init__(self, node: Mapping | Sequence) -> None:
        self.node = node
        self.key: Scalar | Literal[False] | None = None
        """None: the next node is a key; a Scalar: the next node is its value; False: skip it."""


def _libyaml_available() -> bool:
    return getattr(yaml, "__with_libyaml__", False)


def _event_source(text: str, use_libyaml: bool) -> object:
    """A parser object with `get_event()`: libyaml's when asked for and present, else PyYAML's."""
    if use_libyaml:
        from yaml._yaml import CParser

        return CParser(text)
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _PureParser(Reader, Scanner, Parser):
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)

    return _PureParser(text)


def _position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset in `text`."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def open_deck_file(path: Path) -> int:
    """A descriptor open for reading on a deck file that is safe to read; DeckError if not.

    Refused, before a byte is read: a link to a file outside the folder the link is in (a
    deck folder must not be a window on /etc/shadow), and anything that is not a regular file
    (a FIFO or a device named x.yaml would block a read, or never end). The open never blocks.
    """
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(path.parent.resolve()):
            raise DeckError(
                [
                    Problem(
                        path,
                        0,
                        0,
                        "is a link to a file outside its folder; quiztui does not follow it",
                        "open the file it points to by its own path, or copy it here",
                    )
                ]
            )
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError:
        raise DeckError([Problem(path, 0, 0, "is a folder, not a deck file")]) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise DeckError([Problem(path, 0, 0, f"cannot read the file: {reason}")]) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        what = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a FIFO, socket or device)"
        raise DeckError([Problem(path, 0, 0, f"is {what}, not a deck file")])
    return descriptor


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing an unsafe file (see `open_deck_file`) or one over the size
    cap before reading it."""
    descriptor = open_deck_file(path)
    try:
        with os.fdopen(descriptor, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise DeckError([_too_big(path, size)])
            # Read what stat reported plus one byte: asking for the whole cap would allocate
            # 32 MiB up front. A file that grew meanwhile is read on, to the cap.
            data = stream.read(size + 1)
            if len(data) > size:
                data += stream.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as error:
        reason = error.strerror or str(error)
        raise DeckError([Problem(path, 0, 0, f"cannot read the file: {reason}")]) from None
    if len(data) > MAX_FILE_BYTES:  # it grew while we looked
        raise DeckError([_too_big(path, len(data))])
    return data


def _too_big(path: Path, size: int) -> Problem:
    return Problem(
        path,
        1,
        1,
        f"the file is {size / 2**20:.1f} MiB; decks may be at most {MAX_FILE_BYTES // 2**20} MiB",
        "split the chapter into several decks",
    )


def decode(data: bytes, path: Path) -> str:
    """The text of a deck file: UTF-8 (a byte-order mark is allowed), never binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DeckError([Problem(path, 1, 1, "the file is UTF-16, not UTF-8", "save it as UTF-8")])
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        column = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
        raise DeckError(
            [
                Problem(
                    path,
                    line,
                    column,
                    "this is a binary file (it contains a NUL byte), not a YAML deck",
                    "a deck is a UTF-8 text file ending in .yaml",
                )
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8", "replace")) + 1
        raise DeckError(
            [
                Problem(
                    path,
                    line,
                    column,
                    f"the file is not UTF-8 (byte 0x{data[error.start]:02x} here)",
                    "save it as UTF-8",
                )
            ]
        ) from None


def _check_text(text: str, path: Path) -> None:
    """Refuse text that is too big, empty, or holds characters YAML forbids."""
    if len(text) > MAX_FILE_BYTES or (
        len(text) * 4 > MAX_FILE_BYTES
        and len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES
    ):
        raise DeckError([_too_big(path, len(text.encode("utf-8", "surrogatepass")))])
    if not text.strip():
        raise DeckError(
            [
                Problem(
                    path, 1, 1, "the file is empty", "start from the example in docs/deck-format.md"
                )
            ]
        )
    bad = _NON_PRINTABLE.search(text)
    if bad:
        line, column = _position(text, bad.start())
        char = bad.group()
        if char == "\x00":
            message = "this is a binary file (it contains a NUL character), not a YAML deck"
        else:
            message = f"the character U+{ord(char):04X} is not allowed in a YAML file"
        raise DeckError([Problem(path, line, column, message, "remove it")])


_SURROGATE_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE_PAIR = re.compile(
    r"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})"
)


def _join_surrogate_escapes(text: str, path: Path) -> str:
    """Turn JSON's surrogate-pair escapes (emoji as \\ud83d\\ude00) into one \\U escape.

    JSON writers (Python's json.dumps among them) escape characters beyond U+FFFF that way;
    libyaml refuses such escapes and PyYAML's own parser keeps two broken halves, so both get the
    YAML spelling instead (a problem later on such a line may be reported 2 columns off). A lone
    half is not a character at all and is refused.
    """
    if "\\u" not in text or _SURROGATE_ESCAPE.search(text) is None:
        return text

    def joined(match: re.Match[str]) -> str:
        high, low = int(match.group(2), 16), int(match.group(3), 16)
        code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        return f"{match.group(1)}\\U{code:08x}"

    text = _SURROGATE_PAIR.sub(joined, text)
    lone = _SURROGATE_ESCAPE.search(text)
    if lone is not None:
        line, column = _position(text, lone.end() - 6)
        raise DeckError(
            [
                Problem(
                    path,
                    line,
                    column,
                    "this \\u escape is half of a UTF-16 surrogate pair, not a character",
                    "write the character itself, or its \\U00XXXXXX escape",
                )
            ]
        )
    return text


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE_TAG_PREFIX) if tag.startswith(_CORE_TAG_PREFIX) else tag


def _tag_problem(path: Path, tag: str, line: int, column: int) -> Problem:
    if tag.startswith(_CORE_TAG_PREFIX + "python/"):
        return Problem(
            path,
            line,
            column,
            f"Python tags ({clip(_tag_name(tag))}) are not allowed in a deck",
            "remove the tag",
        )
    return Problem(
        path,
        line,
        column,
        f"the YAML tag {clip(_tag_name(tag))} is not supported",
        "remove the tag",
    )


_STAR_VALUE = re.compile(
    r"""^(?P<lead>\s*(?:-\s+)*(?:(?P<key>[A-Za-z_$][\w$-]*):\s+)?(?:-\s+)*)(?P<value>\*.*?)\s*$"""
)
"""A line whose value starts with `*`: Markdown emphasis that YAML reads as an alias."""


def _star_problem(path: Path, text: str, rows: list[int]) -> Problem | None:
    """The problem for unquoted text starting with `*` or `**` on one of these rows, if any."""
    lines = text.splitlines()
    for row in rows:
        if not 0 <= row < len(lines):
            continue
        match = _STAR_VALUE.match(lines[row])
        if match is None:
            continue
        value = clip(match.group("value"))
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        key = f"{match.group('key')}: " if match.group("key") else ""
        return Problem(
            path,
            row + 1,
            match.end("lead") + 1,
            "YAML syntax error: unquoted text starting with * is read as a YAML alias,"
            " not as Markdown emphasis",
            f"put the whole text in double quotes: {key}{quoted}",
        )
    return None


def _syntax_problem(error: yaml.YAMLError, text: str, path: Path) -> Problem:
    """One clear problem for a YAML syntax error, with a hint for the usual causes."""
    mark = getattr(error, "problem_mark", None)
    if mark is None:
        return Problem(path, 1, 1, f"YAML syntax error: {error}")
    line, column = mark.line + 1, mark.column + 1
    context_mark = getattr(error, "context_mark", None)
    rows = [mark.line] + ([context_mark.line] if context_mark is not None else [])
    star = _star_problem(path, text, rows)
    if star is not None:
        return star
    problem = (getattr(error, "problem", None) or "").strip()
    context = (getattr(error, "context", None) or "").strip()
    context_mark = getattr(error, "context_mark", None)
    hint: str | None = None
    if "maximum nesting depth" in problem:
        # Newer libyaml stops at its own depth limit before our MAX_DEPTH check sees the events.
        return Problem(
            path,
            line,
            column,
            f"lists and mappings nest more than {MAX_DEPTH} levels deep here",
            "a deck needs a few levels; check the brackets and indentation",
        )
    if "cannot start any token" in problem:
        lines = text.splitlines()
        row = lines[mark.line] if mark.line < len(lines) else ""
        char = row[mark.column] if mark.column < len(row) else ""
        if char == "\t":
            problem, hint = "a tab cannot indent YAML", "indent with spaces"
        else:
            problem = f"a value cannot start with {char!r}" if char else problem
            hint = "put the text in double quotes"
    elif "tab" in problem:
        hint = "indent with spaces"
    elif "mapping values are not allowed" in problem:
        problem = "a ': ' inside a value, or a key indented where none can start"
        hint = "put text containing ': ' in double quotes, or check this line's indentation"
    elif "while scanning a quoted scalar" in context and context_mark is not None:
        line, column = context_mark.line + 1, context_mark.column + 1
        problem = "this quoted text is never closed"
        hint = "add the closing quote"
    elif context.startswith("while parsing a block") or "expected <block end>" in problem:
        hint = "check this line's indentation against the lines above"
    elif context.startswith("while parsing a flow") and context_mark is not None:
        hint = f"the [ or {{ opened on line {context_mark.line + 1} is not closed properly"
    return Problem(path, line, column, f"YAML syntax error: {problem}", hint)


def compose(
    text: str, path: Path, *, use_libyaml: bool | None = None
) -> tuple[Node, list[Problem]]:
    """The deck's tree, and the problems found while building it (duplicate keys, tags, anchors).

    Raises DeckError for what leaves no tree to validate: an empty or forbidden text, a YAML syntax
    error, nesting deeper than MAX_DEPTH, more than one document.
    """
    _check_text(text, path)
    text = _join_surrogate_escapes(text, path)
    if use_libyaml is None:
        use_libyaml = _libyaml_available()
    parser = _event_source(text, use_libyaml)
    get_event = parser.get_event  # type: ignore[attr-defined]
    problems: list[Problem] = []
    stack: list[_Open] = []
    root: Node | None = None
    documents = 0
    try:
        while True:
            event = get_event()
            if event is None:
                break
            kind = type(event)
            if kind is ScalarEvent:
                mark = event.start_mark
                plain = not event.style
                end = event.end_mark.index
                node: Node = Scalar(
                    event.value,
                    plain,
                    mark.line + 1,
                    mark.column + 1,
                    plain and text[end : end + 2] == " #",
                )
                tag = event.tag
                if tag is not None and tag not in _ALLOWED_TAGS:
                    problems.append(_tag_problem(path, tag, node.line, node.column))
                if event.anchor is not None:
                    problems.append(_anchor_problem(path, event.anchor, node.line, node.column))
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                mark = event.start_mark
                line, column = mark.line + 1, mark.column + 1
                if len(stack) >= MAX_DEPTH:
                    raise DeckError(
                        [
                            Problem(
                                path,
                                line,
                                column,
                                f"lists and mappings nest more than {MAX_DEPTH} levels deep here",
                                "a deck needs a few levels; check the brackets and indentation",
                            )
                        ]
                    )
                tag = event.tag
                if tag is not None and tag not in _ALLOWED_TAGS:
                    problems.append(_tag_problem(path, tag, line, column))
                if event.anchor is not None:
                    problems.append(_anchor_problem(path, event.anchor, line, column))
                container: Mapping | Sequence = (
                    Mapping({}, line, column)
                    if kind is MappingStartEvent
                    else Sequence([], line, column)
                )
                stack.append(_Open(container))
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                node = stack.pop().node
            elif kind is AliasEvent:
                mark = event.start_mark
                node = Rejected(mark.line + 1, mark.column + 1)
                problems.append(
                    Problem(
                        path,
                        node.line,
                        node.column,
                        f"YAML aliases (*{clip(event.anchor)}) are not allowed in a deck",
                        "write the value out; put text that starts with * in double quotes",
                    )
                )
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    raise DeckError(
                        [
                            Problem(
                                path,
                                mark.line + 1,
                                mark.column + 1,
                                "a deck is a single YAML document, but a second one starts here",
                                "remove the '---' line, or put the second deck in its own file",
                            )
                        ]
                    )
                continue
            else:
                continue
            if not stack:
                root = node
                continue
            frame = stack[-1]
            parent = frame.node
            if type(parent) is Sequence:
                parent.items.append(node)
                continue
            key = frame.key
            if key is None:
                if type(node) is Scalar:
                    frame.key = node
                else:
                    frame.key = False
                    if type(node) is not Rejected:
                        problems.append(
                            Problem(
                                path,
                                node.line,
                                node.column,
                                "a key must be plain text, not a list or mapping",
                                "check the indentation and the '?' and ':' on this line",
                            )
                        )
                continue
            frame.key = None
            if key is False or type(parent) is not Mapping:
                continue
            first = parent.entries.get(key.text)
            if first is None:
                parent.entries[key.text] = (key, node)
            else:
                problems.append(
                    Problem(
                        path,
                        key.line,
                        key.column,
                        f"duplicate key {clip(key.text)!r}: it is already on line {first[0].line}",
                        "keep one of the two; YAML does not allow the same key twice in a mapping",
                    )
                )
    except yaml.YAMLError as error:
        raise DeckError([_syntax_problem(error, text, path)]) from None
    if root is None:
        raise DeckError(
            [Problem(path, 1, 1, "the file is empty (only comments)", "add the deck's keys")]
        )
    return root, problems


def _anchor_problem(path: Path, anchor: str, line: int, column: int) -> Problem:
    return Problem(
        path,
        line,
        column,
        f"YAML anchors (&{clip(anchor)}) are not allowed in a deck",
        "write the value out; put text that starts with & in double quotes",
    )
