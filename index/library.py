"""The article library: ingest, ask, delete, reindex, over one index directory.

An index directory holds `manifest.json`, `library.sqlite3` (articles, passages,
lexical index) and `vectors-<generation>.faiss`. SQLite is the source of truth;
each write first saves the vectors of the next generation under a new name, then
commits the generation number with the rows. A crash at any point leaves either
the old generation or the new one complete, never a mix.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Sequence, Sized
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from index.analysis import ANALYZER_VERSION, terms
from index.chunking import chunk_blocks
from index.cleaning import Block
from index.documents import Document
from index.embeddings import Embedder, Progress
from index.errors import IndexCorrupted, NotFound
from index.manifest import MANIFEST, IndexConfig, check_manifest, write_manifest
from index.quotes import best_quote, coverage, idf_weights
from index.ranking import FUSION_WEIGHTS, Evidence, RelevancePolicy, reciprocal_rank_fusion, selective_terms
from index.store import ArticleRow, NewPassage, Store
from index.vectors import FaissVectorStore

DATABASE = "library.sqlite3"
_VECTORS = re.compile(r"^vectors-(\d+)\.faiss$")
_BATCH_PASSAGES = 512
Mode = Literal["hybrid", "dense", "lexical"]


@dataclass(frozen=True)
class IngestResult:
    status: Literal["added", "duplicate"]
    article: ArticleRow


@dataclass(frozen=True)
class Result:
    rank: int
    score: float
    passage_id: int
    article: ArticleRow
    heading: str | None
    passage: str
    quote_start: int  # offsets of the quote inside `passage`
    quote_end: int

    @property
    def quote(self) -> str:
        return self.passage[self.quote_start : self.quote_end]


@dataclass(frozen=True)
class Answer:
    question: str
    found: bool
    results: list[Result] = field(default_factory=list)
    relevance: float = 0.0  # the policy's probability for the best result
    evidence: Evidence | None = None
    # Seconds per stage, for benchmarks and logs. The question's embedding runs beside the
    # lexical search, so the stages add up to more than the answer took.
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class LibraryStats:
    articles: int
    passages: int
    model: str
    dimension: int
    max_words: int
    index_bytes: int
    directory: str


@dataclass(frozen=True)
class _Prepared:
    document: Document
    text: str
    content_hash: str
    url: str | None
    passages: list[NewPassage]
    contexts: list[str]
    restore: ArticleRow | None = None


def content_hash(text: str) -> str:
    normalised = " ".join(text.casefold().split())
    return hashlib.sha256(normalised.encode()).hexdigest()


def normalise_url(url: str | None) -> str | None:
    """Same page, same key: no fragment, no tracking parameters, no trailing slash."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return url.strip()
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query) if not k.lower().startswith(("utm_", "fbclid", "gclid"))]
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def passage_context(title: str, heading: str | None, passage: str) -> str:
    """What is embedded and searched for a passage: it is read under its title and heading."""
    return "\n".join(part for part in (title, heading, passage) if part)


