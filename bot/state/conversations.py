"""What each asker's conversation is about: a later question may refer back to it
(`index.conversation`)."""

from __future__ import annotations

import json

from bot.state.part import Run, StatePart
from index.conversation import Topic


class ConversationsState(StatePart):
    def topic(self, chat_id: int, user_id: int, within_seconds: float) -> Topic | None:
        """What `user_id`'s conversation in `chat_id` is about, if they asked within the last
        `within_seconds` (a later question may refer back to it: `index.conversation`)."""
        rows = self._query(
            "SELECT question, articles FROM conversations WHERE chat_id = ? AND user_id = ? AND asked >= ?",
            (chat_id, user_id, self._clock() - within_seconds),
        )
        return topic_from_json(rows[0][0], json.loads(rows[0][1])) if rows else None

    def follow_topic(self, chat_id: int, user_id: int, topic: Topic) -> None:
        """`user_id`'s conversation in `chat_id` is about `topic` from now on."""
        with self._transaction() as run:
            run(
                "INSERT INTO conversations(chat_id, user_id, question, articles, asked) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (chat_id, user_id) DO UPDATE SET question = excluded.question, "
                "articles = excluded.articles, asked = excluded.asked",
                (chat_id, user_id, topic.question, json.dumps(topic_json(topic)), self._clock()),
            )

    def _forget_conversations_before(self, run: Run, moment: float) -> None:
        """The conversations last followed before `moment`, in the caller's transaction."""
        run("DELETE FROM conversations WHERE asked < ?", (moment,))

    def _move_conversations(self, run: Run, old: int, new: int) -> None:
        """The conversations of chat `old` now chat `new`'s, and the one asked in the group's own
        name (an anonymous admin asks as the group) under its new id too; in the caller's
        transaction."""
        run("DELETE FROM conversations WHERE chat_id = ?", (new,))  # none yet: the move comes first
        run("UPDATE conversations SET chat_id = ? WHERE chat_id = ?", (new, old))
        run("UPDATE conversations SET user_id = ? WHERE chat_id = ? AND user_id = ?", (new, new, old))


def topic_json(topic: Topic) -> list[int] | dict[str, list[int]]:
    """A topic's articles, and where its reading stopped when it did (the `articles` column;
    a plain list, as states written before "La suite ?" hold, when it did not)."""
    if topic.read_to is None:
        return list(topic.articles)
    return {"articles": list(topic.articles), "read_to": list(topic.read_to)}


def topic_from_json(question: str, stored: list | dict) -> Topic:
    if isinstance(stored, list):
        return Topic(question, tuple(int(i) for i in stored))
    passage, offset = (int(n) for n in stored["read_to"])
    return Topic(question, tuple(int(i) for i in stored["articles"]), (passage, offset))
