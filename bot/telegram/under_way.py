"""Ingests under way, remembered in the bot's state until their status message says how they
ended. A process that stops gracefully tells its users itself (`app.stop_gracefully`); one that
dies mid-way (SIGKILL, a crash, out of memory) cannot, and its "⏳ …" stayed for ever, its user
never learning that the article was not added. The next process tells them instead: an
article that was stored before the death is said to be (the library is asked for it by the
keys remembered once it was read), any other to be sent again.

Which process tells them: in long polling the bot's only process, at its start, all the
ingests left (the one before it is gone: `app.the_only_poller`); among replicas (`serve
--webhook`), which all run ingests, any replica, those of a replica that has not said it was
running for `SILENT_SECONDS` (each says so every `ALIVE_EVERY_SECONDS`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime

from telegram import Message
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application

from bot.state import IngestUnderWay
from bot.telegram import messages as msg
from bot.telegram.context import BotService, Context
from bot.telegram.sending import edit_sent
from index.documents import Document
from index.ingest import article_keys
from index.store import ArticleRow

log = logging.getLogger("bot.telegram")
ALIVE_EVERY_SECONDS = 60
# A replica silent for this long is gone: its ingests are told by another.
SILENT_SECONDS = 5 * ALIVE_EVERY_SECONDS
ArticleRead = Callable[[Document], Awaitable[None]]


@contextlib.asynccontextmanager
async def remembered(service: BotService, status: Message) -> AsyncIterator[ArticleRead]:
    """The ingest whose status message is `status`, remembered until the block ends (its status
    says the outcome by then); what the block is given is to be told the article once read."""
    state, where = service.state, (status.get_bot().id, status.chat_id, status.message_id)
    await asyncio.to_thread(state.ingest_started, *where, service.owner)

    def remember_keys(document: Document) -> None:
        state.ingest_read(*where, *article_keys(document))

    async def read(document: Document) -> None:
        await asyncio.to_thread(remember_keys, document)

    try:
        yield read
    finally:
        await asyncio.to_thread(state.ingest_ended, *where)


def interrupted_html(ingest: IngestUnderWay, stored: ArticleRow | None) -> str:
    """What the status message of an ingest whose process died says: the article as stored
    (added then, or in the library before it), or that it was not added."""
    if stored is None:
        return msg.INGEST_INTERRUPTED
    added = datetime.fromisoformat(stored.added_at.replace("Z", "+00:00")).timestamp()
    # `added_at` is to the second: an article added in the second the ingest started is its own.
    return msg.ingest_html("added" if added >= int(ingest.started) else "duplicate", stored)


def stored_as(service: BotService, ingest: IngestUnderWay) -> ArticleRow | None:
    if not ingest.hashes:  # died before its article was read: nothing of it was stored
        return None
    return service.library.stored_under(ingest.hashes, ingest.links)


async def tell_interrupted(application: Application, silent_for: float | None) -> None:
    """The status messages of the ingests another process left (`BotState.take_over_ingests`)
    say how each ended. One Telegram refuses for good (deleted, a chat that blocked the bot) is
    dropped; one it could not be reached for is told at the next start."""
    service: BotService = application.bot_data["service"]
    bot = application.bot
    left = await asyncio.to_thread(service.state.take_over_ingests, bot.id, service.owner, silent_for)
    for ingest in left:
        text = interrupted_html(ingest, await asyncio.to_thread(stored_as, service, ingest))
        try:
            await edit_sent(bot, ingest.chat_id, ingest.message_id, text)
        except (BadRequest, Forbidden) as exc:
            log.info("ingest status %s/%s could not be told: %s", ingest.chat_id, ingest.message_id, exc)
        except TelegramError as exc:
            log.warning("ingest status %s/%s not told yet: %s", ingest.chat_id, ingest.message_id, exc)
            continue
        await asyncio.to_thread(service.state.ingest_ended, bot.id, ingest.chat_id, ingest.message_id)
    if left:
        log.info("%d ingests left by a stopped process told to their users", len(left))


async def start(application: Application) -> None:
    """At the start: the ingests left told (all of them when this process is the bot's only
    one), and this process's said to be running from now on."""
    service: BotService = application.bot_data["service"]
    try:
        await tell_interrupted(application, None if service.alone else SILENT_SECONDS)
    except Exception:  # the bot serves all the same; those left are told at the next start
        log.exception("could not tell the ingests left under way")
    application.job_queue.run_repeating(still_running, ALIVE_EVERY_SECONDS, name="ingests-under-way")


async def still_running(context: Context) -> None:
    """This process's ingests are its own still; among replicas, those of one gone are told."""
    service = context.service
    await asyncio.to_thread(service.state.ingests_alive, service.owner)
    if not service.alone:
        await tell_interrupted(context.application, SILENT_SECONDS)
