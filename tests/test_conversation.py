"""A question that refers back to the one before it is read with what the conversation is
about; one that stands on its own opens a new topic (`index.conversation`)."""

from __future__ import annotations

import time

import pytest

from bot.console import Conversation
from index.article_questions import asks_what_it_is_about, subject_asked_about
from index.conversation import (
    Reading,
    Topic,
    asks_as_its_topic,
    dislocated_subject,
    has_pronoun_subject,
    read,
    refers_back,
    years_named,
)

REFERS_BACK = [
    "Quel poste occupait-elle avant sa nomination ?",  # a pronoun with no subject of its own
    "Quel âge a-t-elle ?",
    "Combien pèse-t-il ?",
    "Pourquoi a-t-il démissionné ?",
    "Où se réunissent-ils ?",
    "Est-elle toujours en poste ?",
    "Elle a quel âge ?",
    "Qui l'a nommée ?",
    "Qu'est-ce qui l'inquiète ?",  # the one asked about does it to someone named before
    "Qui la remplace ?",
    "Qui lui succède ?",
    "Quelle est sa longueur ?",  # a possessive nothing in the question owns
    "À combien s'élève sa dette publique ?",
    "Quel est le titre de son livre ?",  # after "Quel est", the noun before is what is asked, not an owner
    "Quel est le nom de sa femme ?",
    "Qui sont ses prédateurs ?",
    "Que pense ce dernier de la réforme ?",  # demonstratives
    "À qui doit-elle payer cette somme ?",
    "Est-ce vrai ?",
    "Est-il arrivé à Paris ?",
    "Et pour l'ensemble de l'Union ?",  # elliptical
    "Et en 2020 ?",
    "Mais pourquoi ?",
    "Dont combien pour le casque ?",  # a relative with nothing to relate to in its message
    "Dont combien ont été verbalisés ?",
    "Et elle, quel âge a-t-elle ?",
    "Et les 1,5 %, c'était quand ?",  # "Et", a few words that point back and ask at their end
    "Et le nouveau pass, ça coûte combien ?",
    "C'était quand ?",  # without "Et" too: a few words, "c'" and the asking word at their end
    "C'est qui ?",
    "Ça s'est passé où ?",
    "Quand ?",  # an interrogative alone asks it of the question before
    "Pourquoi ?",
    "Depuis quand ?",
    "Où ça ?",
    "En quelle année ?",
    "Combien de morts ?",
    "Qui a dit ça ?",  # "ça": what was just said
    "Pourquoi cela ?",
    "Ça change quoi ?",
]
STANDS_ALONE = [
    "Quand la nouvelle préfète arrive-t-elle à Toulouse ?",  # the subject is named before the verb
    "Combien de passagers la métropole attend-elle chaque jour ?",
    "Dans quelle ville roumaine les dirigeants européens se réunissent-ils le 9 mai ?",
    "Les avions de chasse sont-ils la priorité de l'OTAN pour l'Ukraine ?",
    "Qui a présenté sa démission ?",  # the asked-about subject owns the possessive
    "Quel pays a augmenté son budget militaire ?",
    "Quel est le pays qui a augmenté son budget ?",  # a relative gives the noun its verb
    "Pourquoi le maire a-t-il changé son plan ?",
    "Quel temps fera-t-il à Brest demain ?",  # impersonal
    "Y a-t-il des castors en Dordogne ?",
    "Combien de temps faut-il pour aller à la gare ?",
    "Que s'est-il passé cette année à Brest ?",
    "Il y a combien de stations ?",
    "Et quelles munitions l'Allemagne produit-elle ?",  # "Et", then a whole question
    "Et qui est le préfet de région ?",
    "Qui la France affronte-t-elle en finale ?",  # "la" is the article of the subject named
    "Qui les chercheurs soutiennent-ils ?",
    "Et la réforme des retraites a été adoptée quand ?",  # asks at its end of a subject of its own
    "Et Emmanuel Macron est né où ?",
    "Le pont a été construit quand ?",  # asks at its end of a subject of its own
    "C'est où Montréal ?",  # names its subject after asking
    "La fête de la musique c'est quand ?",  # names its subject before "c'": no "Et", no reference
    "Le nouveau maire c'est qui ?",
    "Paris-Roubaix c'était quand ?",
    "Qui a gagné la finale de la Coupe du monde de football ?",
    "Comment ?",  # asks to repeat
    "Quoi ?",
    "Est-ce que le castor peut peser trente kilos ?",  # "ce" names nothing before a relative
    "Qu'est-ce qui menace les peupliers des agriculteurs ?",
    "Combien de chalets le marché de Noël compte-t-il ce week-end ?",  # times
    "Qui a gagné cette saison ?",
    "Quels changements ces derniers mois ?",
    "Que va-t-il se passer ces prochaines semaines ?",  # impersonal
    "Qu'est-il arrivé au Titanic ?",
    "Les lycées qui ouvrent à 8 heures, ça change quoi ?",  # "ça" takes up the subject before the comma
]


