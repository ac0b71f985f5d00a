"""Which of the fused top candidates answers best: each candidate passage described by what
retrieval and sentence scoring already know about it (`PASSAGE_FEATURES`), scored by a
linear model fitted, like the quote model, as a conditional logit choosing among the
candidates of each development question one that holds the answer
(`python -m tests.tuning.fit_answers`). It weighs together what the fused rank alone
cannot: how much of the question's term weight the passage and its title hold, its
closest sentences' cosines, the names of the question it contains, its best sentence
(README, "How it works")."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from index.analysis import fold_accents, names_in, passage_context, terms
from index.quotes import FEATURES
from index.ranking import LinearModel

PASSAGE_FEATURES = (
    "fused score",
    "best sentence score",
    "second best sentence score",
    "1 / dense rank",
    "1 / lexical rank",
    "closest sentence cosine",
    "most question terms in a sentence",
    "most question terms beyond the title in a sentence",
    "closest cosine below the best candidate's",
    "fused rank (log)",
    "sentences (log)",
    "question term weight in the passage",
    "question term weight in the title",
    "weight of the two rarest question terms in the passage",
    "question's names written bare in the passage",
)
# The sentence features (`index.quotes.FEATURES`) read here.
_COSINE, _TERMS, _TERMS_BEYOND_TITLE = (
    FEATURES.index(name) for name in ("cosine", "question terms", "question terms beyond the title")
)
# The one column measured against the best candidate's, and the column it is measured on.
_BELOW_BEST, _CLOSEST = (
    PASSAGE_FEATURES.index(name) for name in ("closest cosine below the best candidate's", "closest sentence cosine")
)
# The weight of the best sentence's score, per unit, fixed when the model is fitted: the
# weight it had beside the fused rank before there was a model (`tests/tuning/fit_answers.py`
# says why).
BEST_SENTENCE_WEIGHT = 0.5


@dataclass(frozen=True)
class TermMatch:
    """How much of the question a passage (with its title and heading) holds."""

    coverage: float  # share of the question's term weight
    title: float  # share of it in the title alone
    rarest: float  # share of the weight of the question's two rarest terms
    names: float  # share of the question's names (capitalised inside it); 1 without names
    # The same for the names written bare. Elided ones are mostly the subject at large (a
    # country, an organisation: "l'Ukraine", "l'OTAN"), which the passage that answers may call
    # otherwise ("Kiev", "l'Alliance"): they tell whether the library is about the question
    # (the relevance policy weighs `names`), not which of its passages answers (the passage
    # model weighs `bare_names`).
    bare_names: float = 1.0


@dataclass(frozen=True)
class QuestionTerms:
    """What a question's terms are worth, computed once per answer for every candidate."""

    weights: Mapping[str, float]
    rarest: Mapping[str, float]  # the two rarest terms' weights
    names: tuple[str, ...]  # folded, lower-cased
    bare_names: tuple[str, ...] = ()  # those of `names` written without an elision

    @classmethod
    def of(cls, question: str, weights: Mapping[str, float]) -> QuestionTerms:
        rarest = dict(sorted(weights.items(), key=lambda pair: -pair[1])[:2])
        found = [(elision, fold_accents(name.lower())) for elision, name in names_in(question)]
        names = tuple(name for _, name in found)
        return cls(weights, rarest, names, tuple(name for elision, name in found if not elision))

    def match(
        self,
        title: str,
        heading: str | None,
        text: str,
        *,
        title_terms: set[str] | None = None,
        text_terms: set[str] | None = None,
    ) -> TermMatch:
        """How much of the question a passage holds; `title_terms` and `text_terms`: the terms
        of its title and text, when the caller has them already (the answer path does)."""
        title_terms = set(terms(title)) if title_terms is None else title_terms
        text_terms = set(terms(text)) if text_terms is None else text_terms
        present = title_terms | set(terms(heading or "")) | text_terms
        return TermMatch(
            coverage=_share(self.weights, present),
            title=_share(self.weights, title_terms),
            rarest=_share(self.rarest, present),
            names=_names_share(self.names, held := names_held(self.names, title, heading, text)),
            bare_names=_names_share(self.bare_names, held),
        )


