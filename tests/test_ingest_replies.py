"""`/ingest` with what a message carries: a photo's caption, a replied message's article, never one of
the bot's own answers."""

from __future__ import annotations

import asyncio

from tests.fake_telegram import BOT_ID, FakeTelegram
from tests.telegram_html import visible_text
from tests.telegram_in_process import (
    PREFECT_QUESTION,
    TOKEN,
    bot_in_process,
    handle,
    private_message,
    two_article_library,
)

USER = 700


def test_ingest_in_reply_to_the_bot_s_own_answer_adds_nothing_and_says_why(tmp_path):
    library = two_article_library(tmp_path)

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            await handle(application, private_message(USER, PREFECT_QUESTION))
            answer = telegram.sent_message(USER, "blockquote")
            assert answer["from"]["id"] == BOT_ID
            await handle(application, private_message(USER, "/ingest", reply_to_message=answer))
            # A quote a user posted through the bot in inline mode ("via @bot")
            posted = {**answer, "from": {"id": USER, "is_bot": False, "first_name": "L"}, "via_bot": answer["from"]}
            await handle(application, private_message(USER, "/ingest", reply_to_message=posted))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        statuses = telegram.texts(USER)[-2:]
        assert all("l'une de mes réponses" in s and "Ajouté" not in s for s in statuses)
    assert library.stats().articles == 2  # neither was added as a third article
    library.close()


def test_a_photo_captioned_ingest_and_its_text_adds_that_text(tmp_path):
    library = two_article_library(tmp_path)
    photo = [{"file_id": "p1", "file_unique_id": "p1", "width": 10, "height": 10}]
    caption = "/ingest Le marché de Noël de Strasbourg ouvrira le 22 novembre avec 300 chalets, a annoncé la mairie."

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            command = [{"type": "bot_command", "offset": 0, "length": len("/ingest")}]
            sent = private_message(USER, None, photo=photo, caption=caption, caption_entities=command)
            await handle(application, sent)

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert "Ajouté" in telegram.texts(USER)[-1]
    assert library.stats().articles == 3
    library.close()


