"""Who may do what, and how often: pure rules, tested without Telegram."""

from __future__ import annotations

import time
from collections import defaultdict, deque

from bot.settings import Settings


def is_admin(user_id: int | None, settings: Settings) -> bool:
    return user_id is not None and user_id in settings.admin_user_ids


def may_ingest(user_id: int | None, settings: Settings) -> bool:
    return user_id is not None and (not settings.ingest_admins_only or is_admin(user_id, settings))


class QuestionRateLimiter:
    """At most `per_minute` questions per user in any sliding 60-second window."""

    def __init__(self, per_minute: int, clock=time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._asked: dict[int, deque[float]] = defaultdict(deque)

    def allow(self, user_id: int) -> bool:
        now = self._clock()
        asked = self._asked[user_id]
        while asked and now - asked[0] >= 60:
            asked.popleft()
        if len(asked) >= self.per_minute:
            return False
        asked.append(now)
        return True
