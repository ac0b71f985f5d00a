"""The library in PostgreSQL: articles, passages, sentence vectors (pgvector) and the French
lexical index, for deployments that share one library between machines or bot replicas.

It answers the same questions as the SQLite `index.store.Store` (the searcher, the ingest
pipeline and the reindex use either), with PostgreSQL's own means:

- Dense search is pgvector's HNSW index over the sentences' unit vectors, by inner product
  (`<#>`); the index lives in the database, so no process keeps a copy in memory and there is
  no snapshot or change log to replay.
- Lexical search is BM25 over the same analysed terms as the embedded library (elisions,
  stop words, Snowball stems, accents folded: `index.analysis`), computed in SQL from a
  postings table (term, passage, term frequency) with a B-tree on the term: the same formula
  and parameters as SQLite FTS5's `bm25()` (k1 = 1.2, b = 0.75), so both backends rank alike.
  Document frequencies are kept in their own table, in the same transaction as the postings.
- A write is one transaction that first takes a transaction-level advisory lock, so writers
  from every process and machine serialise, and the duplicate rule (same URL, same text) is
  decided inside it.

Each library lives in its own PostgreSQL schema; a reindex builds a new schema and swaps it
in (`index.pg_backend`). Each thread has its own connection (psycopg), as with SQLite.
"""

from __future__ import annotations

import functools
import json
import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from index.connections import ThreadConnections
from index.errors import DatabaseUnavailable
from index.store import (
    ARTICLES_PER_BATCH,
    LATEST_FIRST,
    SENTENCE_SLOTS,
    ArticleRow,
    NewArticle,
    PassageRow,
    PassageSentences,
    StoredArticle,
    VectorChanges,
    WriteStatus,
    article_row,
    articles_in_batches,
    passages_analysed,
)

# Keys of PostgreSQL advisory locks, one for each purpose (64-bit numbers no other
# application on the same database uses: "citebot" in ASCII, then the next ones).
WRITE_LOCK_KEY = 0x63697465626F74  # taken by every write transaction of a library schema
REINDEX_LOCK_KEY = WRITE_LOCK_KEY + 1  # one reindex at a time (`index.pg_backend`)
LIBRARY_LOCK_KEY = WRITE_LOCK_KEY + 2  # held by the library's writers for a whole write
APPLICATION_LOCK_KEY = WRITE_LOCK_KEY + 3  # the application's own state (the bot's)
# Taken while the extension, schemas and tables are created if missing: processes starting
# together on a new database (replicas) would otherwise each create them and one would fail.
SETUP_LOCK_KEY = WRITE_LOCK_KEY + 4
BM25_K1, BM25_B = 1.2, 0.75  # as SQLite FTS5's bm25()
# Sentences the HNSW search may return for one question: pgvector returns at most
# `hnsw.ef_search` rows, so each search sets it to what it asks for, and never below what the
# searcher asks for a question (50 passages × 8 sentences), which keeps recall high.
MAX_SENTENCES_SEARCHED = 1000
SEARCH_BREADTH = 400


def schema_sql(dimension: int) -> str:
    return f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    date TEXT,
    author TEXT,
    url TEXT,
    source TEXT,
    content_hash TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    layout TEXT NOT NULL,
    added_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE UNIQUE INDEX IF NOT EXISTS articles_url ON articles(url) WHERE url IS NOT NULL;
