"""Answering a question over one consistent view of the library (`Searcher`): lexical and
dense search, fusion, then each candidate passage's sentences scored, the best sentence
becoming its quote, and the candidates reordered by their fused rank and their best
sentence together (a lower passage whose sentence answers far better comes first), and
the decision to answer. The scoring steps are pure functions."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from index.analysis import fold_accents, terms
from index.background import BackgroundFrequencies, term_weights
from index.ingest import passage_context
from index.live_lexicon import LiveLexicon
from index.live_vectors import LiveVectors
from index.quotes import (
    QUOTE_MODEL,
    AskedFor,
    QuoteModel,
    asked_for,
    coverage,
    idf_weights,
    quote_span,
    sentence_features,
)
from index.ranking import FUSION_WEIGHTS, Evidence, RelevancePolicy, lexical_query, reciprocal_rank_fusion
from index.store import ArticleRow, PassageRow, PassageSentences, Store


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
    # The candidates whose sentences were scored, in the final order (evaluation, fitting).
    candidates: list[Candidate] = field(default_factory=list, repr=False)


Mode = Literal["hybrid", "dense", "lexical"]

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
    question_terms: Sequence[str],
    asked: AskedFor,
    query_vector: np.ndarray | None,
    row: PassageRow,
    sentences: PassageSentences | None,
    fused: float,
    model: QuoteModel = QUOTE_MODEL,
) -> Candidate:
    """A passage with its sentences scored (`asked`: what the question asks for, `quotes.asked_for`)."""
    if sentences is None or not sentences.spans:  # a passage stored without sentences: itself, whole
        spans, cosines = [(0, len(row.text))], np.zeros(1, np.float32)
    else:
        spans = sentences.spans
        cosines = sentences.vectors @ query_vector if query_vector is not None else np.zeros(len(spans), np.float32)
    features = sentence_features(
        question_terms, terms(row.article.title), asked, [row.text[a:b] for a, b in spans], cosines
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


class Searcher:
    """Answers a question from one consistent view of a library: lexical and dense search,
    fusion, sentences scored into quotes and reordering, and the decision to answer."""

    def __init__(
        self,
        policy: RelevancePolicy,
        background: BackgroundFrequencies | None,
        dimension: int,
        candidates: int = 50,
    ) -> None:
        self.policy, self.background, self.dimension, self.candidates = policy, background, dimension, candidates

    def answer(
        self,
        store: Store,
        vectors: LiveVectors,
        lexicon: LiveLexicon | None,
        question: str,
        embedding: Future[tuple[np.ndarray, float]] | None,
        index: int,
        top_k: int,
        mode: Mode,
    ) -> Answer:
        clock = Stopwatch()
        query_terms = terms(question)
        k = max(self.candidates, top_k)
        query_vector: np.ndarray | None = None
        with store.read():  # one consistent view of the library for the whole answer
            vectors.sync(store)
            # The in-memory lexicon when there is one, else the store's own index: they rank alike.
            terms_index = lexicon.lexical(store) if lexicon is not None else store
            frequencies = terms_index.document_frequencies(query_terms)
            lexical = []
            if mode != "dense":
                query = lexical_query(query_terms, frequencies)
                lexical = terms_index.lexical_search(query.terms, k, every_term=query.every_term)
            clock.lap("lexical")
            dense: list[tuple[int, float]] = []
            if embedding is not None:
                embedded, clock.laps["embedding"] = embedding.result()
                query_vector = embedded[index]
                clock.lap("embedding_wait")
                dense = vectors.search_passages(query_vector, k)
            clock.lap("dense")
            ranked = reciprocal_rank_fusion([[i for i, _ in dense], [i for i, _ in lexical]], FUSION_WEIGHTS)
            needed = max(RERANKED, top_k)
            rows = store.get_passages([i for i, _ in ranked[:needed]])
            if len(rows) < needed:  # the vector index may hold passages newer than this view
                rows.update(store.get_passages([i for i, _ in ranked[needed : needed * 2]]))
            fused = [(i, score) for i, score in ranked if i in rows][:needed]
            sentences = store.passage_sentences([i for i, _ in fused], self.dimension)
            clock.lap("fusion")
            _, passages = store.counts()
            if self.background is not None:
                background = self.background.frequencies(query_terms)
                weights = term_weights(query_terms, frequencies, passages, background)
            else:
                weights = idf_weights(query_terms, frequencies, passages)
        if not fused:
            return Answer(question, False, [], timings=clock.laps)
        asked = asked_for(question)
        candidates = [
            score_candidate(query_terms, asked, query_vector, rows[i], sentences.get(i), score) for i, score in fused
        ]
        # Without the question's vector (lexical mode) sentence scores lack their main evidence.
        ordered = rerank(candidates[:RERANKED]) + candidates[RERANKED:] if query_vector is not None else candidates
        results = [
            Result(rank, c.fused, c.row.id, c.row.article, c.row.heading, c.row.text, *c.quote)
            for rank, c in enumerate(ordered[:top_k], start=1)
        ]
        evidence = evidence_for(question, weights, ordered, [i for i, _ in lexical], passages)
        clock.lap("quotes")
        relevant, probability = self.policy.is_relevant(evidence), self.policy.probability(evidence)
        return Answer(question, relevant, results, probability, evidence, clock.laps, ordered)


class Stopwatch:
    """Seconds spent in each stage of an answer, in order."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = self.laps.get(stage, 0.0) + now - self._last
        self._last = now
