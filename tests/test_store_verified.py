"""Opening skips the full check only for a file exactly as quiztui last closed it."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from quiztui.store import Store, StoreError, connection, verified


def answer(store: Store, item_id: str = "a") -> None:
    """Log one answer."""
    store.record_review(
        deck_id="d",
        item_id=item_id,
        kind="key_point",
        mode="review",
        grade=4,
        answer_key="",
        learning_day=date(2024, 1, 1),
        at=datetime(2024, 1, 1, 12, tzinfo=UTC),
    )


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every quick_check run, by database file."""
    runs: list[Path] = []
    real = connection.quick_check

    def counting(connection: sqlite3.Connection) -> list[tuple[str]]:
        runs.append(Path(connection.execute("PRAGMA database_list").fetchone()[2]))
        return real(connection)

    monkeypatch.setattr(connection, "quick_check", counting)
    return runs


def closed_store(tmp_path: Path) -> Path:
    """A database with one answer, cleanly closed."""
    path = tmp_path / "progress.sqlite3"
    with Store.open(path, backups_dir=tmp_path / "backups") as store:
        answer(store)
    return path


def test_a_file_as_quiztui_left_it_is_not_checked_again(tmp_path: Path, checks: list) -> None:
    path = closed_store(tmp_path)
    checks.clear()
    Store.open(path, backups_dir=tmp_path / "backups").close()
    assert checks == []


def test_a_file_touched_since_is_checked(tmp_path: Path, checks: list) -> None:
    path = closed_store(tmp_path)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same times, but a new ctime
    checks.clear()
    Store.open(path, backups_dir=tmp_path / "backups").close()
    assert len(checks) == 1


def test_a_store_left_without_closing_is_checked(tmp_path: Path, checks: list) -> None:
    path = closed_store(tmp_path)
    crashed = Store.open(path, backups_dir=tmp_path / "backups")
    answer(crashed)  # and never closed, as after a crash
    checks.clear()
    Store.open(path, backups_dir=tmp_path / "backups").close()
    assert len(checks) == 1
    crashed.close()


def test_damage_after_a_clean_close_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    with Store.open(path, backups_dir=tmp_path / "backups") as store:
        for n in range(300):
            answer(store, f"q{n}")
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 2 : page * 6] = b"\xa5" * (page * 4)
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=r"damaged|not a readable"):
        Store.open(path, backups_dir=tmp_path / "backups")


def test_a_lost_record_only_costs_a_check(tmp_path: Path, checks: list) -> None:
    path = closed_store(tmp_path)
    verified.forget(path)
    checks.clear()
    Store.open(path, backups_dir=tmp_path / "backups").close()
    assert len(checks) == 1
