"""Documents sent to the bot to be added, as people send them: too big for Telegram, several at
once. The real application in this process (`tests.telegram_in_process`) against the fake Bot
API, which serves the files as Telegram does (and refuses them as it does)."""

from __future__ import annotations

import asyncio
import time

from bot.telegram import messages as msg
from bot.telegram.albums import SETTLE_SECONDS
from tests.document_fixtures import make_docx
from tests.fake_telegram import DOWNLOAD_LIMIT, FakeTelegram
from tests.telegram_in_process import (
    ADMIN,
    PREFECT_QUESTION,
    TOKEN,
    bot_in_process,
    handle,
    private_message,
    two_article_library,
)
from tests.test_sources import ENDLESS_PAGE

USER = 710
CAPTION = {"caption": "/ingest", "caption_entities": [{"type": "bot_command", "offset": 0, "length": 7}]}


def test_a_file_over_telegram_s_download_limit_is_refused_in_french_not_as_an_unexpected_error(tmp_path):
    """An operator may allow 50 MB for pages read by URL; Telegram still gives bots 20 MB at most."""
    library = two_article_library(tmp_path)
    report = b"titre: Rapport annuel\n\n" + b"Le budget de la ville a augment\xc3\xa9 cette ann\xc3\xa9e. " * 600_000
    assert len(report) > DOWNLOAD_LIMIT

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path, ingest_max_bytes=50_000_000) as (application, _):
            document = telegram.add_file("rapport.txt", report)
            await handle(application, private_message(USER, document=document, **CAPTION))
            unsized = {
                key: value for key, value in telegram.add_file("bilan.txt", report).items() if key != "file_size"
            }
            await handle(application, private_message(USER, document=unsized, **CAPTION))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        sized, unsized = telegram.texts(USER)
        assert "le fichier fait 27,5 Mo" in sized and "20 Mo au plus" in sized and "lien" in sized
        assert "le fichier est trop gros" in unsized and "20 Mo au plus" in unsized
        assert msg.INGEST_FAILED not in sized + unsized
        assert not telegram.calls_to("sendMessage", ADMIN)  # the user's business, not a failure of the bot
    assert library.stats().articles == 2
    library.close()


async def delivered_together(telegram: FakeTelegram, application, messages: list[dict], replies: int, chat: int):
    """`messages` delivered as Telegram delivers an album (one getUpdates answer), until the
    bot has sent `replies` messages to `chat` whose text settled (no "⏳" left)."""
    for message in messages:
        telegram.push(message)
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        texts = telegram.texts(chat)
        if len(texts) >= replies and not any(t.startswith("⏳") for t in texts):
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(SETTLE_SECONDS + 0.5)  # time for a reply too many
    await application.updater.stop()


def test_an_album_of_documents_captioned_ingest_adds_every_one_of_them(tmp_path):
    """Telegram puts the caption on one file of an album: the others are meant to be added too."""
    library = two_article_library(tmp_path)
    files = {
        "piscine.txt": "titre: La piscine rouvre\n\nLa piscine du Rhône rouvrira en juin après deux ans de travaux.",
        "vide.txt": "",
        "gare.txt": "titre: La gare rénovée\n\nLa gare de Tours rouvre lundi après huit mois de travaux.",
    }

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            album = [
                private_message(USER, document=telegram.add_file(name, text.encode()), media_group_id="album1")
                for name, text in files.items()
            ]
            album[-1]["message"].update(CAPTION)  # as Telegram's apps put an album's caption: on the last file
            await delivered_together(telegram, application, album, replies=3, chat=USER)

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        statuses = telegram.texts(USER)
        assert len(statuses) == 3, statuses  # one per file, no "renvoyez-le" hint
        assert "✅ Ajouté : « La piscine rouvre »" in statuses[0] and "✅ Ajouté : « La gare rénovée »" in statuses[2]
        assert statuses[1] == "⚠️ Je n'ai pas pu ajouter « vide.txt » : le contenu est vide"  # which file failed
    assert library.stats().articles == 4
    library.close()


def test_an_album_sent_without_ingest_gets_one_hint_not_one_per_file(tmp_path):
    library = two_article_library(tmp_path)
    channel = {"id": -100777, "type": "channel", "title": "Info Gers", "username": "infogers"}
    post = {"forward_origin": {"type": "channel", "date": 1_700_000_000, "chat": channel, "message_id": 44}}

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            documents = [
                private_message(
                    USER, document=telegram.add_file(f"note{i}.txt", b"La cantine ferme."), media_group_id="a2"
                )
                for i in range(3)
            ]
            await delivered_together(telegram, application, documents, replies=1, chat=USER)
            # A channel's post of three photos, forwarded: its caption (the article) is on one of them.
            photos = [
                private_message(
                    USER + 1,
                    photo=[{"file_id": f"p{i}", "file_unique_id": f"p{i}", "width": 9, "height": 9}],
                    media_group_id="a3",
                    **post,
                )
                for i in range(3)
            ]
            photos[0]["message"]["caption"] = "Le festival de jazz de Marciac accueillera 250 000 visiteurs cet été."
            await delivered_together(telegram, application, photos, replies=1, chat=USER + 1)

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert telegram.texts(USER) == [msg.DOCUMENTS_HINT]
        assert telegram.texts(USER + 1) == [msg.ARTICLE_HINT]  # not "Je ne lis que du texte" for each photo
    assert library.stats().articles == 2
    library.close()


