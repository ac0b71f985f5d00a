"""The passages an answer weighs (`Candidate`): each one's sentences scored by the quote model
(`index.quotes`), the best becoming its quote; their order by the passage model
(`index.reordering`); the evidence the decision to answer weighs for the best of them; and the
quotes worth showing. Pure functions over what the searches found (`index.search`). The rules
of a follow-up pointing back at the last quote are in `index.follow_ups`."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import astuple, dataclass, replace
from functools import partial

import numpy as np

from index.analysis import fold_accents, names_in, terms
from index.causes import gives_cause, may_cause, says_consequence
from index.measures import (
    amount_of_another_thing,
    asking_words,
    holds_quantity,
    priced_item,
    without_asking_words,
)
from index.quotes import (
    PROPERTY_COLUMNS,
    QUOTE_MODEL,
    AskedFor,
    PassageSentenceTexts,
    asked_noun,
    describes,
    names_person,
    passages_features,
    quote_span,
    sentence_properties,
    speaks_of_someone,
)
from index.ranking import Evidence, LinearModel
from index.reordering import PASSAGE_MODEL, QuestionTerms, TermMatch, reorder
from index.sentences import same_paragraph, sentence_at
from index.speakers import attributed
from index.store import PassageRow, PassageSentences
from index.tenses import looks_ahead, speaks_of_future, tells_past


@dataclass(frozen=True)
class Candidate:
    """A passage among the answer's candidates, with what reordering them weighs
    (`index.reordering.PassageFacts`)."""

    row: PassageRow
    fused: float  # the reciprocal-rank fusion score
    fused_rank: int  # from 1
    dense_rank: int | None  # in the dense and lexical lists (None: not in it)
    lexical_rank: int | None
    cosine: float  # the closest sentence's cosine with the question
    spans: list[tuple[int, int]]  # the passage's sentences
    features: np.ndarray  # each sentence's quote features (kept for evaluation and fitting)
    scores: np.ndarray  # each sentence's quote score
    quote: tuple[int, int]  # offsets of the quote in the passage
    match: TermMatch  # how much of the question's terms it holds

    @property
    def best_score(self) -> float:
        return float(self.scores.max()) if len(self.scores) else 0.0


@dataclass(frozen=True)
class Asked:
    """The question as each candidate is scored against it, worked out once per answer."""

    terms: Sequence[str]
    wants: AskedFor  # what it asks for (`quotes.asked_for`)
    vector: np.ndarray | None  # None in lexical mode
    weighed: QuestionTerms


@dataclass(frozen=True)
class Ranks:
    """Where a passage stands in the fused, dense and lexical lists (from 1; None: absent)."""

    fused: int
    dense: int | None = None
    lexical: int | None = None


@dataclass(frozen=True)
class Found:
    """A passage the searches found, as its sentences are scored (`score_candidates`)."""

    row: PassageRow
    sentences: PassageSentences | None  # None: stored without sentences
    fused: float  # the reciprocal-rank fusion score
    ranks: Ranks


def score_candidates(asked: Asked, found: Sequence[Found], model: LinearModel = QUOTE_MODEL) -> list[Candidate]:
    """The passages with their sentences scored: their features built and scored together
    (`passages_features`), each passage's the same as alone."""
    read: list[tuple[list[tuple[int, int]], PassageSentenceTexts]] = []
    titles: dict[int, set[str]] = {}  # each article's title terms, read once (candidates share articles)
    for passage in found:
        row, sentences = passage.row, passage.sentences
        if sentences is None or not sentences.spans:  # a passage stored without sentences: itself, whole
            spans, cosines, stored = [(0, len(row.text))], np.zeros(1, np.float32), None
        else:
            spans, stored = sentences.spans, sentences.terms
            cosines = sentences.vectors @ asked.vector if asked.vector is not None else np.zeros(len(spans), np.float32)
        texts = [row.text[a:b] for a, b in spans]
        sentence_terms = stored if stored is not None else [set(terms(text)) for text in texts]
        title_terms = titles.get(row.article.id)
        if title_terms is None:
            title_terms = titles[row.article.id] = set(terms(row.article.title))
        read.append((spans, PassageSentenceTexts(title_terms, texts, cosines, sentence_terms)))
    features = passages_features(asked.terms, asked.wants, [texts for _, texts in read])
    scores = model.scores(np.concatenate(features)) if features else np.zeros(0, np.float32)
    candidates, at = [], 0
    for passage, (spans, texts), passage_features in zip(found, read, features, strict=True):
        row, passage_scores = passage.row, scores[at : at + len(spans)]
        at += len(spans)
        candidates.append(
            Candidate(
                row,
                passage.fused,
                passage.ranks.fused,
                passage.ranks.dense,
                passage.ranks.lexical,
                float(texts.cosines.max()),
                spans,
                passage_features,
                passage_scores,
                quote_span(spans, passage_scores, row.text),
                asked.weighed.match(
                    row.article.title,
                    row.heading,
                    row.text,
                    title_terms=titles[row.article.id],
                    text_terms=set().union(*texts.sentence_terms),
                ),
            )
        )
    return candidates


