"""A library and bot state on PostgreSQL when sessions are cut (a server restart, a failover,
an idle timeout, an administrator's `pg_terminate_backend`) and while a reindex runs: the
library is never lost, and every replica goes on serving."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.state import BotState
from index.errors import LibraryError
from index.library import Library
from index.pg_backend import PgBackend
from index.pg_store import APPLICATION_LOCK_KEY, connect
from tests.conftest import HashingEmbedder
from tests.test_atomic_writes import article

pytestmark = pytest.mark.slow


def cut_every_session(database_url: str) -> int:
    """What a server restart does to the sessions every replica keeps open."""
    with connect(database_url, vectors=False) as connection:
        return connection.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]


def library_schemas(database_url: str) -> list[str]:
    with connect(database_url, vectors=False) as connection:
        rows = connection.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'citebot_lib_%' ORDER BY 1")
        return [row[0] for row in rows]


def test_after_its_sessions_are_cut_a_replica_answers_writes_and_keeps_its_state_at_once(tmp_path, database_url):
    library = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    library.ingest([article(n) for n in range(3)])
    state = BotState.open(tmp_path / "bot.sqlite3", database_url)
    assert state.allow_question(42, 10)
    assert cut_every_session(database_url) >= 3  # the control row's, a store's, the write lock's, the state's
    assert library.ask("conseil numéro 2").results[0].article.title == "Article 2"
    assert state.allow_question(42, 10)
    outcome: list[str] = []
    writer = threading.Thread(target=lambda: outcome.append(library.ingest([article(7)])[0].status))
    writer.start()
    writer.join(60)
    assert outcome == ["added"]
    cut_every_session(database_url)
    assert library.ingest([article(8)])[0].status == "added"  # the write lock's session, opened again
    other = threading.Thread(target=lambda: outcome.append(library.ingest([article(9)])[0].status))
    other.start()
    other.join(60)
    assert outcome == ["added", "added"] and not other.is_alive()
    state.close()
    library.close()


class LockCutAtTheSwap(PgBackend):
    """A backend whose write-lock session is cut by the server just before, or just after,
    the reindex swaps the new library in (a real cut, chosen at that moment)."""

    def __init__(self, url: str, cut_after: bool) -> None:
        super().__init__(url)
        self.cut_after = cut_after

    def swap_in(self, target, config) -> None:
        if not self.cut_after:
            self._cut_lock_session()
        super().swap_in(target, config)
        if self.cut_after:
            self._cut_lock_session()

    def _cut_lock_session(self) -> None:
        session = self._write_lock._session.connection
        with connect(self.url, vectors=False) as connection:
            connection.execute("SELECT pg_terminate_backend(%s)", (session.info.backend_pid,))


@pytest.mark.parametrize("cut_after", [False, True], ids=["cut-before-the-swap", "cut-after-the-swap"])
def test_a_reindex_whose_lock_session_is_cut_never_loses_the_library(database_url, cut_after):
    library = Library(LockCutAtTheSwap(database_url, cut_after), HashingEmbedder(), max_words=60)
    library.ingest([article(n) for n in range(5)])
    (before,) = library_schemas(database_url)
    if cut_after:  # swapped already: the new library is in place and the reindex done
        assert library.reindex().articles == 5
        assert library_schemas(database_url) != [before]
    else:  # another writer may have come in: the reindex gives up, the library stays as it was
        with pytest.raises(Exception, match="terminating connection"):
            library.reindex()
        assert library_schemas(database_url) == [before]
    replica = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    assert replica.ask("conseil numéro 3").results[0].article.title == "Article 3"
    assert len(replica.articles()) == 5
    replica.reindex()  # and the next reindex works
    assert len(replica.articles()) == 5
    replica.close()
    library.close()


def reindex_lock_holder(database_url: str) -> int | None:
    """The server process whose session holds a reindex's lock, if one does."""
    from index.pg_store import REINDEX_LOCK_KEY

    with connect(database_url, vectors=False) as connection:
        row = connection.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND ((classid::bigint << 32) | objid::bigint) = %s",
            (REINDEX_LOCK_KEY,),
        ).fetchone()
    return row[0] if row else None