@pytest.mark.parametrize("question", REFERS_BACK)
def test_questions_that_lean_on_the_one_before_are_recognised(question):
    assert refers_back(question)


@pytest.mark.parametrize("question", STANDS_ALONE)
def test_questions_that_name_their_subject_or_change_it_stand_alone(question):
    assert not refers_back(question)


def test_a_follow_up_is_answered_from_the_article_its_topic_was_answered_from():
    topic = Topic("Comment s'appelle le préfet de région ?", (7,))
    reading = read("Quel âge a-t-elle ?", topic)
    assert reading == Reading("Quel âge a-t-elle ?", "Quel âge a-t-elle ?", (7,), topic)
    assert reading.follows
    # Its own words choose the passage and the quote; the decision to answer weighs the
    # question as understood.
    assert reading.judged == "Comment s'appelle le préfet de région ? Quel âge a-t-elle ?"


def test_a_question_naming_a_page_by_its_address_is_asked_of_that_page_not_the_conversation():
    # "cette page" read as a follow-up of the match, its port as a figure the match did not
    # hold, had the bot say « Je n'ai rien trouvé sur « 37245 » dans l'article « Ligue 1… » ».
    topic = Topic("Qui a marqué pour Lorient ?", (2,))
    asked = "Que dit cette page http://127.0.0.1:37245/nantes sur les travaux ?"
    reading = read(asked, topic)
    assert reading == Reading("Que dit cette page sur les travaux ?", "Que dit cette page sur les travaux ?")
    assert not reading.follows and reading.required == ()
    # Without its scheme too, and a year in its path is no year asked.
    assert read("Combien coûtent les travaux (www.ouest.fr/2023/pont.html) ?", topic).own == (
        "Combien coûtent les travaux ?"
    )
    assert read("Vu sur https://ouest.fr/pont. Combien coûtent les travaux ?").own == (
        "Vu sur . Combien coûtent les travaux ?"
    )


def test_an_elliptical_question_is_searched_with_its_topic_s_words():
    topic = Topic("Quelle croissance la Commission prévoit-elle pour la zone euro ?", (3,))
    reading = read("Et pour l'ensemble de l'Union ?", topic)
    assert (
        reading.search
        == "Quelle croissance la Commission prévoit-elle pour la zone euro ? Et pour l'ensemble de l'Union ?"
    )
    assert reading.articles == (3,) and reading.judged == reading.search


def test_an_interrogative_alone_is_searched_with_its_topic_s_words_in_its_article():
    topic = Topic("Où se réunissent les membres de l'OTAN ?", (1,))
    reading = read("Quand ?", topic)
    assert reading == Reading("Quand ?", "Où se réunissent les membres de l'OTAN ? Quand ?", (1,), topic)


@pytest.mark.parametrize("question", ["Qui est-elle ?", "Qui est-il ?", "Que fait-il ?"])
def test_a_follow_up_with_no_word_of_its_own_to_search_is_searched_with_its_topic_s_words(question):
    """Searched alone, "Qui est-elle ?" would find the sentence that says "a-t-elle déclaré"."""
    topic = Topic("Qui est Aurélie Morand ?", (2,))
    reading = read(question, topic)
    assert reading == Reading(question, f"Qui est Aurélie Morand ? {question}", (2,), topic)