def rerank(candidates: Sequence[Candidate], model: LinearModel = PASSAGE_MODEL) -> list[Candidate]:
    """Best first, by the passage model (`index.reordering`); ties keep the fused order."""
    return [candidates[i] for i in reorder(candidates, model)]


def evidence_for(
    candidates: Sequence[Candidate],
    library_passages: int,
    weights: Mapping[str, float],
    match: TermMatch | None = None,
) -> Evidence:
    """What the relevance policy weighs for the best of the candidates (`index.ranking.Evidence`);
    `weights`: the question's terms' weights as it is understood; `match`: how much the best
    holds of the question as understood, when not its own words alone."""
    best = candidates[0]
    match = match or best.match
    cosines = sorted((c.cosine for c in candidates), reverse=True)
    return Evidence(
        dense=best.cosine,
        coverage=match.coverage,
        quote=best.best_score,
        rarest=match.rarest,
        names=match.names,
        lexical=1.0 / best.lexical_rank if best.lexical_rank else 0.0,
        gap=best.cosine - (cosines[1] if len(cosines) > 1 else best.cosine),
        spread=best.cosine - sum(cosines) / len(cosines),
        library=math.log1p(library_passages),
        missing=sum(weights.values()) * (1.0 - match.coverage),
    )


def without_repeated_quotes(candidates: Sequence[Candidate], limit: int) -> list[Candidate]:
    """The first `limit` candidates whose quote says what no better-placed one's already says:
    a dispatch that several papers ran word for word (a news agency's) is quoted once, from the
    first of them. Those after the `limit`th kept are not read."""
    seen: set[str] = set()
    kept: list[Candidate] = []
    for candidate in candidates:
        if len(kept) == limit:
            break
        quote = candidate.row.text[candidate.quote[0] : candidate.quote[1]]
        said = " ".join(quote.casefold().replace("’", "'").split())  # papers differ in apostrophes and spaces
        if said not in seen:
            seen.add(said)
            kept.append(candidate)
    return kept


def holding_first(candidates: Sequence[Candidate], words: Sequence[str]) -> tuple[list[Candidate], bool]:
    """The candidates that hold one of `words` ("munitions" holds "munition", "1 456" holds
    "1456", "OMS" is held by "Organisation mondiale de la santé") first, each quoting its best
    sentence among those that hold one; then those whose article's date holds it (a year);
    then the others, each group in its order. And whether any held it."""
    wanted = {_joined_digits(w) for w in words}
    in_text: list[Candidate] = []
    in_date: list[Candidate] = []
    others: list[Candidate] = []
    for candidate in candidates:
        row = candidate.row
        if _holds(wanted, f"{row.article.title} {row.heading or ''} {row.text}"):
            in_text.append(_quoting_what_holds(candidate, wanted))
        elif _holds(wanted, (row.article.date or "")[:4]):
            in_date.append(candidate)
        else:
            others.append(candidate)
    return [*in_text, *in_date, *others], bool(in_text or in_date)


def held_in_first_article(candidates: Sequence[Candidate], words: Sequence[str]) -> tuple[list[Candidate], bool]:
    """`holding_first` within the article of the first candidate, whose passages come first
    (those holding one of `words` before the others), the other articles' after, as they were;
    and whether that article holds one. What the rest of a question chose its article for, a
    year or a role it asks of must be there: another article that holds "2022" or "maire"
    only shares a word with it."""
    if not candidates:
        return [], False
    article = candidates[0].row.article.id
    own, held = holding_first([c for c in candidates if c.row.article.id == article], words)
    return [*own, *(c for c in candidates if c.row.article.id != article)], held


def said_in_its_article_first(candidates: Sequence[Candidate], holds: Callable[[str], bool]) -> Candidate | None:
    """The first candidate of the first one's article (that one first) holding a sentence that
    `holds` accepts, quoting it; None when none does. Other articles only share words with the
    question its first passage's article was chosen for."""
    article = candidates[0].row.article.id if candidates else None
    for candidate in candidates:
        if candidate.row.article.id == article and (quoted := quoting_a_sentence_held(candidate, holds)) is not None:
            return quoted
    return None


# "Et les vélos ?", "Et sa dette ?": after "Et", a noun phrase, which stands for the noun its topic
# asked about; "Et en 2019 ?", "Et à temps partiel ?" add a circumstance instead (its years and
# names must be held: `index.conversation.added_specifics`).
_NOUN_PHRASE_FOR_ITS_TOPIC_S = re.compile(
    r"\s*et\s*,?\s+(?:le|la|les|l['’]|un|une|des|du|son|sa|ses|leur|leurs|ce|cet|cette|ces)(?:\s|(?<=['’]))", re.I
)


