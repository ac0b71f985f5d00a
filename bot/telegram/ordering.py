"""Updates handled concurrently, but each conversation's one after another.

The bot answers many chats at once (`Application.concurrent_updates`), yet a question and the
"La suite ?" typed right after it must be handled in that order: the second reads the topic
the first one leaves (`BotService.ask`), and its answer must come second. So updates of one
(chat, sender) wait for the ones before them, in the order Telegram gave them; inline queries
and updates without a chat go straight through.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_CONCURRENT_UPDATES = 256  # handled at once: PTB's own default for `concurrent_updates(True)`
WAITING_UPDATES = 100_000  # taken in, handled or waiting for their conversation's turn


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

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(WAITING_UPDATES)
        self._handling = asyncio.Semaphore(max_concurrent_updates)
        self._turns: dict[tuple[int, int], tuple[asyncio.Lock, int]] = {}  # lock, updates holding or awaiting it

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = conversation_of(update)
        if key is None:
            async with self._handling:
                await coroutine
            return
        lock, waiting = self._turns.get(key, (None, 0))
        lock = lock or asyncio.Lock()
        self._turns[key] = (lock, waiting + 1)
        try:
            async with lock, self._handling:  # first come, first served; then a place to run
                await coroutine
        finally:
            lock, waiting = self._turns[key]
            if waiting == 1:
                del self._turns[key]  # none behind: the lock is not kept for ever
            else:
                self._turns[key] = (lock, waiting - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