def test_a_reindex_whose_reindex_lock_session_is_cut_gives_up_before_the_swap(database_url):
    """A server restart or failover in the middle of a long rebuild: the rebuild's own sessions
    are opened again, but its lock went with the old one, and a second rebuild (another replica's
    /reindex) may be under way beside it, reading and dropping schemas. It must not swap its
    copy in as if it were the only one: it gives up, and the library stays as it was."""
    library = Library(PgBackend(database_url), HashingEmbedder(), max_words=60, batch_sentences=1)
    library.ingest([article(n) for n in range(5)])
    (before,) = library_schemas(database_url)
    cut: list[int] = []

    def cut_the_lock_once(done: int, total: int) -> None:
        if not cut:
            cut.append(reindex_lock_holder(database_url))
            with connect(database_url, vectors=False) as connection:
                connection.execute("SELECT pg_terminate_backend(%s)", (cut[0],))

    with pytest.raises(Exception, match="terminating connection"):
        library.reindex(cut_the_lock_once)
    assert cut[0] is not None and reindex_lock_holder(database_url) is None
    assert library_schemas(database_url) == [before]  # its copy discarded, the library in place
    assert [a.title for a in library.articles()] == [f"Article {n}" for n in range(5)]
    assert library.reindex().articles == 5  # and the next rebuild runs
    assert library.ask("conseil numéro 3").results[0].article.title == "Article 3"
    library.close()


def test_a_reindex_whose_reindex_lock_is_cut_as_it_swaps_leaves_the_library_to_the_next(database_url):
    """The narrowest moment: the swap has begun (another session holds the control row, so
    the swap's update waits) when the reindex lock's session is cut and another replica's
    rebuild takes the lock. The swap must not land once the lock is gone: it fails with the
    session, and the library in place is the one the other rebuild reads."""
    from index.pg_backend import CONTROL
    from index.pg_store import REINDEX_LOCK_KEY

    library = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    library.ingest([article(n) for n in range(5)])
    (before,) = library_schemas(database_url)
    with (
        connect(database_url, vectors=False) as holder,
        connect(database_url, vectors=False) as other_replica,
        ThreadPoolExecutor(1) as threads,
    ):
        holder.execute("BEGIN")
        holder.execute(f"SELECT library FROM {CONTROL}.state FOR UPDATE")
        rebuilding = threads.submit(library.reindex)
        swapping = None
        for _ in range(600):
            row = other_replica.execute(  # not `holder`: a transaction sees the activity as it began
                "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE %s",
                (f"UPDATE {CONTROL}.state%",),
            ).fetchone()
            if row:
                swapping = row[0]
                break
            time.sleep(0.1)
        assert swapping is not None, "the swap never began"
        holder.execute("SELECT pg_terminate_backend(%s)", (reindex_lock_holder(database_url),))
        for _ in range(100):  # the lock goes with its session, at once or nearly
            if other_replica.execute("SELECT pg_try_advisory_lock(%s)", (REINDEX_LOCK_KEY,)).fetchone()[0]:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the reindex lock was not let go with its session")
        holder.execute("COMMIT")  # the swap's update, were it still waiting, now goes through
        failed = rebuilding.exception(timeout=60)
        with connect(database_url, vectors=False) as connection:
            (in_place,) = connection.execute(f"SELECT library FROM {CONTROL}.state").fetchone()
        assert in_place == before and failed, "swapped in after its reindex lock was lost"
    replica = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    assert len(replica.articles()) == 5
    assert replica.reindex().articles == 5  # the other rebuild gone, the next one runs
    replica.close()
    library.close()


def test_a_library_gone_from_its_database_while_open_is_out_of_reach_not_made_again_empty(database_url):
    """The embedded library's folder gone from under a running bot, on PostgreSQL: the
    database emptied of the library (a restore gone wrong, a hand's DROP). The running library
    says it is out of reach; it does not make a new empty one, which would answer "rien
    trouvé" and keep what is written meanwhile where the real one's return would hide it."""
    from index.errors import DatabaseUnavailable
    from index.pg_backend import CONTROL

    library = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    library.ingest([article(n) for n in range(2)])
    with connect(database_url, vectors=False) as connection:
        connection.execute(f"DROP SCHEMA {CONTROL} CASCADE")
    with pytest.raises(DatabaseUnavailable, match="n'est plus dans la base"):
        library.ask("conseil numéro 1")
    with pytest.raises(DatabaseUnavailable):
        library.ingest([article(7)])
    with connect(database_url, vectors=False) as connection:
        assert connection.execute("SELECT to_regnamespace(%s)", (CONTROL,)).fetchone()[0] is None
    library.close()


