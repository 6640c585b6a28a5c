"""A damaged or unusual database is never replaced silently (issue 13, item 10).

An empty file is kept aside and the learner told; advice names only backups that exist and says
what is really wrong; a row that cannot be read is reported and left out of a report, while a
write that needs it refuses with a message naming it.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from store_conditions import fill_file_system, read_only_folder, tiny_disk

from quiztui.cli import main
from quiztui.store import Store, StoreError

AT = datetime(2026, 3, 9, 12, tzinfo=UTC)


def answer(store: Store, item_id: str = "kp-1", deck_id: str = "d") -> str:
    """One key-point answer; returns its uid."""
    row = store.record_review(
        deck_id=deck_id,
        item_id=item_id,
        kind="key_point",
        mode="learn",
        grade=4,
        answer_key="k",
        learning_day=date(2026, 3, 9),
        at=AT,
    )
    return row.uid


def test_an_empty_file_is_kept_aside_and_said(tmp_path: Path) -> None:
    """A 0-byte progress.sqlite3 is moved to a name that says so, and the store says it did."""
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"")
    store = Store.open(path, backups_dir=tmp_path / "backups")
    kept = list(tmp_path.glob("progress.sqlite3.empty-*"))
    assert len(kept) == 1 and kept[0].stat().st_size == 0
    assert len(store.notices) == 1
    notice = store.notices[0]
    assert "was an empty file (0 bytes)" in notice and kept[0].name in notice
    assert "backup" not in notice  # there is none to offer
    answer(store)
    store.close()
    assert path.stat().st_size > 0


def test_the_command_line_tells_of_the_empty_file(
    isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`quiztui stats` on an empty progress.sqlite3 says it was kept aside, and works."""
    (isolated_data_dir / "progress.sqlite3").write_bytes(b"")
    assert main(["stats"]) == 0
    err = capsys.readouterr().err
    assert "progress.sqlite3: was an empty file (0 bytes)" in err and ".empty-" in err


def test_damage_advice_names_only_a_backup_that_exists(tmp_path: Path) -> None:
    """Without backups, the message does not send the learner to a folder that is not there."""
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    backups = tmp_path / "backups"
    with pytest.raises(StoreError) as caught:
        Store.open(path, backups_dir=backups)
    message = str(caught.value)
    assert "There is no backup of it" in message and "Restore" not in message
    assert not backups.exists()
    backups.mkdir()
    (backups / "progress-20260101T000000Z-v1.sqlite3").write_bytes(b"")
    (backups / "progress-20260301T000000Z-v2.sqlite3").write_bytes(b"")
    with pytest.raises(StoreError) as caught:
        Store.open(path, backups_dir=backups)
    assert "Copy the latest backup, " in str(caught.value)
    assert "progress-20260301T000000Z-v2.sqlite3" in str(caught.value)


def _make_database(folder: Path) -> None:
    store = Store.open(folder / "progress.sqlite3", backups_dir=folder / "backups")
    answer(store)
    store.close()


def test_a_read_only_folder_gets_true_advice(tmp_path: Path) -> None:
    """The file is fine and the folder read-only: say that, and offer no backup there is not."""
    with (
        read_only_folder(tmp_path / "data", _make_database) as folder,
        pytest.raises(StoreError) as caught,
    ):
        Store.open(folder / "progress.sqlite3", backups_dir=folder / "backups")
    message = str(caught.value)
    assert message.startswith(f"{folder}: is read-only, so quiztui cannot use progress.sqlite3")
    assert "chmod u+w" in message and "--data-dir" in message
    assert "backup" not in message and "damaged" not in message


def test_a_read_only_empty_folder_gets_true_advice(tmp_path: Path) -> None:
    """No database yet, in a read-only folder: quiztui cannot create one there, and says so."""
    with (
        read_only_folder(tmp_path / "data", lambda folder: None) as folder,
        pytest.raises(StoreError) as caught,
    ):
        Store.open(folder / "progress.sqlite3", backups_dir=folder / "backups")
    assert "is read-only, so quiztui cannot create its progress database there" in str(caught.value)


def _spoil(path: Path, sql: str) -> None:
    connection = sqlite3.connect(path)
    connection.execute(sql)
    connection.commit()
    connection.close()


