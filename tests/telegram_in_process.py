"""The real application (`bot.telegram.app.build_application`) handling updates in the test's
own process, against the fake Bot API: for what needs a library or a moment chosen by the test
(a stand-in library that fails on cue, a real one on the hashing embedder, updates sent at once).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from telegram import Update
from telegram.ext import Application

from bot.settings import Settings
from bot.state import BotState
from bot.telegram.app import build_application
from index.documents import parse_text
from index.library import Library
from tests.conftest import HashingEmbedder
from tests.fake_telegram import FakeTelegram

TOKEN = "123456:in-process-test-token"
ADMIN = 1001
_ids = itertools.count(1)


@contextlib.asynccontextmanager
async def bot_in_process(
    telegram: FakeTelegram,
    library: object,
    data: Path,
    clock: Callable[[], float] = time.time,
    **settings: object,
) -> AsyncIterator[tuple[Application, BotState]]:
    """The bot's application over `library`, its state in `data` (read with `clock`);
    `settings` as the environment would set them (`questions_per_minute=5`)."""
    state = BotState.open(data / "bot.sqlite3", clock=clock)
    configured = Settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_base_url=telegram.base_url,
        telegram_base_file_url=telegram.base_file_url,
        data_dir=data,
        **{"admin_user_ids": str(ADMIN), **settings},
    )
    application = build_application(configured, library, state, alone=True)
    await application.initialize()
    await application.start()  # its job queue, and the updates a test's polling puts in its queue
    try:
        yield application, state
    finally:
        await application.stop()
        await application.shutdown()
        state.close()


async def handle(application: Application, update: dict) -> None:
    """`update` handled to its end (handlers, error handler, and the work of handlers that do
    not block the conversation: `block=False`), as the application would."""
    before = asyncio.all_tasks()
    await application.process_update(as_update(application, update))
    started = asyncio.all_tasks() - before - {asyncio.current_task()}
    await asyncio.gather(*started)


def as_update(application: Application, update: dict) -> Update:
    return Update.de_json({"update_id": next(_ids), **update}, application.bot)


def private_message(chat_id: int, text: str | None = None, **extra) -> dict:
    return chat_message({"id": chat_id, "type": "private"}, chat_id, text, **extra)


def chat_message(chat: dict, sender: int, text: str | None = None, **extra) -> dict:
    message = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": chat,
        "from": {"id": sender, "is_bot": False, "first_name": "Lectrice"},
        **extra,
    }
    if text is not None:
        message["text"] = text
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"message": message}


def pressed(user_id: int, message: dict, data: str, query_id: str | None = None) -> dict:
    """`user_id` pressing the button carrying `data` under `message`."""
    who = {"id": user_id, "is_bot": False, "first_name": "Lectrice"}
    query = {"id": query_id or str(next(_ids)), "from": who, "chat_instance": "1", "message": message, "data": data}
    return {"callback_query": query}


async def delete_as_admin(application: Application, telegram: FakeTelegram, article_id: int) -> None:
    """`/delete article_id` sent by an admin, who then confirms with its "🗑 Supprimer" button."""
    await handle(application, private_message(ADMIN, f"/delete {article_id}"))
    question, delete = telegram.button(ADMIN, "🗑 Supprimer")
    await handle(application, pressed(ADMIN, question, delete))


# A small real library for these tests: two short articles, on the hashing embedder.
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
PREFECT_QUESTION = "Qui a été nommée préfète de la région Bretagne ?"


def two_article_library(directory: Path) -> Library:
    """A library in `directory` holding `PREFECT` and `BEAVER`."""
    return library_of(directory, PREFECT, BEAVER)


def library_of(directory: Path, *texts: str) -> Library:
    """A small real library in `directory` holding `texts`, on the hashing embedder."""
    library = Library(directory / "index", HashingEmbedder(), max_words=30)
    library.ingest([parse_text(text) for text in texts])
    return library