def test_a_write_let_in_by_a_write_lock_cut_as_the_reindex_swaps_is_never_lost(database_url):
    """The write lock's twin of the narrowest moment above: the swap has begun (its update
    waits for the control row) when the session holding the write lock is cut, and another
    replica, let in by the lock's loss, writes an article. It must not land in the library
    being replaced, where the swap would lose it: it is refused, as a library out of reach for
    a moment, and sent again it lands in the new library."""
    from index.errors import DatabaseUnavailable
    from index.pg_backend import CONTROL

    library = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    library.ingest([article(n) for n in range(5)])
    other_replica = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    with connect(database_url, vectors=False) as holder, connect(database_url, vectors=False) as watcher:
        holder.execute("BEGIN")
        holder.execute(f"SELECT library FROM {CONTROL}.state FOR UPDATE")
        rebuilding = threading.Thread(target=library.reindex)
        rebuilding.start()
        for _ in range(600):
            if watcher.execute(
                "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE %s",
                (f"UPDATE {CONTROL}.state%",),
            ).fetchone():
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the swap never began")
        holder.execute(
            "SELECT pg_terminate_backend(%s)", (library.backend._write_lock._session.connection.info.backend_pid,)
        )
        outcome: list[object] = []

        def write_elsewhere() -> None:
            try:
                outcome.append(other_replica.ingest([article(7)])[0].status)
            except Exception as exc:
                outcome.append(exc)

        writer = threading.Thread(target=write_elsewhere)
        writer.start()
        writer.join(5)  # let in by the lost lock, it waits for the swap's commit
        holder.execute("COMMIT")  # the swap's update goes through
        rebuilding.join(60)
        writer.join(60)
        assert not rebuilding.is_alive() and not writer.is_alive()
    (refused,) = outcome  # before this was closed: "added", into the library being replaced
    assert isinstance(refused, DatabaseUnavailable), refused
    assert other_replica.ingest([article(7)])[0].status == "added"
    assert sorted(a.title for a in library.articles()) == sorted([f"Article {n}" for n in range(5)] + ["Article 7"])
    other_replica.close()
    library.close()


def advisory_waiters(watcher, key: int) -> list[int]:
    """The server processes whose sessions wait for the advisory lock `key`."""
    return [
        pid
        for (pid,) in watcher.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND ((classid::bigint << 32) | objid::bigint) = %s",
            (key,),
        ).fetchall()
    ]


def wait_for(condition: Callable[[], bool], what: str) -> None:
    for _ in range(600):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what}: never")


