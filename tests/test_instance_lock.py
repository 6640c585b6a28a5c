"""One instance writes a data folder at a time, or both know it (issue 13, item 7).

The first app holds the data folder's lock (pid and start time in the file); a second is told
and chooses read-only (nothing recorded), waiting, or quitting; a lock whose process is gone
is taken over; reading commands keep working while an app is open, `progress import` does not
write under it.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from deck_texts import VALID_DECK_PATH

import quiztui
from quiztui.cli import main
from quiztui.commands import progress as progress_command
from quiztui.commands.second_instance import open_data_folder
from quiztui.days import FixedClock
from quiztui.deck.loader import load_deck
from quiztui.settings import Settings
from quiztui.store import Store, instance_lock
from quiztui.store.instance_lock import InstanceLock
from quiztui.study import StudyContext, open_check

HOLDER = Path(__file__).with_name("lock_holder.py")
REPO = Path(quiztui.__file__).resolve().parent.parent
DEAD_PID = 2**22 + 12345
"""Above Linux's largest pid, so never a living process."""


@pytest.fixture
def first_app(isolated_data_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the data folder's lock, as an open app does."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    holder = subprocess.Popen(
        [sys.executable, str(HOLDER), str(isolated_data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    yield holder
    if holder.poll() is None:
        holder.communicate("")


def close(holder: subprocess.Popen[str]) -> None:
    """The first app quits."""
    holder.communicate("")


def test_a_second_instance_is_told_who_has_it_open(
    isolated_data_dir: Path, first_app: subprocess.Popen[str]
) -> None:
    """The lock names the holder's pid and when it opened."""
    owner = InstanceLock(isolated_data_dir).acquire()
    assert owner is not None and owner.pid == first_app.pid
    assert owner.describe().startswith(f"pid {first_app.pid}, open since ")


def test_a_killed_holder_leaves_no_lock_behind(
    isolated_data_dir: Path, first_app: subprocess.Popen[str]
) -> None:
    """SIGKILL the first app: its lock is stale, and the next one simply takes it."""
    first_app.send_signal(signal.SIGKILL)
    first_app.wait()
    lock = InstanceLock(isolated_data_dir)
    assert lock.owner() is not None and lock.owner().pid == first_app.pid  # type: ignore[union-attr]
    assert lock.owner_alive() is None
    assert lock.acquire() is None and lock.held
    lock.release()


@pytest.mark.parametrize("with_flock", [True, False])
def test_a_lock_file_naming_a_dead_pid_is_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_flock: bool
) -> None:
    """A lock file whose pid is not running is taken over, with flock or by the pid alone."""
    if not with_flock:
        monkeypatch.setattr(instance_lock, "fcntl", None)
    stale = {"pid": DEAD_PID, "host": os.uname().nodename, "started_at": "2026-03-01T09:00:00"}
    (tmp_path / "quiztui.lock").write_text(json.dumps(stale))
    lock = InstanceLock(tmp_path)
    assert lock.owner_alive() is None
    assert lock.acquire() is None
    assert json.loads((tmp_path / "quiztui.lock").read_text())["pid"] == os.getpid()
    lock.release()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_a_lock_file_naming_a_zombie_is_stale(tmp_path: Path) -> None:
    """A killed app its parent has not reaped yet still answers kill(pid, 0): not open."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # ended, left unreaped
    owner = {"pid": child.pid, "host": os.uname().nodename, "started_at": "2026-03-01T09:00:00"}
    (tmp_path / "quiztui.lock").write_text(json.dumps(owner))
    try:
        assert not instance_lock.pid_alive(child.pid)
        assert InstanceLock(tmp_path).owner_alive() is None
    finally:
        child.wait()


def test_without_flock_a_living_pid_holds_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where there is no flock, the pid in the file decides: a living one holds the lock."""
    monkeypatch.setattr(instance_lock, "fcntl", None)
    first = InstanceLock(tmp_path)
    assert first.acquire() is None
    second = InstanceLock(tmp_path)
    owner = second.acquire()
    assert owner is not None and owner.pid == os.getpid()
    first.release()
    assert second.acquire() is None
    second.release()


def test_choosing_read_only_records_nothing_where_two_apps_wrote_twice(
    isolated_data_dir: Path,
) -> None:
    """Two sessions on one check: the first records its answers, the second (read-only) none,
    instead of both resuming the same attempt and writing twice as many answers."""
    deck = load_deck(VALID_DECK_PATH)
    clock = FixedClock(datetime(2026, 3, 10, 10, tzinfo=UTC))
    first = open_data_folder(ask=lambda question: pytest.fail("the first is not asked"))
    assert first is not None and first.read_only is None
    asked: list[str] = []
    second = open_data_folder(ask=lambda question: asked.append(question) or "r")
    assert second is not None and second.read_only is not None
    assert f"pid {os.getpid()}, open since" in asked[0] and "r  open read-only" in asked[0]
    stores = [Store.open(read_only=opening.read_only) for opening in (first, second)]
    sessions = [
        open_check(StudyContext(store, clock, Settings()), deck, "basics", "post", seed=1)
        for store in stores
    ]
    for session in sessions:
        while session.current is not None:
            session.answer(frozenset(c.id for c in session.current.choices[:1]), 1.0)
        session.finish()
    attempts = stores[0].attempts(deck.id)
    assert len(attempts) == 1 and attempts[0].finished
    assert len(stores[0].reviews(deck.id, attempt_uid=attempts[0].uid)) == 2
    assert stores[1].write_status().line == (
        f"Read-only (quiztui pid {os.getpid()} has it open): 2 answers not saved"
    )
    for store in stores:
        store.close()
    first.lock.release()


def test_waiting_opens_once_the_first_app_closes(
    isolated_data_dir: Path, first_app: subprocess.Popen[str]
) -> None:
    """`w`: quiztui waits, and opens as usual (holding the lock) when the other one quits."""
    said: list[str] = []
    opening = open_data_folder(
        ask=lambda question: "w", say=said.append, sleep=lambda seconds: close(first_app)
    )
    assert opening is not None and opening.read_only is None and opening.lock.held
    assert said and said[0].startswith(f"Waiting for the other quiztui (pid {first_app.pid}")
    opening.lock.release()


@pytest.mark.parametrize("answer", ["q", "", "nonsense"])
def test_quitting_is_the_default(
    isolated_data_dir: Path, first_app: subprocess.Popen[str], answer: str
) -> None:
    """Anything but r or w quits, opening nothing."""
    assert open_data_folder(ask=lambda question: answer, say=lambda text: None) is None


def test_without_a_terminal_it_says_so_and_quits(
    isolated_data_dir: Path, first_app: subprocess.Popen[str]
) -> None:
    """No terminal to ask in: one message naming the other instance, and nothing opened."""
    said: list[str] = []

    def no_terminal(question: str) -> str:
        raise EOFError

    assert open_data_folder(ask=no_terminal, say=said.append) is None
    assert f"is open in another quiztui (pid {first_app.pid}" in said[0]


def test_reading_commands_work_while_an_app_is_open_and_import_does_not_write(
    tmp_path: Path,
    isolated_data_dir: Path,
    first_app: subprocess.Popen[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """stats and export run; import refuses, naming the app, and imports nothing."""
    assert main(["stats"]) == 0
    out = tmp_path / "history.json"
    assert main(["progress", "export", str(out)]) == 0
    capsys.readouterr()
    assert progress_command.run(argparse.Namespace(action="import", file=out)) == 1
    err = capsys.readouterr().err
    assert f"is open in quiztui (pid {first_app.pid}" in err and "Nothing was imported" in err
    close(first_app)
    assert progress_command.run(argparse.Namespace(action="import", file=out)) == 0


def test_stats_leaves_an_open_apps_pending_journal_to_it(
    isolated_data_dir: Path, first_app: subprocess.Popen[str]
) -> None:
    """What an open app keeps waiting is the app's to save; stats reads around it."""
    from store_conditions import fill_disk

    store = Store.open(take_pending=False)
    fill_disk(store._connection)
    for minute in range(60):
        store.record_review(
            deck_id="d",
            item_id="q",
            kind="question",
            mode="review",
            grade=4,
            answer_key="k",
            learning_day=datetime(2026, 3, 10, tzinfo=UTC).date(),
            at=datetime(2026, 3, 10, 10, minute, tzinfo=UTC),
        )
    store.close()
    journal = isolated_data_dir / "progress.pending.jsonl"
    assert journal.exists()
    assert main(["stats"]) == 0
    assert journal.exists()
    close(first_app)
    assert main(["stats"]) == 0
    assert not journal.exists()


def test_quiztui_exam_takes_the_data_folder_as_the_app_does(
    isolated_data_dir: Path,
    first_app: subprocess.Popen[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With another quiztui open, `quiztui exam` asks first too (no terminal here: it says
    who has the folder and opens nothing, so no exam is written beside the other app)."""
    deck = REPO / "decks" / "airflow-mwaa.yaml"
    assert main(["exam", str(deck), "-n", "2"]) == 1
    assert f"is open in another quiztui (pid {first_app.pid}" in capsys.readouterr().err
    assert not (isolated_data_dir / "progress.sqlite3").exists()


def test_an_exam_is_not_offered_read_only(
    isolated_data_dir: Path, first_app: subprocess.Popen[str]
) -> None:
    """An exam saves every answer, so beside another app it may wait or quit, never open
    read-only: the question leaves that choice out, and "r" opens nothing."""
    asked: list[str] = []
    opening = open_data_folder(
        ask=lambda question: asked.append(question) or "r", say=lambda text: None, read_only=False
    )
    assert opening is None
    assert "r  open read-only" not in asked[0] and asked[0].endswith("Choose w or q: ")
    assert "cannot run read-only" in asked[0]
