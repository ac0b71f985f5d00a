"""Answering a question over one consistent view of the library (`Searcher`): lexical and
dense search, fusion, then each candidate passage's sentences scored, the best sentence
becoming its quote, and the candidates reordered by the passage model (`index.reordering`:
their fused and separate ranks, closest sentences, best sentence, how much of the question
they hold: `index.candidates`), then by the reading rules (`index.reading_rules`), and the
decision to answer. A question that refers back to
its conversation's topic is answered from the topic's article (`index.conversation`)."""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from index.analysis import in_question_order, terms
from index.article_questions import Detail
from index.background import BackgroundFrequencies, term_weights
from index.candidates import (
    Asked,
    Candidate,
    Found,
    Ranks,
    evidence_for,
    rerank,
    score_candidates,
    understood_match,
    without_repeated_quotes,
)
from index.conversation import Reading, Topic
from index.live_lexicon import LiveLexicon
from index.live_vectors import LiveVectors
from index.question_encoder import QuestionVector
from index.quotes import idf_weights, next_quote, quote_span
from index.ranking import FUSION_WEIGHTS, Evidence, RelevancePolicy, lexical_query, reciprocal_rank_fusion
from index.reading_rules import read_by_rules
from index.reordering import QuestionTerms
from index.rulings import WhatIsAsked
from index.spelling import corrections, respell, words_read_as
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
    # A passage after the first, of another article than the first's: the relevance policy's
    # probability that it answers, judged as if it came first (`Searcher._alone_relevance`), for
    # whoever shows it to say when it is less related than the answer; None for the first
    # result, its article's other passages, and whatever was not judged (lexical mode, declined).
    alone_relevance: float | None = None

    @property
    def quote(self) -> str:
        return self.passage[self.quote_start : self.quote_end]


@dataclass(frozen=True)
class Judging:
    """What the decision to answer weighed beside the candidates: the library's size and the
    question's term weights as understood (`evidence_for`), kept to judge the candidates again
    with some left out (`evidence_without`)."""

    library_passages: int
    weights: Mapping[str, float]


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
    # What the conversation is about after this answer (what the next question may refer
    # back to: `index.conversation`), and whether this question followed an earlier topic.
    topic: Topic | None = None
    follows: bool = False
    judging: Judging | None = field(default=None, repr=False)
    # The article's detail the question asked for ("Quelle est la date de l'article ?",
    # `index.article_questions`): `results` are then the first passage of each article meant,
    # none when the question could not say which (`found` False), or the passages of the
    # article its subject found ("… l'article sur le castor ?").
    detail: Detail | None = None
    # For "La suite ?" (`Reading.read_on`): "read" (`results` are the next sentences of the
    # article last quoted), "end" (it says nothing more), "gone" (that article was deleted since)
    # or "nowhere" (no quote to read on from).
    read_on: ReadOn | None = None
    # Whether the article goes on after the place "La suite ?" would read on from (the topic's
    # `read_to`): False when the first quote ends its last passage, so that nothing offers to
    # read on where only "l'article s'arrête là" would come.
    says_more: bool = False
    # Words of the question read as others (`Reading.respelled`): (as typed, as read).
    respelled: tuple[tuple[str, str], ...] = ()
    # A follow-up's own numbers or names that no passage of its articles holds ("Et en
    # 2020 ?" on an article of 2023: `Reading.required`), why it was declined.
    unheld: tuple[str, ...] = ()
    # Why the reading rules held back the answer, whatever the relevance policy found (each
    # rule's `Ruling.why`: `index.rulings`), for whoever looks into an answer declined.
    held_by: tuple[str, ...] = ()
    # Asked of "l'autre article" where none can be told (`Reading.besides`): how many articles
    # the library holds besides the conversation's (0, or more than `FEW_ARTICLES`).
    other_articles: int | None = None


