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

One lock guards the index: searches and replays take it briefly; model inference, file
writes, serialising a large index and training never happen under it. When the library
outgrows the index's layout (exact search → IVF, or IVF → more cells), the new layout is
trained in the background (`maintenance`), from the stored vectors, while questions are
answered from the current index; the changes committed meanwhile are replayed into the new
one, which is saved while still private to the maintenance thread and then swapped in. An
approximate snapshot is opened mapped from its file, with the changes since on top
(`index.vectors.SnapshotOverlay`), and a process that answers for long then reads it into
its own memory (`read_ahead`); the next snapshot is written from the newest one and the log
since, a list at a time (`index.snapshot_merge`), never by serialising the index questions
search. The same thread merges the store's full-text index and folds its
write-ahead log, which writers would otherwise do inside their commits.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.directory import remove_snapshots, snapshot_intact, snapshots, write_snapshot
from index.errors import no_space_left
from index.ranking import SENTENCES_SEARCHED_PER_PASSAGE, best_per_passage
from index.read_ahead import physical_memory, read_through, read_through_apart
from index.snapshot_merge import NotMergeable, encode_additions, write_merged
from index.store import SENTENCE_SLOTS, Store, sentence_keys
from index.vectors import APPROXIMATE_FROM, FaissVectorStore, SnapshotOverlay, training_size

# FAISS is imported in the functions that use it: a command that only reads the bot's state or
# copies its files (feeds, unfollow, feedback, backup) imports this module without loading it.
if TYPE_CHECKING:
    import faiss

log = logging.getLogger(__name__)
# A snapshot is written once this many changes have piled up since the last one: enough
# that snapshots stay rare, few enough that opening replays little (bounded both ways).
SNAPSHOT_EVERY = (1_000, 5_000)
SNAPSHOT_SHARE = 0.05  # ... or this share of the library, between those bounds
# A new layout is swapped in once the changes committed during its training, caught up
# outside the lock in at most this many rounds, are down to this many passages.
CATCH_UP_ROUNDS = 20
SWAP_WITH_CHANGES = 200
MAINTENANCE_NICENESS = 10  # CPU share of a busy maintenance thread against a question's: about 1/10
# The database is read ahead at about a quarter of the pace the disk allows (a pause three
# times as long as each chunk took): filling the file cache costs the kernel a core while it
# lasts, and at a million passages (several GB) the questions of those seconds would lose
# more time to it than they gain (README, "The index directory").
DATABASE_READ_PAUSE = 3.0
# Steps of merging the full-text index a maintenance round takes at most (`Store.merge_terms`:
# about 25 MB) before it folds the log and sees to the vectors; the rest is left to the next
# round, so that a large merge never holds up a snapshot or a layout change for long.
MERGE_STEPS_A_ROUND = 100
# Passages whose vectors a snapshot merge reads from the store at a time (then keeps as codes).
MERGE_BATCH = 2_000
# A snapshot mapped (approximate) is checked against its checksum at opening up to this size
# (a few milliseconds): a larger one is mapped unchecked, since reading it whole would cost a
# one-shot command what mapping saves (100k passages' 210 MB: about 0.1 s once in the system's
# cache, seconds from disk); a process that answers for long checks it as it reads it ahead, and
# the next snapshot's merge does.
CHECKED_WHEN_MAPPED = 16 << 20
# Times a question's sync reads the changes before the lock, when other threads keep bringing
# the index on meanwhile, before it reads them under the lock.
SYNC_ROUNDS = 3


