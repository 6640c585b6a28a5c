"""What the store's read cache serves always equals the tables, whoever wrote them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiztui.store import ReviewRecord, Store

T0 = datetime(2024, 1, 1, 12, tzinfo=UTC)
DAY0 = date(2024, 1, 1)


def answer(store: Store, item: str, grade: int, day: int, mode: str = "review") -> ReviewRecord:
    """Log one answer to item `item` of deck "d" on day `day`."""
    return store.record_review(
        deck_id="d",
        item_id=item,
        kind="key_point",
        mode=mode,  # type: ignore[arg-type]
        grade=grade,
        answer_key="",
        learning_day=DAY0 + timedelta(days=day),
        at=T0 + timedelta(days=day),
    )


def table_states(path: Path) -> dict[str, tuple[object, ...]]:
    """The item_states rows of deck "d" (SM-2's columns), read by a separate connection."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT deck_id, item_id, kind, answer_key, easiness, repetitions, interval, due,"
            " last_review, introduced_on, introduced_by FROM item_states WHERE deck_id = 'd'"
        ).fetchall()
    finally:
        connection.close()
    return {row[1]: row for row in rows}


def cached(store: Store) -> dict[str, tuple[object, ...]]:
    """The states of deck "d" the store serves, as table rows."""
    return {
        item_id: (
            s.deck_id,
            s.item_id,
            s.kind,
            s.answer_key,
            s.state.easiness_hundredths,
            s.state.repetitions,
            s.state.interval,
            s.state.due.isoformat(),
            None if s.state.last_review is None else s.state.last_review.isoformat(),
            s.introduced_on.isoformat(),
            s.introduced_by,
        )
        for item_id, s in store.deck_states("d").items()
    }


def introduced_in_table(path: Path, day: date, mode: str) -> int:
    """`introduced_count` as the SQL query counts it."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute(
            "SELECT count(*) FROM item_states WHERE deck_id = 'd' AND introduced_on = ?"
            " AND introduced_by = ?",
            (day.isoformat(), mode),
        ).fetchone()[0]
    finally:
        connection.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh store whose reads of deck "d" are cached (read once before any answer)."""
    opened = Store.open(tmp_path / "progress.sqlite3", backups_dir=tmp_path / "backups")
    opened.deck_states("d")
    opened.logged_item_ids("d")
    yield opened
    opened.close()


ACTIONS = st.lists(
    st.one_of(
        st.tuples(
            st.just("answer"),
            st.sampled_from("abc"),
            st.integers(0, 5),
            st.integers(0, 6),
            st.sampled_from(["review", "learn", "redrill", "pre", "practice"]),
        ),
        st.tuples(st.just("undo"), st.integers(0, 50)),
        st.tuples(st.just("amend"), st.integers(0, 50), st.integers(0, 5)),
    ),
    max_size=25,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=ACTIONS)
def test_cached_reads_equal_the_tables_after_any_writes(tmp_path: Path, actions: list) -> None:
    """Answers, undos and amendments never leave a stale read behind."""
    path = tmp_path / f"p-{len(list(tmp_path.iterdir()))}.sqlite3"
    store = Store.open(path, backups_dir=tmp_path / "backups")
    mode_sets = [("review",), ("learn",), ("post", "review", "redrill", "practice")]
    try:
        store.deck_states("d")
        uids: list[str] = []
        for action in actions:
            for modes in mode_sets:  # fill the kept answers, so each write must drop them
                store.latest_answers("d", modes)
            if action[0] == "answer":
                _, item, grade, day, mode = action
                uids.append(answer(store, item, grade, day, mode).uid)
            elif uids and action[0] == "undo":
                store.undo_review(uids[action[1] % len(uids)])
            elif uids and action[0] == "amend":
                uid = uids[action[1] % len(uids)]
                live = store.review(uid)
                if live is not None and not live.undone:
                    store.amend_grade(uid, action[2])
        assert cached(store) == table_states(path)
        for day in range(7):
            for mode in ("review", "learn"):
                expected = introduced_in_table(path, DAY0 + timedelta(days=day), mode)
                assert store.introduced_count("d", DAY0 + timedelta(days=day), mode) == expected
        assert store.logged_item_ids("d") == {r.item_id for r in store.reviews(include_undone=True)}
        live = store.reviews("d")
        for mode in ("review", "learn"):
            assert store.answered_item_ids("d", mode) == {r.item_id for r in live if r.mode == mode}
        assert store.learning_days() == sorted({r.learning_day for r in live})
        fresh = Store.open(path, backups_dir=tmp_path / "backups")
        try:
            for modes in mode_sets:
                assert store.latest_answers("d", modes) == fresh.latest_answers("d", modes)
        finally:
            fresh.close()
    finally:
        store.close()


def test_another_connections_write_is_seen(store: Store) -> None:
    """A second quiztui writing the same file empties the cache: its answers show at once."""
    answer(store, "a", 4, 0)
    other = Store.open(store.path, backups_dir=store.backups_dir)
    try:
        answer(other, "b", 4, 0)
    finally:
        other.close()
    assert set(store.deck_states("d")) == {"a", "b"}
    assert store.logged_item_ids("d") == {"a", "b"}
    assert store.introduced_count("d", DAY0, "review") == 2


def test_import_and_recompute_are_seen_at_once(store: Store, tmp_path: Path) -> None:
    """Bulk changes (an import, a recompute) are reflected in what the store serves."""
    answer(store, "a", 4, 0)
    exported = store.export_data()
    other = Store.open(tmp_path / "other.sqlite3", backups_dir=tmp_path / "backups")
    try:
        other.deck_states("d")
        other.import_data(exported)
        assert set(other.deck_states("d")) == {"a"}
        other.recompute_states()
        assert cached(other) == table_states(other.path)
    finally:
        other.close()


def test_deck_states_hands_out_a_copy(store: Store) -> None:
    """Changing the returned dict does not change what the store serves next."""
    answer(store, "a", 4, 0)
    states = store.deck_states("d")
    states.clear()
    assert set(store.deck_states("d")) == {"a"}
