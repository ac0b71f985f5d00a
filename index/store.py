"""Articles, passages and the French lexical index, in one SQLite file.

Keeping the lexical index (FTS5 over pre-stemmed terms) in the same database as
the metadata makes every ingest or delete one transaction: it lands whole or not
at all. FTS5 gives incremental add/delete and BM25 ranking for free, with no
extra service or dependency; Snowball stemming and accent folding happen in
Python (`index.analysis`) before the terms reach it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
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
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    heading TEXT
);
CREATE INDEX IF NOT EXISTS passages_article ON passages(article_id, position);
CREATE VIRTUAL TABLE IF NOT EXISTS passage_terms USING fts5(terms, tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE IF NOT EXISTS passage_vocab USING fts5vocab(passage_terms, 'row');
"""


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


class Store:
    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- meta -----------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # --- articles -------------------------------------------------------------
    def find_duplicate(self, url: str | None, content_hash: str) -> ArticleRow | None:
        row = self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE content_hash = ? OR (url IS NOT NULL AND url = ?)",
            (content_hash, url),
        ).fetchone()
        return _article(row) if row else None

    def add_article(
        self,
        *,
        title: str,
        date: str | None,
        author: str | None,
        url: str | None,
        source: str | None,
        content_hash: str,
        text: str,
        layout: Sequence[str],
        passages: Sequence[NewPassage],
        restore: ArticleRow | None = None,
    ) -> tuple[int, list[int]]:
        """Insert an article, its passages and their terms; returns the new ids.

        `restore` (when rebuilding) keeps the article's id and date of addition."""
        cursor = self._db.execute(
            "INSERT INTO articles(id, title, date, author, url, source, content_hash, text, layout, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))",
            (
                restore.id if restore else None,
                title,
                date,
                author,
                url,
                source,
                content_hash,
                text,
                json.dumps(list(layout)),
                restore.added_at if restore else None,
            ),
        )
        article_id = int(cursor.lastrowid)
        ids = []
        for p in passages:
            cursor = self._db.execute(
                "INSERT INTO passages(article_id, position, start, end, heading) VALUES (?, ?, ?, ?, ?)",
                (article_id, p.position, p.start, p.end, p.heading),
            )
            passage_id = int(cursor.lastrowid)
            self._db.execute("INSERT INTO passage_terms(rowid, terms) VALUES (?, ?)", (passage_id, p.terms))
            ids.append(passage_id)
        return article_id, ids

    def delete_article(self, article_id: int) -> list[int]:
        """Delete an article with its passages and terms; returns the passage ids removed."""
        ids = [r[0] for r in self._db.execute("SELECT id FROM passages WHERE article_id = ?", (article_id,))]
        self._db.executemany("DELETE FROM passage_terms WHERE rowid = ?", [(i,) for i in ids])
        self._db.execute("DELETE FROM passages WHERE article_id = ?", (article_id,))
        self._db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return ids

    def get_article(self, article_id: int) -> ArticleRow | None:
        row = self._db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE id = ?", (article_id,)).fetchone()
        return _article(row) if row else None

    def list_articles(self, offset: int = 0, limit: int | None = None) -> list[ArticleRow]:
        rows = self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a ORDER BY id LIMIT ? OFFSET ?",
            (-1 if limit is None else limit, offset),
        )
        return [_article(r) for r in rows]

    def iter_articles_for_rebuild(self) -> Iterator[tuple[ArticleRow, str, list[str]]]:
        rows = self._db.execute(f"SELECT {_ARTICLE_COLUMNS}, a.text, a.layout FROM articles a ORDER BY id").fetchall()
        for row in rows:
            yield _article(row[:8]), row[8], json.loads(row[9])

    def counts(self) -> tuple[int, int]:
        articles = self._db.execute("SELECT count(*) FROM articles").fetchone()[0]
        passages = self._db.execute("SELECT count(*) FROM passages").fetchone()[0]
        return int(articles), int(passages)

    def passage_ids(self) -> list[int]:
        return [r[0] for r in self._db.execute("SELECT id FROM passages ORDER BY id")]

    # --- passages -------------------------------------------------------------
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
        return {r[0]: PassageRow(*r[:7], article=_article(r[7:])) for r in rows}

    # --- lexical --------------------------------------------------------------
    def lexical_search(self, query_terms: Sequence[str], limit: int) -> list[tuple[int, float]]:
        """Passage ids by BM25 (higher is better) for any of the terms."""
        unique = list(dict.fromkeys(t for t in query_terms if t))
        if not unique:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in unique)
        rows = self._db.execute(
            "SELECT rowid, -bm25(passage_terms) FROM passage_terms WHERE passage_terms MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        )
        return [(int(r[0]), float(r[1])) for r in rows]

    def document_frequencies(self, query_terms: Sequence[str]) -> dict[str, int]:
        unique = list(dict.fromkeys(query_terms))
        if not unique:
            return {}
        marks = ",".join("?" * len(unique))
        rows = self._db.execute(f"SELECT term, doc FROM passage_vocab WHERE term IN ({marks})", unique)
        return {term: int(doc) for term, doc in rows}


_ARTICLE_COLUMNS = (
    "a.id, a.title, a.date, a.author, a.url, a.source, a.added_at, "
    "(SELECT count(*) FROM passages p2 WHERE p2.article_id = a.id)"
)


def _article(row: Sequence) -> ArticleRow:
    return ArticleRow(*row[:8])