def asks_it_of_instead(question: str) -> bool:
    """Whether `question` is "Et" and a noun phrase ("Et les vélos ?", "Et le téléphérique ?"),
    asking its topic's question of that instead of what the topic asked about."""
    return _NOUN_PHRASE_FOR_ITS_TOPIC_S.match(question) is not None


def still_asked(topic: str, instead: Sequence[str]) -> set[str]:
    """The terms of the question `topic` that an elliptical follow-up asking it of something
    else (`instead`: "Et les vélos ?") still asks: all but the noun it asked about (after
    "Combien de trottinettes étaient mal garées ?", "garées"), its names, which the follow-up's
    words may stand for ("Et les vélos Jump ?" after "Qui est Éric Alan Caldwell ?" asks
    nothing of him), and the follow-up's own."""
    names = " ".join(name for _, name in names_in(topic))
    return set(terms(topic)) - {asked_noun(topic)} - set(terms(names)) - set(terms(" ".join(instead)))


def saying_it_of_first(
    candidates: Sequence[Candidate], words: Sequence[str], kept: Collection[str]
) -> tuple[list[Candidate], bool]:
    """For an elliptical follow-up that asks its topic's question of something else ("Et les
    vélos ?" after "Combien de trottinettes étaient mal garées ?": `words`, "vélos"), the
    candidates with a sentence holding one of `words` and one of the topic's terms `kept` (what
    it still asks: "garées"; the article's title and the passage's heading count for these)
    first, each quoting its best such sentence; then the others. And whether any has one: « Les
    entreprises de trottinettes et de vélos … ont enregistré 365 000 déplacements » names the
    bikes and says nothing of where they were parked. Every candidate counts when `kept` is
    empty (the topic asked nothing else: "Quel est le score ?")."""
    if not kept:
        return list(candidates), True
    wanted, kept = set(words), set(kept)
    saying, others = [], []
    for candidate in candidates:
        row = candidate.row
        framed = bool(kept & set(terms(f"{row.article.title} {row.heading or ''}")))
        quoted = quoting_a_sentence_held(candidate, partial(_says_it_of, wanted, set() if framed else kept))
        if quoted is not None:
            saying.append(quoted)
        else:
            others.append(candidate)
    return [*saying, *others], bool(saying)


def _says_it_of(wanted: set[str], kept: set[str], sentence: str) -> bool:
    """Whether `sentence` holds one of the `wanted` words and one of the terms `kept` (any
    sentence does when none is left to hold: its title or heading held one)."""
    return _holds(wanted, sentence) and (not kept or bool(kept & set(terms(sentence))))