def names_held(names: Collection[str], title: str, heading: str | None, text: str) -> set[str]:
    """Those of `names` (folded, lower-cased) that the passage in context holds, folded and
    lower-cased. Each is looked for in the passage lower-cased first: one written there as it
    is folded is in the folded passage too (folding leaves a folded word's characters as they
    are, and only adds or drops others), so the passage is folded, which costs more than the
    rest of the match, only for the names not found so ("Élysée" for "elysee")."""
    if not names:
        return set()
    lowered = passage_context(title, heading, text).lower()
    held = {name for name in names if name in lowered}
    if len(held) < len(set(names)):
        folded = fold_accents(lowered)
        held.update(name for name in names if name in folded)
    return held


def _names_share(names: Sequence[str], held: Collection[str]) -> float:
    """Share of `names` among those `held`; 1 for a question without names."""
    if not names:
        return 1.0
    return sum(name in held for name in names) / len(names)


def _share(weights: Mapping[str, float], present: set[str]) -> float:
    """Share of the weight of `weights`' terms that are `present` (0 without weight)."""
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in present) / total if total > 0 else 0.0


class PassageFacts(Protocol):
    """One candidate as the model sees it (`index.candidates.Candidate`); ranks start at 1, None
    when the passage is not in that list."""

    @property
    def fused(self) -> float: ...
    @property
    def fused_rank(self) -> int: ...
    @property
    def dense_rank(self) -> int | None: ...
    @property
    def lexical_rank(self) -> int | None: ...
    @property
    def features(self) -> np.ndarray: ...  # the passage's sentences × `index.quotes.FEATURES`
    @property
    def scores(self) -> np.ndarray: ...  # the sentences' quote scores
    @property
    def match(self) -> TermMatch: ...


def passage_features(candidates: Sequence[PassageFacts]) -> np.ndarray:
    """One row of `PASSAGE_FEATURES` per candidate. Some are relative to the best of the
    candidates, so a row depends on the set it is scored with, not on the set's order."""
    rows = np.zeros((len(candidates), len(PASSAGE_FEATURES)), dtype=np.float64)
    if not candidates:
        return rows
    for i, c in enumerate(candidates):
        features = c.features
        # Each column's highest in one call (this runs for every candidate of every answer).
        highest = features.max(axis=0) if len(features) else np.zeros(features.shape[1])
        scores = sorted(c.scores.tolist(), reverse=True) or [0.0]
        rows[i] = (
            c.fused * 100.0,
            scores[0],
            scores[1] if len(scores) > 1 else scores[0],
            1.0 / c.dense_rank if c.dense_rank else 0.0,
            1.0 / c.lexical_rank if c.lexical_rank else 0.0,
            highest[_COSINE],
            highest[_TERMS],
            highest[_TERMS_BEYOND_TITLE],
            0.0,  # relative to the best candidate's, filled below
            math.log(c.fused_rank),
            math.log(len(features) + 1),
            c.match.coverage,
            c.match.title,
            c.match.rarest,
            c.match.bare_names,
        )
    rows[:, _BELOW_BEST] = rows[:, _CLOSEST] - rows[:, _CLOSEST].max()
    return rows


def reorder(candidates: Sequence[PassageFacts], model: LinearModel) -> list[int]:
    """Positions of `candidates`, best first; ties keep the given order."""
    scores = model.scores(passage_features(candidates))
    return [int(i) for i in np.argsort(-scores, kind="stable")]


# Fitted by `python -m tests.tuning.fit_answers` (see the module docstring).
# fmt: off
PASSAGE_MODEL = LinearModel(
    mean=(
        5.671, 0.9631, -0.0687, 0.2474, 0.2521, 0.8207, 0.268, 0.2422, -0.04757, 1.483, 1.821, 0.2821, 0.05471,
        0.2177, 0.6784,
    ),
    scale=(
        1.817, 1.196, 0.8994, 0.2914, 0.2952, 0.03001, 0.2096, 0.2196, 0.03376, 0.7016, 0.3365, 0.2349, 0.1293,
        0.3055, 0.4511,
    ),
    weights=(
        0.1937, 0.5978, 0.03603, 0.1292, 0.1126, 0.7702, 0.0338, -0.1418, 0.7277, -0.08901, -0.04634, 0.7318,
        0.1975, 0.1741, 0.401,
    ),
)
# fmt: on
