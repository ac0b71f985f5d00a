"""A chat message is taken as the questions it asks, or as what it says instead (the console
and Telegram alike)."""

import time
import unicodedata

import pytest

from bot.chat_input import ARTICLE_WORDS, asks_to_answer, holds_words, questions_in, reads_as_article, what_is_said
from index.conversation import read


def test_a_message_holds_words_when_it_has_a_letter_or_a_digit():
    assert holds_words("Qui ?") and holds_words("2023 ?") and holds_words("été")
    assert not holds_words("?") and not holds_words(" … 👍 ") and not holds_words("")


def test_a_text_reads_as_an_article_beyond_the_words_of_any_question():
    assert not reads_as_article("Qui est le secrétaire général de l'OTAN ?")
    assert not reads_as_article(" ".join(["mot"] * ARTICLE_WORDS))
    assert reads_as_article(" ".join(["mot"] * (ARTICLE_WORDS + 1)))
    # What is no word is not counted: an exclamation typed with many "!" is no article.
    assert not reads_as_article("Quoi " + " !" * (ARTICLE_WORDS + 5))
    assert not reads_as_article("Qui a gagné ? " + " ".join(["🔥"] * ARTICLE_WORDS))


@pytest.mark.parametrize(
    ("message", "questions"),
    [
        (
            "Qui est Jens Stoltenberg ? Que dit-il de Poutine ?",
            ["Qui est Jens Stoltenberg ?", "Que dit-il de Poutine ?"],
        ),
        ("Qui dirige l'OTAN ?\nOù se réunit-elle ?", ["Qui dirige l'OTAN ?", "Où se réunit-elle ?"]),
        ("Qui est-il ? Et elle?", ["Qui est-il ?", "Et elle?"]),
        ("Qui dirige l'OTAN ?", ["Qui dirige l'OTAN ?"]),
        (  # a "?" inside a quotation asks nothing of its own
            "Qui a dit « ce n'est pas la question la plus urgente ? » à Bruxelles ?",
            ["Qui a dit « ce n'est pas la question la plus urgente ? » à Bruxelles ?"],
        ),
        ("Le livre « Que faire ? » de Lénine est-il cité ?", ["Le livre « Que faire ? » de Lénine est-il cité ?"]),
        ("Vraiment ? Qui dirige l'OTAN ?", ["Vraiment ? Qui dirige l'OTAN ?"]),  # "Vraiment ?" asks nothing alone
        ("Pourquoi ? Parce que.", ["Pourquoi ? Parce que."]),
        ("Qui ? Quoi ? Où ? Quand ?", ["Qui ? Quoi ? Où ? Quand ?"]),
        (
            "A-t-il dit ? Il a dit ceci ? Et cela ? Puis ça ?",
            ["A-t-il dit ?", "Il a dit ceci ?", "Et cela ?", "Puis ça ?"],
        ),
    ],
)
def test_a_message_that_asks_two_or_three_questions_in_a_row_is_answered_question_by_question(message, questions):
    assert questions_in(message) == questions


def test_of_more_than_three_questions_in_a_row_the_first_three_are_answered_and_the_others_named_back():
    """Four questions were searched as one, without a word: the answer quoted a passage for none
    of them in particular, and the asker did not know which was left."""
    said = what_is_said(
        "Qui dirige l'OTAN ? Où se réunit-elle ? Quand ? Que veut Poutine ? Qui est Pistorius ?", may_be_article=True
    )
    assert said.questions == ("Qui dirige l'OTAN ?", "Où se réunit-elle ? Quand ?", "Que veut Poutine ?")
    assert said.left == ("Qui est Pistorius ?",)
    assert what_is_said("Qui est-il ? Que dit-il ?", may_be_article=True).left == ()


LONG_TEXT = "Le conseil municipal a voté mardi le budget de la ville. " * 10


