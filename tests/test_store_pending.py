"""Answers are kept when the store cannot write (issue 13, item 9).

A full disk, a lock held past the busy timeout and a read-only file each keep every write (and
the undos, confidence changes, attempts and steps after it) waiting in order, in memory and in
the pending journal; they are saved, in that order, as soon as the database can take them, or
at the next start.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from store_conditions import (
    fill_disk,
    fill_file_system,
    free_disk,
    held_write_lock,
    read_only_file,
    tiny_disk,
)

from quiztui.store import ReviewRecord, Store

AT = datetime(2026, 3, 10, 10, tzinfo=UTC)
ANSWERS = 60
"""Enough answers to fill the few free places left in a full database's pages."""


def open_store(folder: Path, **options: object) -> Store:
    """The store in `folder` (journal beside it only, so a test sees every place it uses)."""
    path = folder / "progress.sqlite3"
    options.setdefault("journal_paths", [folder / "progress.pending.jsonl"])
    return Store.open(path, backups_dir=folder / "backups", **options)  # type: ignore[arg-type]


def answer(store: Store, item_id: str, grade: int = 4, minute: int = 0) -> ReviewRecord:
    """One review-mode answer (it schedules, so its state is checked too)."""
    return store.record_review(
        deck_id="d",
        item_id=item_id,
        kind="question",
        mode="review",
        grade=grade,
        answer_key="k",
        learning_day=date(2026, 3, 10),
        at=AT + timedelta(minutes=minute),
        picked=["a"],
        correct=grade >= 3,
        seconds=2.0,
    )


def journal_lines(folder: Path) -> list[dict[str, object]]:
    """The pending journal's entries."""
    path = folder / "progress.pending.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def do_a_session(store: Store) -> tuple[list[ReviewRecord], str]:
    """Answers, an undo, a confidence change, a check attempt and a step: what a learner does.

    Returns the answers (as first returned) and the attempt's uid.
    """
    answers = [answer(store, f"q{n % 4}", grade=(n % 3) + 3, minute=n) for n in range(ANSWERS)]
    assert store.undo_review(answers[-1].uid, at=AT + timedelta(minutes=20))
    amended = store.amend_grade(answers[-2].uid, 5, at=AT + timedelta(minutes=21))
    assert amended.grade == 5 and amended.uid == answers[-2].uid
    attempt = store.start_attempt(
        deck_id="d", part_id="p", check="pre", question_ids=["q0"], choice_orders={}, at=AT
    )
    answers.append(
        store.record_review(
            deck_id="d",
            item_id="q0",
            kind="question",
            mode="pre",
            grade=1,
            answer_key="k",
            learning_day=date(2026, 3, 10),
            at=AT + timedelta(minutes=22),
            attempt_uid=attempt.uid,
        )
    )
    store.finish_attempt(attempt.uid, AT + timedelta(minutes=23))
    store.mark_step("d", "p", "key_points_done", AT + timedelta(minutes=24))
    return answers, attempt.uid


def assert_session_saved(store: Store, answers: list[ReviewRecord], attempt_uid: str) -> None:
    """Everything `do_a_session` did is in the database, in order, as if nothing had failed."""
    logged = store.reviews(include_undone=True)
    assert [r.uid for r in logged] == [a.uid for a in answers]
    by_uid = {r.uid: r for r in logged}
    undone, amended = answers[ANSWERS - 1].uid, answers[ANSWERS - 2].uid
    assert [r.uid for r in logged if r.undone] == [undone]
    assert by_uid[amended].grade == 5 and by_uid[amended].answered_grade != 5
    assert store.attempt(attempt_uid) is not None
    assert store.attempt(attempt_uid).finished  # type: ignore[union-attr]
    assert store.steps("d") == {"p": frozenset({"key_points_done"})}
    assert store.rebuild_states() == store.live_states()
    assert store.write_status().saved


def test_a_full_disk_keeps_every_write_waiting_then_saves_them_in_order(tmp_path: Path) -> None:
    """Disk full: the app gets its records, the learner a status line, and nothing is lost."""
    store = open_store(tmp_path)
    fill_disk(store._connection)
    answers, attempt_uid = do_a_session(store)
    assert all(a.uid for a in answers)
    status = store.write_status()
    waiting = status.waiting_answers
    assert 1 <= waiting <= ANSWERS + 1 and status.waiting_changes == waiting + 5
    assert status.line == f"{waiting} answers waiting to be saved: disk full"
    assert not status.would_lose and status.kept_in == tmp_path / "progress.pending.jsonl"
    assert len(journal_lines(tmp_path)) == waiting + 5
    assert [entry["kind"] for entry in journal_lines(tmp_path)][-5:] == [
        "amend",
        "start_attempt",
        "review",
        "finish_attempt",
        "mark_step",
    ]
    assert store.review_count() == ANSWERS + 1 - waiting  # reads lag while writes wait
    free_disk(store._connection)
    assert store.retry_pending()
    assert_session_saved(store, answers, attempt_uid)
    assert not (tmp_path / "progress.pending.jsonl").exists()
    store.close()


