"""Plain-text replies (console, command line): each quote in guillemets once, with its source."""

from dataclasses import replace
from datetime import UTC
from zoneinfo import ZoneInfo

import pytest

from bot.replies.answers import (
    ASK_IN_FRENCH,
    ASK_IT_WHOLE,
    EMPTY_LIBRARY,
    EMPTY_LIBRARY_COMMAND_LINE,
    IN_ENGLISH,
    LESS_RELATED,
    NOTHING_FOUND,
    NOTHING_FOUND_COMMAND_LINE,
    UNSURE,
    WHICH_ARTICLE,
    format_answer,
    format_result,
)
from bot.replies.cards import card_footer, day_added, detail_sentence, format_article_card, format_details
from bot.replies.json_forms import answer_json
from bot.replies.wording import french_date, plural, quotation_body
from bot.telegram.inline import inline_results
from bot.telegram.messages import article_card_html, detail_card_html, details_html
from index.conversation import Topic
from index.library import Answer, Result
from index.store import ArticleRow

ARTICLE = ArticleRow(7, "Titre", "2023-02", None, None, None, added_at="2026-11-25T10:00:00Z", passages=1)


def shown(quote: str) -> str:
    passage = f"Avant. {quote} Après."
    start = passage.index(quote)
    return format_result(Result(1, 0.1, 1, ARTICLE, None, passage, start, start + len(quote)))


def test_a_quote_is_shown_in_guillemets_with_its_title_and_date():
    assert shown("Le castor est protégé.") == "« Le castor est protégé. »\n    — « Titre », février 2023 [article 7]"


def test_a_quote_that_is_someone_s_words_from_end_to_end_keeps_one_pair_of_guillemets():
    line = shown("« Notre règlement n’a pas été respecté. »").splitlines()[0]
    assert line == "« Notre règlement n’a pas été respecté. »"


@pytest.mark.parametrize(
    "quote",
    [
        "« Il faut aller vite », a-t-il dit.",  # the words, then who said them
        "« Oui » et « non » à la fois.",
        "« Oui » et « non »",  # two quotations, not one
        "« Une phrase sans fin",
    ],
)
def test_guillemets_that_do_not_enclose_the_whole_quote_are_kept_inside_ours(quote):
    assert quotation_body(quote) == quote
    assert shown(quote).splitlines()[0] == f"« {quote} »"


def test_a_quotation_that_quotes_another_inside_it_loses_only_its_outer_pair():
    assert quotation_body("« Il a répondu « non » hier. »") == "Il a répondu « non » hier."


def answer_of(relevance: float, found: bool = True) -> Answer:
    passage = "Le castor est protégé. Il pèse trente kilos."
    return Answer("Combien pèse le castor ?", found, [Result(1, 0.1, 1, ARTICLE, None, passage, 23, 44)], relevance)


def test_an_answer_below_the_sure_threshold_is_shown_as_the_closest_passages():
    unsure = format_answer(answer_of(0.7), sure_from=0.9, zone=UTC)
    assert unsure.splitlines()[0] == UNSURE and "« Il pèse trente kilos. »" in unsure
    assert answer_json(answer_of(0.7), sure_from=0.9)["sure"] is False


def test_an_answer_at_or_above_the_sure_threshold_is_shown_as_an_answer():
    for relevance, sure_from in ((0.9, 0.9), (0.95, 0.9), (0.6, 0.0)):
        assert format_answer(answer_of(relevance), sure_from=sure_from, zone=UTC).startswith(
            "« Il pèse trente kilos. »"
        )
        assert answer_json(answer_of(relevance), sure_from=sure_from)["sure"] is True


def answer_then_another_article(relevance: float, alone_relevance: float) -> Answer:
    """A beaver answer, then a passage of an article on the OTAN the policy judged apart."""
    otan = ArticleRow(8, "Otan", "2023-02", None, None, None, added_at="2026-11-25T10:00:00Z", passages=1)
    passage = "Les membres de l'OTAN sont réunis à Bruxelles."
    other = Result(2, 0.05, 2, otan, None, passage, 0, len(passage), alone_relevance)
    answer = answer_of(relevance)
    return replace(answer, results=[*answer.results, other])