@pytest.mark.parametrize("question", ["Comment s'appelle-t-il ?", "Quel est son nom ?", "Comment se nomme-t-elle ?"])
def test_a_follow_up_that_only_asks_for_a_name_is_searched_with_its_topic_s_words(question):
    """Searched alone, "Comment s'appelle-t-il ?" found what "appelle" and "nom" find, not the
    passage that names the gardener the topic is about."""
    topic = Topic("Combien Monsanto a-t-il dû payer au jardinier ?", (3,))
    assert read(question, topic) == Reading(question, f"{topic.question} {question}", (3,), topic)


@pytest.mark.parametrize("question", ["Qui l'a dit ?", "Qui a dit ça ?", "Qui a déclaré cela ?"])
def test_asked_who_said_it_a_follow_up_is_searched_with_its_topic_s_words(question):
    """What was said is the topic's; searched alone, "dit" finds whatever "dit" (the passage
    that quotes it says "a estimé", "a lancé")."""
    topic = Topic("Que reproche l'opposition à la maire ?", (2,))
    assert read(question, topic) == Reading(question, f"{topic.question} {question}", (2,), topic)


@pytest.mark.parametrize(
    "question",
    [
        "Qu'a-t-elle dit ?",
        "Que dit-elle ?",
        "Qu'a-t-elle déclaré ?",
        "Qu'est-ce qu'elle a dit ?",
        "Et elle, qu'a-t-elle dit ?",  # the stressed pronoun before it points to her as "elle" does
        "Et elle, que dit-elle ?",
    ],
)
def test_asked_only_what_someone_said_a_follow_up_finds_what_its_topic_found_to_quote_her_words(question):
    """Her words are quoted « … », affirme-t-elle: "dit" finds nothing; what the topic found
    named her, and her quotation is beside it (`Reading.said`)."""
    topic = Topic("Qui est Hélène Batiste ?", (2,))
    assert read(question, topic) == Reading(question, "Qui est Hélène Batiste ?", (2,), topic, said=True)


@pytest.mark.parametrize("question", ["Que dit-il de Poutine ?", "Qu'a dit le maire ?", "Qu'a-t-il fait ?"])
def test_asked_what_someone_said_of_something_or_what_someone_named_said_a_question_keeps_its_words(question):
    reading = read(question, Topic("Qui est le secrétaire général de l'OTAN ?", (1,)))
    assert not reading.said


def test_after_a_declined_topic_a_follow_up_is_searched_with_its_words_in_the_whole_library():
    reading = read("Quelle est sa longueur ?", Topic("Quand ouvre la ligne B ?"))
    assert reading.search == "Quand ouvre la ligne B ? Quelle est sa longueur ?" and reading.articles == ()


def test_a_question_that_stands_alone_or_comes_first_opens_a_new_topic():
    topic = Topic("Qui dirige l'OTAN ?", (1,))
    for reading in (read("Qui a gagné la finale de la Coupe du monde ?", topic), read("Quel âge a-t-il ?")):
        assert not reading.follows and reading.articles == () and reading.search == reading.question


@pytest.mark.parametrize(
    "question",
    [
        "De quoi parle l'article ?",
        "Résume l’article.",
        "Quel est le sujet du texte ?",
        "De quoi ça parle ?",
        "C'est quoi cet article ?",
        "Résume",
        "Tu peux résumer ?",
        "Un résumé ?",
    ],
)
def test_a_question_on_what_the_article_is_about_is_read_in_its_conversation_s_article(question):
    assert asks_what_it_is_about(question)
    topic = Topic("Qui dirige l'OTAN ?", (1,))
    assert read(question, topic) == Reading(question, question, (1,), topic, about=True)
    assert read(question) == Reading(question, question, about=True)  # no conversation: the library's


@pytest.mark.parametrize("question", ["De quoi parlent les articles ?", "Résume ces textes."])
def test_a_question_on_what_the_articles_are_about_in_the_plural_is_read_of_the_whole_library(question):
    """In a conversation on one article of a library of two, "les articles" are both."""
    assert asks_what_it_is_about(question)
    topic = Topic("Qui dirige l'OTAN ?", (1,))
    assert read(question, topic) == Reading(question, question, about=True)


