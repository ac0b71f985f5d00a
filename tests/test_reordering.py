"""The final order of the candidate passages: the one that answers comes first, whatever
the fusion said, and the order does not depend on how the candidates were listed."""

from dataclasses import dataclass

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import index.reordering
from index.analysis import fold_accents, passage_context, terms
from index.quotes import QUOTE_MODEL, asked_for, sentence_features
from index.reordering import (
    PASSAGE_FEATURES,
    PASSAGE_MODEL,
    QuestionTerms,
    TermMatch,
    names_held,
    passage_features,
    reorder,
)
from index.sentences import sentence_spans


@dataclass(frozen=True)
class Passage:
    fused: float
    fused_rank: int
    dense_rank: int | None
    lexical_rank: int | None
    features: np.ndarray
    scores: np.ndarray
    match: TermMatch


def candidate(question: str, title: str, text: str, rank: int, cosines: list[float]) -> Passage:
    """A passage as the answer path describes it, its sentences' cosines given."""
    spans = sentence_spans(text)
    assert len(spans) == len(cosines)
    features = sentence_features(
        terms(question), terms(title), asked_for(question), [text[a:b] for a, b in spans], np.array(cosines)
    )
    weights = {t: 1.0 for t in terms(question)}
    return Passage(
        fused=1.0 / (20 + rank),
        fused_rank=rank,
        dense_rank=rank,
        lexical_rank=rank,
        features=features,
        scores=QUOTE_MODEL.scores(features),
        match=QuestionTerms.of(question, weights).match(title, None, text),
    )


def test_what_a_passage_holds_of_the_question_is_measured_on_the_passage_its_title_and_names():
    question = "Qui dirige l'OTAN depuis Bruxelles ?"
    asked = QuestionTerms.of(question, {t: w for t, w in zip(terms(question), (1.0, 3.0, 2.0), strict=True)})
    assert asked.names == ("otan", "bruxelles")  # capitalised inside the question, elided or not
    held = asked.match("L'OTAN en guerre", None, "Jens Stoltenberg dirige l'alliance.")
    assert held.coverage == (1.0 + 3.0) / 6.0  # "dirig" and "otan" (from the title)
    assert held.title == 3.0 / 6.0
    assert held.rarest == 3.0 / 5.0  # of the two rarest, "otan" (3) and "bruxelles" (2)
    assert held.names == 0.5
    assert asked.bare_names == ("bruxelles",) and held.bare_names == 0.0  # what the passage model weighs
    assert asked.match("Bruxelles", None, "Le siège.").names == 0.5
    assert asked.match("La préfecture", None, "Aurélie Morand dirige la préfecture.").names == 0.0
    assert QuestionTerms.of("L'OTAN est-elle à Bruxelles ?", {}).names == ("bruxelles",)  # not the first word
    assert QuestionTerms.of("Qui a reçu le prix d'Angoulême ?", {}).names == ("angouleme",)


_NAMES = st.sampled_from(["Élysée", "élysée", "Elysee", "Œuvre", "oeuvre", "Noël", "noel", "OTAN", "ǅemal", "ﬁdji"])


@settings(max_examples=300, deadline=None)
@given(
    names=st.lists(_NAMES | st.text(min_size=1, max_size=4), max_size=3),
    text=st.lists(_NAMES | st.text(max_size=6), max_size=6).map(" ".join),
    heading=st.none() | _NAMES,
)
def test_the_names_a_passage_holds_are_those_its_folded_text_holds(names, text, heading):
    folded_names = [fold_accents(name.lower()) for name in names]
    folded_passage = fold_accents(passage_context("Titre", heading, text).lower())
    assert names_held(folded_names, "Titre", heading, text) == {n for n in folded_names if n in folded_passage}


def test_a_passage_naming_the_question_s_names_as_written_is_not_folded_to_find_them(monkeypatch):
    """Folding a whole passage costs more than the rest of its match, for every candidate of a
    question with names: a passage that writes them as the question folds them is not folded."""
    asked = QuestionTerms.of("Que fait l'OTAN à Bruxelles ?", {})
    folded: list[str] = []

    def fold(text: str) -> str:
        folded.append(text)
        return fold_accents(text)

    monkeypatch.setattr(index.reordering, "fold_accents", fold)
    assert asked.match("Sommet", None, "L'OTAN se réunit à Bruxelles.").names == 1.0
    assert folded == []
    assert asked.match("Sommet", None, "L'Élysée reçoit l'OTAN.").names == 0.5  # "bruxelles" looked for folded
    assert len(folded) == 1


def test_the_passage_that_answers_comes_before_a_higher_fused_one_that_only_shares_words():
    question = "Qui dirige l'OTAN ?"
    echo = candidate(
        question,
        "Sommet à Vilnius",
        "Les dirigeants se réunissent. La ville accueille le sommet.",
        rank=1,
        cosines=[0.80, 0.79],
    )
    answer = candidate(
        question,
        "L'OTAN et l'Ukraine",
        "Jens Stoltenberg, le secrétaire général de l'OTAN, dirige l'alliance. Il parle à Kiev.",
        rank=2,
        cosines=[0.86, 0.81],
    )
    assert reorder([echo, answer], PASSAGE_MODEL) == [1, 0]


def test_equal_candidates_keep_the_fused_order():
    question = "Quand le pont a-t-il été construit ?"
    same = [candidate(question, "Le pont", "Le pont date de 1850. Il est long.", rank=1, cosines=[0.8, 0.8])] * 4
    assert reorder(same, PASSAGE_MODEL) == [0, 1, 2, 3]


@settings(max_examples=40, deadline=None)
@given(st.permutations(range(5)), st.lists(st.floats(0.70, 0.90), min_size=5, max_size=5))
def test_a_passage_is_described_the_same_whatever_the_candidates_order(order, closest):
    question = "Combien d'habitants compte la ville en 2020 ?"
    texts = [
        "La ville compte 12 000 habitants en 2020. Elle grandit.",
        "Le maire a été élu. Il gouverne la ville.",
        "En 2020, la population a baissé. Les habitants partent.",
        "Le fleuve traverse la ville. Il déborde.",
        "La ville est ancienne. Ses habitants sont fiers.",
    ]
    passages = [
        candidate(question, "La ville", text, rank, [cosine, cosine - 0.05])
        for rank, (text, cosine) in enumerate(zip(texts, closest, strict=True), start=1)
    ]
    rows = passage_features(passages)
    shuffled = passage_features([passages[i] for i in order])
    assert rows.shape == (5, len(PASSAGE_FEATURES))
    np.testing.assert_allclose(shuffled, rows[list(order)])


def test_a_passage_is_described_by_its_best_two_sentences_and_its_closest_one():
    question = "Combien d'habitants compte la ville en 2020 ?"
    passage = candidate(
        question, "La ville", "La ville compte 12 000 habitants. Elle grandit. Le maire parle.", 1, [0.71, 0.83, 0.75]
    )
    row = dict(zip(PASSAGE_FEATURES, passage_features([passage])[0], strict=True))
    scores = sorted(passage.scores.astype(np.float64), reverse=True)
    assert (row["best sentence score"], row["second best sentence score"]) == (scores[0], scores[1])
    assert row["closest sentence cosine"] == np.float64(np.float32(0.83))
    assert row["most question terms in a sentence"] == passage.features[:, 3].max() > 0
    lone = candidate(question, "La ville", "La ville compte 12 000 habitants.", 1, [0.8])
    lone_row = dict(zip(PASSAGE_FEATURES, passage_features([lone])[0], strict=True))
    assert lone_row["second best sentence score"] == lone_row["best sentence score"] == lone.scores[0]
