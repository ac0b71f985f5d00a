"""Choosing the quote: the sentence of a passage that answers the question.

Each sentence is scored by a small linear model over what can be known of it cheaply:
its vector's closeness to the question's (every sentence is embedded at ingest), the
question's words it holds (all of them, and those not already in the title, which every
sentence of the article shares), how much of the sentence only repeats the question,
its neighbours (the answer often follows the sentence that names the subject), its
place, and whether it holds what the question asks for (a year for "quand", a number
for "combien", names for "qui" and "où") beyond what the question itself says: the "35"
of "Combien d'emplois les 35 heures ont-elles permis de créer ?" or the name in "Où Jeong Uhee
travaille-t-elle ?" answers nothing. The weights were fitted on the development
questions with articles held out (README, "Retrieval quality"; `python -m
tests.tuning.fit_answers` refits them).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from index.analysis import terms
from index.ranking import LinearModel

SHORT_SENTENCE_WORDS = 8

_QUESTION_TYPES = (
    ("date", re.compile(r"\bquand\b|\ben quelle\b|quelle (?:année|date|époque)|quel siècle|depuis quand", re.I)),
    (
        "number",
        re.compile(
            r"\bcombien\b|quel (?:nombre|pourcentage|âge|montant|prix|taux)|"
            r"quelle (?:taille|superficie|population|distance|hauteur|longueur|durée|somme|part|proportion)",
            re.I,
        ),
    ),
    (
        "who",
        re.compile(
            r"^\s*(?:qui|de qui|par qui|à qui|avec qui)\b|\bqui (?:est|était|a|dirige|fut)\b|"
            r"\bcomment (?:s'|s’|se )(?:appel|nomm)|\bquel (?:est|était) (?:le|son) nom\b",
            re.I,
        ),
    ),
    ("where", re.compile(r"\boù\b|\b(?:quelle|dans quelle) (?:ville|région)|\bquel (?:pays|lieu|endroit)", re.I)),
)
QUESTION_TYPES = tuple(name for name, _ in _QUESTION_TYPES)
_YEAR = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})\b")
_DIGIT = re.compile(r"\d+")
_MONTH = re.compile(
    r"\b(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b", re.I
)
_INNER_NAME = re.compile(r"(?<=[^.!?\s])\s+[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+")
# A person's name inside the sentence: two capitalised words in a row ("Jens Stoltenberg",
# "Jean-Pierre Denis", "Charles de Gaulle"), where an organisation or a place is mostly one.
_PERSON = re.compile(
    r"(?<=[^.!?\s])\s+[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?\s+(?:(?:de|du|d')\s*)?[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+"
)
# What a sentence may hold that a typed question asks for, by the name its features carry.
_PROPERTIES = {"year": _YEAR, "digit": _DIGIT, "month": _MONTH, "name": _INNER_NAME, "person": _PERSON}
FEATURES = (
    "cosine",
    "cosine above the passage's mean",
    "closest sentence",
    "question terms",
    "question terms beyond the title",
    "share of the sentence that repeats the question",
    "most question terms beyond the title",
    "previous sentence: question terms beyond the title",
    "previous sentence: cosine above the mean",
    "next sentence: question terms beyond the title",
    "first sentence",
    "relative position",
    "length (log words)",
    *(f"{kind} question, sentence with {has}" for kind in QUESTION_TYPES for has in _PROPERTIES),
)
_PROPERTIES_FROM = FEATURES.index(f"{QUESTION_TYPES[0]} question, sentence with year")


_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class AskedFor:
    """What a question asks for: its kind (one of `QUESTION_TYPES`, or None) and its own
    words, lower-cased, which a sentence may repeat without answering anything."""

    kind: str | None
    words: frozenset[str] = frozenset()


def asked_for(question: str) -> AskedFor:
    return AskedFor(question_type(question), frozenset(_WORD.findall(question.casefold())))


def _holds_beyond(pattern: re.Pattern[str], sentence: str, known: frozenset[str]) -> bool:
    """Whether `sentence` holds a match of `pattern` that is not only words of `known`."""
    return any(not known.issuperset(_WORD.findall(m.group().casefold())) for m in pattern.finditer(sentence))


def question_type(question: str) -> str | None:
    for name, pattern in _QUESTION_TYPES:
        if pattern.search(question):
            return name
    return None


def sentence_features(
    question_terms: Sequence[str],
    title_terms: Collection[str],
    asked: AskedFor,
    sentences: Sequence[str],
    cosines: np.ndarray,
    sentence_terms: Sequence[set[str]] | None = None,
) -> np.ndarray:
    """One row of `FEATURES` per sentence of a passage (`sentence_terms`: each one's terms,
    when the caller has them already).

    Built column by column: this runs for every sentence of every candidate of every answer,
    so only the sentence's terms (and, for a typed question, its five properties) are read
    one sentence at a time."""
    count = len(sentences)
    features = np.zeros((count, len(FEATURES)), dtype=np.float32)
    if not count:
        return features
    question = set(question_terms)
    beyond_title = question - set(title_terms)
    held, held_beyond, echo, lengths = (np.empty(count) for _ in range(4))
    for i, sentence in enumerate(sentences):
        present = sentence_terms[i] if sentence_terms is not None else set(terms(sentence))
        common = question & present
        held[i] = len(common) / max(len(question), 1)
        held_beyond[i] = len(beyond_title & common) / max(len(beyond_title), 1)
        echo[i] = len(common) / max(len(present), 1)
        lengths[i] = len(sentence.split())
    # In float64 then stored as float32, as the model was fitted.
    cosines32 = np.asarray(cosines, dtype=np.float32)
    cosine = cosines32.astype(np.float64)
    # np.mean's float32 sum and division, without its dispatch (this runs for every candidate).
    above_mean = cosine - float(np.float32(np.add.reduce(cosines32) / count))
    features[:, 0] = cosine
    features[:, 1] = above_mean
    features[:, 2] = cosine == cosine.max()
    features[:, 3] = held
    features[:, 4] = held_beyond
    features[:, 5] = echo
    features[:, 6] = held_beyond == held_beyond.max()
    features[1:, 7] = held_beyond[:-1]
    features[1:, 8] = above_mean[:-1]
    features[:-1, 9] = held_beyond[1:]
    features[0, 10] = 1.0
    features[:, 11] = np.arange(count) / max(count - 1, 1)
    features[:, 12] = np.log(lengths + 1)
    if asked.kind in QUESTION_TYPES:  # only the question's own kind has properties that count
        column = _PROPERTIES_FROM + len(_PROPERTIES) * QUESTION_TYPES.index(asked.kind)
        for i, sentence in enumerate(sentences):
            features[i, column : column + len(_PROPERTIES)] = [
                _holds_beyond(p, sentence, asked.words) for p in _PROPERTIES.values()
            ]
    return features


# Fitted by `python -m tests.tuning.fit_answers` (see the module docstring).
# fmt: off
QUOTE_MODEL = LinearModel(
    mean=(
        0.8258, 6.655e-10, 0.1785, 0.1784, 0.156, 0.06214, 0.3128, 0.1272, 0.0002861, 0.1169, 0.1784, 0.4991,
        3.118, 0.0378, 0.04759, 0.0115, 0.05817, 0.02764, 0.01699, 0.0302, 0.006711, 0.03496, 0.01473, 0.0406,
        0.05701, 0.01422, 0.1228, 0.05155, 0.0158, 0.02251, 0.004942, 0.04496, 0.01681,
    ),
    scale=(
        0.03537, 0.02296, 0.3828, 0.2511, 0.2518, 0.09625, 0.4636, 0.2338, 0.02083, 0.2239, 0.3828, 0.3483,
        0.5133, 0.1907, 0.2129, 0.1066, 0.2341, 0.164, 0.1292, 0.1711, 0.08165, 0.1837, 0.1205, 0.1974, 0.2319,
        0.1184, 0.3283, 0.2212, 0.1247, 0.1483, 0.07013, 0.2073, 0.1285,
    ),
    weights=(
        0.3649, 0.5308, 0.1243, -0.03154, 0.5882, -0.04833, 0.1048, 0.1307, 0.1942, 0.08837, 0.01281, -0.01291,
        0.2315, 0.2391, 0.2484, -0.007111, -0.07199, 0.01091, -0.1118, 0.2777, -0.06819, -0.02793, -0.04832,
        -0.01343, 0.02581, 0.03928, 0.2516, 0.1291, -0.007452, -0.04084, 0.02049, 0.2126, -0.06582,
    ),
)
# fmt: on


def quote_span(spans: Sequence[tuple[int, int]], scores: np.ndarray, passage: str) -> tuple[int, int]:
    """Offsets in the passage of the best-scoring sentence, joined with a neighbour when it
    is too short to stand alone, and widened to the whole « … » quotation it is part of
    (with its attribution): a quote never starts or ends inside guillemets. Ties go to the
    earlier sentence."""
    if not spans:
        return 0, len(passage)
    best = max(range(len(spans)), key=lambda i: (float(scores[i]), -i))
    start, end = spans[best]
    if len(passage[start:end].split()) < SHORT_SENTENCE_WORDS and len(spans) > 1:
        if best + 1 < len(spans) and (best == 0 or scores[best + 1] >= scores[best - 1]):
            end = spans[best + 1][1]
        else:
            start = spans[best - 1][0]
    return whole_quotation(passage, spans, start, end)


_OPENING, _CLOSING = "«“", "»”"
_MARKS = re.compile('[«“»”"]')


def _opens(passage: str, at: int, straight_open: bool) -> bool:
    """Whether the quotation mark at `at` opens a quotation. A straight " opens after a space
    (or at the start) and before a word, closes after a word; spaced on both sides
    (" comme ceci "), it alternates."""
    mark = passage[at]
    if mark != '"':
        return mark in _OPENING
    after_space = at == 0 or passage[at - 1].isspace() or passage[at - 1] in "([—–-"
    before_space = at + 1 == len(passage) or passage[at + 1].isspace()
    if after_space != before_space:
        return after_space
    return not straight_open


def whole_quotation(passage: str, spans: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """`start:end` widened so that it neither starts nor ends inside a quotation (« … », “ … ”
    or " … "): back to the opening mark, and on to the closing mark and the end of its
    sentence. Only the quotation marks are visited (this runs for every candidate of every
    answer)."""
    opened: list[int] = []  # positions of the marks still open

    def follow(begin: int, stop: int) -> None:
        for mark in _MARKS.finditer(passage, begin, stop):
            _read_mark(passage, mark.start(), opened)

    follow(0, min(start, end))
    open_at_start = opened[0] if opened and start < len(passage) and start <= end else None
    follow(start, end)
    if open_at_start is not None:
        start = open_at_start
    if opened and end < len(passage):  # still inside a quotation at the end: on to its close
        closing = _matching_close(passage, end, opened)
        if closing is not None:
            end = next((b for a, b in spans if a <= closing < b), closing + 1)
    return start, end


def _matching_close(passage: str, after: int, opened: list[int]) -> int | None:
    """Where the quotations still `opened` (their marks' positions) close, after `after`."""
    opened = list(opened)
    for mark in _MARKS.finditer(passage, after):
        _read_mark(passage, mark.start(), opened)
        if not opened:
            return mark.start()
    return None


def _read_mark(passage: str, at: int, opened: list[int]) -> None:
    """The quotation mark at `at` opens a quotation (pushed on `opened`) or closes the last one."""
    if _opens(passage, at, any(passage[i] == '"' for i in opened)):
        opened.append(at)
    elif opened:
        opened.pop()


def idf_weights(query_terms: Sequence[str], document_frequency: Mapping[str, int], documents: int) -> dict[str, float]:
    return {
        t: math.log(1.0 + (documents - document_frequency.get(t, 0) + 0.5) / (document_frequency.get(t, 0) + 0.5))
        for t in set(query_terms)
    }
