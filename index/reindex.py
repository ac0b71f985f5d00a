"""Reindex: rebuild a library aside with the current settings, then swap it in.

Questions keep being answered, and articles added or deleted, in the library in place
while the new one is built. Those writes are not lost: the rebuild then takes in the
articles added and drops the articles deleted since it started (compared by article
id), a few times while writers go on, and a last time under the write lock, just
before the swap. A writer that comes after the swap writes into the new library.

Vectors are reused whenever the model is the same and a sentence is the same text
under the same heading, so that a reindex for new chunking settings embeds only the
sentences that changed. One path serves the command line and the bot.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.batching import Progress
from index.directory import DATABASE, ReindexLock, recover_swap, staging, swap_in, write_lock
from index.embeddings import Embedder
from index.ingest import Prepared, SentenceCounter, prepare_stored
from index.live_vectors import LiveVectors
from index.manifest import MANIFEST, IndexConfig, read_manifest, write_manifest
from index.store import Store, StoredArticle

# Rounds of catching up with writers before the last one, under the write lock.
CATCH_UP_ROUNDS = 3
BATCH_SENTENCES = 2048


@dataclass(frozen=True)
class ReindexReport:
    articles: int
    passages: int
    embedded: int  # sentences whose vectors were computed
    reused: int  # sentences whose stored vectors were kept
    added_meanwhile: int  # articles added to the library while it was rebuilt
    deleted_meanwhile: int


def rebuild_directory(
    directory: Path,
    embedder: Embedder,
    config: IndexConfig,
    progress: Progress | None = None,
    batch_sentences: int = BATCH_SENTENCES,
) -> ReindexReport:
    """Rebuild the library at `directory` with `config`, taking in concurrent writes."""
    directory = Path(directory)
    with ReindexLock(directory):
        with write_lock(directory):
            recover_swap(directory)
            shutil.rmtree(staging(directory), ignore_errors=True)
            if not (directory / DATABASE).exists():
                _create_empty(directory, config)
        target_directory = staging(directory)
        target_directory.mkdir(parents=True)
        write_manifest(target_directory, config)
        source = Store(directory / DATABASE, create=False)
        target = Store(target_directory / DATABASE)
        try:
            copier = _Copier(
                source, target, embedder, config, _reusable(directory, embedder), progress, batch_sentences
            )
            with source.read():
                articles = list(source.stored_articles())
            copier.copy(articles)
            for _ in range(CATCH_UP_ROUNDS):
                if not copier.catch_up():
                    break
            # The vector snapshot is built before the last round (it may take seconds to
            # train); what the last round adds is replayed from the log when it opens.
            LiveVectors(target_directory, embedder.dimension).write_snapshot(target)
            with write_lock(directory):
                copier.catch_up()
                report = copier.report()
                target.checkpoint()
                target.close()
                source.close()
                swap_in(directory)
        except BaseException:
            target.close()
            source.close()
            shutil.rmtree(target_directory, ignore_errors=True)
            raise
    return report


def copy_library(
    source_directory: Path, target_directory: Path, embedder: Embedder, config: IndexConfig, article_ids: set[int]
) -> None:
    """A new library at `target_directory` holding these articles of the source one, with
    their ids and, when they can be reused, their vectors (evaluation builds libraries of
    every size this way)."""
    target_directory.mkdir(parents=True)
    write_manifest(target_directory, config)
    source = Store(Path(source_directory) / DATABASE, create=False)
    target = Store(target_directory / DATABASE)
    try:
        copier = _Copier(source, target, embedder, config, _reusable(Path(source_directory), embedder), None)
        with source.read():
            copier.copy(list(source.stored_articles(sorted(article_ids))))
        LiveVectors(target_directory, embedder.dimension).write_snapshot(target)
    finally:
        target.close()
        source.close()


def _create_empty(directory: Path, config: IndexConfig) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    Store(directory / DATABASE).close()
    if not (directory / MANIFEST).exists():
        write_manifest(directory, config)


def _reusable(directory: Path, embedder: Embedder) -> bool:
    """Whether the library's stored vectors come from this very model."""
    try:
        manifest = read_manifest(directory)
    except Exception:
        return False
    return (
        manifest.get("model") == embedder.name
        and manifest.get("dimension") == embedder.dimension
        and int(manifest.get("format_version", 0)) >= 3  # earlier formats kept no sentence vectors
    )


class _Copier:
    """Copies articles from the library into the one being built, and keeps count."""

    def __init__(
        self,
        source: Store,
        target: Store,
        embedder: Embedder,
        config: IndexConfig,
        reuse: bool,
        progress: Progress | None,
        batch_sentences: int = BATCH_SENTENCES,
    ) -> None:
        self.source, self.target, self.embedder, self.config, self.reuse = source, target, embedder, config, reuse
        self.batch_sentences = batch_sentences
        self.counter = SentenceCounter(progress)
        self.embedded = self.reused = self.added_meanwhile = self.deleted_meanwhile = 0

    def copy(self, articles: Iterable[StoredArticle]) -> None:
        prepared = [prepare_stored(article, self.config.max_words) for article in articles]
        self.counter.expect(sum(len(p.contexts) for p in prepared))
        batch: list[Prepared] = []
        for item in prepared:
            batch.append(item)
            if sum(len(p.contexts) for p in batch) >= self.batch_sentences:
                self._write(batch)
                batch = []
        if batch:
            self._write(batch)

    def _write(self, batch: list[Prepared]) -> None:
        vectors = [self._stored_vectors(item) for item in batch]
        missing = [(i, j) for i, item_vectors in enumerate(vectors) for j, v in enumerate(item_vectors) if v is None]
        self.counter.advance(sum(len(v) for v in vectors) - len(missing))
        computed = self.counter.embed(self.embedder, [batch[i].contexts[j] for i, j in missing])
        for (i, j), vector in zip(missing, computed):
            vectors[i][j] = vector
        self.embedded += len(missing)
        self.reused += sum(len(v) for v in vectors) - len(missing)
        with self.target.write():
            for item, item_vectors in zip(batch, vectors):
                self.target.add_article(item.article, np.asarray(item_vectors, dtype=np.float32))

    def _stored_vectors(self, item: Prepared) -> list[np.ndarray | None]:
        if not self.reuse:
            return [None] * len(item.contexts)
        with self.source.read():
            stored = self.source.article_sentence_vectors(item.article.article_id, self.embedder.dimension)
        return [
            stored.get((passage.start + start, passage.start + end, passage.heading))
            for passage in item.article.passages
            for start, end in passage.sentences
        ]

    def catch_up(self) -> bool:
        """Take in what was added and deleted since; whether anything was."""
        with self.source.read():
            live = self.source.article_ids()
        built = self.target.article_ids()
        gone, new = sorted(built - live), sorted(live - built)
        for article_id in gone:
            self.target.delete_article(article_id)
        if new:
            with self.source.read():
                self.copy(list(self.source.stored_articles(new)))
        self.deleted_meanwhile += len(gone)
        self.added_meanwhile += len(new)
        return bool(gone or new)

    def report(self) -> ReindexReport:
        with self.target.read():
            articles, passages = self.target.counts()
        return ReindexReport(
            articles, passages, self.embedded, self.reused, self.added_meanwhile, self.deleted_meanwhile
        )
