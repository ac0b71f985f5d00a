"""Updates handled concurrently, but each conversation's one after another.

The bot answers many chats at once (`Application.concurrent_updates`), yet a question and the
"La suite ?" typed right after it must be handled in that order: the second reads the topic
the first one leaves (`BotService.ask`), and its answer must come second. So updates of one
(chat, sender) wait for the ones before them, in the order Telegram gave them; inline queries
and updates without a chat go straight through.

A group's members are each a conversation, but the group's answers all wait for its 20
messages a minute (`rate_limits`): three hundred members asking at once held every place to
run, and a private question waited two minutes behind them. A group holds at most
`GROUP_PLACES` of them; its other updates wait for one without holding any.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_CONCURRENT_UPDATES = 256  # handled at once: PTB's own default for `concurrent_updates(True)`
WAITING_UPDATES = 100_000  # taken in, handled or waiting for their conversation's turn
GROUP_PLACES = 20  # of them a group's updates hold: it may send 20 messages a minute, more only wait
# A lock or semaphore by key, with the number of updates holding or awaiting it.
Holders = dict[Hashable, tuple[Any, int]]


def conversation_of(update: object) -> tuple[int, int] | None:
    """The (chat, sender) an update belongs to; None for those of no conversation."""
    if not isinstance(update, Update) or update.inline_query or update.chosen_inline_result:
        return None
    chat, sender = update.effective_chat, update.effective_sender
    if chat is None:
        return None
    return chat.id, sender.id if sender is not None else chat.id


class OneConversationAtATime(BaseUpdateProcessor):
    """PTB's own limit on updates handled at once is taken before `do_process_update`, so
    updates waiting for their conversation's turn would hold it (one person's 300 forwarded
    messages, all of the 256 places): that limit is left wide, and this one taken once an
    update's turn has come."""

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES, group_places: int = GROUP_PLACES) -> None:
        super().__init__(WAITING_UPDATES)
        self._handling = asyncio.Semaphore(max_concurrent_updates)
        self._group_places = group_places
        self._turns: Holders = {}  # conversation: its lock
        self._groups: Holders = {}  # group chat: its places

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = conversation_of(update)
        if key is None:
            async with self._handling:
                await coroutine
            return
        chat = key[0]
        group = (
            _shared(self._groups, chat, lambda: asyncio.Semaphore(self._group_places))
            if chat < 0  # groups, supergroups and channels have negative ids
            else contextlib.nullcontext()
        )
        # First come, first served in the conversation; then one of the group's places; then a place to run.
        async with _shared(self._turns, key, asyncio.Lock), group, self._handling:
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


@contextlib.asynccontextmanager
async def _shared(table: Holders, key: Hashable, make: Callable[[], Any]) -> AsyncIterator[None]:
    """`table[key]`'s lock or semaphore (made when none is there) held; forgotten once no
    update holds or awaits it, so that the table never keeps every chat ever seen."""
    primitive, users = table.get(key, (None, 0))
    primitive = primitive or make()
    table[key] = (primitive, users + 1)
    try:
        async with primitive:
            yield
    finally:
        primitive, users = table[key]
        if users == 1:
            del table[key]
        else:
            table[key] = (primitive, users - 1)
