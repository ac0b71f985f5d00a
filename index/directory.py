"""The index directory on disk: its lock, its vector snapshots, and the reindex swap.

    DATA_DIR/index/             the library: manifest.json, library.sqlite3, vectors-<id>-<seq>-<crc>.faiss
    DATA_DIR/index.lock         held by whoever writes (threads and processes alike)
    DATA_DIR/index.reindex.lock held for the whole of a reindex: one at a time
    DATA_DIR/index.in-use.lock  held, shared, by every process that has the library open (`InUse`)
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
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, ClassVar

from filelock import FileLock, Timeout

try:
    import fcntl
except ImportError:  # Windows: no shared locks between processes there (`InUse` holds nothing)
    fcntl = None  # type: ignore[assignment]

from index.connections import open_read_only
from index.errors import DatabaseUnavailable, LibraryError, ReindexRunning
from index.manifest import MANIFEST, new_temporary, sync_directory

# FAISS is imported in the functions that use it: a command that only reads the bot's state or
# copies its files (feeds, unfollow, feedback, backup) imports this module without loading it.
if TYPE_CHECKING:
    import faiss

DATABASE = "library.sqlite3"
# vectors-<library id>-<change>-<CRC-32 of the file>.faiss (without the checksum: written
# before snapshots carried one).
_SNAPSHOT = re.compile(r"^vectors-([0-9a-f]+)-(\d+)(?:-([0-9a-f]{8}))?\.faiss$")
CHECK_CHUNK = 8 << 20  # bytes of a snapshot read at a time to check it


def _sibling(directory: Path, suffix: str) -> Path:
    return directory.with_name(directory.name + suffix)


class LockInPlace(FileLock):
    """A lock beside the library that never makes its folder, as filelock does: DATA_DIR gone
    from under a process that has the library open (a volume unmounted) is the library out of
    reach until it is back, not an empty DATA_DIR made again, where the bot's state and beats
    would go on being written and the volume's return would hide them. A library's first
    opening makes the folder (`Library`)."""

    def acquire(self, *args, **kwargs):
        folder = Path(self.lock_file).parent
        if not self.is_locked and not folder.is_dir():
            raise DatabaseUnavailable(
                f"le dossier {folder} de la bibliothèque est introuvable (un volume démonté, un dossier déplacé ?) : "
                "il n'est pas recréé vide, remettez-le en place"
            )
        return super().acquire(*args, **kwargs)


def write_lock(directory: Path) -> FileLock:
    """The write lock: reentrant within a thread, exclusive between threads and processes."""
    return LockInPlace(_sibling(directory, ".lock"))


class ReindexLock:
    """Held for a whole reindex; a second reindex is refused instead of waiting."""

    def __init__(self, directory: Path) -> None:
        self._lock = LockInPlace(_sibling(directory, ".reindex.lock"), blocking=False)

    def __enter__(self) -> ReindexLock:
        try:
            self._lock.acquire()
        except Timeout:
            raise ReindexRunning("cette bibliothèque est déjà en cours de reconstruction") from None
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


class InUse:
    """Who has a database open, between processes: every process that opens it holds a shared
    lock (`flock`) on `<path>.in-use.lock` while it does, and `python -m bot restore`, which
    replaces the files under their name, an exclusive one. SQLite's own locks are no help
    there: between two transactions a process holds none on the database file, yet its open
    connections (and their write-ahead log) would go on in the files set aside.

    Within a process the hold is counted, not taken again (a second `flock` on another
    descriptor of the same file would wait for the first): the restore's own check of the
    restored library opens it under its exclusive hold."""

    _held: ClassVar[dict[Path, tuple[int, int]]] = {}  # lock file -> (descriptor, holders in this process)
    _guard = threading.Lock()
    WAIT_SECONDS = 60.0  # a restore under way (seconds: a copy, then the restored library opened)

    def __init__(self, path: Path) -> None:
        self.lock_file = _sibling(Path(path).absolute(), ".in-use.lock")
        self._holding = False  # this holder's share: released once, however often `release` is called

    def share(self) -> None:
        """Held until `release`; waits for a restore under way, then says it is one."""
        deadline = time.monotonic() + self.WAIT_SECONDS
        while not self._take(exclusive=False):
            if time.monotonic() > deadline:
                raise LibraryError(
                    f"{self.lock_file.parent} est en cours de restauration d'une sauvegarde : "
                    "réessayez quand elle sera finie"
                )
            time.sleep(0.1)

    def exclusive(self) -> bool:
        """Taken only when no other process holds it, nor this one: whether it was."""
        return self._take(exclusive=True)

    def _take(self, *, exclusive: bool) -> bool:
        if fcntl is None:
            return not exclusive  # shared: nothing to hold; exclusive: cannot be known, so refused
        with self._guard:
            if self.lock_file in self._held:
                if exclusive:
                    return False
                handle, holders = self._held[self.lock_file]
                self._held[self.lock_file] = (handle, holders + 1)
                self._holding = True
                return True
            self.lock_file.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(handle, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(handle)
                return False
            self._held[self.lock_file] = (handle, 1)
            self._holding = True
            return True

    def release(self) -> None:
        with self._guard:
            if not self._holding:
                return
            self._holding = False
            handle, holders = self._held.pop(self.lock_file)
            if holders > 1:
                self._held[self.lock_file] = (handle, holders - 1)
            else:
                os.close(handle)  # lets the lock go


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
    more), or what a function writes into it. Its name carries the checksum of its bytes,
    computed as they are written (`snapshot_intact`)."""
    import faiss

    prefix = f".vectors-{library_id}-{seq}."
    handle, tmp = new_temporary(directory, prefix)
    try:
        with os.fdopen(handle, "wb") as file:
            summed = _Summed(file)
            if isinstance(content, faiss.Index):
                faiss.write_index(content, faiss.PyCallbackIOWriter(summed.write))
            else:
                content(summed)
            file.flush()
            os.fsync(file.fileno())
        path = directory / f"vectors-{library_id}-{seq}-{summed.crc:08x}.faiss"
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_directory(directory)
    return path


class _Summed:
    """A file written through, with the CRC-32 of what was written."""

    def __init__(self, file: BinaryIO) -> None:
        self._file, self.crc = file, 0

    def write(self, data) -> int:
        self.crc = zlib.crc32(data, self.crc)
        return self._file.write(data)


def snapshot_intact(path: Path) -> bool:
    """Whether the snapshot's bytes are those it was written with (its name's checksum): a
    crash on a file system that does not keep writes in order, or a disk's fault, can leave a
    file of the right name and size holding zeros or other bytes, which FAISS reads without a
    word. A snapshot named without a checksum (written before they had one) is taken as it is.
    Reads the whole file (about 3 GB/s once in the system's cache)."""
    match = _SNAPSHOT.match(path.name)
    if match is None or match[3] is None:
        return True
    crc = 0
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(CHECK_CHUNK), b""):
            crc = zlib.crc32(chunk, crc)
    return crc == int(match[3], 16)


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
        with contextlib.closing(open_read_only(directory / DATABASE)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'library_id'").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None
