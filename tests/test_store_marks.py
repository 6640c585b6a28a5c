"""Item marks and exams in the store: a log of events, undone by batch; resets that keep the
history; lapses counted from the log; exams kept until submitted; all carried by export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiztui.store import Store, schema
from quiztui.store.exchange import FORMAT_VERSION
from quiztui.store.records import ExamAnswer, MarkChange
from tests.test_store import answer, write_old_database

T0 = datetime(2024, 1, 1, 12, tzinfo=UTC)
DAY0 = date(2024, 1, 1)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh store in a temporary folder."""
    opened = Store.open(tmp_path / "progress.sqlite3", backups_dir=tmp_path / "backups")
    yield opened
    opened.close()


def test_version_4_adds_marks_and_exams(store: Store) -> None:
    """Version 4 adds the two tables (later versions keep them)."""
    assert store.schema_version() == schema.SCHEMA_VERSION == max(schema.MIGRATIONS) >= 4
    tables = {row[0] for row in store._read("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"item_marks", "exams"} <= tables <= schema.OUR_TABLES | {"sqlite_sequence"}


def test_marks_are_the_latest_live_event_of_each_kind(store: Store) -> None:
    """Suspend, then unsuspend: not suspended; a flag stays; a bury holds for its day only."""
    store.add_marks([MarkChange("d", "a", "suspend")], at=T0)
    store.add_marks([MarkChange("d", "a", "flag")], at=T0 + timedelta(seconds=1))
    store.add_marks([MarkChange("d", "a", "suspend", False)], at=T0 + timedelta(seconds=2))
    store.add_marks([MarkChange("d", "b", "bury", day=DAY0)], at=T0 + timedelta(seconds=3))
    marks = store.item_marks("d")
    assert not marks["a"].suspended and marks["a"].flagged
    assert marks["b"].buried(DAY0) and not marks["b"].buried(DAY0 + timedelta(days=1))
    assert marks["b"].set_aside(DAY0) and not marks["a"].set_aside(DAY0)
    assert len(store.mark_events("d", "a")) == 3


def test_a_batch_is_undone_as_one(store: Store) -> None:
    """One action on two items is one batch; undo takes both back and keeps them in the log."""
    batch = store.add_marks(
        [MarkChange("d", "a", "suspend"), MarkChange("d", "b", "suspend")], at=T0
    )
    assert store.last_mark_batch() is not None
    assert store.undo_marks(batch, at=T0)
    assert not store.item_marks("d")
    assert not store.undo_marks(batch, at=T0)
    assert store.last_mark_batch() is None
    assert len(store.mark_events("d", "a", include_undone=True)) == 1


def test_a_reset_forgets_the_schedule_keeps_the_history_and_undoes(store: Store) -> None:
    """After a reset the item is new (no state), every answer is still in the log, the next
    answer schedules it from scratch, and undoing the reset brings the old schedule back."""
    for day in (0, 1, 7):
        answer(store, "a", 5, day)
    learned = store.state("d", "a")
    assert learned is not None and learned.state.repetitions == 3
    batch = store.add_marks([MarkChange("d", "a", "reset")], at=T0 + timedelta(days=8))
    assert store.state("d", "a") is None
    assert len(store.reviews("d", item_id="a")) == 3
    assert store.rebuild_states() == store.live_states() == {}
    store.undo_marks(batch, at=T0 + timedelta(days=8))
    assert store.state("d", "a") == learned
    store.add_marks([MarkChange("d", "a", "reset")], at=T0 + timedelta(days=8))
    answer(store, "a", 4, 9)
    fresh = store.state("d", "a")
    assert fresh is not None and (fresh.state.repetitions, fresh.state.interval) == (1, 1)
    assert store.rebuild_states() == store.live_states()


@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("answer"), st.sampled_from("ab"), st.integers(0, 5)),
            st.tuples(st.just("reset"), st.sampled_from("ab"), st.just(0)),
            st.tuples(st.just("undo"), st.just(""), st.just(0)),
        ),
        max_size=25,
    )
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_replaying_the_log_agrees_with_the_live_states(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, str, int]]
) -> None:
    """Whatever mix of answers, resets and undone resets: the rebuild equals the live states."""
    folder = tmp_path_factory.mktemp("replay")
    with Store.open(folder / "p.sqlite3", backups_dir=folder / "b") as store:
        batches: list[str] = []
        for day, (kind, item, grade) in enumerate(steps):
            at = T0 + timedelta(days=day)
            if kind == "answer":
                answer(store, item, grade, day)
            elif kind == "reset":
                batches.append(store.add_marks([MarkChange("d", item, "reset")], at=at))
            elif batches:
                store.undo_marks(batches.pop(), at=at)
        assert store.rebuild_states() == store.live_states()


def test_lapses_count_failures_after_learning_since_the_last_reset(store: Store) -> None:
    """A fail before learning is no lapse; each fail after a pass is; same-day repeats are not;
    a reset starts the count over."""
    grades = [1, 4, 1, 1, 4, 2]  # fail (new), pass, lapse, fail (not learned), pass, lapse
    for day, grade in enumerate(grades):
        answer(store, "a", grade, day)
    answer(store, "a", 0, len(grades) - 1)  # the same day: counts for nothing
    assert store.lapses("d") == {"a": 2} == store.lapses("d", "a")
    store.add_marks([MarkChange("d", "a", "reset")], at=T0 + timedelta(days=10))
    assert store.lapses("d") == {}


