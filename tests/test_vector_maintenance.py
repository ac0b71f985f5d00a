"""The vector index changes its layout as the library grows, in the background: questions
are answered from the current index meanwhile, and writes made during the training are in
the new index when it is swapped in."""

from __future__ import annotations

import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from index.directory import DATABASE, remove_snapshots, snapshots
from index.library import READY_FOR_QUESTIONS, Library
from index.live_vectors import LiveVectors
from index.read_ahead import READ_AHEAD_CHUNK, read_through, read_through_apart
from index.reindex import copy_library, rebuild
from index.storage import LocalBackend
from index.store import SENTENCE_SLOTS, Store
from tests.conftest import HashingEmbedder
from tests.test_atomic_writes import article, consistent


class GatedVectors(LiveVectors):
    """Trains its new layout only once the test opens the gate."""

    def __init__(self, *args, gate: threading.Event, training: threading.Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.gate, self.training = gate, training

    def _built(self, store):
        if self._applied >= 0:  # a layout change, not the first opening
            self.training.set()
            assert self.gate.wait(30)
        return super()._built(store)


@dataclass(frozen=True)
class VectorsOfKind(LocalBackend):
    """The embedded backend, its vector index of the test's own kind (given `extra` arguments)."""

    kind: type[LiveVectors] = LiveVectors
    extra: dict = field(default_factory=dict)

    def open_vectors(self, directory, dimension, maintenance):
        return self.kind(
            directory,
            dimension,
            maintenance=maintenance,
            approximate_from=self.approximate_from,
            snapshot_every=self.snapshot_every,
            **self.extra,
        )


def test_the_layout_changes_in_the_background_and_takes_in_the_writes_made_meanwhile(tmp_path):
    gate, training = threading.Event(), threading.Event()
    backend = VectorsOfKind(
        tmp_path / "idx", approximate_from=200, kind=GatedVectors, extra=dict(gate=gate, training=training)
    )
    library = Library(backend, HashingEmbedder(), max_words=60)
    library.ingest([article(n) for n in range(110)])  # 220 sentence vectors: past the threshold
    assert training.wait(30)  # the new layout is being trained...
    assert not library.vector_index.approximate  # ...while the current index answers
    assert library.ask("conseil numéro 7").results[0].article.title == "Article 7"
    library.ingest([article(n) for n in range(500, 520)])  # written during the training
    library.delete(3)
    gate.set()
    library.vector_index.wait()
    assert library.vector_index.approximate
    held = {int(k) // SENTENCE_SLOTS for k in library.vector_index.held_keys()}
    store = Store(tmp_path / "idx" / DATABASE)
    with store.read():
        assert held == set(store.passage_ids())
    store.close()
    assert library.ask("conseil numéro 515").results[0].article.title == "Article 515"
    assert library.vector_index.snapshots_written == 1  # the new layout, saved (counted for the benchmark)
    library.close()
    assert any((tmp_path / "idx").glob("vectors-*.faiss"))  # the new layout was saved
    reopened = Library(LocalBackend(tmp_path / "idx", approximate_from=200), HashingEmbedder(), max_words=60)
    assert reopened.vector_index.approximate  # from the snapshot, without training again
    reopened.close()
    consistent(tmp_path / "idx")


class RecordedCheckpoints(Store):
    """Notes which thread folds the write-ahead log, and how, and which merges the full-text
    index's segments (and whether it merged any)."""

    def __init__(self, path, calls: list, merges: list | None = None, **options) -> None:
        super().__init__(path, **options)
        self.calls, self.merges = calls, merges if merges is not None else []

    def checkpoint(self, *, passive: bool = False) -> None:
        self.calls.append((threading.current_thread().name, passive))
        super().checkpoint(passive=passive)

    def merge_terms(self, *args, **kwargs) -> int:
        steps = super().merge_terms(*args, **kwargs)
        self.merges.append((threading.current_thread().name, steps))
        return steps


@dataclass(frozen=True)
class RecordingBackend(LocalBackend):
    calls: list = field(default_factory=list)
    merges: list = field(default_factory=list)

    def open_store(self, directory, **options):
        return RecordedCheckpoints(directory / DATABASE, self.calls, self.merges, **options)


def test_a_write_returns_before_the_log_is_folded_into_the_database(tmp_path):
    backend = RecordingBackend(tmp_path / "idx")
    with Library(backend, HashingEmbedder(), max_words=60) as library:
        library.ingest([article(n) for n in range(5)])
        store = library._current().store
        assert store._db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0  # never inside a commit
        library.vector_index.wait()
        assert backend.calls and all(
            name.startswith("vector-maintenance") and passive for name, passive in backend.calls
        )


def full_text_segments(store: Store) -> int:
    return store._db.execute("SELECT count(DISTINCT segid) FROM passage_terms_idx").fetchone()[0]


def test_a_library_written_one_article_at_a_time_merges_its_full_text_index_behind_the_writes(tmp_path):
    """SQLite's full-text index would merge its segments inside whichever commit crosses its
    work counter (megabytes in one write to a large library); here the maintenance thread
    merges them after the writes, and they stay few."""
    backend = RecordingBackend(tmp_path / "idx")
    with Library(backend, HashingEmbedder(), max_words=60) as library:
        for n in range(80):
            library.ingest([article(n)])
            library.vector_index.wait()
        assert full_text_segments(library._current().store) <= 6
        assert {name for name, steps in backend.merges if steps} == {"vector-maintenance_0"}
        # counted for the benchmark's write cost, which these merges mostly are
        assert library.vector_index.merge_steps == sum(steps for _, steps in backend.merges) > 0
        assert library.ask("conseil numéro 42").results[0].article.title == "Article 42"
    consistent(tmp_path / "idx")


def test_a_reindexed_library_has_its_full_text_index_merged(tmp_path):
    with Library(tmp_path / "idx", HashingEmbedder(), max_words=60) as library:
        library.ingest([article(n) for n in range(40)])
        config = library.config
    rebuild(LocalBackend(tmp_path / "idx"), HashingEmbedder(), config, batch_sentences=2)  # a commit an article
    store = Store(tmp_path / "idx" / DATABASE)
    assert full_text_segments(store) <= 4
    store.close()
    consistent(tmp_path / "idx")


def test_a_library_copied_for_evaluation_has_its_full_text_index_merged(tmp_path):
    """`bot eval` copies libraries of every size from the full one, a batch of sentences a commit."""
    with Library(tmp_path / "idx", HashingEmbedder(), max_words=60) as library:
        library.ingest([article(n) for n in range(40)])
        config = library.config
        kept = {a.id for a in library.articles()[:30]}
    copy_library(tmp_path / "idx", tmp_path / "copy", HashingEmbedder(), config, kept, batch_sentences=2)
    store = Store(tmp_path / "copy" / DATABASE)
    assert full_text_segments(store) <= 4
    assert store.counts()[0] == 30
    store.close()
    consistent(tmp_path / "copy")


class SlowSaveVectors(LiveVectors):
    """Saves its next snapshot only once the test opens the gate."""

    def __init__(self, *args, gate: threading.Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.gate, self.saving = gate, threading.Event()

    def _merged_snapshot(self, store):
        self.saving.set()
        assert self.gate.wait(30)
        return super()._merged_snapshot(store)


def test_a_reopened_library_answers_from_its_mapped_snapshot_while_the_next_one_is_saved_aside(tmp_path):
    with Library(LocalBackend(tmp_path / "idx", approximate_from=200), HashingEmbedder(), max_words=60) as library:
        library.ingest([article(n) for n in range(150)])  # an approximate layout, snapshotted
    gate = threading.Event()
    backend = VectorsOfKind(
        tmp_path / "idx", approximate_from=200, snapshot_every=(3, 3), kind=SlowSaveVectors, extra=dict(gate=gate)
    )
    library = Library(backend, HashingEmbedder(), max_words=60)
    assert library.vector_index.approximate  # answering from the mapped snapshot
    seventh = library.ask("conseil numéro 7").results[0].article
    assert seventh.title == "Article 7"
    library.ingest([article(n) for n in range(600, 610)])  # a snapshot is due: saved aside (gated)
    assert library.vector_index.saving.wait(30)
    library.delete(seventh.id)
    assert library.ask("conseil numéro 605").results[0].article.title == "Article 605"
    assert all(r.article.title != "Article 7" for r in library.ask("conseil numéro 7").results)
    gate.set()
    library.vector_index.wait()
    assert len(snapshots(tmp_path / "idx", store_id(tmp_path))) == 2  # the new snapshot, and the previous
    library.ingest([article(700)])  # the new snapshot, mapped, takes writes and snapshots again
    library.delete(library.ask("conseil numéro 9").results[0].article.id)
    library.vector_index.wait()
    held = {int(k) // SENTENCE_SLOTS for k in library.vector_index.held_keys()}
    store = Store(tmp_path / "idx" / DATABASE)
    with store.read():
        assert held == set(store.passage_ids())
    store.close()
    library.close()
    consistent(tmp_path / "idx")


def store_id(tmp_path) -> str:
    store = Store(tmp_path / "idx" / DATABASE)
    with store.read():
        library_id = store.library_id()
    store.close()
    return library_id


def test_a_process_that_answers_for_long_reads_its_snapshot_and_database_ahead_and_others_do_not(tmp_path, caplog):
    with Library(LocalBackend(tmp_path / "idx", approximate_from=200), HashingEmbedder(), max_words=60) as library:
        library.ingest([article(n) for n in range(150)])  # an approximate layout, snapshotted
    (snapshot,) = [path for _, path in snapshots(tmp_path / "idx", store_id(tmp_path))]
    caplog.set_level("INFO", logger="index.live_vectors")
    caplog.set_level("INFO", logger="index.library")
    with Library(LocalBackend(tmp_path / "idx", approximate_from=200), HashingEmbedder(), max_words=60) as one_shot:
        assert one_shot.ask("conseil numéro 7").results[0].article.title == "Article 7"
    assert "read ahead" not in caplog.text  # a command asking one question does not read the file through
    with Library(LocalBackend(tmp_path / "idx", approximate_from=200), HashingEmbedder(), max_words=60) as bot:
        bot.prepare_for_questions().result(timeout=60)  # done once all of its start-up work is
        assert READY_FOR_QUESTIONS in caplog.text
        assert f"vector snapshot {snapshot.name} read ahead into memory" in caplog.text
        assert f"database {DATABASE} read ahead" in caplog.text  # the passages each answer reads
        assert bot.vector_index.approximate  # opened (mapped) in the background, before any question
        assert bot.ask("conseil numéro 7").results[0].article.title == "Article 7"


def test_a_snapshot_removed_by_another_process_before_it_is_read_in_stays_searched_as_mapped(tmp_path, caplog):
    """Another process writing to the library removes the older snapshots once it has saved two
    newer ones: one this process maps may be gone by the time it would read it in. Its mapping
    still answers, and the rest of the start-up work is done."""
    with Library(LocalBackend(tmp_path / "idx", approximate_from=200), HashingEmbedder(), max_words=60) as library:
        library.ingest([article(n) for n in range(150)])  # an approximate layout, snapshotted
    caplog.set_level("INFO", logger="index.live_vectors")
    with Library(LocalBackend(tmp_path / "idx", approximate_from=200), HashingEmbedder(), max_words=60) as bot:
        assert bot.ask("conseil numéro 7").results[0].article.title == "Article 7"  # the snapshot mapped
        for _, path in snapshots(tmp_path / "idx", store_id(tmp_path)):
            path.unlink()
        bot.prepare_for_questions()
        bot.vector_index.wait()
        assert "replaced meanwhile" in caplog.text
        assert "reading the library ahead failed" not in caplog.text
        assert f"database {DATABASE} read ahead" in caplog.text
        assert bot.ask("conseil numéro 9").results[0].article.title == "Article 9"


def test_a_process_that_answers_for_long_searches_its_vectors_in_its_own_memory(tmp_path):
    """The system may drop a file's cached pages whenever they sit idle (virtual machines that
    reclaim idle memory do, within a minute): the bot's index is read into the process instead
    of searched in the mapped snapshot, and still takes in writes, deletes and snapshots."""
    with Library(LocalBackend(tmp_path / "idx", approximate_from=200), HashingEmbedder(), max_words=60) as library:
        library.ingest([article(n) for n in range(150)])  # an approximate layout, snapshotted
    backend = LocalBackend(tmp_path / "idx", approximate_from=200, snapshot_every=(3, 3))
    with Library(backend, HashingEmbedder(), max_words=60) as bot:
        library_file = str(tmp_path / "idx")
        bot.prepare_for_questions()
        bot.vector_index.wait()
        assert bot.vector_index.approximate
        assert not any(library_file in line and ".faiss" in line for line in mapped_files())
        bot.ingest([article(n) for n in range(600, 610)])  # a snapshot is due after these
        bot.delete(bot.ask("conseil numéro 7").results[0].article.id)
        bot.vector_index.wait()
        assert bot.vector_index.snapshots_written == 1
        assert not any(library_file in line and ".faiss" in line for line in mapped_files())
        assert bot.ask("conseil numéro 605").results[0].article.title == "Article 605"
        assert all(r.article.title != "Article 7" for r in bot.ask("conseil numéro 7").results)
    consistent(tmp_path / "idx")


def mapped_files() -> list[str]:
    return Path("/proc/self/maps").read_text().splitlines()


def test_reading_ahead_stops_when_the_library_closes(tmp_path):
    path = tmp_path / "snapshot.faiss"
    path.write_bytes(b"\0" * (3 * READ_AHEAD_CHUNK))
    stop = threading.Event()
    for read in (read_through, read_through_apart):
        assert read(path, stop) is not None
        assert read(path, stop, pause=0.5) is not None  # the database's slower pace reads it all too
    stop.set()
    assert read_through(path, stop) is None and read_through_apart(path, stop) is None


def test_a_library_read_ahead_keeps_its_hold_on_the_database_another_process_writes_to(tmp_path):
    """Closing any descriptor of a file drops all of a process's locks on it: read ahead in
    the bot's own process, the database lost the bot's hold, and a command-line write that
    ended then took itself for the last user and reset the log under the bot."""
    library = Library(tmp_path / "idx", HashingEmbedder(), max_words=60)
    library.ingest([article(n) for n in range(3)])
    library.prepare_for_questions().result(timeout=60)  # the bot's start: the database read ahead
    assert library.stats().articles == 3
    other_process = (
        "import sys; from index.library import Library; from tests.conftest import HashingEmbedder\n"
        "library = Library(sys.argv[1], HashingEmbedder(), max_words=60)\n"
        "library.delete(1)\n"
        "library.close()\n"
    )
    subprocess.run([sys.executable, "-c", other_process, str(tmp_path / "idx")], check=True, timeout=120)
    assert (tmp_path / "idx" / f"{DATABASE}-wal").exists()  # the bot still holds it: the log stays
    assert library.stats().articles == 2
    assert sorted(a.title for a in library.articles()) == ["Article 1", "Article 2"]
    library.close()


def test_a_process_left_on_a_replaced_library_never_removes_the_new_library_s_snapshots(tmp_path):
    library = Library(tmp_path / "idx", HashingEmbedder(), max_words=60)
    library.ingest([article(1)])
    library.close()
    in_place = Store(tmp_path / "idx" / DATABASE).library_id()
    for name in (f"vectors-{in_place}-5.faiss", "vectors-0123456789abcdef-9.faiss"):
        (tmp_path / "idx" / name).write_bytes(b"")
    remove_snapshots(tmp_path / "idx", "0123456789abcdef")  # the replaced library's last save
    assert (tmp_path / "idx" / f"vectors-{in_place}-5.faiss").exists()
    remove_snapshots(tmp_path / "idx", in_place)  # the library in place clears what the other left
    assert sorted(p.name for p in (tmp_path / "idx").glob("vectors-*")) == [f"vectors-{in_place}-5.faiss"]


class GatedReads:
    """A store whose next read of vectors waits for the test's gate."""

    def __init__(self, store, vectors: SlowToRead) -> None:
        self._store, self._vectors = store, vectors

    def __getattr__(self, name):
        return getattr(self._store, name)

    def sentence_vectors(self, passage_ids, dimension):
        if passage_ids and self._vectors.reading is not None:
            reading, self._vectors.reading = self._vectors.reading, None
            reading.set()
            assert self._vectors.gate.wait(30)
        return self._store.sentence_vectors(passage_ids, dimension)


class SlowToRead(LiveVectors):
    """Its store's next read of added vectors (once `reading` is set) waits for `gate`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reading: threading.Event | None = None
        self.gate = threading.Event()

    def sync(self, store) -> None:
        super().sync(GatedReads(store, self))


def test_questions_are_searched_while_another_reads_what_another_process_wrote(tmp_path):
    """Another process wrote many articles: the next question reads their vectors from the
    store (tenths of a second at thousands of passages) without keeping the others from the
    vector index meanwhile."""
    library = Library(VectorsOfKind(tmp_path / "idx", kind=SlowToRead), HashingEmbedder(), max_words=60)
    library.ingest([article(n) for n in range(5)])
    other_process = Library(tmp_path / "idx", HashingEmbedder(), max_words=60)
    other_process.ingest([article(n) for n in range(100, 150)])
    vectors, reading = library.vector_index, threading.Event()
    vectors.reading = reading
    answered = []
    asking = threading.Thread(target=lambda: answered.append(library.ask("conseil numéro 120")))
    asking.start()
    assert reading.wait(30)  # the question is reading the 50 articles' vectors...
    searched = []
    query = HashingEmbedder().embed_queries(["conseil numéro 3"])[0]
    searching = threading.Thread(target=lambda: searched.append(vectors.search_passages(query, 5)))
    searching.start()
    searching.join(timeout=10)
    blocked = searching.is_alive()
    vectors.gate.set()
    asking.join(timeout=30)
    searching.join(timeout=30)
    assert not blocked  # ...and another question searched the index meanwhile
    assert searched and answered[0].results[0].article.title == "Article 120"
    other_process.close()
    library.close()


class SlowToBuild(LiveVectors):
    """Builds its index (no snapshot to open) only once the test opens the gate."""

    def __init__(self, *args, gate: threading.Event, building: threading.Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.gate, self.building = gate, building

    def _built(self, store):
        self.building.set()
        assert self.gate.wait(30)
        return super()._built(store)


def test_a_library_opening_without_a_vector_snapshot_keeps_no_writer_waiting(tmp_path):
    """Its vector index is built from the stored vectors (seconds at scale) with the write
    lock let go: another process adds an article meanwhile, and the library opened finds it."""
    first = Library(tmp_path / "idx", HashingEmbedder(), max_words=60)
    first.ingest([article(n) for n in range(20)])
    first.close()
    for path in (tmp_path / "idx").glob("vectors-*.faiss"):
        path.unlink()
    gate, building, opened = threading.Event(), threading.Event(), []
    backend = VectorsOfKind(tmp_path / "idx", kind=SlowToBuild, extra=dict(gate=gate, building=building))
    opening = threading.Thread(target=lambda: opened.append(Library(backend, HashingEmbedder(), max_words=60)))
    opening.start()
    assert building.wait(30)

    def another_process_adds_an_article():
        writer = Library(tmp_path / "idx", HashingEmbedder(), max_words=60)
        writer.ingest([article(300)])
        writer.close()

    writing = threading.Thread(target=another_process_adds_an_article)
    writing.start()
    writing.join(timeout=10)
    waited = writing.is_alive()
    gate.set()
    opening.join(timeout=30)
    writing.join(timeout=30)
    assert not waited
    library = opened[0]
    assert library.ask("conseil numéro 300").results[0].article.title == "Article 300"
    library.close()


def _damaged(path: Path) -> None:
    """The snapshot as a crash on a file system that does not keep writes in order can leave
    it: its name and size, the second half of its bytes zeros (FAISS reads it without a word)."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + bytes(len(data) - len(data) // 2))


def _library_with_snapshots(directory: Path) -> Path:
    """A library past its approximate layout, its snapshots written; the newest one's path."""
    with Library(
        LocalBackend(directory, approximate_from=200, snapshot_every=(3, 3)), HashingEmbedder(), max_words=60
    ) as library:
        for n in range(0, 150, 10):
            library.ingest([article(m) for m in range(n, n + 10)])
            library.vector_index.wait()
        store = Store(directory / DATABASE)
        (_, newest), *_ = snapshots(directory, store.library_id())
        store.close()
    return newest


def test_a_damaged_snapshot_is_never_answered_from(tmp_path):
    newest = _library_with_snapshots(tmp_path / "idx")
    _damaged(newest)
    consistent(tmp_path / "idx")  # the vectors held are those of the database, whatever the snapshot said
    assert not newest.exists()  # and the damaged one is gone: the next opening does not read it again
    with Library(LocalBackend(tmp_path / "idx", approximate_from=200), HashingEmbedder(), max_words=60) as library:
        assert library.ask("conseil numéro 137").results[0].article.title == "Article 137"


@pytest.mark.parametrize("older", ["kept", "gone"])
def test_a_large_snapshot_mapped_unchecked_is_replaced_once_found_damaged(tmp_path, older):
    """Too large to be checked at opening (a million passages' 2 GB), a snapshot is mapped as it
    is; the next snapshot's merge reads it whole, finds it damaged, and the index questions
    search is then made from the older snapshot and the log, or from the database alone."""
    newest = _library_with_snapshots(tmp_path / "idx")
    _damaged(newest)
    if older == "gone":
        for path in (tmp_path / "idx").glob("vectors-*.faiss"):
            if path != newest:
                path.unlink()
    backend = LocalBackend(tmp_path / "idx", approximate_from=200, snapshot_every=(3, 3), checked_when_mapped=0)
    with Library(backend, HashingEmbedder(), max_words=60) as library:
        library.ingest([article(n) for n in range(500, 505)])  # a snapshot is due: merged from the newest
        library.vector_index.wait()
        assert not newest.exists()
        store = Store(tmp_path / "idx" / DATABASE)
        with store.read():
            stored = sorted(store.sentence_vectors(store.passage_ids(), HashingEmbedder.dimension)[0].tolist())
        store.close()
        assert sorted(library.vector_index.held_keys().tolist()) == stored
        assert library.ask("conseil numéro 137").results[0].article.title == "Article 137"
    consistent(tmp_path / "idx")


class FoldedOnAFullDisk(Store):
    """A store whose log cannot be folded into the database while `full` is set: SQLite's
    own error for a disk with no room (SQLITE_FULL), as a full disk gives it."""

    def __init__(self, path, full: threading.Event, **options) -> None:
        super().__init__(path, **options)
        self.full = full

    def checkpoint(self, *, passive: bool = False) -> None:
        if passive and self.full.is_set():
            import sqlite3

            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorcode = sqlite3.SQLITE_FULL
            raise error
        super().checkpoint(passive=passive)


@dataclass(frozen=True)
class FullDiskBackend(LocalBackend):
    full: threading.Event = field(default_factory=threading.Event)

    def open_store(self, directory, **options):
        return FoldedOnAFullDisk(directory / DATABASE, self.full, **options)


class SnapshotWriteFails(LiveVectors):
    """A vector index whose snapshot file cannot be written while `failure` is set: the
    system's error it holds (a full disk's, or another)."""

    def __init__(self, *args, failure: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.failure = failure

    def _write_snapshot_file(self, store, seq, index):
        if self.failure:
            raise self.failure[0]
        return super()._write_snapshot_file(store, seq, index)


def maintenance_log(caplog) -> list:
    return [r for r in caplog.records if r.name == "index.live_vectors" and r.levelname in ("WARNING", "ERROR")]


@pytest.mark.parametrize("where", ["log", "snapshot"])
def test_a_full_disk_in_the_maintenance_is_one_warning_line_and_retried_at_the_next_write(tmp_path, caplog, where):
    """A full disk is the operator's to free, not a fault to debug: one line that says where
    and what will be tried again, not a traceback; once there is room, the next write's
    maintenance does it."""
    full, failure = threading.Event(), [OSError(28, "No space left on device")]
    if where == "log":
        backend = FullDiskBackend(tmp_path / "idx", full=full)
        full.set()
    else:
        extra = dict(failure=failure)
        backend = VectorsOfKind(tmp_path / "idx", snapshot_every=(3, 3), kind=SnapshotWriteFails, extra=extra)
    with Library(backend, HashingEmbedder(), max_words=60) as library:
        library.ingest([article(n) for n in range(5)])
        library.vector_index.wait()
        (said,) = maintenance_log(caplog)
        assert said.levelname == "WARNING" and said.exc_info is None  # no traceback
        assert said.getMessage().startswith(
            f"vector index maintenance: no space left on the disk of {tmp_path / 'idx'} ("
        )
        assert said.getMessage().endswith(
            "the writes are kept, and folding the log, merging the full-text index and saving a snapshot "
            "are tried again at the next write"
        )
        full.clear()
        failure.clear()  # room again
        library.ingest([article(n) for n in range(5, 10)])
        library.vector_index.wait()
        assert len(maintenance_log(caplog)) == 1
        if where == "snapshot":
            assert library.vector_index.snapshots_written == 1
    consistent(tmp_path / "idx")


def test_a_maintenance_failure_that_is_no_full_disk_keeps_its_traceback(tmp_path, caplog):
    failure = [OSError(5, "Input/output error")]
    backend = VectorsOfKind(
        tmp_path / "idx", snapshot_every=(3, 3), kind=SnapshotWriteFails, extra=dict(failure=failure)
    )
    with Library(backend, HashingEmbedder(), max_words=60) as library:
        library.ingest([article(n) for n in range(5)])
        library.vector_index.wait()
    (said,) = maintenance_log(caplog)
    assert said.levelname == "ERROR" and said.getMessage() == "vector index maintenance failed"
    assert said.exc_info is not None and said.exc_info[1] is failure[0]
