"""Where a library's data lives: the backend a `Library` is opened on.

A backend owns the storage's lifecycle — its write lock, its creation, the check of the
settings it was built with, which generation is in place, opening its parts (the
article/passage store with its lexical index, and the vector index), and the reindex's
staging and swap — so that the library, the searcher, the ingest pipeline and the reindex
are the same code whatever the backend:

- `LocalBackend` (this module), the embedded default: a directory holding an SQLite file
  (`index.store.Store`: articles, passages, sentence vectors, FTS5 terms, the vector change
  log), FAISS snapshots derived from it (`index.live_vectors.LiveVectors`) and, in large
  libraries, an in-memory lexicon derived from its terms (`index.live_lexicon.LiveLexicon`);
- `PgBackend` (`index.pg_backend`): a PostgreSQL database with pgvector, shared by several
  processes or machines.

`Backend` is the contract both fulfil; tests pass backends of their own (a store whose disk
fills up, a vector index whose training waits for the test) instead of patching.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Callable
from concurrent.futures import Executor
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from index.directory import (
    DATABASE,
    InUse,
    ReindexLock,
    database_identity,
    recover_swap,
    remove_retired,
    remove_stale_temporaries,
    staging,
    swap_in,
    write_lock,
)
from index.errors import DatabaseUnavailable, IndexCorrupted
from index.live_lexicon import LEXICON_FROM, LiveLexicon
from index.live_vectors import CHECKED_WHEN_MAPPED, SNAPSHOT_EVERY, LiveVectors
from index.manifest import (
    CONFIG_FIELDS,
    IndexConfig,
    check_manifest,
    read_manifest,
    write_manifest,
)
from index.store import Store
from index.vectors import APPROXIMATE_FROM


class Backend(Protocol):
    """What a library needs from where its data lives."""

    @property
    def location(self) -> str:
        """Where the library is, for people (a directory, a database URL without password)."""

    def write_lock(self) -> AbstractContextManager:
        """Held for every write: reentrant within a thread, exclusive between processes."""

    def reindex_lock(self) -> AbstractContextManager:
        """Held for a whole reindex; raises `ReindexRunning` when another one holds it."""

    def in_use(self) -> InUse | None:
        """Held, shared, while a library is open on it, so that a restore knows (None: a
        server's database, restored by its own tools)."""

    def prepare(self, config: IndexConfig, *, create: bool = True) -> None:
        """Finish or undo an interrupted swap; create an empty library if there is none, unless
        not to `create`: a library already open, whose storage gone (a volume unmounted) is an
        outage (`DatabaseUnavailable`), never replaced by an empty one its return would hide."""

    def check(self, config: IndexConfig) -> dict:
        """The manifest, or `IndexMismatch` when it was built with other settings."""

    def update_lexicon(self, config: IndexConfig, progress: Callable[[int, int], None] | None = None) -> int:
        """Make every passage's terms again with the current analysis, from the stored articles
        (no model), and record `config` as what the library was built with, in one transaction:
        a crash leaves the earlier lexicon and its version, or the new ones. Callers hold the
        write lock. `progress(done, total)` in passages; the passages analysed."""

    def identity(self) -> object:
        """Which library is in place: it changes when a reindex swaps a new one in."""

    def open(self, dimension: int, maintenance: Executor | None) -> tuple:
        """The library in place, opened: (store, vector index)."""

    def lexicon(self, maintenance: Executor | None) -> LiveLexicon | None:
        """An in-memory lexicon that answers lexical questions faster than the store's own
        index, ranking alike; None: the store answers them."""

    def size_bytes(self) -> int: ...

    def source_store(self, dimension: int): ...

    def staging_store(self, config: IndexConfig):
        """An empty library beside the one in place, for a reindex to fill."""

    def finish_staging(self, target, dimension: int) -> None:
        """Ready the filled staging library before the swap (outside the write lock)."""

    def swap_in(self, target, config: IndexConfig) -> None:
        """Put the staging library in place of the current one; callers hold the write lock."""

    def retire(self) -> None:
        """Remove what the swap replaced, once writers no longer wait for it: callers hold the
        reindex lock, not the write lock. Never raises: what cannot be removed yet (readers
        still in it) is left for the next reindex, or the next opening, to remove."""

    def discard(self, target) -> None: ...

    def reusable(self, model: str, dimension: int) -> bool:
        """Whether the stored vectors were computed by this model."""

    def close(self) -> None: ...


@dataclass(frozen=True)
class LocalBackend:
    """The embedded library: one directory (see `index.directory` for its layout)."""

    directory: Path
    approximate_from: int = APPROXIMATE_FROM  # vectors from which search is approximate (IVF)
    snapshot_every: tuple[int, int] = SNAPSHOT_EVERY  # changes between vector snapshots, at least / at most
    checked_when_mapped: int = CHECKED_WHEN_MAPPED  # bytes: the largest snapshot checked when mapped at opening
    lexicon_from: int = LEXICON_FROM  # passages from which lexical questions are scored in memory

    def __post_init__(self) -> None:
        object.__setattr__(self, "directory", Path(self.directory))  # a str is welcome too

    @property
    def location(self) -> str:
        return str(self.directory)

    def write_lock(self) -> AbstractContextManager:
        return write_lock(self.directory)

    def reindex_lock(self) -> AbstractContextManager:
        return ReindexLock(self.directory)

    def in_use(self) -> InUse:
        return InUse(self.directory)

    def prepare(self, config: IndexConfig, *, create: bool = True) -> None:
        """The manifest says what the library was built with, and its database records the
        same (the source of truth): a manifest lost or damaged (a crash on a file system that
        does not keep writes in order, a hand's mistake) is written again from it. Only a
        library without articles is given the settings' own: stamping them on stored vectors
        computed otherwise would answer from them silently."""
        recover_swap(self.directory)
        database = self.directory / DATABASE
        if not create and not database.exists():
            raise DatabaseUnavailable(
                f"la bibliothèque {self.directory} est introuvable (un volume démonté, un dossier déplacé ?) : "
                "elle n'est pas recréée vide, remettez-la en place"
            )
        remove_stale_temporaries(self.directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        manifest = None
        if database.exists():
            with contextlib.suppress(IndexCorrupted):
                manifest = {key: read_manifest(self.directory)[key] for key in CONFIG_FIELDS}
        store = Store(database, create=False)  # as it is: one of an older format is read, never changed
        try:
            recorded = _or_none(store.recorded_config)  # None too where there is no `meta` (older formats)
            if manifest is not None and recorded is None:  # written before the database recorded it
                _or_none(store.record_config, manifest)
            elif recorded is not None:
                if manifest != recorded:  # lost, damaged or replaced
                    write_manifest(self.directory, recorded)
            elif not _or_none(store.holds_articles):  # a library being created (or a creation cut short)
                store.close()
                store = Store(database)
                store.record_config(asdict(config))
                write_manifest(self.directory, config)
            # else: articles whose settings nothing says; opening says so, and a reindex rebuilds them
        finally:
            store.close()

    def check(self, config: IndexConfig) -> dict:
        return check_manifest(self.directory, config)

    def update_lexicon(self, config: IndexConfig, progress: Callable[[int, int], None] | None = None) -> int:
        """The database records the new terms and `config` in one transaction (`Store.rewrite_terms`),
        and is the source of truth: the manifest follows once it is committed, and a crash
        between the two has `prepare` write it from the database."""
        store = Store(self.directory / DATABASE, create=False)
        try:
            passages = store.rewrite_terms(asdict(config), progress)
            write_manifest(self.directory, config)
            store.merge_terms()  # the full-text index written in one go, in many segments
        finally:
            store.close()
        return passages

    def identity(self) -> object:
        return database_identity(self.directory)

    def open(self, dimension: int, maintenance: Executor | None) -> tuple[Store, LiveVectors]:
        store = self.open_store(self.directory, background_checkpoints=maintenance is not None)
        return store, self.open_vectors(self.directory, dimension, maintenance)

    def open_store(self, directory: Path, *, background_checkpoints: bool = False) -> Store:
        """The library's store; `background_checkpoints` when a maintenance thread folds its log."""
        return Store(directory / DATABASE, background_checkpoints=background_checkpoints)

    def open_vectors(self, directory: Path, dimension: int, maintenance: Executor | None) -> LiveVectors:
        """The library's vector index, kept in step with the store (`index.live_vectors`)."""
        return LiveVectors(
            directory,
            dimension,
            maintenance=maintenance,
            approximate_from=self.approximate_from,
            snapshot_every=self.snapshot_every,
            checked_when_mapped=self.checked_when_mapped,
        )

    def lexicon(self, maintenance: Executor | None) -> LiveLexicon:
        """FTS5's scoring reads every matching row's size from disk: at a million passages a
        question of common terms takes tens of milliseconds (`index.lexicon`)."""
        return LiveLexicon(maintenance, build_from=self.lexicon_from)

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.directory.iterdir() if p.is_file())

    # --- reindex ----------------------------------------------------------------------
    def source_store(self, dimension: int) -> Store:
        return Store(self.directory / DATABASE, create=False)

    def staging_store(self, config: IndexConfig) -> Store:
        target = staging(self.directory)
        shutil.rmtree(target, ignore_errors=True)  # left by a reindex that was killed
        target.mkdir(parents=True)
        write_manifest(target, config)
        store = Store(target / DATABASE)
        store.record_config(asdict(config))
        return store

    def finish_staging(self, target: Store, dimension: int) -> None:
        """Its full-text index merged, and a vector snapshot, so that the swapped-in library
        opens without training (seconds: done before the write lock; the last catch-up is
        replayed from the log)."""
        target.merge_terms()
        LiveVectors(target.path.parent, dimension, approximate_from=self.approximate_from).write_snapshot(target)

    def swap_in(self, target: Store, config: IndexConfig) -> None:
        target.checkpoint()
        target.close()
        swap_in(self.directory)

    def retire(self) -> None:
        remove_retired(self.directory)

    def discard(self, target: Store) -> None:
        target.close()
        shutil.rmtree(target.path.parent, ignore_errors=True)

    def reusable(self, model: str, dimension: int) -> bool:
        try:
            manifest = read_manifest(self.directory)
        except Exception:
            return False
        return (
            manifest.get("model") == model
            and manifest.get("dimension") == dimension
            and int(manifest.get("format_version", 0)) >= 3  # earlier formats kept no sentence vectors
        )

    def close(self) -> None:
        pass


def _or_none(read, *args):
    """What `read` returns, or None where the database lacks its table (a library of an older
    format, or a creation cut short)."""
    try:
        return read(*args)
    except sqlite3.OperationalError:
        return None
