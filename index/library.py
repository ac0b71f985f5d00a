"""The article library: ingest, ask, delete, reindex — the facade over its parts.

Where the data lives is the backend's business (`index.storage`): an index directory
(SQLite + FAISS, the default) or a PostgreSQL database (`index.pg_backend`). The library
wires the backend's store and vector index with the ingest pipeline (`index.ingest`), the
searcher (`index.search`) and the reindex (`index.reindex`).

Writes (ingest, delete) take the backend's write lock, shared by threads and processes,
and are one transaction each: a crash leaves the library as it was before or after, never
between. Questions take no lock: each reads one consistent view of the store (a read
transaction) while the model embeds the question, others are answered and writers write.
A reindex builds a new library aside and swaps it in; every process notices at its next
question or write.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from index.analysis import ANALYZER_VERSION
from index.background import BackgroundFrequencies
from index.batching import Progress
from index.conversation import Topic, read
from index.decoding import plain_letters, readable
from index.embeddings import Embedder
from index.errors import IndexMismatch, NotFound
from index.live_lexicon import LiveLexicon
from index.manifest import IndexConfig
from index.question_encoder import MAX_BATCH, QuestionEncoder, QuestionVector
from index.ranking import RelevancePolicy
from index.search import Answer, Mode, Result, Searcher
from index.storage import Backend, LocalBackend
from index.store import ArticleRow, Store

# Ingesting and reindexing are imported as they run: their pipeline (reading documents, lxml's
# HTML parser, cleaning and chunking) is no part of answering, and a process that only answers
# (`python -m bot ask`) does not load it (README, "Model", "Start-up").
if TYPE_CHECKING:
    from index.documents import Document
    from index.ingest import Prepared, SentenceCounter
    from index.reindex import ReindexReport

log = logging.getLogger(__name__)

__all__ = ["Answer", "IngestResult", "LexiconUpdate", "Library", "LibraryStats", "Mode", "Result"]

# Sentences embedded and committed together: a long ingest keeps what it committed if it
# is interrupted, and a batch is big enough for the model to work efficiently.
BATCH_SENTENCES = 2048
# What a long-running process embeds once before anyone asks (`prepare_for_questions`):
# a question of usual length, in the language of the library.
WARM_UP_QUESTION = "Qui a annoncé cette décision, et quand entrera-t-elle en vigueur ?"


@dataclass(frozen=True)
class IngestResult:
    status: Literal["added", "duplicate"]
    article: ArticleRow
    # A duplicate found by its link alone: the same page, whose text the library holds in
    # another version (corrected or extended since it was added, or an older copy sent now).
    # It is kept as it is (README, *Article formats*): its sender is told so, and how to replace it.
    text_differs: bool = False


@dataclass(frozen=True)
class LibraryStats:
    articles: int
    passages: int
    model: str
    dimension: int
    max_words: int
    index_bytes: int
    directory: str
    # The version of the earlier lexical analysis the lexicon was made with, when a library
    # opened without updating it (`Library(update_lexicon=False)`) has one: its update is pending.
    outdated_analyzer: int | None = None


@dataclass(frozen=True)
class LexiconUpdate:
    """The lexicon of a library made by an earlier lexical analysis, made again as the library
    opens (`Library(on_lexicon_update=…)`): told as it starts (`passages` and `seconds` None),
    then once committed."""

    from_version: int
    to_version: int
    passages: int | None = None
    seconds: float | None = None


@dataclass(frozen=True)
class _Opened:
    """The library open in this process (its store and vector index), and which one it is."""

    store: object  # index.store.Store or index.pg_store.PgStore
    vectors: object  # index.live_vectors.LiveVectors or index.pg_backend.PgVectors
    lexicon: LiveLexicon | None  # faster lexical search than the store's own, when the backend has one
    identity: object


def _check_id(article_id: int) -> None:
    """Ids are positive 64-bit integers: any other names no article (SQLite could not even
    look it up)."""
    if not 0 < article_id < 2**63:
        raise NotFound(f"aucun article n'a l'identifiant {article_id}")


class Library:
    def __init__(
        self,
        storage: Path | str | Backend,
        embedder: Embedder,
        *,
        max_words: int = 120,
        policy: RelevancePolicy | None = None,
        candidates: int = 50,
        background: BackgroundFrequencies | None = None,
        batch_sentences: int = BATCH_SENTENCES,
        update_lexicon: bool = True,
        on_lexicon_update: Callable[[LexiconUpdate], None] | None = None,
    ) -> None:
        """`storage`: an index directory, or a backend (`index.storage`). `background`: French
        word frequencies, so that a term's weight holds in a library of any size
        (`index.background`); without it, weights come from the library alone.
        `batch_sentences`: sentences embedded and committed together.

        A library whose lexicon an earlier lexical analysis made, and that differs from the
        settings by nothing else, has it made again from its stored articles as it opens (no
        model runs; `on_lexicon_update` is told as it starts and ends); unless not to
        `update_lexicon` (a tool that only reads articles and counts, which the lexicon does not
        serve): it then opens as it is, and says so (`LibraryStats.outdated_analyzer`)."""
        self.backend: Backend = LocalBackend(Path(storage)) if isinstance(storage, str | Path) else storage
        self.directory = getattr(self.backend, "directory", None)  # the embedded library's, for tools
        self.batch_sentences = batch_sentences
        self.embedder = embedder
        self.background = background
        self.policy = policy or RelevancePolicy()
        self.config = IndexConfig(embedder.name, embedder.dimension, max_words, ANALYZER_VERSION)
        self.searcher = Searcher(self.policy, background, self.config.dimension, candidates)
        self._write_lock = self.backend.write_lock()
        self._reopen_lock = threading.Lock()
        # One thread embeds questions (those asked at once together, as many as the model
        # gains from) while the asking threads search the lexical index.
        self._question_encoder = QuestionEncoder(
            embedder.embed_queries, max_batch=getattr(embedder, "questions_per_run", MAX_BATCH)
        )
        # Vector index snapshots and layout changes, off the path of questions and writes.
        self._maintenance = ThreadPoolExecutor(1, thread_name_prefix="vector-maintenance")
        self._update_lexicon, self._on_lexicon_update = update_lexicon, on_lexicon_update
        self.outdated_analyzer: int | None = None  # the lexicon's earlier analysis, left as it is
        self._prepared = False  # `prepare_for_questions` was called: a long-running process
        self._closing = False  # `close` was called: warm-up steps not begun are skipped
        if self.directory is not None:  # DATA_DIR made here only, never once open (`directory.LockInPlace`)
            self.directory.parent.mkdir(parents=True, exist_ok=True)
        self._in_use = self.backend.in_use()  # a restore waits until every process has closed it
        if self._in_use is not None:
            self._in_use.share()
        try:
            with self._write_lock:
                self.backend.prepare(self.config)
                self._opened = self._open()
            self._sync(self._opened)
        except BaseException:  # a library that does not open holds nothing
            if self._in_use is not None:
                self._in_use.release()
            raise

    # --- the library in place -------------------------------------------------------
    def _open(self) -> _Opened:
        """The library in place, opened; callers hold the write lock (no swap meanwhile) and
        bring its vectors up to date once they have let it go (`_sync`): reading a snapshot,
        or building an index without one (seconds), must not keep every writer waiting."""
        self.outdated_analyzer = self._checked()
        identity = self.backend.identity()
        store, vectors = self.backend.open(self.config.dimension, self._maintenance)
        return _Opened(store, vectors, self.backend.lexicon(self._maintenance), identity)

    def _checked(self) -> int | None:
        """Check that the library in place was built with the settings (`IndexMismatch`), and
        bring a lexicon made by an earlier analysis up to date (callers hold the write lock: one
        process updates it, the others find it done). The earlier analysis's version when the
        lexicon is left as it is (`update_lexicon` False)."""
        try:
            self.backend.check(self.config)
            return None
        except IndexMismatch as mismatch:
            outdated = mismatch.outdated_analyzer
            if outdated is None:
                raise
        if not self._update_lexicon:
            return outdated
        to_version = self.config.analyzer_version
        if self._on_lexicon_update is not None:
            self._on_lexicon_update(LexiconUpdate(outdated, to_version))
        started = time.perf_counter()
        passages = self.backend.update_lexicon(self.config)
        if self._on_lexicon_update is not None:
            self._on_lexicon_update(LexiconUpdate(outdated, to_version, passages, time.perf_counter() - started))
        self.backend.check(self.config)
        return None

    @staticmethod
    def _sync(opened: _Opened) -> None:
        with opened.store.read():
            opened.vectors.sync(opened.store)

    def _current(self) -> _Opened:
        """The library in place, reopened if a reindex (here or elsewhere) swapped it."""
        opened = self._opened
        if self.backend.identity() == opened.identity:
            return opened
        with self._write_lock, self._reopen_lock:  # the write lock waits for a swap under way
            if self.backend.identity() != self._opened.identity:
                # Finishes a swap a crash interrupted; a library gone is an outage, not created again.
                self.backend.prepare(self.config, create=False)
                # Threads still reading the previous library keep it until they finish.
                previous, self._opened = self._opened, self._open()
                previous.vectors.close()
                if previous.lexicon is not None:
                    previous.lexicon.close()
                if self._prepared:
                    self._start_for_questions(self._opened)
            opened = self._opened
        self._sync(opened)
        return opened

    def _after_write(self, opened: _Opened) -> None:
        """Bring this process's vectors up to date; fold the log, snapshot and relayout them off the caller's path."""
        self._sync(opened)
        opened.vectors.after_write(opened.store)

    # --- ingest -------------------------------------------------------------------
    def ingest(
        self,
        documents: Iterable[Document],
        progress: Progress | None = None,
        committed: Callable[[list[IngestResult]], None] | None = None,
    ) -> list[IngestResult]:
        """Add documents; duplicates (same URL or same text) are reported, not added.

        `progress(done, total)` counts passages as they are embedded. Work is committed in
        batches of about `batch_sentences` sentences, so a long ingest that is interrupted
        (a full disk, Ctrl-C) keeps what was fully committed and nothing half-done;
        `committed(results)` is told each batch's results, in order, once it is stored, so
        that a caller can say what was kept when a later batch fails.
        """
        from index.ingest import SentenceCounter

        counter = SentenceCounter(progress)
        results: list[IngestResult] = []
        for batch in self._batches(documents, counter):
            stored = self._ingest_batch(batch, counter)
            results.extend(stored)
            if committed is not None:
                committed(stored)
        return results

    def _batches(self, documents: Iterable[Document], counter: SentenceCounter) -> Iterator[list[Prepared]]:
        """Prepared documents in batches; all prepared first when their number is known,
        so that progress has its total from the start."""
        from index.ingest import prepare

        items: Iterable[Prepared]
        # Tomorrow anywhere on Earth: a page published today in a later time zone is not early.
        latest = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
        if isinstance(documents, Sized):
            items = [prepare(d, self.config.max_words, latest_date=latest) for d in documents]
            counter.expect(sum(len(p.contexts) for p in items))
        else:
            items = (prepare(d, self.config.max_words, latest_date=latest) for d in documents)
        batch: list[Prepared] = []
        for item in items:
            batch.append(item)
            if sum(len(p.contexts) for p in batch) >= self.batch_sentences:
                yield batch
                batch = []
        if batch:
            yield batch

    def _ingest_batch(self, batch: list[Prepared], counter: SentenceCounter) -> list[IngestResult]:
        opened = self._current()
        # Known duplicates are not embedded; the store decides again when it writes.
        with opened.store.read():
            known = [opened.store.find_duplicate(p.article) for p in batch]
        first_with_key: dict[str, int] = {}
        fresh: list[int] = []
        same_as: dict[int, int] = {}
        for position, (item, duplicate) in enumerate(zip(batch, known)):
            earlier = next((first_with_key[k] for k in item.keys if k in first_with_key), None)
            if duplicate is not None:
                counter.advance(len(item.contexts))
            elif earlier is not None:
                same_as[position] = earlier
                counter.advance(len(item.contexts))
            else:
                fresh.append(position)
                first_with_key.update(dict.fromkeys(item.keys, position))
        written: dict[int, IngestResult] = {}

        def still_duplicates(store: Store) -> tuple[list[ArticleRow | None], list[bool]]:  # or a PgStore, alike
            # A duplicate found before embedding may have been deleted since: decided again, and
            # in the same transaction whether it holds this text (else it was found by its link).
            rows = [None if found is None else store.find_duplicate(item.article) for item, found in zip(batch, known)]
            hashes = (item.article.duplicate_keys()[0] for item in batch)
            return rows, [row is not None and store.stored_under(h, ()) is None for row, h in zip(rows, hashes)]

        if fresh:
            vectors = counter.embed(self.embedder, [c for i in fresh for c in batch[i].contexts])
            with self._write_lock:
                opened = self._current()
                with opened.store.write():
                    offset = 0
                    for position in fresh:
                        count = len(batch[position].contexts)
                        article = batch[position].article
                        written[position] = IngestResult(
                            *opened.store.add_article(article, vectors[offset : offset + count])
                        )
                        offset += count
                    rechecked, differs = still_duplicates(opened.store)
        else:  # nothing to write (a feed polled again): a read decides, without waiting on writers
            opened = self._current()
            with opened.store.read():
                rechecked, differs = still_duplicates(opened.store)
        gone = [p for p, (before, now) in enumerate(zip(known, rechecked)) if before is not None and now is None]
        known = rechecked
        if fresh:
            self._after_write(opened)
        if gone:  # embedded now, and decided again, as any new article
            from index.ingest import SentenceCounter

            for position, result in zip(gone, self._ingest_batch([batch[p] for p in gone], SentenceCounter(None))):
                written[position] = result
        results = []
        for position, duplicate in enumerate(known):
            if duplicate is not None:
                results.append(IngestResult("duplicate", duplicate, differs[position]))
            elif position in same_as:
                earlier = batch[same_as[position]].article
                other_text = not set(batch[position].article.duplicate_keys()[0]) & set(earlier.duplicate_keys()[0])
                results.append(IngestResult("duplicate", written[same_as[position]].article, other_text))
            else:
                results.append(written[position])
        return results

    # --- reading ------------------------------------------------------------------
    def ask(self, question: str, top_k: int = 5, mode: Mode = "hybrid", topic: Topic | None = None) -> Answer:
        """The answer to `question`. `topic`: what its conversation is about (the previous
        answer's `Answer.topic`), which it is read with when it refers back ("Quel âge
        a-t-elle ?": `index.conversation`)."""
        return self.ask_many([question], top_k, mode, [topic])[0]

    def ask_many(
        self,
        questions: Sequence[str],
        top_k: int = 5,
        mode: Mode = "hybrid",
        topics: Sequence[Topic | None] | None = None,
    ) -> list[Answer]:
        """Answer questions in order (`topics`: each one's, as for `ask`). Their embeddings
        are computed in one batch, in a worker thread, while the first question's lexical
        search runs: the two stages overlap (README, "Performance")."""
        if not questions:
            return []
        if top_k < 1:
            raise ValueError(f"top_k must be 1 or more, not {top_k}")
        # Half of an emoji (a lone surrogate) cannot go through the model's tokenizer: it failed
        # this question, and every question embedded in the same batch, others' too. A phone's
        # bold or full-width letters ("𝐐𝐮𝐢 ?") are searched as the plain ones the articles have.
        questions = [plain_letters(readable(q)) for q in questions]
        opened = self._current()
        readings = [
            self.searcher.respelled(opened.store, opened.lexicon, read(q, t))
            for q, t in zip(questions, topics or [None] * len(questions), strict=True)
        ]
        # A question answered without a search (`Reading.of_articles_meant`) is embedded only
        # if it falls back to one (its articles deleted since).
        searched = [not r.of_articles_meant for r in readings]
        # A question that may stand alone after all ("Combien de voyageurs ?" after one on the
        # castors) is embedded alone too, in the same batch.
        alone = [r.standing_alone for r in readings]
        texts = [r.search for r in readings] + [a.search for a in alone if a is not None]
        wanted = searched + [True] * (len(texts) - len(readings))
        vectors: Sequence[QuestionVector | None] = (
            [None] * len(texts) if mode == "lexical" else self._question_encoder.vectors(texts, wanted)
        )
        alone_vectors = iter(vectors[len(readings) :])
        answers = []
        for reading, vector, standing in zip(readings, vectors, alone, strict=False):
            alone_vector = next(alone_vectors) if standing is not None else None
            # A batch may outlast a reindex (here or on another replica): each answer reads
            # the library in place, never one whose tables may have been dropped since.
            opened = self._current()
            answers.append(
                self.searcher.answer(
                    opened.store, opened.vectors, opened.lexicon, reading, vector, top_k, mode, alone_vector
                )
            )
        return answers

    def prepare_for_questions(self) -> Future:
        """For processes that answer questions for long (the bot, the console chat): what
        makes a large library's answers fast is done in the background from now on (again
        after a reindex): its vector snapshot read into this process's memory, and its
        in-memory lexicon built, and the question model run once (its first run sets up
        buffers and kernels: several times a question's usual time, which the first person
        to ask would otherwise wait for), and then the passage model, which an embedder may
        load only when first used (the first article added would wait for it), and a faster
        way for questions asked one at a time readied (an embedder's own
        `prepare_for_questions`: the default model compiles a network for them, which
        questions use once it is ready). Returns at once a future done when all of that is
        (which it also logs: `READY_FOR_QUESTIONS`)."""
        self._prepared = True
        self._start_for_questions(self._current())
        self._question_encoder.submit([WARM_UP_QUESTION])  # its result is not needed
        self._maintenance.submit(self._unless_closing, self.embedder.embed_passages, [WARM_UP_QUESTION])
        prepare_model = getattr(self.embedder, "prepare_for_questions", None)  # an embedder's own, if any
        if prepare_model is not None:
            self._maintenance.submit(
                self._unless_closing,
                _logged_failure,
                lambda: prepare_model(lambda: self._closing),  # given up at close: nothing stored waits
                "readying the model for questions",
            )
        # The maintenance thread takes its work in order: this comes once all of the above is done
        # (not said once closing: the steps above were then skipped or given up).
        return self._maintenance.submit(self._unless_closing, log.info, READY_FOR_QUESTIONS)

    def _unless_closing(self, step: Callable[..., object], *args: object) -> None:
        """A warm-up step, skipped once the library is closing: a bot stopped soon after it
        started waited for the passage model to load and a network to compile (seconds)
        before it could exit."""
        if not self._closing:
            step(*args)

    @staticmethod
    def _start_for_questions(opened: _Opened) -> None:
        opened.vectors.read_ahead(opened.store)  # first: seconds, where the lexicon takes longer
        if opened.lexicon is not None:
            with opened.store.read():
                opened.lexicon.start(opened.store)

    def article(self, article_id: int) -> ArticleRow:
        _check_id(article_id)
        store = self._current().store
        with store.read():
            row = store.get_article(article_id)
        if row is None:
            raise NotFound(f"aucun article n'a l'identifiant {article_id}")
        return row

    def stored_under(self, hashes: Sequence[str], links: Sequence[str]) -> ArticleRow | None:
        """The article a document of these keys (`index.ingest.article_keys`) is stored as, if any:
        the one with one of these text hashes, else the one at one of these links. The page at a
        link, however written, is `stored_under((), same_page_links(url))`."""
        store = self._current().store
        with store.read():
            return store.stored_under(hashes, links)

    def article_texts(self, article_ids: Sequence[int]) -> dict[int, tuple[ArticleRow, str]]:
        """The cleaned text of these articles (those still in the library), by id."""
        store = self._current().store
        with store.read():
            return {a.row.id: (a.row, a.text) for a in store.stored_articles(list(article_ids))}

    def texts_before(self, passage_ids: Sequence[int]) -> dict[int, str]:
        """The text of each passage's article before the passage (of those still in the
        library), by passage id: what a page shows above a quote from it, which a link to the
        quote must not be mistaken for. One read of the passages and their articles' texts, by
        their keys: an answer's few, whatever the library's size."""
        store = self._current().store
        with store.read():
            passages = store.get_passages(list(passage_ids))
            articles = sorted({p.article_id for p in passages.values()})
            texts = {a.row.id: a.text for a in store.stored_articles(articles)} if articles else {}
        return {i: texts[p.article_id][: p.start] for i, p in passages.items() if p.article_id in texts}

    def articles(self, offset: int = 0, limit: int | None = None) -> list[ArticleRow]:
        store = self._current().store
        with store.read():
            return store.list_articles(offset, limit)

    def counts(self) -> tuple[int, int]:
        """Articles and passages stored: what an article added or deleted changes (kept by
        every write, no table scan), for answers kept to know they may be out of date."""
        store = self._current().store
        with store.read():
            return store.counts()

    def stats(self) -> LibraryStats:
        articles, passages = self.counts()
        return LibraryStats(
            articles,
            passages,
            self.config.model,
            self.config.dimension,
            self.config.max_words,
            self.backend.size_bytes(),
            self.backend.location,
            self.outdated_analyzer,
        )

    @property
    def vector_index(self):
        """The in-memory vector index as it is now (benchmarks report its layout)."""
        return self._current().vectors

    @property
    def lexicon(self) -> LiveLexicon | None:
        """The in-memory lexicon, when the backend keeps one (benchmarks wait for its build)."""
        return self._current().lexicon

    # --- curation -----------------------------------------------------------------
    def delete(self, article_id: int) -> ArticleRow:
        _check_id(article_id)
        with self._write_lock:
            opened = self._current()
            article = opened.store.delete_article(article_id)
        if article is None:
            raise NotFound(f"aucun article n'a l'identifiant {article_id}")
        self._after_write(opened)
        return article

    def reindex(self, progress: Progress | None = None) -> ReindexReport:
        """Rebuild with the current settings (`index.reindex`). Questions keep being
        answered, and writes keep landing, until the new index is swapped in."""
        from index.reindex import rebuild

        report = rebuild(self.backend, self.embedder, self.config, progress, self.batch_sentences)
        self._current()
        return report

    @classmethod
    def rebuild(
        cls,
        storage: Path | str | Backend,
        embedder: Embedder,
        *,
        max_words: int = 120,
        policy: RelevancePolicy | None = None,
        background: BackgroundFrequencies | None = None,
        progress: Progress | None = None,
    ) -> Library:
        """`reindex` for a library that cannot be opened with the current settings."""
        backend = LocalBackend(Path(storage)) if isinstance(storage, str | Path) else storage
        config = IndexConfig(embedder.name, embedder.dimension, max_words, ANALYZER_VERSION)
        from index.reindex import rebuild

        rebuild(backend, embedder, config, progress)
        return cls(backend, embedder, max_words=max_words, policy=policy, background=background)

    def on(self, storage: Path | str | Backend) -> Library:
        """A library with this one's model and settings, opened on other storage (a copy, a
        sample, the same articles in PostgreSQL)."""
        return Library(
            storage,
            self.embedder,
            max_words=self.config.max_words,
            policy=self.policy,
            background=self.background,
            batch_sentences=self.batch_sentences,
        )

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._closing = True  # the warm-up steps not yet begun are skipped (`_unless_closing`)
        self._question_encoder.close()
        self._opened.vectors.close()  # reading ahead stops at its next chunk
        if self._opened.lexicon is not None:
            self._opened.lexicon.close()  # a build under way stops at its next batch
        self._maintenance.shutdown()  # waits for a snapshot or a layout change under way
        self._opened.store.close()
        self.backend.close()
        if self._in_use is not None:
            self._in_use.release()


# Logged when a process that answers for long has done its start-up work for questions.
READY_FOR_QUESTIONS = "ready for questions: vectors, lexicon and model prepared"


def _logged_failure(step: Callable[[], None], what: str) -> None:
    """Run a background step whose failure leaves things as they were: logged, not raised
    into a future nobody reads."""
    try:
        step()
    except Exception:
        log.exception("%s failed; questions go the usual way", what)
