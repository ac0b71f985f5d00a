"""Reading a library's files through into the system's file cache, so that the first questions
after a start do not wait for the disk (README, "The index directory").

A vector snapshot is read in this process. The SQLite database is read by a child process:
POSIX advisory locks belong to a process, and closing any descriptor of a file drops all of
that process's locks on it, SQLite's included ("How To Corrupt An SQLite Database File", 2.2).
Read here, the bot lost its hold on the database at each start: a command-line `delete` that
ended then believed itself the last user, and reset the write-ahead log under the running bot
(stale counts, then "database disk image is malformed"). A child's descriptors are its own.

Standard library only: the child runs this file as a script (`python -I -S read_ahead.py
PATH PAUSE`), in a few milliseconds, whatever the parent's import path.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

READ_AHEAD_CHUNK = 8 << 20  # bytes read at a time
CHILD_POLL_SECONDS = 0.1  # how often the parent checks whether it should stop the child
_NOT_READ = 3  # the child's exit status when the file would not fit in half the memory


def read_through(path: Path, stop: threading.Event, pause: float = 0.0) -> float | None:
    """Read `path` from start to end (into the system's file cache), unless it would not
    fit in half the machine's memory or `stop` is set first; after each chunk, wait `pause`
    times as long as the chunk took. Seconds taken, or None if not read through. Never for a
    SQLite database this process has open: `read_through_apart`."""
    started = time.perf_counter()
    with open(path, "rb", buffering=0) as file:
        size = os.fstat(file.fileno()).st_size
        if size > physical_memory() // 2:
            log.info("%s not read ahead: larger than half the memory", path.name)
            return None
        buffer = bytearray(READ_AHEAD_CHUNK)
        for _ in range(size // READ_AHEAD_CHUNK + 1):
            chunk_started = time.perf_counter()
            if stop.is_set() or not file.readinto(buffer):
                break
            if pause:
                stop.wait(pause * (time.perf_counter() - chunk_started))
    return None if stop.is_set() else time.perf_counter() - started


def read_through_apart(path: Path, stop: threading.Event, pause: float = 0.0) -> float | None:
    """`read_through` in a child process (which keeps the caller's thread's niceness), for
    a file this process holds locks on: a SQLite database. The child is stopped when `stop`
    is set; None then, or when it did not read the file through."""
    started = time.perf_counter()
    command = [sys.executable, "-I", "-S", str(Path(__file__).resolve()), str(path), repr(pause)]
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while child.poll() is None:  # ends with the child, or with `stop`
            if stop.wait(CHILD_POLL_SECONDS):
                return None
        if child.returncode == _NOT_READ:
            log.info("%s not read ahead: larger than half the memory", path.name)
        elif child.returncode != 0:
            log.warning("reading %s ahead failed: %s", path.name, child.stderr.read().decode(errors="replace")[-500:])
        return time.perf_counter() - started if child.returncode == 0 else None
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stderr.close()


def physical_memory() -> int:
    return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


if __name__ == "__main__":  # the child of `read_through_apart`
    seconds = read_through(Path(sys.argv[1]), threading.Event(), pause=float(sys.argv[2]))
    sys.exit(0 if seconds is not None else _NOT_READ)
