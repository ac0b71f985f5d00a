"""The typing indicator: shown while slow work lasts, not for answers that come at once."""

import asyncio

from bot.telegram.sending import typing


class FakeChat:
    type = "private"  # in groups there is no indicator (`test_telegram_groups`)

    def __init__(self) -> None:
        self.actions: list[str] = []


class FakeMessage:
    def __init__(self) -> None:
        self.chat = FakeChat()

    async def reply_chat_action(self, action) -> None:  # PTB sends it in the message's topic, if any
        self.chat.actions.append(str(action))


def work_under_typing(seconds: float, after: float) -> list[str]:
    message = FakeMessage()

    async def run() -> None:
        async with typing(message, after=after):
            await asyncio.sleep(seconds)

    asyncio.run(run())
    return message.chat.actions


def test_slow_work_shows_typing_until_it_is_done():
    assert work_under_typing(0.4, after=0.05) == ["typing"]


def test_a_quick_answer_sends_no_typing_action():
    assert work_under_typing(0.01, after=0.3) == []
