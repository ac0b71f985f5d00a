"""A conversation's messages as people send them: several at once, or a greeting before a
follow-up. The real application in this process (`tests.telegram_in_process`), fed by its
own long polling of the fake Bot API, over a real library on the hashing embedder."""

from __future__ import annotations

import asyncio
import time

from index.documents import parse_text
from index.library import Library
from tests.conftest import HashingEmbedder
from tests.fake_telegram import FakeTelegram
from tests.telegram_in_process import TOKEN, bot_in_process, private_message

PREFECT = (
    "Le préfet de région nommé\n\nMarie Dupont a été nommée préfète de la région Bretagne mercredi. "
    "Elle occupait auparavant le poste de directrice de cabinet du ministre de l'Intérieur.\n\n"
    "Marie Dupont, préfète de la région Bretagne, a visité le port de Brest jeudi. "
    "La préfète de région a rencontré les pêcheurs et les élus du Finistère pendant trois heures."
)
BEAVER = (
    "Le castor revient en Loire\n\nLe castor d'Europe a recolonisé trente kilomètres de berges de la Loire. "
    "Les naturalistes ont compté quarante familles de castors cette année."
)
QUESTION = "Qui a été nommée préfète de la région Bretagne ?"


def library_of(tmp_path) -> Library:
    library = Library(tmp_path / "index", HashingEmbedder(), max_words=30)
    library.ingest([parse_text(text) for text in (PREFECT, BEAVER)])
    return library


def replies_to(telegram: FakeTelegram, chat_id: int) -> list[str]:
    return [c.params["text"] for c in telegram.calls_to("sendMessage", chat_id)]


async def polled(telegram: FakeTelegram, application, users: list[int], replies: int) -> None:
    """The bot polling until each user has `replies` replies (a minute at most)."""
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    await application.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(len(replies_to(telegram, u)) >= replies for u in users):
        await asyncio.sleep(0.1)
    await application.updater.stop()
    await application.stop()


def test_a_question_and_la_suite_sent_together_are_answered_in_order(tmp_path):
    library = library_of(tmp_path)
    users = list(range(500, 506))

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            for user in users:  # typed in quick succession, or queued while the bot restarted
                telegram.push(private_message(user, QUESTION))
                telegram.push(private_message(user, "La suite ?"))
            await polled(telegram, application, users, replies=2)

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        for user in users:
            answer, read_on = replies_to(telegram, user)
            assert QUESTION in answer and "Marie Dupont" in answer
            assert "↪ suite de « Qui a été nommée préfète" in read_on
    library.close()


def test_a_follow_up_opened_by_a_greeting_or_thanks_follows_the_conversation(tmp_path):
    library = library_of(tmp_path)
    user = 600

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            for text in (QUESTION, "Bonjour, la suite ?", "Merci ! Et que fait-elle jeudi ?"):
                telegram.push(private_message(user, text))
            await polled(telegram, application, [user], replies=3)

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        _, read_on, follow_up = replies_to(telegram, user)
        assert "<b>La suite ?</b>" in read_on and "↪ suite de « Qui a été nommée préfète" in read_on
        assert "↪ suite de" in follow_up and "port de Brest jeudi" in follow_up
    library.close()