def test_a_reindex_whose_write_lock_is_lost_after_its_first_check_gives_up_the_swap(database_url):
    """The write lock's session cut in the narrowest moment: after the swap's first check of
    it (its session answers), while the swap's update waits for the lock every write
    transaction takes. The swap checks the write lock again once it has that lock, finds it
    gone (another writer may have been let in) and gives up: the library in place stays, whole,
    and the next reindex runs. Made on cue by other sessions holding the locks the reindex
    waits for: the library's write lock (as another replica's writer), and the write
    transactions' lock, queued so that the reindex's last write to its copy passes first."""
    from index.errors import DatabaseUnavailable
    from index.pg_backend import CONTROL
    from index.pg_store import LIBRARY_LOCK_KEY, WRITE_LOCK_KEY

    library = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    library.ingest([article(n) for n in range(5)])
    (before,) = library_schemas(database_url)
    writer = library.backend._write_lock._session.connection.info.backend_pid  # the write lock's session
    with (
        connect(database_url, vectors=False) as watcher,
        connect(database_url, vectors=False) as other_writer,
        connect(database_url, vectors=False) as first,
        connect(database_url, vectors=False) as second,
        ThreadPoolExecutor(2) as threads,
    ):
        other_writer.execute("SELECT pg_advisory_lock(%s)", (LIBRARY_LOCK_KEY,))
        rebuilding = threads.submit(library.reindex)
        wait_for(lambda: writer in advisory_waiters(watcher, LIBRARY_LOCK_KEY), "the reindex's first write lock")
        other_writer.execute("SELECT pg_advisory_unlock(%s)", (LIBRARY_LOCK_KEY,))
        other_writer.execute("SELECT pg_advisory_lock(%s)", (LIBRARY_LOCK_KEY,))  # once the reindex has let it go
        wait_for(lambda: writer in advisory_waiters(watcher, LIBRARY_LOCK_KEY), "the copy made, the swap's write lock")
        first.execute("BEGIN")
        first.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        other_writer.execute("SELECT pg_advisory_unlock(%s)", (LIBRARY_LOCK_KEY,))
        wait_for(lambda: len(advisory_waiters(watcher, WRITE_LOCK_KEY)) == 1, "the copy's last write")
        second.execute("BEGIN")
        queued = threads.submit(second.execute, "SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        wait_for(lambda: len(advisory_waiters(watcher, WRITE_LOCK_KEY)) == 2, "the second session queued")
        first.execute("COMMIT")  # the copy's last write goes, then the second session takes the lock
        queued.result(timeout=30)
        swapping = reindex_lock_holder(database_url)  # the swap's update runs on the reindex lock's session
        wait_for(lambda: swapping in advisory_waiters(watcher, WRITE_LOCK_KEY), "the swap's update")
        watcher.execute("SELECT pg_terminate_backend(%s)", (writer,))
        wait_for(lambda: writer not in [pid for (pid,) in watcher.execute("SELECT pid FROM pg_locks")], "the cut")
        second.execute("COMMIT")  # the swap's update goes on, and checks the write lock again
        refused = rebuilding.exception(timeout=60)
    assert isinstance(refused, DatabaseUnavailable) and "perdu avant l'échange" in str(refused)
    with connect(database_url, vectors=False) as connection:
        (in_place,) = connection.execute(f"SELECT library FROM {CONTROL}.state").fetchone()
    assert in_place == before
    assert len(library.articles()) == 5
    assert library.reindex().articles == 5
    library.close()


def test_the_bot_keeps_counting_questions_while_a_reindex_runs(tmp_path, database_url):
    library = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    library.ingest([article(1)])
    state = BotState.open(tmp_path / "bot.sqlite3", database_url)
    allowed: list[bool] = []
    with library.backend.reindex_lock():  # held for a whole reindex (minutes, on a real library)
        asking = threading.Thread(target=lambda: allowed.append(state.allow_question(42, 10)))
        asking.start()
        asking.join(30)
        waited_for_the_reindex = asking.is_alive()
    asking.join()
    assert not waited_for_the_reindex and allowed == [True]
    state.close()
    library.close()


def test_a_state_write_waiting_for_another_replica_holds_up_no_read_of_the_state(tmp_path, database_url):
    state = BotState.open(tmp_path / "bot.sqlite3", database_url)
    state.add_feed("https://exemple.fr/rss", "Exemple", 30, None)
    other_replica = connect(database_url, vectors=False)
    other_replica.execute("BEGIN")  # in the middle of its own write
    other_replica.execute("SELECT pg_advisory_xact_lock(%s)", (APPLICATION_LOCK_KEY,))
    pool = ThreadPoolExecutor(2)
    try:
        waiting = pool.submit(state.add_feed, "https://exemple.fr/autre", "Autre", 30, None)
        for _ in range(100):  # bounded: until the write waits for the lock
            if lock_waiters(database_url):
                break
            time.sleep(0.05)
        assert lock_waiters(database_url) and not waiting.done()
        started = time.monotonic()
        read = pool.submit(state.feeds).result(timeout=15)
        read_in = time.monotonic() - started
    finally:  # the lock let go before the threads are waited for, whatever happened
        other_replica.execute("COMMIT")
        other_replica.close()
        pool.shutdown(wait=True)
    waiting.result(timeout=30)
    assert read_in < 1, read_in  # not held until the other replica's write ends
    assert [f.url for f in read] == ["https://exemple.fr/rss"]
    assert [f.url for f in state.feeds()] == ["https://exemple.fr/rss", "https://exemple.fr/autre"]
    state.close()


def lock_waiters(database_url: str) -> int:
    with connect(database_url, vectors=False) as connection:
        return connection.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        ).fetchone()[0]


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://citebot:s3cret@db.example:5432/citebot",
        "postgresql:///citebot?host=/run/postgresql&user=citebot&password=s3cret",
        "postgres://citebot@db.example/citebot?sslmode=require&sslpassword=s3cret",
    ],
)
def test_where_a_postgres_library_is_shown_never_holds_its_password(url):
    location = PgBackend(url).location
    assert "s3cret" not in location and "citebot" in location
    assert location.startswith(url.split(":", 1)[0] + "://")


