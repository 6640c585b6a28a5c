"""The progress store: transactions, undo and amendments, replay, and refusing bad files."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiztui.store import SCHEMA_VERSION, ReviewRecord, Store, StoreError, schema
from quiztui.store.records import StoredState
from quiztui.store.rows import REVIEW_INSERT, STATE_COLUMNS, review_to_row, state_to_row

T0 = datetime(2024, 1, 1, 12, tzinfo=UTC)


def answer(store: Store, item: str, grade: int, day: int, **extra: object) -> ReviewRecord:
    """Log one review of item `item` of deck "d" on day `day` after 2024-01-01."""
    values: dict[str, object] = dict(
        deck_id="d",
        item_id=item,
        kind="question",
        mode="review",
        grade=grade,
        answer_key="k",
        learning_day=date(2024, 1, 1) + timedelta(days=day),
        at=T0 + timedelta(days=day, seconds=len(store.reviews(include_undone=True))),
        picked=["a"],
        correct=grade >= 3,
        seconds=2.5,
    )
    values.update(extra)
    return store.record_review(**values)  # type: ignore[arg-type]


V1_STATE_COLUMNS = 11
"""item_states' columns up to version 4 (SM-2's); version 5 added FSRS's after them."""


def write_old_database(
    path: Path, version: int, reviews: list[ReviewRecord], states: list[StoredState]
) -> None:
    """A database file as quiztui wrote it at schema `version`: its log, and its states in the
    columns of then (only SM-2 states, the only ones there were)."""
    old = sqlite3.connect(path)
    for number, migration in schema.pending(0, version):
        migration(old)
        old.execute(f"PRAGMA user_version = {number}")
    old.executemany(REVIEW_INSERT, [review_to_row(row) for row in reviews])
    columns = ", ".join(STATE_COLUMNS.split(", ")[:V1_STATE_COLUMNS])
    old.executemany(
        f"INSERT INTO item_states ({columns}) VALUES ({', '.join('?' * V1_STATE_COLUMNS)})",
        [state_to_row(state)[:V1_STATE_COLUMNS] for state in states],
    )
    old.commit()
    old.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh store in a temporary folder."""
    opened = Store.open(tmp_path / "progress.sqlite3", backups_dir=tmp_path / "backups")
    yield opened
    opened.close()


def test_new_store_is_current_version_in_wal_mode(store: Store) -> None:
    """A new database gets the current schema and WAL journaling."""
    assert store.schema_version() == SCHEMA_VERSION
    connection = sqlite3.connect(store.path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()


def test_answer_and_state_are_written_together(store: Store) -> None:
    """A scheduling answer writes its log row and the item's state, visible to another reader."""
    row = answer(store, "q1", 4, 0)
    other = sqlite3.connect(store.path)
    logged = other.execute("SELECT uid, grade, picked FROM reviews").fetchall()
    states = other.execute("SELECT item_id, repetitions, due FROM item_states").fetchall()
    other.close()
    assert logged == [(row.uid, 4, '["a"]')]
    assert states == [("q1", 1, "2024-01-02")]


@pytest.mark.parametrize("mode", ["pre", "practice", "redrill"])
def test_non_scheduling_modes_change_no_state(store: Store, mode: str) -> None:
    """Pre-check, practice and re-drill answers are logged and schedule nothing."""
    answer(store, "q1", 4, 0, mode=mode)
    assert store.state("d", "q1") is None
    assert [r.mode for r in store.reviews()] == [mode]


def test_undo_restores_the_exact_state_and_keeps_the_row(store: Store) -> None:
    """Undo brings back the state before the answer; the log keeps the row, marked undone."""
    answer(store, "q1", 5, 0)
    before = store.state("d", "q1")
    row = answer(store, "q1", 1, 3)
    assert store.state("d", "q1") != before
    assert store.undo_review(row.uid)
    assert store.state("d", "q1") == before
    assert not store.undo_review(row.uid)
    assert [r.undone for r in store.reviews(include_undone=True)] == [False, True]
    assert store.reviews() == store.reviews(include_undone=True)[:1]


def test_undo_of_a_first_answer_makes_the_item_new(store: Store) -> None:
    """Undoing an item's only answer leaves no state at all."""
    row = answer(store, "q1", 4, 0)
    store.undo_review(row.uid)
    assert store.state("d", "q1") is None


def test_amended_grade_equals_answering_with_it(store: Store, tmp_path: Path) -> None:
    """A confidence change gives the state a direct answer with that grade would have."""
    answer(store, "q1", 4, 0)
    row = answer(store, "q1", 4, 1)
    amended = store.amend_grade(row.uid, 5)
    assert (amended.grade, amended.answered_grade) == (5, 4)
    other = Store.open(tmp_path / "other.sqlite3", backups_dir=tmp_path / "b2")
    answer(other, "q1", 4, 0)
    answer(other, "q1", 5, 1)
    assert store.state("d", "q1").state == other.state("d", "q1").state  # type: ignore[union-attr]
    other.close()


