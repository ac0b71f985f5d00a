"""What handlers share, typed: the library, the bot's state and settings behind `context.service`."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from telegram.ext import CallbackContext, ExtBot

from bot.feeds import FeedFollower
from bot.settings import Settings
from bot.state import BotState
from bot.telegram.inline_typing import InlineTyping
from index.conversation import Topic
from index.library import Answer, Library


@dataclass
class BotService:
    """State shared by every handler of one bot process."""

    settings: Settings
    library: Library
    state: BotState
    follower: FeedFollower
    reindexing: asyncio.Task | None = field(default=None)
    inline_typing: InlineTyping = field(default_factory=InlineTyping)

    @classmethod
    def create(cls, settings: Settings, library: Library, state: BotState) -> BotService:
        return cls(settings, library, state, FeedFollower(library, state, settings))

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

    @property
    def reindex_running(self) -> bool:
        return self.reindexing is not None and not self.reindexing.done()


class Context(CallbackContext[ExtBot, dict, dict, dict]):
    """The callback context of every handler, with the service as a typed attribute."""

    @property
    def service(self) -> BotService:
        return self.bot_data["service"]