class ReindexedAfterTheFirstAnswer:
    """A replica's searcher, while another replica reindexes (and drops the schema it
    replaced) right after this one's first answer of a batch."""

    def __init__(self, searcher, reindex) -> None:
        self.searcher, self.reindex = searcher, reindex

    def respelled(self, *args):
        return self.searcher.respelled(*args)

    def answer(self, *args):
        answer = self.searcher.answer(*args)
        if self.reindex is not None:
            reindex, self.reindex = self.reindex, None
            reindex()
        return answer


def test_a_batch_of_questions_outlasting_a_reindex_elsewhere_is_answered_to_its_end(database_url):
    writer = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    writer.ingest([article(n) for n in range(5)])
    replica = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)  # `ask --batch questions.txt`
    replica.searcher = ReindexedAfterTheFirstAnswer(replica.searcher, writer.reindex)
    (before,) = library_schemas(database_url)
    answers = replica.ask_many([f"conseil numéro {n}" for n in range(5)])
    assert library_schemas(database_url) != [before]  # replaced, and dropped, between two answers
    assert [a.results[0].article.title for a in answers] == [f"Article {n}" for n in range(5)]
    replica.close()
    writer.close()


def test_a_replica_s_connections_do_not_grow_with_each_reindex(database_url):
    library = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    library.ingest([article(n) for n in range(5)])
    with ThreadPoolExecutor(4) as workers:  # the bot's threads, each with its own connection

        def ask_from_every_worker() -> None:
            list(workers.map(lambda _: library.ask("conseil numéro 3"), range(16)))

        ask_from_every_worker()
        before = open_sessions(database_url)
        for _ in range(4):
            library.reindex()
            ask_from_every_worker()
        assert open_sessions(database_url, at_most=before) <= before
    library.close()
    assert open_sessions(database_url, at_most=0) == 0


def open_sessions(database_url: str, at_most: int | None = None) -> int:
    """The sessions open on the test database but this one's; with `at_most`, read again for up
    to five seconds until there are no more than that: a session a client has just closed stays
    in `pg_stat_activity` until its server process has ended (a moment later)."""
    for _ in range(50):
        with connect(database_url, vectors=False) as connection:
            sessions = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()[0]
        if at_most is None or sessions <= at_most:
            break
        time.sleep(0.1)
    return sessions


def test_replicas_starting_together_on_a_new_database_all_start(tmp_path, postgres_server):
    """Two replicas started at once on an empty database (`compose.yaml`'s) each create the
    extension, the schemas and the tables if missing: one must not fail on the other's
    (`duplicate key value violates unique constraint`, said as if pgvector were missing)."""
    failures: list[BaseException] = []
    for attempt in range(3):
        name = f"citebot_together_{attempt}"
        postgres_server.psql(f"CREATE DATABASE {name};")
        url = postgres_server.get_uri(name)
        together = threading.Barrier(4)

        def start(url=url, together=together) -> None:
            together.wait()
            library = Library(PgBackend(url), HashingEmbedder(), max_words=60)
            state = BotState.open(tmp_path / "unused.sqlite3", url)
            state.close()
            library.close()

        with ThreadPoolExecutor(4) as pool:
            for started in [pool.submit(start) for _ in range(4)]:
                if (error := started.exception()) is not None:
                    failures.append(error)
        postgres_server.psql(f"DROP DATABASE {name} WITH (FORCE);")
    assert failures == []


def refusal_of(url: str, sql: str, params: tuple = ()) -> str:
    """What the command line says of the error the server gives for `sql`."""
    from bot.postgres_refusals import postgres_refusal

    with connect(url, vectors=False) as connection:
        with pytest.raises(Exception) as raised:
            connection.execute(sql, params)
        return postgres_refusal(raised.value)


def test_a_statement_refused_for_the_server_s_timeouts_or_full_disk_is_not_told_as_a_lost_connection(database_url):
    # A statement_timeout or lock_timeout set on the database or its user (a managed server's
    # usual guard): psycopg raises an "operational" error, and the session is still there.
    slow = database_url + "&options=-c%20statement_timeout%3D50"
    said = refusal_of(slow, "SELECT pg_sleep(5)")
    assert said.startswith("PostgreSQL a interrompu l'opération, trop longue (canceling statement due to statement")
    assert "perdue" not in said
    holder = connect(database_url, vectors=False)
    holder.execute("SELECT pg_advisory_lock(%s)", (APPLICATION_LOCK_KEY,))  # another replica's write
    try:
        impatient = database_url + "&options=-c%20lock_timeout%3D50"
        said = refusal_of(impatient, "SELECT pg_advisory_lock(%s)", (APPLICATION_LOCK_KEY,))
    finally:
        holder.close()
    assert said.startswith("PostgreSQL n'a pas obtenu à temps un verrou (canceling statement due to lock timeout)")
    # The server's disk full (raised by the server with that class, as it raises it when a
    # table cannot grow): psycopg calls it "operational" too, yet there is nothing to retry.
    said = refusal_of(
        database_url,
        "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'disk_full', "
        "MESSAGE = 'could not extend file: No space left on device'; END $$",
    )
    assert said.startswith("le disque du serveur PostgreSQL est plein (could not extend file: No space left")
    session = connect(database_url, vectors=False)
    cut_every_session(database_url)
    from bot.postgres_refusals import postgres_refusal

    with pytest.raises(Exception) as raised:
        session.execute("SELECT 1")
    assert postgres_refusal(raised.value).startswith("la connexion à PostgreSQL a été perdue (")
    session.close()


