"""Followed channels."""

from __future__ import annotations

from dataclasses import dataclass

from bot.state.part import StatePart


@dataclass(frozen=True)
class ChannelRow:
    chat_id: int
    title: str
    username: str | None


class ChannelsState(StatePart):
    def add_channel(self, chat_id: int, title: str, username: str | None, added_by: int | None) -> None:
        with self._transaction() as run:
            run(
                "INSERT INTO channels(chat_id, title, username, added_by, created) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (chat_id) DO UPDATE SET title = excluded.title, username = excluded.username",
                (chat_id, title, username, added_by, self._clock()),
            )

    def channel(self, chat_id: int) -> ChannelRow | None:
        rows = self._query("SELECT chat_id, title, username FROM channels WHERE chat_id = ?", (chat_id,))
        return ChannelRow(*rows[0]) if rows else None

    def channels(self) -> list[ChannelRow]:
        return [ChannelRow(*row) for row in self._query("SELECT chat_id, title, username FROM channels ORDER BY title")]

    def remove_channel(self, chat_id: int) -> ChannelRow | None:
        channel = self.channel(chat_id)
        if channel is not None:
            with self._transaction() as run:
                run("DELETE FROM channels WHERE chat_id = ?", (chat_id,))
        return channel