def exam_answers() -> list[ExamAnswer]:
    """A right and a wrong (unanswered) answer."""
    return [
        ExamAnswer("q1", 4, "k", ("a",), True, 10.0),
        ExamAnswer("q2", 1, "k", (), False, 0.0),
    ]


def test_an_exam_is_kept_until_submitted_then_logged_as_reviews(store: Store) -> None:
    """Answers so far are saved and resumed; submitting logs mode "exam" rows (SM-2 reviews)
    with the exam's uid, once; a new exam sets an unfinished one aside."""
    exam = store.start_exam(
        deck_id="d",
        question_ids=["q1", "q2"],
        choice_orders={"q1": ("b", "a"), "q2": ("a", "b")},
        part_ids=["p1"],
        tags=["t"],
        time_limit=600,
        at=T0,
    )
    from dataclasses import replace

    store.save_exam(replace(exam, answers={"q1": ("a",)}, flags=("q2",), elapsed=90.5))
    left = store.unfinished_exam("d")
    assert left is not None
    assert (left.answers, left.flags, left.time_left) == ({"q1": ("a",)}, ("q2",), 509.5)
    rows = store.finish_exam(left, exam_answers(), learning_day=DAY0, at=T0, timed_out=True)
    assert [(r.mode, r.grade, r.attempt_uid) for r in rows] == [
        ("exam", 4, exam.uid),
        ("exam", 1, exam.uid),
    ]
    assert store.finish_exam(left, exam_answers(), learning_day=DAY0, at=T0) == []
    assert store.state("d", "q1") is not None and store.state("d", "q2") is not None
    assert store.unfinished_exam("d") is None
    done = store.finished_exams("d")
    assert [e.uid for e in done] == [exam.uid] and done[0].timed_out
    second = store.start_exam(deck_id="d", question_ids=["q1"], choice_orders={}, at=T0)
    store.start_exam(deck_id="d", question_ids=["q2"], choice_orders={}, at=T0)
    abandoned = store.exam(second.uid)
    assert abandoned is not None and abandoned.abandoned_at is not None


def test_export_carries_marks_and_exams_and_imports_once(tmp_path: Path) -> None:
    """Format 2 carries the mark log (undos and resets too) and the exams; a second import
    adds nothing; the reset's effect on the schedule comes with it."""
    source = Store.open(tmp_path / "a.sqlite3", backups_dir=tmp_path / "b")
    answer(source, "a", 5, 0)
    answer(source, "b", 5, 0)
    source.add_marks([MarkChange("d", "a", "reset")], at=T0 + timedelta(days=1))
    undone = source.add_marks([MarkChange("d", "b", "flag")], at=T0 + timedelta(days=1))
    source.undo_marks(undone, at=T0 + timedelta(days=1))
    source.add_marks([MarkChange("d", "b", "bury", day=DAY0)], at=T0 + timedelta(days=1))
    exam = source.start_exam(deck_id="d", question_ids=["a"], choice_orders={}, at=T0)
    source.finish_exam(exam, [ExamAnswer("a", 4, "k", ("a",), True)], learning_day=DAY0, at=T0)
    data = json.loads(json.dumps(source.export_data()))
    assert data["format_version"] == FORMAT_VERSION == 2
    assert len(data["marks"]) == 3 and len(data["exams"]) == 1
    target = Store.open(tmp_path / "t.sqlite3", backups_dir=tmp_path / "b")
    result = target.import_data(data)
    assert (result.marks_added, result.exams_added) == (3, 1)
    assert target.item_marks("d") == source.item_marks("d")
    assert target.live_states() == source.live_states()
    assert target.finished_exams() == source.finished_exams()
    again = target.import_data(data)
    assert not again.changed
    source.close()
    target.close()


def test_a_version_1_export_still_imports(tmp_path: Path) -> None:
    """An old file, with no marks or exams, imports as before."""
    store = Store.open(tmp_path / "t.sqlite3", backups_dir=tmp_path / "b")
    result = store.import_data({"format": "quiztui-progress", "format_version": 1, "reviews": []})
    assert not result.changed
    store.close()


@pytest.mark.parametrize("version", [3, 4])
def test_an_older_database_migrates_keeping_its_log(tmp_path: Path, version: int) -> None:
    """A version 3 or 4 file keeps its log and states and gains the newer tables and columns
    (marks and exams; FSRS's state), after a backup."""
    path = tmp_path / "progress.sqlite3"
    scratch = Store.open(tmp_path / "scratch.sqlite3", backups_dir=tmp_path / "scratch-b")
    answer(scratch, "a", 4, 0)
    before = scratch.reviews(), scratch.live_states()
    scratch.close()
    write_old_database(path, version, before[0], list(before[1].values()))
    with Store.open(path, backups_dir=tmp_path / "backups") as migrated:
        assert migrated.schema_version() == schema.SCHEMA_VERSION
        assert (migrated.reviews(), migrated.live_states()) == before
        columns = {row[1] for row in migrated._read("PRAGMA table_info(item_states)")}
        assert {"stability", "difficulty", "phase", "step"} <= columns
        answer(migrated, "a", 5, 1)
        assert migrated.item_marks("d") == {} and migrated.finished_exams() == []
    assert len(list((tmp_path / "backups").iterdir())) == 1
