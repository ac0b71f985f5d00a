"""Sending, editing and showing activity: what every handler uses to talk back.

Parse mode, link previews and quoting come from the application's `Defaults`; French
typography is set here, where every message leaves (`bot.telegram.typography`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Message
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, NetworkError, TelegramError

from bot.telegram.typography import french_spacing, french_spacing_html

T = TypeVar("T")
log = logging.getLogger("bot.telegram")
TYPING_AFTER_SECONDS = 0.5
PROGRESS_EVERY_SECONDS = 2.0
GROUP_PROGRESS_EVERY_SECONDS = 10.0


async def retrying(send: Callable[[], Awaitable[T]], attempts: int = 3) -> T:
    """Network errors are retried with a short back-off; Telegram's refusals are not. A read
    timeout (`TimedOut`) may come after Telegram delivered the message: it is retried all the
    same, as a user would rather read an answer twice than wait for one that never comes."""
    for attempt in range(attempts):
        try:
            return await send()
        except NetworkError as exc:
            if isinstance(exc, BadRequest) or attempt == attempts - 1:
                raise
            await asyncio.sleep(0.5 * 2**attempt)
    raise AssertionError("unreachable")


async def reply(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    text = french_spacing_html(text)
    return await retrying(lambda: message.reply_text(text, reply_markup=markup))


async def react(message: Message, emoji: str) -> None:
    """`emoji` as the bot's reaction to `message`: an acknowledgement that adds no message to the
    chat. A chat whose admins turned reactions off, or left this one out, refuses it: then
    nothing is shown, as nothing needed saying."""
    try:
        await retrying(lambda: message.set_reaction(emoji))
    except BadRequest as exc:
        log.info("reaction %s refused in chat %s: %s", emoji, message.chat_id, exc)


async def send(bot: Bot, chat_id: int, text: str) -> Message:
    """A message of ours that answers none (a note to an admin)."""
    return await bot.send_message(chat_id, french_spacing_html(text))


async def edit(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    await _edited(lambda html: message.edit_text(html, reply_markup=markup), text)


async def edit_sent(bot: Bot, chat_id: int, message_id: int, text: str) -> None:
    """`edit` of a message known by its ids alone (one that a process before this one sent)."""
    await _edited(lambda html: bot.edit_message_text(html, chat_id, message_id), text)


async def _edited(editing: Callable[[str], Awaitable[object]], text: str) -> None:
    html = french_spacing_html(text)
    try:
        await retrying(lambda: editing(html))
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def answer_press(query: CallbackQuery, text: str | None = None, *, show_alert: bool = False) -> None:
    """The answer to a button pressed: nothing, or a short note (`show_alert`: in a box to close)."""
    await query.answer(french_spacing(text) if text else None, show_alert=show_alert)


@contextlib.asynccontextmanager
async def typing(message: Message, after: float = TYPING_AFTER_SECONDS) -> AsyncIterator[None]:
    """Show "typing…" while the work lasts (Telegram clears it after 5 s). Not for work done
    within `after` seconds, like most answers: the indicator would only flicker before the
    reply, and each one is a request counted against the bot's flood limit (README,
    "Performance", has what it cost 20 users asking at once). Only in a private chat: in a
    group each would take one of the group's 20 messages a minute from the answers."""
    if message.chat.type != ChatType.PRIVATE:
        yield
        return

    async def keep_typing() -> None:
        await asyncio.sleep(after)
        while True:
            with contextlib.suppress(TelegramError):
                await message.reply_chat_action(ChatAction.TYPING)  # in its topic, where the chat has topics
            await asyncio.sleep(4)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()


class StatusProgress:
    """A `progress(done, total)` callback for work in a worker thread that edits one
    status message, at most every `every` seconds, from the event loop; `show` writes the
    outcome after the edits still on their way, so that a progress line retried after a
    network error never lands over it."""

    def __init__(
        self,
        status: Message,
        render: Callable[[int, int], str],
        loop: asyncio.AbstractEventLoop,
        every: float | None = None,
    ) -> None:
        """`every`: seconds between two progress lines; by default `PROGRESS_EVERY_SECONDS`,
        and `GROUP_PROGRESS_EVERY_SECONDS` in a group, where Telegram lets a bot send 20
        messages a minute (edits included) for everyone in it."""
        if every is None:
            every = PROGRESS_EVERY_SECONDS if status.chat.type == ChatType.PRIVATE else GROUP_PROGRESS_EVERY_SECONDS
        self.status, self.render, self.loop, self.every = status, render, loop, every
        self._last = time.monotonic()
        self._sent: list[concurrent.futures.Future] = []  # edits sent off, not yet known done

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if total and now - self._last >= self.every:
            self._sent = [f for f in self._sent if not f.done()]
            if self._sent:  # the last line still on its way (a flood limit): no queue of them
                return
            self._last = now
            self._sent.append(asyncio.run_coroutine_threadsafe(edit(self.status, self.render(done, total)), self.loop))

    async def show(self, text: str) -> None:
        """The status message says `text`, once the progress edits sent before have finished
        (call it when the work reporting progress is over)."""
        sent, self._sent = self._sent, []
        for future in sent:
            with contextlib.suppress(TelegramError):  # a progress line that could not be shown
                await asyncio.wrap_future(future)
        await edit(self.status, text)