def test_changed_answer_key_starts_over(store: Store) -> None:
    """A review under a new answer key starts from a fresh state; the old history stays."""
    for day in range(3):
        answer(store, "q1", 5, day)
    assert store.state("d", "q1").state.repetitions == 3  # type: ignore[union-attr]
    answer(store, "q1", 4, 20, answer_key="new")
    state = store.state("d", "q1")
    assert state is not None and state.state.repetitions == 1 and state.answer_key == "new"
    assert state.introduced_on == date(2024, 1, 21)
    assert len(store.reviews(item_id="q1")) == 4


event = st.one_of(
    st.tuples(
        st.just("answer"),
        st.sampled_from(["q1", "q2", "q3"]),
        st.integers(0, 5),
        st.integers(0, 3),
        st.sampled_from(["post", "review", "redrill", "practice"]),
        st.sampled_from(["k", "k2"]),
    ),
    st.tuples(st.just("undo"), st.integers(0, 50)),
    st.tuples(st.just("amend"), st.integers(0, 50), st.sampled_from([3, 4, 5])),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(event, min_size=1, max_size=30))
def test_replay_rebuilds_every_state_exactly(
    tmp_path_factory: pytest.TempPathFactory, events: list[tuple[object, ...]]
) -> None:
    """Whatever answers, undos and amendments happen, replaying the log gives the live states."""
    folder = tmp_path_factory.mktemp("replay")
    store = Store.open(folder / "p.sqlite3", backups_dir=folder / "b")
    day = 0
    uids: list[str] = []
    for entry in events:
        if entry[0] == "answer":
            _, item, grade, gap, mode, key = entry
            day += gap
            uids.append(answer(store, item, grade, day, mode=mode, answer_key=key).uid)
        elif entry[0] == "undo" and uids:
            store.undo_review(uids[entry[1] % len(uids)])
        elif entry[0] == "amend" and uids:
            with suppress(KeyError):  # that answer may have been undone
                store.amend_grade(uids[entry[1] % len(uids)], entry[2])
        assert store.rebuild_states() == store.live_states()
    store.close()


def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    """A database from a newer quiztui: a clear error, and the file's bytes stay the same."""
    path = tmp_path / "progress.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE reviews (x)")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer quiztui") as caught:
        Store.open(path, backups_dir=tmp_path / "b")
    assert str(path) in str(caught.value) and "Upgrade quiztui" in str(caught.value)
    assert path.read_bytes() == before
    assert not (tmp_path / "b").exists()


def test_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    """A file that is not SQLite: a message naming it and what to do; never reset."""
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store.open(path, backups_dir=tmp_path / "b")
    message = str(caught.value)
    assert str(path) in message and "move the file aside" in message
    assert path.read_bytes() == before


def test_corrupt_database_is_refused(tmp_path: Path) -> None:
    """A damaged page is caught on open by quick_check, with the backups folder named."""
    path = tmp_path / "progress.sqlite3"
    store = Store.open(path, backups_dir=tmp_path / "b")
    for n in range(300):
        answer(store, f"q{n}", 4, 0)
    store.close()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 2, min(len(data), page * 6)):
        data[offset] = 0xA5
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as caught:
        Store.open(path, backups_dir=tmp_path / "b")
    assert str(path) in str(caught.value)
    assert str(tmp_path / "b") in str(caught.value)


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    """Another program's database is not adopted as ours."""
    path = tmp_path / "progress.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recipes (name)")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="not quiztui's"):
        Store.open(path, backups_dir=tmp_path / "b")


