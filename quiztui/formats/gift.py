"""Moodle's GIFT question format, read as Moodle documents it and written so Moodle imports it.

Reading: questions are separated by blank lines (a line after a question's answers that holds
answers of its own starts a new question, and the missing blank line is reported); `//` lines are
comments, except that Moodle reads `[id:...]` and `[tag:...]` in them, and we also `[checks:...]`
and `[section:...]`; `$CATEGORY:` starts a category (a part here); `::name::` names a question;
`[markdown]`, `[html]`, `[plain]` and `[moodle]` give a text's format; a backslash escapes
`~ = # { } : \\`, and `\\n` is a line break. Inside the braces, `=` marks a right answer, `~` a
wrong one, `~%50%` a weighted one (positive weights are right), `#` gives an answer's feedback and
`####` the general feedback (the question's explanation here). With no `=` among the answers,
Moodle makes a multiple-answer question, and so do we. `{T}` or `{F}` (also TRUE, FALSE) becomes a
two-choice question. Short answer, numerical, matching, essay and description questions have no
quiztui equivalent: they are reported with their line and skipped, never guessed.

Writing: one `$CATEGORY:` per part, then every question with `// [id:] [tag:]` (and `[checks:pre]`,
`[checks:post]` or `[checks:none]` when not in both checks, `[section:]` when it has one; Moodle
ignores them), its `::id::` name, `[markdown]` text, per-choice feedback and general feedback. Key
points are left out (GIFT has no flashcards). Importing what this writes gives back the same
prompts, choices, marks, explanations, multiple-answer flags, checks and sections; GIFT trims the
spaces around every text, so they are not kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from quiztui.deck.model import CHECK_NAMES, CheckName, Choice, Deck, Question
from quiztui.formats.common import DeckDraft, choice_id, read_text
from quiztui.formats.html_text import escape_markdown, html_to_markdown, looks_like_html

_ESCAPABLE = "~=#{}:\\"
_PLACEHOLDER_BASE = 0xF0000
"""Escaped characters stand in as code points of Plane 15 (private use) while a block is parsed."""
_NEWLINE = chr(_PLACEHOLDER_BASE + len(_ESCAPABLE))
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
_TAGS = re.compile(r"\[(id|tag|checks|section):([^\]]*)\]")
_CONTEXTS = ("$course$", "$system$", "$module$", "$coursecategory$", "$cat$")
_TRUE_WORDS = {"t": True, "true": True, "f": False, "false": False}
_NO_CHECKS = "none"
"""What `[checks:]` says of a question no check asks (a review-only question)."""


def _protect(text: str) -> str:
    """Replace GIFT's escapes by placeholders, so the parser never mistakes them for syntax."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            following = text[index + 1]
            if following in _ESCAPABLE:
                out.append(chr(_PLACEHOLDER_BASE + _ESCAPABLE.index(following)))
                index += 2
                continue
            if following == "n":
                out.append(_NEWLINE)
                index += 2
                continue
        out.append(char)
        index += 1
    return "".join(out)


def _restore(text: str) -> str:
    """The placeholders back as the characters they stand for."""
    for position, char in enumerate(_ESCAPABLE):
        text = text.replace(chr(_PLACEHOLDER_BASE + position), char)
    return text.replace(_NEWLINE, "\n")


def _text(raw: str, default_format: str) -> tuple[str, str]:
    """A GIFT text as Markdown, and the format it was in (the question's is its parts' default)."""
    match = _FORMAT.match(raw)
    text_format = default_format
    if match:
        text_format = match.group(1).lower()
        raw = raw[match.end() :]
    text = _restore(raw).strip()
    if text_format == "markdown":
        return text, text_format
    if text_format == "plain":
        return escape_markdown(text).replace("\n", "\n\n"), text_format
    if looks_like_html(text):  # html, and moodle's auto-format (which allows HTML)
        return html_to_markdown(text).text, text_format
    return text.replace("\n", "\n\n"), text_format


@dataclass(slots=True)
class _Block:
    """A question's lines as the file has them, comments included, each with its line number."""

    rows: list[tuple[int, str]]

    @property
    def line(self) -> int:
        """The line the question starts on."""
        return self.rows[0][0]

    @property
    def lines(self) -> list[str]:
        """The question's own lines, comments apart."""
        return [text for _, text in self.rows if not _is_comment(text)]

    @property
    def comments(self) -> list[str]:
        """The comments' text, after the `//`."""
        return [text.lstrip()[2:] for _, text in self.rows if _is_comment(text)]


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("//")