class Library:
    def __init__(
        self,
        directory: Path,
        embedder: Embedder,
        *,
        max_words: int = 120,
        policy: RelevancePolicy | None = None,
        candidates: int = 50,
    ) -> None:
        self.directory = Path(directory)
        self.embedder = embedder
        self.policy = policy or RelevancePolicy()
        self.candidates = candidates
        self.config = IndexConfig(embedder.name, embedder.dimension, max_words, ANALYZER_VERSION)
        self._lock = threading.RLock()
        # One thread embeds questions while the asking thread searches the lexical index.
        self._question_encoder = ThreadPoolExecutor(1, thread_name_prefix="question-embedding")
        _recover_swap(self.directory)
        fresh = not (self.directory / MANIFEST).exists()
        if fresh:
            self.directory.mkdir(parents=True, exist_ok=True)
        else:
            check_manifest(self.directory, self.config)
        self._store = Store(self.directory / DATABASE)
        if fresh:
            write_manifest(self.directory, self.config, articles=0, passages=0)
        self._generation = -1
        self._vectors = FaissVectorStore(self.config.dimension)
        self._refresh_vectors()

    # --- vectors on disk ----------------------------------------------------------
    def _stored_generation(self) -> int:
        return int(self._store.get_meta("generation") or 0)

    def _vectors_path(self, generation: int) -> Path:
        return self.directory / f"vectors-{generation}.faiss"

    def _refresh_vectors(self) -> None:
        """Load the committed generation if another process (or a crash) moved it."""
        generation = self._stored_generation()
        if generation == self._generation:
            return
        path = self._vectors_path(generation)
        if path.exists():
            vectors = FaissVectorStore.load(path)
        elif generation == 0:
            vectors = FaissVectorStore(self.config.dimension)
        else:
            raise IndexCorrupted(f"fichier de vecteurs manquant : {path}. Lancez `python -m bot reindex`.")
        if vectors.dimension != self.config.dimension:
            raise IndexCorrupted(f"{path} a la dimension {vectors.dimension}, {self.config.dimension} attendue")
        self._vectors, self._generation = vectors, generation
        for old in self.directory.glob("vectors-*.faiss"):
            match = _VECTORS.match(old.name)
            if match and int(match[1]) < generation:
                old.unlink(missing_ok=True)

    def _commit_vectors(
        self, add_ids: Sequence[int], add_vectors: np.ndarray | None, remove_ids: Sequence[int]
    ) -> None:
        """Inside an open transaction: write the next generation's vectors, record it."""
        vectors = self._vectors
        vectors.remove(np.asarray(remove_ids, dtype=np.int64))
        if add_vectors is not None and len(add_ids):
            vectors.add(np.asarray(add_ids, dtype=np.int64), add_vectors)
        generation = self._generation + 1
        path = self._vectors_path(generation)
        tmp = path.with_name(path.name + ".tmp")
        vectors.save(tmp)
        tmp.replace(path)
        self._store.set_meta("generation", str(generation))

    def _write(self, action: Callable[[], None]) -> None:
        """Run `action` in one transaction; on any failure, memory goes back to disk's state."""
        with self._lock:
            self._refresh_vectors()
            previous = self._generation
            try:
                with self._store.transaction():
                    action()
            except BaseException:
                self._generation = -1
                self._vectors_path(previous + 1).unlink(missing_ok=True)
                self._refresh_vectors()
                raise
            self._generation = previous + 1
            self._vectors_path(previous).unlink(missing_ok=True)
            articles, passages = self._store.counts()
            write_manifest(self.directory, self.config, articles=articles, passages=passages)

    # --- ingest -------------------------------------------------------------------
    def _prepare(self, document: Document, restore: ArticleRow | None = None) -> _Prepared:
        text = document.text
        chunks = chunk_blocks(text, list(document.blocks), self.config.max_words)
        passages, contexts = [], []
        for position, chunk in enumerate(chunks):
            context = passage_context(document.title, chunk.heading, text[chunk.start : chunk.end])
            passages.append(NewPassage(position, chunk.start, chunk.end, chunk.heading, " ".join(terms(context))))
            contexts.append(context)
        return _Prepared(document, text, content_hash(text), normalise_url(document.url), passages, contexts, restore)

    def ingest(self, documents: Iterable[Document], progress: Progress | None = None) -> list[IngestResult]:
        """Add documents; duplicates (same URL or same text) are reported, not added.

        Work is committed in batches of about 500 passages, so a long ingest that
        is interrupted keeps what was fully committed and nothing half-done.
        """
        results: list[IngestResult] = []
        batch: list[_Prepared] = []
        total = len(documents) if isinstance(documents, Sized) else 0
        done = 0

        def flush() -> None:
            nonlocal done
            if batch:
                results.extend(self._ingest_batch(batch))
                done += len(batch)
                batch.clear()
            if progress:
                progress(done, max(total, done))

        for document in documents:
            batch.append(self._prepare(document))
            if sum(len(p.passages) for p in batch) >= _BATCH_PASSAGES:
                flush()
        flush()
        return results

    def _ingest_batch(self, batch: list[_Prepared]) -> list[IngestResult]:
        with self._lock:
            seen: dict[str, int] = {}
            fresh: list[_Prepared] = []
            results: list[IngestResult | int] = []
            for item in batch:
                duplicate = self._store.find_duplicate(item.url, item.content_hash)
                key_hits = [seen[k] for k in (item.content_hash, item.url) if k and k in seen]
                if duplicate:
                    results.append(IngestResult("duplicate", duplicate))
                elif key_hits:
                    results.append(-1 - key_hits[0])  # a duplicate of an article of this batch
                else:
                    seen[item.content_hash] = len(fresh)
                    if item.url:
                        seen[item.url] = len(fresh)
                    results.append(len(fresh))
                    fresh.append(item)
        added = self._add(fresh) if fresh else []
        return [
            r
            if isinstance(r, IngestResult)
            else IngestResult("added", added[r])
            if r >= 0
            else IngestResult("duplicate", added[-1 - r])
            for r in results
        ]

    def _add(self, fresh: list[_Prepared], progress: Progress | None = None) -> list[ArticleRow]:
        vectors = self.embedder.embed_passages([c for item in fresh for c in item.contexts], progress)
        added: list[ArticleRow] = []

        def action() -> None:
            ids: list[int] = []
            for item in fresh:
                doc = item.document
                article_id, passage_ids = self._store.add_article(
                    title=doc.title,
                    date=doc.date,
                    author=doc.author,
                    url=item.url,
                    source=doc.source,
                    content_hash=item.content_hash,
                    text=item.text,
                    layout=[b.kind for b in doc.blocks],
                    passages=item.passages,
                    restore=item.restore,
                )
                ids.extend(passage_ids)
                added.append(self._store.get_article(article_id))
            self._commit_vectors(ids, vectors, [])

        self._write(action)
        return added

    def _restore(self, articles: Sequence[tuple[ArticleRow, Document]], progress: Progress | None) -> None:
        """Re-add stored articles under their ids, in one transaction."""
        prepared = [self._prepare(document, restore=row) for row, document in articles]
        if prepared:
            self._add(prepared, progress)

    # --- reading ------------------------------------------------------------------
    def ask(self, question: str, top_k: int = 5, mode: Mode = "hybrid") -> Answer:
        return self.ask_many([question], top_k, mode)[0]

    def ask_many(self, questions: Sequence[str], top_k: int = 5, mode: Mode = "hybrid") -> list[Answer]:
        """Answer questions in order. Their embeddings are computed in one batch, in a
        worker thread, while the first question's lexical search runs: the two stages
        overlap (measured at 100k passages: 10 ms → 7.7 ms for embedding, lexical and dense
        search together)."""
        if not questions:
            return []
        embedding = None if mode == "lexical" else self._question_encoder.submit(self._embed_questions, questions)
        return [self._answer(q, embedding, i, top_k, mode) for i, q in enumerate(questions)]

    def _embed_questions(self, questions: Sequence[str]) -> tuple[np.ndarray, float]:
        started = time.perf_counter()
        vectors = self.embedder.embed_queries(list(questions))
        return vectors, (time.perf_counter() - started) / len(questions)

    def _answer(
        self,
        question: str,
        embedding: Future[tuple[np.ndarray, float]] | None,
        index: int,
        top_k: int,
        mode: Mode,
    ) -> Answer:
        clock = _Stopwatch()
        query_terms = terms(question)
        k = max(self.candidates, top_k)
        query_vector: np.ndarray | None = None
        with self._lock:  # one generation of the index for the whole answer
            self._refresh_vectors()
            frequencies = self._store.document_frequencies(query_terms)
            lexical = []
            if mode != "dense":
                lexical = self._store.lexical_search(selective_terms(query_terms, frequencies), k)
            clock.lap("lexical")
            dense: list[tuple[int, float]] = []
            if embedding is not None:
                vectors, clock.laps["embedding"] = embedding.result()
                query_vector = vectors[index : index + 1]
                clock.lap("embedding_wait")
                scores, ids = self._vectors.search(query_vector, k)
                dense = [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]
            clock.lap("dense")
            fused = reciprocal_rank_fusion([[i for i, _ in dense], [i for i, _ in lexical]], FUSION_WEIGHTS)[:top_k]
            rows = self._store.get_passages([i for i, _ in fused])
            clock.lap("fusion")
            weights = idf_weights(query_terms, frequencies, len(self._vectors))
        if not fused:
            return Answer(question, False, [], timings=clock.laps)
        results = []
        for rank, (passage_id, score) in enumerate(fused, start=1):
            row = rows[passage_id]
            start, end = best_quote(row.text, weights)
            results.append(Result(rank, score, passage_id, row.article, row.heading, row.text, start, end))
        best = rows[fused[0][0]]
        context = passage_context(best.article.title, best.heading, best.text)
        dense_score = dict(dense)
        if best.id not in dense_score and query_vector is not None:  # a lexical-only candidate
            with self._lock:
                dense_score[best.id] = float(self._vectors.get(np.array([best.id]))[0] @ query_vector[0])
        evidence = Evidence(
            dense=dense_score.get(best.id, 0.0),
            coverage=coverage(weights, context),
        )
        clock.lap("quotes")
        relevant, probability = self.policy.is_relevant(evidence), self.policy.probability(evidence)
        return Answer(question, relevant, results, probability, evidence, clock.laps)

    def article(self, article_id: int) -> ArticleRow:
        with self._lock:
            row = self._store.get_article(article_id)
        if row is None:
            raise NotFound(f"aucun article n'a l'identifiant {article_id}")
        return row

    def articles(self, offset: int = 0, limit: int | None = None) -> list[ArticleRow]:
        with self._lock:
            return self._store.list_articles(offset, limit)

    def stats(self) -> LibraryStats:
        with self._lock:
            self._refresh_vectors()
            articles, passages = self._store.counts()
        size = sum(p.stat().st_size for p in self.directory.iterdir() if p.is_file())
        return LibraryStats(
            articles,
            passages,
            self.config.model,
            self.config.dimension,
            self.config.max_words,
            size,
            str(self.directory),
        )

    # --- curation -----------------------------------------------------------------
    def delete(self, article_id: int) -> ArticleRow:
        article = self.article(article_id)

        def action() -> None:
            self._commit_vectors([], None, self._store.delete_article(article_id))

        self._write(action)
        return article

    def reindex(self, progress: Progress | None = None) -> LibraryStats:
        """Rebuild vectors and lexical index from the stored articles, with the
        current settings. Questions keep being answered from the old index until
        the new one is complete and swapped in."""
        with self._lock:
            source = Store(self.directory / DATABASE)
        try:
            rebuilt = _rebuild(source, self.directory, self.embedder, self.config.max_words, self.policy, progress)
        finally:
            source.close()
        with self._lock:
            self._store.close()
            rebuilt._store.close()
            _swap_in(self.directory)
            self._store = Store(self.directory / DATABASE)
            self._generation = -1
            self._refresh_vectors()
        return self.stats()

    @classmethod
    def rebuild(
        cls,
        directory: Path,
        embedder: Embedder,
        *,
        max_words: int = 120,
        policy: RelevancePolicy | None = None,
        progress: Progress | None = None,
    ) -> Library:
        """`reindex` for an index that cannot be opened with the current settings."""
        directory = Path(directory)
        _recover_swap(directory)
        if not (directory / DATABASE).exists():
            return cls(directory, embedder, max_words=max_words, policy=policy)
        source = Store(directory / DATABASE)
        try:
            rebuilt = _rebuild(source, directory, embedder, max_words, policy, progress)
        finally:
            source.close()
        rebuilt.close()
        _swap_in(directory)
        return cls(directory, embedder, max_words=max_words, policy=policy)

    def close(self) -> None:
        self._question_encoder.shutdown()
        with self._lock:
            self._store.close()