def test_another_article_s_passage_after_a_sure_answer_says_it_is_less_related_wherever_it_is_shown():
    answer = answer_then_another_article(0.99, 0.2)
    console = format_answer(answer, sure_from=0.9, zone=UTC)
    assert console.startswith("« Il pèse trente kilos. »")  # the answer itself: never marked
    assert f"({LESS_RELATED})\n« Les membres de l'OTAN" in console and console.count(LESS_RELATED) == 1
    inline = inline_results(answer, 0.9, zone=UTC)
    assert [r["description"][:12] for r in inline] == ["Il pèse tren", "(moins lié) "]
    assert [r["less_related"] for r in answer_json(answer, sure_from=0.9)["results"]] == [False, True]


@pytest.mark.parametrize(
    ("relevance", "alone_relevance", "sure_from"),
    [(0.99, 0.95, 0.9), (0.99, 0.2, 0.0), (0.7, 0.2, 0.9)],  # sure apart; never marked; all uncertain already
)
def test_another_article_s_passage_is_not_marked_when_sure_too_or_when_the_whole_answer_is_uncertain(
    relevance, alone_relevance, sure_from
):
    answer = answer_then_another_article(relevance, alone_relevance)
    assert LESS_RELATED not in format_answer(answer, sure_from=sure_from, zone=UTC)
    assert not any(r["less_related"] for r in answer_json(answer, sure_from=sure_from)["results"])


def test_a_declined_question_is_never_called_uncertain_it_finds_nothing():
    assert format_answer(answer_of(0.3, found=False), sure_from=0.9, zone=UTC) == NOTHING_FOUND
    assert answer_json(answer_of(0.3, found=False), sure_from=0.9)["sure"] is False


def test_the_command_line_tells_how_to_add_an_article_with_its_own_command_not_the_chats():
    declined, empty = answer_of(0.3, found=False), Answer("Qui ?", False)
    assert (
        "/ingest" in format_answer(declined, sure_from=0.9, zone=UTC) and "/ingest" in EMPTY_LIBRARY
    )  # chat and console
    for reply in (
        format_answer(declined, sure_from=0.9, command_line=True, zone=UTC),
        format_answer(empty, empty_library=True, sure_from=0.9, command_line=True, zone=UTC),
    ):
        assert "python -m bot ingest" in reply and "/ingest" not in reply
    assert format_answer(declined, sure_from=0.9, command_line=True, zone=UTC) == NOTHING_FOUND_COMMAND_LINE
    assert (
        format_answer(empty, empty_library=True, sure_from=0.9, command_line=True, zone=UTC)
        == EMPTY_LIBRARY_COMMAND_LINE
    )


def test_a_follow_up_its_article_does_not_answer_is_told_what_the_article_lacks_and_how_to_ask_it_all():
    declined = replace(answer_of(0.99, found=False), question="Et en 2010 ?", unheld=("2010",))
    in_its_article = replace(declined, topic=Topic("Combien pèse le castor ?", (ARTICLE.id,)))
    assert format_answer(in_its_article, sure_from=0.9, zone=UTC) == (
        f"Je n'ai rien trouvé sur « 2010 » dans l'article « Titre ». {ASK_IT_WHOLE}"
    )
    in_two = replace(declined, topic=Topic("Combien pèse le castor ?", (ARTICLE.id, 8)), unheld=("2010", "2011"))
    assert format_answer(in_two, sure_from=0.9, zone=UTC).startswith(
        "Je n'ai rien trouvé sur « 2010 » ni « 2011 » dans les articles de cette conversation."
    )
    # Its topic was declined: it was searched in the whole library, which asking again would redo.
    in_the_library = replace(declined, topic=Topic("Combien pèse le castor ?"))
    assert (
        format_answer(in_the_library, sure_from=0.9, zone=UTC)
        == "Je n'ai rien trouvé sur « 2010 » dans la bibliothèque."
    )