def _is_category(line: str) -> bool:
    return line.lstrip().startswith("$CATEGORY:")


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            current = None
            continue
        if current is None:
            current = _Block([])
            blocks.append(current)
        current.rows.append((number, line))
    return blocks


def _next_question(rows: list[tuple[int, str]]) -> int | None:
    """Where a second question starts among a block's rows, when no blank line came before it.

    That is where a later line starts a category, or, when a later line holds a `{` of its own
    (GIFT has one answer block per question), at the second question's `::title::` if it has
    one (the lines before it end the first question's text), else right after the line
    closing the first question's answers. None when the block is one question.
    """
    code = [(index, text.strip()) for index, (_, text) in enumerate(rows) if not _is_comment(text)]
    if code and _is_category(code[0][1]):
        code = code[1:]
    text = _protect("\n".join(line for _, line in code))
    offset = 0
    if text.startswith("::"):
        offset = text.find("::", 2) + 2
        if offset < 2:  # the name is never closed, which the question reports
            return None
    start = text.find("{", offset)
    finish = text.find("}", start) if start >= 0 else -1
    if finish < 0:
        return None
    closing = text.count("\n", 0, finish)
    titled: int | None = None
    for index, line in code[closing + 1 :]:
        if _is_category(line):
            return index
        if titled is None and line.startswith("::"):
            titled = index
        if "{" in _protect(line):
            if titled is None:
                return code[closing][0] + 1
            # The second question starts at its `::title::`, with the comments just above it;
            # lines before those still belong to the first (text after its answers).
            cut = titled
            while cut - 1 > code[closing][0] and _is_comment(rows[cut - 1][1]):
                cut -= 1
            return cut
    return None


def _questions(block: _Block) -> list[_Block]:
    """The block split into its questions (one, unless a blank line is missing between two)."""
    pieces: list[_Block] = []
    rows = block.rows
    while (cut := _next_question(rows)) is not None:
        pieces.append(_Block(rows[:cut]))
        rows = rows[cut:]
    pieces.append(_Block(rows))
    return pieces


def _category_title(path: str) -> str:
    """A part title from a Moodle category path (`$course$/top/Default for X/Unit 1`)."""
    segments = [s.replace("\x00", "/").strip() for s in path.replace("//", "\x00").split("/")]
    segments = [s for s in segments if s]
    if segments and segments[0].lower() in _CONTEXTS:
        segments = segments[1:]
    if segments and segments[0] == "top":
        segments = segments[1:]
    if len(segments) > 1 and segments[0].startswith("Default for "):
        segments = segments[1:]
    return " / ".join(segments) or "Imported"


