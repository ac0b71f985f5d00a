"""Work under way, its status message remembered in the bot's state until it says how the work
ended: an /ingest, a /reindex, a /follow up to the end of its first poll. A process that stops
gracefully tells its users itself (`app.stop_gracefully`); one that dies mid-way (SIGKILL, a
crash, out of memory) cannot, and its "⏳ …" stayed for ever, its user never learning that the
article was not added, the library not rebuilt, or whether the feed was followed. The next
process tells them instead: an article that was stored before the death is said to be (the
library is asked for it by the keys remembered once it was read), any other to be sent again; a
rebuild, that the library is as it was (a rebuild cut short leaves it in place); a feed stored
before the death, that it is followed (its articles come at its next poll), any other to be
followed again.

Which process tells them: in long polling the bot's only process, at its start, all the
statuses left (the one before it is gone: `app.the_only_poller`); among replicas (`serve
--webhook`), which all run such work, any replica, those of a replica that has not said it was
running for `SILENT_SECONDS` (each says so every `ALIVE_EVERY_SECONDS`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import datetime

from telegram import Message
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application

from bot.state import BotState
from bot.state.statuses import StatusKind, StatusUnderWay
from bot.telegram import feed_messages as fmsg
from bot.telegram import messages as msg
from bot.telegram.context import BotService, Context
from bot.telegram.sending import edit_sent
from index.documents import Document
from index.ingest import article_keys
from index.store import ArticleRow

log = logging.getLogger("bot.telegram")
ALIVE_EVERY_SECONDS = 60
# A replica silent for this long is gone: its statuses are told by another.
SILENT_SECONDS = 5 * ALIVE_EVERY_SECONDS


class Remembered:
    """What the work learns on its way that says, after a death, how far it went."""

    def __init__(self, state: BotState, where: tuple[int, int, int]) -> None:
        self._state, self._where = state, where

    async def article_read(self, document: Document) -> None:
        """An ingest's article, read: found in the library by its keys once stored."""
        await asyncio.to_thread(self._keys_read, document)

    def _keys_read(self, document: Document) -> None:  # in a worker thread: a long text's hash takes time
        self._state.ingest_read(*self._where, *article_keys(document))

    async def feed_followed(self, feed_id: int) -> None:
        """A follow's feed, stored: followed, whatever becomes of its first poll."""
        await asyncio.to_thread(self._state.feed_followed, *self._where, feed_id)


@contextlib.asynccontextmanager
async def remembered(service: BotService, status: Message, kind: StatusKind) -> AsyncIterator[Remembered]:
    """The work of `kind` whose status message is `status`, remembered until the block ends (its
    status says the outcome by then)."""
    state, where = service.state, (status.get_bot().id, status.chat_id, status.message_id)
    await asyncio.to_thread(state.status_started, *where, service.owner, kind)
    try:
        yield Remembered(state, where)
    finally:
        await asyncio.to_thread(state.status_ended, *where)


def ingest_interrupted_html(ingest: StatusUnderWay, stored: ArticleRow | None) -> str:
    """What the status message of an ingest whose process died says: the article as stored
    (added then, or in the library before it), or that it was not added."""
    if stored is None:
        return msg.INGEST_INTERRUPTED
    added = datetime.fromisoformat(stored.added_at.replace("Z", "+00:00")).timestamp()
    # `added_at` is to the second: an article added in the second the ingest started is its own.
    return msg.ingest_html("added" if added >= int(ingest.started) else "duplicate", stored)


def interrupted_html(service: BotService, status: StatusUnderWay) -> str:
    """What a status left by a dead process says, from what the library and the state hold."""
    if status.kind == "reindex":  # a rebuild cut short leaves the library in place
        return msg.REINDEX_INTERRUPTED
    if status.kind == "follow":
        return fmsg.follow_interrupted_html(None if status.feed_id is None else service.state.feed(status.feed_id))
    # An ingest that died before its article was read stored nothing of it.
    stored = service.library.stored_under(status.hashes, status.links) if status.hashes else None
    return ingest_interrupted_html(status, stored)


async def tell_interrupted(application: Application, silent_for: float | None) -> None:
    """The status messages another process left (`BotState.take_over_statuses`) say how their
    work ended. One Telegram refuses for good (deleted, a chat that blocked the bot) is dropped;
    one it could not be reached for is told at the next start."""
    service: BotService = application.bot_data["service"]
    bot = application.bot
    left = await asyncio.to_thread(service.state.take_over_statuses, bot.id, service.owner, silent_for)
    for status in left:
        text = await asyncio.to_thread(interrupted_html, service, status)
        try:
            await edit_sent(bot, status.chat_id, status.message_id, text)
        except (BadRequest, Forbidden) as exc:
            log.info("%s status %s/%s could not be told: %s", status.kind, status.chat_id, status.message_id, exc)
        except TelegramError as exc:
            log.warning("%s status %s/%s not told yet: %s", status.kind, status.chat_id, status.message_id, exc)
            continue
        await asyncio.to_thread(service.state.status_ended, bot.id, status.chat_id, status.message_id)
    if left:
        log.info("%d statuses left under way by a stopped process told to their users", len(left))


async def start(application: Application) -> None:
    """At the start: the statuses left told (all of them when this process is the bot's only
    one), and this process's said to be running from now on."""
    service: BotService = application.bot_data["service"]
    try:
        await tell_interrupted(application, None if service.alone else SILENT_SECONDS)
    except Exception:  # the bot serves all the same; those left are told at the next start
        log.exception("could not tell the statuses left under way")
    application.job_queue.run_repeating(still_running, ALIVE_EVERY_SECONDS, name="statuses-under-way")


async def still_running(context: Context) -> None:
    """This process's statuses are its own still; among replicas, those of one gone are told."""
    service = context.service
    await asyncio.to_thread(service.state.statuses_alive, service.owner)
    if not service.alone:
        await tell_interrupted(context.application, SILENT_SECONDS)