def test_a_post_forwarded_from_a_private_channel_is_dated_and_signed_as_the_channel_posted_it(tmp_path):
    """A private channel's post has no link: the channel's name and the post's day are what tell
    a reader where a quote of it comes from (not the day it was forwarded, nor nothing)."""
    library = two_article_library(tmp_path)
    channel = {"id": -100888, "type": "channel", "title": "La Gazette du Gers"}  # no username: private
    posted = 1_700_003_000  # 23:03 UTC on 14 November 2023: already the 15th in Paris
    origin = {"type": "channel", "date": posted, "chat": channel, "message_id": 9}
    text = "Le festival de jazz de Marciac accueillera 250 000 visiteurs cet été, selon les organisateurs."

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            forwarded = private_message(USER, text, forward_origin=origin)
            await handle(application, forwarded)
            await handle(application, private_message(USER, "/ingest", reply_to_message=forwarded["message"]))
            await handle(application, private_message(USER, "Qui a écrit l'article ?"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        status, card = telegram.texts(USER)[-2:]
        assert "Ajouté" in status and "(15 novembre 2023)" in status
        assert "signé La Gazette du Gers" in card and "Date : 15 novembre 2023" in card
    library.close()


def test_a_channel_post_forwarded_with_its_photo_is_taken_for_an_article_as_a_text_post_is(tmp_path):
    """News channels post a photo with the article as its caption: forwarded, the sender is told
    how to add it, not that the bot reads only text."""
    library = two_article_library(tmp_path)
    photo = [{"file_id": "p2", "file_unique_id": "p2", "width": 10, "height": 10}]
    channel = {"id": -100777, "type": "channel", "title": "Info Gers", "username": "infogers"}
    origin = {"type": "channel", "date": 1_700_000_000, "chat": channel, "message_id": 43}
    caption = "Le festival de jazz de Marciac accueillera 250 000 visiteurs cet été, selon les organisateurs."

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            forwarded = private_message(USER, photo=photo, caption=caption, forward_origin=origin)
            await handle(application, forwarded)
            await handle(application, private_message(USER, "/ingest", reply_to_message=forwarded["message"]))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        hint, status = telegram.texts(USER)[-2:]
        assert "ressemble à un article" in hint and "répondez-y avec <code>/ingest</code>" in hint
        assert "Ajouté" in status
    library.close()


def test_pasted_text_under_a_title_line_with_a_date_line_keeps_both_apart(tmp_path):
    """The help says the first line may be the title, and `date:` lines may be given: typed
    together, as a head is typed, the date line is the article's date, not the title's end."""
    library = two_article_library(tmp_path)
    pasted = (
        "/ingest La piscine municipale rouvre\ndate: 2024-06-12\nauteur: Anne Le Goff\n\n"
        "La piscine municipale de Quimper rouvrira le 1er juillet après deux ans de travaux, a annoncé la mairie."
    )

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            await handle(application, private_message(USER, pasted))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert telegram.texts(USER)[-1].startswith("✅ Ajouté : « La piscine municipale rouvre » (12 juin 2024)")
    added = library.articles()[-1]
    assert (added.title, added.date, added.author) == ("La piscine municipale rouvre", "2024-06-12", "Anne Le Goff")
    library.close()


def test_ingest_alone_says_how_to_give_the_article_and_starts_nothing(tmp_path):
    """/ingest tapped in the command menu: no "⏳ Ajout de l'article…" turning into a failure,
    but how to give it the article, as /ask alone says how to ask."""
    library = two_article_library(tmp_path)

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            await handle(application, private_message(USER, "/ingest"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        (said,) = map(visible_text, telegram.texts(USER))  # one message, never edited into another
        assert said.startswith("Envoyez l'article avec la commande : /ingest https://")
        assert "légende /ingest" in said and "⏳" not in said and "⚠️" not in said
        assert not telegram.calls_to("editMessageText", USER)
    assert library.stats().articles == 2
    library.close()


def test_ingest_in_reply_to_a_sticker_says_that_message_holds_nothing_to_add(tmp_path):
    library = two_article_library(tmp_path)
    sticker = {"file_id": "s1", "file_unique_id": "s1", "type": "regular", "width": 9, "height": 9}
    sticker.update(is_animated=False, is_video=False)

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            replied = private_message(USER, None, sticker=sticker)["message"]
            await handle(application, private_message(USER, "/ingest", reply_to_message=replied))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert telegram.texts(USER)[-1] == (
            "⚠️ Je n'ai pas pu ajouter cet article : le message auquel vous répondez n'a ni texte, ni lien, "
            "ni document à ajouter."
        )
    assert library.stats().articles == 2
    library.close()


def test_a_corrected_article_sent_again_is_said_to_differ_from_the_stored_one_and_how_to_replace_it(tmp_path):
    """The same page (its link) with its text corrected since: the library keeps the version it
    has (README, *Article formats*), and the sender is told that it is another version, and how
    an admin replaces it; the same text sent again is only said to be there."""
    library = two_article_library(tmp_path)
    first = "titre: La piscine rouvre\nurl: https://exemple.fr/piscine\n\nLa piscine de Rennes rouvre lundi."
    corrected = first.replace("lundi", "mardi, et non lundi comme annoncé")

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            for text in (first, corrected, first):
                await handle(application, private_message(USER, f"/ingest {text}"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        added, changed, same = telegram.texts(USER)
        assert "Ajouté : « La piscine rouvre »" in added and "article 3" in added
        assert "déjà dans la bibliothèque" in changed and "article 3" in changed
        assert "autre version" in changed and "/delete 3" in changed
        assert "déjà dans la bibliothèque" in same and "autre version" not in same and "/delete" not in same
    assert library.stats().articles == 3
    assert "mardi" not in library.article_texts([3])[3][1]  # the stored version kept as it was
    library.close()


def test_a_short_line_or_a_question_typed_after_ingest_is_refused_as_no_article(tmp_path):
    """ "/ingest Ceci est court." was added as an article of three words, and a question typed after
    /ingest as an article titled with it; a brief of one sentence, or a short text under its title
    line, is still added."""
    library = two_article_library(tmp_path)
    typed = [
        "/ingest Ceci est court.",
        "/ingest Qui a été nommée préfète de la région Bretagne ?",
        "/ingest Le marché de Noël de Strasbourg ouvre samedi place Kléber, a annoncé la mairie.",
        "/ingest Le marché de Colmar\n\nIl ouvre samedi.",
    ]

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            for text in typed:
                await handle(application, private_message(USER, text))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        short, question, brief, titled = telegram.texts(USER)
        assert short == (
            "⚠️ Je n'ai pas pu ajouter cet article : ce texte de 3 mots est bien court pour un article ; collez "
            "l'article entier après /ingest (son titre sur la première ligne, au besoin), ou l'adresse de sa page."
        )
        assert "ce texte est une question, pas un article ; posez-la sans /ingest." in question
        assert brief.startswith("✅ Ajouté") and titled.startswith("✅ Ajouté : « Le marché de Colmar »")
    assert library.stats().articles == 4
    library.close()
