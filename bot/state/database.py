"""The database that holds the bot's own state (`bot.state.BotState`): its tables, written once
for SQLite and PostgreSQL, and the two ways to open a transaction on them.

`DATA_DIR/bot.sqlite3` by default; with the library in PostgreSQL (`DATABASE_URL`), the schema
`citebot_bot` of that database, so that every replica of the bot shares it. The SQL is the same
for both, `?` for parameters; only column types and the way writers are serialised differ.
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from index.connections import ThreadConnections, open_sqlite, sqlite_transaction
from index.directory import InUse

# The bot's tables, written once for both databases: `{integer}`, `{real}` and `{serial}` (an
# id the database numbers) are each one's types (`_SQLITE_TYPES`, `_POSTGRES_TYPES`).
_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    token TEXT PRIMARY KEY,
    chat_id {integer} NOT NULL,
    question TEXT NOT NULL,
    body TEXT NOT NULL,              -- JSON: pages and the results shown
    created {real} NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_created ON answers(created);
CREATE TABLE IF NOT EXISTS feedback (
    token TEXT NOT NULL,
    user_id {integer} NOT NULL,
    vote {integer} NOT NULL,           -- +1 or -1
    question TEXT NOT NULL,
    shown TEXT NOT NULL,             -- JSON: the results shown with the answer (a list), or
                                     -- {{"results": [...], "in_conversation": true}}
    created {real} NOT NULL,
    PRIMARY KEY (token, user_id)
);
CREATE TABLE IF NOT EXISTS inline_choices (
    id {serial},
    user_id {integer} NOT NULL,
    query TEXT NOT NULL,
    result_id TEXT NOT NULL,
    created {real} NOT NULL
);
CREATE TABLE IF NOT EXISTS feeds (
    id {serial},
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    every_minutes {real} NOT NULL,
    etag TEXT,
    last_modified TEXT,
    last_polled {real},
    last_success {real},
    failures {integer} NOT NULL DEFAULT 0,  -- consecutive failed polls
    last_error TEXT,
    articles {integer} NOT NULL DEFAULT 0,  -- articles this feed added
    claimed {real},                        -- when a process last took the feed's poll
    added_by {integer},
    created {real} NOT NULL
);
CREATE TABLE IF NOT EXISTS feed_addresses (  -- a site's page followed for the feed it declares
    address TEXT PRIMARY KEY,        -- as the admin gave it, without a trailing slash
    feed_id {integer} NOT NULL REFERENCES feeds(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS feed_alerts (  -- feeds the admins were told fail, until told they work again
    feed_id {integer} PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
    told {real} NOT NULL
);
CREATE TABLE IF NOT EXISTS feed_not_found (  -- feeds answering 404 at each poll since `since`
    feed_id {integer} PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
    since {real} NOT NULL,
    polls {integer} NOT NULL
);
CREATE TABLE IF NOT EXISTS feeds_dropped (  -- followed no more, their site having removed them,
    feed_id {integer} PRIMARY KEY,         -- until the admins are told
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    reason TEXT NOT NULL,
    added_by {integer},
    dropped {real} NOT NULL
);
CREATE TABLE IF NOT EXISTS feed_entries (
    feed_id {integer} NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    article_id {integer},              -- the article it became (added or already there)
    attempts {integer} NOT NULL DEFAULT 0,
    done {integer} NOT NULL DEFAULT 0, -- ingested, or given up after its attempts
    last_error TEXT,
    seen {real} NOT NULL,
    PRIMARY KEY (feed_id, key)
);
CREATE TABLE IF NOT EXISTS deleted_articles (  -- deleted by an admin: feeds do not add them back
    url TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    deleted {real} NOT NULL
);
CREATE TABLE IF NOT EXISTS channels (
    chat_id {integer} PRIMARY KEY,
    title TEXT NOT NULL,
    username TEXT,
    added_by {integer},
    created {real} NOT NULL
);
CREATE TABLE IF NOT EXISTS questions_asked (user_id {integer} NOT NULL, at {real} NOT NULL);
CREATE INDEX IF NOT EXISTS questions_asked_user ON questions_asked(user_id, at);
CREATE TABLE IF NOT EXISTS inline_cache (key TEXT PRIMARY KEY, results TEXT NOT NULL, created {real} NOT NULL);
CREATE TABLE IF NOT EXISTS statuses_under_way (  -- status messages not ended yet: told after a crash
    bot_id {integer} NOT NULL,
    chat_id {integer} NOT NULL,
    message_id {integer} NOT NULL,   -- the status message ("⏳ …", "🔄 …")
    kind TEXT NOT NULL,              -- what it is the status of: 'ingest', 'reindex', 'follow'
    owner TEXT NOT NULL,             -- the process running it (`BotService.owner`)
    alive {real} NOT NULL,             -- when that process last said it was running
    started {real} NOT NULL,
    keys TEXT,                       -- an ingest's: JSON [hashes, links] of its article once read (`article_keys`)
    feed_id {integer},                 -- a follow's: its feed once followed
    PRIMARY KEY (bot_id, chat_id, message_id)
);
CREATE TABLE IF NOT EXISTS conversations (
    chat_id {integer} NOT NULL,
    user_id {integer} NOT NULL,
    question TEXT NOT NULL,          -- the topic: the question that opened it
    articles TEXT NOT NULL,          -- JSON: the articles its answer quoted first (a list), or
                                     -- {{"articles": [...], "read_to": [passage id, offset]}}
    asked {real} NOT NULL,             -- when a question last followed it
    PRIMARY KEY (chat_id, user_id)
);
"""
# SQLite's INTEGER is 64 bits (Telegram's chat ids need more than 32); an INTEGER PRIMARY KEY is numbered.
# AUTOINCREMENT: an id once given is never given again (a feed unfollowed, then another
# followed: a poll of the first still under way, or a late `/unfollow 3`, must not reach the
# second), as PostgreSQL's sequences do. Tables made before it are rebuilt with it
# (`_numbered_once`).
_SQLITE_TYPES = {"integer": "INTEGER", "real": "REAL", "serial": "INTEGER PRIMARY KEY AUTOINCREMENT"}
_POSTGRES_TYPES = {"integer": "BIGINT", "real": "DOUBLE PRECISION", "serial": "BIGSERIAL PRIMARY KEY"}