def test_stats_reports_unreadable_rows_and_carries_on(
    isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad times in the log, a state and an attempt: stats names each row and exits 0."""
    path = isolated_data_dir / "progress.sqlite3"
    deck = "airflow-mwaa"
    store = Store.open()
    bad_uid = answer(store, "kp-orchestrator-not-data-mover", deck)
    other_uid = answer(store, "kp-dag-directed-acyclic", deck)
    attempt = store.start_attempt(
        deck_id=deck,
        part_id="airflow-foundations",
        check="pre",
        question_ids=[],
        choice_orders={},
        at=AT,
    )
    store.finish_attempt(attempt.uid, AT)
    store.close()
    _spoil(path, f"UPDATE reviews SET reviewed_at = 'garbage' WHERE uid = '{bad_uid}'")
    _spoil(path, f"UPDATE reviews SET learning_day = 'x' WHERE uid = '{other_uid}'")
    _spoil(path, "UPDATE item_states SET due = 'never' WHERE item_id = 'kp-dag-directed-acyclic'")
    _spoil(path, f"UPDATE attempts SET started_at = 'soon' WHERE uid = '{attempt.uid}'")
    assert main(["stats"]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "Statistics: Workflow Orchestration with Airflow and MWAA" in captured.out
    for table, key in (
        ("reviews", other_uid),
        ("item_states", f"{deck}/kp-dag-directed-acyclic"),
        ("attempts", attempt.uid),
    ):
        assert f"left out the {table} row {key}, which cannot be read" in captured.err


def test_reads_leave_bad_rows_out_and_name_them(tmp_path: Path) -> None:
    """Each kind of report read carries on without the row, and `bad_rows` lists it once."""
    path = tmp_path / "progress.sqlite3"
    store = Store.open(path, backups_dir=tmp_path / "backups")
    bad_uid, good_uid = answer(store, "kp-1"), answer(store, "kp-2")
    attempt = store.start_attempt(
        deck_id="d", part_id="p", check="pre", question_ids=["q"], choice_orders={}, at=AT
    )
    _spoil(path, f"UPDATE reviews SET reviewed_at = 'garbage' WHERE uid = '{bad_uid}'")
    _spoil(path, "UPDATE item_states SET due = 'x' WHERE item_id = 'kp-2'")
    _spoil(path, f"UPDATE attempts SET started_at = 'soon' WHERE uid = '{attempt.uid}'")
    assert [r.uid for r in store.reviews("d")] == [good_uid]
    assert store.reviews("d") == store.reviews("d")  # and again, from the same rows
    assert set(store.deck_states("d")) == {"kp-1"}
    assert store.attempts("d") == [] and store.unfinished_attempt("d", "p", "pre") is None
    assert set(store.latest_answers("d", ["learn"])) == {"kp-2"}
    assert [(b.table, b.key) for b in store.bad_rows()] == [
        ("reviews", bad_uid),
        ("item_states", "d/kp-2"),
        ("attempts", attempt.uid),
    ]
    store.close()


def test_a_write_that_needs_a_bad_row_refuses_naming_it(tmp_path: Path) -> None:
    """Strict where it serves a write: recomputing a state over a bad row says which row."""
    path = tmp_path / "progress.sqlite3"
    store = Store.open(path, backups_dir=tmp_path / "backups")
    first = answer(store, "kp-1")
    second = answer(store, "kp-1")
    _spoil(path, f"UPDATE reviews SET learning_day = 'x' WHERE uid = '{first}'")
    with pytest.raises(StoreError) as caught:
        store.undo_review(second)
    assert f"the reviews row {first} cannot be read" in str(caught.value)
    assert "nothing was changed" in str(caught.value)
    assert store.review(second) is not None and store.review(second).undone_at is None  # type: ignore[union-attr]
    store.close()


def test_a_full_disk_at_opening_is_not_called_damage(tmp_path: Path) -> None:
    """SQLite says "disk I/O error" when a full disk stops it reading: say the disk is full,
    and never advise moving a sound file aside."""
    with tiny_disk(tmp_path / "data") as folder:
        _make_database(folder)
        fill_file_system(folder)
        with pytest.raises(StoreError) as caught:
            Store.open(folder / "progress.sqlite3", backups_dir=folder / "backups")
    message = str(caught.value)
    assert "the disk it is on is full" in message and "free some space" in message
    assert "move the file aside" not in message and "not known to be damaged" in message
