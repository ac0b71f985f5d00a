"""What handlers share, typed: the library and settings behind `context.service`."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from telegram.ext import CallbackContext, ExtBot

from bot.permissions import QuestionRateLimiter
from bot.settings import Settings
from index.library import Library


@dataclass
class BotService:
    """State shared by every handler of one bot process."""

    settings: Settings
    library: Library
    limiter: QuestionRateLimiter
    reindexing: asyncio.Task | None = field(default=None)

    @classmethod
    def create(cls, settings: Settings, library: Library) -> BotService:
        return cls(settings, library, QuestionRateLimiter(settings.questions_per_minute))

    @property
    def reindex_running(self) -> bool:
        return self.reindexing is not None and not self.reindexing.done()


class Context(CallbackContext[ExtBot, dict, dict, dict]):
    """The callback context of every handler, with the service as a typed attribute."""

    @property
    def service(self) -> BotService:
        return self.bot_data["service"]
