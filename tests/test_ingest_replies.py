"""`/ingest` with what a message carries: a photo's caption, a replied message's article, never one of
the bot's own answers."""

from __future__ import annotations

import asyncio

from tests.fake_telegram import BOT_ID, FakeTelegram
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