def test_a_really_full_disk_keeps_writes_in_the_next_journal_place(tmp_path: Path) -> None:
    """A data folder on a 1 MB disk that fills up: SQLite and the journal beside the database
    both fail, the next journal place (another disk) keeps the writes, and they are saved once
    space is freed."""
    with tiny_disk(tmp_path / "data") as folder:
        elsewhere = tmp_path / "cache" / "pending.jsonl"
        beside = folder / "progress.pending.jsonl"
        store = open_store(folder, journal_paths=[beside, elsewhere])
        filler = fill_file_system(folder)
        answers, attempt_uid = do_a_session(store)
        status = store.write_status()
        assert status.line == f"{status.waiting_answers} answers waiting to be saved: disk full"
        assert status.kept_in == elsewhere and not beside.exists()
        filler.unlink()
        assert store.retry_pending()
        assert_session_saved(store, answers, attempt_uid)
        assert not elsewhere.exists()
        store.close()


def test_a_lock_held_past_the_busy_timeout_keeps_writes_waiting(tmp_path: Path) -> None:
    """Another program holds the lock: writes wait; the first write after it lets go saves all."""
    store = open_store(tmp_path, busy_timeout=0.05)
    with held_write_lock(store.path):
        answers, attempt_uid = do_a_session(store)
        status = store.write_status()
        assert status.line == (
            f"{ANSWERS + 1} answers waiting to be saved: the progress file is locked by another"
            " program"
        )
        assert store.review_count() == 0
        assert not store.retry_pending()
    late = answer(store, "q9", minute=90)  # saves what waits first, then itself
    assert late.id == ANSWERS + 2
    assert_session_saved(store, [*answers, late], attempt_uid)
    store.close()


def test_a_read_only_file_keeps_writes_waiting_until_it_is_writable(tmp_path: Path) -> None:
    """The database file is read-only (the folder is not): writes wait in the journal beside
    it, and are saved once the file can be written again, without restarting."""
    open_store(tmp_path).close()
    with read_only_file(tmp_path / "progress.sqlite3") as read_only:
        store = open_store(tmp_path)
        answers, attempt_uid = do_a_session(store)
        assert store.write_status().line == (
            f"{ANSWERS + 1} answers waiting to be saved: the progress file is read-only"
        )
        assert len(journal_lines(tmp_path)) == ANSWERS + 6
        advice = store.waiting_advice() or ""
        assert f"kept in {tmp_path / 'progress.pending.jsonl'}" in advice
        assert f"make it writable (chmod u+w {tmp_path / 'progress.sqlite3'})" in advice
        read_only.release()
        assert store.retry_pending()
    assert_session_saved(store, answers, attempt_uid)
    store.close()


def test_the_next_start_saves_what_waited_before_anything_else(tmp_path: Path) -> None:
    """Closed while the disk was full: the next open saves the journal first, and says so."""
    store = open_store(tmp_path)
    fill_disk(store._connection)
    answers, attempt_uid = do_a_session(store)
    waiting = store.write_status().waiting_answers
    store.close()  # one last try fails: the journal stays
    assert len(journal_lines(tmp_path)) == waiting + 5
    reopened = open_store(tmp_path)
    assert_session_saved(reopened, answers, attempt_uid)
    assert any(
        f"saved {waiting} answers ({waiting + 5} changes in all)" in n for n in reopened.notices
    )
    assert not (tmp_path / "progress.pending.jsonl").exists()
    reopened.close()


def test_a_journal_applied_twice_changes_nothing_twice(tmp_path: Path) -> None:
    """A crash between saving the journal and removing it: the next start applies it again,
    harmlessly (answers are matched by uid, undos and steps are idempotent)."""
    store = open_store(tmp_path)
    fill_disk(store._connection)
    answers, attempt_uid = do_a_session(store)
    shutil.copy(tmp_path / "progress.pending.jsonl", tmp_path / "copy.jsonl")
    free_disk(store._connection)
    assert store.retry_pending()
    store.close()
    shutil.copy(tmp_path / "copy.jsonl", tmp_path / "progress.pending.jsonl")
    with (tmp_path / "progress.pending.jsonl").open("a") as journal:
        journal.write('{"format": 1, "seq": 99, "kind": "rev')  # a torn last line
    reopened = open_store(tmp_path)
    assert_session_saved(reopened, answers, attempt_uid)
    reopened.close()


