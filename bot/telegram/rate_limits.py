"""Telegram's flood limits, kept chat by chat.

PTB's `AIORateLimiter` holds the bot to Telegram's rates (30 messages a second overall, 20 a
minute in a group) and retries a request Telegram refused for flooding (429, `RetryAfter`);
but while it waits out that refusal it holds every request of the bot, whatever the chat: one
busy group's refused answer kept private users, button presses and inline queries waiting up
to `retry_after` each time it was retried (and Telegram gives up on an unanswered button or
inline query). Here the same rates apply, and a refusal pauses only the chat it came for."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

log = logging.getLogger("bot.telegram")

# Chats whose pause is over are forgotten once more than this many have been paused.
REMEMBERED_PAUSES = 1024


class ChatByChatRateLimiter(AIORateLimiter):
    """`AIORateLimiter`'s rates; its retries done here, each chat paused on its own."""

    def __init__(self, max_retries: int = 3) -> None:
        # The base class never retries, so its pause of every request is never taken.
        super().__init__(max_retries=0)
        self._retries = max_retries
        self._paused_until: dict[str, float] = {}  # chat id (as Telegram was sent it): loop time
        logging.getLogger("telegram.ext.AIORateLimiter").addFilter(_without_base_retry_reports)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        retries = rate_limit_args or self._retries
        chat = str(data.get("chat_id"))  # "None": requests of no chat (button and inline answers)
        loop = asyncio.get_running_loop()
        for attempt in range(retries + 1):
            pause = self._paused_until.get(chat, 0.0) - loop.time()
            if pause > 0:
                await asyncio.sleep(pause)
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, 0)
            except RetryAfter as refused:
                if attempt == retries:
                    log.warning("chat %s: flood limit, %s given up after %d retries", chat, endpoint, retries)
                    raise
                wait = refused._retry_after.total_seconds() + 0.1  # as PTB's own limiter reads it
                log.info("chat %s: flood limit, %s retried in %.1f s", chat, endpoint, wait)
                self._paused_until[chat] = max(self._paused_until.get(chat, 0.0), loop.time() + wait)
                if len(self._paused_until) > REMEMBERED_PAUSES:
                    now = loop.time()
                    self._paused_until = {key: end for key, end in self._paused_until.items() if end > now}
        raise AssertionError("unreachable: the last attempt returns or raises")


def _without_base_retry_reports(record: logging.LogRecord) -> bool:
    """The base class reports each refusal as a failure "after maximum of 0 retries": the
    retries are this module's, which says what it does."""
    return not str(record.msg).startswith("Rate limit hit after maximum of")
