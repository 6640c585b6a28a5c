"""The benchmark's library: several generated decks and a learner's long history across them.

A data directory as `quiztui --data-dir D` reads it: the decks in `D/decks/` (beside the bundled
deck, which quiztui always opens) and the progress store `D/progress.sqlite3`. The learner
opened every part and finished its post-check on the first day, then came back every day: every
due item of every deck reviewed, a few new ones a day introduced in each deck, anything graded
below 4 re-drilled the same day. The simulation runs until the log holds exactly the requested
number of answers; its last day is yesterday, cut short there, which leaves a backlog for today.

The log is written with `executemany` straight into the file `Store.open` created (one
transaction: a million rows in well under a minute), and the item states are those the
simulation computed with `quiztui.sm2`, the rule the store's replay applies (the smoke test
checks them against `Store.rebuild_states`). A generated library is kept under `bench/out/data/`,
keyed on its sizes, the seed, the generator's version, the store's schema version and the
learning day it was made for, and reused while all of them match.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bench.deckgen import write_deck
from quiztui.days import learning_day, to_utc_text
from quiztui.sm2 import ItemState, needs_redrill, review

if TYPE_CHECKING:
    from quiztui.deck.model import Deck
    from quiztui.store import Store

GENERATOR_VERSION = 1
"""Bumped whenever what the generator writes changes (old libraries are then made anew)."""

OUT = Path(__file__).resolve().parent / "out"
"""Everything the benchmark writes (git-ignored)."""


@dataclass(frozen=True, slots=True)
class LibrarySpec:
    """How big a library is."""

    items: int
    """Items over all its decks."""
    reviews: int
    """Entries in the review log."""
    decks: int
    """How many decks share the items (and the log)."""
    seed: int = 1

    @property
    def key(self) -> str:
        """The folder name of the generated library (without the day).

        It names the store's schema version too: a library made for an older schema would be
        migrated (and backed up) on its first open, which no learner's store pays twice.
        """
        from quiztui.store import SCHEMA_VERSION

        return (
            f"lib-{self.items}i-{self.reviews}r-{self.decks}d-s{self.seed}"
            f"-g{GENERATOR_VERSION}-v{SCHEMA_VERSION}"
        )

    @property
    def label(self) -> str:
        """The sizes as a reader says them: "10,000 items in 4 decks, 100,000 reviews"."""
        return f"{self.items:,} items in {self.decks} decks, {self.reviews:,} reviews"


@dataclass(frozen=True, slots=True)
class Library:
    """A generated data directory and what is in it."""

    spec: LibrarySpec
    data_dir: Path
    today: date
    """The learning day it was generated for: its queues are "today's" on that day only."""
    deck_paths: tuple[Path, ...]
    deck_titles: tuple[str, ...]
    days: int
    """How many days the history covers."""
    due_today: int
    """Items due today or overdue, over all decks."""

    @property
    def database(self) -> Path:
        """The progress store."""
        return self.data_dir / "progress.sqlite3"

    def copy_to(self, target: Path) -> Path:
        """A private copy of the data directory at `target` (for a run that answers cards)."""
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(self.data_dir, target, ignore=shutil.ignore_patterns("manifest.json"))
        return target


def today() -> date:
    """The learner's learning day now, as quiztui reckons it with the default rollover hour."""
    return learning_day(datetime.now().astimezone())


def deck_title(number: int) -> str:
    """The title of the library's deck `number` (from 1): what the home screen shows."""
    return f"Bench library deck {number}"


@dataclass(slots=True)
class _Item:
    """What the simulation needs of one item."""

    deck_id: str
    item_id: str
    kind: str
    answer_key: str
    question: bool
    right_json: str
    """The picked ids of a right answer, as the log stores them (for a key point: "[]")."""
    wrong_json: str
    state: ItemState | None = None
    introduced_on: date | None = None


def _items_of(path: Path) -> list[_Item]:
    """Every item of a generated deck, in deck order (through the public loader)."""
    from quiztui.deck.loader import load_deck
    from quiztui.deck.model import Question

    deck = load_deck(path, use_cache=False)
    found = []
    for item in deck.items():
        right: list[str] = []
        wrong: list[str] = []
        if isinstance(item, Question):
            right = sorted(item.correct_choice_ids)
            others = [c.id for c in item.choices if c.id not in item.correct_choice_ids]
            wrong = others[:1] or right
        found.append(
            _Item(
                deck_id=deck.id,
                item_id=item.id,
                kind=item.kind,
                answer_key=item.answer_key,
                question=isinstance(item, Question),
                right_json=json.dumps(right),
                wrong_json=json.dumps(wrong),
            )
        )
    return found