def test_a_follow_up_its_article_does_not_answer_says_it_searched_that_article_not_the_library():
    """Asked after "Qui a fait l'étude ?", "Elle enseigne quoi ?" is read in the article of the
    conversation only: "rien trouvé dans la bibliothèque" was untrue, and did not say that the
    question asked whole searches more."""
    declined = replace(answer_of(0.2, found=False), question="Elle enseigne quoi ?", follows=True)
    in_its_article = replace(declined, topic=Topic("Qui a fait l'étude ?", (ARTICLE.id,)))
    assert format_answer(in_its_article, sure_from=0.9, zone=UTC) == (
        f"Je n'ai rien trouvé qui y réponde dans l'article « Titre ». {ASK_IT_WHOLE}"
    )
    in_two = replace(declined, topic=Topic("Qui a fait l'étude ?", (ARTICLE.id, 8)))
    assert format_answer(in_two, sure_from=0.9, zone=UTC).startswith(
        "Je n'ai rien trouvé qui y réponde dans les articles de cette conversation."
    )
    # Its topic was declined: it was searched in the whole library.
    in_the_library = replace(declined, topic=Topic("Qui a fait l'étude ?"))
    assert format_answer(in_the_library, sure_from=0.9, zone=UTC) == NOTHING_FOUND


SIGNED = ArticleRow(
    3, "Le castor revient", "2024-05-14", "Marie Dupin", "https://www.example.fr/castor", None, "2026-11-25T10:00Z", 2
)


@pytest.mark.parametrize(
    ("detail", "sentence"),
    [
        ("date", "L'article « Le castor revient » est daté du 14 mai 2024."),
        ("author", "L'article « Le castor revient » est signé Marie Dupin."),
        ("source", "L'article « Le castor revient » a été publié sur example.fr."),
        ("title", "Titre : « Le castor revient »"),
    ],
)
def test_asked_for_an_article_s_detail_the_reply_says_it_then_shows_the_card(detail, sentence):
    assert detail_sentence(SIGNED, detail, zone=UTC) == sentence
    passage = "Le castor revient sur la Dordogne."
    answer = Answer("?", True, [Result(1, 0.0, 9, SIGNED, None, passage, 0, len(passage))], 1.0, detail=detail)
    lines = format_answer(answer, sure_from=0.9, zone=UTC).splitlines()
    assert lines[0] == sentence
    assert lines[1:] == [
        "    « Le castor revient »",
        "    Date : 14 mai 2024",
        "    Auteur : Marie Dupin",
        "    Source : https://www.example.fr/castor",
        "    Article 3 — 2 passages, ajouté le 25 novembre 2026",
    ]
    assert answer_json(answer, sure_from=0.9)["detail"] == detail


@pytest.mark.parametrize(
    ("zone", "day"),
    [("Europe/Paris", "26 novembre 2026"), ("UTC", "25 novembre 2026"), ("America/Montreal", "25 novembre 2026")],
)
def test_the_day_an_article_was_added_is_the_day_of_the_readers_clock(zone, day):
    """The library records the moment in UTC: at 23:30 there, it is already the next day in Paris."""
    late = replace(SIGNED, date=None, added_at="2026-11-25T23:30:00Z")
    assert day_added(late, zone=ZoneInfo(zone)) == day
    assert card_footer(late, zone=ZoneInfo(zone)) == f"Article 3 — 2 passages, ajouté le {day}"
    assert detail_sentence(late, "date", zone=ZoneInfo(zone)).endswith(f"ajouté à la bibliothèque le {day}.")


def test_no_reply_showing_the_day_an_article_was_added_can_forget_the_readers_clock():
    """Without TIME_ZONE a card would show UTC's day, wrong for Paris after 23:00 UTC, with
    nothing to tell: every formatter of such a day asks for the zone, by name, and fails
    at once without it."""
    answer = Answer("Qui a écrit l'article ?", True, [Result(1, 0.0, 9, SIGNED, None, "Le castor.", 0, 10)], 1.0)
    asked = replace(answer, detail="date")
    for forgets_the_zone in (
        lambda: day_added(SIGNED),
        lambda: card_footer(SIGNED),
        lambda: detail_sentence(SIGNED, "date"),
        lambda: format_details([SIGNED], "date"),
        lambda: format_article_card(SIGNED),
        lambda: format_answer(asked, sure_from=0.9),
        lambda: article_card_html(SIGNED),
        lambda: detail_card_html(SIGNED, "date"),
        lambda: details_html(asked),
        lambda: inline_results(asked, 0.9),
    ):
        with pytest.raises(TypeError, match="zone"):
            forgets_the_zone()


