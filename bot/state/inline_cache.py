"""Inline answers kept a while for reuse, by every replica."""

from __future__ import annotations

import json

from bot.state.part import Run, StatePart


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

    def _forget_inline_expired(self, run: Run) -> None:
        """Inline answers no cache reuses any more (kept over an hour), in the caller's transaction."""
        run("DELETE FROM inline_cache WHERE created < ?", (self._clock() - 3600,))

    def _forget_inline(self, run: Run) -> None:
        """Every inline answer kept (every replica's), in the caller's transaction."""
        run("DELETE FROM inline_cache")
