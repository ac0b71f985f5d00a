"""Several writers at once, in threads and in processes: every write a user was told
succeeded survives, duplicates are decided once, and the library stays consistent."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from filelock import Timeout

from index.analysis import ANALYZER_VERSION
from index.directory import DATABASE, write_lock
from index.library import Library
from index.manifest import IndexConfig
from index.reindex import rebuild
from index.storage import LocalBackend
from tests.conftest import ROOT, HashingEmbedder
from tests.test_atomic_writes import article, consistent


def new_library(directory, **options) -> Library:
    return Library(directory, HashingEmbedder(), max_words=60, **options)


def titles(library: Library) -> set[str]:
    return {a.title for a in library.articles()}


class RendezvousEmbedder(HashingEmbedder):
    """Holds every caller of `embed_passages` until `parties` of them are inside: the
    callers have all passed the duplicate check that comes before embedding."""

    def __init__(self, parties: int) -> None:
        self.barrier = threading.Barrier(parties, timeout=10)

    def embed_passages(self, texts, progress=None):
        self.barrier.wait()
        return super().embed_passages(texts, progress)


def test_a_batch_of_articles_all_stored_already_is_reported_without_waiting_for_a_writer(tmp_path):
    """A feed polled again finds only known entries: nothing to write, so no queue behind a
    writer (held here by the library's own write lock, as an ingest's write would)."""
    library = new_library(tmp_path / "idx")
    library.ingest([article(1), article(2)])
    outcomes = []
    with library._write_lock:
        polled_again = threading.Thread(target=lambda: outcomes.extend(library.ingest([article(1), article(2)])))
        polled_again.start()
        polled_again.join(timeout=30)
        waited_for_the_writer = polled_again.is_alive()
    polled_again.join()
    assert not waited_for_the_writer
    assert [o.status for o in outcomes] == ["duplicate", "duplicate"]
    library.close()


def test_the_same_article_ingested_twice_at_once_is_added_once_and_reported_as_a_duplicate(tmp_path):
    library = Library(tmp_path / "idx", RendezvousEmbedder(2), max_words=60)
    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda _: library.ingest([article(1)])[0], range(2)))
    assert sorted(o.status for o in outcomes) == ["added", "duplicate"]
    assert outcomes[0].article.id == outcomes[1].article.id
    library.close()
    assert consistent(tmp_path / "idx") == (1, 1)


class DeletingWhileEmbedding(HashingEmbedder):
    """Runs `meanwhile` (another process's delete) while it embeds, once."""

    def __init__(self, meanwhile) -> None:
        self.meanwhile = meanwhile

    def embed_passages(self, texts, progress=None):
        if self.meanwhile is not None:
            meanwhile, self.meanwhile = self.meanwhile, None
            meanwhile()
        return super().embed_passages(texts, progress)


def test_an_article_whose_duplicate_is_deleted_while_the_ingest_embeds_is_added_not_called_a_duplicate(tmp_path):
    other_process = new_library(tmp_path / "idx")
    (stored,) = other_process.ingest([replace(article(1), url="https://ex.fr/castors")])
    library = Library(
        tmp_path / "idx", DeletingWhileEmbedding(lambda: other_process.delete(stored.article.id)), max_words=60
    )
    again, other = library.ingest([replace(article(2), url="https://ex.fr/castors"), article(3)])
    assert again.status == other.status == "added"  # its twin was gone by the time it was written
    assert {a.title for a in library.articles()} == {"Article 2", "Article 3"}
    library.close()
    other_process.close()
    assert consistent(tmp_path / "idx") == (2, 2)


class WriterWhileEmbedding(HashingEmbedder):
    """Another model (nothing stored can be reused, as after `EMBEDDING_MODEL` changed): at
    each of its embeddings it notes whether another writer could get in, and, the first
    `articles` times, another process's writer adds an article meanwhile."""

    name = "test-hashing-other-model"

    def __init__(self, directory, articles: int) -> None:
        self.directory, self.articles = directory, articles
        self.writer = new_library(directory)
        self.pool = ThreadPoolExecutor(1)  # a thread of its own: the write lock is reentrant within one
        self.writers_shut_out = 0

    def embed_passages(self, texts, progress=None):
        if not self.pool.submit(self._write_lock_free).result(timeout=30):
            self.writers_shut_out += 1
        if self.articles:
            self.articles -= 1
            self.pool.submit(self.writer.ingest, [article(200 + self.articles)]).result(timeout=30)
        return super().embed_passages(texts, progress)

    def _write_lock_free(self) -> bool:
        lock = write_lock(self.directory)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return False
        lock.release()
        return True


def test_a_reindex_for_another_model_never_embeds_while_writers_wait(tmp_path):
    """Articles keep coming while the reindex embeds them, for more rounds than it takes
    before the write lock: it lets the lock go and embeds them first, every writer free."""
    new_library(tmp_path / "idx").ingest([article(n) for n in range(10)])
    embedder = WriterWhileEmbedding(tmp_path / "idx", articles=6)
    report = rebuild(
        LocalBackend(tmp_path / "idx"), embedder, IndexConfig(embedder.name, embedder.dimension, 60, ANALYZER_VERSION)
    )
    assert report.articles == 16 and report.added_meanwhile == 6
    assert embedder.writers_shut_out == 0
    embedder.writer.close()
    embedder.pool.shutdown()


def test_writes_while_a_reindex_runs_are_all_in_the_rebuilt_library(tmp_path):
    """The reindex pauses after copying what it first read; articles are then added and
    deleted; the rebuilt library has every added article and none of the deleted ones."""
    library = new_library(tmp_path / "idx", batch_sentences=1)  # progress after every article
    library.ingest([article(n) for n in range(10)])
    copied_some, writes_done = threading.Event(), threading.Event()

    def progress(done: int, total: int) -> None:
        copied_some.set()
        assert writes_done.wait(10)

    with ThreadPoolExecutor(1) as pool:
        reindexing = pool.submit(library.reindex, progress)
        assert copied_some.wait(10)
        added = [library.ingest([article(n)])[0] for n in range(100, 125)]
        deleted = [library.delete(article_id).id for article_id in (2, 3, 4)]
        writes_done.set()
        report = reindexing.result(timeout=60)
    assert all(a.status == "added" for a in added)
    assert (report.added_meanwhile, report.deleted_meanwhile) == (25, 3)
    assert {a.id for a in library.articles()} == set(range(1, 11)) - set(deleted) | {a.article.id for a in added}
    # Found by its terms and by its vectors (the test's hashing embedder ranks too roughly for
    # the fitted reordering to put it first; the words alone do).
    assert library.ask("conseil numéro 124", mode="lexical").results[0].article.title == "Article 124"
    assert "Article 124" in {r.article.title for r in library.ask("conseil numéro 124", mode="dense").results}
    library.close()
    assert consistent(tmp_path / "idx") == (32, 32)


def test_a_reindex_copies_every_article_with_the_link_it_was_stored_with(tmp_path):
    """A library whose links were made keys under an older rule ("…?id=1&=" where today's
    makes "…?id=1", another article's): the reindex keeps both, each with its own link."""
    library = new_library(tmp_path / "idx")
    first, second = (library.ingest([replace(article(n), url=f"https://ex.fr/page?id={n}")])[0] for n in (1, 2))
    with sqlite3.connect(tmp_path / "idx" / DATABASE) as older_rule:
        older_rule.execute("UPDATE articles SET url = 'https://ex.fr/page?id=1&=' WHERE id = ?", (second.article.id,))
    library.reindex()
    assert {a.id: a.url for a in library.articles()} == {
        first.article.id: "https://ex.fr/page?id=1",
        second.article.id: "https://ex.fr/page?id=1&=",
    }
    library.close()


def test_a_writer_racing_a_reindex_to_the_end_loses_nothing(tmp_path):
    """Writes keep coming until the reindex has swapped the new library in, whatever
    phase it is in when each lands."""
    library = new_library(tmp_path / "idx", batch_sentences=1)
    library.ingest([article(n) for n in range(40)])
    added: set[int] = set()
    deleted: set[int] = set()

    def write_until(done: threading.Event) -> None:
        for n in range(1000, 1300):  # bounded: at most 300 writes
            if done.is_set():
                return
            added.add(library.ingest([article(n)])[0].article.id)
            if n % 3 == 0:
                victim = min(added - deleted)
                library.delete(victim)
                deleted.add(victim)

    done = threading.Event()
    with ThreadPoolExecutor(1) as pool:
        writer = pool.submit(write_until, done)
        library.reindex(lambda d, t: threading.Event().wait(0.002))
        done.set()
        writer.result(timeout=60)
    assert added - deleted <= {a.id for a in library.articles()}
    assert not deleted & {a.id for a in library.articles()}
    assert len(added) > 1
    library.close()
    consistent(tmp_path / "idx")


def test_a_library_open_elsewhere_follows_a_reindex_and_writes_into_the_rebuilt_one(tmp_path):
    here = new_library(tmp_path / "idx")
    here.ingest([article(n) for n in range(5)])
    elsewhere = new_library(tmp_path / "idx")  # the same library, open as another process would
    elsewhere.reindex()
    here.ingest([article(99)])  # after the swap: into the new files, not the replaced ones
    here.delete(1)
    assert titles(elsewhere) == titles(here) == {f"Article {n}" for n in (1, 2, 3, 4, 99)}
    assert elsewhere.ask("conseil numéro 99").results[0].article.title == "Article 99"
    here.close()
    elsewhere.close()
    assert consistent(tmp_path / "idx") == (5, 5)


WRITER = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, {root!r})
    from tests.conftest import HashingEmbedder
    from tests.test_atomic_writes import article
    from index.library import Library
    library = Library({directory!r}, HashingEmbedder(), max_words=60)
    print("ready", flush=True)
    sys.stdin.readline()
    ids = [library.ingest([article(n)])[0].article.id for n in range({first}, {first} + {count})]
    library.close()
    print(json.dumps(ids), flush=True)
    """
)


def start_writer(directory, first: int, count: int) -> subprocess.Popen:
    script = WRITER.format(root=str(ROOT), directory=str(directory), first=first, count=count)
    process = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert process.stdout.readline().strip() == "ready"
    return process


def finish_writer(process: subprocess.Popen) -> list[int]:
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0
    return json.loads(output)


@pytest.mark.slow
def test_two_processes_ingesting_into_one_library_both_keep_every_article(tmp_path):
    directory = tmp_path / "idx"
    new_library(directory).close()
    writers = [start_writer(directory, first, 15) for first in (0, 100)]
    for process in writers:
        process.stdin.write("go\n")
        process.stdin.flush()
    ids = [i for process in writers for i in finish_writer(process)]
    assert len(set(ids)) == 30
    assert consistent(directory) == (30, 30)


@pytest.mark.slow
def test_another_process_ingesting_during_a_reindex_loses_nothing(tmp_path):
    directory = tmp_path / "idx"
    library = new_library(directory, batch_sentences=1)
    library.ingest([article(n) for n in range(30)])
    writer = start_writer(directory, 500, 15)
    started = threading.Event()

    def progress(done: int, total: int) -> None:
        if not started.is_set():
            started.set()
            writer.stdin.write("go\n")
            writer.stdin.flush()
        threading.Event().wait(0.02)  # a slower reindex, so that the writer lands during it

    library.reindex(progress)
    ids = finish_writer(writer)
    assert set(ids) <= {a.id for a in library.articles()}
    library.close()
    assert consistent(directory) == (45, 45)


def test_a_process_that_answers_for_long_hands_the_interpreter_to_questions_promptly(tmp_path):
    """The bot and the console chat (`ready_to_answer_for_long`): a question's Python gets the
    interpreter back from a writer's within half a millisecond instead of CPython's 5 (README,
    "Performance", measures questions under writes), and the library readies its ways for
    questions."""
    from bot.service import ready_to_answer_for_long

    readied = []

    class Embedder(HashingEmbedder):
        def prepare_for_questions(self, closing):
            readied.append(True)

    before = sys.getswitchinterval()
    with Library(tmp_path / "index", Embedder(), max_words=60) as library:
        try:
            ready_to_answer_for_long(library)
            assert sys.getswitchinterval() <= 0.0005
            library.vector_index.wait()
            library.ask("Qui dirige l'OTAN ?")
        finally:
            sys.setswitchinterval(before)
    assert readied == [True]
