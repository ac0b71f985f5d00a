"""Inline queries as people type them: Telegram sends one at each pause in the typing. The real
application in this process (`tests.telegram_in_process`) over a real library on the hashing
embedder."""

from __future__ import annotations

import asyncio
import itertools

from bot.telegram import messages as msg
from bot.telegram.inline_typing import InlineTyping
from index.documents import parse_text
from index.library import Library
from tests.conftest import HashingEmbedder
from tests.fake_telegram import FakeTelegram
from tests.telegram_in_process import TOKEN, bot_in_process, handle, private_message

USER = 777
QUESTION = "Combien de familles de castors les naturalistes ont-ils compté cette année ?"
_query_ids = itertools.count(1)


def library_of(tmp_path) -> Library:
    library = Library(tmp_path / "index", HashingEmbedder(), max_words=30)
    beaver = (
        "Le castor revient en Loire\n\nLe castor d'Europe a recolonisé trente kilomètres de berges de la Loire. "
        "Les naturalistes ont compté quarante familles de castors cette année."
    )
    library.ingest([parse_text(beaver)])
    return library


def typed(text: str) -> dict:
    query_id = str(next(_query_ids))
    who = {"id": USER, "is_bot": False, "first_name": "Lectrice"}
    return {"inline_query": {"id": query_id, "from": who, "query": text, "offset": ""}}


def prefixes(question: str) -> list[str]:
    words = question.split()
    return [" ".join(words[:count]) for count in range(1, len(words) + 1)]


def answers(telegram: FakeTelegram) -> list[dict]:
    return [c.params for c in telegram.calls_to("answerInlineQuery")]


def test_while_a_question_is_typed_fast_only_the_query_it_stops_at_is_searched(tmp_path):
    library = library_of(tmp_path)

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):

            async def typing(text: str, after: float) -> None:
                await asyncio.sleep(after)
                await handle(application, typed(text))

            # a query every tenth of a second, as a fast typist's pauses give them
            await asyncio.gather(*(typing(text, 0.1 * n) for n, text in enumerate(prefixes(QUESTION))))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        (answer,) = answers(telegram)  # the earlier ones were still being typed: not answered
        assert "quarante familles" in str(answer["results"])
    library.close()


def test_typing_a_question_word_by_word_counts_it_once_against_the_limit(tmp_path):
    library = library_of(tmp_path)

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path, questions_per_minute=2) as (application, _):
            application.bot_data["service"].inline_typing = InlineTyping(pause=0.05)  # a quicker typist
            for text in prefixes(QUESTION):  # a pause after each word: each query searched
                await handle(application, typed(text))
            await handle(application, private_message(USER, QUESTION))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert len(answers(telegram)) == len(prefixes(QUESTION))
        assert all(msg.INLINE_SLOW_DOWN not in str(a.get("button")) for a in answers(telegram))
        assert "quarante familles" in telegram.calls_to("sendMessage", USER)[-1].params["text"]  # the limit's 2nd
    library.close()


def test_a_new_question_or_the_same_one_a_minute_later_counts_again():
    typing = InlineTyping()
    assert typing.counts(USER, "Qui dirige", now=0.0)
    assert not typing.counts(USER, "Qui dirige l'OTAN ?", now=5.0)  # typed on
    assert typing.counts(USER, "Où est le castor ?", now=6.0)  # another question
    assert not typing.counts(USER, "Où est le castor ? Et la loutre ?", now=30.0)
    assert typing.counts(USER, "Où est le castor ? Et la loutre ? Et le vison ?", now=70.0)  # a minute on
    assert typing.counts(USER + 1, "Qui dirige", now=70.0)  # each user's own
