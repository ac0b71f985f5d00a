"""The library on a PostgreSQL server (`DATABASE_URL=postgresql://…`): where the data lives
when several machines or bot replicas share one library.

    citebot_control.state     one row: the library schema in use, its manifest, a generation
    citebot_lib_<n>           a library schema (`index.pg_store`): articles, passages,
                              sentence vectors (pgvector HNSW), postings and term counts

A reindex builds a new schema beside the one in use, takes in the writes made meanwhile
(`index.reindex`, the same path as the embedded library), and swaps it in by updating the
control row inside the write lock; every process notices the new generation at its next
question or write and reopens, and the old schema is dropped. Locks are PostgreSQL advisory
locks, so they hold between processes on different machines: the write lock (session-level,
reentrant within a process), and the reindex lock (one reindex at a time, a second refused).
"""

from __future__ import annotations

import functools
import json
import logging
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np

from index.errors import DatabaseUnavailable, LibraryError, ReindexRunning
from index.manifest import IndexConfig, verified
from index.pg_store import (
    LIBRARY_LOCK_KEY,
    REINDEX_LOCK_KEY,
    SETUP_LOCK_KEY,
    WRITE_LOCK_KEY,
    KeptConnection,
    PgStore,
    bring_up_to_date,
    connect,
    create_missing,
    first_line,
)
from index.ranking import SENTENCES_SEARCHED_PER_PASSAGE, best_per_passage
from index.store import SENTENCE_SLOTS

log = logging.getLogger(__name__)

CONTROL = "citebot_control"
LIBRARY_SCHEMA = re.compile(r"citebot_lib_\d+")  # `_new_schema_name`'s
# The drop of a replaced library schema waits for its readers this long at a time, then gives
# way to the reads queued behind it, this many times (`PgBackend.drop_schema`).
DROP_LOCK_TIMEOUT = "500ms"
DROP_PAUSE_SECONDS = 0.25
DROP_ATTEMPTS = 40
_SECRET_PARAMETERS = frozenset({"password", "sslpassword"})
CONTROL_SQL = f"""
CREATE TABLE IF NOT EXISTS {CONTROL}.state (
    one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
    library TEXT NOT NULL,
    manifest TEXT NOT NULL,
    generation BIGINT NOT NULL,
    schema_version INTEGER NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS {CONTROL}.libraries;
"""


