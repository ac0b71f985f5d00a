"""Reindex: rebuild a library aside with the current settings, then swap it in.

Questions keep being answered, and articles added or deleted, in the library in place
while the new one is built. Those writes are not lost: the rebuild then takes in the
articles added and drops the articles deleted since it started (compared by article
id), a few times while writers go on, and a last time under the write lock, just
before the swap. A writer that comes after the swap writes into the new library.
Articles added need the model (when their vectors cannot be reused), which never runs
under the write lock while it can be helped: when some came since the last round, the
lock is let go again and they are embedded first (every writer of every process would
otherwise wait for the model); only when writers never pause does the last attempt take
in the few articles of its last milliseconds under the lock.

Vectors are reused whenever the model is the same and a sentence is the same text
under the same heading, so that a reindex for new chunking settings embeds only the
sentences that changed. One path serves the command line and the bot, and every backend
(`index.storage`): the backend provides the staging library and the swap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.batching import Progress
from index.directory import DATABASE
from index.embeddings import Embedder
from index.errors import AlreadyCopied, LibraryError
from index.ingest import Prepared, SentenceCounter, prepare_stored
from index.live_vectors import LiveVectors
from index.manifest import IndexConfig, write_manifest
from index.storage import Backend, LocalBackend
from index.store import Store, StoredArticle

# Rounds of catching up with writers before the staging library is finished; then attempts
# at the write lock, each let go when articles came meanwhile (the last one keeps it).
CATCH_UP_ROUNDS = 3
LOCKED_ATTEMPTS = 5
BATCH_SENTENCES = 2048


@dataclass(frozen=True)
class ReindexReport:
    articles: int
    passages: int
    embedded: int  # sentences whose vectors were computed
    reused: int  # sentences whose stored vectors were kept
    added_meanwhile: int  # articles added to the library while it was rebuilt
    deleted_meanwhile: int


def rebuild(
    backend: Backend,
    embedder: Embedder,
    config: IndexConfig,
    progress: Progress | None = None,
    batch_sentences: int = BATCH_SENTENCES,
) -> ReindexReport:
    """Rebuild the library of `backend` with `config`, taking in concurrent writes."""
    with backend.reindex_lock():
        with backend.write_lock():
            backend.prepare(config)  # a library to rebuild, even an empty one
        source = backend.source_store(embedder.dimension)
        try:
            target = backend.staging_store(config)
        except BaseException:
            source.close()
            raise
        swapped = False
        try:
            reuse = backend.reusable(embedder.name, embedder.dimension)
            copier = _Copier(source, target, embedder, config, reuse, progress, batch_sentences)
            with source.read():
                articles = list(source.stored_articles())
                # Passages copied get ids the library in place never gave (and, at the end,
                # new articles too): a passage or an article still named somewhere then names
                # nothing rather than another's.
                target.continue_numbering(source.numbering())
            copier.copy(articles)
            for _ in range(CATCH_UP_ROUNDS):
                if not copier.catch_up():
                    break
            backend.finish_staging(target, embedder.dimension)
            for attempts_left in reversed(range(LOCKED_ATTEMPTS)):
                with backend.write_lock():
                    if not (attempts_left and copier.articles_added_since()):
                        copier.catch_up()  # deletions; and the last attempt's few additions
                        report = copier.report()
                        with source.read():
                            target.continue_numbering(source.numbering())
                        source.close()
                        backend.swap_in(target, config)
                        swapped = True
                        break
                copier.catch_up()  # the articles that came, embedded with the lock let go
        except BaseException:
            source.close()
            if not swapped:  # once swapped in, the target is the library: never discarded
                backend.discard(target)
            raise
        backend.retire()  # outside the write lock: writers go on in the new library meanwhile
    return report


def copy_articles(
    source: Backend, target: Backend, embedder: Embedder, config: IndexConfig, progress: Progress | None = None
) -> ReindexReport:
    """Copy every article of `source` into `target` (empty), keeping their ids, and their
    vectors when both were built with `embedder` (moving a library to another backend).

    The copy is built beside the target's empty library and swapped in at the end, as a
    reindex's is: an interrupted copy leaves the target empty, and can be run again. A target
    that holds the source's very articles already (a copy that finished, in a run stopped
    before what followed it) raises `AlreadyCopied`; one that holds others, `LibraryError`."""
    with target.reindex_lock():  # neither a reindex nor another copy meanwhile
        with target.write_lock():
            target.prepare(config)
        target.check(config)
        origin = source.source_store(embedder.dimension)
        swapped = False
        try:
            _refuse_unless_empty(target, embedder.dimension, origin)
            staging = target.staging_store(config)
        except BaseException:
            origin.close()
            raise
        try:
            reuse = source.reusable(embedder.name, embedder.dimension)
            copier = _Copier(origin, staging, embedder, config, reuse, progress)
            with origin.read():
                # As a reindex does: the ids the source gave, deleted ones' included, are not
                # given again (copied passages take new ones), so what still names one finds nothing.
                staging.continue_numbering(origin.numbering())
                copier.copy(list(origin.stored_articles()))
            target.finish_staging(staging, embedder.dimension)
            with target.write_lock():
                _refuse_unless_empty(target, embedder.dimension)  # a bot on it may have written since
                report = copier.report()
                target.swap_in(staging, config)
                swapped = True
        except BaseException:
            if not swapped:
                target.discard(staging)
            raise
        finally:
            origin.close()
        target.retire()
    return report


def _refuse_unless_empty(backend: Backend, dimension: int, origin: Store | None = None) -> None:
    """`origin`: the library being copied, whose articles the target may hold already."""
    in_place = backend.source_store(dimension)
    try:
        with in_place.read():
            present = in_place.counts()[0]
            held = in_place.article_hashes() if present and origin is not None else None
    finally:
        in_place.close()
    if held is not None:
        with origin.read():
            same = origin.article_hashes() == held
        if same:
            raise AlreadyCopied(
                f"la bibliothèque de destination contient déjà ces {present} article{'s' if present > 1 else ''}, "
                "copiés auparavant : rien n'a été recopié",
                present,
            )
    if present:
        raise LibraryError(
            f"la bibliothèque de destination n'est pas vide ({present} article{'s' if present > 1 else ''}) : "
            "rien n'a été copié"
        )


def copy_library(
    source_directory: Path,
    target_directory: Path,
    embedder: Embedder,
    config: IndexConfig,
    article_ids: set[int],
    batch_sentences: int = BATCH_SENTENCES,
) -> None:
    """A new library at `target_directory` holding these articles of the source one, with
    their ids and, when they can be reused, their vectors (evaluation builds libraries of
    every size this way)."""
    target_directory.mkdir(parents=True)
    write_manifest(target_directory, config)
    source = Store(Path(source_directory) / DATABASE, create=False)
    target = Store(target_directory / DATABASE)
    try:
        reuse = LocalBackend(Path(source_directory)).reusable(embedder.name, embedder.dimension)
        copier = _Copier(source, target, embedder, config, reuse, None, batch_sentences)
        with source.read(), target.bulk_load():
            copier.copy(list(source.stored_articles(sorted(article_ids))))
        LiveVectors(target_directory, embedder.dimension).write_snapshot(target)
    finally:
        target.close()
        source.close()


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
                status, kept = self.target.add_article(item.article, np.asarray(item_vectors, dtype=np.float32))
                if status != "added":  # never dropped in silence: the library in place stays
                    raise LibraryError(
                        f"réindexation arrêtée : l'article {item.article.article_id} a été pris pour un double "
                        f"de l'article {kept.id} ; la bibliothèque en place n'a pas changé"
                    )

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

    def articles_added_since(self) -> bool:
        """Whether the library in place has articles the one being built has not (deletions,
        which need no model, are not counted)."""
        with self.source.read():
            live = self.source.article_ids()
        return bool(live - self.target.article_ids())

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
