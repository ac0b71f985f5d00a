"""A followed channel's posts as news channels write them: a headline and its link (the page
is the article), a quote an admin posted from the bot's inline results (not an article). The
real application in this process (`tests.telegram_in_process`), against the fake Bot API."""

from __future__ import annotations

import asyncio
import itertools
import time

from index.library import Library
from index.store import ArticleRow
from tests.fake_telegram import FakeTelegram
from tests.http_fixtures import Site
from tests.telegram_in_process import TOKEN, bot_in_process, handle, two_article_library

CHANNEL = {"id": -1009876, "type": "channel", "title": "La Gazette en direct", "username": "gazetteouest"}
TRAM_PAGE = """<html><head><title>Le tramway de Brest prolongé jusqu'à Bellevue</title></head><body><article>
<h1>Le tramway de Brest prolongé jusqu'à Bellevue</h1>
<p>La ligne de tramway de Brest sera prolongée jusqu'au quartier de Bellevue d'ici 2027, a voté le conseil
de la métropole jeudi soir après trois heures de débats.</p>
<p>Le chantier coûtera 180 millions d'euros, financés pour moitié par l'État et la région Bretagne. Les
travaux commenceront au printemps prochain par la déviation des réseaux sous la rue Jean-Jaurès.</p>
</article></body></html>"""
_ids = itertools.count(500)


def post(text: str, **extra) -> dict:
    message = {"message_id": next(_ids), "date": int(time.time()), "chat": CHANNEL, "text": text}
    return {"channel_post": message | extra}


def newest(library: Library) -> tuple[ArticleRow, str]:
    """The article added last, and its text."""
    return library.article_texts([max(a.id for a in library.articles())]).popitem()[1]


def test_a_followed_channel_s_headline_and_link_adds_the_page_it_links_to(tmp_path):
    library = two_article_library(tmp_path)

    async def scenario(telegram: FakeTelegram, site: Site) -> None:
        async with bot_in_process(telegram, library, tmp_path, ingest_allow_private_urls=True) as (application, state):
            state.add_channel(CHANNEL["id"], CHANNEL["title"], CHANNEL["username"], None)
            await handle(application, post(f"Le tramway de Brest prolongé jusqu'à Bellevue\n\n{site.origin}/tram.html"))
            await handle(application, post(f"Le marché de Noël de Nantes ouvre samedi\n\n{site.origin}/absente.html"))

    with FakeTelegram(TOKEN) as telegram, Site({"/tram.html": (200, "text/html", TRAM_PAGE.encode())}) as site:
        asyncio.run(scenario(telegram, site))
        added, text = newest(library)
        assert added.url == f"{site.origin}/tram.html" and "180 millions" in text  # not the headline alone
        assert library.stats().articles == 3  # a headline whose page cannot be read is no article
        assert not telegram.calls_to("sendMessage", CHANNEL["id"])
    library.close()


def test_a_quote_posted_in_a_followed_channel_from_the_bot_s_inline_results_is_not_added(tmp_path):
    """Its words come from an article of the library: added, they would be quoted beside it."""
    library = two_article_library(tmp_path)
    quote = "« Marie Dupont a été nommée préfète de la région Bretagne mercredi. »\nLe préfet de région nommé"

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, state):
            state.add_channel(CHANNEL["id"], CHANNEL["title"], CHANNEL["username"], None)
            await handle(application, post(quote, via_bot=telegram.bot_user()))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert library.stats().articles == 2
    library.close()


def test_a_followed_channel_s_text_post_is_an_article_dated_as_the_channel_dated_it(tmp_path):
    library = two_article_library(tmp_path)
    text = (
        "Le conseil municipal de Quimper a voté jeudi soir la gratuité des bus le samedi, à partir du mois de "
        "mars. La mesure coûtera 400 000 euros par an, selon l'adjoint aux transports."
    )
    posted = {"date": 1_741_000_000}  # 3 March 2025

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, state):
            state.add_channel(CHANNEL["id"], CHANNEL["title"], CHANNEL["username"], None)
            await handle(application, {"channel_post": post(text)["channel_post"] | posted})

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        added, stored = newest(library)
        assert stored == text and added.date == "2025-03-03"
    library.close()
