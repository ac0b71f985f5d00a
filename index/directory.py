"""The index directory on disk: its lock, its vector snapshots, and the reindex swap.

    DATA_DIR/index/             the library: manifest.json, library.sqlite3, vectors-<id>-<seq>.faiss
    DATA_DIR/index.lock         held by whoever writes (threads and processes alike)
    DATA_DIR/index.reindex.lock held for the whole of a reindex: one at a time
    DATA_DIR/index.reindex/     a reindex being built
    DATA_DIR/index.old/         the previous library, for the instant of the swap

The locks sit beside the directory, not in it, because a reindex replaces the
directory whole: a lock file inside would be replaced with it. Every file is written
under a unique temporary name, then renamed (`manifest.write_atomic`): two
processes never write the same file.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import faiss
from filelock import FileLock, Timeout

from index.errors import ReindexRunning
from index.manifest import MANIFEST, sync_directory, write_atomic

DATABASE = "library.sqlite3"
_SNAPSHOT = re.compile(r"^vectors-([0-9a-f]+)-(\d+)\.faiss$")


def _sibling(directory: Path, suffix: str) -> Path:
    return directory.with_name(directory.name + suffix)


def write_lock(directory: Path) -> FileLock:
    """The write lock: reentrant within a thread, exclusive between threads and processes."""
    return FileLock(_sibling(directory, ".lock"))


class ReindexLock:
    """Held for a whole reindex; a second reindex is refused instead of waiting."""

    def __init__(self, directory: Path) -> None:
        self._lock = FileLock(_sibling(directory, ".reindex.lock"), blocking=False)

    def __enter__(self) -> ReindexLock:
        try:
            self._lock.acquire()
        except Timeout:
            raise ReindexRunning("une réindexation de cette bibliothèque est déjà en cours") from None
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


def staging(directory: Path) -> Path:
    return _sibling(directory, ".reindex")


def _retired(directory: Path) -> Path:
    return _sibling(directory, ".old")


def swap_in(directory: Path) -> None:
    """staging -> directory, the old one set aside (`remove_retired` removes it, outside the
    write lock: removing a large library's files takes seconds). Callers hold the write lock."""
    retired = _retired(directory)
    shutil.rmtree(retired, ignore_errors=True)
    sync_directory(staging(directory))  # the new library's files, named for good before it moves
    directory.rename(retired)
    staging(directory).rename(directory)
    sync_directory(directory.parent)  # the swap itself: writes after it must not come back to the old one


def remove_retired(directory: Path) -> None:
    """The library a swap replaced (processes still reading it keep their open files)."""
    shutil.rmtree(_retired(directory), ignore_errors=True)


def recover_swap(directory: Path) -> None:
    """Finish or undo a swap that a crash interrupted. Callers hold the write lock."""
    retired = _retired(directory)
    if retired.exists():
        if (directory / MANIFEST).exists():
            shutil.rmtree(retired, ignore_errors=True)
        else:
            shutil.rmtree(directory, ignore_errors=True)
            retired.rename(directory)


def remove_stale_temporaries(directory: Path, older_than: float = 600.0) -> None:
    """Temporary files a crash left behind (a writer still at work has a recent one)."""
    limit = time.time() - older_than
    for path in directory.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < limit:
                path.unlink()


def database_identity(directory: Path) -> tuple[int, int] | None:
    """Which database file is in place (it changes when a reindex swaps one in)."""
    try:
        stat = os.stat(directory / DATABASE)
    except FileNotFoundError:
        return None
    return stat.st_dev, stat.st_ino


# --- vector snapshots ---------------------------------------------------------------


def snapshots(directory: Path, library_id: str) -> list[tuple[int, Path]]:
    """The vector snapshots of this database (`library_id`: a reindex makes a new one),
    newest first, by the change they include."""
    found = []
    for path in directory.glob("vectors-*.faiss"):
        match = _SNAPSHOT.match(path.name)
        if match and match[1] == library_id:
            found.append((int(match[2]), path))
    return sorted(found, reverse=True)


def write_snapshot(
    directory: Path, library_id: str, seq: int, content: faiss.Index | Callable[[BinaryIO], object]
) -> Path:
    """Write a snapshot of the vectors up to change `seq`, atomically: `content` an index,
    streamed into the file (serialised first, a million passages' index would be held twice
    more), or what a function writes into it."""
    path = directory / f"vectors-{library_id}-{seq}.faiss"
    if isinstance(content, faiss.Index):
        write_atomic(path, lambda file: faiss.write_index(content, faiss.PyCallbackIOWriter(file.write)))
    else:
        write_atomic(path, content)
    return path


def remove_snapshots(directory: Path, library_id: str, keep: int = 2) -> None:
    """All but the newest `keep` snapshots of this database, and any of another one (a
    snapshot that a process still holding the replaced database wrote after a swap), when
    this database is the one in place: a process still holding a replaced one removes its
    own old snapshots only, never those of the library that replaced it."""
    for _, path in snapshots(directory, library_id)[keep:]:
        path.unlink(missing_ok=True)
    if library_in_place(directory) != library_id:
        return
    for path in directory.glob("vectors-*.faiss"):
        match = _SNAPSHOT.match(path.name)
        if not match or match[1] != library_id:
            path.unlink(missing_ok=True)


def library_in_place(directory: Path) -> str | None:
    """The id of the database in place in `directory` (None: none, or unreadable)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{directory / DATABASE}?mode=ro", uri=True)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'library_id'").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None
