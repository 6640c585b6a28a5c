"""A program in a pseudo-terminal, read by the pyte terminal emulator, as a user's terminal runs it.

The program gets a real pty of 80x24 with TERM=xterm-256color as its stdin, stdout and stderr
and its controlling terminal. A reader thread takes every byte it writes the moment it arrives
and stamps it with `time.perf_counter()`; the emulator is fed from that queue, so the time a
screen "is shown" is when the bytes that complete it reached the terminal, not when pyte (pure
Python, slower than a real terminal) finished parsing them. The emulator answers the queries a
terminal answers (device attributes, cursor position), as xterm would.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import select
import signal
import struct
import sys
import termios
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pyte

COLUMNS = 80
ROWS = 24

Predicate = Callable[[list[str]], bool]
"""A test on the screen's lines (each exactly COLUMNS characters)."""


class ScreenTimeout(RuntimeError):
    """The screen waited for never came; the message shows the screen as it was."""


class _AnsweringScreen(pyte.Screen):  # type: ignore[misc]
    """A pyte screen that sends its replies (DA, DSR) back to the program, as a terminal does."""

    def __init__(self, columns: int, rows: int, reply: Callable[[str], None]) -> None:
        super().__init__(columns, rows)
        self._reply = reply

    def write_process_input(self, data: str) -> None:
        """Send a reply to the program (pyte calls this for the queries it understands)."""
        self._reply(data)


class Terminal:
    """One program started in a fresh pty; see the module docstring."""

    def __init__(
        self,
        argv: Sequence[str],
        env: dict[str, str],
        *,
        cwd: Path | None = None,
        columns: int = COLUMNS,
        rows: int = ROWS,
    ) -> None:
        """Start `argv` in a new pty; `started_at` is the perf_counter just before the fork."""
        sys.setswitchinterval(0.0005)  # the reader thread stamps arrivals while pyte parses
        environment = dict(env)
        environment["TERM"] = "xterm-256color"
        environment["COLUMNS"] = str(columns)
        environment["LINES"] = str(rows)
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self._master = master
        self._chunks: queue.SimpleQueue[tuple[float, bytes] | None] = queue.SimpleQueue()
        self.screen = _AnsweringScreen(columns, rows, self._send_reply)
        self._stream = pyte.ByteStream(self.screen)
        self.exit_status: int | None = None
        self.output_bytes = 0
        """How many bytes the program has written so far."""
        self.started_at = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child: become the session leader of the pty, then the program
            try:
                os.close(master)
                os.setsid()
                fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
                for fd in (0, 1, 2):
                    os.dup2(slave, fd)
                if slave > 2:
                    os.close(slave)
                if cwd is not None:
                    os.chdir(cwd)
                os.execvpe(argv[0], list(argv), environment)
            finally:
                os._exit(127)
        os.close(slave)
        self.pid = pid
        self._reader = threading.Thread(target=self._read_all, name="pty-reader", daemon=True)
        self._reader.start()

    # ------------------------------------------------------------------ bytes in and out

    def _read_all(self) -> None:
        """Take the program's output as it comes, stamped with its arrival time."""
        while True:
            try:
                select.select([self._master], [], [])
                data = os.read(self._master, 1 << 16)
            except OSError:  # EIO: the program closed the terminal (it exited)
                data = b""
            if not data:
                self._chunks.put(None)
                return
            self._chunks.put((time.perf_counter(), data))

    def _send_reply(self, data: str) -> None:
        with contextlib.suppress(OSError):
            os.write(self._master, data.encode())

    def send(self, keys: bytes) -> float:
        """Type `keys`; the perf_counter just before the write."""
        at = time.perf_counter()
        os.write(self._master, keys)
        return at

    @property
    def lines(self) -> list[str]:
        """The screen as text, one string per row."""
        return list(self.screen.display)

    def text(self) -> str:
        """The screen as one string, for messages."""
        return "\n".join(line.rstrip() for line in self.lines)

    def _feed(self, timeout: float) -> float | None:
        """Feed what has arrived (waiting up to `timeout` for something); its last arrival time.

        None when nothing came in time. Raises EOFError once the program has closed the pty.
        """
        try:
            chunk = self._chunks.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return None
        last: float | None = None
        while True:
            if chunk is None:
                self._chunks.put(None)  # stays closed for later calls
                raise EOFError
            arrived, data = chunk
            self.output_bytes += len(data)
            self._stream.feed(data)
            last = arrived
            try:
                chunk = self._chunks.get_nowait()
            except queue.Empty:
                return last

    def wait_for(self, predicate: Predicate, timeout: float = 60.0, what: str = "") -> float:
        """The arrival time of the output that made `predicate` true of the screen.

        Checks after every chunk, so the time is that of the first chunk after which the screen
        passed. Raises ScreenTimeout (with the screen) when it does not happen in time.
        """
        if predicate(self.lines):
            return time.perf_counter()
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise ScreenTimeout(
                    f"waited {timeout:.0f} s for {what}; the screen:\n{self.text()}"
                )
            try:
                arrived = self._feed(left)
            except EOFError:
                self.close()
                raise ScreenTimeout(
                    f"the program exited ({self.exit_status}) before {what}:\n{self.text()}"
                ) from None
            if arrived is not None and predicate(self.lines):
                return arrived

    def drain(self) -> None:
        """Draw whatever output has already arrived, without waiting for more."""
        with contextlib.suppress(EOFError):
            self._feed(0)

    def pump(self, seconds: float) -> None:
        """Keep reading (and drawing) for `seconds`, as a terminal does while the user reads."""
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            try:
                self._feed(left)
            except EOFError:
                return

    # ------------------------------------------------------------------ the process

    def peak_rss_mb(self) -> float:
        """The program's peak resident memory so far (VmHWM), in MB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
        raise RuntimeError("no VmHWM in /proc status")

    def close(self, quit_keys: bytes = b"\x11", timeout: float = 5.0) -> int:
        """Quit the program with `quit_keys` (Ctrl+Q), then signals if it lingers; its status."""
        if self.exit_status is None:
            with contextlib.suppress(OSError):
                os.write(self._master, quit_keys)
            deadline = time.perf_counter() + timeout
            for sig in (None, signal.SIGTERM, signal.SIGKILL):
                if sig is not None:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self.pid, sig)
                    deadline = time.perf_counter() + timeout
                while time.perf_counter() < deadline:
                    self.pump(0.02)
                    pid, status = os.waitpid(self.pid, os.WNOHANG)
                    if pid:
                        self.exit_status = os.waitstatus_to_exitcode(status)
                        break
                if self.exit_status is not None:
                    break
        with contextlib.suppress(OSError):
            os.close(self._master)
        return self.exit_status if self.exit_status is not None else -1

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def lines_contain(*texts: str) -> Predicate:
    """True when every text is somewhere on the screen."""

    def check(lines: list[str]) -> bool:
        screen = "\n".join(lines)
        return all(text in screen for text in texts)

    return check