@pytest.mark.parametrize("says_more", [True, False])
def test_the_json_answer_says_whether_la_suite_would_read_on(says_more):
    passage = "Le castor revient sur la Dordogne."
    result = Result(1, 0.0, 9, ARTICLE, None, passage, 0, len(passage))
    assert answer_json(Answer("?", True, [result], 1.0, says_more=says_more), sure_from=0.9)["says_more"] is says_more


def test_what_the_library_did_not_record_of_an_article_is_said_to_be_missing():
    pasted = replace(SIGNED, date=None, author=None, url=None)
    assert detail_sentence(pasted, "date", zone=UTC) == (
        "L'article « Le castor revient » n'est pas daté ; il a été ajouté à la bibliothèque le 25 novembre 2026."
    )
    assert (
        detail_sentence(pasted, "author", zone=UTC) == "L'auteur de l'article « Le castor revient » n'est pas indiqué."
    )
    assert (
        detail_sentence(pasted, "source", zone=UTC)
        == "L'article « Le castor revient » a été ajouté comme texte collé, sans lien."
    )
    uploaded = replace(pasted, date="2024-05", source="telegram:castor.pdf")
    assert detail_sentence(uploaded, "date", zone=UTC) == "L'article « Le castor revient » est daté de mai 2024."
    assert (
        detail_sentence(uploaded, "source", zone=UTC) == "L'article « Le castor revient » vient du fichier castor.pdf."
    )


def test_a_question_on_a_detail_that_cannot_say_which_article_asks_for_a_topic_first():
    assert (
        format_answer(Answer("Qui a écrit l'article ?", False, detail="author"), sure_from=0.9, zone=UTC)
        == WHICH_ARTICLE
    )


def test_an_article_s_card_is_the_same_in_the_console_and_in_telegram_with_a_file_s_name_never_its_path():
    on_disk = replace(SIGNED, url=None, source="/srv/citebot/imports/castor.txt")
    plain = format_article_card(on_disk, zone=UTC)
    html = article_card_html(on_disk, zone=UTC)
    assert "Source : castor.txt" in plain and "Source : castor.txt" in html and "/srv/" not in plain + html
    linked = article_card_html(SIGNED, zone=UTC)
    assert 'Source : <a href="https://www.example.fr/castor">https://www.example.fr/castor</a>' in linked
    unlinked = linked.replace('<a href="https://www.example.fr/castor">', "").replace("</a>", "")
    assert [line.strip() for line in format_article_card(SIGNED, zone=UTC).splitlines()[1:]] == unlinked.splitlines()[
        1:
    ]


@pytest.mark.parametrize(
    ("count", "said"),
    [(0, "0 article"), (1, "1 article"), (2, "2 articles"), (1234, "1\u202f234 articles")],
)
def test_a_count_is_singular_below_two_and_its_thousands_are_separated_as_french_writes_them(count, said):
    assert plural(count, "article") == said


def test_a_count_with_its_own_plural_form_takes_it_from_two():
    assert [plural(n, "flux suivi", "flux suivis") for n in (1, 2)] == ["1 flux suivi", "2 flux suivis"]


@pytest.mark.parametrize(
    ("iso", "said"),
    [
        ("2023-02", "février 2023"),
        ("2023-02-14", "14 février 2023"),
        ("2026-12-01", "1er décembre 2026"),  # the first of the month is "1er"
        ("2023-00", "2023-00"),  # not read as December: shown as recorded
        ("2023-13-01", "2023-13-01"),
        ("2023-02-xx", "2023-02-xx"),
    ],
)
def test_a_date_is_written_in_french_and_one_that_is_no_date_as_recorded(iso, said):
    assert french_date(iso) == said


def test_an_article_s_detail_agrees_with_article_whatever_its_title_s_gender():
    feminine = replace(ARTICLE, title="La guerre des castors", author="Marie Dupin")
    assert detail_sentence(feminine, "author", zone=UTC) == "L'article « La guerre des castors » est signé Marie Dupin."


