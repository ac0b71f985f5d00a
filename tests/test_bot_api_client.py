"""The bot's calls to the Bot API cost what sending costs: nothing in them looks for a module
to import once the first call is made (a failed import searches every folder of the path)."""

from __future__ import annotations

import asyncio
import sys
from importlib.abc import MetaPathFinder

from telegram import Bot

from tests.fake_telegram import FakeTelegram

TOKEN = "123456:TEST-token"


class LookupsRecorded(MetaPathFinder):
    """Notes every module Python looks for (one not imported yet), finding none itself."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(self, fullname, path, target=None):
        self.names.append(fullname)
        return None


def test_a_message_sent_after_the_first_looks_for_no_module():
    async def send(telegram: FakeTelegram) -> list[str]:
        async with Bot(TOKEN, base_url=telegram.base_url) as bot:
            await bot.send_message(chat_id=1, text="première")  # what a first call imports, it imports
            lookups = LookupsRecorded()
            sys.meta_path.insert(0, lookups)
            try:
                for number in range(5):
                    await bot.send_message(chat_id=1, text=f"réponse {number}")
            finally:
                sys.meta_path.remove(lookups)
        return lookups.names

    with FakeTelegram(TOKEN) as telegram:
        looked_for = asyncio.run(send(telegram))
        assert len(telegram.calls_to("sendMessage", 1)) == 6
    assert looked_for == []
