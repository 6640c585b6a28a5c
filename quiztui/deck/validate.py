"""Checking a read deck tree against format v1 and building the model from it, in one walk.

Every problem is collected rather than raised, so an instructor sees all of them in one run; the
caller turns a non-empty list into a DeckError and never hands out a half-built deck. Scalars arrive
as the exact text written (see yaml_reader), and each field decides what its text means: `No` stays
the text "No" in a choice, while `correct: yes` is an error rather than a silent True.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from quiztui.deck.model import (
    CHECK_NAMES,
    CheckName,
    Choice,
    Deck,
    KeyPoint,
    Part,
    Question,
    Source,
)
from quiztui.deck.problems import Problem, clip
from quiztui.deck.yaml_reader import Mapping, Node, Rejected, Scalar, Sequence

FORMAT_VERSION = 1
"""The deck format this quiztui reads."""

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]*")
"""Ids are slugs: lowercase letters and digits, then also '.', '_' and '-'."""
ID_PATTERN_TEXT = "^[a-z0-9][a-z0-9._-]*$"

DECK_KEYS = (
    "$schema",
    "format",
    "id",
    "renamed_from",
    "title",
    "version",
    "description",
    "source",
    "parts",
)
SOURCE_KEYS = ("title", "author", "url", "license")
PART_KEYS = ("id", "renamed_from", "title", "description", "key_points", "questions")
KEY_POINT_KEYS = ("id", "renamed_from", "front", "back", "explanation", "section", "tags")
QUESTION_KEYS = (
    "id",
    "renamed_from",
    "prompt",
    "checks",
    "shuffle",
    "multiple",
    "section",
    "tags",
    "explanation",
    "choices",
)
CHOICE_KEYS = ("id", "text", "correct", "explanation")

PLACEHOLDER_EXPLANATION = "The imported question came without an explanation: write one here."
"""What `quiztui import` writes where the source had no explanation: valid, so the deck loads,
but warned about, since a learner would read it."""
KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "deck": DECK_KEYS,
    "source": SOURCE_KEYS,
    "part": PART_KEYS,
    "key_point": KEY_POINT_KEYS,
    "question": QUESTION_KEYS,
    "choice": CHOICE_KEYS,
}
"""Every key each kind of mapping accepts; the JSON Schema must list exactly these."""

_REQUIRED: dict[str, tuple[str, ...]] = {
    "deck": ("id", "title", "version", "parts"),
    "source": ("title",),
    "part": ("id", "title"),
    "key_point": ("id", "front", "back"),
    "question": ("id", "prompt", "choices"),
    "choice": ("id", "text"),
}

_WHAT = {
    "deck": "the deck",
    "source": "`source`",
    "part": "a part",
    "key_point": "a key point",
    "question": "a question",
    "choice": "a choice",
}

_USUAL_MISTAKES = {
    "question": "prompt",
    "answer": "choices",
    "answers": "choices",
    "options": "choices",
    "is_correct": "correct",
    "right": "correct",
    "name": "title",
    "keypoints": "key_points",
    "key-points": "key_points",
    "cards": "key_points",
    "flashcards": "key_points",
    "check": "checks",
    "tag": "tags",
    "question_text": "prompt",
    "sections": "parts",
}
"""Keys people reach for that difflib would not match, and what they mean."""

_TRUE_WORDS = frozenset({"true", "True", "TRUE"})
_FALSE_WORDS = frozenset({"false", "False", "FALSE"})
_YAML11_BOOLS = frozenset({"yes", "no", "on", "off", "y", "n"})
_INTEGER = re.compile(r"[-+]?[0-9]+")


def _describe(node: Node) -> str:
    """How a node reads in a message: 'a list', 'a mapping', 'nothing', or the text itself."""
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    if isinstance(node, Scalar):
        if node.is_null:
            return "nothing"
        shown = node.text if len(node.text) <= 40 else node.text[:37] + "..."
        return f"{shown!r}"
    return "an alias"


def _slug_suggestion(text: str) -> str:
    """A valid id close to what was written, for the hint."""
    slug = re.sub(r"[^a-z0-9._-]+", "-", text.strip().lower()).strip("-._")
    return slug or "my-id"


class DeckValidator:
    """Walks one deck tree, collecting problems and building the model as it goes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        """Errors: any of them keeps the deck from loading."""
        self.warnings: list[Problem] = []
        """What loads but is probably not what the author meant."""
        self._item_ids: dict[str, int] = {}
        """Every key point and question id seen so far, with its line: ids are deck-wide."""
        self._old_item_ids: dict[str, Node] = {}
        """Every id listed in an item's `renamed_from`, with where it is listed."""

    # -- reporting -------------------------------------------------------------------------

    def report(self, where: Node, message: str, hint: str | None = None) -> None:
        """Record a problem at a node's position."""
        self.problems.append(Problem(self.path, where.line, where.column, message, hint))

    def warn(self, where: Node, message: str, hint: str | None = None) -> None:
        """Record a warning at a node's position (the deck still loads)."""
        self.warnings.append(
            Problem(self.path, where.line, where.column, message, hint, severity="warning")
        )

    # -- shapes ----------------------------------------------------------------------------

    def entries(self, node: Node, kind: str) -> dict[str, tuple[Scalar, Node]] | None:
        """A mapping's entries after checking its keys, or None when it is not a mapping."""
        if isinstance(node, Rejected):
            return None
        if not isinstance(node, Mapping):
            keys = ", ".join(_REQUIRED[kind])
            self.report(
                node,
                f"{_WHAT[kind]} must be a mapping (key: value lines), found {_describe(node)}",
                f"it needs at least {keys}",
            )
            return None
        entries = node.entries
        known = KNOWN_KEYS[kind]
        for key_text, (key, _value) in entries.items():
            if key_text not in known:
                self._unknown_key(key, kind, known)
        missing = [name for name in _REQUIRED[kind] if name not in entries]
        if missing:
            names = ", ".join(f"`{name}`" for name in missing)
            self.report(node, f"{_WHAT[kind]} is missing {names}")
        return entries

    def _unknown_key(self, key: Scalar, kind: str, known: tuple[str, ...]) -> None:
        guess = _USUAL_MISTAKES.get(key.text.lower())
        if guess not in known:
            close = difflib.get_close_matches(key.text.lower(), known, n=1, cutoff=0.6)
            guess = close[0] if close else None
        if guess is not None:
            hint = f"did you mean `{guess}`?"
        else:
            hint = f"{_WHAT[kind]} may have: " + ", ".join(k for k in known if k != "$schema")
        self.report(key, f"unknown key `{clip(key.text)}` in {_WHAT[kind]}", hint)

    def text(self, entries: dict[str, tuple[Scalar, Node]], key: str) -> str | None:
        """A text field's value as written, or None when absent (or reported as wrong)."""
        entry = entries.get(key)
        if entry is None:
            return None
        value = entry[1]
        if type(value) is Scalar:
            if value.is_null or not value.text.strip():
                self.report(value, f"`{key}` is empty", "write the text, or remove the key")
                return None
            if value.cut_by_comment and key != "id":
                self.warn(
                    value,
                    f"`{key}` stops before ' #': YAML reads the rest of the line as a comment",
                    "put the whole text in double quotes; before a comment, leave two spaces",
                )
            return value.text
        if not isinstance(value, Rejected):
            self.report(
                value,
                f"`{key}` must be text, found {_describe(value)}",
                "put the whole text on the line after the key, in double quotes or after `|`",
            )
        return None

    def identifier(self, entries: dict[str, tuple[Scalar, Node]], what: str) -> str | None:
        """The `id` field, checked to be a slug."""
        text = self.text(entries, "id")
        if text is None:
            return None
        if ID_PATTERN.fullmatch(text) is None:
            self.report(
                entries["id"][1],
                f"{what} id {clip(text)!r} is not a valid id",
                "use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit,"
                f" e.g. {clip(_slug_suggestion(text))!r}",
            )
            return None
        return text

    def boolean(self, entries: dict[str, tuple[Scalar, Node]], key: str, default: bool) -> bool:
        """A true/false field; YAML 1.1's yes/no/on/off are refused, not guessed."""
        entry = entries.get(key)
        if entry is None:
            return default
        value = entry[1]
        if type(value) is Scalar and value.plain:
            if value.text in _TRUE_WORDS:
                return True
            if value.text in _FALSE_WORDS:
                return False
        if isinstance(value, Rejected):
            return default
        if type(value) is Scalar and value.text.lower() in _YAML11_BOOLS:
            hint = "write true or false (yes/no/on/off are not booleans in YAML 1.2)"
        elif type(value) is Scalar and value.text.strip().lower() in ("true", "false"):
            hint = "remove the quotes"
        else:
            hint = "write true or false"
        self.report(value, f"`{key}` must be true or false, found {_describe(value)}", hint)
        return default

    def sequence(self, entries: dict[str, tuple[Scalar, Node]], key: str) -> list[Node] | None:
        """A list field's items; None (after a report) when it is not a list; [] when absent."""
        entry = entries.get(key)
        if entry is None:
            return []
        value = entry[1]
        if type(value) is Sequence:
            return value.items
        if type(value) is Scalar and value.is_null:
            return []
        if not isinstance(value, Rejected):
            hint = None
            if type(value) is Scalar:
                hint = f"write a list: `{key}: [{clip(value.text)}]`"
            self.report(value, f"`{key}` must be a list, found {_describe(value)}", hint)
        return None

    def text_list(self, entries: dict[str, tuple[Scalar, Node]], key: str) -> tuple[str, ...]:
        """A list of non-empty texts (tags)."""
        items = self.sequence(entries, key)
        if not items:
            return ()
        texts: list[str] = []
        for item in items:
            if type(item) is Scalar and not item.is_null and item.text.strip():
                texts.append(item.text)
            elif not isinstance(item, Rejected):
                self.report(
                    item, f"each entry of `{key}` must be non-empty text, found {_describe(item)}"
                )
        return tuple(texts)

    def renamed_from(self, entries: dict[str, tuple[Scalar, Node]], what: str) -> tuple[str, ...]:
        """The ids listed in `renamed_from`, each checked to be a slug and listed once."""
        items = self.sequence(entries, "renamed_from")
        if not items:
            return ()
        ids: list[str] = []
        for item in items:
            if isinstance(item, Rejected):
                continue
            if type(item) is not Scalar or item.is_null or ID_PATTERN.fullmatch(item.text) is None:
                self.report(
                    item,
                    f"`renamed_from` lists {_describe(item)}, which is not a valid {what} id",
                    "list the old ids exactly as they were written, e.g. [old-id]",
                )
            elif item.text in ids:
                self.report(item, f"`renamed_from` lists {clip(item.text)!r} twice", "list it once")
            else:
                ids.append(item.text)
        return tuple(ids)

    def _claim_old_item_ids(
        self, entries: dict[str, tuple[Scalar, Node]], old: tuple[str, ...]
    ) -> None:
        """Remember the old ids an item claims: two items cannot both be a renamed one."""
        if not old:
            return
        node = entries["renamed_from"][1]
        for old_id in old:
            first = self._old_item_ids.get(old_id)
            if first is not None:
                self.report(
                    node,
                    f"{old_id!r} is already listed in `renamed_from` on line {first.line}",
                    "an old id's history can follow one item only",
                )
            else:
                self._old_item_ids[old_id] = node

    def _check_renames(self, parts: tuple[Part, ...]) -> None:
        """An old id must not also be a live one: its history would belong to both."""
        for old_id, node in self._old_item_ids.items():
            if old_id in self._item_ids:
                self.report(
                    node,
                    f"`renamed_from` lists {old_id!r}, but line {self._item_ids[old_id]}"
                    " still uses that id",
                    "remove it from `renamed_from`, or give the other item a new id",
                )
        live_parts = {part.id for part in parts}
        for part in parts:
            for old_id in part.renamed_from:
                if old_id in live_parts:
                    self.report(
                        Scalar(old_id, True, part.line or 1, 1),
                        f"part {part.id!r} lists {old_id!r} in `renamed_from`, but another part"
                        " still has that id",
                        "remove it from `renamed_from`, or give the other part a new id",
                    )

    def _unique_item_id(self, item_id: str | None, entries: dict[str, tuple[Scalar, Node]]) -> None:
        if item_id is None:
            return
        node = entries["id"][1]
        first = self._item_ids.get(item_id)
        if first is None:
            self._item_ids[item_id] = node.line
        else:
            self.report(
                node,
                f"duplicate id {item_id!r}: line {first} already uses it",
                "every question and key point in a deck needs its own id; progress is kept by id",
            )

    # -- the deck --------------------------------------------------------------------------

    def deck(self, root: Node) -> Deck | None:
        """The whole deck; None when the top level is not even a mapping."""
        entries = self.entries(root, "deck")
        if entries is None:
            return None
        self._format(entries)
        deck_id = self.identifier(entries, "deck")
        deck_renamed_from = self.renamed_from(entries, "deck")
        title = self.text(entries, "title")
        version = self.text(entries, "version")
        description = self.text(entries, "description")
        self.text(entries, "$schema")
        source = None
        if "source" in entries:
            source = self.source(entries["source"][1])
        parts = self.parts(entries)
        if parts is not None:
            self._check_renames(parts)
        if deck_id is None or title is None or version is None or parts is None:
            return None
        if deck_id in deck_renamed_from:
            self.report(
                entries["renamed_from"][1],
                f"the deck lists its own id {deck_id!r} in `renamed_from`",
                "list only ids it had before",
            )
            return None
        return Deck(
            id=deck_id,
            title=title,
            version=version,
            parts=parts,
            source=source,
            description=description,
            renamed_from=deck_renamed_from,
            path=self.path,
        )

    def _format(self, entries: dict[str, tuple[Scalar, Node]]) -> None:
        entry = entries.get("format")
        if entry is None:
            return
        value = entry[1]
        if type(value) is Scalar and value.plain and _INTEGER.fullmatch(value.text):
            if int(value.text) != FORMAT_VERSION:
                self.report(
                    value,
                    f"this deck is format {int(value.text)}, but this quiztui reads format "
                    f"{FORMAT_VERSION}",
                    "upgrade quiztui, or write `format: 1`",
                )
        elif not isinstance(value, Rejected):
            self.report(
                value,
                f"`format` must be a whole number, found {_describe(value)}",
                "write `format: 1`",
            )

    def source(self, node: Node) -> Source | None:
        """The attribution block."""
        entries = self.entries(node, "source")
        if entries is None:
            return None
        title = self.text(entries, "title")
        author = self.text(entries, "author")
        url = self.text(entries, "url")
        license_ = self.text(entries, "license")
        if title is None:
            return None
        return Source(title=title, author=author, url=url, license=license_)

    def parts(self, entries: dict[str, tuple[Scalar, Node]]) -> tuple[Part, ...] | None:
        """Every part, in study order; None when any is broken."""
        if "parts" not in entries:
            return None
        items = self.sequence(entries, "parts")
        if items is None:
            return None
        if not items:
            self.report(
                entries["parts"][1], "a deck needs at least one part", "add a list of parts"
            )
            return None
        part_ids: dict[str, int] = {}
        parts: list[Part] = []
        complete = True
        for node in items:
            part = self.part(node, part_ids)
            if part is None:
                complete = False
            else:
                parts.append(part)
        return tuple(parts) if complete else None

    def part(self, node: Node, part_ids: dict[str, int]) -> Part | None:
        """One part with its key points and questions."""
        entries = self.entries(node, "part")
        if entries is None:
            return None
        part_id = self.identifier(entries, "part")
        if part_id is not None:
            first = part_ids.get(part_id)
            id_node = entries["id"][1]
            if first is None:
                part_ids[part_id] = id_node.line
            else:
                self.report(
                    id_node,
                    f"duplicate part id {part_id!r}: line {first} already uses it",
                    "give every part its own id",
                )
        part_renamed_from = self.renamed_from(entries, "part")
        title = self.text(entries, "title")
        description = self.text(entries, "description")
        key_point_nodes = self.sequence(entries, "key_points")
        question_nodes = self.sequence(entries, "questions")
        complete = key_point_nodes is not None and question_nodes is not None
        key_points: list[KeyPoint] = []
        for item in key_point_nodes or ():
            key_point = self.key_point(item)
            if key_point is None:
                complete = False
            else:
                key_points.append(key_point)
        questions: list[Question] = []
        for item in question_nodes or ():
            question = self.question(item)
            if question is None:
                complete = False
            else:
                questions.append(question)
        if key_point_nodes == [] and question_nodes == []:
            self.report(
                node,
                f"part {part_id or ''!r} has no key points and no questions",
                "add `key_points` or `questions`, or remove the part",
            )
            complete = False
        if not complete or part_id is None or title is None:
            return None
        return Part(
            id=part_id,
            title=title,
            key_points=tuple(key_points),
            questions=tuple(questions),
            description=description,
            renamed_from=part_renamed_from,
            line=node.line,
        )

    def key_point(self, node: Node) -> KeyPoint | None:
        """One flashcard."""
        entries = self.entries(node, "key_point")
        if entries is None:
            return None
        item_id = self.identifier(entries, "key point")
        self._unique_item_id(item_id, entries)
        old_ids = self.renamed_from(entries, "key point")
        self._claim_old_item_ids(entries, old_ids)
        front = self.text(entries, "front")
        back = self.text(entries, "back")
        explanation = self.text(entries, "explanation")
        section = self.text(entries, "section")
        tags = self.text_list(entries, "tags")
        if item_id is None or front is None or back is None:
            return None
        return KeyPoint(
            id=item_id,
            front=front,
            back=back,
            explanation=explanation,
            section=section,
            tags=tags,
            renamed_from=old_ids,
            line=node.line,
        )

    def question(self, node: Node) -> Question | None:
        """One multiple-choice question, with the rules on correct choices and explanations."""
        entries = self.entries(node, "question")
        if entries is None:
            return None
        problems_before = len(self.problems)
        item_id = self.identifier(entries, "question")
        self._unique_item_id(item_id, entries)
        old_ids = self.renamed_from(entries, "question")
        self._claim_old_item_ids(entries, old_ids)
        prompt = self.text(entries, "prompt")
        checks = self._checks(entries)
        shuffle = self.boolean(entries, "shuffle", True)
        multiple = self.boolean(entries, "multiple", False)
        section = self.text(entries, "section")
        tags = self.text_list(entries, "tags")
        explanation = self.text(entries, "explanation")
        if explanation is not None and explanation.strip() == PLACEHOLDER_EXPLANATION:
            self.warn(
                entries["explanation"][1],
                f"question {item_id!r} still has the placeholder explanation `quiztui import`"
                " wrote; a learner would read it",
                "write why the right answer is right, in place of the placeholder",
            )
        choices = self._choices(entries, item_id, explanation, multiple=multiple)
        if (
            len(self.problems) > problems_before
            or item_id is None
            or prompt is None
            or checks is None
            or choices is None
        ):
            return None
        return Question(
            id=item_id,
            prompt=prompt,
            choices=choices,
            checks=checks,
            explanation=explanation,
            tags=tags,
            section=section,
            shuffle=shuffle,
            multiple=multiple,
            renamed_from=old_ids,
            line=node.line,
        )

    def _checks(self, entries: dict[str, tuple[Scalar, Node]]) -> frozenset[CheckName] | None:
        if "checks" not in entries:
            return frozenset(CHECK_NAMES)
        items = self.sequence(entries, "checks")
        if items is None:
            return None
        if not items:
            return frozenset()  # asked in reviews, practice and exams only, never in a check
        found: dict[str, int] = {}
        valid = True
        for item in items:
            if isinstance(item, Rejected):
                valid = False
                continue
            if type(item) is not Scalar or item.text not in CHECK_NAMES:
                valid = False
                shown = _describe(item)
                close = None
                if type(item) is Scalar:
                    matches = difflib.get_close_matches(item.text.lower(), CHECK_NAMES, n=1)
                    close = matches[0] if matches else None
                hint = f"did you mean `{close}`? " if close else ""
                self.report(
                    item, f"unknown check {shown}", hint + "the checks are `pre` and `post`"
                )
                continue
            if item.text in found:
                valid = False
                self.report(item, f"check `{item.text}` is listed twice", "list each check once")
                continue
            found[item.text] = item.line
        if not valid:
            return None
        return frozenset(name for name in CHECK_NAMES if name in found)

    def _same_texts(self, choices: list[Choice], label: str) -> None:
        """Warn about two choices a learner cannot tell apart (same words, whatever the case)."""
        seen: dict[str, str] = {}
        for choice in choices:
            words = " ".join(choice.text.split()).casefold()
            first = seen.get(words)
            if first is None:
                seen[words] = choice.id
                continue
            node = self._choice_nodes.get(choice.id)
            if node is not None:
                self.warn(
                    node,
                    f"choices {first!r} and {choice.id!r} of {label} have the same text",
                    "a learner cannot tell them apart: reword one, or remove it",
                )

    def _choices(
        self,
        entries: dict[str, tuple[Scalar, Node]],
        question_id: str | None,
        question_explanation: str | None,
        *,
        multiple: bool,
    ) -> tuple[Choice, ...] | None:
        if "choices" not in entries:
            return None
        items = self.sequence(entries, "choices")
        if items is None:
            return None
        where = entries["choices"][0]
        label = f"question {question_id!r}" if question_id else "this question"
        choices: list[Choice] = []
        choice_ids: dict[str, int] = {}
        self._choice_nodes: dict[str, Node] = {}
        complete = True
        lacking: list[tuple[Node, str]] = []
        # Each choice's `correct`, None where it cannot be read: the answer checks below need
        # only these, so a choice's other problems (a duplicate id, a missing text) never hide
        # that the question has no correct choice.
        marks: list[bool | None] = []
        for node in items:
            problems_before = len(self.problems)
            choice_entries = self.entries(node, "choice")
            if choice_entries is None:
                complete = False
                marks.append(None)
                continue
            choice_id = self.identifier(choice_entries, "choice")
            if choice_id is not None:
                first = choice_ids.get(choice_id)
                if first is None:
                    choice_ids[choice_id] = choice_entries["id"][1].line
                else:
                    self.report(
                        choice_entries["id"][1],
                        f"duplicate choice id {choice_id!r}: line {first} already uses it",
                        "give each choice of a question its own id (a, b, c, ...)",
                    )
                    complete = False
            text = self.text(choice_entries, "text")
            before_mark = len(self.problems)
            correct = self.boolean(choice_entries, "correct", False)
            marks.append(correct if len(self.problems) == before_mark else None)
            explanation = self.text(choice_entries, "explanation")
            if explanation is None and "explanation" not in choice_entries:
                lacking.append((node, choice_id or "?"))
            if choice_id is None or text is None or len(self.problems) > problems_before:
                complete = False
                continue
            choices.append(
                Choice(id=choice_id, text=text, correct=correct, explanation=explanation)
            )
            self._choice_nodes[choice_id] = node
        self._same_texts(choices, label)
        if len(items) < 2:
            count = f"{len(items)} choice{'' if len(items) == 1 else 's'}"
            self.report(where, f"{label} has {count}; it needs at least 2", "add choices")
            complete = False
        elif None not in marks and not any(marks):
            self.report(
                where, f"{label} has no correct choice", "mark at least one choice `correct: true`"
            )
            complete = False
        elif not multiple and sum(mark is True for mark in marks) > 1:
            correct_count = sum(mark is True for mark in marks)
            self.report(
                where,
                f"{label} has {correct_count} correct choices but is not marked `multiple: true`",
                "mark it `multiple: true` (choose all that apply), or keep one correct choice",
            )
            complete = False
        if question_explanation is None and "explanation" not in entries and items:
            if len(lacking) == len(items):
                self.report(
                    where,
                    f"{label} has no explanation",
                    "add `explanation` to the question, or to every choice",
                )
                complete = False
            else:
                for node, choice_id in lacking:
                    self.report(
                        node,
                        f"choice {choice_id!r} has no explanation, and {label} has none either",
                        "add `explanation` to this choice, or one to the question",
                    )
                    complete = False
        if not complete:
            return None
        return tuple(choices)