def test_a_locked_database_keeps_the_answer_waiting(tmp_path: Path) -> None:
    """A write blocked by another holder of the lock waits (no hang, no error), then is saved."""
    store = Store.open(tmp_path / "p.sqlite3", backups_dir=tmp_path / "b", busy_timeout=0.05)
    blocker = sqlite3.connect(store.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        waiting = answer(store, "q1", 4, 0)
        assert waiting.id == 0 and store.review_count() == 0
        assert "locked by another program" in (store.write_status().line or "")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert answer(store, "q1", 4, 0).id == 2  # the waiting one was saved first
    assert store.reviews()[0].uid == waiting.uid
    store.close()


def test_migration_backs_up_then_migrates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An existing database at the previous version is backed up, then migrated in place."""
    path = tmp_path / "progress.sqlite3"
    store = Store.open(path, backups_dir=tmp_path / "backups")
    kept = answer(store, "q1", 4, 0)
    store.close()

    def to_next_version(connection: sqlite3.Connection) -> None:
        connection.execute("ALTER TABLE reviews ADD COLUMN note TEXT")

    current = schema.SCHEMA_VERSION
    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(schema.MIGRATIONS, current + 1, to_next_version)
    migrated = Store.open(path, backups_dir=tmp_path / "backups")
    assert migrated.schema_version() == current + 1
    assert [r.uid for r in migrated.reviews()] == [kept.uid]
    migrated.close()
    backups = list((tmp_path / "backups").iterdir())
    assert len(backups) == 1 and backups[0].name.endswith(f"-v{current}.sqlite3")
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == current
    assert old.execute("SELECT uid FROM reviews").fetchall() == [(kept.uid,)]
    old.close()


def test_failed_migration_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A migration that fails rolls back whole: same version, same data."""
    path = tmp_path / "progress.sqlite3"
    store = Store.open(path, backups_dir=tmp_path / "backups")
    answer(store, "q1", 4, 0)
    store.close()

    def broken(connection: sqlite3.Connection) -> None:
        connection.execute("ALTER TABLE reviews ADD COLUMN note TEXT")
        connection.execute("THIS IS NOT SQL")

    current = schema.SCHEMA_VERSION
    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(schema.MIGRATIONS, current + 1, broken)
    with pytest.raises(StoreError):
        Store.open(path, backups_dir=tmp_path / "backups")
    monkeypatch.setattr(schema, "SCHEMA_VERSION", current)
    reopened = Store.open(path, backups_dir=tmp_path / "backups")
    assert reopened.schema_version() == current
    columns = [row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(reviews)")]
    assert "note" not in columns
    assert len(reopened.reviews()) == 1
    reopened.close()


def test_a_new_database_needs_no_backup(tmp_path: Path) -> None:
    """Creating the first database is not a migration of anyone's data."""
    Store.open(tmp_path / "p.sqlite3", backups_dir=tmp_path / "backups").close()
    assert not (tmp_path / "backups").exists()


def test_backup_copies_everything(store: Store, tmp_path: Path) -> None:
    """`backup()` writes a consistent, timestamped copy."""
    answer(store, "q1", 4, 0)
    target = store.backup()
    assert target.parent == tmp_path / "backups"
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    copy.close()


def test_attempts_resume_and_abandon(store: Store) -> None:
    """An unfinished attempt is found again; starting a new one sets the old aside."""
    first = store.start_attempt(
        deck_id="d",
        part_id="p",
        check="pre",
        question_ids=["q1", "q2"],
        choice_orders={"q1": ("b", "a"), "q2": ("a", "b")},
        at=T0,
    )
    assert store.unfinished_attempt("d", "p", "pre") == first
    second = store.start_attempt(
        deck_id="d", part_id="p", check="pre", question_ids=["q1"], choice_orders={}, at=T0
    )
    assert store.unfinished_attempt("d", "p", "pre") == second
    assert store.attempt(first.uid).abandoned_at is not None  # type: ignore[union-attr]
    store.finish_attempt(second.uid, T0 + timedelta(minutes=3))
    assert store.unfinished_attempt("d", "p", "pre") is None
    assert store.latest_finished_attempt("d", "p", "pre").uid == second.uid  # type: ignore[union-attr]
    assert store.finished_parts("d", "pre") == {"p"}


def test_a_version_1_database_is_migrated_with_its_log_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Version 2 copies the log into a table that also takes mode "exam": same rows, same ids,
    same states; the indexes the screens' reads use exist afterwards."""
    path = tmp_path / "progress.sqlite3"
    scratch = Store.open(tmp_path / "scratch.sqlite3", backups_dir=tmp_path / "scratch-backups")
    rows = [answer(scratch, item, grade, day) for item, grade, day in (("a", 4, 0), ("b", 1, 0))]
    scratch.undo_review(rows[1].uid)
    answer(scratch, "a", 5, 1)
    before = (scratch.reviews(include_undone=True), scratch.live_states())
    scratch.close()
    write_old_database(path, 1, before[0], list(before[1].values()))
    migrated = Store.open(path, backups_dir=tmp_path / "backups")
    assert migrated.schema_version() == schema.SCHEMA_VERSION >= 2
    assert (migrated.reviews(include_undone=True), migrated.live_states()) == before
    indexes = {
        row[0] for row in migrated._read("SELECT name FROM sqlite_master WHERE type = 'index'")
    }
    assert {"reviews_live_by_mode", "reviews_live_by_day", "reviews_by_item"} <= indexes
    migrated.record_review(
        deck_id="d",
        item_id="a",
        kind="key_point",
        mode="exam",
        grade=4,
        answer_key="",
        learning_day=date(2024, 1, 9),
        at=datetime(2024, 1, 9, 12, tzinfo=UTC),
    )
    migrated.close()
    assert len(list((tmp_path / "backups").iterdir())) == 1