@pytest.mark.parametrize(
    "question",
    [
        "Que dit l'article de Poutine ?",  # names what it asks about: searched
        "De quoi parle l'article sur les castors ?",
        "De quoi parle-t-il ?",  # "il" may be the person the conversation is about
        "De quoi parle le président ?",
        "Quels articles de loi ont été modifiés ?",
        "Résume la réforme des retraites",
    ],
)
def test_a_question_that_names_its_subject_is_not_one_on_what_the_article_is_about(question):
    assert not asks_what_it_is_about(question)


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("De quoi parle l'article sur Montréal ?", "Montréal"),
        ("De quoi parle l'article sur les castors ?", "les castors"),
        ("Résume l'article à propos de la réforme des retraites", "la réforme des retraites"),
        ("C'est quoi l'article sur le HCERES ?", "le HCERES"),
    ],
)
def test_what_the_article_on_a_subject_is_about_searches_the_subject_for_its_article(question, subject):
    assert subject_asked_about(question) == subject
    # It stands alone: the article its subject finds, whatever the conversation was about.
    conversation = Topic("Qui dirige l'OTAN ?", (1,))
    assert read(question, conversation) == Reading(question, subject, about=True, by_subject=True)


@pytest.mark.parametrize(
    "question",
    [
        "Que dit l'article sur Poutine ?",  # what it says of him: searched
        "Que raconte l'article sur la grève ?",
        "De quoi parle le président sur France Inter ?",
        "De quoi parle l'article ?",  # no subject: the conversation's article, or a small library's
    ],
)
def test_a_question_on_what_is_said_of_a_subject_is_not_one_on_the_article_it_finds(question):
    assert subject_asked_about(question) is None


def test_each_asker_s_topic_is_kept_per_chat_for_every_replica_and_forgotten_after_a_while(two_bot_processes):
    state, other_process, now = two_bot_processes
    state.follow_topic(-50, 1, Topic("Qui dirige l'OTAN ?", (4, 9)))
    assert other_process.topic(-50, 1, 600) == Topic("Qui dirige l'OTAN ?", (4, 9))
    assert state.topic(-50, 2, 600) is None and state.topic(60, 1, 600) is None  # another asker, another chat
    other_process.follow_topic(-50, 1, Topic("Quand ouvre la ligne B ?"))
    assert state.topic(-50, 1, 600) == Topic("Quand ouvre la ligne B ?")
    now[0] += 601
    assert state.topic(-50, 1, 600) is None
    state.forget_before(now[0] - 300)
    assert state.topic(-50, 1, 10_000) is None  # gone with the old answers


def test_where_the_reading_stopped_is_kept_with_the_topic_for_la_suite(two_bot_processes):
    state, other_process, _ = two_bot_processes
    state.follow_topic(-50, 1, Topic("Qui dirige l'OTAN ?", (4,), (12, 340)))
    assert other_process.topic(-50, 1, 600) == Topic("Qui dirige l'OTAN ?", (4,), (12, 340))


def test_the_console_forgets_its_topic_after_the_follow_up_minutes():
    now = [0.0]
    conversation = Conversation(follow_up_minutes=10, clock=lambda: now[0])
    conversation.follow(Topic("Qui dirige l'OTAN ?", (1,)))
    now[0] += 599
    assert conversation.current() == Topic("Qui dirige l'OTAN ?", (1,))
    now[0] += 2
    assert conversation.current() is None
    never = Conversation(follow_up_minutes=0, clock=lambda: now[0])
    never.follow(Topic("Qui dirige l'OTAN ?", (1,)))
    assert never.current() is None


def test_a_follow_up_s_own_numbers_and_names_are_what_its_passage_must_hold():
    topic = Topic("Combien de familles de castors ont été recensées cet hiver ?", (2,))
    assert read("Et en 2019 ?", topic).required == ("2019",)
    assert read("Que pense-t-il de Macron ?", topic).required == ("Macron",)
    # What its topic named already is no addition.
    union = Topic("Quelle croissance pour l'Union en 2019 ?", (3,))
    assert read("Et pour l'ensemble de l'Union ?", union).required == ()
    assert read("Et en 2019 ?", union).required == ()