-- "Quoi de neuf ?" (`latest_articles`): the latest articles without reading the others.
CREATE INDEX IF NOT EXISTS articles_latest ON articles((coalesce(date, substr(added_at, 1, 10))) DESC, id DESC);
CREATE TABLE IF NOT EXISTS passages (
    id BIGSERIAL PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    heading TEXT,
    length INTEGER NOT NULL  -- analysed terms, for BM25's length normalisation
);
CREATE INDEX IF NOT EXISTS passages_article ON passages(article_id, position);
CREATE TABLE IF NOT EXISTS sentences (
    passage_id BIGINT NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    vector vector({dimension}) NOT NULL,
    PRIMARY KEY (passage_id, position)
);
CREATE TABLE IF NOT EXISTS postings (
    term TEXT NOT NULL,
    passage_id BIGINT NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    tf INTEGER NOT NULL,
    length INTEGER NOT NULL,  -- the passage's, repeated here: BM25 without a join
    PRIMARY KEY (term, passage_id)
);
CREATE INDEX IF NOT EXISTS postings_passage ON postings(passage_id);
CREATE TABLE IF NOT EXISTS terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL);
"""


class PgStore:
    """One library schema of a PostgreSQL database (see the module docstring)."""

    def __init__(
        self,
        url: str,
        schema: str,
        dimension: int,
        *,
        create: bool = True,
        vector_index: bool = True,
        in_place_by: str | None = None,
    ) -> None:
        """`create`: the schema and tables if missing; `vector_index`: with the HNSW index (a
        library filled in bulk gets it once filled: `create_vector_index`, much faster).
        `in_place_by`: the table whose one row's `library` names the schema in place, when this
        store is opened as it (`write` commits only while it is)."""
        self.url, self.schema, self.dimension = url, schema, dimension
        self._in_place_by = in_place_by
        # Opened by a function that does not hold the store: a store no one uses any more (the
        # one a reindex replaced) is freed at once, and its connections closed with it.
        self._connections = ThreadConnections(
            functools.partial(_schema_connection, url, schema), RuntimeError, usable=lambda c: not c.closed
        )
        self._local = threading.local()  # each thread's transaction depth
        if create:
            with self._transaction("BEGIN"):
                self._db.execute(f'SET LOCAL search_path TO "{schema}", public')
                create_missing(self._db, schema, schema_sql(dimension))
                self._db.execute(
                    "INSERT INTO meta(key, value) VALUES ('library_id', md5(random()::text)) ON CONFLICT DO NOTHING"
                )
            if vector_index:
                self.create_vector_index()

    # --- connections and transactions ---------------------------------------------------
    @property
    def _db(self):
        return self._connections.current()

    def close(self) -> None:
        self._connections.close()

    def checkpoint(self) -> None:
        """Nothing to fold: PostgreSQL's log is its own business."""

    def create_vector_index(self) -> None:
        """pgvector's HNSW index over the sentence vectors (inner product on unit vectors).
        Built once over many rows it takes a fraction of the time inserts into it take."""
        self._db.execute("CREATE INDEX IF NOT EXISTS sentences_hnsw ON sentences USING hnsw (vector vector_ip_ops)")

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Fill an empty library: without its vector index while rows pour in, then with it."""
        self._db.execute("DROP INDEX IF EXISTS sentences_hnsw")
        try:
            yield
        finally:
            self.create_vector_index()
            self.analyze()

    def analyze(self) -> None:
        """The planner's statistics, for tables just filled (they were empty when last measured)."""
        self._db.execute("ANALYZE")

    @contextmanager
    def read(self) -> Iterator[None]:
        """One consistent view of the library (a repeatable-read snapshot) for everything inside."""
        with self._transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"):
            yield

    @contextmanager
    def write(self) -> Iterator[None]:
        """A write transaction, serialised with every other writer of the database. A store
        opened as the library in place writes only while it still is: a reindex's swap takes
        the same lock for its update (`PgBackend.swap_in`), so a write that comes after it, let
        in by a write lock whose session was cut, finds the control row naming another schema
        and is refused rather than lost in the replaced one."""
        outermost = not getattr(self._local, "depth", 0)
        with self._transaction("BEGIN"):
            self._db.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
            if outermost and self._in_place_by is not None:
                (in_place,) = self._db.execute(f"SELECT library FROM {self._in_place_by}").fetchone()
                if in_place != self.schema:
                    raise DatabaseUnavailable(
                        "la bibliothèque vient d'être remplacée par une reconstruction : rien n'a été écrit, réessayez"
                    )
            yield

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[None]:
        if getattr(self._local, "depth", 0):  # nested: part of the enclosing transaction
            yield
            return
        db = execute_first(lambda: self._db, begin).connection
        self._local.depth = 1
        try:
            yield
        except BaseException:
            self._local.depth = 0
            if not db.closed:  # a session the server cut has no transaction left, and a ROLLBACK
                db.execute("ROLLBACK")  # would hide why ("the connection is closed")
            raise
        self._local.depth = 0
        db.execute("COMMIT")

    def _rows(self, sql: str, params: Sequence[object] = (), *, binary: bool = False) -> list[tuple]:
        """`binary`: vectors come back in pgvector's binary form (a numpy array each, no parsing)."""
        return self._db.execute(sql, params, binary=binary).fetchall()

    # --- meta -----------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key = %s", (key,))
        return rows[0][0] if rows else None

    def library_id(self) -> str:
        return self.get_meta("library_id") or "0"

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO meta(key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # --- articles -------------------------------------------------------------
    def find_duplicate(self, article: NewArticle) -> ArticleRow | None:
        """As `Store.find_duplicate`."""
        return self.stored_under(*article.duplicate_keys())

    def stored_under(self, hashes: Sequence[str], links: Sequence[str]) -> ArticleRow | None:
        """As `Store.stored_under`."""
        hashes, links = list(hashes), list(links)
        rows = self._rows(f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE content_hash = ANY(%s)", (hashes,))
        if rows:
            return article_row(rows[0])
        return self._article_at(links) if links else None

    def _article_at(self, links: Sequence[str]) -> ArticleRow | None:
        """As `Store._article_at`."""
        rows = self._rows(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE url = ANY(%s) ORDER BY id LIMIT 1", (list(links),)
        )
        return article_row(rows[0]) if rows else None

    def add_article(self, article: NewArticle, vectors: np.ndarray) -> tuple[WriteStatus, ArticleRow]:
        """As `Store.add_article`: all of it in one transaction, or the duplicate reported."""
        with self.write():
            duplicate = self.find_duplicate(article)
            if duplicate is not None:
                return "duplicate", duplicate
            if len(vectors) != sum(len(p.sentences) for p in article.passages):
                raise ValueError(f"{len(vectors)} vectors for the sentences of {article.title!r}")
            db = self._db
            values = (
                article.title,
                article.date,
                article.author,
                article.url,
                article.source,
                article.content_hash,
                article.text,
                json.dumps(list(article.layout)),
            )
            if article.article_id is not None:  # a reindex or a migration keeps the ids
                article_id = db.execute(
                    "INSERT INTO articles(id, title, date, author, url, source, content_hash, text, layout, added_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                    (article.article_id, *values, article.added_at),
                ).fetchone()[0]
                db.execute(  # never lowered: ids given before (`continue_numbering`) stay given
                    "SELECT setval(pg_get_serial_sequence('articles', 'id'), greatest((SELECT max(id) FROM articles), "
                    "pg_sequence_last_value(pg_get_serial_sequence('articles', 'id')::regclass), 1))"
                )
            else:
                article_id = db.execute(
                    "INSERT INTO articles(title, date, author, url, source, content_hash, text, layout) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                    values,
                ).fetchone()[0]
            vectors = np.asarray(vectors, dtype=np.float32)
            row = 0
            frequencies: Counter[str] = Counter()
            for passage in article.passages:
                counts = Counter(passage.terms.split())
                passage_id = db.execute(
                    "INSERT INTO passages(article_id, position, start_offset, end_offset, heading, length) "
                    "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
                    (article_id, passage.position, passage.start, passage.end, passage.heading, sum(counts.values())),
                ).fetchone()[0]
                with db.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO sentences(passage_id, position, start_offset, end_offset, vector) "
                        "VALUES (%s, %s, %s, %s, %s)",
                        [
                            (passage_id, position, start, end, vectors[row + position])
                            for position, (start, end) in enumerate(passage.sentences)
                        ],
                    )
                    cursor.executemany(
                        "INSERT INTO postings(term, passage_id, tf, length) VALUES (%s, %s, %s, %s)",
                        [(term, passage_id, tf, sum(counts.values())) for term, tf in counts.items()],
                    )
                row += len(passage.sentences)
                frequencies.update(counts.keys())
            self._count_terms(frequencies, +1)
            self._count(articles=1, passages=len(article.passages), terms=_term_total(article))
            return "added", self.get_article(article_id)

    def delete_article(self, article_id: int) -> ArticleRow | None:
        with self.write():
            article = self.get_article(article_id)
            if article is None:
                return None
            rows = self._rows(
                "SELECT o.term, count(*) FROM postings o JOIN passages p ON p.id = o.passage_id "
                "WHERE p.article_id = %s GROUP BY o.term",
                (article_id,),
            )
            passages, terms = self._rows(
                "SELECT count(*), coalesce(sum(length), 0) FROM passages WHERE article_id = %s", (article_id,)
            )[0]
            self._count_terms(Counter(dict(rows)), -1)
            # Its passages, their sentences and postings go with it (ON DELETE CASCADE).
            self._db.execute("DELETE FROM articles WHERE id = %s", (article_id,))
            self._count(articles=-1, passages=-int(passages), terms=-int(terms))
            return article

    def _count_terms(self, frequencies: Counter[str], sign: int) -> None:
        if not frequencies:
            return
        terms, counts = zip(*sorted(frequencies.items()))  # sorted: concurrent writers lock rows in one order
        self._db.execute(
            "INSERT INTO terms(term, df) SELECT * FROM unnest(%s::text[], %s::int[]) "
            "ON CONFLICT (term) DO UPDATE SET df = terms.df + excluded.df",
            (list(terms), [sign * c for c in counts]),
        )
        if sign < 0:
            self._db.execute("DELETE FROM terms WHERE term = ANY(%s) AND df <= 0", (list(terms),))

    def get_article(self, article_id: int) -> ArticleRow | None:
        rows = self._rows(f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE id = %s", (article_id,))
        return article_row(rows[0]) if rows else None

    def list_articles(self, offset: int = 0, limit: int | None = None) -> list[ArticleRow]:
        rows = self._rows(f"SELECT {_ARTICLE_COLUMNS} FROM articles a ORDER BY id LIMIT %s OFFSET %s", (limit, offset))
        return [article_row(r) for r in rows]

    def article_ids(self) -> set[int]:
        return {r[0] for r in self._rows("SELECT id FROM articles")}

    def article_hashes(self) -> dict[int, str]:
        """As `Store.article_hashes`."""
        return {int(r[0]): r[1] for r in self._rows("SELECT id, content_hash FROM articles")}

    def latest_articles(self, count: int) -> list[ArticleRow]:
        """As `Store.latest_articles`: by publication date, else the day added."""
        rows = self._rows(f"SELECT {_ARTICLE_COLUMNS} FROM articles a ORDER BY {LATEST_FIRST} LIMIT %s", (count,))
        return [article_row(r) for r in rows]

    def stored_articles(self, ids: Sequence[int] | None = None) -> Iterator[StoredArticle]:
        where, params = ("WHERE a.id = ANY(%s)", (list(ids),)) if ids is not None else ("", ())
        rows = self._rows(
            f"SELECT {_ARTICLE_COLUMNS}, a.text, a.layout, a.content_hash FROM articles a {where} ORDER BY a.id",
            params,
        )
        for row in rows:
            # As stored, its link and source too: what a reindex copies is the stored row itself.
            yield StoredArticle(ArticleRow(*row[:8]), row[8], json.loads(row[9]), row[10])

    def numbering(self) -> dict[str, int]:
        """As `Store.numbering`: each table's sequence where it stands."""
        numbering = {}
        for table in ("articles", "passages"):
            sequence = self._rows("SELECT pg_get_serial_sequence(%s, 'id')", (table,))[0][0]
            last, called = self._rows(f"SELECT last_value, is_called FROM {sequence}")[0]
            numbering[table] = int(last) if called else 0
        return numbering

    def continue_numbering(self, numbering: Mapping[str, int]) -> None:
        """As `Store.continue_numbering`."""
        with self.write():
            for table in ("articles", "passages"):  # names of this schema's, never the caller's
                given = numbering.get(table, 0)
                if given > 0:
                    self._db.execute(
                        "SELECT setval(pg_get_serial_sequence(%s, 'id'), greatest(%s, "
                        "(SELECT coalesce(max(id), 1) FROM " + table + ")))",
                        (table, given),
                    )

    def counts(self) -> tuple[int, int]:
        return int(self.get_meta("articles") or 0), int(self.get_meta("passages") or 0)

    def _count(self, *, articles: int, passages: int, terms: int) -> None:
        for key, change in (("articles", articles), ("passages", passages), ("terms", terms)):
            self._db.execute(
                "INSERT INTO meta(key, value) VALUES (%s, %s) ON CONFLICT (key) "
                "DO UPDATE SET value = (meta.value::bigint + %s)::text",
                (key, str(change), change),
            )

    def passage_ids(self) -> list[int]:
        return [r[0] for r in self._rows("SELECT id FROM passages ORDER BY id")]

    def article_passage_ids(self, article_ids: Sequence[int]) -> list[int]:
        """The passages of these articles, each article's in reading order."""
        if not article_ids:
            return []
        rows = self._rows(
            "SELECT id FROM passages WHERE article_id = ANY(%s) ORDER BY article_id, position", (list(article_ids),)
        )
        return [r[0] for r in rows]

    def first_passage_ids(self, article_ids: Sequence[int]) -> list[int]:
        """As `Store.first_passage_ids`."""
        if not article_ids:
            return []
        rows = self._rows(
            "SELECT DISTINCT ON (article_id) id FROM passages WHERE article_id = ANY(%s) ORDER BY article_id, position",
            (list(article_ids),),
        )
        return [r[0] for r in rows]

    # --- passages and vectors ---------------------------------------------------
    def get_passages(self, ids: Sequence[int]) -> dict[int, PassageRow]:
        if not ids:
            return {}
        rows = self._rows(
            "SELECT p.id, p.article_id, p.position, p.start_offset, p.end_offset, p.heading, "
            f"substr(a.text, p.start_offset + 1, p.end_offset - p.start_offset), {_ARTICLE_COLUMNS} "
            "FROM passages p JOIN articles a ON a.id = p.article_id WHERE p.id = ANY(%s)",
            (list(ids),),
        )
        return {r[0]: PassageRow(*r[:7], article=article_row(r[7:])) for r in rows}

    def sentence_vectors(self, passage_ids: Sequence[int], dimension: int) -> tuple[np.ndarray, np.ndarray]:
        rows = self._rows(
            "SELECT passage_id, position, vector FROM sentences WHERE passage_id = ANY(%s) "
            "ORDER BY passage_id, position",
            (list(passage_ids),),
            binary=True,
        )
        keys = np.asarray([r[0] * SENTENCE_SLOTS + r[1] for r in rows], dtype=np.int64)
        return keys, _vectors([r[2] for r in rows], dimension)

    def passage_sentences(self, passage_ids: Sequence[int], dimension: int) -> dict[int, PassageSentences]:
        rows = self._rows(
            "SELECT passage_id, start_offset, end_offset, vector FROM sentences WHERE passage_id = ANY(%s) "
            "ORDER BY passage_id, position",
            (list(passage_ids),),
            binary=True,
        )
        grouped: dict[int, list] = {}
        for row in rows:
            grouped.setdefault(row[0], []).append(row)
        return {
            passage: PassageSentences([(r[1], r[2]) for r in group], _vectors([r[3] for r in group], dimension))
            for passage, group in grouped.items()
        }

    def article_sentence_vectors(
        self, article_id: int, dimension: int
    ) -> dict[tuple[int, int, str | None], np.ndarray]:
        rows = self._rows(
            "SELECT p.start_offset + s.start_offset, p.start_offset + s.end_offset, p.heading, s.vector "
            "FROM sentences s JOIN passages p ON p.id = s.passage_id WHERE p.article_id = %s",
            (article_id,),
            binary=True,
        )
        vectors = _vectors([r[3] for r in rows], dimension)
        return {(r[0], r[1], r[2]): vectors[i] for i, r in enumerate(rows)}

    def iter_vectors(self, dimension: int, batch: int = 20_000) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        last = (-1, -1)
        while True:
            rows = self._rows(
                "SELECT passage_id, position, vector FROM sentences WHERE (passage_id, position) > (%s, %s) "
                "ORDER BY passage_id, position LIMIT %s",
                (*last, batch),
                binary=True,
            )
            if not rows:
                return
            last = (rows[-1][0], rows[-1][1])
            keys = np.array([r[0] * SENTENCE_SLOTS + r[1] for r in rows], dtype=np.int64)
            yield keys, _vectors([r[2] for r in rows], dimension)

    def dense_search(self, query: np.ndarray, sentences: int) -> list[tuple[int, int, float]]:
        """The `sentences` closest sentence vectors (HNSW): passage id, position, cosine."""
        vector = np.asarray(query, dtype=np.float32)
        wanted = min(sentences, MAX_SENTENCES_SEARCHED)
        self._db.execute(f"SET LOCAL hnsw.ef_search = {max(wanted, SEARCH_BREADTH)}")  # in the caller's transaction
        rows = self._rows(
            "SELECT passage_id, position, -(vector <#> %s) FROM sentences ORDER BY vector <#> %s LIMIT %s",
            (vector, vector, wanted),
            binary=True,
        )
        return [(int(r[0]), int(r[1]), float(r[2])) for r in rows]

    def sentence_count(self) -> int:
        return int(self._rows("SELECT count(*) FROM sentences")[0][0])

    # --- the change log: none, the vector index lives in the database ---------------------
    def last_change(self) -> int:
        return 0

    def pruned_through(self) -> int:
        return 0

    def changes_after(self, seq: int) -> VectorChanges:
        return VectorChanges(seq, [], [])

    def prune_changes(self, through: int) -> None:
        pass

    # --- lexical --------------------------------------------------------------
    def lexical_search(
        self, query_terms: Sequence[str], limit: int, *, every_term: bool = False
    ) -> list[tuple[int, float]]:
        """Passage ids by BM25 (higher is better) for any of the terms (all of them:
        `every_term`), as FTS5 ranks them."""
        unique = list(dict.fromkeys(t for t in query_terms if t))
        if not unique:
            return []
        _, passages = self.counts()
        frequencies = self.document_frequencies(unique)
        present = [t for t in unique if frequencies.get(t)]
        if not present or passages <= 0 or (every_term and len(present) < len(unique)):
            return []
        idf = [_idf(passages, frequencies[t]) for t in present]
        average = max(int(self.get_meta("terms") or 0) / passages, 1e-9)
        rows = self._rows(
            "SELECT o.passage_id, sum(q.idf * o.tf * %s / (o.tf + %s * (%s + %s * o.length / %s))) AS score "
            "FROM unnest(%s::text[], %s::float8[]) AS q(term, idf) JOIN postings o ON o.term = q.term "
            "WHERE o.term = ANY(%s) "  # lets the planner read each term's postings by the index
            "GROUP BY o.passage_id HAVING count(*) >= %s ORDER BY score DESC, o.passage_id LIMIT %s",
            (
                BM25_K1 + 1,
                BM25_K1,
                1 - BM25_B,
                BM25_B,
                average,
                present,
                idf,
                present,
                len(present) if every_term else 1,
                limit,
            ),
        )
        return [(int(r[0]), float(r[1])) for r in rows]

    def rewrite_terms(
        self,
        manifest: str,
        progress: Callable[[int, int], None] | None = None,
        articles_per_batch: int = ARTICLES_PER_BATCH,
    ) -> int:
        """As `Store.rewrite_terms`: the postings, each passage's length and the terms' counts
        made anew from the stored passages, and `manifest` recorded in the control row that
        names this schema as the library in place (`in_place_by`), in one write transaction. The
        rows are deleted, not truncated: TRUNCATE would hold every reader of another process (a
        replica answering) until the commit. The passages analysed."""
        if self._in_place_by is None:
            raise ValueError("only the library in place records its manifest")
        with self.write():
            # The control row first, in the same transaction: a role that may not update it (the
            # bot's, README) is refused before any posting is rewritten, not after all of them.
            self._db.execute(
                f"UPDATE {self._in_place_by} SET manifest = %s WHERE library = %s", (manifest, self.schema)
            )
            total = self.counts()[1]
            self._db.execute("DELETE FROM postings")
            self._db.execute("DELETE FROM terms")
            frequencies: Counter[str] = Counter()
            done = term_total = 0
            for articles in articles_in_batches(self._articles_after, articles_per_batch):
                ids = list(articles)
                passages = self._rows(
                    "SELECT id, article_id, start_offset, end_offset, heading FROM passages WHERE article_id = ANY(%s)",
                    (ids,),
                )
                sentences = self._rows(
                    "SELECT s.passage_id, s.start_offset, s.end_offset FROM sentences s JOIN passages p "
                    "ON p.id = s.passage_id WHERE p.article_id = ANY(%s) ORDER BY s.passage_id, s.position",
                    (ids,),
                )
                counted = [
                    (passage_id, Counter(terms.split()))
                    for passage_id, terms in passages_analysed(articles, passages, sentences)
                ]
                with self._db.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO postings(term, passage_id, tf, length) VALUES (%s, %s, %s, %s)",
                        [
                            (term, passage_id, tf, counts.total())
                            for passage_id, counts in counted
                            for term, tf in counts.items()
                        ],
                    )
                    cursor.executemany(
                        "UPDATE passages SET length = %s WHERE id = %s",
                        [(counts.total(), passage_id) for passage_id, counts in counted],
                    )
                for _, counts in counted:
                    frequencies.update(counts.keys())
                    term_total += counts.total()
                done += len(counted)
                if progress is not None:
                    progress(done, total)
            self._count_terms(frequencies, +1)
            self.set_meta("terms", str(term_total))
        return done

    def _articles_after(self, after: int, count: int) -> list[tuple[int, str, str]]:
        return self._rows("SELECT id, title, text FROM articles WHERE id > %s ORDER BY id LIMIT %s", (after, count))

    def document_frequencies(self, query_terms: Sequence[str]) -> dict[str, int]:
        unique = list(dict.fromkeys(query_terms))
        if not unique:
            return {}
        return {t: int(df) for t, df in self._rows("SELECT term, df FROM terms WHERE term = ANY(%s)", (unique,))}


def connect(url: str, *, vectors: bool = True):
    """A psycopg connection in autocommit (transactions are explicit) that knows pgvector's
    type (`vectors=False` before the extension exists)."""
    import psycopg
    from pgvector.psycopg import register_vector

    try:
        connection = psycopg.connect(url, autocommit=True)
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailable(_refused_connection(url, exc)) from exc
    except psycopg.ProgrammingError as exc:  # the URL itself: its text is not repeated (it may hold the password)
        raise DatabaseUnavailable(
            "adresse PostgreSQL illisible : postgresql://utilisateur:motdepasse@hôte:5432/base attendu, "
            "les caractères spéciaux écrits en %XX"
        ) from exc
    if vectors:
        register_vector(connection)
    return connection


# What a setup script creates, named: `CREATE [UNIQUE] TABLE|INDEX|SEQUENCE IF NOT EXISTS name`.
_CREATED = re.compile(r"\bCREATE\s+(?:UNIQUE\s+)?(TABLE|INDEX|SEQUENCE)\s+IF\s+NOT\s+EXISTS\s+([\w.]+)", re.IGNORECASE)
_KINDS = {"TABLE": ("la table", "la"), "INDEX": ("l'index", "le"), "SEQUENCE": ("la séquence", "la")}


def has_relation(connection, schema: str, name: str) -> bool:
    """Whether `schema` holds a table, an index or a sequence called `name`."""
    exists = connection.execute(
        "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relname = %s",
        (schema, name),
    ).fetchone()
    return exists is not None


def create_missing(connection, schema: str, script: str = "") -> None:
    """`schema` and what `script` creates (statements separated by ";", each `CREATE TABLE|INDEX|
    SEQUENCE IF NOT EXISTS name`, the name bare or in `schema`), the missing ones only, in the
    caller's transaction.

    `IF NOT EXISTS` alone will not do: PostgreSQL checks the right to create before it looks
    for the object, so a role given only the rights it uses (USAGE on the schemas, its tables'
    and sequences' rights: what a DBA gives a least-privileged bot, README "PostgreSQL and
    several replicas") could not start on a library set up for it. What is missing and this role
    may not create is said as such (`DatabaseUnavailable`), with what to do."""
    if connection.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone() is None:
        _create(connection, f'CREATE SCHEMA IF NOT EXISTS "{schema}"', f"le schéma {schema}", "le")
    for statement in script.split(";"):
        if not statement.strip():
            continue
        named = _CREATED.search(statement)
        if named is None:  # not one this function can look for: run as it is
            connection.execute(statement)
            continue
        name = named[2].rsplit(".", 1)[-1]
        if not has_relation(connection, schema, name):
            kind, pronoun = _KINDS[named[1].upper()]
            _create(connection, statement, f"{kind} {schema}.{name}", pronoun)


def bring_up_to_date(connection, schema: str, dimension: int) -> None:
    """A library schema made by an earlier version, given what this one reads, in the caller's
    transaction: the passage length beside each posting (BM25 without a join, since
    2026-11-29: every lexical question and write of a library made before failed on it), then
    the tables and indexes added since (`create_missing`: "Quoi de neuf ?"'s since 2026-12-03).
    Nothing is written to a library that lacks nothing, so a role without the right to alter
    its tables runs on it as before."""
    has_length = connection.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = %s AND table_name = 'postings' "
        "AND column_name = 'length'",
        (schema,),
    ).fetchone()
    if has_length is None:
        _create(
            connection,
            f'ALTER TABLE "{schema}".postings ADD COLUMN length INTEGER',
            f"la colonne {schema}.postings.length",
            "la",
        )
        connection.execute(
            f'UPDATE "{schema}".postings o SET length = p.length FROM "{schema}".passages p WHERE p.id = o.passage_id'
        )
        connection.execute(f'ALTER TABLE "{schema}".postings ALTER COLUMN length SET NOT NULL')
    connection.execute(f'SET LOCAL search_path TO "{schema}", public')
    create_missing(connection, schema, schema_sql(dimension))


