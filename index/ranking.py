"""Hybrid ranking: reciprocal-rank fusion of the dense and lexical lists, and the
decision whether the best candidate is worth showing at all."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

import numpy as np

# Tuned on the dev questions (README, "Retrieval quality"): the lexical ranking is
# the stronger of the two on French news questions, and a smaller k trusts the
# top of each list more. Both moved hit@5 by under a point over plain RRF (60, 1:1).
RRF_K = 20
FUSION_WEIGHTS = (0.8, 1.0)  # dense, lexical
# A term found in more passages than this tells them apart too little to be worth
# BM25-scoring every one of them: in a large library, leaving such terms out of the
# lexical query makes it several times faster (README, "How it works", step 5, has the
# times). Libraries under 2,000 passages, like the eval one, never reach it.
MAX_TERM_PASSAGES = 2_000
# Sentences fetched from the vector index per passage wanted: a passage's several
# sentences may all be near the question and fill the list.
SENTENCES_SEARCHED_PER_PASSAGE = 8


@dataclass(frozen=True)
class LexicalQuery:
    """The terms a lexical search looks for, and whether a passage must hold all of them."""

    terms: tuple[str, ...]
    every_term: bool = False


def lexical_query(
    query_terms: Sequence[str], frequencies: dict[str, int], limit: int = MAX_TERM_PASSAGES, keep: int = 2
) -> LexicalQuery:
    """The lexical search worth making: the question's terms found in at most `limit`
    passages, any of them. A question made only of common words still matches: by its
    `keep` rarest terms, all of them together (any of them would mean BM25-scoring tens of
    thousands of passages in a large library, for a ranking that tells them apart little)."""
    unique = list(dict.fromkeys(query_terms))
    chosen = tuple(t for t in unique if frequencies.get(t, 0) <= limit)
    if chosen or not unique:
        return LexicalQuery(chosen)
    rarest = tuple(sorted(unique, key=lambda t: frequencies.get(t, 0))[:keep])
    return LexicalQuery(rarest, every_term=len(rarest) > 1)


def best_per_passage(passage_ids: np.ndarray, scores: np.ndarray, passages: int) -> list[tuple[int, float]]:
    """The first `passages` passages of sentence results given best first, each once, with
    its best sentence's score (a passage's dense score). Read in order until that many are
    found: the first of them come within the first results (sorting all the results' ids to
    find each one's first took longer than the loop)."""
    best: dict[int, float] = {}
    for passage, score in zip(passage_ids.tolist(), scores.tolist(), strict=True):
        if len(best) == passages:
            break
        best.setdefault(passage, score)
    return list(best.items())


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
class LinearModel:
    """A linear score over standardised features (the quote and passage models)."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]

    def scores(self, features: np.ndarray) -> np.ndarray:
        mean, scale, weights = self._arrays
        return ((features - mean) / scale) @ weights

    @cached_property
    def _arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The model's numbers as float32 arrays, made once: every answer scores its candidates'
        sentences and the candidates themselves, where three arrays were made of tuples each time."""
        return tuple(np.asarray(numbers, np.float32) for numbers in (self.mean, self.scale, self.weights))


@dataclass(frozen=True)
class Evidence:
    """What we know about the best candidate when deciding to show it."""

    dense: float  # cosine similarity between the question and the passage's closest sentence
    coverage: float  # share of the question's term weight found in the passage
    quote: float = 0.0  # the quote model's score of the passage's best sentence
    rarest: float = 0.0  # share of the weight of the question's two rarest terms found in the passage
    names: float = 1.0  # share of the names in the question (capitalised inside it) found in the passage
    lexical: float = 0.0  # 1 / the passage's rank in the lexical search (0: not found by it)
    gap: float = 0.0  # its cosine above the next candidate's
    spread: float = 0.0  # its cosine above the candidates' mean
    library: float = 0.0  # log(1 + passages in the library): how much else could have come close
    # The weight of the question's terms the passage lacks: what `coverage` leaves out, in
    # absolute terms. For the same share held, a question that says more is the likelier
    # answered in a large library, a vague one ("Qui a été assassiné ?", "Quelle est la couleur
    # historique ?") the likelier to meet a close sentence of some other subject there.
    missing: float = 0.0

    FIELDS: ClassVar[tuple[str, ...]] = (
        "dense", "coverage", "quote", "rarest", "names", "lexical", "gap", "spread", "library", "missing"
    )  # fmt: skip


@dataclass(frozen=True)
class RelevancePolicy:
    """Logistic combination of the evidence, and of the best cosine and the question's weight
    the passage lacks with the library's size (in a large library some sentence comes close
    to any question). The weights were fitted on libraries of 1 to 160 development articles,
    every size weighing the same and, within a size, the questions to answer a little more
    than those to decline (README, "Retrieval quality"; `python -m tests.tuning.fit_relevance`
    refits them)."""

    threshold: float = 0.5
    bias: float = -61.760
    weights: tuple[float, ...] = (
        72.823, 3.352, 0.213, 0.795, 1.566, 0.794, 5.534, 8.320, -0.387, -0.032, -0.380, 0.012
    )  # fmt: skip

    FEATURES: ClassVar[tuple[str, ...]] = (*Evidence.FIELDS, "dense × library", "missing × library")

    @staticmethod
    def features(e: Evidence) -> tuple[float, ...]:
        return (*(getattr(e, name) for name in Evidence.FIELDS), e.dense * e.library, e.missing * e.library)

    def probability(self, e: Evidence) -> float:
        return self.probability_of(self.features(e))

    def probability_of(self, features: Sequence[float]) -> float:
        z = self.bias + sum(w * f for w, f in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(min(z, 500.0), -500.0)))

    def is_relevant(self, e: Evidence) -> bool:
        return self.probability(e) >= self.threshold