class CutAfterTheFirstArticle(PgBackend):
    """A backend whose store has every session cut by the server (a restart, a failover) once
    the first article of a write is in, before the write commits."""

    cut = False

    def open(self, dimension, maintenance=None):
        store, vectors = super().open(dimension, maintenance)
        backend, add_article = self, store.add_article

        def added_then_cut(*args):
            written = add_article(*args)
            if backend.cut:
                backend.cut = False
                cut_every_session(backend.url)
            return written

        store.add_article = added_then_cut
        return store, vectors


def test_an_ingest_whose_session_is_cut_before_its_commit_adds_nothing_and_says_why(database_url):
    backend = CutAfterTheFirstArticle(database_url)
    library = Library(backend, HashingEmbedder(), max_words=60)
    library.ingest([article(n) for n in range(3)])
    backend.cut = True
    with pytest.raises(Exception, match="terminating connection") as raised:  # the server's words
        library.ingest([article(10), article(11)])
    assert "connection is closed" not in str(raised.value)
    assert [a.title for a in library.articles()] == [f"Article {n}" for n in range(3)]  # none half-added
    assert [r.status for r in library.ingest([article(10), article(11)])] == ["added", "added"]
    assert library.ask("conseil numéro 11").results[0].article.title == "Article 11"
    library.close()


def test_a_server_that_refuses_a_connection_says_why_not_that_it_is_out_of_reach(postgres_server, database_url):
    """No room for one more session, a database it does not have: each is said as it is, with
    what to do, where "injoignable" would send the admin looking for a server that is up."""
    from urllib.parse import urlsplit, urlunsplit

    from index.errors import DatabaseUnavailable

    parts = urlsplit(database_url)
    missing = urlunsplit(parts._replace(path="/citebot_absente"))
    with pytest.raises(DatabaseUnavailable, match="la base PostgreSQL n'existe pas"):
        connect(missing)
    postgres_server.psql("DROP ROLE IF EXISTS citebot_limited; CREATE ROLE citebot_limited LOGIN CONNECTION LIMIT 1;")
    limited = urlunsplit(parts._replace(netloc=f"citebot_limited@{parts.hostname or ''}"))
    try:
        with (
            connect(limited, vectors=False),
            pytest.raises(DatabaseUnavailable, match="PostgreSQL refuse une connexion de plus"),
        ):
            connect(limited, vectors=False)
    finally:
        postgres_server.psql("DROP ROLE IF EXISTS citebot_limited;")


@pytest.fixture
def password_role(postgres_server):
    """A role the server asks a password of (the test server trusts every other one): its name
    and password, the line of `pg_hba.conf` that asks it removed afterwards."""
    hba = postgres_server.pgdata / "pg_hba.conf"
    trusting = hba.read_text()
    postgres_server.psql("DROP ROLE IF EXISTS citebot_pw; CREATE ROLE citebot_pw LOGIN PASSWORD 'le-bon';")
    hba.write_text("local all citebot_pw scram-sha-256\n" + trusting)
    postgres_server.psql("SELECT pg_reload_conf();")
    yield "citebot_pw", "le-bon"
    hba.write_text(trusting)
    postgres_server.psql("SELECT pg_reload_conf();")
    postgres_server.psql("DROP ROLE IF EXISTS citebot_pw;")