def test_an_interrogative_alone_that_names_its_subject_is_read_with_its_topic_and_may_stand_alone():
    topic = Topic("Qui est le secrétaire général de l'OTAN ?", (1,))
    reading = read("Combien de munitions ?", topic)
    assert reading.search == "Qui est le secrétaire général de l'OTAN ? Combien de munitions ?"
    assert (reading.articles, reading.subject) == ((1,), ("munitions",))
    # When the topic's article never names munitions: the question alone, in the whole library.
    alone = reading.standing_alone
    assert (alone.search, alone.articles, alone.topic, alone.subject) == (
        "Combien de munitions ?",
        (),
        None,
        ("munitions",),
    )
    for asks_what_kind in ("Quel âge ?", "En quelle année ?", "Combien de temps ?", "Quelle ville ?", "Quelle peine ?"):
        assert read(asks_what_kind, topic).subject == () and read(asks_what_kind, topic).standing_alone is None


def test_an_elliptical_follow_up_names_what_it_asks_of_instead_of_its_topic_s_subject():
    topic = Topic("Combien de trottinettes étaient mal garées ?", (2,))
    reading = read("Et les vélos ?", topic)
    assert reading.search == "Combien de trottinettes étaient mal garées ? Et les vélos ?"
    assert (reading.articles, reading.subject) == ((2,), ("vélos",))  # the passages on bikes first
    jobs = Topic("Combien d'emplois ont créé les 35 heures ?", (3,))
    assert read("Et le pouvoir d'achat ?", jobs).subject == ("pouvoir", "achat")
    assert read("Et ceux à temps partiel ?", Topic("Combien d'heures à temps plein ?", (3,))).subject == ("partiel",)
    # Its topic's words, names and numbers (`required`), a question of its own: nothing added.
    for question in (
        "Et les trottinettes ?",
        "Et en 2019 ?",
        "Et Macron ?",
        "Et quelles munitions l'Allemagne produit-elle ?",
    ):
        assert read(question, topic).subject == (), question


def test_the_numbers_a_follow_up_must_find_are_years_and_figures_not_small_counts_written_in_words():
    topic = Topic("Qui a été nommée préfète ?", (3,))
    assert read("Elle a dirigé quoi pendant 2 ans ?", topic).required == ()  # "pendant deux ans"
    assert read("Et les 1 456 heures ?", topic).required == ("1456",)
    assert read("Et en 2019 ?", topic).required == ("2019",)


def test_a_question_opening_with_dont_is_searched_with_its_topic_s_words():
    """A relative with nothing before it ("Dont combien pour le casque ?") counts among what the
    question before asked about."""
    topic = Topic("Combien de contraventions ont été données aux usagers des trottinettes ?", (2,))
    reading = read("Dont combien pour le casque ?", topic)
    assert reading.search == f"{topic.question} Dont combien pour le casque ?" and reading.articles == (2,)


@pytest.mark.parametrize(("question", "detail"), [("Qui l'a écrit ?", "author"), ("Quand est-il paru ?", "date")])
def test_a_pronoun_with_a_verb_of_writing_asks_the_detail_of_the_conversation_s_article(question, detail):
    """After "De quoi parle l'article sur Montréal ?", "Qui l'a écrit ?" asks for its author:
    searched in the article, its words found nothing."""
    topic = Topic("De quoi parle l'article sur Montréal ?", (2,))
    reading = read(question, topic)
    assert (reading.detail, reading.articles, reading.follows) == (detail, (2,), True)


@pytest.mark.parametrize(
    "before",
    [
        "Qui a écrit Au soleil couchant ?",  # something written, not said to be the article
        "Que dit la lettre des chercheurs ?",  # a written work named
        "Quel est le titre de son livre ?",
    ],
)
def test_a_pronoun_with_a_verb_of_writing_stands_for_the_work_the_conversation_names(before):
    reading = read("Qui l'a écrit ?", Topic(before, (2,)))
    assert reading.detail is None and reading.follows


@pytest.mark.parametrize(
    "before", ["Qui a écrit l'article sur le sommeil ?", "De quoi parle l'article ?", "Quand a été publié l'article ?"]
)
def test_right_after_a_question_on_the_article_a_pronoun_alone_means_it_whatever_the_verb(before):
    reading = read("De quand date-t-il ?", Topic(before, (2,)))
    assert (reading.detail, reading.articles, reading.follows) == ("date", (2,), True)


