"""The card browser's rows: every item of every deck with its schedule, marks and lapses, a
search language to filter them, the sort orders, and an item's history.

Built once per load (`browse_rows`), filtered and sorted in memory as the learner types, so a
keystroke never touches the store. A query is words that must all appear (in the prompt,
choices, front, back, explanations, tags, ids, deck or part), plus filters:
`deck:ID` `part:ID` `tag:T` `kind:question|key_point` and `is:new|learning|learned|due|
buried|suspended|leech|flagged`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from quiztui.deck.model import Deck, Item, KeyPoint, Part, Question
from quiztui.sm2 import ItemState
from quiztui.store.records import NO_MARKS, ItemMarks
from quiztui.study.context import StudyContext
from quiztui.study.queue import current_states

State = Literal["new", "learning", "learned", "due", "buried", "suspended", "leech"]
"""Where an item stands, as the browser names it (marks before the schedule)."""

STATES: tuple[State, ...] = ("new", "learning", "learned", "due", "buried", "suspended", "leech")

IS_FILTERS: frozenset[str] = frozenset({*STATES, "flagged"})
"""What `is:` can ask for."""


@dataclass(frozen=True, slots=True)
class BrowseRow:
    """One item as the browser lists it."""

    deck: Deck
    item: Item
    part: Part
    state: State
    due: date | None
    interval: int | None
    easiness: Decimal | None
    repetitions: int
    lapses: int
    marks: ItemMarks
    search_text: str
    """Everything a word of the query may match, lower-cased."""

    @property
    def key(self) -> tuple[str, str]:
        """(deck id, item id): what an action on the row names."""
        return (self.deck.id, self.item.id)

    @property
    def row_key(self) -> str:
        """The row's key in a table: deck and item id, which no id contains together."""
        return f"{self.deck.id}\x1f{self.item.id}"

    @property
    def text(self) -> str:
        """The prompt or the front, as written."""
        return item_text(self.item)

    @property
    def tags(self) -> tuple[str, ...]:
        """The item's tags, with "leech" for a leech."""
        return (*self.item.tags, "leech") if self.marks.leech else self.item.tags


def item_text(item: Item) -> str:
    """A question's prompt or a key point's front."""
    return item.prompt if isinstance(item, Question) else item.front


def _search_text(deck: Deck, part: Part, item: Item) -> str:
    bits = [deck.id, deck.title, part.id, part.title, item.id, *item.tags]
    if isinstance(item, Question):
        bits += [item.prompt, item.explanation or "", item.section or ""]
        for choice in item.choices:
            bits += [choice.text, choice.explanation or ""]
    else:
        assert isinstance(item, KeyPoint)
        bits += [item.front, item.back, item.explanation or "", item.section or ""]
    return "\n".join(bits).lower()


def _state(marks: ItemMarks, day: date, due: date | None, repetitions: int) -> State:
    if marks.suspended:
        return "leech" if marks.leech else "suspended"
    if marks.buried(day):
        return "buried"
    if due is None:
        return "new"
    if due <= day:
        return "due"
    return "learning" if repetitions == 0 else "learned"


def deck_rows(ctx: StudyContext, deck: Deck) -> list[BrowseRow]:
    """Every item of one deck, in deck order."""
    today = ctx.today()
    states = current_states(ctx, deck)
    marks = ctx.store.item_marks(deck.id)
    lapses = ctx.store.lapses(deck.id)
    rows: list[BrowseRow] = []
    for part in deck.parts:
        for item in part.items():
            stored = states.get(item.id)
            state = stored.state if stored is not None else None
            item_marks = marks.get(item.id, NO_MARKS)
            due = state.due if state else None
            repetitions = state.repetitions if state else 0
            rows.append(
                BrowseRow(
                    deck=deck,
                    item=item,
                    part=part,
                    state=_state(item_marks, today, due, repetitions),
                    due=due,
                    interval=state.interval if state else None,
                    easiness=state.easiness if isinstance(state, ItemState) else None,
                    repetitions=repetitions,
                    lapses=lapses.get(item.id, 0),
                    marks=item_marks,
                    search_text=_search_text(deck, part, item),
                )
            )
    return rows


def browse_rows(ctx: StudyContext, decks: Iterable[Deck]) -> list[BrowseRow]:
    """Every item of every deck, deck by deck, in deck order."""
    return [row for deck in decks for row in deck_rows(ctx, deck)]


