"""Inline answers kept a while for reuse, by every replica."""

from __future__ import annotations

import json

from bot.state.part import StatePart


class InlineCacheState(StatePart):
    def cached_inline(self, key: str, seconds: float) -> list[dict] | None:
        rows = self._query("SELECT results, created FROM inline_cache WHERE key = ?", (key,))
        if not rows or self._clock() - rows[0][1] > seconds:
            return None
        return json.loads(rows[0][0])

    def cache_inline(self, key: str, results: list[dict]) -> None:
        with self._transaction() as run:
            run(
                "INSERT INTO inline_cache(key, results, created) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET results = excluded.results, created = excluded.created",
                (key, json.dumps(results, ensure_ascii=False), self._clock()),
            )
