"""French typography in what the bot sends: the space before : ; ! ? % and inside « » never
breaks, in the bot's own words and the question it repeats, while a quote is sent exactly as
its article wrote it (`bot.telegram.typography`)."""

from __future__ import annotations

import asyncio

from bot.telegram.typography import NARROW_NO_BREAK, NO_BREAK, french_spacing, french_spacing_html
from index.documents import parse_text
from index.library import Library
from tests.conftest import HashingEmbedder
from tests.fake_telegram import FakeTelegram
from tests.telegram_in_process import TOKEN, bot_in_process, handle, private_message

USER = 4343
QUESTION = "Quand le pont rouvrira-t-il après trois mois de travaux ?"


def test_the_spaces_before_high_punctuation_and_inside_guillemets_do_not_break():
    said = french_spacing("Date : 12 juin ; lu « Stutthof » pour « Strutthof » ! Une autre question ? (42 %)")
    assert said == (
        f"Date{NO_BREAK}: 12 juin{NARROW_NO_BREAK}; lu «{NO_BREAK}Stutthof{NO_BREAK}» pour "
        f"«{NO_BREAK}Strutthof{NO_BREAK}»{NARROW_NO_BREAK}! Une autre question{NARROW_NO_BREAK}? (42{NO_BREAK}%)"
    )


def test_no_space_is_added_where_there_was_none():
    assert french_spacing("Quoi? https://exemple.fr/a?b=1 10:30 «mot»") == "Quoi? https://exemple.fr/a?b=1 10:30 «mot»"


def test_quotes_links_and_tags_are_sent_as_they_are():
    html = (
        "🔎 <b>Qui l'a dit ?</b>\n<blockquote expandable>Il a dit : « <b>Non !</b> »</blockquote>\n"
        '<i>Titre : sous-titre</i> — <a href="https://exemple.fr/a?x=1#:~:text=Il%20a%20dit">source</a>'
    )
    assert french_spacing_html(html) == (
        f"🔎 <b>Qui l'a dit{NARROW_NO_BREAK}?</b>\n<blockquote expandable>Il a dit : « <b>Non !</b> »</blockquote>\n"
        f'<i>Titre{NO_BREAK}: sous-titre</i> — <a href="https://exemple.fr/a?x=1#:~:text=Il%20a%20dit">source</a>'
    )


ARTICLE = (
    "Le pont de l'île rouvre\n\nLe maire l'a annoncé mardi : « Le pont rouvrira lundi, après trois mois de travaux ! » "
    "Les cars de remplacement circuleront jusqu'à dimanche soir."
)


def test_an_answer_sets_the_bot_s_words_in_french_typography_and_quotes_the_article_as_written(tmp_path):
    library = Library(tmp_path / "index", HashingEmbedder(), max_words=60)
    library.ingest([parse_text(ARTICLE)])

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            await handle(application, private_message(USER, QUESTION))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
    library.close()
    sent = telegram.calls_to("sendMessage", USER)[-1].sent["text"]
    assert f"travaux{NARROW_NO_BREAK}?" in sent  # the question repeated under 🔎
    quoted = sent[sent.index("<blockquote") : sent.index("</blockquote>")]
    assert "Le pont rouvrira lundi, après trois mois de travaux !" in quoted  # as the article has it
    assert NO_BREAK not in quoted and NARROW_NO_BREAK not in quoted