def _create(connection, statement: str, what: str, pronoun: str) -> None:
    import psycopg

    try:
        connection.execute(statement)
    except psycopg.errors.InsufficientPrivilege as exc:
        info = connection.info
        raise DatabaseUnavailable(
            f"il manque {what} dans la base PostgreSQL {info.dbname}, et l'utilisateur {info.user} n'a pas le "
            f"droit de {pronoun} créer ({first_line(exc)}) : lancez une fois le bot avec un utilisateur qui peut "
            "créer les schémas (le propriétaire de la base, ou un autre avec GRANT CREATE ON DATABASE …), puis "
            "donnez à celui-ci les droits que liste le README (« PostgreSQL and several replicas »)"
        ) from exc


def _schema_connection(url: str, schema: str):
    connection = connect(url)
    connection.execute(f'SET search_path TO "{schema}", public')
    return connection


class KeptConnection:
    """One connection kept from one unit of work to the next (an advisory lock's session, the
    control row, the bot's state), opened on first use and again once the server has closed
    it. Its owner serialises the use of it; `close` closes the one kept, if any."""

    def __init__(self, open_connection: Callable[[], Any]) -> None:
        self._open = open_connection
        self.connection: Any = None  # the one kept: the statements after a unit's first use it

    def current(self):
        """The kept connection, or a new one when there is none or the server closed it."""
        if self.connection is None or self.connection.closed:
            self.connection = self._open()
        return self.connection

    def execute_first(self, sql: str, params: Sequence[object] = ()):
        """The first statement of a unit of work, run again on a new session when the kept
        one was cut while it sat idle (see `execute_first`)."""
        return execute_first(self.current, sql, params)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def execute_first(current: Callable[[], Any], sql: str, params: Sequence[object] = ()):
    """The first statement of a unit of work, run on the kept connection `current()` gives;
    when the server had cut that session while it sat idle (a restart, a failover, an idle
    timeout: psycopg then marks it closed), run once more on a new one, as nothing was done
    on the old one yet. `current` gives a new connection once the kept one is closed."""
    import psycopg

    connection = current()
    try:
        return connection.execute(sql, params)
    except psycopg.OperationalError:
        if not connection.closed:  # the statement's own failure, on a live session
            raise
        return current().execute(sql, params)


