"""Passages: runs of whole sentences under a word budget, as offsets into the article.

A passage never crosses a section heading; it prefers to end at a paragraph end.
Its heading travels with it as context (embedded and searched, never quoted).
Every passage is within the word budget and `CHARACTERS_PER_WORD` times it in
characters, even when the text has no sentence ends (a sentence over budget is
cut between words, a word over budget between characters).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from index.cleaning import Block, block_offsets
from index.sentences import sentence_spans

# A passage's character bound is this many characters per word of budget: room for
# long words, and a hard stop for text without spaces or sentence ends.
CHARACTERS_PER_WORD = 20
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Chunk:
    start: int
    end: int
    heading: str | None = None


def word_count(text: str) -> int:
    return len(text.split())


def _balanced_runs(
    spans: list[tuple[int, int]], words: list[int], max_words: int, max_chars: int
) -> list[list[tuple[int, int]]]:
    """Split a paragraph's sentences into the fewest runs under budget, of even size."""
    total = sum(words)
    if total <= max_words and spans[-1][1] - spans[0][0] <= max_chars:
        return [spans]
    target = total / math.ceil(total / max_words)
    runs: list[list[tuple[int, int]]] = [[]]
    size = 0
    for span, count in zip(spans, words):
        if runs[-1] and (size + count > max_words or size + count / 2 > target or span[1] - runs[-1][0][0] > max_chars):
            runs.append([])
            size = 0
        runs[-1].append(span)
        size += count
    return runs


def bounded_spans(text: str, spans: list[tuple[int, int]], max_words: int, max_chars: int) -> list[tuple[int, int]]:
    """The spans, with any span over `max_words` words or `max_chars` characters cut
    into consecutive pieces within both (between words when it can)."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if b - a <= max_chars and word_count(text[a:b]) <= max_words:
            out.append((a, b))
            continue
        piece_start, piece_end, words = -1, -1, 0
        for match in _WORD.finditer(text, a, b):
            start, end = match.span()
            while end - start > max_chars:  # one "word" longer than a passage
                if piece_start >= 0:
                    out.append((piece_start, piece_end))
                    piece_start = -1
                out.append((start, start + max_chars))
                start += max_chars
            if piece_start >= 0 and (words >= max_words or end - piece_start > max_chars):
                out.append((piece_start, piece_end))
                piece_start = -1
            if piece_start < 0:
                piece_start, words = start, 0
            piece_end, words = end, words + 1
        if piece_start >= 0:
            out.append((piece_start, piece_end))
    return out


def chunk_blocks(text: str, blocks: list[Block], max_words: int) -> list[Chunk]:
    """Chunks of `text` (the joined `blocks`), in order, each an exact slice."""
    max_chars = max_words * CHARACTERS_PER_WORD
    chunks: list[Chunk] = []
    heading: str | None = None
    pending: list[tuple[int, int]] = []  # sentence spans waiting to become a chunk
    pending_words = 0

    def flush() -> None:
        nonlocal pending, pending_words
        if pending:
            chunks.append(Chunk(pending[0][0], pending[-1][1], heading))
        pending, pending_words = [], 0

    for block, (start, end) in zip(blocks, block_offsets(text, blocks)):
        if block.kind == "heading":
            flush()
            heading = block.text
            continue
        spans = bounded_spans(text, sentence_spans(text, start, end), max_words, max_chars)
        if not spans:
            continue
        counts = [word_count(text[a:b]) for a, b in spans]
        fits_chars = spans[-1][1] - (pending or spans)[0][0] <= max_chars
        if pending_words + sum(counts) <= max_words and fits_chars:
            pending.extend(spans)
            pending_words += sum(counts)
            continue
        flush()
        runs = _balanced_runs(spans, counts, max_words, max_chars)
        for run in runs[:-1]:
            pending = run
            flush()
        pending = runs[-1]
        pending_words = sum(word_count(text[a:b]) for a, b in pending)
    flush()
    return chunks
