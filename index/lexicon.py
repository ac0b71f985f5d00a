"""An in-memory inverted index of the passages' terms, scored with FTS5's own BM25.

SQLite FTS5 stays the lexical index of record (it is written in the same transaction as
the passages). Its `bm25()` is slow in a large library: for every matching row it reads
the row's size from another table, so a question whose terms are held by tens of
thousands of passages takes tens of milliseconds. This index is derived from the same
terms: postings in compact arrays (`Postings`, built once from every passage) and the
passages written or deleted since (`Lexicon`, an immutable view: base plus changes), scored
with vectorised arithmetic. Its figures are FTS5's: the same BM25 (k1 = 1.2, b = 0.75,
IDF floored at 1e-6), the same counts of rows and tokens, and equal scores in increasing
passage id order, so that it ranks as FTS5 ranks (a test checks it against FTS5).

How it is kept in step with the store: `index.live_lexicon`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

# FTS5's bm25() constants (sqlite/ext/fts5/fts5_aux.c).
K1 = 1.2
B = 0.75
IDF_FLOOR = 1e-6
# Passages read from the store and tokenised together while building.
BUILD_BATCH = 2_000
# Postings are summed by sorting the passages they touch, or, once they number more than
# one in this many passages, into one array over every passage (cheaper than the sort).
DENSE_FROM = 32


class BuildStopped(Exception):
    """The build was asked to stop (the library is closing)."""


@dataclass(frozen=True)
class Postings:
    """Every passage's terms, inverted: term → (rows, term counts), a row being a passage's
    place in `passage_ids` (increasing)."""

    vocabulary: dict[str, int]
    offsets: np.ndarray  # int64, one more than terms: term t's postings are offsets[t]:offsets[t+1]
    rows: np.ndarray  # int32, increasing within a term
    counts: np.ndarray  # int32, times the term occurs in the passage
    passage_ids: np.ndarray  # int64, increasing
    lengths: np.ndarray  # int32, tokens per passage (FTS5's row size)

    @classmethod
    def build(cls, passages: Iterable[tuple[int, str]], stop: Callable[[], bool] = lambda: False) -> Postings:
        """From (passage id, space-separated terms) in increasing id order. `stop` is asked
        between batches; when it says so, `BuildStopped` is raised."""
        vocabulary: dict[str, int] = {}
        term_id = vocabulary.setdefault
        ids: list[int] = []
        lengths: list[np.ndarray] = []
        term_parts: list[np.ndarray] = []
        batch: list[tuple[int, str]] = []

        def flush() -> None:
            tokens: list[str] = []
            sizes = np.empty(len(batch), np.int32)
            for n, (passage_id, text) in enumerate(batch):
                split = text.split()
                sizes[n] = len(split)
                tokens.extend(split)
                ids.append(passage_id)
            term_parts.append(np.fromiter((term_id(t, len(vocabulary)) for t in tokens), np.int32, len(tokens)))
            lengths.append(sizes)
            batch.clear()

        for item in passages:
            batch.append(item)
            if len(batch) >= BUILD_BATCH:
                if stop():
                    raise BuildStopped
                flush()
        if batch:
            flush()
        sizes = np.concatenate(lengths) if lengths else np.zeros(0, np.int32)
        # One key per token, term-major: sorting groups a term's passages, in row order.
        keys = np.empty(int(sizes.sum()), np.int64)
        start = first_row = 0
        for part in range(len(term_parts)):
            tokens_of, rows_in = term_parts[part], lengths[part]
            term_parts[part] = _NO_ROWS  # freed as it is copied
            end = start + len(tokens_of)
            keys[start:end] = tokens_of
            keys[start:end] <<= 32
            keys[start:end] |= np.repeat(np.arange(first_row, first_row + len(rows_in), dtype=np.int64), rows_in)
            start, first_row = end, first_row + len(rows_in)
        keys.sort()
        first = np.ones(len(keys), bool)  # a term's first token in a passage
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        firsts = np.flatnonzero(first)
        counts = np.empty(len(firsts), np.int32)  # the gaps between firsts (no 64-bit copy)
        np.subtract(firsts[1:], firsts[:-1], out=counts[:-1], casting="unsafe")
        counts[-1:] = len(keys) - firsts[-1:]
        del firsts
        keys = keys[first]
        del first
        rows = (keys & 0xFFFFFFFF).astype(np.int32)
        keys >>= 32  # now each posting's term
        offsets = np.searchsorted(keys, np.arange(len(vocabulary) + 1)).astype(np.int64)
        return cls(vocabulary, offsets, rows, counts, np.array(ids, dtype=np.int64), sizes)

    def __len__(self) -> int:
        return len(self.passage_ids)

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """The rows holding `term` and how often each holds it."""
        index = self.vocabulary.get(term)
        if index is None:
            return _NO_ROWS, _NO_ROWS
        start, end = self.offsets[index], self.offsets[index + 1]
        return self.rows[start:end], self.counts[start:end]

    def nbytes(self) -> int:
        arrays = (self.offsets, self.rows, self.counts, self.passage_ids, self.lengths)
        return sum(a.nbytes for a in arrays)


_NO_ROWS = np.zeros(0, np.int32)


@dataclass(frozen=True)
class Lexicon:
    """The base postings with the passages added and removed since: one state of the
    library's terms. Changing it makes a new one (`changed`), so searches never wait on,
    or see half of, a change."""

    base: Postings
    removed: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # by base row; empty: none
    added: dict[int, tuple[Counter, int]] = field(default_factory=dict)  # passage id → (term counts, length)
    added_postings: dict[str, dict[int, int]] = field(default_factory=dict)  # term → passage id → count
    rows: int = -1  # passages in this state
    tokens: int = -1  # tokens in this state

    def __post_init__(self) -> None:
        if self.rows < 0:
            object.__setattr__(self, "rows", len(self.base))
            object.__setattr__(self, "tokens", int(self.base.lengths.sum()))
        # Scores are summed by slot: a base row, or one past the base for each added passage.
        object.__setattr__(self, "_added_ids", np.fromiter(self.added, np.int64, len(self.added)))
        object.__setattr__(self, "_added_slots", {p: len(self.base) + n for n, p in enumerate(self.added)})

    @property
    def changes(self) -> int:
        """Passages added or removed since the base was built."""
        return len(self.added) + int(self.removed.sum())

    def changed(self, added: Sequence[tuple[int, str]], removed: Sequence[int]) -> Lexicon:
        """This state with passages removed (by id) and added (id, terms; ids never seen)."""
        base = self.base
        mask = self.removed  # copied before its first change
        if removed:
            mask = mask.copy() if len(mask) else np.zeros(len(base), bool)
        overlay = dict(self.added)
        postings = dict(self.added_postings)
        copied: set[str] = set()  # terms whose passages were copied from self's: changed in place

        def passages_of(term: str) -> dict[int, int]:
            if term not in copied:
                copied.add(term)
                postings[term] = dict(postings.get(term, {}))
            return postings[term]

        rows, tokens = self.rows, self.tokens
        for passage_id in removed:
            if passage_id in overlay:
                counts, length = overlay.pop(passage_id)
                for term in counts:
                    passages_of(term).pop(passage_id, None)
                rows, tokens = rows - 1, tokens - length
            elif (row := _base_row(base, passage_id)) is not None and not mask[row]:
                mask[row] = True
                rows, tokens = rows - 1, tokens - int(base.lengths[row])
        for passage_id, text in added:
            if passage_id in overlay or _base_row(base, passage_id) is not None:
                continue  # already held (ids are never reused: a base row is the same passage)
            split = text.split()
            counts = Counter(split)
            overlay[passage_id] = (counts, len(split))
            for term, count in counts.items():
                passages_of(term)[passage_id] = count
            rows, tokens = rows + 1, tokens + len(split)
        for term in copied:
            if not postings[term]:
                del postings[term]
        return Lexicon(base, mask, overlay, postings, rows, tokens)

    # --- what the searcher asks -------------------------------------------------------
    def document_frequencies(self, query_terms: Sequence[str]) -> dict[str, int]:
        """Passages holding each term (terms no passage holds are left out)."""
        found = {}
        for term in dict.fromkeys(query_terms):
            count = self._frequency(term)
            if count:
                found[term] = count
        return found

    def _frequency(self, term: str) -> int:
        """Passages holding `term`, read off the offsets unless base passages were removed."""
        index = self.base.vocabulary.get(term)
        held = 0 if index is None else int(self.base.offsets[index + 1] - self.base.offsets[index])
        if held and len(self.removed):
            held -= int(self.removed[self.base.postings(term)[0]].sum())
        return held + len(self.added_postings.get(term, ()))

    def lexical_search(
        self, query_terms: Sequence[str], limit: int, *, every_term: bool = False
    ) -> list[tuple[int, float]]:
        """Passage ids by BM25 (higher is better) for any of the terms (all of them:
        `every_term`), as FTS5 ranks them."""
        unique = list(dict.fromkeys(t for t in query_terms if t))
        if not unique or self.rows <= 0 or limit <= 0:
            return []
        average = self.tokens / self.rows
        found = [self._term(term) for term in unique]
        held = [postings for postings in found if len(postings[0])]
        if not held or (every_term and len(held) < len(found)):
            return []
        idfs = [_idf(self.rows, len(slots)) for slots, _ in held]
        if every_term and len(held) > 1:
            # Only the passages holding every term are scored: found from the shortest list.
            slots = min((slots for slots, _ in held), key=len)
            for other, _ in held:
                at = np.minimum(np.searchsorted(other, slots), len(other) - 1)
                slots = slots[other[at] == slots]
            lengths = self._lengths(slots)
            scores = np.zeros(len(slots))
            for idf, (other, counts) in zip(idfs, held):  # in the terms' order, as FTS5 adds them
                scores += _bm25(idf, counts[np.searchsorted(other, slots)], lengths, average)
        else:
            parts = [_bm25(idf, counts, self._lengths(slots), average) for idf, (slots, counts) in zip(idfs, held)]
            slots, scores = _summed([slots for slots, _ in held], parts, self._slots())
        if len(slots) > limit:  # the best `limit`, and any tied with the last of them
            threshold = np.partition(scores, len(scores) - limit)[len(scores) - limit]
            keep = scores >= threshold
            slots, scores = slots[keep], scores[keep]
        ids = self._passage_ids(slots)
        order = np.lexsort((ids, -scores))[:limit]  # equal scores in increasing id order, as FTS5
        return list(zip(ids[order].tolist(), scores[order].tolist()))

    def _term(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """The slots of the passages holding `term` in this state (increasing), and its counts."""
        rows, counts = self.base.postings(term)
        if len(self.removed) and len(rows):
            kept = ~self.removed[rows]
            rows, counts = rows[kept], counts[kept]
        slots = rows.astype(np.int64)
        extra = self.added_postings.get(term)
        if extra:
            more_slots = np.fromiter((self._added_slots[p] for p in extra), np.int64, len(extra))
            more_counts = np.fromiter(extra.values(), np.int32, len(extra))
            order = np.argsort(more_slots)
            slots = np.concatenate([slots, more_slots[order]])
            counts = np.concatenate([counts, more_counts[order]])
        return slots, counts

    def _lengths(self, slots: np.ndarray) -> np.ndarray:
        """The tokens of the passages in these slots."""
        based = len(self.base)
        if not len(slots) or slots[-1] < based:  # increasing: all in the base
            return self.base.lengths[slots].astype(np.float64)
        lengths = np.empty(len(slots))
        in_base = slots < based
        lengths[in_base] = self.base.lengths[slots[in_base]]
        added = self._added_ids[slots[~in_base] - based]
        lengths[~in_base] = [self.added[p][1] for p in added.tolist()]
        return lengths

    def _slots(self) -> int:
        return len(self.base) + len(self.added)

    def _passage_ids(self, slots: np.ndarray) -> np.ndarray:
        based = len(self.base)
        in_base = slots < based
        ids = np.empty(len(slots), np.int64)
        ids[in_base] = self.base.passage_ids[slots[in_base]]
        ids[~in_base] = self._added_ids[slots[~in_base] - based]
        return ids


def _base_row(base: Postings, passage_id: int) -> int | None:
    row = int(np.searchsorted(base.passage_ids, passage_id))
    return row if row < len(base) and base.passage_ids[row] == passage_id else None


def _idf(rows: int, holding: int) -> float:
    idf = math.log((rows - holding + 0.5) / (holding + 0.5))
    return idf if idf > 0 else IDF_FLOOR


def _bm25(idf: float, counts: np.ndarray, lengths: np.ndarray, average: float) -> np.ndarray:
    """One term's part of the score of the passages holding it (FTS5's expression)."""
    tf = counts.astype(np.float64)
    return idf * ((tf * (K1 + 1.0)) / (tf + K1 * (1 - B + B * lengths / average)))


def _summed(
    slot_parts: list[np.ndarray], score_parts: list[np.ndarray], slots: int, dense_from: int = DENSE_FROM
) -> tuple[np.ndarray, np.ndarray]:
    """Each passage's score summed over the terms (in the terms' order, as FTS5 adds them),
    for the slots holding any of them."""
    if len(slot_parts) == 1:
        return slot_parts[0], score_parts[0]
    every = np.concatenate(slot_parts)
    weights = np.concatenate(score_parts)
    if len(every) * dense_from >= slots:  # many postings: summed into one array over all slots
        held = np.flatnonzero(np.bincount(every, minlength=slots))
        return held, np.bincount(every, weights=weights, minlength=slots)[held]
    held, inverse = np.unique(every, return_inverse=True)
    return held, np.bincount(inverse, weights=weights, minlength=len(held))