def _grade(item: _Item, rng: random.Random) -> int:
    """A plausible grade: questions right 85% of the time, key points mostly 3-5."""
    if item.question:
        return 4 if rng.random() < 0.85 else 1
    return rng.choices((5, 4, 3, 2, 1), weights=(30, 40, 15, 10, 5))[0]


_Answer = tuple[int, _Item, int, str]
"""(day number from 0, item, grade, mode) of one planned log entry."""


def simulate(decks: list[list[_Item]], reviews: int, seed: int) -> tuple[list[_Answer], int]:
    """The log, in order, and how many days it covers; leaves each item's final state on it.

    Each deck introduces enough new items a day for all of them to be met in about 250 days.
    Days run until the log holds `reviews` answers (the last one cut short there).
    """
    rng = random.Random(seed)
    unseen = [iter(items) for items in decks]
    per_day = [max(1, -(-len(items) // 250)) for items in decks]
    due_on: defaultdict[date, list[_Item]] = defaultdict(list)
    answers: list[_Answer] = []
    start = date(2000, 1, 3)
    day_number = 0
    while len(answers) < reviews:
        day = start + timedelta(days=day_number)
        fresh = [
            item for deck, count in zip(unseen, per_day, strict=True) for item in _take(deck, count)
        ]
        due = due_on.pop(day, [])
        if not due and not fresh and not due_on:
            break  # nothing left to review, ever: the decks are too small for the log asked
        redrill: list[_Item] = []
        for item in due + fresh:
            grade = _grade(item, rng)
            answers.append((day_number, item, grade, "review"))
            if item.state is None:
                item.introduced_on = day
            item.state = review(item.state, grade, day)
            due_on[item.state.due].append(item)
            if needs_redrill(grade):
                redrill.append(item)
        while redrill:
            item = redrill.pop(0)
            grade = _grade(item, rng)
            answers.append((day_number, item, grade, "redrill"))
            if needs_redrill(grade):
                redrill.append(item)
        day_number += 1
    del answers[reviews:]
    _replay_states(decks, answers, start)  # the cut day's later answers never happened
    return answers, day_number


def _take(iterator: object, count: int) -> list[_Item]:
    from itertools import islice

    return list(islice(iterator, count))  # type: ignore[call-overload]


def _replay_states(decks: list[list[_Item]], answers: list[_Answer], start: date) -> None:
    """Every item's state from the kept log alone, as the store's replay computes it."""
    for items in decks:
        for item in items:
            item.state, item.introduced_on = None, None
    for day_number, item, grade, mode in answers:
        if mode != "review":
            continue
        day = start + timedelta(days=day_number)
        if item.state is None:
            item.introduced_on = day
        item.state = review(item.state, grade, day)


def _unlock_all_parts(database: Path, deck_paths: list[Path], at: datetime) -> None:
    """Open every part's key points and finish its post-check, through the store's API."""
    from quiztui.deck.loader import load_deck
    from quiztui.store import Store

    with Store.open(database, backups_dir=database.parent / "backups") as store:
        for path in deck_paths:
            unlock_all_parts(store, load_deck(path, use_cache=False), at)


def unlock_all_parts(store: Store, deck: Deck, at: datetime) -> None:
    """Open every part's key points and finish its post-check, as a learner who read it all
    (the tests' simulated year does the same)."""
    for part in deck.parts:
        store.mark_step(deck.id, part.id, "key_points_opened", at)
        store.mark_step(deck.id, part.id, "key_points_done", at)
        questions = part.check_questions("post")
        attempt = store.start_attempt(
            deck_id=deck.id,
            part_id=part.id,
            check="post",
            question_ids=[q.id for q in questions],
            choice_orders={q.id: tuple(c.id for c in q.choices) for q in questions},
            at=at,
        )
        store.finish_attempt(attempt.uid, at)


def _write_log(database: Path, answers: list[_Answer], first_day: date, start: date) -> None:
    """The log and the final states, written in one transaction with executemany."""
    zone = datetime.now().astimezone().tzinfo
    shift = first_day - start
    per_day: defaultdict[int, int] = defaultdict(int)
    for day_number, *_ in answers:
        per_day[day_number] += 1
    rows = []
    nth: defaultdict[int, int] = defaultdict(int)
    for serial, (day_number, item, grade, mode) in enumerate(answers):
        day = first_day + timedelta(days=day_number)
        step = min(13.0, 17 * 3600 / per_day[day_number])  # 09:00 on, within the learning day
        at = datetime.combine(day, time(9), tzinfo=zone) + timedelta(seconds=step * nth[day_number])
        nth[day_number] += 1
        correct = None
        picked = "[]"
        if item.question:
            correct = int(grade >= 4)
            picked = item.right_json if correct else item.wrong_json
        rows.append(
            (
                f"bench{serial:027x}",
                item.deck_id,
                item.item_id,
                item.kind,
                mode,
                grade,
                grade,
                picked,
                correct,
                6.0,
                to_utc_text(at),
                day.isoformat(),
                item.answer_key,
            )
        )
    states = []
    seen: set[int] = set()
    for _, item, _, _ in answers:
        if id(item) in seen or item.state is None or item.introduced_on is None:
            continue
        seen.add(id(item))
        state = item.state
        assert state.last_review is not None
        states.append(
            (
                item.deck_id,
                item.item_id,
                item.kind,
                item.answer_key,
                state.easiness_hundredths,
                state.repetitions,
                state.interval,
                (state.due + shift).isoformat(),
                (state.last_review + shift).isoformat(),
                (item.introduced_on + shift).isoformat(),
                "review",
            )
        )
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO reviews (uid, deck_id, item_id, kind, mode, grade, answered_grade,"
            " picked, correct, seconds, reviewed_at, learning_day, answer_key)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        connection.executemany(
            "INSERT INTO item_states (deck_id, item_id, kind, answer_key, easiness, repetitions,"
            " interval, due, last_review, introduced_on, introduced_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            states,
        )
        connection.execute("COMMIT")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def generate(spec: LibrarySpec, data_dir: Path, day: date) -> Library:
    """Write the library into `data_dir` (emptied first), for learning day `day`."""
    from quiztui.store import Store

    shutil.rmtree(data_dir, ignore_errors=True)
    (data_dir / "decks").mkdir(parents=True)
    sizes = [spec.items // spec.decks + (n < spec.items % spec.decks) for n in range(spec.decks)]
    paths: list[Path] = []
    titles: list[str] = []
    for number, size in enumerate(sizes, start=1):
        title = deck_title(number)
        path = write_deck(
            data_dir / "decks" / f"bench-library-{number}.yaml",
            size,
            seed=spec.seed * 100 + number,
            deck_id=f"bench-library-{number}",
            title=title,
        )
        paths.append(path)
        titles.append(title)
    decks = [_items_of(path) for path in paths]
    answers, days = simulate(decks, spec.reviews, spec.seed)
    first_day = day - timedelta(days=days)
    Store.open(data_dir / "progress.sqlite3", backups_dir=data_dir / "backups").close()
    at = datetime.combine(first_day, time(8), tzinfo=datetime.now().astimezone().tzinfo)
    _unlock_all_parts(data_dir / "progress.sqlite3", paths, at)
    _write_log(data_dir / "progress.sqlite3", answers, first_day, date(2000, 1, 3))
    shift = first_day - date(2000, 1, 3)
    due = sum(
        1
        for items in decks
        for item in items
        if item.state is not None and item.state.due + shift <= day
    )
    library = Library(spec, data_dir, day, tuple(paths), tuple(titles), days, due)
    manifest = {
        "spec": asdict(spec),
        "today": day.isoformat(),
        "days": days,
        "due_today": due,
        "decks": [str(p.relative_to(data_dir)) for p in paths],
        "titles": titles,
    }
    (data_dir / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return library


def prepare(spec: LibrarySpec, root: Path = OUT / "data") -> Library:
    """The library for today: the one kept under `root` when it matches, else a new one."""
    day = today()
    data_dir = root / f"{spec.key}-{day.isoformat()}"
    try:
        manifest = json.loads((data_dir / "manifest.json").read_text())
        if manifest["spec"] == asdict(spec) and manifest["today"] == day.isoformat():
            return Library(
                spec,
                data_dir,
                day,
                tuple(data_dir / p for p in manifest["decks"]),
                tuple(manifest["titles"]),
                manifest["days"],
                manifest["due_today"],
            )
    except (OSError, ValueError, KeyError):
        pass
    for stale in root.glob(f"{spec.key}-*"):  # an older day's copy: no longer today's queue
        shutil.rmtree(stale, ignore_errors=True)
    return generate(spec, data_dir, day)
