"""The PostgreSQL backend beside the embedded one: the same ranking, the same guarantees
under concurrent writes and reindexes, and a library moved from one to the other
without embedding anything again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from bot.state import BotState
from index.analysis import ANALYZER_VERSION
from index.errors import AlreadyCopied, LibraryError
from index.library import Library
from index.manifest import IndexConfig
from index.pg_backend import PgBackend
from index.pg_store import connect
from index.reindex import BATCH_SENTENCES, copy_articles
from index.sources import parse_text
from index.storage import LocalBackend
from index.store import ArticleRow
from tests.conftest import ROOT, SAMPLE, HashingEmbedder
from tests.test_atomic_writes import article

pytestmark = pytest.mark.slow


class NoEmbedding(HashingEmbedder):
    """The hashing embedder's name and dimension, but embedding anything is a failure."""

    def embed_passages(self, texts, progress=None):
        raise AssertionError(f"{len(texts)} texts embedded again")


def articles_about_councils(count: int):
    return [article(n) for n in range(count)]


def test_both_backends_rank_lexical_search_alike(tmp_path, database_url):
    local = Library(tmp_path / "idx", HashingEmbedder(), max_words=60)
    remote = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    documents = articles_about_councils(30)
    local.ingest(documents)
    remote.ingest(documents)
    local.delete(4)
    remote.delete(4)
    for question in ("conseil numéro 7", "mesure votée mardi", "entre en vigueur", "numéro 4"):
        ours = local.ask(question, mode="lexical").results
        theirs = remote.ask(question, mode="lexical").results
        assert [r.passage_id for r in ours] == [r.passage_id for r in theirs]
    for terms in (["conseil", "7"], ["vigueur"], ["vot", "mardi"]):
        with local._current().store.read():
            sqlite = local._current().store.lexical_search(terms, 10)
        with remote._current().store.read():
            postgres = remote._current().store.lexical_search(terms, 10)
        assert [i for i, _ in sqlite] == [i for i, _ in postgres]
        assert np.allclose([s for _, s in sqlite], [s for _, s in postgres], rtol=1e-4)  # FTS5's bm25, in SQL
    # "Quoi de neuf ?": the latest by publication date, else by the day added, alike.
    dated = [parse_text(f"titre: Daté {y}\ndate: {y}-05-01\n\nLe port a rouvert en {y}.") for y in (2020, 2099)]
    local.ingest(dated)
    remote.ingest(dated)
    latest = [[a.title for a in library._current().store.latest_articles(3)] for library in (local, remote)]
    assert latest[0] == latest[1] == ["Daté 2099", "Article 29", "Article 28"]
    local.close()
    remote.close()


def test_the_same_questions_get_the_same_answers_on_both_backends(tmp_path, database_url, embedder, settings):
    """With the real model and the bot's settings, a library built in PostgreSQL answers as the
    embedded one: the same articles, the same quotes, the same verdict, for questions it
    answers, reworded ones and ones it must decline (tests/data/small-library)."""
    from bot.service import library_options
    from index.sources import read_file

    folder = ROOT / "tests" / "data" / "small-library"
    documents = [read_file(path, max_bytes=1_000_000) for path in sorted(folder.glob("*.txt"))]
    lines = (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines]
    storages = (tmp_path / "idx", PgBackend(database_url))
    libraries = [Library(storage, embedder, **library_options(settings)) for storage in storages]
    for library in libraries:
        library.ingest(documents)
    embedded, postgres = ([library.ask(q) for q in questions] for library in libraries)
    assert sum(a.found for a in embedded) >= 12 and not all(a.found for a in embedded)  # both verdicts met
    for question, ours, theirs in zip(questions, embedded, postgres, strict=True):
        assert ours.found == theirs.found, question
        assert [(r.article.id, r.quote) for r in ours.results] == [(r.article.id, r.quote) for r in theirs.results]
        assert theirs.relevance == pytest.approx(ours.relevance, abs=1e-3), question
    for library in libraries:
        library.close()


def test_writes_while_a_postgres_library_is_reindexed_are_all_kept(database_url):
    library = Library(PgBackend(database_url), HashingEmbedder(), max_words=60, batch_sentences=1)
    library.ingest(articles_about_councils(20))
    copied_some, writes_done = threading.Event(), threading.Event()

    def progress(done: int, total: int) -> None:
        if done >= 6:
            copied_some.set()
            assert writes_done.wait(30)

    reindex = threading.Thread(target=library.reindex, args=(progress,))
    reindex.start()
    assert copied_some.wait(30)
    added = [r.article.id for r in library.ingest([article(n) for n in range(100, 110)])]
    library.delete(3)
    writes_done.set()
    reindex.join(60)
    assert not reindex.is_alive()
    reopened = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    ids = {a.id for a in reopened.articles()}
    assert set(added) <= ids and 3 not in ids and len(ids) == 29
    assert reopened.ask("conseil numéro 105").results[0].article.title == "Article 105"
    assert reopened.stats().passages == 29
    reopened.close()
    library.close()


