"""Status messages of work under way, so that those of a process that died (SIGKILL, a crash,
out of memory) are told at the next start rather than left at "⏳" (`bot.telegram.under_way`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.state.part import StatePart

StatusKind = Literal["ingest", "reindex", "follow"]


@dataclass(frozen=True)
class StatusUnderWay:
    """A status message ("⏳ …", "🔄 …") of work under way that has not said its outcome yet:
    an /ingest, a /reindex, or a /follow up to the end of its first poll."""

    chat_id: int
    message_id: int
    started: float
    kind: StatusKind
    # An ingest's: the keys its article will be known by in the library
    # (`index.ingest.article_keys`), once read; empty before: nothing of it can have been stored.
    hashes: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    # A follow's: the feed, once followed (None before: nothing of it was stored).
    feed_id: int | None = None


class StatusesState(StatePart):
    def status_started(self, bot_id: int, chat_id: int, message_id: int, owner: str, kind: StatusKind) -> None:
        now = self._clock()
        with self._transaction() as run:
            run(
                "INSERT INTO statuses_under_way(bot_id, chat_id, message_id, kind, owner, alive, started) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (bot_id, chat_id, message_id) DO NOTHING",
                (bot_id, chat_id, message_id, kind, owner, now, now),
            )

    def ingest_read(
        self, bot_id: int, chat_id: int, message_id: int, hashes: Sequence[str], links: Sequence[str]
    ) -> None:
        """The ingest has read its article, whose keys find it in the library once it is stored."""
        self._status_learnt(bot_id, chat_id, message_id, "keys", json.dumps([list(hashes), list(links)]))

    def feed_followed(self, bot_id: int, chat_id: int, message_id: int, feed_id: int) -> None:
        """The follow has stored its feed: followed, whatever becomes of its first poll."""
        self._status_learnt(bot_id, chat_id, message_id, "feed_id", feed_id)

    def _status_learnt(self, bot_id: int, chat_id: int, message_id: int, column: str, value: object) -> None:
        with self._transaction() as run:
            run(
                f"UPDATE statuses_under_way SET {column} = ? WHERE bot_id = ? AND chat_id = ? AND message_id = ?",
                (value, bot_id, chat_id, message_id),
            )

    def status_ended(self, bot_id: int, chat_id: int, message_id: int) -> None:
        """Its status message says the outcome: nothing left to tell."""
        with self._transaction() as run:
            run(
                "DELETE FROM statuses_under_way WHERE bot_id = ? AND chat_id = ? AND message_id = ?",
                (bot_id, chat_id, message_id),
            )

    def statuses_alive(self, owner: str) -> None:
        """`owner` is running still: its statuses are not another process's to take over."""
        with self._transaction() as run:
            run("UPDATE statuses_under_way SET alive = ? WHERE owner = ?", (self._clock(), owner))

    def take_over_statuses(self, bot_id: int, owner: str, silent_for: float | None) -> list[StatusUnderWay]:
        """The statuses of `bot_id` that another process left, made `owner`'s: those whose process
        has not said it was running for `silent_for` seconds, or all of them (None: `owner` is
        the only process of the bot, any other one is gone). Each is taken by one process."""
        now = self._clock()
        where = "bot_id = ? AND owner <> ?" + ("" if silent_for is None else " AND alive < ?")
        params = (bot_id, owner) + (() if silent_for is None else (now - silent_for,))
        with self._transaction() as run:
            rows = run(f"SELECT {_STATUS_COLUMNS} FROM statuses_under_way WHERE {where} ORDER BY started", params)
            run(f"UPDATE statuses_under_way SET owner = ?, alive = ? WHERE {where}", (owner, now, *params))
        return [_status(*row) for row in rows]


_STATUS_COLUMNS = "chat_id, message_id, started, kind, keys, feed_id"


def _status(
    chat_id: int, message_id: int, started: float, kind: StatusKind, keys: str | None, feed_id: int | None
) -> StatusUnderWay:
    hashes, links = json.loads(keys) if keys else ([], [])
    return StatusUnderWay(chat_id, message_id, started, kind, tuple(hashes), tuple(links), feed_id)
