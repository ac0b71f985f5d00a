"""Hybrid ranking and the relevance decision, on a fast stand-in embedder."""

import math
import os
import subprocess
import sys

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from index.documents import parse_text
from index.evaluation import EvalQuestion, near_miss_declined
from index.library import Library
from index.ranking import (
    Evidence,
    LexicalQuery,
    LinearModel,
    RelevancePolicy,
    best_per_passage,
    lexical_query,
    reciprocal_rank_fusion,
)
from index.search import evidence_without
from tests.conftest import ROOT, HashingEmbedder


def test_fusion_rewards_agreement_between_the_two_rankings():
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 2, 9]], [1.0, 1.0])
    assert {item for item, _ in fused[:2]} == {2, 3}  # in both lists, ahead of 1 and 9
    assert {item for item, _ in fused} == {1, 2, 3, 9}


def test_fusion_weights_break_ties_towards_the_trusted_ranking():
    fused = reciprocal_rank_fusion([[1, 2], [2, 1]], [0.8, 1.0])
    assert [item for item, _ in fused] == [2, 1]


def test_relevance_grows_with_both_kinds_of_evidence():
    policy = RelevancePolicy()
    weak = Evidence(dense=0.80, coverage=0.2)
    assert policy.probability(Evidence(dense=0.88, coverage=0.2)) > policy.probability(weak)
    assert policy.probability(Evidence(dense=0.80, coverage=0.9)) > policy.probability(weak)
    assert not policy.is_relevant(Evidence(dense=0.75, coverage=0.0))
    assert policy.is_relevant(Evidence(dense=0.90, coverage=1.0))
    assert RelevancePolicy(threshold=0.99).probability(weak) == policy.probability(weak)


def test_a_vague_question_is_the_likelier_declined_in_a_large_library():
    policy = RelevancePolicy()
    large = math.log1p(100_000)
    # The same share of the question held, by the same closest sentence: the question that
    # says less ("Qui a été assassiné ?") is the one a large library answers by chance.
    vague = Evidence(dense=0.86, coverage=0.5, library=large, missing=3.0)
    telling = Evidence(dense=0.86, coverage=0.5, library=large, missing=12.0)
    assert policy.probability(vague) < policy.probability(telling)


def test_the_evidence_weighs_what_the_best_passage_lacks_of_the_question(fast_library):
    fast_library.ingest(
        [
            parse_text("titre: Météo\n\nIl pleuvra sur la Bretagne toute la semaine selon Météo-France."),
            parse_text("titre: Sport\n\nLe club de Rennes a gagné son match dimanche soir."),
        ]
    )
    held = fast_library.ask("Pleuvra-t-il sur la Bretagne ?")
    lacking = fast_library.ask("Pleuvra-t-il sur la Bretagne et la Normandie ?")
    assert held.evidence.missing == 0.0
    assert lacking.evidence.missing > 0.0
    assert lacking.evidence.coverage < 1.0


# Run by a fresh process: each question's evidence, every number of it to its last bit.
_EVIDENCE_AFTER_A_RESTART = """
import sys
from pathlib import Path
from index.library import Library
from tests.conftest import HashingEmbedder
with Library(Path(sys.argv[1]), HashingEmbedder(), max_words=60) as library:
    for question in sys.argv[2:]:
        evidence = library.ask(question).evidence
        print([getattr(evidence, name).hex() for name in evidence.FIELDS])
"""


