"""What a user sends to add an article, in the forms people send it: an address typed without
https://, several links at once, a text too long for one Telegram message. The real application
in this process (`tests.telegram_in_process`) against the fake Bot API, and real pages on a
127.0.0.1 site."""

from __future__ import annotations

import asyncio

from tests.fake_telegram import FakeTelegram
from tests.telegram_in_process import TOKEN, bot_in_process, handle, private_message, two_article_library

USER = 720


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
