"""An upgrade that changes the lexical analysis (`ANALYZER_VERSION`): a library whose lexicon
an earlier analysis made is brought up to date as it opens, from its stored articles and with
no model, on both backends; a process killed while it does so leaves the library as it was
or as it will be; any other change of settings still asks for a rebuild."""

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from index.analysis import ANALYZER_VERSION
from index.directory import DATABASE
from index.errors import IndexMismatch
from index.library import LexiconUpdate, Library
from index.manifest import read_manifest, write_manifest
from tests.conftest import ROOT, HashingEmbedder
from tests.test_atomic_writes import article
from tests.test_backends import NoEmbedding

EARLIER = ANALYZER_VERSION - 1
QUESTIONS = ("conseil numéro 7", "mesure votée mardi", "entre en vigueur")


def made_by_an_earlier_analysis(storage) -> None:
    """The library of `storage` (an index directory, or a `PgBackend`) as an earlier analysis
    left it: that analysis's version recorded, and a lexicon in which no question of this one
    finds anything (every passage's terms gone)."""
    if isinstance(storage, Path):
        with contextlib.closing(sqlite3.connect(storage / DATABASE)) as db, db:
            (recorded,) = db.execute("SELECT value FROM meta WHERE key = 'config'").fetchone()
            config = json.loads(recorded) | {"analyzer_version": EARLIER}
            db.execute("UPDATE meta SET value = ? WHERE key = 'config'", (json.dumps(config, sort_keys=True),))
            db.execute("UPDATE passage_terms SET terms = ''")
        write_manifest(storage, config)
        return
    from index.pg_store import connect

    with connect(storage.url, vectors=False) as db, db.transaction():
        schema, manifest = db.execute("SELECT library, manifest FROM citebot_control.state").fetchone()
        for emptied in ("DELETE FROM {}.postings", "DELETE FROM {}.terms", "UPDATE {}.passages SET length = 0"):
            db.execute(emptied.format(f'"{schema}"'))
        older = json.loads(manifest) | {"analyzer_version": EARLIER}
        db.execute("UPDATE citebot_control.state SET manifest = %s", (json.dumps(older),))


def lexical_answers(library: Library) -> list[list[tuple[int, float]]]:
    """What the lexicon alone answers to `QUESTIONS`: passages and their scores."""
    return [[(r.passage_id, round(r.score, 6)) for r in library.ask(q, mode="lexical").results] for q in QUESTIONS]


def recorded_analysis(storage) -> int:
    if isinstance(storage, Path):
        return read_manifest(storage)["analyzer_version"]
    return storage.manifest()["analyzer_version"]


@pytest.fixture
def older_library(storage):
    """A library of 300 articles whose lexicon the earlier analysis made, and what the lexicon
    of this analysis answers in it."""
    with Library(storage(), HashingEmbedder(), max_words=60) as library:
        library.ingest([article(n) for n in range(300)])
        answers = lexical_answers(library)
    assert all(answers)
    made_by_an_earlier_analysis(storage())
    return answers


def test_the_library_brings_a_lexicon_an_earlier_analysis_made_up_to_date_as_it_opens(storage, older_library):
    told: list[LexiconUpdate] = []
    with Library(storage(), NoEmbedding(), max_words=60, on_lexicon_update=told.append) as library:  # no model runs
        assert lexical_answers(library) == older_library
        assert library.stats().outdated_analyzer is None
    start, done = told
    assert start == LexiconUpdate(EARLIER, ANALYZER_VERSION)
    assert (done.from_version, done.to_version, done.passages) == (EARLIER, ANALYZER_VERSION, 300)
    assert done.seconds > 0
    assert recorded_analysis(storage()) == ANALYZER_VERSION
    with Library(storage(), NoEmbedding(), max_words=60, on_lexicon_update=told.append):
        assert len(told) == 2  # done once


