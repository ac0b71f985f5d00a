"""Articles, passages, their sentences' vectors, and the French lexical index, in one SQLite file.

SQLite is the library's source of truth. An ingest or a delete is one transaction:
the article, its passages, the vector of each of their sentences, their lexical terms
(FTS5 over pre-stemmed terms, BM25 for free) and a line per passage in the vector change
log land whole or not at all. The in-memory vector index (FAISS) is derived from it: rebuilt from the
stored vectors, or loaded from a snapshot and brought up to date by replaying the
change log (`vector_changes`, in commit order).

Each thread gets its own connection, so that a question reads one consistent state
(a read transaction, `read()`) while others are answered or written: SQLite's WAL mode
lets readers and one writer work at once. Writers serialise on `write()`
(`BEGIN IMMEDIATE`), whatever process they are in.

The duplicate policy lives here, inside the write transaction: `add_article` reports an
article with the same URL or the same text instead of adding it, so two identical
ingests racing each other add it once.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from index.analysis import stored_sentence_terms, stored_terms
from index.connections import ThreadConnections, open_sqlite, sqlite_transaction
from index.web_addresses import without_credentials

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    date TEXT,
    author TEXT,
    url TEXT,
    source TEXT,
    content_hash TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    layout TEXT NOT NULL,
    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE UNIQUE INDEX IF NOT EXISTS articles_url ON articles(url) WHERE url IS NOT NULL;
-- "Quoi de neuf ?" (`latest_articles`): the latest articles without reading the others.
CREATE INDEX IF NOT EXISTS articles_latest ON articles((coalesce(date, substr(added_at, 1, 10))) DESC, id DESC);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    heading TEXT
);
CREATE INDEX IF NOT EXISTS passages_article ON passages(article_id, position);
CREATE TABLE IF NOT EXISTS sentences (
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    start INTEGER NOT NULL,  -- offsets inside the passage
    end INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (passage_id, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vector_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    passage_id INTEGER NOT NULL,
    added INTEGER NOT NULL
);
"""
# The lexical index: FTS5 over each passage's terms (`NewPassage.terms`), and its vocabulary.
# Made anew, in one transaction, when a library made by an earlier analysis is brought up to
# date (`Store.rewrite_terms`).
_TERMS_SCHEMA = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS passage_terms USING fts5(terms, tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS passage_vocab USING fts5vocab(passage_terms, 'row')",
)
_SCHEMA += "".join(f"{statement};\n" for statement in _TERMS_SCHEMA)
# Vectors are stored as little-endian float16: half the bytes of float32, and for unit
# vectors a cosine error far below what ranking can tell apart.
VECTOR_DTYPE = np.dtype("<f2")
# A sentence's key in the vector index is passage id × SENTENCE_SLOTS + its position: a
# passage of at most 1,000 words (the settings' cap) has fewer sentences than that.
SENTENCE_SLOTS = 1024
# The full-text index's segments are merged a step at a time (`Store.merge_terms`), each step
# rewriting about this many leaf pages in a write transaction of its own, by default at most
# this many steps a call (about 250 MB: ten times the 100k library's whole full-text index, 23 MB) ...
MERGE_STEP_PAGES = 64
MERGE_STEPS = 1_000
# ... with a pause after each, at least this long and twice as long as the step took: a writer
# waiting for the lock retries after growing sleeps (1, 2, 5, 10 ms… SQLite's busy handler),
# so steps run back to back would keep it out until the whole merge is done.
MERGE_PAUSE = 0.01
# Articles whose passages are analysed again together (`Store.rewrite_terms`): their texts in
# memory at once, and a step of its progress.
ARTICLES_PER_BATCH = 200
WAL_SIZE_LIMIT = 64 << 20  # bytes of write-ahead log kept on disk once it is folded (`_connect`)


@dataclass(frozen=True)
class ArticleRow:
    id: int
    title: str
    date: str | None
    author: str | None
    url: str | None
    source: str | None
    added_at: str
    passages: int = 0


@dataclass(frozen=True)
class PassageRow:
    id: int
    article_id: int
    position: int
    start: int
    end: int
    heading: str | None
    text: str  # the passage itself: article text[start:end]
    article: ArticleRow


