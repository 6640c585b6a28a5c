"""Data safety under crashes and concurrency: every answer reported saved is in the log.

A worker process (tests/store_worker.py) prints each review's uid after its commit. One test kills
it with SIGKILL at random points; another runs two workers on one database at once.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import quiztui
from quiztui.store import Store

WORKER = Path(__file__).with_name("store_worker.py")
REPO = Path(quiztui.__file__).resolve().parent.parent


def start_worker(db: Path, name: str, count: int, *extra: str) -> subprocess.Popen[str]:
    """Start a worker process answering `count` reviews (0: until killed); `extra`: "full"."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(db), name, str(count), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_loses_no_reported_answer(tmp_path: Path) -> None:
    """Kill a writer at random moments, several times: every reported uid is in the log."""
    db = tmp_path / "progress.sqlite3"
    rng = random.Random(20240607)
    reported: list[str] = []
    for round_number in range(5):
        worker = start_worker(db, f"w{round_number}", 0)
        assert worker.stdout is not None
        wanted = rng.randint(1, 60)
        for _ in range(wanted):
            line = worker.stdout.readline()
            assert line.endswith("\n"), worker.stderr.read() if worker.stderr else ""
            reported.append(line.strip())
        worker.send_signal(signal.SIGKILL)
        rest, _ = worker.communicate()
        # Lines already written before the kill were printed after their commit, too.
        reported.extend(line for line in rest.split("\n")[:-1] if line)
        assert worker.returncode == -signal.SIGKILL
    store = Store.open(db, backups_dir=tmp_path / "backups")
    try:
        logged = {row.uid for row in store.reviews(include_undone=True)}
        assert set(reported) <= logged
        assert len(reported) >= 5
        assert store.integrity_check() == "ok"
        assert store.rebuild_states() == store.live_states()
    finally:
        store.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_while_answers_wait_loses_none(tmp_path: Path) -> None:
    """The disk is full, so answers wait in the journal: kill the writer at random moments,
    several times (each new one saves the journal first): every reported uid is saved."""
    db = tmp_path / "progress.sqlite3"
    rng = random.Random(20260310)
    reported: list[str] = []
    for round_number in range(4):
        worker = start_worker(db, f"f{round_number}", 0, "full")
        assert worker.stdout is not None
        for _ in range(rng.randint(20, 80)):
            line = worker.stdout.readline()
            assert line.endswith("\n"), worker.stderr.read() if worker.stderr else ""
            reported.append(line.strip())
        worker.send_signal(signal.SIGKILL)
        rest, _ = worker.communicate()
        reported.extend(line for line in rest.split("\n")[:-1] if line)
    assert (tmp_path / "progress.pending.jsonl").exists()  # the last round's answers wait
    store = Store.open(db, backups_dir=tmp_path / "backups")
    try:
        logged = [row.uid for row in store.reviews(include_undone=True)]
        assert set(reported) <= set(logged) and len(logged) == len(set(logged))
        assert store.write_status().saved
        assert store.integrity_check() == "ok"
        assert store.rebuild_states() == store.live_states()
    finally:
        store.close()
    assert not (tmp_path / "progress.pending.jsonl").exists()


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    """Two processes answering into one database at the same time: all answers are there."""
    db = tmp_path / "progress.sqlite3"
    Store.open(db, backups_dir=tmp_path / "backups").close()
    count = 60
    workers = [start_worker(db, name, count) for name in ("alpha", "beta")]
    outputs = [worker.communicate() for worker in workers]
    for worker, (_, errors) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, errors
    reported = [uid for out, _ in outputs for uid in out.split()]
    assert len(reported) == 2 * count
    store = Store.open(db, backups_dir=tmp_path / "backups")
    try:
        logged = [row.uid for row in store.reviews()]
        assert sorted(logged) == sorted(reported)
        assert store.integrity_check() == "ok"
        assert store.rebuild_states() == store.live_states()
    finally:
        store.close()