def test_a_question_in_english_that_found_nothing_is_told_to_ask_in_french():
    """Searched in French articles, "What is the growth forecast for Germany?" found nothing,
    and "Reformulez" did not say why."""
    declined = Answer("What is the growth forecast for Germany?", False)
    assert format_answer(declined, sure_from=0.9, zone=UTC) == IN_ENGLISH
    assert "(I only understand questions in French.)" in IN_ENGLISH
    french = Answer("Quelle croissance pour l'Allemagne ?", False)
    assert format_answer(french, sure_from=0.9, zone=UTC) == NOTHING_FOUND


@pytest.mark.parametrize("question", ["Published when?", "Written by whom?", "By whom?", "Who wrote it?"])
def test_a_short_question_in_english_on_an_article_s_details_is_told_to_ask_in_french_as_others_are(question):
    """ "Qui l'a écrit ?" gets the article's card; "Written by whom?" got "Reformulez", not why."""
    assert format_answer(Answer(question, False), sure_from=0.9, zone=UTC) == IN_ENGLISH
    unsure = format_answer(replace(answer_of(0.7), question=question), sure_from=0.9, zone=UTC)
    assert unsure.splitlines()[:2] == [UNSURE, f"({ASK_IN_FRENCH})"]
    for french in ("Qui l'a écrit ?", "Publié quand ?", "Par qui ?"):
        assert format_answer(Answer(french, False), sure_from=0.9, zone=UTC) == NOTHING_FOUND


def test_an_uncertain_answer_to_a_question_in_english_says_under_its_uncertainty_to_ask_in_french():
    """Its quotes are shown, but its reader was never told why they were uncertain, nor that
    French questions find better; a sure answer needs nothing more, nor a French question."""
    english = replace(answer_of(0.7), question="How much does the beaver weigh?")
    lines = format_answer(english, sure_from=0.9, zone=UTC).splitlines()
    assert lines[:2] == [UNSURE, f"({ASK_IN_FRENCH})"] and "« Il pèse trente kilos. »" in lines
    assert "(Ask in French for better answers.)" in ASK_IN_FRENCH
    sure = format_answer(replace(english, relevance=0.95), sure_from=0.9, zone=UTC)
    assert sure.startswith("« Il pèse trente kilos. »") and ASK_IN_FRENCH not in sure
    assert ASK_IN_FRENCH not in format_answer(answer_of(0.7), sure_from=0.9, zone=UTC)  # asked in French


def test_a_lexicon_update_is_said_as_it_starts_and_when_done_in_seconds_or_less_than_one():
    from bot.replies.upkeep import lexicon_update_said
    from index.library import LexiconUpdate

    assert lexicon_update_said(LexiconUpdate(3, 4)) == "Mise à jour de l'index lexical (analyse version 3 → 4)…"
    said = lexicon_update_said(LexiconUpdate(3, 4, 100_095, 31.84))
    assert said == "Index lexical à jour : 100\u202f095 passages en 31,8 s."
    small = lexicon_update_said(LexiconUpdate(3, 4, 4, 0.004))  # not "en 0,0 s"
    assert small == "Index lexical à jour : 4 passages en moins d'une seconde."