@pytest.mark.parametrize(
    ("message", "may_be_article", "aside", "questions"),
    [
        ("   ", True, "blank", ()),
        ("?? 👍", True, "no words", ()),
        ("👍", True, "agreement", ()),  # after an answer: an "ok", not a question without words
        ("Merci bcp 🙏", True, "thanks", ()),
        ("Intéressant, et ensuite ?", True, None, ("Et ensuite ?",)),
        ("Merci beaucoup !", True, "thanks", ()),
        ("Bonjour", False, "greeting", ()),
        (" https://www.lemonde.fr/planete/article/castor.html ", True, "link", ()),  # to add, or to ask about
        (
            "https://www.lemonde.fr/castor.html dit quoi du castor ?",
            True,
            None,
            ("https://www.lemonde.fr/castor.html dit quoi du castor ?",),
        ),
        ("aide", False, "help", ()),
        (LONG_TEXT, True, "pasted article", ()),
        ("Qui a gagné" + " !" * 85, True, None, ("Qui a gagné" + " !" * 85,)),  # a question, loudly
        (LONG_TEXT, False, None, (LONG_TEXT.strip(),)),  # a group or /ask: searched as it is
        # A greeting, thanks or "ok" before a question: the question, read as if asked alone.
        ("Bonjour, qui dirige l'OTAN ?", True, None, ("Qui dirige l'OTAN ?",)),
        ("Bonjour, la suite ?", False, None, ("La suite ?",)),
        ("Salut ! Merci, quel âge a-t-elle ?", False, None, ("Quel âge a-t-elle ?",)),
        ("Ok. Et en 2020 ?", False, None, ("Et en 2020 ?",)),
        ("Bonjour ça va ? Qui est-il ? Que dit-il ?", False, None, ("Qui est-il ?", "Que dit-il ?")),
        ("Vraiment ? Qui l'a dit ?", False, None, ("Vraiment ? Qui l'a dit ?",)),  # a doubt is not a courtesy
        ("Salut les amis, qui dirige l'OTAN ?", False, None, ("Salut les amis, qui dirige l'OTAN ?",)),
        (" Qui est-il ? Que dit-il ? ", False, None, ("Qui est-il ?", "Que dit-il ?")),
        # The same typed without punctuation, before a question's opening word only.
        ("ok et en 2020 ?", False, None, ("Et en 2020 ?",)),
        ("bonjour qui dirige l'OTAN ?", True, None, ("Qui dirige l'OTAN ?",)),
        ("ok merci la suite ?", False, None, ("La suite ?",)),
        ("Super U est où ?", False, None, ("Super U est où ?",)),
        ("Top 14 qui a gagné ?", False, None, ("Top 14 qui a gagné ?",)),
        ("salut toi", False, "greeting", ()),
    ],
)
def test_a_chat_message_is_taken_as_questions_or_as_what_it_says_instead(message, may_be_article, aside, questions):
    said = what_is_said(message, may_be_article=may_be_article)
    assert (said.aside, said.questions) == (aside, questions)


def test_invisible_characters_and_a_greeting_before_a_link_change_nothing():
    assert what_is_said("\u200bhttps://www.lemonde.fr/article", may_be_article=False).aside == "link"
    assert what_is_said("Bonjour, https://www.lemonde.fr/article", may_be_article=False).aside == "link"


def test_a_link_shared_with_a_few_words_is_a_page_to_add_and_a_question_about_one_is_still_a_question():
    assert what_is_said("À lire : https://www.lemonde.fr/article.html", may_be_article=False).aside == "link"
    assert what_is_said("Très bon papier https://www.lemonde.fr/article.html !", may_be_article=True).aside == "link"
    asked = what_is_said("Que dit https://www.lemonde.fr/article.html sur le castor ?", may_be_article=False)
    assert asked.aside is None and asked.questions
    # The question first, its page's address after it: a question still, read without the address.
    asked = what_is_said("Qui a marqué ? http://127.0.0.1:37245/lorient", may_be_article=True)
    assert asked.aside is None and [read(question).own for question in asked.questions] == ["Qui a marqué ?"]
    assert what_is_said("Lu ce matin : https://www.lemonde.fr/article.html", may_be_article=True).aside == "link"
    assert what_is_said("Bonjour,\u200b la suite ?", may_be_article=False).questions == ("La suite ?",)
    assert what_is_said("Qui est le se\u200bcrétaire général ?", may_be_article=False).questions == (
        "Qui est le secrétaire général ?",
    )