def test_a_second_reindex_of_a_postgres_library_is_refused(database_url):
    from index.errors import ReindexRunning

    library = Library(PgBackend(database_url), HashingEmbedder(), max_words=60, batch_sentences=1)
    library.ingest(articles_about_councils(10))
    started, release = threading.Event(), threading.Event()

    def progress(done: int, total: int) -> None:
        started.set()
        assert release.wait(30)

    first = threading.Thread(target=library.reindex, args=(progress,))
    first.start()
    assert started.wait(30)
    other = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    with pytest.raises(ReindexRunning):
        other.reindex()
    release.set()
    first.join(60)
    assert other.ask("conseil numéro 2").results[0].article.title == "Article 2"  # follows the swap
    other.close()
    library.close()


def test_an_embedded_library_moves_to_postgres_without_embedding_again(tmp_path, database_url):
    local = Library(tmp_path / "idx", HashingEmbedder(), max_words=60)
    local.ingest(articles_about_councils(12))
    local.delete(5)
    local.close()
    config = IndexConfig(HashingEmbedder.name, HashingEmbedder.dimension, 60, ANALYZER_VERSION)
    report = copy_articles(LocalBackend(tmp_path / "idx"), PgBackend(database_url), NoEmbedding(), config)
    assert (report.articles, report.passages, report.embedded) == (11, 11, 0) and report.reused == 22
    local = Library(tmp_path / "idx", HashingEmbedder(), max_words=60)
    remote = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    assert [a.id for a in remote.articles()] == [a.id for a in local.articles()]  # ids kept
    assert remote.ask("conseil numéro 9").results[0].article.id == local.ask("conseil numéro 9").results[0].article.id
    with remote._current().store.read():
        moved = dict(zip(*[np.concatenate(x) for x in zip(*remote._current().store.iter_vectors(64))]))
    assert len(moved) == 22
    with pytest.raises(AlreadyCopied, match="déjà ces 11 articles"):  # the same ones: copied already
        copy_articles(LocalBackend(tmp_path / "idx"), PgBackend(database_url), NoEmbedding(), config)
    remote.ingest([article(40)])
    with pytest.raises(LibraryError, match="pas vide") as refused:  # a library of its own: never overwritten
        copy_articles(LocalBackend(tmp_path / "idx"), PgBackend(database_url), NoEmbedding(), config)
    assert not isinstance(refused.value, AlreadyCopied) and len(remote.articles()) == 12
    local.close()
    remote.close()


def test_a_migrated_library_never_gives_an_id_the_embedded_one_gave(tmp_path, database_url):
    local = Library(tmp_path / "idx", HashingEmbedder(), max_words=60)
    local.ingest(articles_about_councils(4))
    place = local.ask("conseil numéro 3").topic  # a conversation's place in article 4
    local.delete(4)  # the last one: its id, and its passage's, were given all the same
    config = local.config
    local.close()
    copy_articles(LocalBackend(tmp_path / "idx"), PgBackend(database_url), NoEmbedding(), config)
    remote = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    assert remote.ingest([article(50)])[0].article.id == 5
    assert remote.ask("La suite ?", topic=place).results == []  # names nothing, not another's passage
    remote.close()


def test_an_interrupted_migration_leaves_the_target_empty_and_can_be_run_again(tmp_path, database_url):
    local = Library(tmp_path / "idx", HashingEmbedder(), max_words=60)
    local.ingest(articles_about_councils(1100))  # two sentences each: more than one batch of the copy
    config = local.config
    local.close()

    def interrupted(done: int, total: int) -> None:
        if done > BATCH_SENTENCES:  # the first batch written, the second under way: Ctrl-C
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        copy_articles(LocalBackend(tmp_path / "idx"), PgBackend(database_url), NoEmbedding(), config, interrupted)
    remote = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    assert remote.articles() == []
    report = copy_articles(LocalBackend(tmp_path / "idx"), PgBackend(database_url), NoEmbedding(), config)
    assert report.articles == 1100 and len(remote.articles(limit=None)) == 1100
    remote.close()