def test_a_password_wrong_or_missing_is_said_as_a_refused_login(database_url, password_role):
    """A DATABASE_URL without the password (forgotten, or in a secret not mounted) reached a
    server that was up, and was told as "injoignable": the admin went looking for a network fault."""
    from urllib.parse import urlsplit, urlunsplit

    from index.errors import DatabaseUnavailable

    role, password = password_role
    parts = urlsplit(database_url)
    for netloc in (f"{role}:mauvais@{parts.hostname or ''}", f"{role}@{parts.hostname or ''}"):
        with pytest.raises(DatabaseUnavailable) as raised:
            connect(urlunsplit(parts._replace(netloc=netloc)))
        said = str(raised.value)
        assert said.startswith("PostgreSQL refuse l'identification (citebot_pw@"), said
        assert "vérifiez l'utilisateur et le mot de passe" in said and "mauvais" not in said
    connect(urlunsplit(parts._replace(netloc=f"{role}:{password}@{parts.hostname or ''}")), vectors=False).close()


def test_an_owner_who_may_not_create_the_pgvector_extension_is_told_who_may(postgres_server, password_role):
    """The usual self-hosted setup: the database belongs to the bot's role, which is no
    superuser, and pgvector (not a trusted extension) needs one to be created."""
    from index.errors import DatabaseUnavailable

    role, password = password_role
    postgres_server.psql(f"CREATE DATABASE citebot_owned OWNER {role};")
    try:
        url = postgres_server.get_uri("citebot_owned").replace("postgres:", f"{role}:{password}", 1)
        with pytest.raises(DatabaseUnavailable) as raised:
            Library(PgBackend(url), HashingEmbedder(), max_words=60)
        said = str(raised.value)
        assert said.startswith("l'utilisateur citebot_pw n'a pas le droit de créer l'extension pgvector"), said
        assert '(permission denied to create extension "vector")' in said and "\n" not in said
        assert "CREATE EXTENSION vector" in said and "superutilisateur" in said
        postgres_server.psql("\\c citebot_owned\nCREATE EXTENSION vector;")  # done by an administrator
        library = Library(PgBackend(url), HashingEmbedder(), max_words=60)
        assert library.ingest([article(1)])[0].status == "added"
        library.close()
    finally:
        postgres_server.psql("DROP DATABASE citebot_owned WITH (FORCE);")


# What a DBA gives the bot's role (README, "PostgreSQL and several replicas"): the library's
# schemas, the tables and the sequences as they are, and the same for those a reindex makes.
BOT_ROLE_RIGHTS = """
GRANT USAGE ON SCHEMA citebot_control, citebot_bot, {library} TO {role};
GRANT SELECT ON citebot_control.state TO {role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA citebot_bot, {library} TO {role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA citebot_bot, {library} TO {role};
ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO {role};
ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role};
ALTER DEFAULT PRIVILEGES GRANT USAGE, SELECT ON SEQUENCES TO {role}
"""


@pytest.fixture
def bot_role(postgres_server, database_url):
    """A role that may log in and nothing more (no right to create schemas in the database):
    its URL on the test database."""
    from urllib.parse import urlsplit, urlunsplit

    postgres_server.psql("DROP ROLE IF EXISTS citebot_least; CREATE ROLE citebot_least LOGIN;")
    parts = urlsplit(database_url)
    yield urlunsplit(parts._replace(netloc=f"citebot_least@{parts.hostname or ''}"))
    with connect(database_url, vectors=False) as connection:
        connection.execute("DROP OWNED BY citebot_least")  # its rights, which the role's drop needs gone
    postgres_server.psql("DROP ROLE citebot_least;")


def test_a_bot_role_with_only_the_rights_it_uses_runs_on_the_library_set_up_for_it(tmp_path, database_url, bot_role):
    """`CREATE SCHEMA IF NOT EXISTS` checks the right to create schemas before it looks for the
    schema: a role without it could not start even on a library made for it."""
    owner = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)  # the DBA's first start
    owner.ingest([article(1)])
    BotState.open(tmp_path / "bot.sqlite3", database_url).close()
    (schema,) = library_schemas(database_url)
    with connect(database_url, vectors=False) as connection:
        for grant in BOT_ROLE_RIGHTS.format(library=schema, role="citebot_least").split(";"):
            connection.execute(grant)
    bot = Library(PgBackend(bot_role), HashingEmbedder(), max_words=60)
    state = BotState.open(tmp_path / "bot.sqlite3", bot_role)
    assert bot.ask("conseil numéro 1").results[0].article.title == "Article 1"
    assert [r.status for r in bot.ingest([article(2), article(3)])] == ["added", "added"]
    assert bot.delete(3).title == "Article 3"
    assert state.allow_question(42, 10)
    state.add_feed("https://exemple.fr/rss", "Exemple", 30, None)
    assert [f.url for f in state.feeds()] == ["https://exemple.fr/rss"]
    assert bot.stats().articles == 2
    owner.reindex()  # by the owner: the new schema gets the role's rights by default
    assert bot.ask("conseil numéro 2").results[0].article.title == "Article 2"
    assert bot.ingest([article(4)])[0].status == "added"
    state.close()
    bot.close()
    owner.close()