def measured_first(
    candidates: Sequence[Candidate], question: str, measure: str, follows: bool = False
) -> tuple[list[Candidate], bool]:
    """For a question asking for a quantity of kind `measure` (`index.measures`: "Combien pèse
    un castor adulte ?"), the passages of the first candidate's article that state one first,
    each quoting its best sentence among those stating one ("…qui peut peser jusqu'à trente
    kilos…", not "Adulte, il n'a presque pas d'ennemis"); then the others, each group in its
    order (which article answers stays the passage model's choice). A first passage that names
    the measure in the question's own words stays first: it may say it without a figure ("Quel
    salaire ?": "un salaire de misère"; "À quelles altitudes… ?": "extrêmement élevées").
    And whether the first may answer: it states one or names the measure; one that does
    neither does not say what something weighs or costs ("Quel est le salaire de la préfète ?"
    of an article that never says). A follow-up (`follows`) must also find what it measures in
    the passage, title or heading, when it names it: the topic's words found its article, not
    the follow-up's ("Et le prix du ticket ?" of an article giving the cost of the works alone).
    Any question naming the thing priced (`measures.priced_item`: "Combien coûte un ticket de
    tram à Brest ?") must find it there too, or the amount said beside another of its words.
    A question in the future ("Combien ça va coûter ?") has each passage quote its sentence
    stating the quantity in the future, in the question's word when one does, and puts first
    those stating it so: « La mesure coûtera environ 2,3 millions d'euros par an », not
    « Aujourd'hui, un ticket coûte 1,60 euro », nor « Elle sera financée par … 700 000 euros ».
    Only a future verb and the question's word move a passage: « un plan vélo de 26 millions
    d'euros … d'ici 2030 » is no answer to what the mayor's parking measure will cost, which its
    topic's passage gives (« une mesure chiffrée à 900 000 euros »). A sentence stating the cost
    of another thing (`measures.amount_of_another_thing`: « La location d'un chalet coûte … »,
    « rénové la cantine … pour 85 000 euros » for the school's renovation) states none."""
    if not candidates:
        return [], False
    said = set(terms(without_asking_words(question)))
    measured = said if follows else set()
    asking = set(terms(asking_words(question)))
    priced = set(terms(priced_item(question) or ""))
    first = candidates[0]

    def prices(candidate: Candidate) -> bool:
        """Whether the passage names the thing whose price is asked (in its title, heading or
        the paragraph stating an amount), or states an amount in a sentence holding another
        word of the question ("BookScan facture au minimum 75 000 USD par année" for "le prix
        de l'abonnement annuel à BookScan"): "Le chantier a coûté 215 millions d'euros" is no
        ticket's price, though its article is on the tram asked of, nor an exhibition's
        "Entrée : 14 euros" a painting's, though a paragraph before it names the paintings."""
        if _names_in_paragraphs(candidate, priced, lambda paragraph: holds_quantity(paragraph, measure)):
            return True
        text, others = candidate.row.text, said - priced
        return any(holds_quantity(text[a:b], measure) and others & set(terms(text[a:b])) for a, b in candidate.spans)

    def states(candidate: Candidate) -> bool:
        return _names(candidate, measured) and holds_quantity(candidate.row.text, measure) and prices(candidate)

    def states_it(sentence: str) -> bool:  # not « La location d'un chalet coûte … » for the hamlet's cost
        return holds_quantity(sentence, measure) and not amount_of_another_thing(sentence, question)

    def stating_its(candidate: Candidate) -> Candidate | None:
        """The candidate of the first one's article stating the quantity asked, quoting it."""
        if candidate.row.article.id != first.row.article.id or not states(candidate):
            return None
        return quoting_a_sentence_held(candidate, states_it)

    names_it = bool(asking) and _names(first, asking) and _names(first, measured) and _names(first, priced)
    if names_it and not states(first):
        return list(candidates), True
    ahead = speaks_of_future(question)

    def states_ahead(sentence: str) -> bool:
        return holds_quantity(sentence, measure) and speaks_of_future(sentence)

    def states_ahead_as_asked(sentence: str) -> bool:  # in the question's words ("coûtera" for "coûter")
        return states_ahead(sentence) and bool((said | asking) & set(terms(sentence)))

    stating, others = [], []
    for candidate in candidates:
        if (quoted := stating_its(candidate)) is not None:
            if ahead:  # its sentence stating it in the future in the question's word, else in any future
                as_asked = any(states_ahead_as_asked(quoted.row.text[a:b]) for a, b in quoted.spans)
                quoted = quoting_a_sentence_that(quoted, states_ahead_as_asked if as_asked else states_ahead)
            stating.append(quoted)
        else:
            others.append(candidate)
    if ahead:  # those saying what it will be, in the question's word, first; each group in its order
        stating.sort(key=lambda c: not states_ahead_as_asked(c.row.text[c.quote[0] : c.quote[1]]))
    return [*stating, *others], bool(stating) or (not asking and _names(first, measured))


def _names(candidate: Candidate, wanted: set[str]) -> bool:
    """Whether the passage, with its title and heading, holds one of the terms `wanted` (True
    when there are none)."""
    if not wanted:
        return True
    row = candidate.row
    return bool(wanted & set(terms(f"{row.article.title} {row.heading or ''} {row.text}")))


def _names_in_paragraphs(candidate: Candidate, wanted: set[str], stating: Callable[[str], bool]) -> bool:
    """Whether the passage's title or heading, or one of its paragraphs `stating` what is
    asked, holds one of the terms `wanted` (True when there are none): a passage joins
    paragraphs on other things."""
    if not wanted:
        return True
    row = candidate.row
    if wanted & set(terms(f"{row.article.title} {row.heading or ''}")):
        return True
    return any(wanted & set(terms(paragraph)) for paragraph in row.text.split("\n\n") if stating(paragraph))


# A sentence that is itself a question, its closing quotation marks after it at most.
_ENDS_ASKING = re.compile(r"\?[\s»”\"’)]*$")
# A « … » speech ending on "?" inside the sentence: a question when it opens the sentence or an
# attribution follows it (« Combien faudra-t-il d'éboulements ? », s'agace le maire), not a title
# (« Son titre, « Qui veut gagner des millions ? », reste culte »).
_SPEECH_ASKING = re.compile(r"\?\s*[»”]")
_OPENS_ON_SPEECH = re.compile(r"\s*[«“]")


def _asks(sentence: str) -> bool:
    """Whether `sentence` asks: it ends on "?", or a speech in it does (`_SPEECH_ASKING`)."""
    if _ENDS_ASKING.search(sentence):
        return True
    return any(
        _OPENS_ON_SPEECH.match(sentence) or attributed(sentence[found.end() :])
        for found in _SPEECH_ASKING.finditer(sentence)
    )