@pytest.mark.parametrize("before", ["Quel château a été construit à Brest ?", "Qui est Paul Valadier ?"])
def test_after_a_question_on_what_an_article_reports_de_quand_date_t_il_asks_of_that(before):
    """Here "il" is the castle or the man: only a verb of writing makes it the article."""
    assert read("De quand date-t-il ?", Topic(before, (2,))).detail is None


def test_a_pronoun_with_a_verb_of_writing_asks_no_detail_without_a_conversation_or_with_someone_writing():
    assert read("Qui l'a écrit ?").detail is None
    assert read("Quand l'a-t-il écrit ?", Topic("Qui est Paul Valadier ?", (1,))).detail is None


@pytest.mark.parametrize(
    ("question", "as_its_topic"),
    [
        ("Et l'écran ?", True),
        ("Et une batterie de rechange ?", True),
        ("Mais à Lyon ?", True),
        ("Et en 2020 ?", True),
        # It says what it asks: its own words say it.
        ("Et combien pour Lyon ?", False),
        ("Et les commerçants, qu'en pensent-ils ?", False),
        ("Et où ?", False),
        ("Et le prix du ticket ?", False),  # a price, whatever its topic asked
        ("Quel dividende ?", False),
        ("L'écran ?", False),
    ],
)
def test_an_ellipsis_with_no_word_that_asks_asks_what_its_topic_asked(question, as_its_topic):
    assert asks_as_its_topic(question) is as_its_topic


# The longest message Telegram delivers: 4,096 characters.
@pytest.mark.parametrize(
    "question",
    ["a" * 4096, "é" * 4095 + "?", "Et " * 1365, "et," * 1365, "Mais " * 819, "Et " * 1360 + "quand ?"],
)
def test_a_message_of_the_longest_kind_is_read_at_once_whatever_it_repeats(question):
    """A word of 4,096 letters took 0.2 s a rule (a rule looked for a "-t-il" ending from each
    of its letters), and a thousand "Et" in a row went past Python's recursion limit: an error
    for the asker, a note for the admins."""
    topic = Topic("Comment s'appelle le préfet de région ?", (7,))
    started = time.thread_time()  # CPU time: a loaded machine's waits are no blow-up
    read(question, topic)
    read(question)
    assert time.thread_time() - started < 1  # a blow-up guard (seconds before), not a speed target


@pytest.mark.parametrize(
    "question",
    [
        "Quel" + " " * 4080 + " ça ?",
        "a" + "\u00a0" * 4094 + "a",
        "Qui a écrit l'article sur a" + " " * 4000 + "x",
        "La suite" + " " * 4000 + "x",
        "Quoi de neuf sur a" + " " * 4000 + "x",
        "Et" + " " * 4000 + "x ça ?",
        # Longer than Telegram sends, as the console and `ask` may be given: 4.7 s until the
        # subject of "l'article sur …" ended on no space.
        "Qui a écrit l'article sur a" + " " * 40_000 + "x",
    ],
)
def test_a_message_of_thousands_of_spaces_is_read_at_once(question):
    """Rules that end on spaces and a word ("…, ça ?", "… sur le castor ?") were tried from each
    space, each run of spaces split two or three ways: such a message, typed after a question,
    held the bot for minutes (the regular expressions keep Python's lock all along)."""
    topic = Topic("Comment s'appelle le préfet de région ?", (7,))
    started = time.thread_time()  # CPU time: a loaded machine's waits are no blow-up
    read(question, topic)
    read(question)
    assert time.thread_time() - started < 2  # a blow-up guard (seconds to minutes before), not a speed target


