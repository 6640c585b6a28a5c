"""A subprocess that holds a data folder's quiztui lock until its standard input closes.

Run as `python tests/lock_holder.py DATA_DIR`: it prints "held" once it has the lock (or
"busy PID" when another has it), then waits; the instance-lock tests play the first app.
"""

from __future__ import annotations

import sys
from pathlib import Path

from quiztui.store.instance_lock import InstanceLock


def main(argv: list[str]) -> int:
    """Hold the lock on DATA_DIR until standard input is closed."""
    lock = InstanceLock(Path(argv[0]))
    owner = lock.acquire()
    print("held" if owner is None else f"busy {owner.pid}", flush=True)
    sys.stdin.read()
    lock.release()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