# The asking word that is a term (« Combien faudra-t-il d'éboulements ? »): a question sharing only
# it with the one asked asks it back ("Combien d'argent a-t-il débloqué ?"). The other asking
# words (« pourquoi », « quand », « qui » …) are stopwords, no terms to share.
_ASKING_TERMS = frozenset(terms("combien"))


def quoting_statements(candidates: Sequence[Candidate], question: str) -> list[Candidate]:
    """Each candidate quoting its best sentence among those that are not questions holding none
    of `question`'s words, when its quote is one: such a rhetorical question asks rather than
    answers (« Cela fait-il de son Round up un tueur de masse pour autant ? » for "Qui conteste
    cet avis ?"; a speech's question before its attribution, « Combien faudra-t-il d'éboulements
    ? », s'agace le maire, for "Combien d'argent a-t-il débloqué ?": the words that ask are none
    of the question's words it may hold); one holding them may say the answer (« … ce que Paul
    Valadier désigne dans un ouvrage récent comme Le débat permanent ? » for "Quel livre a écrit
    Paul Valadier ?"). A passage of such questions only keeps its quote."""
    asked: set[str] | None = None  # read only for a question quoted: most answers quote none

    def may_answer(sentence: str) -> bool:
        nonlocal asked
        if not _asks(sentence):
            return True
        asked = set(terms(question)) - _ASKING_TERMS if asked is None else asked
        return bool(asked & set(terms(sentence)))

    def quoted_may_answer(candidate: Candidate) -> bool:
        if not candidate.spans or "?" not in candidate.row.text:  # none of its sentences asks: most passages
            return True
        start, end = candidate.spans[_best_sentence(candidate)]
        # The quote as shown: a sentence widened to its whole « … » speech, which may ask
        # (« On nous répond toujours que c'est trop cher. Combien faudra-t-il … ? », s'agace …).
        shown_start, shown_end = candidate.quote
        return may_answer(candidate.row.text[start:end]) and may_answer(candidate.row.text[shown_start:shown_end])

    # Each sentence read only for a candidate whose quoted sentence is such a question; as it is
    # when none of its sentences may answer.
    return [
        c if quoted_may_answer(c) else quoting_a_sentence_held(c, may_answer, as_shown=True) or c for c in candidates
    ]


def first_quoting(candidates: Sequence[Candidate], at: int, sentence: int) -> list[Candidate]:
    """The candidates with the one `at` first, quoting its `sentence` (widened as any quote)."""
    chosen = candidates[at]
    only_it = np.where(np.arange(len(chosen.spans)) == sentence, chosen.scores, -np.inf)
    quoted = replace(chosen, quote=quote_span(chosen.spans, only_it, chosen.row.text))
    return [quoted, *candidates[:at], *candidates[at + 1 :]]


def quoting_descriptions(candidates: Sequence[Candidate], names: Sequence[str]) -> list[Candidate]:
    """For a question asking who someone is ("Qui est-elle ?", `quotes.who_someone_is`), each
    candidate quoting its best sentence among those saying who someone is, naming one of `names`
    when the question gives a name (`quotes.describes`): "elle était jusqu'ici préfète de la
    Gironde" rather than the sentence that named her, already quoted."""
    return [quoting_a_sentence_that(c, lambda sentence: describes(sentence, names)) for c in candidates]


def future_dated_first(candidates: Sequence[Candidate]) -> list[Candidate]:
    """For a question asking when something will happen ("Quand sera-t-il exposé ?"), when
    the first quote tells only the past (« Il avait été exposé une seule fois, en 1886 »): the
    passages of its article holding a sentence that dates something to come first, each quoting
    it (« L'œuvre sera présentée au public à partir du 14 mars »); then the others, each group in
    its order. As they came when the first quote speaks of the future, or of what is awaited (« …
    ont été confiées au laboratoire, et les premiers résultats sont attendus au printemps
    prochain »), or not in the past (« Le syndicat appelle à une journée de grève le 27
    novembre » answers "Quand aura lieu la grève ?"), or no such sentence is."""
    if not candidates:
        return []
    first = _quoted(candidates[0])
    if speaks_of_future(first) or looks_ahead(first) or not tells_past(first):
        return list(candidates)
    article = candidates[0].row.article.id
    dating, others = [], []
    for candidate in candidates:
        quoted = quoting_a_sentence_held(candidate, _dates_future) if candidate.row.article.id == article else None
        if quoted is not None:
            dating.append(quoted)
        else:
            others.append(candidate)
    return [*dating, *others]


# How many sentences before a quote that names nobody the one naming whom its pronoun stands for
# is looked for: news names a speaker, then gives her words in the next sentence or two.
SPEAKER_NEARBY = 2