def test_the_years_a_question_names_are_what_its_passage_must_hold_whatever_it_follows():
    assert years_named("Combien de loups ont été abattus en 2021 ?") == ("2021",)
    assert years_named("Que s'est-il passé entre 1789 et 1799, et en 1789 ?") == ("1789", "1799")
    # A decade or a bound is answered by the years inside it ("En 1958, …"): none must be held.
    for question in ("Qui dirigeait le mouvement dans les années 1960 ?", "Avant 1800, à quoi servait le vote ?"):
        assert years_named(question) == (), question
    # Figures are not years: "1 200 kilos", "Ariane 6", a share, a five-digit number.
    for question in ("Combien pèse 1 200 kilos ?", "Quand Ariane 6 a-t-elle décollé ?", "Et 2,2015 ?", "Et 20221 ?"):
        assert years_named(question) == (), question


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Et la course cycliste, qui l'a gagnée ?", ("course", "cycliste")),
        ("Et l'incendie, il a commencé quand ?", ("incendie",)),
        ("Et le contre-la-montre, il fait combien de kilomètres ?", ("montre",)),
        ("Et Inès Morel, quel rôle chante-t-elle ?", ("Inès", "Morel")),
        ("Le chancelier, qu'a-t-il dit ?", ("chancelier",)),
    ],
)
def test_a_noun_phrase_set_before_the_question_with_a_comma_is_the_subject_its_pronouns_stand_for(question, subject):
    """ "Et la course cycliste, qui l'a gagnée ?" after a question on a fire: "l'" is the race,
    not the fire; read in the topic's articles only when they name it, and asked alone of the
    whole library when they do not (`Reading.standing_alone`)."""
    topic = Topic("Combien d'hectares ont brûlé ?", (1,))
    reading = read(question, topic)
    assert (reading.search, reading.articles, reading.subject) == (question, (1,), subject)
    assert reading.standing_alone is not None and reading.standing_alone.articles == ()


@pytest.mark.parametrize(
    "question",
    [
        "Et ce projet, il coûte combien ?",  # a demonstrative, a possessive: the topic's own
        "Et sa femme, qu'a-t-elle dit ?",
        "Et pour la France, combien ?",  # a circumstance, a time: its topic's question asked of it
        "Et l'an dernier, combien étaient-ils ?",
        "Et le lendemain, qu'a-t-il fait ?",
        "Bon, et alors ?",  # a capital that only opens the sentence
        "Oui, mais combien ?",
        "Et du coup, qui est leur propriétaire ?",  # a filler, an aspect of the topic itself
        "Et le pire, c'est quoi ?",
        "Et la date, c'est quand ?",
        "Et l'autre texte, qu'en dit-il ?",  # an article: `index.article_questions`'
    ],
)
def test_a_phrase_that_points_back_or_says_when_set_before_a_comma_names_no_subject_of_its_own(question):
    assert dislocated_subject(question) == ()


def test_the_article_named_before_a_comma_is_the_one_asked_about():
    """ "Et l'article sur l'incendie, de quand date-t-il ?": the date of the article its subject
    finds, as "De quand date l'article sur l'incendie ?"."""
    topic = Topic("Qui a gagné l'étape ?", (2,))
    reading = read("Et l'article sur l'incendie, de quand date-t-il ?", topic)
    assert (reading.detail, reading.by_subject, reading.search) == ("date", True, "l'incendie")
    written = read("Et l'article, qui l'a écrit ?", topic)
    assert (written.detail, written.articles) == ("author", (2,))


@pytest.mark.parametrize(
    ("question", "about", "detail"),
    [
        ("Et l'autre article, de quoi parle-t-il ?", True, None),
        ("Et dans l'autre article, de quoi parle-t-on ?", True, None),
        ("De quoi parle l'autre article ?", True, None),
        ("Qui a écrit l'autre article ?", False, "author"),
    ],
)
def test_the_other_article_is_any_the_conversation_was_not_on(question, about, detail):
    reading = read(question, Topic("Combien de blessés a fait le déraillement ?", (1,)))
    assert (reading.about, reading.detail, reading.besides, reading.articles, reading.topic) == (
        about,
        detail,
        (1,),
        (),
        None,
    )


@pytest.mark.parametrize(
    ("question", "pronoun"),
    [
        ("Quel âge a-t-il ?", True),
        ("Elle a quel âge ?", True),
        ("Combien gagnent-ils ?", True),
        ("Combien de temps faut-il ?", False),  # an impersonal "il" stands for nobody
        ("Combien de bénévoles y avait-il ?", False),
        ("Combien de places y aura-t-il ?", False),
        ("Combien de bénévoles ont-ils participé ?", False),  # the plural pronoun repeats the noun
        ("Combien de logements compte-t-il ?", True),
        ("Quel âge le président a-t-il ?", False),  # the question names its subject
        ("Quel âge a le président ?", False),
    ],
)
def test_a_subject_pronoun_stands_for_someone_named_before(question, pronoun):
    assert has_pronoun_subject(question) is pronoun
