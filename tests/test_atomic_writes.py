"""An interrupted write leaves the previous state intact and loadable."""

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import faiss
import pytest

from index.directory import DATABASE, write_snapshot
from index.documents import parse_text
from index.library import Library
from index.manifest import write_atomic
from index.storage import LocalBackend
from index.store import SENTENCE_SLOTS, Store
from tests.conftest import ROOT, HashingEmbedder


def article(n: int) -> object:
    return parse_text(f"titre: Article {n}\n\nLe conseil numéro {n} a voté la mesure {n} mardi. Elle entre en vigueur.")


def consistent(directory) -> tuple[int, int]:
    """Open the index as a new process would: every passage has its sentences' vectors, in
    the database and in the vector index, and nothing else is there; the full-text index
    agrees with the passages' terms (SQLite's own check of it: whatever merging was under way
    when a process died)."""
    library = Library(directory, HashingEmbedder(), max_words=60)
    store = Store(directory / DATABASE)
    with store.read():
        stored = store.passage_ids()
        keys, _ = store.sentence_vectors(stored, HashingEmbedder.dimension)
    # A write of its own, after the reading: the library's maintenance may have committed a
    # merge step meanwhile, and a reading transaction cannot become a writing one after that.
    with store.write():
        store._db.execute("INSERT INTO passage_terms(passage_terms) VALUES ('integrity-check')")  # raises if not
    store.close()
    assert sorted(set((keys // SENTENCE_SLOTS).tolist())) == stored
    assert sorted(library.vector_index.held_keys().tolist()) == sorted(keys.tolist())
    articles, passages = library.stats().articles, library.stats().passages
    library.close()
    return articles, passages


class DiskFullStore(Store):
    """A store whose disk fills up when the `fail_at`-th article is written."""

    def __init__(self, path, fail_at: int, **options) -> None:
        super().__init__(path, **options)
        self.fail_at, self.written = fail_at, 0

    def add_article(self, article, vectors):
        self.written += 1
        if self.written == self.fail_at:
            raise OSError("disque plein")
        return super().add_article(article, vectors)


@dataclass(frozen=True)
class DiskFullAt(LocalBackend):
    fail_at: int = 2

    def open_store(self, directory, **options):
        return DiskFullStore(directory / DATABASE, self.fail_at, **options)


def test_a_failure_inside_the_transaction_changes_nothing(tmp_path):
    library = Library(DiskFullAt(tmp_path / "idx", fail_at=2), HashingEmbedder(), max_words=60)
    library.ingest([article(1)])
    with pytest.raises(OSError, match="disque plein"):
        library.ingest([article(2), article(3)])  # the second article written fails: the batch is undone
    library.close()
    assert consistent(tmp_path / "idx") == (1, 1)
    library = Library(tmp_path / "idx", HashingEmbedder(), max_words=60)
    assert library.ask("conseil numéro 1").results[0].article.title == "Article 1"
    assert [r.status for r in library.ingest([article(2)])] == ["added"]
    library.close()


def test_a_snapshot_that_fails_while_it_is_streamed_leaves_the_previous_one_whole(tmp_path):
    """Snapshots are streamed from the index into their file (never held serialised in memory):
    a failure halfway leaves the snapshot in place as it was, and no partial file beside it."""
    path = tmp_path / "vectors.faiss"
    write_atomic(path, b"the previous snapshot")

    def half_then_failure(file) -> None:
        file.write(b"half of the next")
        raise OSError("disque plein")

    with pytest.raises(OSError):
        write_atomic(path, half_then_failure)
    assert path.read_bytes() == b"the previous snapshot"
    assert [p.name for p in tmp_path.iterdir()] == ["vectors.faiss"]


def test_files_written_atomically_get_the_modes_an_ordinary_write_gives(tmp_path):
    """Not the 0600 of a temporary file: a bot running as another user than the one who wrote
    them (a restore run by an administrator, a group sharing DATA_DIR) still reads them. A new
    file gets 0666 less the umask; a file written over keeps its mode, as `open(..., "w")` would."""
    previous = os.umask(0o027)
    try:
        write_atomic(tmp_path / "manifest.json", b"{}")
        snapshot = write_snapshot(tmp_path, "0a", 1, faiss.IndexFlatIP(4))
        (tmp_path / "kept.json").write_bytes(b"{}")
        (tmp_path / "kept.json").chmod(0o664)
        write_atomic(tmp_path / "kept.json", b"[]")
    finally:
        os.umask(previous)
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in tmp_path.iterdir()}
    assert modes == {"manifest.json": 0o640, snapshot.name: 0o640, "kept.json": 0o664}


def test_vectors_written_before_a_snapshot_are_replayed_when_the_library_opens(tmp_path):
    often = LocalBackend(tmp_path / "idx", snapshot_every=(3, 3))  # a snapshot every third change
    library = Library(often, HashingEmbedder(), max_words=60)
    library.ingest([article(n) for n in range(4)])
    library.close()  # waits for the snapshot
    library = Library(often, HashingEmbedder(), max_words=60)
    library.ingest([article(n) for n in range(4, 6)])  # after the snapshot: in the log only
    library.delete(1)
    assert [p.name for p in (tmp_path / "idx").glob("vectors-*.faiss")]
    assert consistent(tmp_path / "idx") == (5, 5)
    assert library.ask("conseil numéro 5").results[0].article.title == "Article 5"
    library.close()


def test_killing_an_ingest_midway_leaves_a_loadable_library(tmp_path):
    directory = tmp_path / "idx"
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from tests.conftest import HashingEmbedder
        from tests.test_atomic_writes import article
        from index.library import Library
        # one commit per article, so the kill lands between and inside them
        library = Library({str(directory)!r}, HashingEmbedder(), max_words=60, batch_sentences=1)

        def articles():
            for n in range(100_000):
                if n == 50:  # read as they are written, one commit each: the 50 before it are in
                    print("writing", flush=True)
                yield article(n)

        library.ingest(articles())
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, cwd=ROOT)
    assert process.stdout.readline().strip() == b"writing"  # rather than a fixed 2 s, which took 1.5 s more
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    articles, passages = consistent(directory)
    assert 0 < articles < 100_000 and passages == articles


def test_vectors_and_rows_agree_after_adds_and_deletes(fast_library):
    fast_library.ingest([article(n) for n in range(5)])
    fast_library.delete(2)
    fast_library.delete(4)
    assert consistent(fast_library.directory) == (3, 3)
    assert len(set((fast_library.vector_index.held_keys() // SENTENCE_SLOTS).tolist())) == 3


REINDEXER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from tests.conftest import HashingEmbedder
    from index.library import Library
    library = Library({directory!r}, HashingEmbedder(), max_words=60, batch_sentences=1)  # progress per article
    print("ready", flush=True)
    library.reindex(lambda done, total: time.sleep(0.01))
    print("done", flush=True)
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [0.3, 0.9, 1.6, 2.4])
def test_killing_a_reindex_at_any_moment_keeps_every_article(tmp_path, kill_after):
    directory = tmp_path / "idx"
    library = Library(directory, HashingEmbedder(), max_words=60)
    library.ingest([article(n) for n in range(150)])
    library.close()
    script = REINDEXER.format(root=str(ROOT), directory=str(directory))
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, cwd=ROOT)
    assert process.stdout.readline().strip() == b"ready"
    time.sleep(kill_after)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert consistent(directory) == (150, 150)
    again = Library(directory, HashingEmbedder(), max_words=60)  # and a later reindex goes through
    assert again.reindex().articles == 150
    again.close()


@pytest.mark.slow
def test_killing_every_kind_of_write_keeps_every_acknowledged_write(tmp_path):
    """Two kills of each kind of work of the campaign (`python -m tests.crash_campaign`):
    ingest, delete, reindex and background compaction."""
    from tests.crash_campaign import KINDS, campaign

    trials = campaign(tmp_path, 2 * len(KINDS), seed=1, report=lambda line: None)
    assert [t.kind for t in trials] == list(KINDS) * 2
    assert all(t.acknowledged > 0 for t in trials)  # every kill landed after writes were made


def test_a_write_the_disk_has_no_room_for_fails_as_such_and_is_undone(tmp_path):
    """SQLite rolls a transaction back itself when the disk is full: the error said is that
    one (not "cannot rollback - no transaction is active"), and the connection writes again."""
    import sqlite3

    from index.connections import sqlite_transaction

    db = sqlite3.connect(tmp_path / "full.sqlite3", isolation_level=None)
    db.execute("CREATE TABLE t (x BLOB)")
    db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0] + 2}")
    with pytest.raises(sqlite3.OperationalError) as failed, sqlite_transaction(db):
        db.execute("INSERT INTO t VALUES (zeroblob(100000))")
    assert failed.value.sqlite_errorcode == sqlite3.SQLITE_FULL, failed.value
    assert not db.in_transaction
    with sqlite_transaction(db):
        db.execute("INSERT INTO t VALUES (1)")
    assert db.execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_a_lost_or_damaged_manifest_is_written_again_from_the_database(tmp_path):
    """The manifest is a copy: the database records what the library was built with. Written
    again from there, it still stops settings the stored vectors were not computed with."""
    from index.errors import IndexMismatch
    from index.manifest import MANIFEST, read_manifest

    directory = tmp_path / "idx"
    with Library(directory, HashingEmbedder(), max_words=60) as library:
        library.ingest([article(1), article(2)])
    for damage in (lambda path: path.write_bytes(b""), lambda path: path.write_bytes(b'{"model": "x"'), Path.unlink):
        damage(directory / MANIFEST)
        with pytest.raises(IndexMismatch, match="taille des passages"):  # never the settings stamped instead
            Library(directory, HashingEmbedder(), max_words=200)
        assert read_manifest(directory)["max_words"] == 60
        (directory / MANIFEST).unlink()
        with Library(directory, HashingEmbedder(), max_words=60) as library:
            assert [r.article.title for r in library.ask("Le conseil numéro 2 a voté la mesure", top_k=1).results] == [
                "Article 2"
            ]


def test_articles_whose_settings_nothing_says_are_not_given_the_settings_but_reindexed(tmp_path):
    """A library written before its database recorded its settings, its manifest lost:
    opening refuses (the stored vectors may come from another model) and says how to rebuild."""
    from index.errors import IndexCorrupted
    from index.manifest import MANIFEST

    directory = tmp_path / "idx"
    with Library(directory, HashingEmbedder(), max_words=60) as library:
        library.ingest([article(1), article(2)])
    store = Store(directory / DATABASE)
    store._db.execute("DELETE FROM meta WHERE key = 'config'")  # as such a library has it
    store.close()
    (directory / MANIFEST).unlink()
    for _ in range(2):
        with pytest.raises(IndexCorrupted, match="reconstruisez la bibliothèque à partir des articles enregistrés"):
            Library(directory, HashingEmbedder(), max_words=60)
    assert not (directory / MANIFEST).exists()
    with Library.rebuild(directory, HashingEmbedder(), max_words=60) as library:
        assert library.stats().articles == 2
    with Library(directory, HashingEmbedder(), max_words=60) as library:  # recorded from now on
        assert library.stats().articles == 2