# ---------------------------------------------------------------------- the query


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed search: words that must all match, and the filters."""

    words: tuple[str, ...] = ()
    filters: tuple[tuple[str, str], ...] = ()
    """(name, value): deck, part, tag, kind, is."""
    problems: tuple[str, ...] = ()
    """Filters that cannot match anything (an unknown `is:`), to say under the field."""


FILTER_NAMES = ("deck", "part", "tag", "kind", "is")


def parse_query(text: str) -> Query:
    """The query a search text says (case does not matter)."""
    words: list[str] = []
    filters: list[tuple[str, str]] = []
    problems: list[str] = []
    for token in text.lower().split():
        name, colon, value = token.partition(":")
        if colon and name in FILTER_NAMES and value:
            if name == "is" and value not in IS_FILTERS:
                problems.append(f"is:{value} is none of {', '.join(sorted(IS_FILTERS))}")
            filters.append((name, value))
        else:
            words.append(token)
    return Query(tuple(words), tuple(filters), tuple(problems))


def _passes(row: BrowseRow, name: str, value: str) -> bool:
    if name == "deck":
        return value in row.deck.id.lower() or value in row.deck.title.lower()
    if name == "part":
        return value in row.part.id.lower() or value in row.part.title.lower()
    if name == "tag":
        return any(value == tag.lower() for tag in row.tags)
    if name == "kind":
        return row.item.kind.startswith(value) or (value == "card" and row.item.kind == "key_point")
    if value == "flagged":
        return row.marks.flagged
    if value == "leech":
        return row.marks.leech
    if value == "suspended":
        return row.marks.suspended
    return row.state == value


def matches(row: BrowseRow, query: Query) -> bool:
    """Whether the row passes every filter and holds every word."""
    return all(_passes(row, name, value) for name, value in query.filters) and all(
        word in row.search_text for word in query.words
    )


def filter_rows(rows: Sequence[BrowseRow], text: str) -> list[BrowseRow]:
    """The rows a search text keeps, in their order."""
    query = parse_query(text)
    if not query.words and not query.filters:
        return list(rows)
    return [row for row in rows if matches(row, query)]


# ---------------------------------------------------------------------- sorting

Column = Literal[
    "text", "deck", "part", "tags", "kind", "state", "due", "interval", "easiness", "lapses"
]

COLUMNS: tuple[Column, ...] = (
    "text",
    "state",
    "due",
    "interval",
    "easiness",
    "lapses",
    "kind",
    "deck",
    "part",
    "tags",
)
"""The table's columns, left to right (the ones an 80-column screen fits first)."""

_FAR = date.max


def _sort_key(column: Column) -> Callable[[BrowseRow], Any]:
    keys: dict[Column, Callable[[BrowseRow], Any]] = {
        "text": lambda row: row.text.lower(),
        "deck": lambda row: row.deck.title.lower(),
        "part": lambda row: (row.deck.title.lower(), row.deck.parts.index(row.part)),
        "tags": lambda row: ",".join(row.tags).lower(),
        "kind": lambda row: row.item.kind,
        "state": lambda row: STATES.index(row.state),
        "due": lambda row: row.due or _FAR,
        "interval": lambda row: -1 if row.interval is None else row.interval,
        "easiness": lambda row: Decimal(0) if row.easiness is None else row.easiness,
        "lapses": lambda row: row.lapses,
    }
    return keys[column]


def sort_rows(
    rows: Iterable[BrowseRow], column: Column, *, descending: bool = False
) -> list[BrowseRow]:
    """The rows ordered by a column (a stable sort: equal rows keep their order)."""
    return sorted(rows, key=_sort_key(column), reverse=descending)


# ---------------------------------------------------------------------- history


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One thing that happened to an item: an answer, or a mark set or cleared."""

    at: datetime
    day: date | None
    """The learning day an answer counted for (None for a mark)."""
    what: str
    """"review 4 ✓", "suspended", "unflagged"."""
    undone: bool


def item_history(ctx: StudyContext, deck: Deck, item: Item) -> list[HistoryLine]:
    """An item's answers and mark events, oldest first (undone ones included, as undone)."""
    lines: list[HistoryLine] = []
    for row in ctx.store.reviews(deck.id, item_id=item.id, include_undone=True):
        verdict = "" if row.correct is None else (" ✓" if row.correct else " ✗")
        lines.append(
            HistoryLine(
                row.reviewed_at, row.learning_day, f"{row.mode} {row.grade}{verdict}", row.undone
            )
        )
    for event in ctx.store.mark_events(deck.id, item.id, include_undone=True):
        if event.mark == "reset":
            what = "reset (schedule forgotten)"
        elif event.mark == "bury":
            what = f"buried for {event.day}" if event.value else "unburied"
        else:
            done = {"suspend": "suspended", "flag": "flagged", "leech": "leech"}[event.mark]
            what = (
                done
                if event.value
                else f"un{done}"
                if event.mark != "leech"
                else "no longer a leech"
            )
        lines.append(HistoryLine(event.marked_at, None, what, event.undone))
    lines.sort(key=lambda line: line.at)
    return lines
