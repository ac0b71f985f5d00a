"""Hybrid ranking: reciprocal-rank fusion of the dense and lexical lists, and the
decision whether the best candidate is worth showing at all."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Tuned on the dev questions (README, "Retrieval quality"): the lexical ranking is
# the stronger of the two on French news questions, and a smaller k trusts the
# top of each list more. Both moved hit@5 by under a point over plain RRF (60, 1:1).
RRF_K = 20
FUSION_WEIGHTS = (0.8, 1.0)  # dense, lexical
# A term found in more passages than this tells them apart too little to be worth
# BM25-scoring every one of them: at 100k passages, leaving such terms out of the
# lexical query takes it from 10.5 / 37.5 ms (p50 / p95) to 2.2 / 5.0 ms (README,
# "Performance"). Libraries under 2,000 passages, like the eval one, never reach it.
MAX_TERM_PASSAGES = 2_000


def selective_terms(
    query_terms: Sequence[str], frequencies: dict[str, int], limit: int = MAX_TERM_PASSAGES, keep: int = 2
) -> list[str]:
    """The query terms worth a lexical search: all but the too common ones, and at
    least the `keep` rarest, so that a question made of common words still matches."""
    unique = list(dict.fromkeys(query_terms))
    chosen = [t for t in unique if frequencies.get(t, 0) <= limit]
    if len(chosen) < min(keep, len(unique)):
        chosen = sorted(unique, key=lambda t: frequencies.get(t, 0))[:keep]
    return chosen


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], weights: Sequence[float], k: int = RRF_K
) -> list[tuple[int, float]]:
    """Ids by summed weight/(k + rank), best first; ties keep first-seen order."""
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])


@dataclass(frozen=True)
class Evidence:
    """What we know about the best candidate when deciding to show it."""

    dense: float  # cosine similarity between question and passage
    coverage: float  # share of the question's IDF weight found in the passage


@dataclass(frozen=True)
class RelevancePolicy:
    """Logistic combination of the evidence. The weights were fitted on the dev
    questions with a third of the articles held out (README, "Relevance"): at
    0.5, about 86% of answerable questions are answered and 85% of the others
    declined, where the dense score alone declines 65% at the same recall."""

    threshold: float = 0.5
    bias: float = -33.6
    w_dense: float = 37.9
    w_coverage: float = 5.6

    def probability(self, e: Evidence) -> float:
        z = self.bias + self.w_dense * e.dense + self.w_coverage * e.coverage
        return 1.0 / (1.0 + math.exp(-z))

    def is_relevant(self, e: Evidence) -> bool:
        return self.probability(e) >= self.threshold