class SQLiteDatabase:
    """`DATA_DIR/bot.sqlite3`: a connection for each thread that uses it, writers serialised by
    `BEGIN IMMEDIATE`. One connection shared under a lock made every thread wait behind one
    whose write waited for another process's (a command-line `follow`, up to the 10 s busy
    timeout): the bot's worker threads all stuck there, and every chat's answer with them."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._in_use = InUse(path)  # a restore waits until every process has closed it
        self._in_use.share()
        try:
            self._connections = ThreadConnections(self._connect, sqlite3.ProgrammingError)
            open_sqlite(path, create=True).close()  # made here only, as the bot starts (`_connect`)
            db = self._connections.current()
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA.format(**_SQLITE_TYPES))
            _numbered_once(db)
            if not _sqlite_has_table(db, _REKEY_TABLE):
                # The table and the feeds it lists in one transaction: created on its own
                # (`executescript` commits), a process ended before the feeds were listed
                # left a database whose next open found the table and listed none.
                with sqlite_transaction(db):
                    if not _sqlite_has_table(db, _REKEY_TABLE):  # another process made it meanwhile
                        db.execute(_REKEY_SCHEMA.format(**_SQLITE_TYPES))
                        _feeds_to_rekey(db.execute)
        except sqlite3.OperationalError as exc:
            # SQLite says only "unable to open database file" (or "readonly database") of a
            # DATA_DIR it may not write, which was taken for a damaged file: the system's
            # refusal, with the path it concerns, is what to correct.
            self._connections.close()
            self._in_use.release()
            refusal = write_refusal(path)
            if refusal is None:
                raise
            raise refusal from exc
        except BaseException:
            self._in_use.release()
            raise

    def _connect(self) -> sqlite3.Connection:
        # A thread's first connection, opened while the file is gone (DATA_DIR's volume
        # unmounted, its empty mount point left), is the database out of reach until it is
        # back, not a new empty file without its tables (`open_sqlite`).
        # Closed by whichever thread closes the database: not checked against its own.
        db = open_sqlite(self._path, create=False, check_same_thread=False, isolation_level=None, timeout=10)
        db.execute("PRAGMA foreign_keys=ON")
        return db

    @contextmanager
    def transaction(self) -> Iterator[Callable[..., list[tuple]]]:
        db = self._connections.current()
        with sqlite_transaction(db):
            yield lambda sql, params=(): _rows(db.execute(sql, params))

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return _rows(self._connections.current().execute(sql, params))

    def close(self) -> None:
        self._connections.close()
        self._in_use.release()


def write_refusal(path: Path) -> OSError | None:
    """Why the SQLite database `path` cannot be written, if the system refuses it: its folder
    (where SQLite makes its journal, `-wal` and `-shm`, beside it), or the file itself."""
    try:
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as refused:
        return OSError(refused.errno, refused.strerror, str(path.parent))
    try:
        with path.open("r+b"):
            pass
    except FileNotFoundError:
        return None
    except OSError as refused:
        return refused
    return None


def _numbered_once(db: sqlite3.Connection) -> None:
    """The numbered tables of a database made before their ids were AUTOINCREMENT, rebuilt with
    it, rows and ids kept, in one transaction (SQLite's own way to change a table: a new one
    filled, the old one dropped, the new one renamed), foreign keys off meanwhile so that
    dropping `feeds` does not take its entries with it."""
    numbered = [name for name in ("feeds", "inline_choices") if "AUTOINCREMENT" not in _table_sql(db, name).upper()]
    if not numbered:
        return
    db.execute("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction: set before it
    try:
        with sqlite_transaction(db):
            for name in numbered:
                old = _table_sql(db, name)
                if "AUTOINCREMENT" in old.upper():  # another process rebuilt it meanwhile
                    continue
                created = _SCHEMA.format(**_SQLITE_TYPES).split(f"CREATE TABLE IF NOT EXISTS {name} (", 1)[1]
                db.execute(f"CREATE TABLE {name}_numbered ({created.split(');', 1)[0]})")
                columns = ", ".join(row[1] for row in db.execute(f"PRAGMA table_info({name})"))
                db.execute(f"INSERT INTO {name}_numbered ({columns}) SELECT {columns} FROM {name}")
                db.execute(f"DROP TABLE {name}")
                db.execute(f"ALTER TABLE {name}_numbered RENAME TO {name}")
            if db.execute("PRAGMA foreign_key_check").fetchall():
                raise sqlite3.IntegrityError("the bot state's feed entries lost their feeds")
    finally:
        db.execute("PRAGMA foreign_keys=ON")


# The feeds whose entries a version before stop 75 may have recorded under another spelling of
# their id (`index.feeds.earlier_keys`): every feed followed when a database without this table
# is first opened, each re-keyed at its next whole poll (`FeedEntriesState.rekey_due`), once.
_REKEY_TABLE = "feeds_to_rekey"
# Created apart from `_SCHEMA`, in the transaction that lists the feeds to re-key in it.
_REKEY_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {_REKEY_TABLE} (  -- followed before stop 75: entries re-keyed at the next whole poll
    feed_id {{integer}} PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE
);
"""