@dataclass(frozen=True)
class NewPassage:
    position: int
    start: int
    end: int
    heading: str | None
    terms: str
    sentences: tuple[tuple[int, int], ...]  # offsets inside the passage, one vector each


@dataclass(frozen=True)
class PassageSentences:
    """A passage's sentences (offsets inside it) and their vectors, in order, with their terms
    when the store keeps them (`index.analysis.sentence_lines`; None: analysed when needed)."""

    spans: list[tuple[int, int]]
    vectors: np.ndarray
    terms: list[set[str]] | None = None


@dataclass(frozen=True)
class NewArticle:
    title: str
    date: str | None
    author: str | None
    url: str | None
    source: str | None
    content_hash: str
    text: str
    layout: tuple[str, ...]
    passages: tuple[NewPassage, ...]
    article_id: int | None = None  # kept when a reindex copies an article
    added_at: str | None = None
    # Other ways of writing its link and other hashes of its text (earlier rules'): an article
    # stored under one of them is the same article. Stored: `url` and `content_hash` only.
    url_variants: tuple[str, ...] = ()
    text_hashes: tuple[str, ...] = ()

    def duplicate_keys(self) -> tuple[list[str], list[str]]:
        """The hashes and the links an article already stored under is this one."""
        links = [self.url, *self.url_variants] if self.url else []
        return [self.content_hash, *self.text_hashes], links


@dataclass(frozen=True)
class StoredArticle:
    """An article as a reindex reads it back: its row, its text and block layout."""

    row: ArticleRow
    text: str
    layout: list[str]
    content_hash: str


@dataclass(frozen=True)
class VectorChanges:
    """What changed in the vectors after a point of the log, collapsed to the end state."""

    last_seq: int
    added: list[int]  # passages whose sentence vectors must be (re)loaded
    removed: list[int]  # passages whose sentence vectors must go


WriteStatus = Literal["added", "duplicate"]


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


def encode_vector(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=VECTOR_DTYPE).tobytes()


def sentence_keys(passage_id: int, count: int = SENTENCE_SLOTS) -> np.ndarray:
    """The vector-index keys of a passage's sentences (all its possible slots by default)."""
    return np.arange(count, dtype=np.int64) + passage_id * SENTENCE_SLOTS


def decode_vectors(blobs: Sequence[bytes], dimension: int) -> np.ndarray:
    if not blobs:
        return np.empty((0, dimension), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=VECTOR_DTYPE).reshape(len(blobs), dimension).astype(np.float32)


def _connect(path: Path, background_checkpoints: bool) -> sqlite3.Connection:
    # Never made by a thread's connection (`Store`, `open_sqlite`): gone, it is out of reach.
    connection = open_sqlite(path, create=False, isolation_level=None, check_same_thread=False, timeout=60)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA journal_mode = WAL")
    # A commit is on disk when it returns (the log is synced): a write the user was told
    # succeeded survives a power loss too, not only a crash of the process.
    connection.execute("PRAGMA synchronous = FULL")
    # The log is reused from its start once folded, never shrunk: a large ingest, with the
    # full-text index merged beside it, leaves it hundreds of MB long. Cut back to this
    # when it is reset.
    connection.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
    if background_checkpoints:
        connection.execute("PRAGMA wal_autocheckpoint = 0")
    return connection


