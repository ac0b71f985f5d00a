"""The in-memory lexicon ranks exactly as SQLite FTS5 does, over the same library, whatever
was written or deleted since it was built, and a library answers the same with it."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.documents import parse_text
from index.lexicon import BuildStopped, Lexicon, Postings, _summed
from index.library import Library
from index.live_lexicon import LiveLexicon
from index.storage import LocalBackend
from index.store import NewArticle, NewPassage, Store
from tests.conftest import SAMPLE, HashingEmbedder
from tests.test_atomic_writes import article

# Few words, so that passages share them, some hold one several times, and scores tie.
WORDS = ["otan", "kiev", "avion", "chass", "livraison", "urgent", "stoltenberg", "bruxel", "ministr", "1949"]
passages_terms = st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), min_size=1, max_size=30)
questions = st.lists(st.sampled_from([*WORDS, "absent"]), min_size=1, max_size=4)


def stored(store: Store, passages: list[list[str]]) -> list[int]:
    """One article per passage (never a duplicate of one stored before); its passage's id."""
    ids = []
    for terms in passages:
        text = " ".join(terms)
        digest = hashlib.sha1(f"{len(store.passage_ids())} {text}".encode()).hexdigest()
        passage = NewPassage(0, 0, len(text), None, text, ((0, len(text)),))
        new = NewArticle("t", None, None, None, None, digest, text, ("p",), (passage,))
        _, row = store.add_article(new, np.zeros((1, 4), np.float32))
        ids.append(store.passage_ids()[-1])
        assert row.passages == 1
    return ids


def assert_ranks_as_fts5(store: Store, lexicon: Lexicon, question: list[str], limit: int = 50) -> None:
    for every_term in (False, True):
        expected = store.lexical_search(question, limit, every_term=every_term)
        found = lexicon.lexical_search(question, limit, every_term=every_term)
        assert [i for i, _ in found] == [i for i, _ in expected]
        assert [s for _, s in found] == pytest.approx([s for _, s in expected], rel=1e-9)
    assert lexicon.document_frequencies(question) == store.document_frequencies(question)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(passages=passages_terms, asked=st.lists(questions, min_size=1, max_size=5), limit=st.integers(1, 12))
def test_the_lexicon_ranks_every_question_as_fts5(tmp_path_factory, passages, asked, limit):
    store = Store(tmp_path_factory.mktemp("lex") / "library.sqlite3")
    stored(store, passages)
    with store.read():
        lexicon = Lexicon(Postings.build(store.passage_terms()))
        for question in asked:
            assert_ranks_as_fts5(store, lexicon, question, limit)
    store.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    before=passages_terms,
    after=passages_terms,
    deleted=st.lists(st.integers(0, 59), max_size=20),
    asked=st.lists(questions, min_size=1, max_size=4),
)
def test_passages_written_and_deleted_after_the_build_rank_as_in_fts5(tmp_path_factory, before, after, deleted, asked):
    store = Store(tmp_path_factory.mktemp("lex") / "library.sqlite3")
    first = stored(store, before)
    with store.read():
        built_at = store.last_change()
        lexicon = Lexicon(Postings.build(store.passage_terms()))
    ids = first + stored(store, after)
    for position in dict.fromkeys(deleted):  # from the base and from what came after
        if position < len(ids):
            store.delete_article(store.get_passages([ids[position]])[ids[position]].article.id)
    with store.read():
        changes = store.changes_after(built_at)
        lexicon = lexicon.changed(list(store.passage_terms(changes.added)), changes.removed)
        for question in asked:
            assert_ranks_as_fts5(store, lexicon, question)
        assert lexicon.rows == store.counts()[1]
    store.close()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, 40), unique=True, min_size=1), min_size=2, max_size=5))
def test_scores_are_summed_alike_by_sorting_and_in_one_array(postings):
    """Both ways of adding up several terms' scores give the same passages and sums."""
    slots = [np.array(p, np.int64) for p in postings]
    scores = [np.linspace(0.5, 2.0, len(p)) for p in postings]
    by_sorting = _summed(slots, scores, 41, dense_from=0)
    in_one_array = _summed(slots, scores, 41, dense_from=10**6)
    for a, b in zip(by_sorting, in_one_array):
        assert np.array_equal(a, b)


def test_a_build_stops_when_the_library_closes():
    rows = ((i, "otan kiev") for i in range(100_000))
    with pytest.raises(BuildStopped):
        Postings.build(rows, stop=lambda: True)


def test_an_empty_library_has_an_empty_lexicon(tmp_path):
    store = Store(tmp_path / "library.sqlite3")
    with store.read():
        lexicon = Lexicon(Postings.build(store.passage_terms()))
    assert lexicon.lexical_search(["otan"], 10) == []
    assert lexicon.document_frequencies(["otan"]) == {}
    store.close()


