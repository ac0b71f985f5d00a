"""Inline queries as people type them. Telegram sends one at each pause in the typing ("Qui",
"Qui a été", "Qui a été nommée…"): searched and counted each, typing two questions used up a
user's whole per-minute limit. A query is searched only once its user has paused
(`TYPING_PAUSE_SECONDS` without a newer one), and one that goes on with the question the
user's last counted search asked, within a minute, is not counted again."""

from __future__ import annotations

import asyncio
import time

TYPING_PAUSE_SECONDS = 0.5  # a query followed this soon by the user's next was still being typed
SAME_QUESTION_SECONDS = 60.0  # a question typed on within this counts once
_FORGET_BEYOND = 10_000  # users remembered before those gone quiet are dropped


class InlineTyping:
    """Each user's latest inline query, and the question their last counted search asked
    (kept in this process: with replicas, a query typed on another one is counted there)."""

    def __init__(self, pause: float = TYPING_PAUSE_SECONDS) -> None:
        self.pause = pause
        self._latest: dict[int, str] = {}  # user → id of their newest inline query
        self._counted: dict[int, tuple[str, float]] = {}  # user → (question typed on, when first counted)

    async def settled(self, user_id: int, query_id: str) -> bool:
        """Whether this query is the one the user stopped at: False once a newer one came
        during the pause (it goes unanswered; Telegram shows the newer one's results)."""
        self._latest[user_id] = query_id
        await asyncio.sleep(self.pause)
        if self._latest.get(user_id) != query_id:
            return False
        del self._latest[user_id]
        return True

    def counts(self, user_id: int, question: str, now: float | None = None) -> bool:
        """Whether searching `question` counts against the user's limit: not when it goes on
        with the question of their last counted search, begun less than a minute ago."""
        now = time.monotonic() if now is None else now
        if len(self._counted) > _FORGET_BEYOND:
            self._counted = {u: c for u, c in self._counted.items() if now - c[1] < SAME_QUESTION_SECONDS}
        typed = " ".join(question.casefold().split())
        before = self._counted.get(user_id)
        if before is not None and typed.startswith(before[0]) and now - before[1] < SAME_QUESTION_SECONDS:
            self._counted[user_id] = (typed, before[1])
            return False
        self._counted[user_id] = (typed, now)
        return True