def named_person_first(candidates: Sequence[Candidate]) -> list[Candidate]:
    """For a question asking for someone ("Qui le dit ?", "Comment s'appelle-t-elle ?",
    `quotes.asks_for_someone`), when the first quote names nobody and speaks of someone by a
    pronoun (« … il ne reste rien pour manger », souligne-t-elle): the first candidate quoting
    the sentence of its passage before that quote, `SPEAKER_NEARBY` at most and the nearest
    first, that names a person (« Pour Manon Ribeiro, présidente de l'UNEF, … »): the pronoun
    stands for her. As they came when the quote names someone, speaks of nobody, or no sentence
    before it names anyone."""
    if not candidates or not candidates[0].spans:
        return list(candidates)
    first = candidates[0]
    quoted = _quoted(first)
    if names_person(quoted) or not speaks_of_someone(quoted):
        return list(candidates)
    at = max((i for i, (a, _) in enumerate(first.spans) if a <= first.quote[0]), default=0)
    for before in range(at - 1, max(at - 1 - SPEAKER_NEARBY, -1), -1):
        start, end = first.spans[before]
        if names_person(first.row.text[start:end]):
            return first_quoting(candidates, 0, before)
    return list(candidates)


# How many sentences either side of a quote giving no cause its passage's cause is looked for: news
# gives it right after (« En effet, … », « … car … ») or right before (« La municipalité justifie ce
# choix par … » before the figures), seldom further, where it is another thing's.
CAUSE_NEARBY = 2
# For a follow-up pointing back, from the last answer's quote: how many sentences before it, in its
# paragraph; and after it, in its paragraph or the next: news states a fact, then explains it
# (« Des milliers de poissons morts … » ends a paragraph, « La mortalité serait due à un manque
# d'oxygène » is the next's second sentence); further on, the next paragraph's speaker pleads
# another case (« Mais accuser la station sans preuve … », plaide le maire).
CAUSE_BEFORE = 2
CAUSE_AFTER = 3


def cause_nearest_first(candidates: Sequence[Candidate], after: tuple[int, int] | None = None) -> list[Candidate]:
    """For a question asking why ("Pourquoi la taxe foncière augmente-t-elle ?",
    `causes.asks_why`), when the first quote gives no cause (« Le taux de la taxe foncière …
    passera de 45,2 % à 47 % », the question's words): the sentence of its article giving one
    (`causes.gives_cause`: « La municipalité justifie ce choix par la hausse de ses dépenses »)
    nearest that quote in its passage, `CAUSE_NEARBY` sentences away at most, quoted first; the
    next before the previous at the same distance. A follow-up pointing back ("Pourquoi
    sont-ils morts ?", "Pourquoi autant ?") asks the cause of what the last answer quoted
    (`after`: that passage's id and where its quote ended): the cause is looked for from there,
    that quote itself being what is explained, and further: after it, `CAUSE_AFTER` sentences at
    most, in its paragraph or the next, read across the article's candidate passages that follow
    one another (« Des milliers de poissons morts … » ends a paragraph, « La mortalité serait
    due à un manque d'oxygène » is the next's second sentence); before it, `CAUSE_BEFORE`
    sentences at most, in its paragraph. As they came when the quote gives a cause; when no
    sentence near it does, the sentence before the first quote in its paragraph is quoted with
    it (`_with_sentence_before`). When the last-quoted passage is not among the candidates (the
    follow-up found other passages), the question is read as one of its own."""
    if not candidates or not candidates[0].spans:
        return list(candidates)
    first = candidates[0]
    if gives_cause(_quoted(first)):  # « …, faute de candidats »: the fact and its cause in one sentence
        return list(candidates)
    anchor = next((c for c in candidates if after is not None and c.row.id == after[0]), None)
    if anchor is None or not anchor.spans:  # a question of its own: its quote's passage
        here = _best_sentence(first)
        near = [i for i in range(len(first.spans)) if 0 < abs(i - here) <= CAUSE_NEARBY]
        for i in sorted(near, key=lambda i: (abs(i - here), i < here)):
            start, end = first.spans[i]
            if gives_cause(first.row.text[start:end]):
                return first_quoting(candidates, 0, i)
        return _with_sentence_before(candidates)
    anchor_sentence = sentence_at(anchor.spans, after[1] - 1)
    sentences = _article_sentences(candidates, anchor)
    here = next(i for i, (c, s, _) in enumerate(sentences) if c is anchor and s == anchor_sentence)
    paragraph = sentences[here][2]
    reachable = [
        i
        for i, (_, _, at) in enumerate(sentences)
        if (here < i <= here + CAUSE_AFTER and at <= paragraph + 1)
        or (here - CAUSE_BEFORE <= i < here and at == paragraph)
    ]
    for i in sorted(reachable, key=lambda i: (abs(i - here), i < here)):
        candidate, sentence, _ = sentences[i]
        start, end = candidate.spans[sentence]
        if gives_cause(candidate.row.text[start:end]):
            return first_quoting(candidates, candidates.index(candidate), sentence)
    return _with_sentence_before(candidates)