def _feeds_to_rekey(run: Callable[[str], object]) -> None:
    """Every feed followed now to be re-keyed at its next whole poll, in the caller's
    transaction: the database was made before `_REKEY_TABLE` (none when it is new)."""
    # "WHERE true": SQLite reads an upsert after a SELECT only past a WHERE.
    run(f"INSERT INTO {_REKEY_TABLE}(feed_id) SELECT id FROM feeds WHERE true ON CONFLICT DO NOTHING")


def _sqlite_has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def _table_sql(db: sqlite3.Connection, name: str) -> str:
    return db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()[0]


class PostgresDatabase:
    """The `citebot_bot` schema of the library's PostgreSQL database: writers serialised by
    an advisory lock taken in each transaction (the same SQL, `?` written `%s`). Statements run
    on their own go through a second connection: on the writers' one they waited behind a
    transaction waiting for another replica's advisory lock."""

    SCHEMA = "citebot_bot"

    def __init__(self, url: str) -> None:
        from index.pg_store import APPLICATION_LOCK_KEY, KeptConnection, create_missing, has_relation

        self.url, self.lock_key = url, APPLICATION_LOCK_KEY
        self.lock = threading.Lock()  # guards the transactions' connection
        self._single_lock = threading.Lock()  # guards the single statements'
        # Opened again once the server has closed them (a restart, a failover): the first
        # statement of each call goes through `execute_first`.
        self._db = KeptConnection(self._connect)
        self._single = KeptConnection(self._connect)
        db = self._db.current()
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (self.lock_key,))  # replicas starting together
            rekeying_unknown = not has_relation(db, self.SCHEMA, _REKEY_TABLE)
            create_missing(db, self.SCHEMA, (_SCHEMA + _REKEY_SCHEMA).format(**_POSTGRES_TYPES))
            if rekeying_unknown:
                _feeds_to_rekey(db.execute)  # in the schema: the connection's search path

    def _connect(self):
        from index.pg_store import SETUP_LOCK_KEY, connect, create_missing

        connection = connect(self.url, vectors=False)
        try:
            with connection.transaction():  # one process at a time: replicas starting together
                connection.execute("SELECT pg_advisory_xact_lock(%s)", (SETUP_LOCK_KEY,))
                create_missing(connection, self.SCHEMA)
        except BaseException:
            connection.close()
            raise
        connection.execute(f"SET search_path TO {self.SCHEMA}")
        return connection

    @contextmanager
    def transaction(self) -> Iterator[Callable[..., list[tuple]]]:
        with self.lock:
            self._db.execute_first("BEGIN")
            db = self._db.connection
            try:
                db.execute("SELECT pg_advisory_xact_lock(%s)", (self.lock_key,))
                yield self._run
            except BaseException:
                if not db.closed:
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self._single_lock:
            return _rows(self._single.execute_first(sql.replace("?", "%s"), params))

    def _run(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return _rows(self._db.connection.execute(sql.replace("?", "%s"), params))

    def close(self) -> None:
        with self.lock:
            self._db.close()
        with self._single_lock:
            self._single.close()


def _rows(cursor) -> list[tuple]:
    """What a statement gave: its rows, or how many it changed."""
    return cursor.fetchall() if cursor.description else [(cursor.rowcount,)]


class Database(Protocol):
    """What `BotState` needs of a database: transactions that run statements, and single
    statements run on their own."""

    def transaction(self) -> AbstractContextManager[Callable[..., list[tuple]]]: ...

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]: ...

    def close(self) -> None: ...