class LiveVectors:
    def __init__(
        self,
        directory: Path,
        dimension: int,
        *,
        maintenance: Executor | None = None,
        approximate_from: int = APPROXIMATE_FROM,
        snapshot_every: tuple[int, int] = SNAPSHOT_EVERY,
        checked_when_mapped: int = CHECKED_WHEN_MAPPED,
    ) -> None:
        """`maintenance` runs layout changes and snapshots off the callers' path; without
        one (a reindex, which is off the path already) they run where they are asked for.
        `checked_when_mapped`: the largest snapshot checked when mapped at opening (bytes)."""
        self.directory = directory
        self.dimension = dimension
        self.approximate_from = approximate_from
        self.snapshot_every = snapshot_every
        self.checked_when_mapped = checked_when_mapped
        self._maintenance = maintenance
        self._lock = threading.Lock()
        self._index = FaissVectorStore(dimension, approximate_from=approximate_from)
        self._applied = -1  # last change of the log the index holds; -1: not loaded
        self._snapshot = 0  # change the newest snapshot written or loaded holds
        self._schedule_lock = threading.Lock()
        self._pending: Future | None = None  # the latest maintenance job
        self._running = False  # a maintenance job is under way or queued
        self._requested = False  # a round is asked for (a write happened since the last one)
        self._reading: Future | None = None  # reading the snapshot ahead
        self._closing = threading.Event()
        self._damaged: set[Path] = set()  # snapshots found damaged (`_intact`)
        # What this process's maintenance has written, for logs and the benchmark's write cost
        # (most of which they are): steps of full-text merging (64 pages each; now and then a
        # write sets off the merge of a large level) and snapshots (the whole index each).
        self.merge_steps = 0
        self.snapshots_written = 0

    @property
    def kind(self) -> str:
        return self._index.kind

    @property
    def approximate(self) -> bool:
        return self._index.approximate

    def __len__(self) -> int:
        return len(self._index)

    def sync(self, store: Store) -> None:
        """Bring the index up to the store's view; call inside a read transaction. What takes
        time (opening a snapshot, reading the changes' vectors from the store: tenths of a
        second after another process wrote thousands of passages) is done before the lock,
        which questions need to search: under it, the index only takes in what was read,
        when no other thread brought it on meanwhile (else the reading starts over from
        where it is, and after a few such rounds is done under the lock)."""
        last = store.last_change()
        for _ in range(SYNC_ROUNDS):
            with self._lock:
                applied = self._applied
            if last <= applied:
                return
            if applied < store.pruned_through():  # never loaded, or too far behind the log
                opened = self._opened(store)
                with self._lock:
                    if self._applied == applied:
                        self._index, self._applied, self._snapshot = opened
                continue
            changes = store.changes_after(applied)
            read = self._read(store, changes)
            with self._lock:
                if self._applied == applied:
                    outdated = self._taken_in(read, changes.last_seq)
                    break
        else:
            with self._lock:
                if last <= self._applied:
                    return
                if self._applied < store.pruned_through():
                    self._index, self._applied, self._snapshot = self._opened(store)
                changes = store.changes_after(self._applied)
                outdated = self._taken_in(self._read(store, changes), changes.last_seq)
        if outdated:
            self._request(store)

    def _taken_in(self, read: tuple[np.ndarray | None, np.ndarray, np.ndarray], last_seq: int) -> bool:
        """Under the lock: the index given what was `read` of the changes up to `last_seq`;
        whether its layout is now outdated."""
        self._put(self._index, read)
        self._applied = last_seq
        return self._index.layout_outdated()

    def _opened(self, store: Store) -> tuple[FaissVectorStore | SnapshotOverlay, int, int]:
        """The newest usable snapshot, an index, the change it holds and the snapshot's: an
        approximate one mapped from its file (in milliseconds at any size), to be searched
        under an overlay of the changes since; an exact one (small) read at once; without
        one, an index built from every stored vector."""
        import faiss

        found = self._newest_snapshot(store, mapped=True)
        if found is None:
            return self._built(store), store.last_change(), 0
        seq, index = found
        if index.approximate:
            # Not read whole at opening: questions search the file's pages (a process that
            # answers for long reads it in afterwards, `read_ahead`), and the next snapshot is
            # saved from a private copy (`write_snapshot`).
            return SnapshotOverlay(index), seq, seq
        owned = faiss.deserialize_index(faiss.serialize_index(index.raw))  # exact, so small: copied at once
        return FaissVectorStore(self.dimension, owned, approximate_from=self.approximate_from), seq, seq

    def _newest_snapshot(
        self, store: Store, *, mapped: bool = False, checked: bool = False
    ) -> tuple[int, FaissVectorStore] | None:
        """The newest snapshot of this database the log can bring up to date, read (or mapped).
        Its bytes are checked against its checksum where it is read whole anyway (read, or an
        exact one mapped: copied at once), `checked` (the base of a merged snapshot, which
        would carry damage on), or small enough (`checked_when_mapped`); a larger approximate
        one mapped at opening is not (a million passages' 2 GB would be read to answer one
        question): a process that answers for long checks it as it reads it ahead
        (`read_ahead`), and the next snapshot's merge does."""
        for seq, path in snapshots(self.directory, store.library_id()):
            if seq < store.pruned_through() or seq > store.last_change():
                continue  # needs log that was pruned, or comes from another database
            if (checked or not mapped or _size(path) <= self.checked_when_mapped) and not self._intact(path):
                continue
            try:
                index = FaissVectorStore.load(path, approximate_from=self.approximate_from, mapped=mapped)
            except (OSError, RuntimeError):  # removed by a newer snapshot meanwhile, or unreadable
                log.warning("vector snapshot %s could not be read; trying an older one", path.name)
                continue
            if mapped and not checked and not index.approximate and not self._intact(path):
                continue
            if index.dimension == self.dimension:
                return seq, index
        return None

    def _intact(self, path: Path) -> bool:
        """Whether the snapshot at `path` holds the bytes it was written with; one that does
        not is removed (the vectors are the database's: an older snapshot and the log, or the
        database itself, give them again), and an index mapped from it rebuilt (`_maintain`)."""
        try:
            if snapshot_intact(path):
                return True
        except FileNotFoundError:  # removed by a newer snapshot meanwhile
            return False
        log.error(
            "vector snapshot %s is damaged (not the bytes written): removed, vectors taken from the database", path.name
        )
        self._damaged.add(path)
        path.unlink(missing_ok=True)
        return False

    def _on_damaged_snapshot(self) -> bool:
        """Whether questions are answered from a snapshot found damaged since it was mapped."""
        index = self._index
        return isinstance(index, SnapshotOverlay) and index.base.source in self._damaged

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

    # --- reading the library's files ahead ------------------------------------------------
    def read_ahead(self, store: Store) -> None:
        """For processes that answer questions for long: the index is opened, and the
        snapshot it maps is read into this process's memory and takes its place, in the
        maintenance thread, then the store's database file is read through (each answer reads
        its candidates' passages and sentences there), so that their pages are in the system's
        file cache before questions need them. Otherwise a bot restarted on a large library
        reads them from disk a few at a time, question after question, for its first minutes;
        and a file's pages in the system's cache do not stay there: a machine short of memory,
        or a virtual machine that reclaims what sits idle (a minute, on this project's), drops
        them, and the next question reads the cells it probes from disk again, where the
        process's own memory stays (README, "The index directory")."""
        if self._maintenance is not None:
            self._reading = self._maintenance.submit(self._read_ahead, store)

    def _read_ahead(self, store: Store) -> None:
        lower_priority()
        try:
            with store.read():
                self.sync(store)
            with self._lock:
                index = self._index
            if isinstance(index, SnapshotOverlay):
                self._hold_in_memory(store, index.base.source)
            seconds = read_through_apart(store.path, self._closing, pause=DATABASE_READ_PAUSE)
            if seconds is not None:
                log.info("database %s read ahead in %.1f s", store.path.name, seconds)
        except Exception:  # an optimisation: questions are answered without it
            log.exception("reading the library ahead failed")

    def _hold_in_memory(self, store: Store, path: Path) -> None:
        """The mapped snapshot at `path` read into memory, brought up to date and swapped in
        for the mapped one; when it would not fit in half the machine's memory, only read
        through into the system's file cache."""
        started = time.perf_counter()
        try:
            size = path.stat().st_size
        except FileNotFoundError:  # removed by another process after two newer snapshots
            log.info("vector snapshot %s replaced meanwhile: searched as mapped until the next start", path.name)
            return
        if size > physical_memory() // 2:
            seconds = read_through(path, self._closing)
            if seconds is not None:
                log.info("vector snapshot %s read ahead in %.1f s", path.name, seconds)
            return
        private = self._private_copy(store)
        if private is None or self._closing.is_set():
            return
        applied, index = private
        if self._swap_in(index, applied, store):
            log.info("vector snapshot %s read ahead into memory in %.1f s", path.name, time.perf_counter() - started)

    def close(self) -> None:
        """Stop reading ahead (the maintenance thread is then shut down by the library)."""
        self._closing.set()

    # --- maintenance, off the callers' path -------------------------------------------------
    def after_write(self, store: Store) -> None:
        """What a write makes due (folding the store's log, a snapshot, a new layout) is done
        in the maintenance thread, after the write has returned."""
        self._request(store)

    def _request(self, store: Store) -> None:
        """Ask the maintenance thread for a round; requests made while one runs add one more."""
        if self._maintenance is None:
            return  # a reindex or a tool: the index is built whole where it is needed
        with self._schedule_lock:
            self._requested = True
            if not self._running:
                self._running = True
                self._pending = self._maintenance.submit(self._maintain, store)

    def _maintain(self, store: Store) -> None:
        # One OpenMP thread for training and filling (this thread's setting only), at a lower
        # scheduling priority: questions answered meanwhile get the cores first.
        import faiss

        faiss.omp_set_num_threads(1)
        lower_priority()
        for _ in range(1_000):  # bounded; each round is due to a write since the previous one
            with self._schedule_lock:
                if not self._requested:
                    self._running = False
                    return
                self._requested = False
            try:
                merged = store.merge_terms(self._closing, MERGE_STEPS_A_ROUND)
                self.merge_steps += merged
                if merged == MERGE_STEPS_A_ROUND:
                    with self._schedule_lock:
                        self._requested = True  # more to merge: another round, once the log is folded
                store.checkpoint(passive=True)
                for _ in range(3):  # a library that grew during a layout change may outgrow it
                    if not self._index.layout_outdated():
                        break
                    self._change_layout(store)
                if self.snapshot_due():
                    self.write_snapshot(store)
                if self._on_damaged_snapshot():  # and no snapshot replaced it: rebuilt from the database
                    self._change_layout(store)
            except Exception as exc:  # maintenance must never take the process down; the next write retries
                if no_space_left(exc):  # the operator's to free, not a fault: no traceback to read
                    log.warning(
                        "vector index maintenance: no space left on the disk of %s (%s); the writes are kept, "
                        "and folding the log, merging the full-text index and saving a snapshot are tried again "
                        "at the next write",
                        self.directory,
                        exc,
                    )
                else:
                    log.exception("vector index maintenance failed")
        with self._schedule_lock:
            self._running = False

    def _change_layout(self, store: Store) -> None:
        """Train the layout the library now needs, aside; save it while it is still private
        to this thread; then swap it in."""
        with store.read():
            applied = store.last_change()
            index = self._built(store)  # seconds at scale: no lock held
        applied = self._caught_up(index, applied, store)
        if applied is None:
            return
        self._write_snapshot_file(store, applied, index.raw)
        if self._swap_in(index, applied, store):
            log.info("vector index now %s (%d vectors)", index.kind, len(index))
            self._saved(applied, store)

    def _caught_up(
        self, index: FaissVectorStore | SnapshotOverlay, applied: int, store: Store, leave: int = SWAP_WITH_CHANGES
    ) -> int | None:
        """Add to `index` (private to this thread, holding the log up to `applied`) the changes
        committed since, outside the lock, round after round, until at most `leave` passages'
        changes remain (the rest is added where the index is swapped in). The change it then
        holds; None when the log it needs was pruned meanwhile (by another process's snapshot):
        the next round starts over."""
        for _ in range(CATCH_UP_ROUNDS):
            with store.read():
                if applied < store.pruned_through():
                    return None
                changes = store.changes_after(applied)
                if len(changes.added) + len(changes.removed) <= leave:
                    break
                self._apply(index, store, changes)
                applied = max(applied, changes.last_seq)
        return applied

    def _swap_in(self, index: FaissVectorStore | SnapshotOverlay, applied: int, store: Store) -> bool:
        """Answer from `index` (caught up to `applied`) from now on: the last few changes are
        added under the lock, while questions wait."""
        with store.read(), self._lock:
            if applied < store.pruned_through():
                return False
            changes = store.changes_after(applied)
            self._apply(index, store, changes)
            self._index, self._applied = index, max(changes.last_seq, applied)
        return True

    def _apply(self, index: FaissVectorStore | SnapshotOverlay, store: Store, changes) -> None:
        """Add and remove the passages of `changes` (read in the caller's transaction)."""
        self._put(index, self._read(store, changes))

    def _read(self, store: Store, changes) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
        """What `changes` (read in the caller's transaction) make of an index: the keys of the
        sentences removed (passage ids are never reused: only removed passages have vectors
        to drop), and the keys and vectors of those added."""
        removed = np.concatenate([sentence_keys(i) for i in changes.removed]) if changes.removed else None
        keys, vectors = store.sentence_vectors(changes.added, self.dimension)
        return removed, keys, vectors

    @staticmethod
    def _put(index: FaissVectorStore | SnapshotOverlay, read: tuple[np.ndarray | None, np.ndarray, np.ndarray]) -> None:
        removed, keys, vectors = read
        if removed is not None:
            index.remove(removed)
        if len(keys):
            index.add(keys, vectors)

    def wait(self) -> None:
        """Until the maintenance under way, and any requested meanwhile, is done (closing, tests)."""
        if self._reading is not None:
            self._reading.result()
        for _ in range(1_000):
            with self._schedule_lock:
                pending = self._pending
            if pending is None:
                return
            pending.result()
            with self._schedule_lock:
                if self._pending is pending and not self._running:
                    return

    def search_passages(self, query: np.ndarray, passages: int) -> list[tuple[int, float]]:
        """The passages whose best sentence is closest to `query` (one unit vector), best
        first, each with that sentence's cosine."""
        k = passages * SENTENCES_SEARCHED_PER_PASSAGE
        with self._lock:
            scores, keys = self._index.search(query.reshape(1, -1), k)
        held = keys[0] >= 0
        return best_per_passage(keys[0][held] // SENTENCE_SLOTS, scores[0][held], passages)

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
        index = self._index
        size = len(index.base) if isinstance(index, SnapshotOverlay) else len(index)
        every = min(max(low, int(size * SNAPSHOT_SHARE)), high)
        return self._applied - self._snapshot >= every

    def write_snapshot(self, store: Store) -> None:
        """Save the vectors up to a change of the log, which may then be pruned up to the
        previous snapshot. The index questions search is never serialised while they wait
        for it (at tens of thousands of vectors that took a fifth of a second under the lock,
        exact as it is): an approximate snapshot is written from the newest one and the log
        since, list by list (`index.snapshot_merge`); an exact one, small, from the newest
        read into this thread's memory and brought up to date. Only without a snapshot to
        start from (the first one, or an index built at opening) is the index itself copied
        under the lock, once, and the copy saved. An approximate index that is a snapshot
        mapped, with the changes since on top, is then replaced by the new one mapped, so
        that what sits on top stays small."""
        import faiss

        with store.read():
            self.sync(store)
            with self._lock:
                if self._applied <= self._snapshot:
                    return
        merged = self._merged_snapshot(store)
        if merged is not None:
            seq, path = merged
        else:
            private = self._private_copy(store)
            if private is not None:
                seq, saved = private[0], private[1].raw
            else:
                with self._lock:
                    if isinstance(self._index, SnapshotOverlay):
                        return
                    seq, saved = self._applied, faiss.clone_index(self._index.raw)  # written outside the lock
            path = self._write_snapshot_file(store, seq, saved)
            del saved  # the copy's memory goes before the new snapshot is mapped
        if isinstance(self._index, SnapshotOverlay):
            overlay = SnapshotOverlay(FaissVectorStore.load(path, approximate_from=self.approximate_from, mapped=True))
            if not self._swap_in(overlay, seq, store):
                return
        self._saved(seq, store)

    def _merged_snapshot(self, store: Store) -> tuple[int, Path] | None:
        """A new snapshot written from the newest approximate one and the changes logged since
        (only the added vectors' codes and one list at a time in memory), the change it holds
        and its path; None when the newest snapshot is exact, or not laid out to be merged."""
        with store.read():
            found = self._newest_snapshot(store, mapped=True, checked=True)
            if found is None or not found[1].approximate:
                return None
            base_seq, base = found
            changes = store.changes_after(base_seq)
            batches = (
                store.sentence_vectors(changes.added[at : at + MERGE_BATCH], self.dimension)
                for at in range(0, len(changes.added), MERGE_BATCH)
            )
            additions = encode_additions(base.raw, batches)
        if changes.last_seq == base_seq:  # saved already (by another process)
            return base_seq, base.source
        removed = np.asarray(sorted(changes.removed), dtype=np.int64)
        gone = (lambda keys: np.isin(keys // SENTENCE_SLOTS, removed)) if len(removed) else None
        try:
            path = write_snapshot(
                self.directory,
                store.library_id(),
                changes.last_seq,
                lambda file: write_merged(base.source, base.raw, additions, gone, file),
            )
        except (NotMergeable, FileNotFoundError) as error:  # another FAISS layout; or removed meanwhile
            log.info("vector snapshot %s not merged (%s): saved from a copy", base.source.name, error)
            return None
        self.snapshots_written += 1
        return changes.last_seq, path

    def _write_snapshot_file(self, store: Store, seq: int, index: faiss.Index) -> Path:
        path = write_snapshot(self.directory, store.library_id(), seq, index)
        self.snapshots_written += 1
        return path

    def _private_copy(self, store: Store) -> tuple[int, FaissVectorStore] | None:
        """The newest snapshot read into memory and brought up to date from the log, for this
        thread alone (nobody searches it, so nothing is left for a swap), and the change it
        holds; None without a usable snapshot."""
        with store.read():
            found = self._newest_snapshot(store)
        if found is None:
            return None
        seq, index = found
        applied = self._caught_up(index, seq, store, leave=0)
        return None if applied is None else (applied, index)

    def _saved(self, seq: int, store: Store) -> None:
        """A snapshot up to `seq` is on disk: older ones, and the log the previous one covers, go."""
        with self._lock:
            previous, self._snapshot = self._snapshot, max(self._snapshot, seq)
        remove_snapshots(self.directory, store.library_id(), keep=2)
        if previous:
            store.prune_changes(previous)  # the older of the two snapshots kept still needs none of it


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # removed meanwhile: loading it fails next, and says so
        return 0


def lower_priority() -> None:
    """Lower the calling thread's CPU priority. Only on Linux, which schedules each thread
    on its own (a thread id elsewhere is not a process id setpriority would understand)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):  # not allowed here: the same priority as questions
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), MAINTENANCE_NICENESS)
