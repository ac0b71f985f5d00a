"""What a user sends to add an article, in the forms people send it: an address typed without
https://, several links at once, a text too long for one Telegram message. The real application
in this process (`tests.telegram_in_process`) against the fake Bot API, and real pages on a
127.0.0.1 site."""

from __future__ import annotations

import asyncio

from tests.document_fixtures import make_pdf
from tests.fake_telegram import FakeTelegram
from tests.http_fixtures import Site
from tests.telegram_in_process import (
    PREFECT_QUESTION,
    TOKEN,
    bot_in_process,
    handle,
    private_message,
    two_article_library,
)
from tests.test_documents import ARTICLE_PAGE
from tests.test_telegram_documents import delivered_together

USER = 720
REPORT = make_pdf([["La piscine du Rhone rouvrira en juin apres deux ans de travaux."]], title="Rapport piscine")
PAGES = {
    "/article": (200, "text/html; charset=utf-8", ARTICLE_PAGE.encode()),
    "/rapport.pdf": (200, "application/pdf", REPORT),
}


def test_an_address_typed_without_https_is_fetched_as_a_page_not_added_as_text(tmp_path):
    """People type "lemonde.fr/…" as they read it: it is the page they mean, not a text of one word
    (which was refused with "aucun paragraphe d'article dans ce texte")."""
    library = two_article_library(tmp_path)

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path, fetch_timeout_seconds=3) as (application, _):
            await handle(application, private_message(USER, "/ingest exemple.invalid/politique/article"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        (status,) = telegram.texts(USER)
        # Read as a site's address, and looked up ("nom de domaine introuvable : exemple.invalid")
        assert "exemple.invalid" in status and "paragraphe" not in status, status
    assert library.stats().articles == 2
    library.close()


def test_one_word_that_is_no_address_or_an_address_without_its_site_is_told_what_to_send(tmp_path):
    """ "/ingest lemonde" was refused as "aucun paragraphe d'article dans ce texte (…, ou ne
    contient aucun mot)", and "/ingest https://" as "seules les URL http et https sont
    acceptées": neither said what was wrong, nor what to send."""
    library = two_article_library(tmp_path)
    sent = ("lemonde", "127.0.0.1:8080/article", "https://")

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            for argument in sent:
                await handle(application, private_message(USER, f"/ingest {argument}"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        statuses = telegram.texts(USER)
    assert len(statuses) == len(sent)
    for word, status in zip(sent[:2], statuses, strict=False):
        assert f"« {word} » n'est pas l'adresse d'une page. Envoyez son adresse entière (https://…)" in status, status
    assert "adresse incomplète : https:// (il y manque le nom du site)" in statuses[2], statuses[2]
    assert all("paragraphe" not in s and "seules les URL" not in s for s in statuses)
    assert library.stats().articles == 2
    library.close()


def test_an_address_other_than_a_web_page_s_is_refused_as_one_not_as_a_text_without_paragraphs(tmp_path):
    """A page saved and opened in a browser shows "file:///…", which people copy as they would
    its link: told that only web addresses are read, not that their text has no paragraph."""
    library = two_article_library(tmp_path)
    addresses = ("file:///C:/Users/lea/Documents/article.html", "ftp://exemple.fr/article.txt")

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            for address in addresses:
                await handle(application, private_message(USER, f"/ingest {address}"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        statuses = telegram.texts(USER)
    for address, status in zip(addresses, statuses, strict=True):
        assert f"{address} (seules les URL http et https sont acceptées)" in status, status
        assert "paragraphe" not in status
    assert library.stats().articles == 2
    library.close()


def test_several_links_in_one_message_add_each_page_with_a_status_of_its_own(tmp_path):
    """/ingest with several links ("/ingest URL1 URL2", or in reply to a message listing links):
    each page is meant. As one pasted text, the links were refused with "aucun paragraphe
    d'article dans ce texte"."""
    library = two_article_library(tmp_path)

    async def scenario(telegram: FakeTelegram, origin: str) -> None:
        async with bot_in_process(telegram, library, tmp_path, ingest_allow_private_urls=True) as (application, _):
            await handle(application, private_message(USER, f"/ingest {origin}/article\n{origin}/absente"))
            listed = private_message(USER + 1, f"Deux liens à lire : {origin}/rapport.pdf et {origin}/article.")
            await handle(application, private_message(USER + 1, "/ingest", reply_to_message=listed["message"]))

    with FakeTelegram(TOKEN) as telegram, Site(PAGES) as site:
        asyncio.run(scenario(telegram, site.origin))
        added, missing = telegram.texts(USER)
        assert added.startswith("✅ Ajouté : « Le Conseil vote la réforme »")
        assert missing.startswith(f"⚠️ Je n'ai pas pu ajouter « {site.origin}/absente » : le site a répondu 404")
        report, again = telegram.texts(USER + 1)
        assert report.startswith("✅ Ajouté : « Rapport piscine »")
        assert again.startswith("Cet article est déjà dans la bibliothèque : « Le Conseil vote la réforme »")
    assert [a.title for a in library.articles()][2:] == ["Le Conseil vote la réforme", "Rapport piscine"]
    library.close()


def test_links_past_the_tenth_of_one_message_are_said_not_added(tmp_path):
    library = two_article_library(tmp_path)
    links = " ".join(f"http://127.0.0.1:9/article-{number}" for number in range(12))

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path, ingest_allow_private_urls=True) as (application, _):
            await handle(application, private_message(USER, f"/ingest {links}"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        *statuses, left_out = telegram.texts(USER)
        assert len(statuses) == 10 and all("/article-" in status for status in statuses)
        assert left_out == (
            "⚠️ Les 2 derniers liens n'ont pas été ajoutés : j'ajoute 10 pages au plus par message. "
            "Renvoyez-les dans un autre message."
        )
    library.close()


def telegram_parts(text: str, cut_before: str) -> list[str]:
    """`text` as a Telegram app sends it when longer than one message: cut at a space, in the
    second half of the 4096 characters, the space dropped."""
    first, _, rest = text.partition(" " + cut_before)
    assert 2048 < len(first) <= 4096 < len(text)
    return [first, cut_before + rest]


def test_a_pasted_text_too_long_for_one_message_is_added_whole_from_its_parts(tmp_path):
    """Past 4096 characters, Telegram's apps send a text as several messages, /ingest on the
    first alone: the first part was added as the article, the rest answered as articles to add."""
    library = two_article_library(tmp_path)
    paragraphs = [
        f"Le chantier de la médiathèque avance, au quartier numéro {number}, selon la mairie de Quimper. "
        "Les ouvriers ont coulé la dalle du rez-de-chaussée et monté les murs de la salle de lecture."
        for number in range(30)
    ]
    paragraphs[20] = "Le conseil municipal a voté le budget de la médiathèque lundi soir, après trois heures de débat."
    pasted = "/ingest La médiathèque de Quimper\n\n" + "\n\n".join(paragraphs)
    parts = telegram_parts(pasted, "de débat.")  # the cut in the middle of a sentence

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            messages = [private_message(USER, part) for part in parts]
            await delivered_together(telegram, application, messages, replies=1, chat=USER)

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        (status,) = telegram.texts(USER)  # no "ressemble à un article" for the second part
        assert status.startswith("✅ Ajouté : « La médiathèque de Quimper »"), status
    added = library.articles()[-1]
    (_, text) = library.article_texts([added.id])[added.id]
    assert "après trois heures de débat." in text  # the sentence cut between two messages, whole
    assert "au quartier numéro 29" in text and library.stats().articles == 3
    library.close()


def test_a_long_text_sent_with_ingest_by_someone_who_may_not_add_leaves_their_next_messages_answered(tmp_path):
    """The next parts of a long text are awaited only for an /ingest that will add it: refused,
    the messages that followed were taken for its parts and never answered."""
    library = two_article_library(tmp_path)
    long_text = "/ingest La médiathèque\n\n" + "\n\n".join(
        f"Le chantier de la médiathèque avance au quartier numéro {number}, selon la mairie." for number in range(40)
    )

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path, ingest_admins_only=True) as (application, _):
            messages = [private_message(USER, long_text), private_message(USER, PREFECT_QUESTION)]
            await delivered_together(telegram, application, messages, replies=2, chat=USER)

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        refused, answer = telegram.texts(USER)
        assert refused.startswith("Désolé, seuls les administrateurs peuvent ajouter des articles ici."), refused
        assert "Marie Dupont" in answer, answer
    assert library.stats().articles == 2
    library.close()