class _Reader:
    def __init__(self, path: Path, draft: DeckDraft) -> None:
        self.path = path
        self.draft = draft
        self.part_title = path.stem

    def block(self, block: _Block) -> None:
        for number, piece in enumerate(_questions(block)):
            if number:
                self.draft.note(
                    self.path,
                    piece.line,
                    "no blank line before this line: read as a new question"
                    " (GIFT needs a blank line between questions)",
                )
            self.one(piece)

    def one(self, block: _Block) -> None:
        lines = block.lines
        if lines and _is_category(lines[0]):
            self.part_title = _category_title(lines[0].split(":", 1)[1].strip())
            lines = lines[1:]
            if not lines:
                return
        if not lines:
            return
        self.question(block.line, "\n".join(line.strip() for line in lines), block.comments)

    def skip(self, line: int, what: str) -> None:
        self.draft.note(self.path, line, f"{what}: quiztui has no such question; skipped")

    def question(self, line: int, raw: str, comments: list[str]) -> None:
        text = _protect(raw)
        name = ""
        if text.startswith("::"):
            end = text.find("::", 2)
            if end < 0:
                self.draft.note(self.path, line, "the question name (::name::) is never closed")
                return
            name = _restore(text[2:end]).strip()
            text = text[end + 2 :].lstrip()
        start = text.find("{")
        if start < 0:
            self.skip(line, "a description (text without answers)")
            return
        finish = text.find("}", start)
        if finish < 0:
            self.draft.note(self.path, line, "the answers' { is never closed by }; skipped")
            return
        before, answers, after = text[:start], text[start + 1 : finish].strip(), text[finish + 1 :]
        if "{" in after:
            message = (
                "a second {...} follows the answers on the same line, which one question"
                " cannot hold; put each question in its own paragraph; skipped"
            )
            self.draft.note(self.path, line, message)
            return
        prompt_raw = before.rstrip()
        if after.strip():
            prompt_raw = f"{before.rstrip()} _____ {after.strip()}"
        prompt, text_format = _text(prompt_raw, "moodle")
        general: str | None = None
        if "####" in answers:
            answers, general_raw = answers.split("####", 1)
            general = _text(general_raw, text_format)[0] or None
            answers = answers.strip()
        if not answers:
            self.skip(line, "an essay question ({})")
            return
        if answers.startswith("#"):
            self.skip(line, "a numerical question ({#...})")
            return
        if not prompt:
            self.draft.note(self.path, line, "the question has no text; skipped")
            return
        labels = [(kind, value.strip()) for kind, value in _TAGS.findall(" ".join(comments))]
        ids = [value for kind, value in labels if kind == "id"]
        tags = tuple(value for kind, value in labels if kind == "tag" and value)
        sections = [value for kind, value in labels if kind == "section" and value]
        checks = self.checks(line, [value for kind, value in labels if kind == "checks"])
        question_id = self.draft.new_id(ids[0] if ids else name, "q", prompt)
        if name and ids:
            self.draft.comment(question_id, f"GIFT name: {name}")
        if "~" in answers:
            choices, multiple = self.multichoice(line, answers, text_format, question_id)
            shuffle = True
        elif "->" in answers:
            self.skip(line, "a matching question (=item -> match)")
            return
        elif "=" not in answers:
            parts = answers.split("#")
            truth = _TRUE_WORDS.get(_restore(parts[0]).strip().lower())
            if truth is None:
                shown = _restore(answers)
                self.draft.note(self.path, line, f"unreadable answers {{{shown}}}; skipped")
                return
            wrong_feedback = _text(parts[1], text_format)[0] if len(parts) > 1 else ""
            right_feedback = _text(parts[2], text_format)[0] if len(parts) > 2 else ""
            choices = [
                Choice(
                    "true",
                    "True",
                    truth,
                    (right_feedback if truth else wrong_feedback) or None,
                ),
                Choice(
                    "false",
                    "False",
                    not truth,
                    (wrong_feedback if truth else right_feedback) or None,
                ),
            ]
            multiple, shuffle = False, False
        else:
            self.skip(line, "a short-answer question (only = answers)")
            return
        if choices is None:
            return
        question = Question(
            id=question_id,
            prompt=prompt,
            choices=tuple(choices),
            checks=checks,
            explanation=general,
            tags=tags,
            section=sections[0] if sections else None,
            shuffle=shuffle,
            multiple=multiple,
            line=line,
        )
        self.draft.add_question(self.part_title, question)

    def checks(self, line: int, labels: list[str]) -> frozenset[CheckName]:
        """The checks `[checks:pre]`, `[checks:post]` or `[checks:none]` name (both if none)."""
        if not labels:
            return frozenset(CHECK_NAMES)
        names = {name for name in re.split(r"[\s,]+", labels[0].lower()) if name}
        if names == {_NO_CHECKS}:
            return frozenset()
        checks = frozenset(name for name in CHECK_NAMES if name in names)
        if not checks or len(checks) < len(names):
            known = ", ".join((*CHECK_NAMES, _NO_CHECKS))
            message = f"unknown [checks:{labels[0]}] (quiztui's are {known}); asked in both checks"
            self.draft.note(self.path, line, message)
            return frozenset(CHECK_NAMES)
        return checks

    def multichoice(
        self, line: int, answers: str, text_format: str, question_id: str
    ) -> tuple[list[Choice] | None, bool]:
        pieces = re.split(r"([=~])", answers)
        single = "=" in answers
        raw_choices: list[tuple[bool, float | None, str, str | None]] = []
        for marker, body in zip(pieces[1::2], pieces[2::2], strict=True):
            weight: float | None = None
            match = _WEIGHT.match(body)
            if match:
                weight = float(match.group(1))
                body = body[match.end() :]
            text_raw, _, feedback_raw = body.partition("#")
            text = _text(text_raw, text_format)[0]
            feedback = _text(feedback_raw, text_format)[0] if feedback_raw.strip() else None
            raw_choices.append((marker == "=", weight, text, feedback))
        choices: list[Choice] = []
        partial: list[str] = []
        for index, (is_equal, weight, text, feedback) in enumerate(raw_choices):
            if not text:
                self.draft.note(self.path, line, f"answer {index + 1} has no text; skipped")
                return None, False
            if single:
                correct = (is_equal and (weight is None or weight > 0)) or weight == 100
                if weight is not None and 0 < weight < 100:
                    partial.append(f"{weight:g}% for {text!r}")
            else:
                correct = weight is not None and weight > 0
            choices.append(Choice(choice_id(index), text, correct, feedback))
        if len(choices) < 2:
            self.draft.note(self.path, line, "a question needs at least two answers; skipped")
            return None, False
        correct_count = sum(choice.correct for choice in choices)
        if correct_count == 0:
            self.draft.note(self.path, line, "no answer has a positive weight; skipped")
            return None, False
        if partial:
            message = "partial credit not carried (counted wrong): " + ", ".join(partial)
            self.draft.note(self.path, line, message)
            self.draft.comment(question_id, message)
        multiple = not single
        if single and correct_count > 1:
            multiple = True
            message = "several answers get full marks; imported as choose-all-that-apply"
            self.draft.note(self.path, line, message)
            self.draft.comment(question_id, message)
        return choices, multiple