# A link as typed, and as every reply shows it: a host that could pass for another site's
# (scripts mixed, or Cyrillic letters that all read as Latin ones, or a symbol, or a Latin
# letter no language's names are written in, or Japanese that reads as punctuation) in its ASCII
# form, which leads to the same host; a French host with accents, or one in a single script,
# in its letters (Chromium's and Mozilla's rule).
LOOK_ALIKE_LINKS = [
    ("https://l\u0435monde.fr/politique/article", "https://xn--lmonde-3of.fr/politique/article"),  # Cyrillic « е »
    ("https://\u0430\u0440\u0440\u04cf\u0435.com/actu", "https://xn--80ak6aa92e.com/actu"),  # reads "apple"
    ("https://\u043e\u03bd.com:8443/p?q=\u00e9", "https://xn--yxa1x.com:8443/p?q=\u00e9"),  # Cyrillic and Greek
    ("https://\u2665.fr/a", "https://xn--g6h.fr/a"),  # a symbol
    # Latin letters no language's names are written in, which read as ASCII ones
    ("https://\u0251pple.com/", "https://xn--pple-p5b.com/"),  # IPA « ɑ »
    ("https://\u0261oogle.com/", "https://xn--oogle-qmc.com/"),  # IPA « ɡ »
    ("https://app\u01c0e.com/", "https://xn--appe-2kb.com/"),  # a click letter, « ǀ »
    ("https://\ua731ecure.fr/", "https://xn--ecure-n92s.fr/"),  # small capital « ꜱ »
    ("https://\u1d0frange.fr/", "https://xn--range-l29a.fr/"),  # small capital « ᴏ »
    ("https://\u0131nfo.fr/", "https://xn--nfo-iua.fr/"),  # dotless « ı »
    ("https://\u0131\u0307nfo.fr/", "https://xn--nfo-iua46u.fr/"),  # dotless « ı » and a dot above
    # Japanese characters that read as a slash or a dash beside Latin letters
    ("https://google.com\u30ceevil.fr/", "https://google.xn--comevil-v04f.fr/"),  # « ノ »
    ("https://google.com\u4e00evil.fr/", "https://google.xn--comevil-7t3k.fr/"),  # « 一 »
    ("https://google.com\u30fcevil.fr/", "https://google.xn--comevil-ec5f.fr/"),  # « ー »
]
READABLE_LINKS = [
    "https://\u00e9lys\u00e9e.fr/actualites/1",
    "https://\u043f\u0440\u0435\u0437\u0438\u0434\u0435\u043d\u0442.\u0440\u0444/news",  # Cyrillic under .рф
    "https://\u0430\u0440\u0440\u04cf\u0435.ru/",  # under a Cyrillic country's domain
    "https://www.\u30c6\u30b9\u30c8\u4f8b.jp/a",  # Katakana and Han
    "https://lemonde.fr/a",
    "https://\u0153uvre-\u00e7a.fr/",  # « œ », « ç »
    "https://\u0142\u00f3d\u017a.pl/",  # Polish, in Latin Extended-A
    "https://\u00e5ngstr\u00f6m.se/",
    "https://\u30bd\u30cb\u30fc.jp/",  # « ソ » and « ー » among kana
    "https://\u0219tiri-\u021bar\u0103.ro/",  # Romanian « ș », « ț » (Latin Extended-B)
    "https://\u0131\u015f\u0131k.com.tr/",  # Turkish « ı » under .tr
    "https://az\u0259rbaycan-\u0131\u015f\u0131q.az/",  # Azerbaijani « ə », « ı » under .az
]


@pytest.mark.parametrize(("typed", "shown_as"), LOOK_ALIKE_LINKS)
def test_a_link_whose_host_could_pass_for_another_site_s_is_shown_in_its_ascii_form_everywhere(typed, shown_as):
    article = replace(ARTICLE, url=typed, source=typed)
    passage = "Le castor est protégé. Il pèse trente kilos."
    answer = Answer("Combien pèse le castor ?", True, [Result(1, 0.1, 1, article, None, passage, 23, 44)], 0.9)
    readings = {
        "console answer": format_result(answer.results[0]),
        "card": format_article_card(article, zone=UTC),
        "card in chat": article_card_html(article, zone=UTC),
        "site named": detail_sentence(article, "source", zone=UTC),
        "JSON link": answer_json(answer, 0.5)["results"][0]["link"],
    }
    host = shown_as.split("://")[1].split("/")[0].rpartition("@")[2].split(":")[0]
    for where, text in readings.items():
        assert typed not in text and host in text, where
    assert shown_as in readings["console answer"] and shown_as in readings["card"]
    assert answer_json(answer, 0.5)["results"][0]["source"] == typed  # what is stored is given as stored


@pytest.mark.parametrize("typed", READABLE_LINKS)
def test_a_link_in_one_script_or_in_japanese_or_a_french_host_with_accents_is_shown_in_its_letters(typed):
    article = replace(ARTICLE, url=typed)
    assert f"Source : {typed}" in format_article_card(article, zone=UTC)


def test_a_host_written_in_its_ascii_form_is_shown_in_its_letters_when_they_are_safe_to_read():
    article = replace(ARTICLE, url="https://xn--lyse-9oad.fr/actualites")
    assert "Source : https://\u00e9lys\u00e9e.fr/actualites" in format_article_card(article, zone=UTC)
    spoof = replace(ARTICLE, url="https://xn--lmonde-3of.fr/a")
    assert "Source : https://xn--lmonde-3of.fr/a" in format_article_card(spoof, zone=UTC)
