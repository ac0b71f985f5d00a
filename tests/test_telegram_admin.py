"""Curating the library from Telegram, as an admin does it: finding an article, deleting it.
The real application in this process (`tests.telegram_in_process`) over a real library on the
hashing embedder."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.telegram import messages as msg
from index.documents import parse_text
from index.library import Library
from tests.fake_telegram import FakeTelegram
from tests.telegram_in_process import (
    ADMIN,
    TOKEN,
    bot_in_process,
    handle,
    pressed,
    private_message,
    two_article_library,
)

USER = 4343


def library_of_bridges(directory: Path, bridges: int) -> Library:
    """`two_article_library`, then `bridges` articles "Le pont numéro N repeint", each with its link."""
    library = two_article_library(directory)
    texts = [
        f"titre: Le pont numéro {n} repeint\nurl: https://www.exemple.fr/ponts/{n}\n\nLe pont {n} est vert."
        for n in range(1, bridges + 1)
    ]
    library.ingest([parse_text(text) for text in texts])
    return library


def test_delete_shows_the_article_and_deletes_it_only_once_an_admin_confirms(tmp_path):
    """One mistyped id was one article lost, its text with it: /delete now shows the article's
    card and asks; "Annuler" keeps it, and only an admin's "🗑 Supprimer" deletes it, once."""
    library = two_article_library(tmp_path)
    prefect = next(a.id for a in library.articles() if "préfet" in a.title)
    counts: list[int] = []

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            await handle(application, private_message(ADMIN, f"/delete {prefect}"))
            question, keep = telegram.button(ADMIN, "Annuler")
            counts.append(library.stats().articles)
            await handle(application, pressed(ADMIN, question, keep))
            counts.append(library.stats().articles)

            await handle(application, private_message(ADMIN, f"/delete {prefect}"))
            question, delete = telegram.button(ADMIN, "🗑 Supprimer")
            await handle(application, pressed(USER, question, delete, query_id="not-an-admin"))
            counts.append(library.stats().articles)
            await handle(application, pressed(ADMIN, question, delete))
            counts.append(library.stats().articles)
            await handle(application, pressed(ADMIN, question, delete))  # pressed again

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert counts == [2, 2, 2, 1]
        sent = [c.params["text"] for c in telegram.calls_to("sendMessage", ADMIN)]
        assert len(sent) == 2 and "Supprimer cet article ?" in sent[0] and "Le préfet de région nommé" in sent[0]
        assert f"Article {prefect} — " in sent[0]  # its card: what an admin recognises it by
        edits = [c.params["text"] for c in telegram.calls_to("editMessageText", ADMIN)]
        assert edits[0] == f"Suppression annulée : l'article {prefect} reste dans la bibliothèque."
        assert edits[1] == f"🗑 Supprimé : « Le préfet de région nommé », article {prefect}."
        assert edits[2] == f"Aucun article n'a l'identifiant {prefect} : /articles les liste avec le leur."
        [refused] = [
            c.params
            for c in telegram.calls_to("answerCallbackQuery")
            if c.params["callback_query_id"] == "not-an-admin"
        ]
        assert refused["text"] == msg.REFUSED
    library.close()


def test_an_admin_finds_an_article_by_words_of_its_title_or_its_link_without_paging_through_the_list(tmp_path):
    """In a library of hundreds, /articles showed pages of 20 in the order they were added, and
    ignored what followed the command: finding an article's id to delete it meant paging."""
    library = library_of_bridges(tmp_path, 45)
    library.ingest(
        [parse_text("titre: Marché de Noël\nurl: https://www.exemple.fr/marche-noel\n\nLe marché ouvre samedi.")]
    )

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            for text in ("/articles CASTOR loire", "/articles marche-noel", "/articles pont", "/articles girafe"):
                await handle(application, private_message(ADMIN, text))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        beaver, market, bridges, nothing = [c.params["text"] for c in telegram.calls_to("sendMessage", ADMIN)]
        assert beaver == "<b>Articles</b> contenant « CASTOR loire » (1)\n<code>2</code> Le castor revient en Loire"
        assert market.endswith("(1)\n<code>48</code> Marché de Noël")  # found by its link
        assert bridges.startswith("<b>Articles</b> contenant « pont » (45)\n<code>3</code> Le pont numéro 1 repeint")
        assert bridges.endswith("… et 25 de plus : précisez la recherche.")
        assert nothing == "Aucun article ne contient « girafe » dans son titre ou son adresse."
    library.close()


def test_the_article_list_of_a_large_library_reaches_its_last_page_the_latest_articles_in_one_press(tmp_path):
    library = library_of_bridges(tmp_path, 63)  # 65 articles: 4 pages

    def labels(markup: dict) -> list[list[str]]:
        return [[button["text"] for button in row] for row in markup["inline_keyboard"]]

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            await handle(application, private_message(ADMIN, "/articles"))
            listing, last = telegram.button(ADMIN, "Dernière page")
            await handle(application, pressed(ADMIN, listing, last))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        first = telegram.calls_to("sendMessage", ADMIN)[0].params
        assert labels(first["reply_markup"]) == [["Page suivante ▶"], ["Dernière page ⏭"]]
        shown = telegram.calls_to("editMessageText", ADMIN)[-1].params
        assert "page 4/4" in shown["text"] and shown["text"].endswith("<code>65</code> Le pont numéro 63 repeint")
        assert labels(shown["reply_markup"]) == [["◀ Page précédente"], ["⏮ Première page"]]
    library.close()


def test_a_bot_with_no_admin_yet_tells_who_tries_an_admin_command_how_to_become_one(tmp_path):
    """Without ADMIN_USER_IDS, its owner's /stats was refused as anyone's, with no word of the
    setting or of the id to put in it."""
    library = two_article_library(tmp_path)

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path, admin_user_ids="") as (application, _):
            await handle(application, private_message(USER, "/stats"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        [said] = [c.params["text"] for c in telegram.calls_to("sendMessage", USER)]
        assert "n'en a pas encore" in said and f"<code>{USER}</code>" in said and "ADMIN_USER_IDS" in said
    library.close()
