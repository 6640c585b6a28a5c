"""Imports refuse what cannot be true, whole, naming the file and the entry (issue 13, item 11)."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from quiztui.commands import progress as progress_command
from quiztui.store import Store
from quiztui.store.exchange import read_progress_file
from quiztui.store.import_check import ProgressFileError, check_import

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def review(**changes: Any) -> dict[str, Any]:
    """One exported review as `progress export` writes it, with `changes`."""
    entry: dict[str, Any] = {
        "uid": "r1",
        "deck_id": "d",
        "item_id": "q1",
        "kind": "question",
        "mode": "review",
        "grade": 4,
        "answered_grade": 4,
        "picked": ["a"],
        "correct": True,
        "seconds": 3.5,
        "reviewed_at": "2026-03-09T12:00:00.000000+00:00",
        "learning_day": "2026-03-09",
        "answer_key": "k",
        "attempt_uid": None,
        "amended_at": None,
        "undone_at": None,
    }
    entry.update(changes)
    return entry


def history(*reviews: dict[str, Any], **more: Any) -> dict[str, Any]:
    """A progress file holding `reviews` (and `attempts`, `steps` if given)."""
    return {"format": "quiztui-progress", "format_version": 1, "reviews": list(reviews), **more}


def test_a_learning_day_two_dates_before_its_utc_time_passes() -> None:
    """Honolulu (UTC-10) with rollover_hour = 23: an answer at 22:30 local on the 20th is
    08:30 UTC on the 21st, and its learning day is the 19th (before 23:00 it is the day
    before). `progress export` writes that; the import must take it."""
    entry = review(reviewed_at="2026-03-09T08:30:00+00:00", learning_day="2026-03-07")
    assert len(check_import(history(entry), "h.json", now=NOW).reviews) == 1


def test_a_plausible_review_passes() -> None:
    """The reference entry itself is accepted (so the refusals below are the changes)."""
    checked = check_import(history(review()), "h.json", now=NOW)
    assert len(checked.reviews) == 1


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        (
            {"reviewed_at": "0001-01-01T00:00:00+00:00", "learning_day": "0001-01-01"},
            "'reviewed_at' before 2000",
        ),
        (
            {"reviewed_at": "2100-01-01T00:00:00+00:00", "learning_day": "2100-01-01"},
            "'reviewed_at' in the future",
        ),
        ({"reviewed_at": "2026-03-10T12:00:00+00:00"}, "'reviewed_at' in the future"),
        ({"learning_day": "2026-03-01"}, "'learning_day' (2026-03-01) more than two days"),
        ({"learning_day": "2026-03-06"}, "'learning_day' (2026-03-06) more than two days"),
        ({"learning_day": "2026-03-12"}, "'learning_day' (2026-03-12) more than two days"),
        ({"seconds": float("nan")}, "'seconds' that is not from 0 to 86400"),
        ({"seconds": float("inf")}, "'seconds' that is not from 0 to 86400"),
        ({"seconds": 86401}, "'seconds' that is not from 0 to 86400"),
        ({"seconds": 10**4000}, "'seconds' that is not from 0 to 86400"),
        ({"seconds": -1}, "'seconds' that is not from 0 to 86400"),
        ({"grade": 6}, "no valid 'grade' (a whole number from 0 to 5)"),
        ({"grade": -1}, "no valid 'grade'"),
        ({"answered_grade": 10**4000}, "no valid 'answered_grade'"),
        ({"grade": 4.0}, "no valid 'grade'"),
        ({"picked": [["a"]]}, "no valid 'picked'"),
        ({"undone_at": "2099-01-01T00:00:00+00:00"}, "'undone_at' in the future"),
        ({"amended_at": "1999-12-31T23:59:59+00:00"}, "'amended_at' before 2000"),
        ({"reviewed_at": "9999-12-31T23:59:59-05:00"}, "not a date and time"),
    ],
)
def test_an_impossible_review_is_refused_naming_file_and_entry(
    changes: dict[str, Any], fragment: str
) -> None:
    """Each refusal says which file, which entry (number and uid) and what is wrong."""
    with pytest.raises(ProgressFileError) as caught:
        check_import(history(review(uid="ok"), review(uid="bad-one", **changes)), "h.json", now=NOW)
    message = str(caught.value)
    assert message.startswith("h.json: review #2 (uid 'bad-one') ")
    assert fragment in message
    assert "Nothing was imported" in message


def test_attempts_and_steps_are_dated_too() -> None:
    """An attempt or a step mark in the future is refused the same way."""
    attempt = {
        "uid": "a1",
        "deck_id": "d",
        "part_id": "p",
        "check": "pre",
        "question_ids": ["q1"],
        "choice_orders": {"q1": ["a", "b"]},
        "started_at": "2100-01-01T00:00:00+00:00",
    }
    with pytest.raises(ProgressFileError, match=r"attempt #1 \(uid 'a1'\) has a 'started_at'"):
        check_import(history(attempts=[attempt]), "h.json", now=NOW)
    step = {"deck_id": "d", "part_id": "p", "step": "key_points_done", "marked_at": "1970-01-01"}
    with pytest.raises(ProgressFileError, match="step #1 has a 'marked_at' before 2000"):
        check_import(history(steps=[step]), "h.json", now=NOW)


def test_a_long_bad_value_is_quoted_short() -> None:
    """A 1 MB value is never repeated whole in the message."""
    with pytest.raises(ProgressFileError) as caught:
        check_import(history(review(kind="x" * 1_000_000)), "h.json", now=NOW)
    assert len(str(caught.value)) < 500


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"format": ' + "9" * 5000 + "}", "holds a value no progress file has"),
    ],
)
def test_files_that_make_python_raise_are_refused(tmp_path: Path, text: str, fragment: str) -> None:
    """Deep nesting (RecursionError) and huge integers (ValueError) are one clear message."""
    path = tmp_path / "evil.json"
    path.write_text(text)
    with pytest.raises(ProgressFileError) as caught:
        read_progress_file(path)
    assert str(caught.value).startswith(f"{path}: ") and fragment in str(caught.value)


def test_the_command_refuses_before_touching_the_store(
    tmp_path: Path, isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`progress import` of a file with a review in 2100 exits 1, names the entry, adds nothing."""
    path = tmp_path / "future.json"
    good = review(uid="good", reviewed_at="2024-05-01T08:00:00+00:00", learning_day="2024-05-01")
    bad = review(uid="later", reviewed_at="2100-01-01T00:00:00+00:00", learning_day="2100-01-01")
    path.write_text(json.dumps(history(good, bad)))
    assert progress_command.run(argparse.Namespace(action="import", file=path)) == 1
    error = capsys.readouterr().err
    assert f"{path}: review #2 (uid 'later') has a 'reviewed_at' in the future" in error
    assert not (isolated_data_dir / "progress.sqlite3").exists()  # never even opened
    with Store.open() as store:
        assert store.review_count() == 0


def test_the_store_checks_before_its_write_transaction(tmp_path: Path) -> None:
    """`Store.import_data` refuses an impossible file without taking the write lock."""
    store = Store.open(tmp_path / "p.sqlite3", backups_dir=tmp_path / "b")
    statements: list[str] = []
    store._connection.set_trace_callback(statements.append)
    with pytest.raises(ProgressFileError):
        store.import_data(history(review(grade=9)), "h.json")
    assert not any("BEGIN" in s for s in statements)
    store.close()
