"""From fused candidates to results: each candidate passage's sentences are scored, the
best sentence becomes its quote, and the candidates are reordered by their fused rank
and their best sentence together (a lower passage whose sentence answers far better
comes first). Pure functions: the library fetches, this decides."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from index.analysis import fold_accents, terms
from index.ingest import passage_context
from index.quotes import QUOTE_MODEL, QuoteModel, coverage, question_type, quote_span, sentence_features
from index.ranking import Evidence
from index.store import PassageRow, PassageSentences

# Candidates (from the top of the fusion) whose sentences are scored and reordered.
RERANKED = 10
# How much a candidate's best sentence counts against its fused rank when reordering:
# fitted with the quote model (`python -m tests.tuning.fit_answers`).
RERANK_WEIGHT = 0.5
FUSED_SCALE = 100.0  # reciprocal-rank scores are about 0.01 apart: brought to the sentences' scale


@dataclass(frozen=True)
class Candidate:
    row: PassageRow
    fused: float  # the reciprocal-rank fusion score
    cosine: float  # the closest sentence's cosine with the question
    spans: list[tuple[int, int]]  # the passage's sentences
    features: np.ndarray  # each sentence's quote features (kept for evaluation and fitting)
    scores: np.ndarray  # each sentence's quote score
    quote: tuple[int, int]  # offsets of the quote in the passage

    @property
    def best_score(self) -> float:
        return float(self.scores.max()) if len(self.scores) else 0.0

    @property
    def order(self) -> float:
        return self.fused * FUSED_SCALE + RERANK_WEIGHT * self.best_score


def score_candidate(
    question: str,
    query_vector: np.ndarray | None,
    row: PassageRow,
    sentences: PassageSentences | None,
    fused: float,
    model: QuoteModel = QUOTE_MODEL,
) -> Candidate:
    if sentences is None or not sentences.spans:  # a passage stored without sentences: itself, whole
        spans, cosines = [(0, len(row.text))], np.zeros(1, np.float32)
    else:
        spans = sentences.spans
        cosines = sentences.vectors @ query_vector if query_vector is not None else np.zeros(len(spans), np.float32)
    features = sentence_features(
        terms(question),
        terms(row.article.title),
        question_type(question),
        [row.text[a:b] for a, b in spans],
        cosines,
    )
    scores = model.scores(features)
    return Candidate(row, fused, float(cosines.max()), spans, features, scores, quote_span(spans, scores, row.text))


def rerank(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Best first, by fused rank and best sentence together; ties keep the fused order."""
    return sorted(candidates, key=lambda c: -c.order)


_NAME = re.compile(r"(?<=\S)\s+([A-ZÀ-ÖØ-Þ][\w'’-]+)")


def evidence_for(
    question: str,
    weights: Mapping[str, float],
    candidates: Sequence[Candidate],
    lexical_ranking: Sequence[int],
    library_passages: int,
) -> Evidence:
    """What the relevance policy weighs for the best of the candidates (`index.ranking.Evidence`)."""
    best = candidates[0]
    cosines = sorted((c.cosine for c in candidates), reverse=True)
    context = passage_context(best.row.article.title, best.row.heading, best.row.text)
    present = set(terms(context))
    rarest = sorted(weights.items(), key=lambda pair: -pair[1])[:2]
    rarest_total = sum(w for _, w in rarest)
    names = [fold_accents(n.lower()) for n in _NAME.findall(question)]
    folded = fold_accents(context.lower())
    lexical_rank = lexical_ranking.index(best.row.id) + 1 if best.row.id in lexical_ranking else None
    return Evidence(
        dense=best.cosine,
        coverage=coverage(weights, context),
        quote=best.best_score,
        rarest=sum(w for t, w in rarest if t in present) / rarest_total if rarest_total > 0 else 0.0,
        names=sum(name in folded for name in names) / len(names) if names else 1.0,
        lexical=1.0 / lexical_rank if lexical_rank else 0.0,
        gap=best.cosine - (cosines[1] if len(cosines) > 1 else best.cosine),
        spread=best.cosine - sum(cosines) / len(cosines),
        library=math.log1p(library_passages),
    )