# A migration's copy run in a process of its own, killed (SIGKILL) when its first batch is
# written and the second under way: no Ctrl-C handler, no `finally`, the staging schema left.
KILLED_WHILE_COPYING = """
import os, signal, sys
from index.analysis import ANALYZER_VERSION
from index.manifest import IndexConfig
from index.pg_backend import PgBackend
from index.reindex import BATCH_SENTENCES, copy_articles
from index.storage import LocalBackend
from tests.test_backends import NoEmbedding

def killed(done, total):
    if done > BATCH_SENTENCES:
        os.kill(os.getpid(), signal.SIGKILL)

config = IndexConfig(NoEmbedding.name, NoEmbedding.dimension, 60, ANALYZER_VERSION)
copy_articles(LocalBackend(sys.argv[1]), PgBackend(sys.argv[2]), NoEmbedding(), config, killed)
"""


def test_a_migration_killed_while_it_copies_leaves_both_libraries_and_runs_again(tmp_path, database_url):
    local = Library(tmp_path / "idx", HashingEmbedder(), max_words=60)
    local.ingest(articles_about_councils(1100))  # two sentences each: more than one batch of the copy
    before = [(a.id, a.title) for a in local.articles()]
    config = local.config
    local.close()
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WHILE_COPYING, str(tmp_path / "idx"), database_url],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert killed.returncode == -9, killed.stderr
    with connect(database_url, vectors=False) as connection:  # the copy's half-filled schema, left behind
        assert len(connection.execute("SELECT 1 FROM pg_namespace WHERE nspname LIKE 'citebot_lib_%'").fetchall()) == 2
    remote = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    assert remote.articles() == []  # nothing half-copied in the library in place
    local = Library(tmp_path / "idx", HashingEmbedder(), max_words=60)
    assert [(a.id, a.title) for a in local.articles()] == before  # the source untouched
    local.close()
    report = copy_articles(LocalBackend(tmp_path / "idx"), PgBackend(database_url), NoEmbedding(), config)
    assert report.articles == 1100 and [(a.id, a.title) for a in remote.articles()] == before
    assert remote.ask("conseil numéro 1042").results[0].article.title == "Article 1042"
    with connect(database_url, vectors=False) as connection:  # the killed copy's schema dropped
        assert len(connection.execute("SELECT 1 FROM pg_namespace WHERE nspname LIKE 'citebot_lib_%'").fetchall()) == 1
    remote.close()


