"""Documents sent to the bot to be added, as people send them: too big for Telegram, several at
once. The real application in this process (`tests.telegram_in_process`) against the fake Bot
API, which serves the files as Telegram does (and refuses them as it does)."""

from __future__ import annotations

import asyncio

from bot.telegram import messages as msg
from tests.fake_telegram import DOWNLOAD_LIMIT, FakeTelegram
from tests.telegram_in_process import ADMIN, TOKEN, bot_in_process, handle, private_message, two_article_library

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