def test_a_lexicon_update_the_bot_s_role_may_not_make_is_refused_in_one_line_until_the_owner_makes_it(
    tmp_path, database_url, bot_role
):
    """The update writes the control row, which the bot's role only reads: refused, with what
    to do, nothing changed; the owner's next opening makes it, and the bot's role then opens."""
    from tests.test_lexicon_update import EARLIER, made_by_an_earlier_analysis

    with Library(PgBackend(database_url), HashingEmbedder(), max_words=60) as owner:
        owner.ingest([article(1)])
    BotState.open(tmp_path / "bot.sqlite3", database_url).close()  # the bot's schema, which the rights name
    (schema,) = library_schemas(database_url)
    with connect(database_url, vectors=False) as connection:
        for grant in BOT_ROLE_RIGHTS.format(library=schema, role="citebot_least").split(";"):
            connection.execute(grant)
    made_by_an_earlier_analysis(PgBackend(database_url))
    with pytest.raises(LibraryError, match="lancez une fois le bot avec le propriétaire de la base") as refused:
        Library(PgBackend(bot_role), HashingEmbedder(), max_words=60)
    assert "permission denied" in str(refused.value)
    assert PgBackend(database_url).manifest()["analyzer_version"] == EARLIER
    Library(PgBackend(database_url), HashingEmbedder(), max_words=60).close()  # the owner's start
    with Library(PgBackend(bot_role), HashingEmbedder(), max_words=60) as bot:
        assert bot.ask("conseil numéro 1", mode="lexical").results[0].article.title == "Article 1"


def test_an_admin_s_rebuild_that_postgresql_refuses_the_bot_s_role_says_why(tmp_path, database_url, bot_role):
    """/reindex by a bot whose role may not create schemas (a rebuild makes one): the admin reads
    PostgreSQL's refusal and what to do, where "la reconstruction a échoué" said nothing and the
    log held a traceback."""
    import asyncio

    from tests.fake_telegram import FakeTelegram
    from tests.telegram_in_process import ADMIN, TOKEN, bot_in_process, handle, private_message

    owner = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    owner.ingest([article(1)])
    BotState.open(tmp_path / "owner.sqlite3", database_url).close()  # the bot's schema, which the rights name
    (schema,) = library_schemas(database_url)
    with connect(database_url, vectors=False) as connection:
        for grant in BOT_ROLE_RIGHTS.format(library=schema, role="citebot_least").split(";"):
            connection.execute(grant)
    bot = Library(PgBackend(bot_role), HashingEmbedder(), max_words=60)

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, bot, tmp_path) as (application, _):
            await handle(application, private_message(ADMIN, "/reindex"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        status = telegram.wait_for_text(ADMIN, "Reconstruction impossible", timeout=30)
    assert "PostgreSQL refuse l'opération à cet utilisateur (permission denied" in status, status
    assert "GRANT CREATE ON DATABASE" in status
    assert bot.ask("conseil numéro 1").results[0].article.title == "Article 1"  # the library as it was
    bot.close()
    owner.close()


def test_a_bot_role_that_may_not_create_the_missing_schemas_is_told_so(tmp_path, database_url, bot_role):
    from index.errors import DatabaseUnavailable

    with connect(database_url, vectors=False) as connection:
        connection.execute("CREATE EXTENSION vector")  # an administrator's part, done
    with pytest.raises(DatabaseUnavailable) as raised:
        Library(PgBackend(bot_role), HashingEmbedder(), max_words=60)
    said = str(raised.value)
    assert said.startswith("il manque le schéma citebot_control dans la base PostgreSQL citebot_test_"), said
    assert "l'utilisateur citebot_least n'a pas le droit de le créer (permission denied for database" in said
    assert "GRANT CREATE ON DATABASE" in said and "« PostgreSQL and several replicas »" in said
    with pytest.raises(DatabaseUnavailable, match="il manque le schéma citebot_bot dans la base"):
        BotState.open(tmp_path / "bot.sqlite3", bot_role)
