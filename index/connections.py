"""One database connection per thread, for the stores (`index.store`, `index.pg_store`) and the
bot's state; SQLite's transactions on them; and the one way to read a SQLite file read-only.

A connection serves one thread at a time (its transaction is that thread's), so each thread
that reads or writes gets its own, opened on first use; closing the store closes them all,
whichever thread opened them, and refuses new ones from then on."""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Generic, TypeVar

Connection = TypeVar("Connection")


class ThreadConnections(Generic[Connection]):
    def __init__(
        self,
        open_connection: Callable[[], Connection],
        closed_error: type[Exception],
        usable: Callable[[Connection], bool] = lambda _connection: True,
    ) -> None:
        """`closed_error`: what asking for a connection after `close` raises; `usable`: whether
        a thread's connection can still serve (one the server closed is opened again)."""
        self._open, self._closed_error, self._usable = open_connection, closed_error, usable
        self._local = threading.local()
        self._every: list[Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        # A store nobody uses any more (the library a reindex replaced, once the threads still
        # reading it have finished) closes its connections when it is freed.
        weakref.finalize(self, _close_every, self._every, self._lock)

    def current(self) -> Connection:
        """The calling thread's connection, opened if it has none yet."""
        connection = getattr(self._local, "connection", None)
        if connection is None or not self._usable(connection):
            if self._closed:
                raise self._closed_error("the store is closed")
            connection = self._open()
            self._local.connection = connection
            with self._lock:
                self._every.append(connection)
        return connection

    def close(self) -> None:
        self._closed = True
        _close_every(self._every, self._lock)


def _close_every(connections: list, lock: threading.Lock) -> None:
    with lock:
        for connection in connections:
            connection.close()
        connections.clear()


def open_read_only(path: Path, **options) -> sqlite3.Connection:
    """The existing SQLite database at `path`, read-only: never created by opening it (a
    mistyped path is an error), never written. `options`: `sqlite3.connect`'s (`timeout`,
    `isolation_level`, `check_same_thread`)."""
    return _open_as(path, "ro", options)


def open_sqlite(path: Path, *, create: bool, **options) -> sqlite3.Connection:
    """The SQLite database at `path`, made if it is missing only when told to `create`. A store
    is made when it is first opened; its threads' connections, opened later, must not make it
    again: its folder on a volume unmounted (the empty mount point left), an empty file there,
    without its tables, would take writes the volume's return hides. Missing, it is
    SQLITE_CANTOPEN, a database out of reach (`index.errors.database_unavailable`)."""
    return _open_as(path, "rwc" if create else "rw", options)


def _open_as(path: Path, mode: str, options: dict) -> sqlite3.Connection:
    # A `file:` URI that `Path.as_uri` escapes: written by hand, a folder with "#", "?" or "%"
    # in its name names another file.
    return sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode={mode}", uri=True, **options)


@contextmanager
def sqlite_transaction(db: sqlite3.Connection, begin: str = "BEGIN IMMEDIATE") -> Iterator[None]:
    """A transaction on `db` (in autocommit: `isolation_level=None`), committed at the end and
    rolled back on any error; inside one already, part of it. IMMEDIATE by default: writers
    queue at its start rather than at their first write, where SQLite could only fail one."""
    if db.in_transaction:  # nested: part of the enclosing transaction
        yield
        return
    db.execute(begin)
    try:
        yield
    except BaseException:
        # SQLite has rolled back already after some errors (a full disk, a lost I/O): a
        # ROLLBACK then fails ("no transaction is active"), and would hide what went wrong.
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