def open_database(path: Path, database_url: str | None = None) -> Database:
    """In PostgreSQL when the library is there (`database_url`), else in the SQLite file `path`."""
    return PostgresDatabase(database_url) if database_url else SQLiteDatabase(path)


# What `python -m bot migrate` carries over from `DATA_DIR/bot.sqlite3` beside the library,
# parents before the rows that name them: followed feeds and what they did, the links of
# deleted articles (else a feed followed again adds them back), channels, feedback, answers
# behind buttons and conversations. The per-minute question log and the inline cache are of
# the moment.
CARRIED_TABLES = (
    "feeds",
    "feed_addresses",
    "feed_alerts",
    "feed_entries",
    "feeds_to_rekey",
    "feed_not_found",
    "feeds_dropped",
    "deleted_articles",
    "channels",
    "feedback",
    "inline_choices",
    "answers",
    "conversations",
)


def copy_state(path: Path, database_url: str) -> dict[str, int] | None:
    """The bot's state in the SQLite file `path` copied into PostgreSQL's, ids kept, in one
    transaction: rows copied per table, or None (nothing copied) when the target holds some
    already."""
    source, target = SQLiteDatabase(path), PostgresDatabase(database_url)
    try:
        with target.transaction() as run:
            if any(run(f"SELECT 1 FROM {table} LIMIT 1") for table in CARRIED_TABLES):
                return None
            copied = {}
            for table in CARRIED_TABLES:
                columns = ", ".join(row[1] for row in source.query(f"PRAGMA table_info({table})"))
                rows = source.query(f"SELECT {columns} FROM {table}")
                for row in rows:
                    run(f"INSERT INTO {table}({columns}) VALUES ({', '.join('?' * len(row))})", row)
                copied[table] = len(rows)
            for table in ("feeds", "inline_choices"):  # the next id after the copied ones, never one of them
                run(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) "
                    f"FROM {table}"
                )
        return copied
    finally:
        source.close()
        target.close()
