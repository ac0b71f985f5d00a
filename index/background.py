"""How rare a French term is in French at large, beside how rare it is in the library.

A library of one article makes its own words look common: "OTAN" in every passage of an
article about NATO weighs nothing there. The weight of a question term is therefore
estimated from the library's passages and from background frequencies of French words
(the `wordfreq` package's French list: news, books, subtitles, web), the background
counting as a number of pseudo-passages: small libraries lean on it, large ones on their
own counts.

The background table is built once from `wordfreq` (words reduced to the library's terms:
stemmed, accents folded) into a small SQLite file, then read a few terms at a time.
"""

from __future__ import annotations

import logging
import math
import os
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from index.analysis import ANALYZER_VERSION, STOPWORDS, in_question_order, terms
from index.connections import open_read_only
from index.manifest import new_temporary, write_atomic

log = logging.getLogger(__name__)
# Words are reduced with the analysis of the day: another analysis, another table.
BACKGROUND_FILE = f"french-terms-v{ANALYZER_VERSION}.sqlite3"
# A passage is this many words long, on average, when turning a word frequency into the
# chance that a passage holds the word.
PASSAGE_WORDS = 120
# The background counts as this many passages beside the library's own.
PSEUDO_PASSAGES = 200
UNSEEN_FREQUENCY = 1e-8  # a term French at large never uses: as rare as they come


class BackgroundFrequencies:
    """Per-term frequency in French running text (occurrences per word)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()

    def _db(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = open_read_only(self.path, check_same_thread=False)
            self._local.connection = connection
        return connection

    def frequencies(self, query_terms: Sequence[str]) -> dict[str, float]:
        unique = list(dict.fromkeys(query_terms))
        if not unique:
            return {}
        marks = ",".join("?" * len(unique))
        rows = self._db().execute(f"SELECT term, frequency FROM terms WHERE term IN ({marks})", unique)
        return dict(rows)

    @classmethod
    def build(cls, path: Path, words: Iterable[tuple[str, float]]) -> BackgroundFrequencies:
        """Reduce (word, frequency) pairs to terms and save them at `path`."""
        totals: dict[str, float] = {}
        for word, frequency in words:
            if word in STOPWORDS:
                continue
            for term in terms(word):
                totals[term] = totals.get(term, 0.0) + frequency
        path.parent.mkdir(parents=True, exist_ok=True)
        # A scratch file of its own: two processes building the table at once (a bot and a
        # command, the first time after an upgrade) must not write into, or remove, each other's.
        descriptor, scratch = new_temporary(path.parent, path.name + ".", ".building")
        os.close(descriptor)
        try:
            with sqlite3.connect(scratch) as db:
                db.execute("CREATE TABLE terms (term TEXT PRIMARY KEY, frequency REAL NOT NULL) WITHOUT ROWID")
                db.executemany("INSERT INTO terms VALUES (?, ?)", totals.items())
            db.close()
            write_atomic(path, scratch.read_bytes())
        finally:
            scratch.unlink(missing_ok=True)
        return cls(path)


def french_background(cache_dir: Path) -> BackgroundFrequencies:
    """The background table in `cache_dir`, built from `wordfreq` the first time (a few seconds)."""
    path = Path(cache_dir) / BACKGROUND_FILE
    if path.is_file():
        return BackgroundFrequencies(path)
    from wordfreq import get_frequency_dict

    log.info("building the French term frequencies (once) in %s", path)
    return BackgroundFrequencies.build(path, get_frequency_dict("fr", wordlist="large").items())


def term_weights(
    query_terms: Sequence[str],
    library_frequencies: Mapping[str, int],
    library_passages: int,
    background: Mapping[str, float],
) -> dict[str, float]:
    """The weight (inverse frequency) of each question term, from the library's passages and
    the background's pseudo-passages together; in the terms' order (`in_question_order`)."""
    weights = {}
    for term in in_question_order(query_terms):
        word_frequency = background.get(term, UNSEEN_FREQUENCY)
        in_background = 1.0 - math.exp(-PASSAGE_WORDS * word_frequency)
        share = (library_frequencies.get(term, 0) + PSEUDO_PASSAGES * in_background) / (
            library_passages + PSEUDO_PASSAGES
        )
        weights[term] = math.log(1.0 + (1.0 - share) / max(share, 1e-12))
    return weights
