"""A passage's sentences are analysed once, when it is stored: search reads the same terms as
ever, each answer reads every sentence's terms back, and a library stored before answers
exactly as one stored since."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.analysis import sentence_lines, stored_sentence_terms, terms
from index.documents import parse_text
from index.library import Library
from index.sentences import sentence_spans
from index.store import PassageSentences, Store
from tests.conftest import ROOT

SMALL = ROOT / "tests" / "data" / "small-library"

# Words, numbers, accents, elisions and the punctuation sentences end and begin with.
PIECES = ["L'OTAN", "livre", "des", "avions", "à", "Kiev", "1949", "3e", "été", "œuvre", "M.", "«", "»", "(…)"]
texts = st.lists(st.sampled_from([*PIECES, ".", "?", "!", " ", "\n\n", ",", "Élu", "aujourd'hui"]), max_size=60).map(
    " ".join
)


@given(head=texts, passage=texts)
def test_search_reads_the_same_terms_and_each_sentence_reads_its_own(head, passage):
    spans = sentence_spans(passage) or [(0, len(passage))]
    stored = sentence_lines(head, passage, spans)
    assert stored.split() == terms(head) + terms(passage)
    by_sentence = stored_sentence_terms(stored, len(spans))
    assert by_sentence is None or by_sentence == [set(terms(passage[a:b])) for a, b in spans]


def test_sentences_that_cut_a_word_leave_the_terms_on_one_line():
    passage = "Les avions livrés. Kiev attend"
    cut = [(0, 7), (7, len(passage))]  # "Les avi" | "ons livrés…"
    stored = sentence_lines("Titre", passage, cut)
    assert "\n" not in stored and stored.split() == terms("Titre") + terms(passage)
    assert stored_sentence_terms(stored, len(cut)) is None


def _answers(library: Library, questions: list[str]) -> list[tuple]:
    answers = library.ask_many(questions, top_k=5)
    return [
        (
            a.found,
            round(a.relevance, 9),
            [(r.passage_id, r.quote_start, r.quote_end) for r in a.results],
            [c.scores.round(6).tolist() for c in a.candidates],
        )
        for a in answers
    ]


def _sentences(directory: Path, dimension: int) -> list[PassageSentences]:
    store = Store(directory / "library.sqlite3", create=False)
    try:
        with store.read():
            return list(store.passage_sentences(store.passage_ids(), dimension).values())
    finally:
        store.close()


def _lexical(directory: Path, questions: list[str]) -> list:
    """FTS5's ranking and counts for each question's terms."""
    store = Store(directory / "library.sqlite3", create=False)
    try:
        with store.read():
            return [
                (store.lexical_search(terms(q), 20), store.document_frequencies(terms(q)), store.counts())
                for q in questions
            ]
    finally:
        store.close()


def test_a_library_stored_before_sentence_lines_answers_as_one_stored_since(tmp_path, embedder):
    directory = tmp_path / "index"
    articles = [parse_text(path.read_text(encoding="utf-8"), name=path.name) for path in sorted(SMALL.glob("*.txt"))]
    questions = [
        "Qui est le secrétaire général de l'OTAN ?",
        "Les avions de chasse sont-ils la priorité ?",
        "Quand la réunion a-t-elle lieu ?",
        "Qui est le prédateur du castor ?",
        "Comment s'appelle le préfet de région ?",
        "Quel temps fera-t-il à Brest demain ?",
    ]
    with Library(directory, embedder, max_words=60) as library:
        library.ingest(articles)
        with_lines = _answers(library, questions)
    assert all(s.terms is not None for s in _sentences(directory, embedder.dimension))
    searched = _lexical(directory, questions)
    database = sqlite3.connect(directory / "library.sqlite3")
    with database:  # as a library stored before: each passage's terms on one line
        stored = database.execute("SELECT rowid, terms FROM passage_terms").fetchall()
        assert all("\n" in text for _, text in stored)
        database.executemany(
            "UPDATE passage_terms SET terms = ? WHERE rowid = ?", [(" ".join(text.split()), i) for i, text in stored]
        )
    database.close()
    assert all(s.terms is None for s in _sentences(directory, embedder.dimension))
    assert _lexical(directory, questions) == searched
    with Library(directory, embedder, max_words=60) as library:
        assert _answers(library, questions) == with_lines
        assert library.ask(questions[0]).found


@pytest.mark.parametrize("text", ["", "   ", "Un seul mot"])
def test_a_passage_of_one_sentence_or_none_reads_back(text):
    spans = sentence_spans(text) or [(0, len(text))]
    by_sentence = stored_sentence_terms(sentence_lines("", text, spans), len(spans))
    assert by_sentence == [set(terms(text[a:b])) for a, b in spans]
