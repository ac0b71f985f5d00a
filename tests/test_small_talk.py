"""A greeting, thanks, an "ok", a goodbye or help asked for in words is small talk, answered
as such; anything that asks the library something is a question, greeting or not."""

import pytest

from bot.small_talk import REPLIES, not_in_french, reads_as_english, small_talk


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("Bonjour", "greeting"),
        ("bonjour !", "greeting"),
        ("Salut, ça va ?", "greeting"),
        ("Bonsoir à tous", "greeting"),
        ("Coucou le bot 👋", "greeting"),
        ("Merci !!! 🙏", "thanks"),
        ("merci beaucoup pour la réponse", "thanks"),
        ("Super, merci", "thanks"),
        ("Merci, au revoir", "parting"),  # takes leave: not asked for another question
        ("Encore merci !", "thanks"),  # not "Encore ?", which asks to read on
        ("OK", "agreement"),
        ("D'accord.", "agreement"),
        ("Très bien", "agreement"),
        ("Au revoir", "farewell"),
        ("Bonne journée !", "farewell"),
        ("Vraiment ?", "doubt"),
        ("T'es sûr ?", "doubt"),
        ("Ah bon ?!", "doubt"),
        ("aide", "help"),
        ("Aide-moi", "help"),
        ("Comment ça marche ?", "help"),
        ("Que sais-tu faire ?", "help"),
        ("Qui es-tu ?", "help"),
        # As people type them in a chat: abbreviated, chained, or an emoji alone.
        ("Merci bcp", "thanks"),
        ("Ah ok merci", "thanks"),
        ("C'est noté, merci !", "thanks"),
        ("Merci et bonne journée", "parting"),
        ("Bonne soirée et merci pour tout !", "parting"),
        ("Merci à plus", "parting"),
        ("Merci pour les infos", "thanks"),
        ("Ok, je vois", "agreement"),
        ("Ah d'accord", "agreement"),
        ("Très intéressant", "agreement"),
        ("Oui", "agreement"),
        ("👍", "agreement"),
        ("👌🏽👌🏽", "agreement"),
        ("🙏", "thanks"),
        ("❤️", "thanks"),
    ],
)
def test_small_talk_is_recognised_however_it_is_written(message, kind):
    assert small_talk(message) == kind


@pytest.mark.parametrize(
    "message",
    [
        "Qui dirige l'OTAN ?",
        "Bonjour, qui est le secrétaire général de l'OTAN ?",  # greets, then asks: a question
        "Merci. Et que dit-il de Poutine ?",
        "Quelle aide l'OTAN apporte-t-elle à l'Ukraine ?",  # the word "aide" in a question
        "Bien sûr que non",
        "Est-ce vraiment la priorité de l'OTAN ?",  # doubts, and asks: a question
        "Bonjour et merci, combien coûte le projet ?",
        "Oui mais pourquoi ?",
        "Merci, et en 2020 ?",
        "Et ?",
        "?",
        "👍 ?",  # a doubt, or a question: not an "ok"
        "🤔",
        "",
    ],
)
def test_a_message_that_asks_something_is_not_small_talk(message):
    assert small_talk(message) is None


def test_every_kind_but_help_has_its_own_reply_and_help_is_the_interfaces_own():
    assert set(REPLIES) == {"greeting", "thanks", "parting", "agreement", "farewell", "doubt"}
    assert all(reply and "rien trouvé" not in reply for reply in REPLIES.values())


@pytest.mark.parametrize(
    ("message", "english"),
    [
        ("What is the growth forecast for Germany?", True),
        ("Who scored for Lorient?", True),
        ("How many trips were made?", True),
        ("Quel est le score du match ?", False),
        ("The Voice : qui a gagné ?", False),  # an English name in a French question
        ("Qui figure dans le Who's Who ?", False),
        ("OK", False),
    ],
)
def test_a_question_in_english_is_recognised_by_its_words(message, english):
    assert reads_as_english(message) is english


@pytest.mark.parametrize(
    ("message", "foreign"),
    [
        ("Кто генеральный секретарь НАТО?", True),
        ("北约秘书长是谁？", True),
        ("Who scored for Lorient?", True),
        ("Qui est Владимир Путин ?", False),  # a name in its own alphabet, in a French question
        ("𝐐𝐮𝐢 𝐞𝐬𝐭 𝐥𝐞 𝐦𝐚𝐢𝐫𝐞 ?", False),  # a phone's bold font: Latin letters all the same
        ("ｑｕｉ ｅｓｔ ｌｅ ｍａｉｒｅ ？", False),  # full width
        ("2020 ?", False),  # no letter: a follow-up on a year
    ],
)
def test_a_question_in_english_or_without_a_latin_letter_is_not_in_french(message, foreign):
    assert not_in_french(message) is foreign