# `python -m bot migrate` killed (SIGKILL) once the library is copied, before the bot's state is.
KILLED_BEFORE_THE_STATE = """
import os, signal, sys
import bot.state.database
bot.state.database.copy_state = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
from bot.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_migration_killed_before_the_bot_state_is_copied_copies_it_when_run_again(
    tmp_path, database_url, run, run_here
):
    assert run_here("ingest", str(SAMPLE)).returncode == 0
    state = BotState.open(tmp_path / "data" / "bot.sqlite3")
    feed, _ = state.add_feed("https://journal.example/rss", "Le Journal", 30, None)
    state.close()
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_BEFORE_THE_STATE, "migrate", "--to", database_url],
        env=run.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert killed.returncode == -9, killed.stderr
    again = run_here("migrate", "--to", database_url)
    # Not refused as a library that is not empty: it is this one, and the state follows it.
    assert again.returncode == 0, again.stderr
    assert "déjà copiée" in again.stdout and "1 article" in again.stdout and "1 flux suivi" in again.stdout
    state = BotState.open(tmp_path / "unused.sqlite3", database_url)
    assert [f.url for f in state.feeds()] == [feed.url]
    state.close()
    other = BotState.open(tmp_path / "data" / "bot.sqlite3")
    other.add_feed("https://autre.example/rss", "L'Autre", 30, None)
    other.close()
    third = run_here("migrate", "--to", database_url)  # done already: nothing copied twice
    assert third.returncode == 0 and "déjà copiée" in third.stdout, third.stderr
    assert "État du bot non copié" in third.stderr
    state = BotState.open(tmp_path / "unused.sqlite3", database_url)
    assert [f.url for f in state.feeds()] == [feed.url]
    state.close()


def test_migrate_and_ask_from_the_command_line(tmp_path, database_url, run_here):
    assert run_here("ingest", str(SAMPLE)).returncode == 0
    # The bot's state beside the library: a followed feed, an article an admin deleted.
    state = BotState.open(tmp_path / "data" / "bot.sqlite3")
    feed, _ = state.add_feed("https://journal.example/rss", "Le Journal", 30, None)
    deleted = ArticleRow(9, "Retiré", None, None, "https://journal.example/retire", None, "2025-01-01")
    state.article_deleted(deleted)
    state.close()
    moved = run_here("migrate", "--to", database_url)
    assert moved.returncode == 0, moved.stderr
    assert "1 article" in moved.stdout and "4 passages" in moved.stdout and "0 phrase" in moved.stdout
    # It goes along: the feed is still followed, and a feed listing the deleted article does not bring it back.
    assert "1 flux suivi" in moved.stdout and "1 article supprimé" in moved.stdout
    state = BotState.open(tmp_path / "unused.sqlite3", database_url)
    assert [f.url for f in state.feeds()] == [feed.url]
    assert state.deleted_links([deleted.url]) == {deleted.url}
    assert state.add_feed("https://autre.example/rss", "L'Autre", 30, None)[0].id == feed.id + 1
    state.close()
    question = "Qui est le secrétaire général de l'OTAN ?"
    here = json.loads(run_here("ask", question, "--json").stdout)
    there = json.loads(run_here("ask", question, "--json", extra_env={"DATABASE_URL": database_url}).stdout)
    assert there["found"] and [r["quote"] for r in there["results"]] == [r["quote"] for r in here["results"]]
    again = run_here("migrate", "--to", database_url)  # the same articles: copied already, not twice
    assert again.returncode == 0 and "déjà copiée" in again.stdout, again.stderr
    other = tmp_path / "autre.txt"
    other.write_text("titre: Un autre\n\nLe conseil municipal a voté le budget mardi soir.", encoding="utf-8")
    assert run_here("ingest", str(other), extra_env={"DATABASE_URL": database_url}).returncode == 0
    refused = run_here("migrate", "--to", database_url)  # a library of its own now: never overwritten
    assert refused.returncode == 2 and "pas vide (2 articles)" in refused.stderr


def test_a_database_user_without_the_right_to_create_schemas_is_told_so_in_french(
    tmp_path, postgres_server, database_url, model_cache
):
    postgres_server.psql("DROP ROLE IF EXISTS lecteur; CREATE ROLE lecteur LOGIN;")
    with connect(database_url, vectors=False) as connection:  # pgvector there, as an administrator would set up
        connection.execute("CREATE EXTENSION IF NOT EXISTS vector")
    reader_url = database_url.replace("postgres:", "lecteur:", 1)  # the server trusts its socket's users
    assert "lecteur:@" in reader_url
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATA_DIR": str(tmp_path), "MODEL_CACHE_DIR": str(model_cache)}
    stats = subprocess.run(
        [sys.executable, "-m", "bot", "stats"],
        env={**env, "DATABASE_URL": reader_url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert stats.returncode == 2 and "Traceback" not in stats.stderr, stats.stderr
    assert stats.stderr.startswith("erreur : il manque le schéma citebot_control dans la base PostgreSQL citebot_test_")
    assert "l'utilisateur lecteur n'a pas le droit de le créer (permission denied for database" in stats.stderr
    assert "GRANT CREATE ON DATABASE" in stats.stderr


def test_a_postgres_reindex_finishes_while_a_reader_waits_on_one_queued_behind_it(database_url):
    # Dropping the replaced schema waits for its readers, and PostgreSQL queues every new read
    # of those tables behind that drop. A reader that must wait for such a read before it
    # finishes (the threads of one process waiting on each other: a wait PostgreSQL cannot see)
    # would hold the drop, and the reindex, for ever; the drop gives way and tries again.
    library = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    library.ingest(articles_about_councils(5))
    old = library.backend.source_store(library.config.dimension)
    late = library.backend.source_store(library.config.dimension)
    reindex = threading.Thread(target=library.reindex)
    late_read_done = threading.Event()

    def late_read() -> None:
        with late.read():
            late.get_passages([1])
        late_read_done.set()

    with old.read():
        old.get_passages([1])  # the old schema's tables, held until this reader finishes
        reindex.start()
        assert wait_until(lambda: drop_waiting(database_url), 60), "the reindex never reached its drop"
        reader = threading.Thread(target=late_read)
        reader.start()
        finished = late_read_done.wait(30)  # what this reader waits for before it finishes
    reader.join(60)
    reindex.join(60)
    assert finished, "a read queued behind the drop of the replaced schema waited for it"
    assert not reindex.is_alive() and not reader.is_alive()
    assert {a.id for a in library.articles()} == {1, 2, 3, 4, 5}
    old.close()
    late.close()
    with connect(database_url, vectors=False) as connection:  # dropped once its readers finished
        assert not connection.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (old.schema,)).fetchall()
    library.close()


def test_writes_land_while_the_replaced_postgres_schema_waits_for_its_readers(database_url):
    # Once the new schema is swapped in, dropping the old one waits for the readers still in
    # it: writers, who write to the new one, do not wait with it.
    library = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    library.ingest(articles_about_councils(3))
    old = library.backend.source_store(library.config.dimension)
    reindex = threading.Thread(target=library.reindex)
    written = threading.Event()

    def write() -> None:
        library.ingest([article(200)])
        written.set()

    writer = threading.Thread(target=write)
    with old.read():
        old.get_passages([1])  # the old schema's tables, held until this reader finishes
        reindex.start()
        assert wait_until(lambda: drop_waiting(database_url), 60), "the reindex never reached its drop"
        writer.start()
        landed = written.wait(10)  # the drop, held by this reader, tries for half a minute
    writer.join(60)
    reindex.join(60)
    assert landed, "a write waited for the drop of the replaced schema"
    assert not reindex.is_alive() and not writer.is_alive()
    assert "Article 200" in {a.title for a in library.articles()}
    old.close()
    with connect(database_url, vectors=False) as connection:  # dropped once its reader finished
        assert not connection.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (old.schema,)).fetchall()
    library.close()


def drop_waiting(database_url: str) -> bool:
    with connect(database_url, vectors=False) as connection:
        return bool(
            connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'DROP SCHEMA%' AND wait_event_type = 'Lock'"
            ).fetchone()[0]
        )


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_postgres_reindex_drops_the_schemas_earlier_ones_left(database_url):
    # A reindex killed before its swap leaves its staging schema; one whose replaced schema
    # stayed in use leaves that one: the next reindex drops both kinds first.
    library = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    library.ingest(articles_about_councils(3))
    left = library.backend.staging_store(library.config)
    left.close()
    library.reindex()
    with connect(database_url, vectors=False) as connection:
        schemas = {r[0] for r in connection.execute("SELECT nspname FROM pg_namespace").fetchall()}
    assert left.schema not in schemas
    assert library.backend.manifest() and sum(s.startswith("citebot_lib_") for s in schemas) == 1
    assert {a.id for a in library.articles()} == {1, 2, 3}
    library.close()


def the_library_schema(database_url: str) -> str:
    with connect(database_url, vectors=False) as connection:
        return connection.execute("SELECT library FROM citebot_control.state").fetchone()[0]


def test_a_postgres_library_made_by_an_earlier_version_is_brought_up_to_date_when_opened(database_url):
    """The tables as the first PostgreSQL version made them (2026-11-29: no passage length
    beside each posting, no index for the latest articles), opened by this one: every lexical
    question and every write failed on the missing column until someone thought of a reindex."""
    library = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    library.ingest(articles_about_councils(5))
    library.close()
    schema = the_library_schema(database_url)
    with connect(database_url, vectors=False) as connection:
        connection.execute(f"ALTER TABLE {schema}.postings DROP COLUMN length")
        connection.execute(f"DROP INDEX {schema}.articles_latest")
    upgraded = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    assert upgraded.ask("conseil numéro 3", mode="lexical").results[0].article.title == "Article 3"
    assert upgraded.ingest([article(7)])[0].status == "added"
    assert upgraded.delete(3).title == "Article 2"
    assert upgraded.ask("conseil numéro 7").results[0].article.title == "Article 7"
    with connect(database_url, vectors=False) as connection:
        assert connection.execute("SELECT to_regclass(%s)", (f"{schema}.articles_latest",)).fetchone()[0]
    assert the_library_schema(database_url) == schema  # upgraded in place: nothing rebuilt
    upgraded.close()


def test_a_postgres_library_of_a_later_version_is_refused_and_left_as_it_is(database_url):
    """A bot rolled back to this version after a later one changed the tables: it says so, in
    one line, rather than failing at each question or writing rows the later version misreads."""
    library = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    library.ingest(articles_about_councils(3))
    library.close()
    with connect(database_url, vectors=False) as connection:
        connection.execute("UPDATE citebot_control.state SET schema_version = schema_version + 1")
    with pytest.raises(LibraryError) as refused:
        Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    said = str(refused.value)
    assert said.startswith("la bibliothèque de cette base PostgreSQL a été écrite par une version plus récente"), said
    assert "mettez le bot à jour" in said
    with connect(database_url, vectors=False) as connection:
        connection.execute("UPDATE citebot_control.state SET schema_version = schema_version - 1")
    reopened = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    assert [a.title for a in reopened.articles()] == ["Article 0", "Article 1", "Article 2"]
    reopened.close()
