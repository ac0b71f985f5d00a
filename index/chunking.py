"""Passages: runs of whole sentences under a word budget, as offsets into the article.

A passage never crosses a section heading; it prefers to end at a paragraph end.
Its heading travels with it as context (embedded and searched, never quoted).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from index.cleaning import Block, block_offsets
from index.sentences import sentence_spans


@dataclass(frozen=True)
class Chunk:
    start: int
    end: int
    heading: str | None = None


def word_count(text: str) -> int:
    return len(text.split())


def _balanced_runs(spans: list[tuple[int, int]], words: list[int], max_words: int) -> list[list[tuple[int, int]]]:
    """Split a paragraph's sentences into the fewest runs under budget, of even size."""
    total = sum(words)
    if total <= max_words:
        return [spans]
    target = total / math.ceil(total / max_words)
    runs: list[list[tuple[int, int]]] = [[]]
    size = 0
    for span, count in zip(spans, words):
        if runs[-1] and (size + count > max_words or size + count / 2 > target):
            runs.append([])
            size = 0
        runs[-1].append(span)
        size += count
    return runs


def chunk_blocks(text: str, blocks: list[Block], max_words: int) -> list[Chunk]:
    """Chunks of `text` (the joined `blocks`), in order, each an exact slice."""
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
        spans = sentence_spans(text, start, end)
        counts = [word_count(text[a:b]) for a, b in spans]
        if pending_words + sum(counts) <= max_words:
            pending.extend(spans)
            pending_words += sum(counts)
            continue
        flush()
        runs = _balanced_runs(spans, counts, max_words)
        for run in runs[:-1]:
            pending = run
            flush()
        pending = runs[-1]
        pending_words = sum(word_count(text[a:b]) for a, b in pending)
    flush()
    return chunks
