"""The in-memory vector index, kept in step with the store's vectors.

The store holds the vector of every sentence of every passage and a log of vector
changes (by passage) in commit order. A sentence's key in the index is its passage's id
× `SENTENCE_SLOTS` + its position, so a passage's sentences are found from its id.
This index is derived from them: opened from the newest snapshot file and brought up
to date by replaying the log after it, or rebuilt from the stored vectors when no
snapshot covers the log. Before searching, a reader replays whatever was committed
since (by this process or another), inside its own read transaction, so the index
holds at least everything the reader's view of the store holds; passages it holds
beyond that view are dropped by the reader when it fetches the passages.

One lock guards the index: searches, replays and snapshots take it briefly; model
inference, file writes and training never happen under it. When the library outgrows
the index's layout (exact search → IVF, or IVF → more cells), the new layout is trained
in the background (`maintenance`), from the stored vectors, while questions are answered
from the current index; the changes committed meanwhile are replayed into the new one,
which is then swapped in and snapshotted. The same thread writes the snapshots.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Executor, Future
from pathlib import Path

import faiss
import numpy as np

from index.directory import remove_snapshots, snapshots, write_snapshot
from index.store import SENTENCE_SLOTS, Store, sentence_keys
from index.vectors import APPROXIMATE_FROM, FaissVectorStore, training_size

log = logging.getLogger(__name__)
# A snapshot is written once this many changes have piled up since the last one: enough
# that snapshots stay rare, few enough that opening replays little (bounded both ways).
SNAPSHOT_EVERY = (1_000, 20_000)
SNAPSHOT_SHARE = 0.05  # ... or this share of the library, between those bounds
# Sentences fetched from the vector index per passage wanted: a passage's several
# sentences may all be near the question and fill the list.
SENTENCES_SEARCHED_PER_PASSAGE = 8


class LiveVectors:
    def __init__(
        self,
        directory: Path,
        dimension: int,
        *,
        maintenance: Executor | None = None,
        approximate_from: int = APPROXIMATE_FROM,
        snapshot_every: tuple[int, int] = SNAPSHOT_EVERY,
    ) -> None:
        """`maintenance` runs layout changes and snapshots off the callers' path; without
        one (a reindex, which is off the path already) they run where they are asked for."""
        self.directory = directory
        self.dimension = dimension
        self.approximate_from = approximate_from
        self.snapshot_every = snapshot_every
        self._maintenance = maintenance
        self._lock = threading.Lock()
        self._index = FaissVectorStore(dimension, approximate_from=approximate_from)
        self._applied = -1  # last change of the log the index holds; -1: not loaded
        self._snapshot = 0  # change the newest snapshot written or loaded holds
        self._pending: Future | None = None  # the maintenance job under way

    @property
    def kind(self) -> str:
        return self._index.kind

    @property
    def approximate(self) -> bool:
        return self._index.approximate

    def __len__(self) -> int:
        return len(self._index)

    def sync(self, store: Store) -> None:
        """Bring the index up to the store's view; call inside a read transaction."""
        last = store.last_change()
        with self._lock:
            if last <= self._applied:
                return
            if self._applied < store.pruned_through():  # never loaded, or too far behind the log
                self._load(store)
            self._replay(store)

    def _load(self, store: Store) -> None:
        for seq, path in snapshots(self.directory, store.library_id()):
            if seq < store.pruned_through() or seq > store.last_change():
                continue  # needs log that was pruned, or comes from another database
            try:
                index = FaissVectorStore.load(path, approximate_from=self.approximate_from)
            except (OSError, RuntimeError):  # removed by a newer snapshot meanwhile, or unreadable
                log.warning("vector snapshot %s could not be read; trying an older one", path.name)
                continue
            if index.dimension == self.dimension:
                self._index, self._applied, self._snapshot = index, seq, seq
                return
        self._index, self._applied, self._snapshot = self._built(store), store.last_change(), 0

    def _built(self, store: Store) -> FaissVectorStore:
        """An index of every stored vector (as the store's view has them), laid out for their
        number: trained on a sample, then filled batch by batch, never all of them in memory."""
        count = store.sentence_count()
        sample = None
        if count >= self.approximate_from:
            sample = store.sample_vectors(self.dimension, training_size(count) / count)
        return FaissVectorStore.build_from(
            self.dimension, count, sample, store.iter_vectors(self.dimension), approximate_from=self.approximate_from
        )

    def _replay(self, store: Store) -> None:
        changes = store.changes_after(self._applied)
        if changes.removed:  # passage ids are never reused: only removed passages have vectors to drop
            self._index.remove(np.concatenate([sentence_keys(i) for i in changes.removed]))
        keys, vectors = store.sentence_vectors(changes.added, self.dimension)
        if len(keys):
            self._index.add(keys, vectors)
        self._applied = changes.last_seq
        if self._index.layout_outdated():
            self._schedule(self._change_layout, store)

    # --- maintenance, off the callers' path -------------------------------------------------
    def _schedule(self, job, store: Store) -> None:
        """Run `job(store)` in the maintenance thread, unless one is under way (inline without one)."""
        if self._maintenance is None:
            return  # a reindex or a tool: the index is built whole where it is needed
        if self._pending is None or self._pending.done():
            self._pending = self._maintenance.submit(self._run, job, store)

    def _run(self, job, store: Store) -> None:
        try:
            job(store)
            if job != self._change_layout and self._index.layout_outdated():  # outgrown meanwhile
                self._change_layout(store)
        except Exception:  # maintenance must never take the process down; the next write retries
            log.exception("vector index maintenance failed")

    def _change_layout(self, store: Store) -> None:
        """Train the layout the library now needs, aside, then swap it in."""
        with store.read():
            built_at = store.last_change()
            index = self._built(store)  # seconds at scale: no lock held
        with store.read(), self._lock:
            changes = store.changes_after(built_at)
            if changes.removed:
                index.remove(np.concatenate([sentence_keys(i) for i in changes.removed]))
            keys, vectors = store.sentence_vectors(changes.added, self.dimension)
            if len(keys):
                index.add(keys, vectors)
            self._index, self._applied = index, max(changes.last_seq, built_at)
        log.info("vector index now %s (%d vectors)", index.kind, len(index))
        self.write_snapshot(store)

    def wait(self) -> None:
        """Until the maintenance under way is done (closing, tests)."""
        if self._pending is not None:
            self._pending.result()

    def search_passages(self, query: np.ndarray, passages: int) -> list[tuple[int, float]]:
        """The passages whose best sentence is closest to `query` (one unit vector), best
        first, each with that sentence's cosine."""
        k = passages * SENTENCES_SEARCHED_PER_PASSAGE
        with self._lock:
            scores, keys = self._index.search(query.reshape(1, -1), k)
        best: dict[int, float] = {}
        for key, score in zip(keys[0], scores[0]):
            if key >= 0:
                best.setdefault(int(key) // SENTENCE_SLOTS, float(score))
        return list(best.items())[:passages]

    def search_keys(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The `k` closest sentence vectors to each query: scores and keys."""
        with self._lock:
            return self._index.search(queries, k)

    def held_keys(self) -> np.ndarray:
        """The keys of every sentence vector held (passage id × SENTENCE_SLOTS + position)."""
        with self._lock:
            return self._index.ids()

    # --- snapshots ---------------------------------------------------------------------
    def snapshot_due(self) -> bool:
        low, high = self.snapshot_every
        every = min(max(low, int(len(self._index) * SNAPSHOT_SHARE)), high)
        return self._applied - self._snapshot >= every

    def snapshot_if_due(self, store: Store) -> None:
        """Snapshot in the maintenance thread once enough changes have piled up."""
        if self.snapshot_due():
            self._schedule(self.write_snapshot, store)

    def write_snapshot(self, store: Store) -> None:
        """Save the index as it is now; the log it covers may then be pruned."""
        with store.read():
            self.sync(store)
            with self._lock:
                seq = self._applied
                if seq <= self._snapshot:
                    return
                data = faiss.serialize_index(self._index.raw)  # a copy: written without the lock
        write_snapshot(self.directory, store.library_id(), seq, data.tobytes())
        with self._lock:
            previous, self._snapshot = self._snapshot, max(self._snapshot, seq)
        remove_snapshots(self.directory, store.library_id(), keep=2)
        if previous:
            store.prune_changes(previous)  # the older of the two snapshots kept still needs none of it
