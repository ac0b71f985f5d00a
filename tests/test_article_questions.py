"""Questions on an article's details (its date, author, source, title) are told from
questions on what the articles report, which name something of their own."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.article_questions import (
    DetailAsked,
    NewsAsked,
    _unaccented,
    asks_for_detail,
    asks_to_read_on,
    asks_what_it_is_about,
    asks_whats_new,
    without_other,
)
from index.conversation import Reading, Topic, read


@pytest.mark.parametrize(
    ("question", "detail"),
    [
        ("Quelle est la date de l'article ?", "date"),
        ("De quand date cet article ?", "date"),
        ("Quand a été publié l’article ?", "date"),
        ("Quand l'article a-t-il été écrit ?", "date"),
        ("C'est paru quand ?", "date"),
        ("Date de publication de l'article ?", "date"),
        ("Qui a écrit l'article ?", "author"),
        ("Qui est l'auteur de l'article ?", "author"),
        ("Quel est le nom de l'auteur de l'article ?", "author"),
        ("Quel journaliste a écrit l'article ?", "author"),
        ("C'est écrit par qui ?", "author"),
        ("Qui a écrit ça ?", "author"),
        ("Tu as le lien ?", "source"),
        ("Donne-moi le lien de l'article", "source"),
        ("Quelles sont tes sources ?", "source"),
        ("D'où vient l'info ?", "source"),
        ("D'où tu tiens ça ?", "source"),
        ("Source ?", "source"),
        ("Tu as la source ?", "source"),
        ("La source ?", "source"),
        ("Et la source ?", "source"),
        ("Et les sources ?", "source"),
        ("C'est tiré de quel journal ?", "source"),
        ("Où puis-je lire l'article en entier ?", "source"),
        ("Tu l'as trouvé où ?", "source"),
        ("Où as-tu lu ça ?", "source"),
        ("Vous avez vu ça où ?", "source"),
        ("C'est quel article ?", "title"),
        ("Dans quel article ?", "title"),
        ("Quel est le titre de l'article ?", "title"),
        ("Comment s'appelle l'article ?", "title"),
    ],
)
def test_a_question_on_the_article_s_details_says_which_detail(question, detail):
    assert asks_for_detail(question) == DetailAsked(detail)
    topic = Topic("Qui dirige l'OTAN ?", (1,))
    assert read(question, topic) == Reading(question, question, (1,), topic, detail=detail)
    assert read(question) == Reading(question, question, detail=detail)  # no conversation: the library's


@pytest.mark.parametrize(
    ("question", "detail", "subject"),
    [
        ("Qui a écrit l'article sur le castor ?", "author", "le castor"),
        ("Quand a été publié l'article à propos de la réforme des retraites ?", "date", "la réforme des retraites"),
        ("Quelle est la date de l'article qui parle du tramway ?", "date", "tramway"),
        ("D'où vient l'info sur Poutine ?", "source", "Poutine"),
    ],
)
def test_a_question_on_the_details_of_the_article_on_a_subject_searches_the_subject(question, detail, subject):
    assert asks_for_detail(question) == DetailAsked(detail, subject)
    # It stands alone: the article its subject finds, whatever the conversation was about.
    conversation = Topic("Qui dirige l'OTAN ?", (1,))
    assert read(question, conversation) == Reading(question, subject, detail=detail, by_subject=True)


@pytest.mark.parametrize(
    ("question", "detail"),
    [
        ("Qui a ecrit l'article ?", "author"),
        ("QUI A ÉCRIT L'ARTICLE ?", "author"),
        ("Quand a ete publie l'article ?", "date"),
        ("D'ou vient l'info ?", "source"),
        ("Quel est le titre de la depeche ?", "title"),
    ],
)
def test_a_question_on_the_article_s_details_typed_without_accents_is_one(question, detail):
    """As people type on phones: "Qui a ecrit l'article ?" was searched, and found nothing."""
    assert asks_for_detail(question) == DetailAsked(detail)


def test_the_subject_of_a_question_typed_without_accents_is_searched_as_typed():
    assert asks_for_detail("Qui a ecrit l'article a propos du château ?") == DetailAsked("author", "château")
    assert asks_whats_new("Quoi de neuf a propos de la réforme ?") == NewsAsked("la réforme")
    assert asks_what_it_is_about("resume l'article") and asks_to_read_on("Tu peux developper ?")


@pytest.mark.parametrize(
    "question",
    [
        "Qui a écrit sur le castor ?",  # an author the articles may name
        "Quelle est la date sur le castor ?",
        "Qui a écrit l'article du Monde sur les retraites ?",
        "Qui a écrit la lettre ?",  # names what the articles may report
        "Quand a été publié le rapport ?",
        "Quelle est la source de la Seine ?",
        "Quelle est la source ?",  # where a river rises, as well
        "D'où vient ça ?",  # what caused it, as well
        "Qui est l'auteur ?",  # of the attack the article reports, as well
        "Ça date de quand ?",  # the castle the conversation is about, as well
        "Quel est le titre ?",
        "Où l'ont-ils trouvé ?",  # where someone was found, as the articles may report
        "Où as-tu trouvé Paul ?",
        "Tu l'as vu où, le loup ?",
        "Quelle est sa date ?",
        "Qui l'a écrit ?",
        "Quand ?",
        "Quel est le lien entre Poutine et l'OTAN ?",
        "Qui dirige l'OTAN ?",
    ],
)
def test_a_question_that_may_ask_what_an_article_reports_is_not_one_on_its_details(question):
    assert asks_for_detail(question) is None


@pytest.mark.parametrize(
    "question",
    [
        "Quoi de neuf ?",
        "Salut, quoi de neuf ?",
        "Quelles sont les dernières nouvelles ?",
        "Les infos du jour",
        "Qu'y a-t-il de nouveau ?",
        "Quels sont les derniers articles ?",
        "Quel est le dernier article ajouté ?",
        "Il y a quoi de neuf ?",
        "Des nouvelles ?",
        "Que se passe-t-il aujourd'hui ?",
        "Que contient la bibliothèque ?",  # the whole library, whatever the conversation was about
        "Quels articles as-tu ?",
    ],
)
def test_a_question_on_what_is_new_is_read_as_the_latest_articles_whatever_came_before(question):
    assert asks_whats_new(question) == NewsAsked()
    assert read(question, Topic("Qui dirige l'OTAN ?", (1,))) == Reading(question, question, latest=True)


def test_what_is_new_on_a_subject_searches_the_subject_and_other_news_words_are_questions():
    question = "Quoi de neuf sur la réforme des retraites ?"
    assert read(question) == Reading(question, "la réforme des retraites")
    others = ["Quelles sont les nouvelles règles ?", "Quoi de neuf dans la loi ?", "Qui dirige l'OTAN ?"]
    for other in [*others, "Que se passe-t-il ?"]:  # what is happening to the topic's subject, as well
        assert asks_whats_new(other) is None, other


@pytest.mark.parametrize(
    "question",
    [
        "La suite ?",
        "Et la suite ?",
        "Dis-m’en plus",
        "Dites-m'en plus, s'il vous plaît",
        "Tu peux m'en dire plus ?",
        "Je veux en savoir plus",
        "Et ensuite ?",
        "Et après ?",
        "Continue",
        "Tu peux développer ?",
        "Ok, la suite stp",
        "Quoi d'autre ?",
        "Encore !",
    ],
)
def test_asking_for_what_comes_next_reads_the_article_on_from_the_last_quote(question):
    assert asks_to_read_on(question)
    topic = Topic("Qui dirige l'OTAN ?", (1,), (4, 120))
    assert read(question, topic) == Reading(question, question, (1,), topic, read_on=True)
    assert read(question) == Reading(question, question, read_on=True)  # nothing to read on from: said so


@pytest.mark.parametrize(
    "question",
    [
        "Et après la guerre ?",
        "Quelle est la suite du projet ?",
        "Encore une question : qui dirige l'OTAN ?",
        "Continue-t-il sa tournée ?",
        "Plus de détails sur le budget ?",
        "Que se passe-t-il ensuite pour les salariés ?",
    ],
)
def test_a_question_of_its_own_is_not_read_as_la_suite(question):
    assert not asks_to_read_on(question)


@pytest.mark.parametrize(
    ("question", "as_of_the_article"),
    [
        ("De quoi parle l'autre article ?", "De quoi parle l'article ?"),
        ("Qui a écrit l'autre texte ?", "Qui a écrit le texte ?"),
        ("De quand datent les autres documents ?", "De quand datent les documents ?"),
        ("Qui a écrit l'article ?", None),  # no other one named
    ],
)
def test_the_other_article_is_asked_of_as_the_article_in_french(question, as_of_the_article):
    assert without_other(question) == as_of_the_article


@pytest.mark.parametrize(
    "typed",
    [
        "Qui a écrit l’article ?",  # as a keyboard writes it
        "Qui a ecrit l'article ?",  # on a phone, without its accents
        "Qui a e\u0301crit l'article ?",  # the accent typed as a mark of its own (NFD)
        "QUI A ÉCRIT L'ARTICLE ?",
    ],
)
def test_a_detail_is_asked_for_however_its_accents_are_typed(typed: str) -> None:
    assert asks_for_detail(typed) == DetailAsked("author")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_text_is_unaccented_letter_for_letter_as_each_letter_decomposes(text: str) -> None:
    """The rules read a question letter for letter without its accents, so that a match's
    positions hold in the question as typed (NFC): each letter is the first character of its
    decomposition, whatever the script, twice in a row alike (the letters are kept once worked out)."""
    composed = unicodedata.normalize("NFC", text)
    expected = "".join(unicodedata.normalize("NFD", letter)[0] for letter in composed)
    assert _unaccented(text) == expected
    assert _unaccented(text) == expected