def test_a_document_whose_name_says_another_format_is_read_as_what_it_is(tmp_path):
    """A page saved from a browser as .pdf, a Word file renamed .odt: the file says what it is."""
    library = two_article_library(tmp_path)
    page = (
        "<html><head><title>Le budget de Lyon</title></head><body><article><h1>Le budget de Lyon</h1>"
        "<p>Le conseil municipal de Lyon a voté le budget lundi soir, après trois heures de débat.</p>"
        "</article></body></html>"
    )
    word = make_docx([("paragraph", "Le gymnase Jean-Moulin ferme pour travaux en mars, annonce la mairie.")])

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            for name, content in (("budget.pdf", page.encode()), ("gymnase.odt", word)):
                await handle(application, private_message(USER, document=telegram.add_file(name, content), **CAPTION))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        statuses = telegram.texts(USER)  # each /ingest runs as a task of its own: in either order
        assert len(statuses) == 2 and all("✅ Ajouté" in status for status in statuses)
        assert any("✅ Ajouté : « Le budget de Lyon »" in status for status in statuses)
    assert library.stats().articles == 4
    library.close()


def test_a_page_too_long_to_read_is_refused_in_french_and_others_are_answered_meanwhile(tmp_path):
    """A page of 100,000 paragraphs took 20 s and more to read, in the bot's own process; read in
    one of its own, it is given up at the time limit (2 s here), the library as it was."""
    library = two_article_library(tmp_path)
    asker = 711

    async def scenario(telegram: FakeTelegram) -> None:
        settings = {"ingest_max_bytes": 10**8, "reading_timeout_seconds": 2.0}
        async with bot_in_process(telegram, library, tmp_path, **settings) as (application, _):
            page = telegram.add_file("conseil.html", ENDLESS_PAGE)
            ingest = asyncio.create_task(handle(application, private_message(USER, document=page, **CAPTION)))
            await asyncio.sleep(0.5)  # downloaded, and being read
            await handle(application, private_message(asker, PREFECT_QUESTION))
            assert telegram.texts(USER) == [msg.INGEST_STARTED]  # answered while the page was read
            await ingest
            for _ in range(300):  # bounded: until the page is given up
                if telegram.texts(USER) != [msg.INGEST_STARTED]:
                    break
                await asyncio.sleep(0.1)

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert "Marie Dupont" in telegram.texts(asker)[-1]
        refused = telegram.texts(USER)[-1]
        assert "cette page est trop longue à lire (plus de 2 secondes)" in refused
        assert msg.INGEST_FAILED not in refused
        assert not telegram.calls_to("sendMessage", ADMIN)  # the user's page, not a failure of the bot
    assert library.stats().articles == 2
    library.close()


def test_a_document_without_a_known_extension_is_read_by_its_content_or_refused_naming_the_formats(tmp_path):
    """Phones and mail programs lose extensions ("article", "compte-rendu 12.03") or give a wrong
    one ("rapport.bin"): the file says what it is. One that is none of the formats read (a
    photo) is refused with the formats the bot reads, and nothing is added."""
    library = two_article_library(tmp_path)
    text = "La piscine rouvre\n\nLa piscine municipale de Rennes rouvre lundi après huit mois de travaux."
    gym = make_docx([("paragraph", "Le gymnase Jean-Moulin ferme pour travaux en mars, annonce la mairie.")])
    bridge = make_docx([("paragraph", "Le pont de la Mulatière rouvre aux voitures après deux ans de chantier.")])
    photo = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) * 4
    files = (("article", text.encode()), ("compte-rendu 12.03", gym), ("rapport.bin", bridge), ("photo.jpg", photo))

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            for name, content in files:
                await handle(application, private_message(USER, document=telegram.add_file(name, content), **CAPTION))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        statuses = telegram.texts(USER)
        assert any("✅ Ajouté : « La piscine rouvre »" in status for status in statuses)
        assert sum("✅ Ajouté" in status for status in statuses) == 3
        (refused,) = (status for status in statuses if "✅" not in status)
        assert "photo.jpg" in refused and "PDF" in refused and ".docx" in refused
        assert msg.INGEST_FAILED not in refused
    assert library.stats().articles == 5
    library.close()


def test_a_document_whose_name_shows_no_word_is_titled_by_its_text_and_none_keeps_a_control_character(tmp_path):
    """A file's name is sent by the user's app as they wrote it: one of invisible characters alone
    titled its article with nothing one could see (its 📄 button, its card, empty), one carrying a
    line break or a NUL stored them in the title."""
    library = two_article_library(tmp_path)
    texts = {
        "\u200b\u2060.txt": "La médiathèque de Brest a ouvert ses nouvelles salles lundi.",
        "rapport\x00\nannuel_2025.txt": "Le collège de Quimper sera rénové, a voté le département.",
    }

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            for number, (name, text) in enumerate(texts.items()):
                document = telegram.add_file(f"document{number}.txt", text.encode()) | {"file_name": name}
                await handle(application, private_message(USER, document=document, **CAPTION))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        statuses = telegram.texts(USER)
    titles = sorted(article.title for article in library.articles()[2:])
    assert titles == [
        "La médiathèque de Brest a ouvert ses nouvelles salles lundi.",
        "Rapport annuel",
    ]
    assert any("✅ Ajouté : « Rapport annuel »" in status for status in statuses)
    library.close()