def _server(url: str) -> str:
    """Where `url` points, without its password: "user@host:port/database"."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(url)
    except Exception:  # an unreadable URL: psycopg.connect says what is wrong with it
        return "adresse illisible"
    user = f"{parts['user']}@" if parts.get("user") else ""
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"{user}{parts.get('host') or 'localhost'}{port}/{parts.get('dbname') or ''}"


def _refused_connection(url: str, exc: Exception) -> str:
    """Why a connection failed, in French: a server that answered and refused (no room for
    one more session, a login or a database it does not know) is no server out of reach,
    and what to do differs."""
    where, said = _server(url), first_line(exc)
    text = str(exc).lower()
    if "too many connections" in text or "connection slots are reserved" in text:
        return (
            f"PostgreSQL refuse une connexion de plus ({where}) : {said} ; chaque réplique en ouvre "
            "plusieurs : relevez max_connections (ou la limite de l'utilisateur), ou arrêtez des répliques"
        )
    if (
        "authentication failed" in text
        or "no password supplied" in text  # a server that asks one, and the URL gives none
        or ("role" in text and "does not exist" in text)
        or "pg_hba.conf" in text
    ):
        return f"PostgreSQL refuse l'identification ({where}) : {said} ; vérifiez l'utilisateur et le mot de passe"
    if "database" in text and "does not exist" in text:
        return f"la base PostgreSQL n'existe pas ({where}) : {said} ; créez-la (CREATE DATABASE …)"
    return f"PostgreSQL injoignable ({where}) : {said}"


def first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _idf(documents: int, frequency: int) -> float:
    """FTS5's: log((N − n + 0.5) / (n + 0.5)), never below a small positive floor."""
    value = math.log((documents - frequency + 0.5) / (frequency + 0.5))
    return value if value > 0 else 1e-6


def _term_total(article: NewArticle) -> int:
    return sum(len(p.terms.split()) for p in article.passages)


def _vectors(values: Sequence, dimension: int) -> np.ndarray:
    """pgvector's values (`Vector` objects) as one float32 array."""
    if not values:
        return np.empty((0, dimension), dtype=np.float32)
    rows = [v.to_numpy() if hasattr(v, "to_numpy") else v for v in values]
    return np.asarray(rows, dtype=np.float32).reshape(len(values), dimension)


_ARTICLE_COLUMNS = (
    "a.id, a.title, a.date, a.author, a.url, a.source, a.added_at, "
    "(SELECT count(*) FROM passages p2 WHERE p2.article_id = a.id)"
)