def test_a_question_asked_again_after_a_restart_is_weighed_the_same_to_the_last_bit(tmp_path, sample_text):
    """A relevance on its threshold must not answer otherwise after the bot restarts: the
    question's term weights are summed in the same order whatever the string hashing each
    process draws (PYTHONHASHSEED), not in a set's order."""
    path = tmp_path / "index"
    with Library(path, HashingEmbedder(), max_words=60) as library:
        library.ingest([parse_text(sample_text, name="otan.txt")])
    questions = [
        "Que demande Jens Stoltenberg aux membres de l'OTAN réunis à Bruxelles pour l'Ukraine ?",
        "Quelle ville le groupe Wagner attaque-t-il dans le Donbass depuis l'été dernier ?",
        "Pourquoi les livraisons d'armes à l'Ukraine doivent-elles accélérer selon le secrétaire général ?",
    ]
    runs = {
        seed: subprocess.run(
            [sys.executable, "-c", _EVIDENCE_AFTER_A_RESTART, str(path), *questions],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs["1"].splitlines()) == len(questions)
    assert runs["2"] == runs["1"] and runs["3"] == runs["1"]


def test_a_near_miss_is_judged_on_what_remains_without_the_passages_that_answer(fast_library):
    fast_library.ingest(
        [
            parse_text("titre: Météo\n\nIl pleuvra sur la Bretagne toute la semaine selon Météo-France."),
            parse_text("titre: Sport\n\nLe club de Rennes a gagné son match dimanche soir."),
        ]
    )
    question = EvalQuestion("q", "Pleuvra-t-il sur la Bretagne ?", ("toute la semaine",), None)
    answer = fast_library.ask(question.question)
    weather = answer.results[0].passage_id
    without = evidence_without(answer, {weather})
    # Judged on the match report alone, which holds none of the question's words.
    assert without.coverage == 0.0 < answer.evidence.coverage
    assert near_miss_declined(question, answer, fast_library.policy) is True
    # A question whose answer no candidate holds makes no near miss; nor does leaving out all.
    elsewhere = EvalQuestion("r", question.question, ("Normandie",), None)
    assert near_miss_declined(elsewhere, answer, fast_library.policy) is None
    assert evidence_without(answer, {c.row.id for c in answer.candidates}) is None


def test_lexical_and_dense_candidates_are_both_returned(fast_library):
    fast_library.ingest(
        [
            parse_text("titre: Météo\n\nIl pleuvra sur la Bretagne toute la semaine selon Météo-France."),
            parse_text("titre: Sport\n\nLe club de Rennes a gagné son match dimanche soir."),
        ]
    )
    answer = fast_library.ask("Quel temps fera-t-il en Bretagne ?", top_k=2)
    assert answer.results[0].article.title == "Météo"
    assert answer.results[0].quote in answer.results[0].passage
    lexical_only = fast_library.ask("Bretagne", mode="lexical")
    assert [r.article.title for r in lexical_only.results] == ["Météo"]


COMMON = [
    "Le conseil municipal a voté la réforme mardi.",
    "Le conseil de quartier se réunira jeudi.",
    "Les habitants ont voté pour le nouveau parc.",
]


def test_terms_found_almost_everywhere_are_left_out_of_the_lexical_query():
    frequencies = {"pari": 9000, "otan": 40, "secretair": 700, "general": 8000}
    query = lexical_query(["secretair", "general", "otan", "otan"], frequencies, limit=5000)
    assert query == LexicalQuery(("secretair", "otan"))
    assert lexical_query(["general", "otan"], frequencies, limit=5000) == LexicalQuery(("otan",))


def test_a_question_of_common_words_looks_for_passages_with_its_two_rarest_terms():
    frequencies = {"pari": 9000, "general": 8000, "an": 20000}
    assert lexical_query(["an", "general", "pari"], frequencies, limit=5000) == LexicalQuery(
        ("general", "pari"), every_term=True
    )
    assert lexical_query(["an"], frequencies, limit=5000) == LexicalQuery(("an",))
    assert lexical_query(["inconnu"], {}, limit=5000) == LexicalQuery(("inconnu",))


def test_a_lexical_search_for_every_term_finds_only_passages_holding_all(fast_library):
    fast_library.ingest([parse_text(f"titre: A{n}\n\n{text}") for n, text in enumerate(COMMON)])
    store = fast_library._current().store
    with store.read():
        any_term = {i for i, _ in store.lexical_search(["conseil", "vot"], 10)}
        every_term = {i for i, _ in store.lexical_search(["conseil", "vot"], 10, every_term=True)}
    assert len(any_term) == 3 and len(every_term) == 1 and every_term < any_term


def test_a_passage_is_ranked_once_at_its_best_sentence():
    # sentence results, best first: passage 7 twice, passage 3 twice, passage 9 once
    passage_ids = np.array([7, 3, 7, 9, 3])
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5])
    assert best_per_passage(passage_ids, scores, 5) == [(7, 0.9), (3, 0.8), (9, 0.6)]
    assert best_per_passage(passage_ids, scores, 2) == [(7, 0.9), (3, 0.8)]
    assert best_per_passage(np.array([], np.int64), np.array([]), 3) == []


@given(st.lists(st.integers(0, 30), max_size=120), st.integers(1, 40))
def test_the_passages_of_sentence_results_are_those_first_met_with_their_first_score(passages, wanted):
    scores = np.linspace(1.0, 0.0, len(passages), dtype=np.float32)  # results come best first
    first_met: dict[int, float] = {}
    for passage, score in zip(passages, scores.tolist(), strict=True):
        first_met.setdefault(passage, score)
    expected = list(first_met.items())[:wanted]
    assert best_per_passage(np.array(passages, np.int64), scores, wanted) == expected


def test_a_linear_model_scores_its_standardised_features_by_its_weights_every_time() -> None:
    """Each model scores with its own numbers, made into arrays once (every answer scores with
    the quote and passage models): the first call, the next ones, and another model alike."""
    features = np.array([[1.0, 4.0], [3.0, 0.0]], np.float32)
    model = LinearModel(mean=(1.0, 2.0), scale=(2.0, 4.0), weights=(1.0, -1.0))
    other = LinearModel(mean=(0.0, 0.0), scale=(1.0, 1.0), weights=(1.0, 1.0))
    for _ in range(2):
        assert model.scores(features).tolist() == [-0.5, 1.5]  # (0/2 - 2/4), (2/2 - -2/4)
        assert other.scores(features).tolist() == [5.0, 3.0]
    assert model.scores(features).dtype == np.float32
