"""Choosing the quote: the sentence (or two) of a passage that best answers the question."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from index.analysis import terms
from index.sentences import sentence_spans

SHORT_SENTENCE_WORDS = 8


def idf_weights(query_terms: Sequence[str], document_frequency: Mapping[str, int], documents: int) -> dict[str, float]:
    return {
        t: math.log(1.0 + (documents - document_frequency.get(t, 0) + 0.5) / (document_frequency.get(t, 0) + 0.5))
        for t in set(query_terms)
    }


def coverage(weights: Mapping[str, float], text: str) -> float:
    """Share of the question's term weight present in `text` (0 when it has no terms)."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    present = set(terms(text))
    return sum(w for t, w in weights.items() if t in present) / total


def best_quote(passage: str, weights: Mapping[str, float]) -> tuple[int, int]:
    """Offsets in `passage` of the best-answering sentence, joined with its
    neighbour when it is too short to stand alone. Ties go to the earlier one."""
    spans = sentence_spans(passage)
    if not spans:
        return 0, len(passage)
    scores = []
    for a, b in spans:
        present = set(terms(passage[a:b]))
        scores.append(sum(w for t, w in weights.items() if t in present))
    best = max(range(len(spans)), key=lambda i: (scores[i], -i))
    start, end = spans[best]
    if len(passage[start:end].split()) < SHORT_SENTENCE_WORDS and len(spans) > 1:
        if best + 1 < len(spans) and (best == 0 or scores[best + 1] >= scores[best - 1]):
            end = spans[best + 1][1]
        else:
            start = spans[best - 1][0]
    return start, end