def test_a_message_s_accents_are_composed_as_the_library_s_are():
    decomposed = unicodedata.normalize("NFD", "Où se réunit l'OTAN ? Qui a écrit l'article ?")
    assert what_is_said(decomposed, may_be_article=False).questions == (
        "Où se réunit l'OTAN ?",
        "Qui a écrit l'article ?",
    )


@pytest.mark.parametrize(
    ("styled", "plain"),
    [
        ("𝐐𝐮𝐢 𝐚 𝐞́𝐜𝐫𝐢𝐭 𝐥'𝐚𝐫𝐭𝐢𝐜𝐥𝐞 ?", "Qui a écrit l'article ?"),  # a phone's bold, its accents combining
        ("𝑄𝑢𝑖 𝑐ℎ𝑒𝑟𝑐ℎ𝑒 𝑙𝑒 𝑐𝑎𝑠𝑡𝑜𝑟 ?", "Qui cherche le castor ?"),  # italic, whose "ℎ" is a Letterlike Symbol
        ("ｑｕｉ ｄｉｒｉｇｅ ｌ＇ＯＴＡＮ ？", "qui dirige l'OTAN ?"),  # full width
        ("Combien de m² pour ½ ﬁlet en 𝟐𝟎𝟐𝟑 ?", "Combien de m² pour ½ ﬁlet en 2023 ?"),  # other forms kept
    ],
)
def test_a_question_in_a_phones_styled_letters_is_read_in_plain_ones(styled, plain):
    assert what_is_said(styled, may_be_article=False).questions == (plain,)


def test_small_talk_in_a_phones_bold_letters_is_small_talk():
    assert what_is_said("𝐌𝐞𝐫𝐜𝐢 !", may_be_article=False).aside == "thanks"


@pytest.mark.parametrize(
    "said",
    [
        *("tu peux répondre ?", "Tu peux lui répondre stp ?", "Peux-tu répondre à ça ?", "une idée ?", "Des idées ?"),
        *("T'en penses quoi ?", "Qu'en dis-tu ?", "Réponds-lui", "Tu as la réponse ?", "Et toi ?", "À toi"),
        *("?", "??", ""),
    ],
)
def test_words_that_only_ask_the_bot_to_answer_what_they_reply_to(said):
    assert asks_to_answer(said)


@pytest.mark.parametrize(
    "said",
    [
        *("qui dirige l'OTAN ?", "Tu peux répondre à qui dirige l'OTAN ?", "merci", "👍", "🙏", "ok", "La suite ?"),
        *("Une idée du nombre de castors ?", "Que sais-tu de Marie Dupont ?", "Qu'en dit l'article ?"),
    ],
)
def test_a_question_or_a_courtesy_is_no_request_to_answer_another(said):
    assert not asks_to_answer(said)


def test_a_message_of_thousands_of_line_breaks_is_read_at_once():
    """Whether a pasted text names its own address ("url: …" on a line) was looked for from
    each line start through every line break after it: 0.2 s a look for such a message, twice a
    message, with Python's lock held, the rate limit not yet counted."""
    message = "Et" + "\n" * 12_000 + "x ça ?"
    started = time.thread_time()  # CPU time: a loaded machine's waits are no blow-up
    assert what_is_said(message, may_be_article=True).questions
    assert time.thread_time() - started < 0.5  # a blow-up guard (seconds before), not a speed target