def _with_sentence_before(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates, the first quoting the sentence before its quote too, in its paragraph:
    where no sentence near says why with a connector, news states the cause just before the
    fact, without one (« Le vent … a formé des congères de plus de deux mètres. Les chasse-neige
    … n'ont pas pu suivre. »); quoting both shows it. Only a sentence telling something that
    happened (`causes.may_cause`: not « Le maire, Paul Roy, 58 ans, est ingénieur. Il a
    démissionné mardi. », nor what is to come, nor a quotation); not across a paragraph's start
    (the paragraph before speaks of another thing), nor a sentence that asks (« Pourquoi ? »),
    nor before a quotation, whose speaker gives her reasons herself (« … », raconte-t-elle,
    after the sentence saying who she is)."""
    first = candidates[0]
    here = _best_sentence(first)
    text, spans = first.row.text, first.spans
    if here == 0 or not same_paragraph(text, spans[here - 1], spans[here]):
        return list(candidates)
    if text[spans[here][0] : spans[here][1]].lstrip().startswith(("«", '"', "“")):
        return list(candidates)
    start, end = spans[here - 1]
    if _asks(text[start:end]) or not may_cause(text[start:end]):
        return list(candidates)
    return [replace(first, quote=(start, max(first.quote[1], spans[here][1]))), *candidates[1:]]


# How many sentences before a consequence (« Les rames sont donc bondées ») its reasons may take.
REASONS_BEFORE = 2
# A quotation's marks, which make a sentence someone's words.
_QUOTATION_MARK = re.compile(r"[«»“”\"]")


def with_reasons_before(candidates: Sequence[Candidate], most: int = REASONS_BEFORE) -> list[Candidate]:
    """The candidates, the first quoting up to `most` sentences before its last one too, in its
    paragraph, when that sentence states a consequence (`causes.says_consequence`: « Les rames
    sont donc bondées à cette heure-là »): its reasons are said just before, without a
    connector, in one sentence or a chain of them (« La faculté a avancé ses cours à 8 heures.
    Plus de 4 000 étudiants prennent le tram entre 7 h 30 et 8 heures. Les rames sont donc
    bondées. »). Not across a paragraph's start, nor a quotation or a question before (whose
    words are another's reasons, or none). As they came otherwise."""
    if not candidates or not candidates[0].spans:
        return list(candidates)
    first = candidates[0]
    text, spans = first.row.text, first.spans
    start, end = first.quote
    last = sentence_at(spans, end - 1)
    if not says_consequence(text[spans[last][0] : spans[last][1]]):
        return list(candidates)
    reach = last
    while reach > 0 and last - reach < most and same_paragraph(text, spans[reach - 1], spans[last]):
        before = text[spans[reach - 1][0] : spans[reach - 1][1]]
        if _asks(before) or _QUOTATION_MARK.search(before):
            break
        reach -= 1
    return [replace(first, quote=(min(start, spans[reach][0]), end)), *candidates[1:]]


def _article_sentences(candidates: Sequence[Candidate], around: Candidate) -> list[tuple[Candidate, int, int]]:
    """The sentences of the candidate passages around the one `around` that follow one another
    in its article, in reading order: each its candidate, its index there, and its paragraph's
    number (a passage's line break starts one, and so does a passage: passages end at a
    paragraph's end where they can)."""
    by_position = {c.row.position: c for c in candidates if c.row.article.id == around.row.article.id}
    by_position[around.row.position] = around
    first = around.row.position
    while first - 1 in by_position:
        first -= 1
    sentences, paragraph, position = [], 0, first
    while position in by_position:
        candidate = by_position[position]
        text = candidate.row.text
        for at, span in enumerate(candidate.spans):
            if at and not same_paragraph(text, candidate.spans[at - 1], span):
                paragraph += 1
            sentences.append((candidate, at, paragraph))
        paragraph, position = paragraph + 1, position + 1
    return sentences


def _dates_future(sentence: str) -> bool:
    """Whether `sentence` speaks of the future and holds a date or a month."""
    if not speaks_of_future(sentence):
        return False
    held = sentence_properties([sentence], frozenset())[0]
    return bool(held[PROPERTY_COLUMNS["date"]] or held[PROPERTY_COLUMNS["month"]])


def _quoted(candidate: Candidate) -> str:
    start, end = candidate.quote
    return candidate.row.text[start:end]


def _holds(wanted: set[str], text: str) -> bool:
    """Whether `text` holds one of the `wanted` words: as terms, or an acronym as the initials
    of its words."""
    present = set(terms(_joined_digits(text)))
    if any(set(terms(word)) & present for word in wanted):
        return True
    acronyms = [w for w in wanted if _ACRONYM.fullmatch(w)]
    return bool(acronyms) and any(_spelled_by_initials(a, text) for a in acronyms)


def _quoting_what_holds(candidate: Candidate, wanted: set[str]) -> Candidate:
    """`candidate` quoting its best sentence among those that hold a `wanted` word ("Et
    Kurz ?": the passage names him, its best sentence for the topic may not), an acronym the
    passage defines for it counting ("l'UE" for "l'Union")."""
    wanted = wanted | _acronyms_of(wanted, candidate.row.text)
    return quoting_a_sentence_that(candidate, lambda sentence: _holds(wanted, sentence))


def quoting_a_sentence_that(candidate: Candidate, holds: Callable[[str], bool]) -> Candidate:
    """`candidate` quoting its best sentence among those that `holds` accepts, when its
    quote is not one; as it is when none is (held by its title or heading alone). The rules'
    way to move a quote within its passage (`index.answer_type_rules.answer_type_given`: the
    sentence giving a date)."""
    # Held by its title or heading alone ("l'Union" in an article's title): its quote stays.
    held = quoting_a_sentence_held(candidate, holds)
    return candidate if held is None else held


def quoting_a_sentence_held(
    candidate: Candidate, holds: Callable[[str], bool], as_shown: bool = False
) -> Candidate | None:
    """`candidate` quoting its best sentence among those that `holds` accepts (as it is when
    its quote is one); None when none is. For the rules that keep a passage only when one of
    its sentences holds: each sentence is read once. `as_shown`: its quote as shown, widened to
    its whole « … » speech, must hold too (« Combien faudra-t-il … ? », s'agace le maire, is a
    question whichever of its sentences is best)."""
    text, spans = candidate.row.text, candidate.spans

    def held(i: int, sentence: tuple[int, int]) -> bool:
        if not holds(text[sentence[0] : sentence[1]]):
            return False
        if not as_shown:
            return True
        start, end = quote_span(spans, np.where(np.arange(len(spans)) == i, 1.0, -np.inf), text)
        return holds(text[start:end])

    holding = np.array([held(i, sentence) for i, sentence in enumerate(spans)], dtype=bool)
    if not holding.any():
        return None
    if holding[_best_sentence(candidate)]:
        return candidate
    scores = np.where(holding, candidate.scores, -np.inf)
    return replace(candidate, quote=quote_span(spans, scores, text))


def _acronyms_of(wanted: set[str], text: str) -> set[str]:
    """The acronyms `text` defines for a `wanted` word ("l'Union européenne (UE)": "UE"), by
    which its later sentences name it."""
    found = set()
    for expansion, acronym in _DEFINED_ACRONYM.findall(text):
        if any(set(terms(word)) & set(terms(expansion)) for word in wanted):
            found.add(acronym)
    return found


def _best_sentence(candidate: Candidate) -> int:
    return sentence_at(candidate.spans, candidate.quote[0])


_DIGIT_GROUPS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)")
_ACRONYM = re.compile(r"[A-ZÀ-Þ]{2,5}")
_DEFINED_ACRONYM = re.compile(r"((?:[\w'’-]+\s+){0,4}[\w'’-]+)\s*\(([A-ZÀ-Þ]{2,5})\)")
_FUNCTION_WORDS = frozenset("de des du d la le les l et en pour a au aux sur un une".split())  # accents folded


def _joined_digits(text: str) -> str:
    """ "1 456 heures" as "1456 heures": French writes thousands apart, questions often do not."""
    return _DIGIT_GROUPS.sub("", text)


def _spelled_by_initials(acronym: str, text: str) -> bool:
    """Whether words of `text` in a row, function words passed, the first of them capitalised,
    begin with the letters of `acronym` ("UE": "Union européenne"; "OMS": "Organisation
    mondiale de la santé")."""
    letters = fold_accents(acronym).lower()
    words = [w for w in re.findall(r"\w+", fold_accents(text)) if w.lower() not in _FUNCTION_WORDS]
    for start, word in enumerate(words):
        following = words[start : start + len(letters)]
        if word[0].isupper() and "".join(w[0].lower() for w in following) == letters:
            return True
    return False


def understood_match(best: Candidate, understood: str, weights: dict[str, float]) -> TermMatch:
    """How much of a follow-up the best passage holds, in the follow-up's own words or as
    understood with its topic, whichever holds more ("Combien pèse-t-il ?" after a question
    on the castors' families: the weight's sentence holds none of the families' words)."""
    with_topic = QuestionTerms.of(understood, weights).match(best.row.article.title, best.row.heading, best.row.text)
    own = best.match
    return TermMatch(*(max(a, b) for a, b in zip(astuple(own), astuple(with_topic), strict=True)))