def test_a_large_library_answers_from_the_lexicon_as_it_would_from_fts5(tmp_path):
    """Built in the background once the library is large enough, kept in step with writes by
    this library and by another process, rebuilt when the log it needs was pruned."""
    backend = LocalBackend(tmp_path / "idx", lexicon_from=5, snapshot_every=(3, 3))
    questions = ["Qui dirige l'OTAN ?", "Quand le conseil a-t-il voté la loi ?", "vigueur du texte"]
    with Library(backend, HashingEmbedder(), max_words=60, batch_sentences=1) as library:
        library.ingest([article(n) for n in range(3)])
        library.prepare_for_questions()  # as the bot does
        library.ask(questions[0])
        assert not library.lexicon.wait()  # 3 passages: FTS5 answers, no build
        library.ingest([article(n) for n in range(3, 8)])
        plain = [answered(library, q) for q in questions]  # the first asks for the build
        live = library._current().lexicon
        assert live.wait() and live.ready
        assert [answered(library, q) for q in questions] == plain
        held = library._current().store.last_change()

        other = Library(LocalBackend(tmp_path / "idx", snapshot_every=(3, 3)), HashingEmbedder(), max_words=60)
        other.ingest([parse_sample()])  # another process's writes; its snapshots prune the log
        for n in range(20, 26):
            other.ingest([article(n)])
            other.vector_index.wait()
        other.delete(2)
        other.close()
        library.ingest([article(n) for n in range(8, 12)])
        library.delete(5)
        store = library._current().store
        with store.read():
            assert store.pruned_through() > held  # the other process's snapshots pruned the log
            assert live.current(store) is None  # so FTS5 answers while the lexicon is rebuilt
        live.wait()
        with store.read():
            current = live.current(store)
            assert current is not None and current.rows == store.counts()[1]
            for question in (["stoltenberg", "otan"], ["conseil", "vot"], ["vigueur"], ["loi", "absent"]):
                assert_ranks_as_fts5(store, current, question)
        answer = library.ask("Qui est le secrétaire général de l'OTAN ?", mode="lexical")
        assert any("Stoltenberg" in r.passage for r in answer.results)


def test_a_bot_starting_on_a_large_library_builds_its_lexicon_before_the_first_question(tmp_path):
    backend = LocalBackend(tmp_path / "idx", lexicon_from=5)
    with Library(backend, HashingEmbedder(), max_words=60) as library:
        library.ingest([article(n) for n in range(8)])
    with Library(backend, HashingEmbedder(), max_words=60) as bot:
        bot.prepare_for_questions()
        assert bot.lexicon.wait()
    with Library(LocalBackend(tmp_path / "small", lexicon_from=50), HashingEmbedder(), max_words=60) as small:
        small.ingest([article(n) for n in range(8)])
        small.prepare_for_questions()
        assert not small.lexicon.wait()  # too small to be worth it: FTS5 answers


def test_only_processes_that_answer_for_long_build_a_lexicon(tmp_path):
    store = Store(tmp_path / "library.sqlite3")
    stored(store, [["otan", "kiev"]] * 3)
    live = LiveLexicon(None, build_from=0)
    with store.read():
        live.start(store)
        assert live.lexical(store) is store
    with ThreadPoolExecutor(1) as maintenance:
        live = LiveLexicon(maintenance, build_from=0)
        with store.read():
            assert live.lexical(store) is store
        assert not live.wait()  # a one-shot process: nobody asked for it
        with store.read():
            live.start(store)
        assert live.wait()
        with store.read():
            assert isinstance(live.lexical(store), Lexicon)
    store.close()


def test_what_piles_up_beside_the_lexicon_is_folded_into_a_rebuilt_one(tmp_path):
    store = Store(tmp_path / "library.sqlite3")
    stored(store, [["otan", "kiev"], ["avion"], ["otan"]])
    with ThreadPoolExecutor(1) as maintenance:
        live = LiveLexicon(maintenance, build_from=0, rebuild_every=(2, 2))
        with store.read():
            live.start(store)
        live.wait()
        stored(store, [["otan", "chass"], ["kiev", "kiev"]])
        with store.read():
            assert live.current(store).changes == 2  # replayed beside the base; a rebuild is asked for
        live.wait()
        with store.read():
            rebuilt = live.current(store)
            assert (len(rebuilt.base), rebuilt.changes) == (5, 0)
            assert_ranks_as_fts5(store, rebuilt, ["otan", "kiev"])
    store.close()


def answered(library: Library, question: str) -> tuple:
    answer = library.ask(question, top_k=8, mode="lexical")
    return answer.found, [(r.passage_id, r.score, r.quote) for r in answer.results]


def parse_sample():
    return parse_text(SAMPLE.read_text(encoding="utf-8"), name="otan.txt", source="samples/otan.txt")
