"""A question's typos are read through: a word no passage holds and French does not use, one
letter from a word the library holds, is read as the library's word, and the reply says so."""

from __future__ import annotations

from datetime import UTC

import pytest

from bot.replies.answers import format_answer
from bot.replies.json_forms import answer_json
from bot.telegram import messages as fmt
from index.background import BackgroundFrequencies
from index.library import Answer, Library, Result
from index.sources import parse_text
from index.spelling import corrections, one_edit_away, respell, words_read_as
from tests.conftest import HashingEmbedder
from tests.telegram_html import check_telegram_html
from tests.test_replies import ARTICLE

LIBRARY = {"stutthof": 3, "village": 7, "seul": 9, "deport": 2, "camp": 4, "decodag": 9, "decollag": 1}
FRENCH = {"seuil": 1e-5, "village": 1e-4, "camp": 1e-4, "liber": 1e-5, "decollag": 2e-6, "decodag": 1e-7}


def library_counts(asked):
    return {term: LIBRARY[term] for term in asked if term in LIBRARY}


def french_frequencies(asked):
    return {term: FRENCH[term] for term in asked if term in FRENCH}


def test_one_edit_away_deletes_inserts_replaces_or_swaps_one_letter():
    near = one_edit_away("camp")
    assert {"cap", "camps", "cump", "cmap"} <= near and "camp" not in near and "cmpa" not in near


def test_a_word_french_does_not_use_one_letter_from_the_library_s_is_read_as_it():
    assert corrections(["strutthof", "deport"], library_counts, french_frequencies) == {"strutthof": "stutthof"}


def test_french_words_short_words_and_the_library_s_own_are_left_as_typed():
    # "seuil" is French (one letter from the library's "seul"), "camq" too short to tell, and
    # "village" the library's own.
    assert corrections(["seuil", "camq", "village", "2019"], library_counts, french_frequencies) == {}


def test_among_several_near_terms_the_one_french_uses_most_is_chosen():
    # "décolage" is one letter from "décodage" and "décollage"; more passages hold the first.
    assert corrections(["decolag"], library_counts, french_frequencies) == {"decolag": "decollag"}
    assert corrections(["vilage"], library_counts, french_frequencies) == {"vilage": "village"}


def test_a_question_of_endless_or_countless_unknown_words_costs_a_few_small_lookups():
    looked_up: list[int] = []

    def counted(asked):
        looked_up.append(len(asked))
        return library_counts(asked)

    endless = "o" + "tan" * 200  # one "word" of 601 letters (its neighbours: 32,000 of them)
    countless = [f"strutthof{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(300)]  # 300 unknown words
    assert corrections([endless], counted, french_frequencies) == {}
    corrections(countless, counted, french_frequencies)
    assert max(looked_up) <= 3_000 and sum(looked_up) <= 30_000


def test_a_typo_is_not_read_as_a_word_of_another_first_letter():
    assert corrections(["ttutthof"], library_counts, french_frequencies) == {}


def test_the_question_is_rewritten_with_the_library_s_own_word_whole_words_only():
    texts = {"stutthof": "Le camp de concentration du Stutthof fut libéré en mai 1945."}
    replaced = words_read_as("Quand fut libéré le Strutthof ?", {"strutthof": "stutthof"}, texts.get)
    assert replaced == {"Strutthof": "Stutthof"}
    assert respell("Le Strutthof, Strutthofs ?", replaced) == "Le Stutthof, Strutthofs ?"


def test_a_library_answers_a_question_with_a_typo_in_a_name_and_says_how_it_read_it(tmp_path):
    french = BackgroundFrequencies.build(
        tmp_path / "french.sqlite3", [("libéré", 1e-5), ("camp", 1e-4), ("conseil", 1e-4), ("mesure", 1e-4)]
    )
    with Library(tmp_path / "idx", HashingEmbedder(), max_words=60, background=french) as library:
        library.ingest(
            [
                parse_text("titre: Le Stutthof\n\nLe camp du Stutthof fut libéré le 9 mai 1945 par l'Armée rouge."),
                parse_text("titre: Le conseil\n\nLe conseil municipal a voté la mesure mardi."),
            ]
        )
        answer = library.ask("Quand fut libéré le Strutthof ?")
        assert answer.respelled == (("Strutthof", "Stutthof"),)
        assert answer.results[0].article.title == "Le Stutthof"
        assert library.ask("Quand le conseil a-t-il voté la mesure ?").respelled == ()


@pytest.mark.parametrize("folder", ["modèles #2", "cache?v=2", "100% local"])
def test_french_word_frequencies_are_read_from_a_folder_of_any_name(tmp_path, folder):
    """MODEL_CACHE_DIR is the user's to name: a "#", "?" or "%" in it must not make every
    question fail on a database that cannot be opened."""
    french = BackgroundFrequencies.build(tmp_path / folder / "french.sqlite3", [("camp", 1e-4), ("libéré", 1e-5)])
    assert french.frequencies(["camp", "liber", "stutthof"]) == {"camp": 1e-4, "liber": 1e-5}


def typo_answer() -> Answer:
    passage = "Le camp du Stutthof fut libéré le 9 mai 1945."
    return Answer(
        "Quand fut libéré le Strutthof ?",
        True,
        [Result(1, 0.1, 1, ARTICLE, None, passage, 0, len(passage))],
        1.0,
        respelled=(("Strutthof", "Stutthof"),),
    )


def test_the_reply_says_which_word_was_read_as_which():
    assert (
        format_answer(typo_answer(), sure_from=0.5, zone=UTC).splitlines()[0] == "(lu « Stutthof » pour « Strutthof »)"
    )
    assert answer_json(typo_answer(), sure_from=0.5)["respelled"] == [{"typed": "Strutthof", "read": "Stutthof"}]
    page = fmt.answer_pages(typo_answer(), per_page=3, sure_from=0.5)[0].text
    check_telegram_html(page)
    assert page.splitlines()[1] == "<i>✏️ lu « Stutthof » pour « Strutthof »</i>"