def read_gift(path: Path, draft: DeckDraft) -> None:
    """Add every question of a GIFT file to the draft, reporting what cannot be carried."""
    reader = _Reader(path, draft)
    for block in _blocks(read_text(path)):
        reader.block(block)


# -- writing ---------------------------------------------------------------------------------

_STARTS_WITH_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)


def escape(text: str) -> str:
    """Text with GIFT's special characters escaped and line breaks as `\\n`, on one line."""
    out = []
    for char in text.strip():
        if char in _ESCAPABLE:
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        else:
            out.append(char)
    return "".join(out)


def _part_text(text: str) -> str:
    """An answer's or feedback's text; marked Markdown if it would otherwise look like a format."""
    escaped = escape(text)
    return f"[markdown]{escaped}" if _STARTS_WITH_FORMAT.match(escaped) else escaped


def _weight(count: int) -> str:
    return f"{100 / count:.5f}".rstrip("0").rstrip(".")


def _answer(choice: Choice, question: Question, correct_count: int) -> str:
    text = _part_text(choice.text)
    if question.multiple:
        weight = _weight(correct_count) if choice.correct else "-100"
        line = f"~%{weight}%{text}"
    elif text.startswith("%"):  # keep a leading % from reading as a weight
        line = f"=%100%{text}" if choice.correct else f"~%0%{text}"
    else:
        line = f"={text}" if choice.correct else f"~{text}"
    if choice.explanation:
        line += f"#{_part_text(choice.explanation)}"
    return line


def _category(title: str) -> str:
    flat = " ".join(title.split())
    return "$course$/top/" + flat.replace("/", "//")


def _tag_ok(tag: str) -> bool:
    return "]" not in tag and "\n" not in tag and tag.strip() == tag


def _labels(question: Question, notes: list[str]) -> str:
    """The `[id:] [tag:] [checks:] [section:]` comment that carries what GIFT has no place for."""
    tags = [tag for tag in question.tags if _tag_ok(tag)]
    if len(tags) < len(question.tags):
        notes.append(f"{question.id}: a tag with ']' or a line break was left out")
    labels = [f"[id:{question.id}]", *(f"[tag:{tag}]" for tag in tags)]
    if question.checks != frozenset(CHECK_NAMES):
        names: list[str] = [name for name in CHECK_NAMES if name in question.checks]
        labels.append(f"[checks:{','.join(names) or _NO_CHECKS}]")
    section = (question.section or "").strip()
    if section and _tag_ok(section):
        labels.append(f"[section:{section}]")
    elif section:
        notes.append(f"{question.id}: a section with ']' or a line break was left out")
    return " ".join(labels)


def deck_to_gift(deck: Deck) -> tuple[str, list[str]]:
    """The deck's questions as a GIFT file, and notes on what GIFT could not hold."""
    notes: list[str] = []
    out = [
        f"// {deck.title} (quiztui deck {deck.id}, version {deck.version})".replace("\n", " "),
        "",
    ]
    key_points = 0
    for part in deck.parts:
        key_points += len(part.key_points)
        if not part.questions:
            continue
        out += [f"$CATEGORY: {_category(part.title)}", ""]
        for question in part.questions:
            out.append(f"// {_labels(question, notes)}")
            out.append(f"::{question.id}::[markdown]{escape(question.prompt)} {{")
            correct_count = len(question.correct_choice_ids)
            for choice in question.choices:
                out.append("\t" + _answer(choice, question, correct_count))
            if question.explanation:
                out.append(f"\t####{_part_text(question.explanation)}")
            out += ["}", ""]
    if key_points:
        notes.append(f"{key_points} key points left out: GIFT has no flashcards")
    return "\n".join(out).rstrip() + "\n", notes
