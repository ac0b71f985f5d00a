"""Answers kept behind their buttons: the pages sent, the results shown (what feedback refers
to), and what the conversation was about after each.

Answers are kept here rather than in python-telegram-bot's in-memory callback-data cache so
that their buttons survive a restart and work from any process. A button carries
`<kind>|<token>|<argument>`: the token is unguessable, and the answer it names records the
chat it was sent to, so a button pressed elsewhere, or forged, is refused."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from bot.state.conversations import topic_from_json, topic_json
from bot.state.part import Run, StatePart
from index.conversation import Topic


@dataclass(frozen=True)
class ShownResult:
    """A result as it was shown with an answer (what feedback refers to)."""

    article_id: int
    title: str
    source: str | None
    date: str | None
    passage: str
    quote: str


@dataclass(frozen=True)
class StoredPage:
    text: str  # the page's message, Telegram HTML
    articles: tuple[tuple[int, str], ...]  # (article id, button title) of its passages


@dataclass(frozen=True)
class StoredAnswer:
    token: str
    chat_id: int
    question: str
    pages: tuple[StoredPage, ...]
    results: tuple[ShownResult, ...]
    # What the conversation was about after it (with where its first quote ends): a question
    # sent in reply to it follows it (`bot.telegram.questions`), whoever asks and however late.
    conversation: Topic | None = None
    # Whether the article goes on after its first quote: its "📖 La suite" button reads on.
    says_more: bool = False
    # Whether its question meant something only after the ones before it ("La suite ?",
    # "Et en 2020 ?"): approved, it is no question of an evaluation set (`bot.feedback`).
    in_conversation: bool = False

    @property
    def read_on_from(self) -> Topic | None:
        """The topic its "📖 La suite" button asks "La suite ?" with (None: no such button)."""
        topic = self.conversation
        return topic if self.says_more and topic is not None and topic.read_to is not None else None


class AnswersState(StatePart):
    def _forget_answers_before(self, run: Run, moment: float) -> int:
        """Answers older than `moment` (their buttons then say the search has expired), in the
        caller's transaction. How many."""
        return run("DELETE FROM answers WHERE created < ?", (moment,))[0][0]

    def _move_answers(self, run: Run, old: int, new: int) -> int:
        """The answers of chat `old` now chat `new`'s (their buttons work there), in the
        caller's transaction. How many."""
        return run("UPDATE answers SET chat_id = ? WHERE chat_id = ?", (new, old))[0][0]

    def save_answer(
        self,
        chat_id: int,
        question: str,
        pages: Sequence[StoredPage],
        results: Sequence[ShownResult],
        conversation: Topic | None = None,
        *,
        says_more: bool = False,
        in_conversation: bool = False,
    ) -> str:
        token = secrets.token_urlsafe(12)  # 96 random bits, 16 characters
        body: dict[str, object] = {
            "pages": [{"text": p.text, "articles": [list(a) for a in p.articles]} for p in pages],
            "results": [result_json(r) for r in results],
        }
        if conversation is not None:
            body["conversation"] = {"question": conversation.question, "articles": topic_json(conversation)}
        if says_more:
            body["says_more"] = True
        if in_conversation:
            body["in_conversation"] = True
        with self._transaction() as run:
            run(
                "INSERT INTO answers(token, chat_id, question, body, created) VALUES (?, ?, ?, ?, ?)",
                (token, chat_id, question, json.dumps(body, ensure_ascii=False), self._clock()),
            )
        return token

    def answer(self, token: str) -> StoredAnswer | None:
        rows = self._query("SELECT chat_id, question, body FROM answers WHERE token = ?", (token,))
        if not rows:
            return None
        chat_id, question, body = rows[0]
        data = json.loads(body)
        pages = tuple(StoredPage(p["text"], tuple((int(i), str(t)) for i, t in p["articles"])) for p in data["pages"])
        # Answers saved before 2026-12-06 hold their topic as "topic", only where the article
        # went on (and, from 2026-12-05, the same again as "conversation").
        held = data.get("conversation") or data.get("topic")
        conversation = topic_from_json(held["question"], held["articles"]) if held else None
        says_more = data.get("says_more", "topic" in data)
        results = tuple(ShownResult(**r) for r in data["results"])
        in_conversation = data.get("in_conversation", False)
        return StoredAnswer(token, chat_id, question, pages, results, conversation, says_more, in_conversation)


def result_json(result: ShownResult) -> dict:
    return {
        "article_id": result.article_id,
        "title": result.title,
        "source": result.source,
        "date": result.date,
        "passage": result.passage,
        "quote": result.quote,
    }