class _Stopwatch:
    """Seconds spent in each stage of an answer, in order."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = self.laps.get(stage, 0.0) + now - self._last
        self._last = now


def _staging(directory: Path) -> Path:
    return directory.with_name(directory.name + ".reindex")


def _retired(directory: Path) -> Path:
    return directory.with_name(directory.name + ".old")


def _rebuild(
    source: Store,
    directory: Path,
    embedder: Embedder,
    max_words: int,
    policy: RelevancePolicy | None,
    progress: Progress | None,
) -> Library:
    staging = _staging(directory)
    shutil.rmtree(staging, ignore_errors=True)
    target = Library(staging, embedder, max_words=max_words, policy=policy)
    documents = []
    for article, text, layout in source.iter_articles_for_rebuild():
        blocks = tuple(Block(kind, part) for kind, part in zip(layout, text.split("\n\n")))
        documents.append(
            (article, Document(article.title, blocks, article.date, article.author, article.url, article.source))
        )
    target._restore(documents, progress)
    return target


def _swap_in(directory: Path) -> None:
    """staging -> directory, keeping the old one aside until the new one is in place."""
    retired = _retired(directory)
    shutil.rmtree(retired, ignore_errors=True)
    directory.rename(retired)
    _staging(directory).rename(directory)
    shutil.rmtree(retired, ignore_errors=True)


def _recover_swap(directory: Path) -> None:
    retired = _retired(directory)
    if retired.exists():
        if (directory / MANIFEST).exists():
            shutil.rmtree(retired, ignore_errors=True)
        else:
            shutil.rmtree(directory, ignore_errors=True)
            retired.rename(directory)
