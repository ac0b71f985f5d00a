"""What handlers share, typed: the library, the bot's state and settings behind `context.service`."""

from __future__ import annotations

import asyncio
import functools
import secrets
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from telegram.ext import CallbackContext, ExtBot

from bot.feeds import FeedFollower
from bot.heartbeat import Outage, library_outage
from bot.service import StopRequest
from bot.settings import Settings
from bot.state import BotState
from bot.telegram.inline_typing import InlineTyping
from bot.telegram.pieces import Awaited
from index.conversation import Topic
from index.library import Answer, Library

if TYPE_CHECKING:
    from bot.telegram.heartbeat import Heartbeat

T = TypeVar("T")
LONG_WORK_THREADS = 2  # ingests (or a reindex) at once; the rest wait their turn


@dataclass
class BotService:
    """State shared by every handler of one bot process."""

    settings: Settings
    library: Library
    state: BotState
    follower: FeedFollower
    # Given up when the process stops and its work under way does not end in time
    # (`app.stop_gracefully`); the follower's polls check the same one (`create`).
    stop: StopRequest
    # Whether this process is the only one serving the bot (long polling, `app.the_only_poller`):
    # the work another one left under way is then a dead one's (`under_way`); among
    # replicas (`serve --webhook`), only those of one silent for long.
    alone: bool
    # This process, as the owner of the work it runs (`under_way`): a new one at each start.
    owner: str = field(default_factory=lambda: secrets.token_hex(8))
    reindexing: asyncio.Task | None = field(default=None)
    # Ingests started and not ended, by the user who asked for them (`ingest`, in this process).
    ingests_under_way: Counter[int] = field(default_factory=Counter)
    # Each person's turn on the long-work threads, while they have ingests under way (`ingest`).
    ingest_turns: dict[int, asyncio.Lock] = field(default_factory=dict)
    inline_typing: InlineTyping = field(default_factory=InlineTyping)
    # Threads of their own for work that takes seconds to minutes (downloading, embedding,
    # reindexing; polling feeds): on the event loop's default threads, six such jobs held
    # every one, and each question, button and inline query waited behind them.
    long_work: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(LONG_WORK_THREADS, thread_name_prefix="long-work")
    )
    feed_work: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="feeds"))
    # Held while the feeds' jobs are brought in line with the state (`follow.schedule_feeds`).
    feeds_scheduling: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Albums whose messages are still arriving, by (chat id, media group id) (`albums`).
    albums: Awaited = field(default_factory=dict)
    # Long texts sent with /ingest whose next parts are still arriving, by (chat id, sender id) (`ingest`).
    long_texts: Awaited = field(default_factory=dict)
    # Written every HEARTBEAT_SECONDS for `python -m bot health` (`serve` alone: None in tests in process).
    heartbeat: Heartbeat | None = None
    # Whether Telegram answers the long polls, as the log tells it (`errors.on_error`, `WatchedRequest`).
    polling_outage: Outage = field(default_factory=Outage)
    # Whether the library's database answers, as the log tells it (`errors.report_library_outage`, `heartbeat.beat`).
    library_outage: Outage = field(default_factory=library_outage)

    @classmethod
    def create(
        cls, settings: Settings, library: Library, state: BotState, *, alone: bool, heartbeat: Heartbeat | None = None
    ) -> BotService:
        stop = StopRequest()
        follower = FeedFollower(library, state, settings, checkpoint=stop.check)
        return cls(settings, library, state, follower, stop, alone, heartbeat=heartbeat)

    def may_ask(self, user_id: int) -> bool:
        """The per-user limit on questions, counted over every process sharing the state."""
        return self.state.allow_question(user_id, self.settings.questions_per_minute)

    def ask(self, chat_id: int, user_id: int | None, question: str, topic: Topic | None = None) -> Answer:
        """`question` answered in its asker's conversation: read with what it was about, if
        they asked within `FOLLOW_UP_MINUTES` and it refers back (`index.conversation`), or
        with `topic` when given (a button of an earlier answer); what it is about from now on
        remembered for every process sharing the state."""
        minutes = self.settings.follow_up_minutes
        remember = user_id is not None and minutes > 0
        if topic is None and remember:
            topic = self.state.topic(chat_id, user_id, minutes * 60)
        answer = self.library.ask(question, self.settings.top_k, topic=topic)
        if remember and answer.topic is not None:
            self.state.follow_topic(chat_id, user_id, answer.topic)
        return answer

    async def run_long(self, work: Callable[..., T], *args: object) -> T:
        """`work(*args)` on the long-work threads (ingests, a reindex): at most
        `LONG_WORK_THREADS` at once, the others queued, questions never behind them."""
        return await _run_on(self.long_work, work, *args)

    async def run_feed(self, work: Callable[..., T], *args: object) -> T:
        """`work(*args)` on the feeds' thread: one poll at a time, never an ingest's wait."""
        return await _run_on(self.feed_work, work, *args)

    def close(self) -> None:
        """Queued long work dropped; the running work finishes on its own threads."""
        for executor in (self.long_work, self.feed_work):
            executor.shutdown(wait=False, cancel_futures=True)

    @property
    def reindex_running(self) -> bool:
        return self.reindexing is not None and not self.reindexing.done()


async def _run_on(executor: ThreadPoolExecutor, work: Callable[..., T], *args: object) -> T:
    return await asyncio.get_running_loop().run_in_executor(executor, functools.partial(work, *args))


class Context(CallbackContext[ExtBot, dict, dict, dict]):
    """The callback context of every handler, with the service as a typed attribute."""

    @property
    def service(self) -> BotService:
        return self.bot_data["service"]