def test_the_next_place_is_used_when_the_journal_cannot_be_written_beside(
    tmp_path: Path,
) -> None:
    """The journal's first place cannot be written: the next one holds the writes."""
    (tmp_path / "blocked").write_text("a file, so nothing can be created under it")
    fallback = tmp_path / "cache" / "pending.jsonl"
    store = open_store(tmp_path, journal_paths=[tmp_path / "blocked" / "p.jsonl", fallback])
    fill_disk(store._connection)
    for minute in range(ANSWERS):
        answer(store, "q1", minute=minute)
    status = store.write_status()
    assert status.kept_in == fallback and not status.would_lose
    assert len(fallback.read_text().splitlines()) == status.waiting_answers >= 1
    store.close()


def test_nothing_writable_anywhere_is_said(tmp_path: Path) -> None:
    """No journal place can be written: the writes are held in memory, and the line says so."""
    (tmp_path / "blocked").write_text("a file")
    store = open_store(tmp_path, journal_paths=[tmp_path / "blocked" / "p.jsonl"])
    fill_disk(store._connection)
    for minute in range(ANSWERS):
        answer(store, "q1", minute=minute)
    status = store.write_status()
    assert status.would_lose and status.memory_only == status.waiting_changes >= 1
    assert status.line is not None and "held in memory only" in status.line
    free_disk(store._connection)
    assert store.retry_pending()
    assert not store.write_status().would_lose and store.review_count() == ANSWERS
    store.close()


def test_a_read_only_store_refuses_every_write_and_records_nothing(tmp_path: Path) -> None:
    """Opened read-only (another quiztui is open): sessions go on, nothing is written."""
    open_store(tmp_path).close()
    store = open_store(tmp_path, read_only="quiztui pid 4242 has it open")
    do_a_session(store)
    assert store.review_count() == 0 and store.attempts("d") == []
    assert store.steps("d") == {}
    status = store.write_status()
    assert status.line == (
        f"Read-only (quiztui pid 4242 has it open): {ANSWERS + 1} answers not saved"
    )
    assert not status.would_lose
    assert not (tmp_path / "progress.pending.jsonl").exists()
    store.close()
    with open_store(tmp_path) as again:
        assert again.review_count() == 0


def test_a_store_that_is_not_told_to_take_the_journal_leaves_it(tmp_path: Path) -> None:
    """`take_pending=False` (another quiztui that is open owns the journal) leaves it alone."""
    store = open_store(tmp_path)
    fill_disk(store._connection)
    for minute in range(ANSWERS):
        answer(store, "q1", minute=minute)
    saved = store.review_count()
    store.close()
    reader = open_store(tmp_path, take_pending=False)
    assert reader.review_count() == saved < ANSWERS
    reader.close()
    assert len(journal_lines(tmp_path)) == ANSWERS - saved
    with open_store(tmp_path) as owner:
        assert owner.review_count() == ANSWERS


@pytest.mark.parametrize("grade", [3, 5])
def test_confidence_on_a_waiting_answer_is_kept(tmp_path: Path, grade: int) -> None:
    """3 "guessed" / 5 "knew it" after an answer that waits: returned at once, saved later."""
    store = open_store(tmp_path, busy_timeout=0.05)
    with held_write_lock(store.path):
        waiting = answer(store, "q1")
        assert store.amend_grade(waiting.uid, grade).grade == grade
        with pytest.raises(KeyError):
            store.amend_grade("no-such-answer", grade)
    assert store.retry_pending()
    saved = store.review(waiting.uid)
    assert saved is not None and saved.grade == grade and saved.answered_grade == 4
    store.close()


def test_renames_and_notices_wait_for_a_writable_store_without_failing(tmp_path: Path) -> None:
    """Adopting renames and remembering a notice happen on opening a deck: a read-only or
    locked store skips them (done next time) instead of failing the deck's load."""
    from quiztui.store import Renames

    renames = Renames(deck_id="d", deck=("old-deck",))
    open_store(tmp_path).close()
    read_only = open_store(tmp_path, read_only="quiztui pid 4242 has it open")
    assert not read_only.adopt_renames(renames).changed
    read_only.mark_notice_shown("retired:d:1")
    assert not read_only.notice_shown("retired:d:1")
    read_only.close()
    store = open_store(tmp_path, busy_timeout=0.05)
    with held_write_lock(store.path):
        store.adopt_renames(renames)
        store.mark_notice_shown("retired:d:1")
    store.mark_notice_shown("retired:d:1")
    assert store.notice_shown("retired:d:1")
    store.close()


def test_stats_says_what_still_waits_and_what_to_do(
    isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A journal the next start cannot save yet (the file is still read-only): stats says how
    many answers wait, where they are kept, and what to make writable."""
    from quiztui.cli import main

    open_store(isolated_data_dir).close()
    with read_only_file(isolated_data_dir / "progress.sqlite3"):
        store = Store.open()
        answer(store, "q1")
        store.close()
        assert main(["stats"]) == 0
    err = capsys.readouterr().err
    assert "1 answer (1 change in all) waiting to be saved (the progress file is read-only)" in err
    assert "chmod u+w" in err and "saves them the next time it starts" in err
