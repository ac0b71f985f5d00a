"""The in-memory lexicon (`index.lexicon`), kept in step with the store's passages.

Built in the maintenance thread of a process that answers questions for long (`start`: the
bot, the console chat), from every passage's terms as one read transaction sees them, once
the library is large enough for FTS5's scoring to be slow; until then, in other processes,
and whenever it cannot be brought up to a reader's view, questions are answered by FTS5,
which ranks the same. A reader brings it up to date by replaying the store's change log (the
vector change log: one line per passage added or removed) inside its own read transaction,
as the vector index does (`index.live_vectors`). What the log adds piles up beside the
base arrays; past a bound the lexicon is rebuilt in the background and swapped in.

One lock guards which lexicon is current; a lexicon never changes once made, so searches
hold no lock, and replaying and building happen outside it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from concurrent.futures import Executor

from index.lexicon import BuildStopped, Lexicon, Postings
from index.live_vectors import lower_priority
from index.store import Store

log = logging.getLogger(__name__)

# From this many passages the lexicon is built: below, FTS5 scores a question's matches in
# about a millisecond and the build would cost more than it saves.
LEXICON_FROM = 10_000
# Rebuilt once this many passages have been added or removed since its base was built (this
# share of the library, between those bounds): what the log adds is scored more slowly than
# the base, and a rebuild reads every passage.
REBUILD_EVERY = (2_000, 20_000)
REBUILD_SHARE = 0.05


class LiveLexicon:
    def __init__(
        self,
        maintenance: Executor | None,
        *,
        build_from: int = LEXICON_FROM,
        rebuild_every: tuple[int, int] = REBUILD_EVERY,
    ) -> None:
        """`maintenance` builds the lexicon off the callers' path; without one there is none
        and FTS5 answers (a tool, a reindex)."""
        self.build_from = build_from
        self.rebuild_every = rebuild_every
        self._maintenance = maintenance
        self._lock = threading.Lock()
        self._lexicon: Lexicon | None = None
        self._applied = -1  # the change of the store's log the lexicon holds
        self._building = False
        self._wanted = False  # asked for by `start`: this process answers questions for long
        self._closing = threading.Event()

    def lexical(self, store: Store) -> Lexicon | Store:
        """What answers lexical questions for the caller's view of `store` (call it inside
        `store.read()`): the lexicon brought up to that view, else the store's FTS5."""
        lexicon = self.current(store)
        return store if lexicon is None else lexicon

    def start(self, store: Store) -> None:
        """Build the lexicon in the background, now and whenever it must be rebuilt, if the
        library is large enough. Only processes that answer questions for long ask for it: a
        one-shot command would wait for the build as it exits, for a question or two."""
        self._wanted = True
        self._request_build(store)

    def current(self, store: Store) -> Lexicon | None:
        """The lexicon holding at least the caller's view of `store`; None while there is none
        (another build is then asked for, if one was wanted)."""
        with self._lock:
            lexicon, applied = self._lexicon, self._applied
        if lexicon is None or applied < store.pruned_through():  # not built, or the log it needs is gone
            self._request_build(store)
            return None
        if store.last_change() <= applied:
            return lexicon
        changes = store.changes_after(applied)
        updated = lexicon.changed(list(store.passage_terms(changes.added)), changes.removed)
        with self._lock:
            if self._lexicon is lexicon:  # else another thread replayed, or a rebuild was swapped in
                self._lexicon, self._applied = updated, changes.last_seq
        low, high = self.rebuild_every
        if updated.changes >= min(max(low, int(len(updated.base) * REBUILD_SHARE)), high):
            self._request_build(store, rebuild=True)
        return updated

    @property
    def ready(self) -> bool:
        with self._lock:
            return self._lexicon is not None

    def _request_build(self, store: Store, *, rebuild: bool = False) -> None:
        if not self._wanted or self._maintenance is None or self._closing.is_set():
            return
        if not rebuild and store.counts()[1] < self.build_from:
            return
        with self._lock:
            if self._building:
                return
            self._building = True
        try:
            self._maintenance.submit(self._build, store)
        except RuntimeError:  # the executor is shutting down: the library is closing
            with self._lock:
                self._building = False

    def _build(self, store: Store) -> None:
        lower_priority()  # questions answered meanwhile get the cores first
        try:
            with store.read():
                applied = store.last_change()
                postings = Postings.build(store.passage_terms(), stop=self._closing.is_set)
            with self._lock:
                self._lexicon, self._applied = Lexicon(postings), applied
            log.info("lexicon built: %d passages, %d terms", len(postings), len(postings.vocabulary))
        except BuildStopped:
            pass
        except Exception:  # never takes the process down: FTS5 keeps answering
            log.exception("lexicon build failed")
        finally:
            with self._lock:
                self._building = False

    def wait(self, timeout: float = 600.0) -> bool:
        """Until no build is under way (benchmarks, tests); whether one is ready."""
        if self._maintenance is not None and not self._closing.is_set():
            with contextlib.suppress(RuntimeError):  # shut down: nothing is under way
                self._maintenance.submit(lambda: None).result(timeout)  # one thread: after what was queued
        return self.ready

    def close(self) -> None:
        """Stop a build under way at its next batch: the library is closing."""
        self._closing.set()