class PgVectors:
    """The vector index of a PostgreSQL library: pgvector's HNSW index, inside the database.
    Nothing to load, sync or snapshot; searches read the caller's transaction."""

    kind = "HNSW (pgvector, inner product)"
    approximate = True

    def __init__(self, store: PgStore) -> None:
        self.store = store

    def __len__(self) -> int:
        return self.store.sentence_count()

    def sync(self, store: PgStore) -> None:
        """Nothing to replay: the index is the database's."""

    def after_write(self, store: PgStore) -> None:
        """Nothing to fold or save: PostgreSQL makes every commit durable and vacuums itself."""

    def wait(self) -> None:
        """No maintenance of our own runs in the background."""

    def write_snapshot(self, store: PgStore) -> None:
        """Nothing to save (the reindex asks every backend for one)."""

    def read_ahead(self, store: PgStore) -> None:
        """Nothing to read ahead: the index lives in the database server's own cache."""

    def close(self) -> None:
        """Nothing runs in the background."""

    def search_passages(self, query: np.ndarray, passages: int) -> list[tuple[int, float]]:
        found = self.store.dense_search(query, passages * SENTENCES_SEARCHED_PER_PASSAGE)
        passage_ids = np.array([passage_id for passage_id, _, _ in found], dtype=np.int64)
        return best_per_passage(passage_ids, np.array([score for _, _, score in found]), passages)

    def search_keys(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        scores = np.zeros((len(queries), k), np.float32)
        keys = np.full((len(queries), k), -1, np.int64)
        for row, query in enumerate(queries):
            with self.store.read():
                found = self.store.dense_search(query, k)
            for column, (passage_id, position, score) in enumerate(found):
                keys[row, column], scores[row, column] = passage_id * SENTENCE_SLOTS + position, score
        return scores, keys

    def held_keys(self) -> np.ndarray:
        with self.store.read():
            parts = [k for k, _ in self.store.iter_vectors(self.store.dimension)]
        return np.concatenate(parts) if parts else np.empty(0, np.int64)


class _AdvisoryLock:
    """A session-level advisory lock on a connection of its own: exclusive between processes
    and machines, reentrant between the threads of this process (they share it through an
    `RLock`, as `filelock` does for the embedded library)."""

    def __init__(self, url: str, key: int) -> None:
        self.key = key
        self._local = threading.RLock()
        self._depth = 0
        self._session = KeptConnection(functools.partial(connect, url, vectors=False))
        self._holder: int | None = None  # the server process of the session that took it

    def __enter__(self) -> _AdvisoryLock:
        self._local.acquire()
        try:
            if self._depth == 0:
                self._session.execute_first("SELECT pg_advisory_lock(%s)", (self.key,))
                self._holder = self._session.connection.info.backend_pid
        except BaseException:  # not taken: the other threads must not wait for it for ever
            self._local.release()
            raise
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        import psycopg

        try:
            self._depth -= 1
            if self._depth == 0:
                try:
                    self._session.connection.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
                except psycopg.Error as error:  # the session was cut, and its lock went with it
                    log.warning("advisory lock %s: its session was lost before the unlock (%s)", self.key, error)
                    self._session.close()
        finally:
            self._local.release()

    def ensure_held(self) -> None:
        """Raises when the session holding the lock has been cut (a timeout, a pooler, an
        administrator): its lock went with it, and another writer may be in."""
        self._session.connection.execute("SELECT 1")

    def still_held(self, connection) -> bool:
        """Whether the session that took the lock holds it still, asked on `connection` (in its
        transaction: a check made there, after taking what every write transaction takes, holds
        until that transaction ends, as no write can commit meanwhile)."""
        found = connection.execute(
            "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = %s "
            "AND ((classid::bigint << 32) | objid::bigint) = %s",
            (self._holder, self.key),
        )
        return found.fetchone() is not None

    def close(self) -> None:
        self._session.close()


def url_without_password(url: str) -> str:
    """A database URL as it may be shown to people: without its password."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    netloc = f"{parts.username}@{host}" if parts.username else host
    # A password may be a parameter too (`?password=…`, libpq's own names).
    kept = [(key, value) for key, value in parse_qsl(parts.query) if key not in _SECRET_PARAMETERS]
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{urlencode(kept, safe='/')}" if kept else "")


@dataclass
class PgBackend:
    """A library in a PostgreSQL database (see the module docstring)."""

    url: str
    _write_lock: _AdvisoryLock | None = field(default=None, init=False, repr=False)
    _control: KeptConnection = field(init=False, repr=False)  # one connection for the control row
    _control_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    # The session holding the reindex lock while a rebuild or a copy runs: a server restart or
    # failover cuts it, and the lock with it, while the rebuild's other sessions are opened again.
    _reindex_session: object | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._control = KeptConnection(functools.partial(connect, self.url, vectors=False))

    # --- what the library asks of any backend ------------------------------------------
    @property
    def location(self) -> str:
        """Where the library is, for people: the URL without its password."""
        return url_without_password(self.url)

    def in_use(self) -> None:
        return None  # PostgreSQL's own tools restore it (pg_restore)

    def write_lock(self) -> AbstractContextManager:
        if self._write_lock is None:
            self._write_lock = _AdvisoryLock(self.url, LIBRARY_LOCK_KEY)
        return self._write_lock

    @contextmanager
    def reindex_lock(self):
        connection = connect(self.url, vectors=False)
        try:
            if not connection.execute("SELECT pg_try_advisory_lock(%s)", (REINDEX_LOCK_KEY,)).fetchone()[0]:
                raise ReindexRunning("cette bibliothèque est déjà en cours de reconstruction")
            self._reindex_session = connection  # `swap_in` swaps on it: only while it holds the lock
            yield
        finally:
            self._reindex_session = None
            connection.close()  # ends the session, and the lock with it

    def prepare(self, config: IndexConfig, *, create: bool = True) -> None:
        """Create the control table and a first library schema if there are none (unless not to
        `create`: `Backend.prepare`); the `vector` extension must be available (`CREATE
        EXTENSION vector` needs rights)."""
        import psycopg

        if not create and self._state() is None:
            raise DatabaseUnavailable(
                f"la bibliothèque n'est plus dans la base {self.location} : elle n'y est pas recréée vide, "
                "restaurez la base"
            )

        with connect(self.url, vectors=False) as connection, connection.transaction():
            # One process at a time (replicas starting together on a new database): `IF NOT
            # EXISTS` does not keep two from creating the same extension or schema at once.
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (SETUP_LOCK_KEY,))
            try:
                connection.execute("CREATE EXTENSION IF NOT EXISTS vector")
            except psycopg.errors.InsufficientPrivilege as exc:  # pgvector is no trusted extension
                raise DatabaseUnavailable(
                    f"l'utilisateur {connection.info.user} n'a pas le droit de créer l'extension pgvector dans la "
                    f"base {connection.info.dbname} ({first_line(exc)}) : faites exécuter une fois "
                    "`CREATE EXTENSION vector` dans cette base par un superutilisateur"
                ) from exc
            except psycopg.Error as exc:  # the server's words say what is missing
                raise DatabaseUnavailable(
                    f"l'extension pgvector manque sur le serveur PostgreSQL ({first_line(exc)}) : installez-y le "
                    "paquet pgvector de sa version (https://github.com/pgvector/pgvector), puis relancez"
                ) from exc
            create_missing(connection, CONTROL, CONTROL_SQL)
        if self._state() is None:
            with self.write_lock():
                if self._state() is None:
                    schema = self._new_schema_name()
                    PgStore(self.url, schema, config.dimension).close()
                    with connect(self.url, vectors=False) as connection:
                        connection.execute(
                            f"INSERT INTO {CONTROL}.state(library, manifest, generation, schema_version) "
                            "VALUES (%s, %s, 1, %s) ON CONFLICT DO NOTHING",
                            (schema, _manifest_json(config), SCHEMA_VERSION),
                        )
        self._bring_up_to_date(config.dimension)

    def _bring_up_to_date(self, dimension: int) -> None:
        """The library in place as this version reads it: one written by a later version is
        refused (its tables may differ in ways this one cannot tell), and one an earlier one
        made gets what it lacks (`index.pg_store.bring_up_to_date`), under the setup lock."""
        with self._control_lock:
            version = self._control.execute_first(f"SELECT schema_version FROM {CONTROL}.state").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise LibraryError(
                f"la bibliothèque de cette base PostgreSQL a été écrite par une version plus récente du bot "
                f"(schéma {version} ; celle-ci lit le {SCHEMA_VERSION}) : mettez le bot à jour"
            )
        schema = self._state()[0]
        with connect(self.url, vectors=False) as connection, connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (SETUP_LOCK_KEY,))
            bring_up_to_date(connection, schema, dimension)

    def check(self, config: IndexConfig) -> dict:
        return verified(self.location, json.loads(self._state()[1]), config)

    def update_lexicon(self, config: IndexConfig, progress: Callable[[int, int], None] | None = None) -> int:
        """`Backend.update_lexicon`: the postings and term counts made anew and the control
        row's manifest updated in one transaction (`PgStore.rewrite_terms`). A bot's role with
        only the rights it uses may not update the control row: refused, nothing changed."""
        import psycopg

        store = PgStore(self.url, self._state()[0], config.dimension, create=False, in_place_by=f"{CONTROL}.state")
        try:
            passages = store.rewrite_terms(_manifest_json(config), progress)
            store.analyze()  # the planner's statistics of the postings made anew
        except psycopg.errors.InsufficientPrivilege as exc:
            raise LibraryError(
                f"l'index lexical de la bibliothèque de {self.location} est celui d'une analyse lexicale antérieure, "
                f"et l'utilisateur de cette connexion n'a pas le droit de le mettre à jour ({first_line(exc)}) : "
                "lancez une fois le bot avec le propriétaire de la base, qui le fait sans le modèle, puis relancez-le"
            ) from exc
        finally:
            store.close()
        return passages

    def manifest(self) -> dict | None:
        state = self._state()
        return json.loads(state[1]) if state else None

    def identity(self) -> object:
        """Which library schema is in use: it changes when a reindex swaps one in."""
        state = self._state()
        return (state[0], state[2]) if state else None

    def open(self, dimension: int, maintenance: Executor | None = None) -> tuple[PgStore, PgVectors]:
        store = PgStore(self.url, self._state()[0], dimension, create=False, in_place_by=f"{CONTROL}.state")
        return store, PgVectors(store)

    def lexicon(self, maintenance: Executor | None = None) -> None:
        """PostgreSQL ranks its own full-text matches; nothing is held in memory."""
        return None

    def size_bytes(self) -> int:
        schema = self._state()[0]
        with connect(self.url, vectors=False) as connection:
            row = connection.execute(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind IN ('r', 'm')",
                (schema,),
            ).fetchone()
        return int(row[0])

    # --- reindex ----------------------------------------------------------------------
    def source_store(self, dimension: int) -> PgStore:
        return PgStore(self.url, self._state()[0], dimension, create=False)

    def staging_store(self, config: IndexConfig) -> PgStore:
        """A new library schema, without its vector index while the reindex fills it (and
        first, what earlier reindexes left)."""
        self.drop_unused_schemas()
        return PgStore(self.url, self._new_schema_name(), config.dimension, vector_index=False)

    def finish_staging(self, target: PgStore, dimension: int) -> None:
        """The HNSW index, built once over the filled schema (outside the write lock; the
        last catch-up's few rows go into it as they are written)."""
        target.create_vector_index()
        target.analyze()

    def swap_in(self, target: PgStore, config: IndexConfig) -> None:
        """Callers hold the write lock: the new schema becomes the library (`retire` drops the
        old one, once the write lock is free: its drop may wait for readers still in it)."""
        if self._write_lock is not None:  # a writer let in since would write into the old one
            self._write_lock.ensure_held()
        swap = (
            f"UPDATE {CONTROL}.state SET library = %s, manifest = %s, generation = generation + 1",
            (target.schema, _manifest_json(config)),
        )
        if self._reindex_session is not None:
            # On the session that holds the reindex lock, so that the lock is held when the
            # update commits: that session cut (another rebuild may then be under way beside
            # this one), the update fails with it. Checked first on a session of its own, the
            # lock could be lost between the check and the update.
            with self._reindex_session.transaction():
                self._fenced_swap(self._reindex_session, swap)
        else:
            with connect(self.url, vectors=False) as connection, connection.transaction():
                self._fenced_swap(connection, swap)
        target.close()

    def _fenced_swap(self, connection, swap: tuple[str, tuple]) -> None:
        """The swap's update, in `connection`'s transaction, only while no write can land in the
        library it replaces: the write lock is on another session, which could be cut between
        a check of it and the update's commit, letting a writer in whose article the swap would
        leave behind. So the update takes the lock each write transaction takes (`PgStore.write`)
        and then checks the write lock: cut before, the swap gives up (a writer may be in); cut
        after, writers wait for the swap's commit, then find the control row changed and are
        refused, nothing written."""
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        if self._write_lock is not None and not self._write_lock.still_held(connection):
            raise DatabaseUnavailable(
                "le verrou d'écriture de la reconstruction a été perdu avant l'échange : elle est abandonnée, "
                "la bibliothèque reste celle en place"
            )
        connection.execute(*swap)

    def retire(self) -> None:
        """Drop the schema the swap replaced (and any other left over): callers hold the reindex
        lock. The reindex has succeeded by now, so a failure here is logged, not raised."""
        import psycopg

        try:
            self.drop_unused_schemas()
        except psycopg.Error as exc:
            log.warning("replaced library schemas not dropped (the next reindex drops them): %s", exc)

    def discard(self, target: PgStore) -> None:
        target.close()
        self.drop_schema(target.schema)

    def drop_schema(self, schema: str) -> bool:
        """Drop a library schema that is no longer in use, once the readers still in it have
        finished; False if they kept it for `DROP_ATTEMPTS` tries (the next reindex drops it).

        The drop waits for a lock at most `DROP_LOCK_TIMEOUT` at a time: while it waits,
        PostgreSQL queues every new read of those tables behind it, so a reader that must see
        such a read through before it finishes (two threads of a replica waiting on each
        other, which PostgreSQL cannot see) would wait for the drop that waits for it."""
        import psycopg

        if not LIBRARY_SCHEMA.fullmatch(schema):
            raise ValueError(f"not a library schema: {schema}")
        with connect(self.url, vectors=False) as connection:
            connection.execute(f"SET lock_timeout = '{DROP_LOCK_TIMEOUT}'")
            for _ in range(DROP_ATTEMPTS):
                try:
                    connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
                    return True
                except psycopg.errors.LockNotAvailable:
                    time.sleep(DROP_PAUSE_SECONDS)  # the queued readers go through meanwhile
        log.warning("library schema %s still in use after %d tries: the next reindex drops it", schema, DROP_ATTEMPTS)
        return False

    def drop_unused_schemas(self) -> None:
        """Drop the library schemas that are not the library in place: those a killed reindex
        left, or a replaced one its readers kept (callers hold the reindex lock)."""
        current = self._state()[0]
        with connect(self.url, vectors=False) as connection:
            schemas = [
                row[0]
                for row in connection.execute(
                    "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'citebot_lib_%'"
                ).fetchall()
            ]
        for schema in schemas:
            if schema != current and LIBRARY_SCHEMA.fullmatch(schema):
                self.drop_schema(schema)

    def reusable(self, model: str, dimension: int) -> bool:
        manifest = self.manifest() or {}
        return manifest.get("model") == model and manifest.get("dimension") == dimension

    def close(self) -> None:
        if self._write_lock is not None:
            self._write_lock.close()
        with self._control_lock:
            self._control.close()

    # --- the control row -------------------------------------------------------------
    def _state(self) -> tuple[str, str, int] | None:
        """The control row (asked at every question: one connection kept for it)."""
        with self._control_lock:
            exists = self._control.execute_first("SELECT to_regclass(%s)", (f"{CONTROL}.state",))
            connection = self._control.connection
            if exists.fetchone()[0] is None:
                return None
            row = connection.execute(f"SELECT library, manifest, generation FROM {CONTROL}.state").fetchone()
        return (row[0], row[1], int(row[2])) if row else None

    def _new_schema_name(self) -> str:
        with connect(self.url, vectors=False) as connection:
            number = connection.execute(f"SELECT nextval('{CONTROL}.libraries')").fetchone()[0]
        return f"citebot_lib_{number}"


# Version of the tables of a library schema (`index.pg_store.schema_sql`), recorded with each
# library so that a later version can tell which tables it finds. Libraries of version 1 made
# before some of its tables' columns and indexes are completed at opening (`bring_up_to_date`);
# a later version's are refused.
SCHEMA_VERSION = 1


def _manifest_json(config: IndexConfig) -> str:
    return json.dumps({**asdict(config), "written_at": datetime.now(UTC).isoformat(timespec="seconds")})