@dataclass(frozen=True)
class Retrieved:
    """What the searches found for a question, read under one consistent view of the library
    (`Searcher._retrieve`): the hits of each search, their fusion (best first, the top kept),
    the fused passages and their sentences, and the question's term weights."""

    query_terms: list[str]  # the terms of `Reading.search`
    judged_apart: bool  # its relevance is judged with its topic's words too (`Reading.judged`)
    query_vector: np.ndarray | None  # None: lexical search alone
    dense: list[tuple[int, float]]  # (passage id, score), best first
    lexical: list[tuple[int, float]]
    fused: list[tuple[int, float]]
    rows: Mapping[int, PassageRow]
    sentences: Mapping[int, PassageSentences]
    library_passages: int
    weights: Mapping[str, float]  # of the terms judged


Mode = Literal["hybrid", "dense", "lexical"]
ReadOn = Literal["read", "end", "gone", "nowhere"]

# Candidates (from the top of the fusion) whose sentences are scored and reordered.
RERANKED = 10
# Articles a library may hold for "De quoi parle l'article ?" or "Qui a écrit l'article ?" to
# mean all of them, when no conversation says which (`index.article_questions`).
FEW_ARTICLES = 3
# Articles "Quoi de neuf ?" quotes the opening of, the latest first (`index.article_questions`).
LATEST_ARTICLES = 5
# Passages "La suite ?" looks through for the next sentences: the one last quoted, and the
# next ones (a passage past its last sentence, or one with nothing but spaces, is passed).
READ_ON_PASSAGES = 3
# A result after the first, from another article than the first's, is shown only when the
# relevance policy gives it at least this probability of answering, judged as if it came first:
# low, so that what leaves is the quotes of unrelated articles, not a passage that answers
# (README, "How it works", item 8, has what it left out of the development questions' answers).
FURTHER_RESULT_FLOOR = 0.05


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
        reading: Reading,
        question_vector: QuestionVector | None,
        top_k: int,
        mode: Mode,
        alone_vector: QuestionVector | None = None,
    ) -> Answer:
        """The answer to `reading.question`, as `reading` says to read it (`index.conversation`);
        `question_vector` gives the vector of `reading.search` (None: lexical search alone),
        `alone_vector` that of `reading.standing_alone`'s, when there is one. The steps: the
        passages found (`_retrieve`), scored and reordered (`_ordered`), read by the reading
        rules (`index.reading_rules`), the decision to answer, and what is shown (`_shown`)."""
        if reading.read_on:
            return self._read_on(store, reading)
        if reading.of_articles_meant:
            others = self._other_articles(store, reading.besides) if reading.besides else []
            opening = self._openings(store, reading, top_k, others)
            if opening is not None:
                return opening
            if reading.besides:  # "l'autre article" in a library of one, or of many: which?
                return Answer(
                    reading.question,
                    False,
                    detail=reading.detail,
                    # The conversation stays on its topic: its next question is read with it.
                    topic=reading.other_than,
                    follows=reading.follows,
                    other_articles=len(others),
                )
            if reading.detail:  # which article's? Searching "date article" would not say.
                return Answer(reading.question, False, detail=reading.detail, follows=reading.follows)
        clock = Stopwatch()
        # 1. What the searches find, under one consistent view of the library.
        retrieved = self._retrieve(store, vectors, lexicon, reading, question_vector, top_k, mode, clock)
        if not retrieved.fused:
            return Answer(
                reading.question,
                False,
                [],
                timings=clock.laps,
                topic=reading.topic,
                follows=reading.follows,
                respelled=reading.respelled,
            )
        # 2. The candidates scored and reordered by the passage model, 3. then by the reading rules.
        asked = WhatIsAsked.of(reading)
        ordered, rulings = read_by_rules(self._ordered(retrieved, asked), asked)
        instead = next((r.instead for r in rulings if r.instead is not None), None)
        if instead is not None:  # its topic's articles never name its subject: a question of its own
            answer = self.answer(store, vectors, lexicon, instead, alone_vector, top_k, mode)
            if answer.found:
                return answer
        # 4. The decision: the relevance policy finds it relevant, and no reading rule held it back.
        judged = understood_match(ordered[0], reading.judged, retrieved.weights) if retrieved.judged_apart else None
        evidence = evidence_for(ordered, retrieved.library_passages, retrieved.weights, judged)
        probability = self.policy.probability(evidence)
        conversation_says = any(r.by_conversation for r in rulings)  # "Et elle, qu'a-t-elle dit ?"
        relevant = (self.policy.is_relevant(evidence) or conversation_says) and all(r.stands for r in rulings)
        # 5. What is shown, and what the conversation is about next.
        shown = self._shown(ordered, relevant, retrieved, top_k)
        results = [
            Result(rank, c.fused, c.row.id, c.row.article, c.row.heading, c.row.text, *c.quote, alone)
            for rank, (c, alone) in enumerate(shown, start=1)
        ]
        clock.lap("quotes")
        if relevant and reading.about:  # "De quoi parle l'article sur Montréal ?": the opening of the one found
            opening = self._openings(store, replace(reading, articles=(results[0].article.id,)), top_k)
            if opening is not None:
                return opening
        detail = reading.detail if relevant else None  # on the details of the article a subject finds
        topic, says_more = self._topic_after(store, reading, relevant, detail, shown[0][0], results[0])
        if detail is not None:  # "Qui a écrit l'article sur le castor ?": that article's card
            results = [r for r in results if r.article.id == results[0].article.id]
        return Answer(
            reading.question,
            relevant,
            results,
            probability,
            evidence,
            clock.laps,
            ordered,
            topic,
            reading.follows,
            Judging(retrieved.library_passages, retrieved.weights),
            detail,
            says_more=says_more,
            respelled=reading.respelled,
            unheld=tuple(word for r in rulings for word in r.unheld),
            held_by=tuple(r.why for r in rulings if not r.stands),
        )

    def _retrieve(
        self,
        store: Store,
        vectors: LiveVectors,
        lexicon: LiveLexicon | None,
        reading: Reading,
        question_vector: QuestionVector | None,
        top_k: int,
        mode: Mode,
        clock: Stopwatch,
    ) -> Retrieved:
        """The passages `reading.search` finds, under one consistent view of the library: lexical
        and dense search (each timed on `clock`), their fusion (within the topic's articles for a
        follow-up), the passages and sentences of its top, and the question's term weights."""
        question = reading.search
        query_terms = terms(question)
        # A follow-up's relevance is judged with its topic's words too (`Reading.judged`).
        judged_apart = reading.judged != question
        judged_terms = terms(reading.judged) if judged_apart else query_terms
        k = max(self.candidates, top_k)
        query_vector: np.ndarray | None = None
        with store.read():  # one consistent view of the library for the whole answer
            vectors.sync(store)
            # The in-memory lexicon when there is one, else the store's own index: they rank alike.
            terms_index = lexicon.lexical(store) if lexicon is not None else store
            frequencies = terms_index.document_frequencies(judged_terms)  # query_terms are among them
            lexical = []
            if mode != "dense":
                query = lexical_query(query_terms, frequencies)
                lexical = terms_index.lexical_search(query.terms, k, every_term=query.every_term)
            clock.lap("lexical")
            dense: list[tuple[int, float]] = []
            if question_vector is not None:
                query_vector, clock.laps["embedding"] = question_vector()
                clock.lap("embedding_wait")
                dense = vectors.search_passages(query_vector, k)
            clock.lap("dense")
            within = store.article_passage_ids(reading.articles) if reading.articles else []
            if within:  # a question that follows its topic: that article's passages only
                dense, lexical = only(dense, within), only(lexical, within)
            ranked = reciprocal_rank_fusion([[i for i, _ in dense], [i for i, _ in lexical]], FUSION_WEIGHTS)
            needed = max(RERANKED, top_k)
            if within:  # those the searches did not reach come after, in reading order
                reached = {i for i, _ in ranked}
                ranked += [(i, 0.0) for i in within if i not in reached]
            rows = store.get_passages([i for i, _ in ranked[:needed]])
            if len(rows) < needed:  # the vector index may hold passages newer than this view
                rows.update(store.get_passages([i for i, _ in ranked[needed : needed * 2]]))
            fused = [(i, score) for i, score in ranked if i in rows][:needed]
            sentences = store.passage_sentences([i for i, _ in fused], self.dimension)
            clock.lap("fusion")
            _, passages = store.counts()
            if self.background is not None:
                background = self.background.frequencies(judged_terms)
                weights = term_weights(judged_terms, frequencies, passages, background)
            else:
                weights = idf_weights(judged_terms, frequencies, passages)
        return Retrieved(
            query_terms, judged_apart, query_vector, dense, lexical, fused, rows, sentences, passages, weights
        )

    def _ordered(self, retrieved: Retrieved, asked: WhatIsAsked) -> list[Candidate]:
        """The fused passages as candidates, each with its sentences scored and its best one
        as its quote, the top `RERANKED` reordered by the passage model (`index.reordering`)."""
        weights = retrieved.weights
        if retrieved.judged_apart:  # the candidates are scored on the question's own terms
            weights = {t: weights[t] for t in in_question_order(retrieved.query_terms)}
        terms_asked = QuestionTerms.of(asked.reading.search, weights)
        question = Asked(retrieved.query_terms, asked.wants, retrieved.query_vector, terms_asked)
        dense_ranks = {i: rank for rank, (i, _) in enumerate(retrieved.dense, start=1)}
        lexical_ranks = {i: rank for rank, (i, _) in enumerate(retrieved.lexical, start=1)}
        candidates = score_candidates(
            question,
            [
                Found(
                    retrieved.rows[i],
                    retrieved.sentences.get(i),
                    score,
                    Ranks(rank, dense_ranks.get(i), lexical_ranks.get(i)),
                )
                for rank, (i, score) in enumerate(retrieved.fused, start=1)
            ],
        )
        # Without the question's vector (lexical mode) sentence scores lack their main evidence.
        if retrieved.query_vector is None:
            return candidates
        return rerank(candidates[:RERANKED]) + candidates[RERANKED:]

    def _shown(
        self, ordered: list[Candidate], relevant: bool, retrieved: Retrieved, top_k: int
    ) -> list[tuple[Candidate, float | None]]:
        """The candidates shown, each with its `Result.alone_relevance`: `top_k` at most, no quote
        twice, and in an answer the passages of unrelated articles left out (`_alone_relevance`)."""
        shown = without_repeated_quotes(ordered, top_k)
        if not relevant or retrieved.query_vector is None:
            return [(c, None) for c in shown]
        passages, weights = retrieved.library_passages, retrieved.weights
        judged = [(c, self._alone_relevance(c, ordered, passages, weights)) for c in shown[1:]]
        return [
            (ordered[0], None),
            *((c, alone) for c, alone in judged if alone is None or alone >= FURTHER_RESULT_FLOOR),
        ]

    def _topic_after(
        self, store: Store, reading: Reading, relevant: bool, detail: Detail | None, first: Candidate, quoted: Result
    ) -> tuple[Topic, bool]:
        """What the conversation is about after an answer whose first passage is `first`, quoted
        as `quoted` (what the next question may refer back to), with where "La suite ?" reads on
        from in an answer; and whether the article says more from there."""
        topic = reading.topic or Topic(reading.question, (quoted.article.id,) if relevant else ())
        if not relevant:
            return topic, False
        # "La suite ?" reads on from the quote shown first (from the start, after a card)
        read_to = (quoted.passage_id, quoted.quote_end)
        if detail is not None:  # the card of the article a subject found: its first passage
            with store.read():
                firsts = store.first_passage_ids([quoted.article.id])
            read_to = (firsts[0] if firsts else quoted.passage_id, 0)
        return replace(topic, read_to=read_to), detail is not None or goes_on_after(first.row, quoted.quote_end)

    def respelled(self, store: Store, lexicon: LiveLexicon | None, reading: Reading) -> Reading:
        """`reading` with the typos of what it searches read through (`index.spelling`): each
        word no passage holds and French does not use, one letter from a term the library
        holds, replaced by a word of the library's with that term. Needs the French word
        frequencies (without them every rare name would look like a typo)."""
        if reading.of_articles_meant or self.background is None:
            return reading
        background = self.background
        with store.read():
            terms_index = lexicon.lexical(store) if lexicon is not None else store
            read_as = corrections(terms(reading.search), terms_index.document_frequencies, background.frequencies)
            if not read_as:
                return reading

            def text_holding(term: str) -> str:
                hits = terms_index.lexical_search([term], 1)
                rows = store.get_passages([i for i, _ in hits]).values()
                return " ".join(f"{r.article.title} {r.heading or ''} {r.text}" for r in rows)

            replaced = words_read_as(reading.search, read_as, text_holding)
        if not replaced:
            return reading
        return replace(reading, search=respell(reading.search, replaced), respelled=tuple(replaced.items()))

    @staticmethod
    def _other_articles(store: Store, besides: tuple[int, ...]) -> list[int]:
        """The articles the library holds besides the conversation's `besides`, in order."""
        with store.read():
            return sorted(set(store.article_ids()) - set(besides))

    def _openings(self, store: Store, reading: Reading, top_k: int, others: Sequence[int] = ()) -> Answer | None:
        """What the articles are about, for a question that asks it (`Reading.about`), or the
        articles a question on their details means (`Reading.detail`): each article's opening
        sentences, as news writes them to say so (its first passage's first sentence, with the
        next when it is short), quoted like any answer. The articles are the latest ones
        (`Reading.latest`), the conversation's, all of them in a library of `FEW_ARTICLES` at
        most, or in a larger one the latest again; None for an empty library, and for a
        question on a detail that cannot say which article it means. `others`: for "l'autre
        article" (`Reading.besides`), the articles but the conversation's (`_other_articles`),
        read once for this and for the count the reply gives when they are none or too many."""
        with store.read():
            articles = list(reading.articles)
            if reading.besides:  # "l'autre article": the others of a small library; which, in a larger one?
                if not others or len(others) > FEW_ARTICLES:
                    return None
                articles = list(others)
            if not articles and not reading.latest:
                count, _ = store.counts()
                if count == 0 or (count > FEW_ARTICLES and reading.detail):
                    return None  # a detail of which of them?
                if count <= FEW_ARTICLES:
                    articles = sorted(store.article_ids())
            if not articles:  # what is new, or what a larger library is about: its latest articles
                articles = [a.id for a in store.latest_articles(min(top_k, LATEST_ARTICLES))]
            rows = store.get_passages(store.first_passage_ids(articles[:top_k]))
            firsts = {row.article.id: row.id for row in rows.values()}  # article id -> its first passage's
            ids = [firsts[a] for a in articles if a in firsts]
            sentences = store.passage_sentences(ids, self.dimension)
        results = []
        for rank, passage_id in enumerate(ids, start=1):
            row, spans = rows[passage_id], sentences[passage_id].spans if passage_id in sentences else []
            first_sentence = np.zeros(len(spans), np.float32)
            first_sentence[:1] = 1.0
            start, end = quote_span(spans, first_sentence, row.text)
            results.append(Result(rank, 0.0, row.id, row.article, row.heading, row.text, start, end))
        if not results:
            return None
        shown = tuple(r.article.id for r in results)
        # What follows ("Qui a écrit l'article ?") is read in the article shown, or the articles;
        # "La suite ?" reads on in the one article shown (from its start, after its card).
        read_to = (results[0].passage_id, 0 if reading.detail else results[0].quote_end) if len(shown) == 1 else None
        topic = replace(reading.topic, read_to=read_to) if reading.topic else None
        topic = topic or (
            Topic(results[0].article.title, shown, read_to) if len(shown) == 1 else Topic(reading.question, shown)
        )
        says_more = read_to is not None and goes_on_after(rows[read_to[0]], read_to[1])
        return Answer(
            reading.question,
            True,
            results,
            1.0,
            topic=topic,
            follows=reading.follows,
            detail=reading.detail,
            says_more=says_more,
        )

    def _read_on(self, store: Store, reading: Reading) -> Answer:
        """What the article says after the conversation's last quote, for "La suite ?": the
        next sentences of its passage, or the next passage's first ones (`next_quote`)."""
        topic = reading.topic
        if topic is None or topic.read_to is None:
            return Answer(reading.question, False, topic=topic, follows=reading.follows, read_on="nowhere")
        passage_id, offset = topic.read_to
        with store.read():
            rows = store.get_passages([passage_id])
            if passage_id not in rows:  # its article deleted since (or cut anew by a reindex)
                gone = bool(topic.articles) and all(store.get_article(a) is None for a in topic.articles)
                return Answer(reading.question, False, topic=topic, follows=True, read_on="gone" if gone else "nowhere")
            ids = store.article_passage_ids([rows[passage_id].article.id])
            ids = ids[ids.index(passage_id) :][:READ_ON_PASSAGES] if passage_id in ids else [passage_id]
            rows |= store.get_passages(ids[1:])
            sentences = store.passage_sentences(ids, self.dimension)
        for position, next_id in enumerate(ids):
            row = rows.get(next_id)
            spans = sentences[next_id].spans if next_id in sentences else []
            quoted = next_quote(spans, row.text, offset if position == 0 else 0) if row is not None else None
            if quoted is not None:
                result = Result(1, 0.0, row.id, row.article, row.heading, row.text, *quoted)
                moved = replace(topic, read_to=(row.id, quoted[1]))
                more = goes_on_after(row, quoted[1])
                return Answer(
                    reading.question, True, [result], 1.0, topic=moved, follows=True, read_on="read", says_more=more
                )
        return Answer(reading.question, False, topic=topic, follows=True, read_on="end")

    def _alone_relevance(
        self, candidate: Candidate, ordered: Sequence[Candidate], passages: int, weights: Mapping[str, float]
    ) -> float | None:
        """How a passage after the first is judged: one of the first's article is not (None: it
        is shown, more of the article that answers); one of another article gets the relevance
        policy's probability, judging it as if it came first, and is shown unless that all but
        rules it out (under FURTHER_RESULT_FLOOR: "Combien coûte le plan vélo de Nantes ?"
        answered from the Nantes article, then quotes of an article on the OTAN)."""
        if candidate.row.article.id == ordered[0].row.article.id:
            return None
        as_first = evidence_for([candidate, *(c for c in ordered if c is not candidate)], passages, weights)
        return self.policy.probability(as_first)


def goes_on_after(row: PassageRow, offset: int) -> bool:
    """Whether the article says more after `offset` in passage `row`: more than spaces after it
    there, or a later passage (a passage's position counts from 0 in its article)."""
    return row.position < row.article.passages - 1 or bool(row.text[offset:].strip())


def evidence_without(answer: Answer, left_out: Collection[int]) -> Evidence | None:
    """The evidence the answer's candidates would give with the passages `left_out` (ids) not
    in the library, as they stand otherwise; None when none would remain. What `bot eval`
    measures near misses with: a question on the library's subject whose answering passage
    is not there."""
    remaining = [c for c in answer.candidates if c.row.id not in left_out]
    if not remaining or answer.judging is None:
        return None
    return evidence_for(remaining, answer.judging.library_passages, answer.judging.weights)


def only(hits: list[tuple[int, float]], passages: Sequence[int]) -> list[tuple[int, float]]:
    """The hits among `passages`, in their order."""
    allowed = set(passages)
    return [hit for hit in hits if hit[0] in allowed]


class Stopwatch:
    """Seconds spent in each stage of an answer, in order."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = self.laps.get(stage, 0.0) + now - self._last
        self._last = now
