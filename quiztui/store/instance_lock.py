"""One quiztui app writes a data folder at a time, and a second one knows the first is open.

Two apps on one data folder would both resume the same check attempt and write nine answers to
a five-question check. So the app (and `quiztui progress import`, which writes too) holds
`<data dir>/quiztui.lock` while it runs: an exclusive `flock` on the file, which the system
releases when the process ends however it ends, and in the file the holder's pid, host and
start time, so a second instance can say who has it open. A lock left by a process that is
gone is stale and simply taken over: with `flock` the system has released it already; where
there is no `flock`, the pid in the file is checked for a living process.

Commands that only read (`quiztui stats`, `progress export`) take no lock; they ask
`owner_alive` only to leave an open app's pending journal to that app.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "quiztui.lock"

BUSY_RETRIES = 10
"""How often to look again when the lock is held but its file does not name a living holder
(a holder that has just taken the lock and not yet written its name)."""


@dataclass(frozen=True, slots=True)
class LockOwner:
    """Who holds a data folder's lock."""

    pid: int
    started_at: datetime | None
    """When it took the lock (UTC), if the file says."""
    host: str
    command: str = "quiztui"
    """What it is doing ("quiztui", "quiztui progress import")."""

    def describe(self) -> str:
        """Who, in the learner's words: "pid 4242, open since 10:02 on 2026-03-10"."""
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        if self.started_at is None:
            return f"pid {self.pid}{where}"
        local = self.started_at.astimezone()
        return f"pid {self.pid}{where}, open since {local:%H:%M} on {local:%Y-%m-%d}"


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid is running on this machine (a zombie is not)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    except OSError:
        return False
    try:  # Linux: a killed process its parent has not reaped yet still answers kill(0)
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def _parse_owner(text: str) -> LockOwner | None:
    try:
        data: Any = json.loads(text)
        started = data.get("started_at")
        return LockOwner(
            pid=int(data["pid"]),
            started_at=None if started is None else datetime.fromisoformat(started),
            host=str(data.get("host", "")),
            command=str(data.get("command", "quiztui")),
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _alive(owner: LockOwner | None) -> bool:
    """Whether the owner named in a lock file may still be running (another host: assume so)."""
    if owner is None:
        return False
    if owner.host and owner.host != socket.gethostname():
        return True
    return pid_alive(owner.pid)


class InstanceLock:
    """The lock on one data folder: `acquire` it to write there, `release` it when done."""

    def __init__(self, data_dir: Path, command: str = "quiztui") -> None:
        self.path = Path(data_dir) / LOCK_NAME
        """The lock file."""
        self.command = command
        self._descriptor: int | None = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._descriptor is not None

    def owner(self) -> LockOwner | None:
        """Who the lock file names, whether or not it is still running."""
        try:
            return _parse_owner(self.path.read_text(encoding="utf-8"))
        except OSError:
            return None

    def owner_alive(self) -> LockOwner | None:
        """The other process that holds the lock now, or None (free, stale, or ours).

        The file must name a living process, and (where there is `flock`) the lock must be
        held: a pid reused by another program after a crash is not an open quiztui.
        """
        if self.held:
            return None
        owner = self.owner()
        if not _alive(owner):
            return None
        if fcntl is None:
            return owner
        try:
            descriptor = os.open(self.path, os.O_RDONLY)
        except OSError:
            return None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return owner
        except OSError:
            return owner
        finally:
            os.close(descriptor)  # closing lets go of a shared lock just taken
        return None

    def acquire(self) -> LockOwner | None:
        """Take the lock; None when taken, else who holds it (a living process).

        A stale lock (its process gone) is taken over. When the lock file cannot be made at
        all (a read-only folder), None is returned without a lock: opening the store will say
        what is wrong with the folder.
        """
        if self.held:
            return None
        if fcntl is None:
            return self._acquire_by_pid()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return None
        for _ in range(BUSY_RETRIES):
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                owner = self.owner()
                if _alive(owner):
                    os.close(descriptor)
                    return owner
                time.sleep(0.05)
                continue
            except OSError:  # a file system without flock: fall back to the pid alone
                os.close(descriptor)
                return self._acquire_by_pid()
            self._descriptor = descriptor
            self._write_owner(descriptor)
            return None
        os.close(descriptor)
        owner = self.owner()
        return owner or LockOwner(pid=0, started_at=None, host=socket.gethostname())

    def _acquire_by_pid(self) -> LockOwner | None:
        """The lock where `flock` is missing: the file exists while held; a dead pid is stale."""
        for _ in range(2):
            try:
                descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                owner = self.owner()
                if _alive(owner):
                    return owner
                with contextlib.suppress(OSError):
                    self.path.unlink()
                continue
            except OSError:
                return None
            self._descriptor = descriptor
            self._write_owner(descriptor)
            return None
        return self.owner()

    def _write_owner(self, descriptor: int) -> None:
        record = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": self.command,
        }
        with contextlib.suppress(OSError):
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, json.dumps(record).encode("utf-8"), 0)
            os.fsync(descriptor)

    def release(self) -> None:
        """Let go of the lock (the file stays, emptied: removing a flocked file is racy)."""
        descriptor, self._descriptor = self._descriptor, None
        if descriptor is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(descriptor, 0)
        if fcntl is None:
            with contextlib.suppress(OSError):
                self.path.unlink()
        else:
            with contextlib.suppress(OSError):
                fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)

    def __enter__(self) -> InstanceLock:
        """Use as a context manager that releases the lock (acquire it first)."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Release on the way out."""
        self.release()


def wait_for(
    lock: InstanceLock,
    *,
    poll_seconds: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Wait until the lock can be taken, then take it.

    `sleep` is injectable, so a test can end the other holder instead of waiting.
    """
    while lock.acquire() is not None:
        sleep(poll_seconds)
