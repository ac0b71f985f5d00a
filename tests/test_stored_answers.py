"""Answers kept behind their buttons (`bot.state`): what the "📖 La suite" button reads on
from, and what a question sent in reply to an answer follows, for answers saved now and by
earlier versions of the bot (a bot updated in place keeps its chats' buttons working)."""

from __future__ import annotations

import json
import sqlite3

from bot.state import BotState
from bot.state.answers import ShownResult, StoredPage
from index.conversation import Topic

SHOWN = [ShownResult(7, "Le pont de Saint-Nazaire", None, None, "Le pont sera fermé du 3 au 7 mars.", "du 3 au 7 mars")]
PAGES = [StoredPage("…", ((7, "Le pont de Saint-Nazaire"),))]
READ_TO = Topic("Quand le pont est-il fermé ?", (7,), (12, 34))


def test_an_answer_whose_article_goes_on_reads_on_from_its_quote(tmp_path):
    state = BotState.open(tmp_path / "bot.sqlite3")
    token = state.save_answer(1, "Quand le pont est-il fermé ?", PAGES, SHOWN, READ_TO, says_more=True)
    stored = state.answer(token)
    assert stored.conversation == READ_TO
    assert stored.read_on_from == READ_TO


def test_an_answer_at_its_article_s_end_has_a_topic_to_follow_but_nothing_to_read_on(tmp_path):
    state = BotState.open(tmp_path / "bot.sqlite3")
    token = state.save_answer(1, "Quand le pont est-il fermé ?", PAGES, SHOWN, READ_TO, says_more=False)
    stored = state.answer(token)
    assert stored.conversation == READ_TO
    assert stored.read_on_from is None


def saved_by_an_earlier_version(state_file, token: str, **kept: dict) -> str:
    """A row of the answers table as an earlier version wrote it, with the topics `kept`."""
    pages = [{"text": "…", "articles": [[7, "Le pont de Saint-Nazaire"]]}]
    body = {"pages": pages, "results": [vars(result) for result in SHOWN], **kept}
    with sqlite3.connect(state_file) as database:
        database.execute(
            "INSERT INTO answers(token, chat_id, question, body, created) VALUES (?, ?, ?, ?, ?)",
            (token, 1, READ_TO.question, json.dumps(body), 0.0),
        )
    return token


TOPIC_AS_STORED = {"question": READ_TO.question, "articles": {"articles": [7], "read_to": [12, 34]}}


def test_answers_saved_by_earlier_versions_keep_their_buttons_and_their_topic(tmp_path):
    state_file = tmp_path / "bot.sqlite3"
    BotState.open(state_file).close()
    # Before 2026-12-05: the topic alone, and only where the article went on.
    before = saved_by_an_earlier_version(state_file, "avant", topic=TOPIC_AS_STORED)
    nothing = saved_by_an_earlier_version(state_file, "sans")
    # On 2026-12-05: "topic" where the article went on, "conversation" always.
    going_on = saved_by_an_earlier_version(state_file, "suite", topic=TOPIC_AS_STORED, conversation=TOPIC_AS_STORED)
    at_the_end = saved_by_an_earlier_version(state_file, "fin", conversation=TOPIC_AS_STORED)
    state = BotState.open(state_file)
    read = {token: state.answer(token) for token in (before, nothing, going_on, at_the_end)}
    assert {token: (stored.read_on_from, stored.conversation) for token, stored in read.items()} == {
        "avant": (READ_TO, READ_TO),
        "sans": (None, None),
        "suite": (READ_TO, READ_TO),
        "fin": (None, READ_TO),
    }