class Store:
    def __init__(self, path: Path, *, create: bool = True, background_checkpoints: bool = False) -> None:
        """`create=False` opens an existing file as it is (a reindex reading its source).
        `background_checkpoints`: this process folds the write-ahead log into the database
        itself, off the writers' path (`checkpoint(passive=True)` from a maintenance thread);
        otherwise SQLite does it inside the commit that fills the log."""
        self.path = Path(path)
        # Opened by a function that does not hold the store: a store no one uses any more (the
        # one a reindex replaced) is freed at once, and its connections closed with it.
        self._connections = ThreadConnections(
            functools.partial(_connect, self.path, background_checkpoints), sqlite3.ProgrammingError
        )
        self._term_counts = TermCounts()
        if create:
            open_sqlite(self.path, create=True).close()  # made here only, as it is first opened
            self._db.executescript(_SCHEMA)
            # Which database this is: vector snapshots are named after it, so that a snapshot
            # of a database a reindex replaced is never taken for one of this database.
            self._db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('library_id', lower(hex(randomblob(8))))")
            self._no_merging_in_commits()

    # --- connections and transactions ---------------------------------------------------
    @property
    def _db(self) -> sqlite3.Connection:
        return self._connections.current()

    def close(self) -> None:
        self._connections.close()

    def _no_merging_in_commits(self) -> None:
        """SQLite's full-text index (FTS5) merges its segments inside whichever commit crosses
        its work counter, 64 pages for each level of the index: megabytes in one user's write
        to a large library (README, "The index directory"). Not in this library's commits
        (FTS5's `automerge` 0, stored in the database, so for every process): `merge_terms`
        does that work, from a library's maintenance thread after its writes, or at the end of
        a tool's (`bulk_load`). Only a level that reaches 16 segments is still merged in a
        commit (FTS5's `crisismerge`), which `merge_terms`, merging a level from four, keeps
        rare."""
        row = self._db.execute("SELECT v FROM passage_terms_config WHERE k = 'automerge'").fetchone()
        if row is None or row[0] != 0:
            self._db.execute("INSERT INTO passage_terms(passage_terms, rank) VALUES ('automerge', 0)")

    def merge_terms(self, stop: threading.Event | None = None, steps: int = MERGE_STEPS) -> int:
        """Merge the full-text index's segments as far as there is work (FTS5's `merge`
        command: each level holding four segments or more, and a merge under way), a step of
        `MERGE_STEP_PAGES` at a time, at most `steps` of them, pausing after each so that
        other writers get the lock (once `stop` is set, without pauses). The steps that merged
        something: `steps` when there may be more to merge."""
        for step in range(steps):
            started = time.perf_counter()
            with self.write():
                before = self._db.total_changes
                self._db.execute(
                    "INSERT INTO passage_terms(passage_terms, rank) VALUES ('merge', ?)", (MERGE_STEP_PAGES,)
                )
                merged = self._db.total_changes - before >= 2  # FTS5's sign that it did some work
            if not merged:
                return step
            pause = max(MERGE_PAUSE, 2 * (time.perf_counter() - started))
            if stop is None:
                time.sleep(pause)
            else:
                stop.wait(pause)
        return steps

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Fill an empty library (FAISS is built from it later); its full-text index is merged
        at the end."""
        yield
        self.merge_terms()

    def checkpoint(self, *, passive: bool = False) -> None:
        """Fold the write-ahead log into the database file: all of it, waiting for readers and
        writers (before the file is moved), or, `passive`, what it can without waiting for
        anyone (maintenance: the pages readers still need are folded next time)."""
        self._db.execute(f"PRAGMA wal_checkpoint({'PASSIVE' if passive else 'TRUNCATE'})").fetchall()

    @contextmanager
    def read(self) -> Iterator[None]:
        """One consistent view of the library for everything read inside."""
        with self._transaction("BEGIN"):
            yield

    @contextmanager
    def write(self) -> Iterator[None]:
        """A write transaction: it waits for other writers, in this process or another."""
        with self._transaction("BEGIN IMMEDIATE"):
            yield

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[None]:
        with sqlite_transaction(self._db, begin):
            yield

    # --- meta -----------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def recorded_config(self) -> dict | None:
        """What the library was built with (`index.manifest.IndexConfig`'s fields), as its
        database recorded it beside the manifest: None in libraries written before it did."""
        value = self.get_meta("config")
        return json.loads(value) if value else None

    def record_config(self, config: Mapping[str, object]) -> None:
        self.set_meta("config", json.dumps(dict(config), sort_keys=True))

    def holds_articles(self) -> bool:
        return self._db.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None

    def library_id(self) -> str:
        return self.get_meta("library_id") or "0"

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # --- articles -------------------------------------------------------------
    def find_duplicate(self, article: NewArticle) -> ArticleRow | None:
        """The article stored that `article` is: the same text, or the same page (its link
        however written, `NewArticle.url_variants`); the one with the same text first."""
        return self.stored_under(*article.duplicate_keys())

    def stored_under(self, hashes: Sequence[str], links: Sequence[str]) -> ArticleRow | None:
        """The article stored with one of these text hashes, else with one of these links."""
        hashes, links = list(hashes), list(links)
        row = self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE content_hash IN ({_marks(hashes)})", hashes
        ).fetchone()
        if row is not None:
            return article_row(row)
        return self._article_at(links) if links else None

    def _article_at(self, links: Sequence[str]) -> ArticleRow | None:
        """The first article stored under one of `links` (a page's links however written:
        `index.web_addresses.same_page_links`)."""
        row = self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE url IS NOT NULL AND url IN ({_marks(links)}) "
            "ORDER BY id LIMIT 1",
            list(links),
        ).fetchone()
        return article_row(row) if row else None

    def add_article(self, article: NewArticle, vectors: np.ndarray) -> tuple[WriteStatus, ArticleRow]:
        """Insert an article, its passages, their sentences' vectors (`vectors`: one row per
        sentence, passage after passage) and terms, unless an article with the same URL or
        text is there: then that one is returned as the duplicate."""
        with self.write():
            duplicate = self.find_duplicate(article)
            if duplicate is not None:
                return "duplicate", duplicate
            cursor = self._db.execute(
                "INSERT INTO articles(id, title, date, author, url, source, content_hash, text, layout, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))",
                (
                    article.article_id,
                    article.title,
                    article.date,
                    article.author,
                    article.url,
                    article.source,
                    article.content_hash,
                    article.text,
                    json.dumps(list(article.layout)),
                    article.added_at,
                ),
            )
            article_id = int(cursor.lastrowid)
            if len(vectors) != sum(len(p.sentences) for p in article.passages):
                raise ValueError(f"{len(vectors)} vectors for the sentences of {article.title!r}")
            row = 0
            for passage in article.passages:
                cursor = self._db.execute(
                    "INSERT INTO passages(article_id, position, start, end, heading) VALUES (?, ?, ?, ?, ?)",
                    (article_id, passage.position, passage.start, passage.end, passage.heading),
                )
                passage_id = int(cursor.lastrowid)
                self._db.executemany(
                    "INSERT INTO sentences(passage_id, position, start, end, vector) VALUES (?, ?, ?, ?, ?)",
                    [
                        (passage_id, position, start, end, encode_vector(vectors[row + position]))
                        for position, (start, end) in enumerate(passage.sentences)
                    ],
                )
                row += len(passage.sentences)
                self._db.execute("INSERT INTO passage_terms(rowid, terms) VALUES (?, ?)", (passage_id, passage.terms))
                self._db.execute("INSERT INTO vector_changes(passage_id, added) VALUES (?, 1)", (passage_id,))
            self._count(articles=1, passages=len(article.passages))
            return "added", self.get_article(article_id)

    def delete_article(self, article_id: int) -> ArticleRow | None:
        """Delete an article with its passages, vectors and terms; None if there is none."""
        with self.write():
            article = self.get_article(article_id)
            if article is None:
                return None
            ids = [r[0] for r in self._db.execute("SELECT id FROM passages WHERE article_id = ?", (article_id,))]
            self._db.executemany("DELETE FROM passage_terms WHERE rowid = ?", [(i,) for i in ids])
            self._db.executemany("INSERT INTO vector_changes(passage_id, added) VALUES (?, 0)", [(i,) for i in ids])
            self._db.executemany("DELETE FROM sentences WHERE passage_id = ?", [(i,) for i in ids])
            self._db.execute("DELETE FROM passages WHERE article_id = ?", (article_id,))
            self._db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            self._count(articles=-1, passages=-len(ids))
            return article

    def get_article(self, article_id: int) -> ArticleRow | None:
        row = self._db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE id = ?", (article_id,)).fetchone()
        return article_row(row) if row else None

    def list_articles(self, offset: int = 0, limit: int | None = None) -> list[ArticleRow]:
        rows = self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a ORDER BY id LIMIT ? OFFSET ?",
            (-1 if limit is None else limit, offset),
        )
        return [article_row(r) for r in rows]

    def article_ids(self) -> set[int]:
        return {r[0] for r in self._db.execute("SELECT id FROM articles")}

    def article_hashes(self) -> dict[int, str]:
        """Each article's text hash, by id: what tells two libraries' articles the same."""
        return dict(self._db.execute("SELECT id, content_hash FROM articles").fetchall())

    def latest_articles(self, count: int) -> list[ArticleRow]:
        """The `count` most recent articles, by publication date (the day it was added, for
        an article without one), the later added first on the same date."""
        rows = self._db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles a ORDER BY {LATEST_FIRST} LIMIT ?", (count,))
        return [article_row(r) for r in rows]

    def stored_articles(self, ids: Sequence[int] | None = None) -> Iterator[StoredArticle]:
        """Articles with their text, in id order (all of them, or those of `ids`)."""
        where = f"WHERE a.id IN ({','.join('?' * len(ids))})" if ids is not None else ""
        rows = self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS}, a.text, a.layout, a.content_hash FROM articles a {where} ORDER BY a.id",
            list(ids or []),
        ).fetchall()
        for row in rows:
            # As stored, its link and source too: what a reindex copies is the stored row itself.
            yield StoredArticle(ArticleRow(*row[:8]), row[8], json.loads(row[9]), row[10])

    def numbering(self) -> dict[str, int]:
        """The highest id the articles and the passages have been given, deleted ones' included."""
        rows = self._db.execute("SELECT name, seq FROM sqlite_sequence WHERE name IN ('articles', 'passages')")
        return {name: int(seq) for name, seq in rows}

    def continue_numbering(self, numbering: Mapping[str, int]) -> None:
        """New ids go on after `numbering` (another library's, which this one replaces): an id
        an article or a passage had is never given again, so that what still names it (a
        button, a conversation's place in an article) finds nothing rather than another."""
        with self.write():
            for name in ("articles", "passages"):
                given = numbering.get(name, 0)
                raised = self._db.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (given, name))
                if not raised.rowcount:
                    self._db.execute("INSERT INTO sqlite_sequence(name, seq) VALUES (?, ?)", (name, given))

    def counts(self) -> tuple[int, int]:
        """Articles and passages, kept in `meta` by every write (no table scan per question)."""
        return int(self.get_meta("articles") or 0), int(self.get_meta("passages") or 0)

    def _count(self, *, articles: int, passages: int) -> None:
        for key, change in (("articles", articles), ("passages", passages)):
            self.set_meta(key, str(int(self.get_meta(key) or 0) + change))

    def passage_ids(self) -> list[int]:
        return [r[0] for r in self._db.execute("SELECT id FROM passages ORDER BY id")]

    def article_passage_ids(self, article_ids: Sequence[int]) -> list[int]:
        """The passages of these articles, each article's in reading order."""
        if not article_ids:
            return []
        marks = ",".join("?" * len(article_ids))
        rows = self._db.execute(
            f"SELECT id FROM passages WHERE article_id IN ({marks}) ORDER BY article_id, position", list(article_ids)
        )
        return [r[0] for r in rows]

    def first_passage_ids(self, article_ids: Sequence[int]) -> list[int]:
        """The first passage of each of these articles (an article's opening: reading all of
        a long article's passages to keep one costs time in its length squared)."""
        if not article_ids:
            return []
        marks = ",".join("?" * len(article_ids))
        rows = self._db.execute(
            f"SELECT id FROM passages p WHERE article_id IN ({marks}) AND position = "
            "(SELECT min(position) FROM passages q WHERE q.article_id = p.article_id) ORDER BY article_id",
            list(article_ids),
        )
        return [r[0] for r in rows]

    # --- passages and vectors ---------------------------------------------------
    def get_passages(self, ids: Sequence[int]) -> dict[int, PassageRow]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._db.execute(
            f"SELECT p.id, p.article_id, p.position, p.start, p.end, p.heading, "
            f"substr(a.text, p.start + 1, p.end - p.start), {_ARTICLE_COLUMNS} "
            f"FROM passages p JOIN articles a ON a.id = p.article_id WHERE p.id IN ({marks})",
            list(ids),
        )
        return {r[0]: PassageRow(*r[:7], article=article_row(r[7:])) for r in rows}

    def sentence_vectors(self, passage_ids: Sequence[int], dimension: int) -> tuple[np.ndarray, np.ndarray]:
        """The vector-index keys and vectors of the sentences of those passages that exist."""
        keys: list[int] = []
        blobs: list[bytes] = []
        for begin in range(0, len(passage_ids), 500):
            part = list(passage_ids[begin : begin + 500])
            marks = ",".join("?" * len(part))
            for passage_id, position, blob in self._db.execute(
                f"SELECT passage_id, position, vector FROM sentences WHERE passage_id IN ({marks})", part
            ):
                keys.append(passage_id * SENTENCE_SLOTS + position)
                blobs.append(blob)
        return np.asarray(keys, dtype=np.int64), decode_vectors(blobs, dimension)

    def passage_sentences(self, passage_ids: Sequence[int], dimension: int) -> dict[int, PassageSentences]:
        """Each passage's sentences, their vectors and (`PassageSentences.terms`) their terms, for
        choosing the quote."""
        marks = ",".join("?" * len(passage_ids))
        rows = self._db.execute(
            f"SELECT passage_id, start, end, vector FROM sentences WHERE passage_id IN ({marks}) "
            "ORDER BY passage_id, position",
            list(passage_ids),
        ).fetchall()
        grouped: dict[int, list] = {}
        for row in rows:
            grouped.setdefault(row[0], []).append(row)
        stored = dict(self.passage_terms(list(grouped)))
        vectors = decode_vectors([r[3] for r in rows], dimension)  # all at once: one copy, not one a passage
        sentences, at = {}, 0
        for passage, group in grouped.items():  # in the rows' order, as the vectors are
            sentences[passage] = PassageSentences(
                [(r[1], r[2]) for r in group],
                vectors[at : at + len(group)],
                stored_sentence_terms(stored.get(passage, ""), len(group)),
            )
            at += len(group)
        return sentences

    def article_sentence_vectors(
        self, article_id: int, dimension: int
    ) -> dict[tuple[int, int, str | None], np.ndarray]:
        """An article's sentence vectors by extent in the article and heading: what a
        reindex may reuse (the text embedded for a sentence is its title, heading and itself)."""
        rows = self._db.execute(
            "SELECT p.start + s.start, p.start + s.end, p.heading, s.vector "
            "FROM sentences s JOIN passages p ON p.id = s.passage_id WHERE p.article_id = ?",
            (article_id,),
        ).fetchall()
        vectors = decode_vectors([r[3] for r in rows], dimension)
        return {(r[0], r[1], r[2]): vectors[i] for i, r in enumerate(rows)}

    def sentence_count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM sentences").fetchone()[0])

    def sample_vectors(self, dimension: int, share: float) -> np.ndarray:
        """About `share` of the stored sentence vectors, chosen by a hash of their key (the same
        ones every time), read in one pass without holding the others."""
        modulus = 1_000_003
        threshold = max(1, round(min(share, 1.0) * modulus))
        rows = self._db.execute(
            "SELECT vector FROM sentences WHERE ((passage_id * 2654435761 + position * 40503) % ?) < ?",
            (modulus, threshold),
        ).fetchall()
        return decode_vectors([r[0] for r in rows], dimension)

    def iter_vectors(self, dimension: int, batch: int = 20_000) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Every stored sentence vector, as (keys, vectors) batches in key order."""
        last = (-1, -1)
        while True:
            rows = self._db.execute(
                "SELECT passage_id, position, vector FROM sentences WHERE (passage_id, position) > (?, ?) "
                "ORDER BY passage_id, position LIMIT ?",
                (*last, batch),
            ).fetchall()
            if not rows:
                return
            last = (rows[-1][0], rows[-1][1])
            keys = np.array([r[0] * SENTENCE_SLOTS + r[1] for r in rows], dtype=np.int64)
            yield keys, decode_vectors([r[2] for r in rows], dimension)

    # --- the vector change log ------------------------------------------------------
    def last_change(self) -> int:
        row = self._db.execute("SELECT max(seq) FROM vector_changes").fetchone()
        return int(row[0] or self.get_meta("changes_pruned_through") or 0)

    def pruned_through(self) -> int:
        return int(self.get_meta("changes_pruned_through") or 0)

    def changes_after(self, seq: int) -> VectorChanges:
        final: dict[int, bool] = {}
        last = seq
        for change, passage_id, added in self._db.execute(
            "SELECT seq, passage_id, added FROM vector_changes WHERE seq > ? ORDER BY seq", (seq,)
        ):
            final[passage_id] = bool(added)
            last = change
        return VectorChanges(
            last,
            [i for i, added in final.items() if added],
            [i for i, added in final.items() if not added],
        )

    def prune_changes(self, through: int) -> None:
        """Forget the log up to `through` (a snapshot holds everything before it)."""
        with self.write():
            if through > self.pruned_through():
                self._db.execute("DELETE FROM vector_changes WHERE seq <= ?", (through,))
                self.set_meta("changes_pruned_through", str(through))

    # --- lexical --------------------------------------------------------------
    def lexical_search(
        self, query_terms: Sequence[str], limit: int, *, every_term: bool = False
    ) -> list[tuple[int, float]]:
        """Passage ids by BM25 (higher is better) for any of the terms (all of them: `every_term`)."""
        unique = list(dict.fromkeys(t for t in query_terms if t))
        if not unique:
            return []
        match = (" AND " if every_term else " OR ").join('"' + t.replace('"', '""') + '"' for t in unique)
        rows = self._db.execute(
            "SELECT rowid, -bm25(passage_terms) FROM passage_terms WHERE passage_terms MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        )
        return [(int(r[0]), float(r[1])) for r in rows]

    def passage_terms(self, ids: Sequence[int] | None = None) -> Iterator[tuple[int, str]]:
        """(passage id, its terms separated by whitespace: `index.analysis.sentence_lines`) for
        these passages (all: None), by id."""
        if ids is None:
            yield from self._db.execute("SELECT rowid, terms FROM passage_terms ORDER BY rowid")
            return
        ids = sorted(ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            yield from self._db.execute(
                f"SELECT rowid, terms FROM passage_terms WHERE rowid IN ({marks}) ORDER BY rowid", chunk
            )

    def rewrite_terms(
        self,
        config: Mapping[str, object],
        progress: Callable[[int, int], None] | None = None,
        articles_per_batch: int = ARTICLES_PER_BATCH,
    ) -> int:
        """Every passage's terms analysed again from its stored text, title and heading
        (`passages_analysed`), and `config` recorded as what the library is built with, in one
        write transaction: a crash leaves the old terms and record, or the new ones, never a
        mix. The full-text index is made anew (dropped, not emptied row by row, which has FTS5
        read every row's terms again to remove them). `progress(done, total)`, in passages, is
        told inside the transaction. The passages analysed."""
        with self.write():
            total = self.counts()[1]
            self._db.execute("DROP TABLE passage_vocab")
            self._db.execute("DROP TABLE passage_terms")
            for statement in _TERMS_SCHEMA:
                self._db.execute(statement)
            self._no_merging_in_commits()
            done = 0
            for articles in articles_in_batches(self._articles_after, articles_per_batch):
                ids = list(articles)
                passages = self._db.execute(
                    f"SELECT id, article_id, start, end, heading FROM passages WHERE article_id IN ({_marks(ids)})",
                    ids,
                ).fetchall()
                sentences = self._db.execute(
                    "SELECT s.passage_id, s.start, s.end FROM sentences s JOIN passages p ON p.id = s.passage_id "
                    f"WHERE p.article_id IN ({_marks(ids)}) ORDER BY s.passage_id, s.position",
                    ids,
                ).fetchall()
                analysed = passages_analysed(articles, passages, sentences)
                self._db.executemany("INSERT INTO passage_terms(rowid, terms) VALUES (?, ?)", analysed)
                done += len(analysed)
                if progress is not None:
                    progress(done, total)
            self.record_config(config)
        self._term_counts = TermCounts()  # counted from the terms before
        return done

    def _articles_after(self, after: int, count: int) -> list[tuple[int, str, str]]:
        return self._db.execute(
            "SELECT id, title, text FROM articles WHERE id > ? ORDER BY id LIMIT ?", (after, count)
        ).fetchall()

    def document_frequencies(self, query_terms: Sequence[str]) -> dict[str, int]:
        """Passages holding each term (terms no passage holds are left out). Call it inside
        `read()`: counts are kept for the library's state they were read in."""
        unique = list(dict.fromkeys(query_terms))
        if not unique:
            return {}
        state = self.last_change()
        counts, missing = self._term_counts.known(state, unique)
        if missing:
            marks = ",".join("?" * len(missing))
            rows = self._db.execute(f"SELECT term, doc FROM passage_vocab WHERE term IN ({marks})", missing)
            found = {term: int(doc) for term, doc in rows}
            read = {term: found.get(term, 0) for term in missing}
            self._term_counts.keep(state, read)
            counts.update(read)
        return {term: count for term, count in counts.items() if count}


class TermCounts:
    """Passages holding each term, remembered for one state of the library (its last change):
    FTS5 counts them by walking the term's whole posting list (milliseconds for a common term
    in a large library) and questions share their terms. Any write, by any process, makes a
    new state, and what was remembered is dropped."""

    LIMIT = 200_000  # terms remembered at most: bounds this process's memory whatever is asked

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = -1
        self._counts: dict[str, int] = {}

    def known(self, state: int, terms: Sequence[str]) -> tuple[dict[str, int], list[str]]:
        """The counts remembered for `state`, and the terms still to be read."""
        with self._lock:
            if state != self._state:
                return {}, list(terms)
            known = {t: self._counts[t] for t in terms if t in self._counts}
        return known, [t for t in terms if t not in known]

    def keep(self, state: int, counts: dict[str, int]) -> None:
        with self._lock:
            if state > self._state:  # a newer state: what was remembered is stale
                self._state, self._counts = state, {}
            if state == self._state and len(self._counts) + len(counts) <= self.LIMIT:
                self._counts.update(counts)


_ARTICLE_COLUMNS = (
    "a.id, a.title, a.date, a.author, a.url, a.source, a.added_at, "
    "(SELECT count(*) FROM passages p2 WHERE p2.article_id = a.id)"
)
# Publication dates are ISO prefixes ("2023-02", "2023-02-14"), so text order is date order.
# The order of the `articles_latest` index (both schemas), which the query must spell alike.
LATEST_FIRST = "coalesce(a.date, substr(a.added_at, 1, 10)) DESC, a.id DESC"


def articles_in_batches(
    read: Callable[[int, int], Sequence[tuple[int, str, str]]], size: int
) -> Iterator[dict[int, tuple[str, str]]]:
    """Every article's title and text by id, `size` articles at a time (a large library's texts
    are never all in memory): `read(after, size)` gives the (id, title, text) of the `size`
    articles after id `after`, by id."""
    after = 0
    while rows := read(after, size):
        after = rows[-1][0]
        yield {row[0]: (row[1], row[2]) for row in rows}


def passages_analysed(
    articles: Mapping[int, tuple[str, str]],
    passages: Sequence[tuple[int, int, int, int, str | None]],
    sentences: Sequence[tuple[int, int, int]],
) -> list[tuple[int, str]]:
    """(passage id, its terms as an ingest stores them: `index.analysis.stored_terms`) for
    `passages` (id, article id, start, end, heading) of `articles` (id: title, text), from
    their `sentences` (passage id, start, end, in order): what a library's lexical index is made
    of again, without the model."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for passage_id, start, end in sentences:
        spans.setdefault(passage_id, []).append((start, end))
    analysed = []
    for passage_id, article_id, start, end, heading in passages:
        title, text = articles[article_id]
        passage = text[start:end]
        sentences_of_passage = spans.get(passage_id) or [(0, len(passage))]  # as an ingest cuts one without any
        analysed.append((passage_id, stored_terms(title, heading, passage, sentences_of_passage)))
    return analysed


def article_row(row: Sequence) -> ArticleRow:
    """An article as either store reads it (`_ARTICLE_COLUMNS`), its link and source shown
    without the name and password an earlier version stored in them ("https://moi:secret@…",
    kept before a fetch dropped them): every user of the library may be shown them, in
    `/articles` as in an answer. The stored row is left as it is: rewriting stored data is
    riskier than reading it so."""
    article_id, title, day, author, url, source, added_at, passages = row[:8]
    url, source = (without_credentials(link) if link else link for link in (url, source))
    return ArticleRow(article_id, title, day, author, url, source, added_at, passages)
