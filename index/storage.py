"""Where a library's data lives: the parts the library is made of, opened for a directory.

`LocalBackend` is the embedded default: an SQLite file (articles, passages, sentence
vectors, the lexical index, the vector change log: `index.store.Store`) and a FAISS index
derived from it (`index.live_vectors.LiveVectors`), both in the index directory. The
library only asks a backend to create, open and identify its files, so another backend
(a database server) plugs in here, and tests pass in parts of their own.
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from index.directory import DATABASE, database_identity
from index.live_vectors import SNAPSHOT_EVERY, LiveVectors
from index.store import Store
from index.vectors import APPROXIMATE_FROM


@dataclass(frozen=True)
class LocalBackend:
    approximate_from: int = APPROXIMATE_FROM  # vectors from which search is approximate (IVF)
    snapshot_every: tuple[int, int] = SNAPSHOT_EVERY  # changes between vector snapshots, at least / at most

    def create(self, directory: Path) -> None:
        Store(directory / DATABASE).close()

    def identity(self, directory: Path) -> tuple[int, int] | None:
        """Which files are in place: it changes when a reindex swaps new ones in."""
        return database_identity(directory)

    def open(self, directory: Path, dimension: int, maintenance: Executor) -> tuple[Store, LiveVectors]:
        store = self.open_store(directory)
        vectors = LiveVectors(
            directory,
            dimension,
            maintenance=maintenance,
            approximate_from=self.approximate_from,
            snapshot_every=self.snapshot_every,
        )
        return store, vectors

    def open_store(self, directory: Path) -> Store:
        return Store(directory / DATABASE)