def test_a_library_opened_only_to_count_and_list_leaves_the_lexicon_as_it_is_and_says_so(storage, older_library):
    with Library(storage(), NoEmbedding(), max_words=60, update_lexicon=False) as library:
        assert (library.stats().articles, library.stats().outdated_analyzer) == (300, EARLIER)
        assert library.articles()[7].title == "Article 7"
    assert recorded_analysis(storage()) == EARLIER


def test_other_settings_changed_beside_the_analysis_still_ask_for_a_rebuild(storage, older_library):
    told: list[LexiconUpdate] = []
    with pytest.raises(IndexMismatch) as mismatch:
        Library(storage(), NoEmbedding(), max_words=120, on_lexicon_update=told.append)
    assert [d.split(" : ")[0] for d in mismatch.value.differences] == [
        "taille des passages (mots)",
        "version de l'analyse lexicale",
    ]
    assert mismatch.value.outdated_analyzer is None and told == []
    assert recorded_analysis(storage()) == EARLIER  # nothing was changed


# A process opening the library, killed (SIGKILL) as its lexicon's update has written the terms
# of a first batch of articles and not those of the others: no handler, no `finally`.
KILLED_WHILE_UPDATING = """
import os, signal, sys
from index.library import Library
from index.pg_backend import PgBackend
from index.storage import LocalBackend
from tests.test_backends import NoEmbedding

def killed_midway(done, total):
    if done < total:
        os.kill(os.getpid(), signal.SIGKILL)

backend = LocalBackend if sys.argv[1] == "sqlite" else PgBackend

class KilledMidway(backend):
    def update_lexicon(self, config, progress=None):
        return super().update_lexicon(config, killed_midway)

Library(KilledMidway(sys.argv[2]), NoEmbedding(), max_words=60)
raise SystemExit("the update went through: the kill never came")
"""


def test_a_process_killed_while_it_updates_the_lexicon_leaves_the_library_as_it_was(storage, older_library):
    place = storage()
    kind, where = ("sqlite", str(place)) if isinstance(place, Path) else ("postgresql", place.url)
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WHILE_UPDATING, kind, where],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert killed.returncode == -9, killed.stderr
    assert recorded_analysis(storage()) == EARLIER
    with Library(storage(), NoEmbedding(), max_words=60, update_lexicon=False) as library:
        assert library.stats().outdated_analyzer == EARLIER
        assert not any(lexical_answers(library))  # the earlier lexicon, not half of the new one
    if kind == "sqlite":
        with contextlib.closing(sqlite3.connect(place / DATABASE)) as db:
            db.execute("INSERT INTO passage_terms(passage_terms) VALUES ('integrity-check')")
    with Library(storage(), NoEmbedding(), max_words=60) as library:  # the next opening does it whole
        assert lexical_answers(library) == older_library
    assert recorded_analysis(storage()) == ANALYZER_VERSION


def test_a_crash_after_the_new_lexicon_is_committed_but_before_the_manifest_is_written_keeps_the_new_one(tmp_path):
    """The embedded library's database records the analysis with the terms, in one
    transaction: the manifest is a copy, written after, and written again from the database
    when they differ. (PostgreSQL's manifest is in the database, in the same transaction.)"""
    directory = tmp_path / "idx"
    with Library(directory, HashingEmbedder(), max_words=60) as library:
        library.ingest([article(n) for n in range(3)])
    made_by_an_earlier_analysis(directory)
    manifest_before = (directory / "manifest.json").read_bytes()
    with Library(directory, NoEmbedding(), max_words=60):
        pass
    (directory / "manifest.json").write_bytes(manifest_before)  # as a crash before its write leaves it
    told: list[LexiconUpdate] = []
    with Library(directory, NoEmbedding(), max_words=60, on_lexicon_update=told.append) as library:
        assert told == [] and library.ask("conseil numéro 2", mode="lexical").results
    assert recorded_analysis(directory) == ANALYZER_VERSION
