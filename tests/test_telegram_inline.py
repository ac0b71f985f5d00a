"""Inline mode as its users meet it: `@bot question` typed in some chat, the results listed
and the one chosen posted. The real application in this process (`tests.telegram_in_process`)
over a real library on the hashing embedder, against the fake Bot API."""

from __future__ import annotations

import asyncio
import itertools

from bot.replies.answers import IN_ENGLISH
from bot.telegram import messages as msg
from bot.telegram.inline_typing import InlineTyping
from index.documents import parse_text
from index.library import Library
from index.ranking import RelevancePolicy
from tests.conftest import HashingEmbedder
from tests.fake_telegram import FakeTelegram
from tests.telegram_in_process import ADMIN, BEAVER, PREFECT, TOKEN, bot_in_process, handle, private_message

USER = 778
BEAVER_QUESTION = "Combien de familles de castors les naturalistes ont-ils compté cette année ?"
_query_ids = itertools.count(1)


def typed(text: str) -> dict:
    """`@bot text` typed by USER, paused after (`InlineTyping`)."""
    who = {"id": USER, "is_bot": False, "first_name": "Lectrice"}
    return {"inline_query": {"id": f"q{next(_query_ids)}", "from": who, "query": text, "offset": ""}}


def last_answer(telegram: FakeTelegram) -> dict:
    return telegram.calls_to("answerInlineQuery")[-1].params


def test_a_question_that_found_nothing_finds_the_article_added_since(tmp_path):
    """Someone asks, finds nothing, adds the article and asks again: neither the bot nor
    Telegram keeps the "rien trouvé" for the minute results are otherwise reused."""
    library = Library(tmp_path / "index", HashingEmbedder(), max_words=30)
    library.ingest([parse_text(PREFECT)])

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            application.bot_data["service"].inline_typing = InlineTyping(pause=0.01)
            await handle(application, typed(BEAVER_QUESTION))
            nothing = last_answer(telegram)
            assert "rien trouvé" in str(nothing["results"]) and int(nothing["cache_time"]) == 0  # not kept by Telegram
            await handle(application, private_message(ADMIN, f"/ingest {BEAVER}"))
            telegram.wait_for_text(ADMIN, "Ajouté")
            await handle(application, typed(BEAVER_QUESTION))
            assert "quarante familles" in str(last_answer(telegram)["results"])

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
    library.close()


def test_a_question_in_english_is_told_inline_that_only_french_is_understood(tmp_path):
    library = Library(tmp_path / "index", HashingEmbedder(), max_words=30)
    library.ingest([parse_text(BEAVER)])

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            application.bot_data["service"].inline_typing = InlineTyping(pause=0.01)
            await handle(application, typed("Who scored for Lorient yesterday?"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        (result,) = telegram.inline_answer(telegram.calls_to("answerInlineQuery")[-1].params["inline_query_id"])[
            "results"
        ]
        # Both the title and the description are read before any is chosen: each says it.
        assert result["title"] == msg.INLINE_IN_ENGLISH_TITLE and "French" in result["title"]
        assert "en français" in result["description"]
        assert "essayez d'autres mots" not in result["description"]
    library.close()


def test_a_question_in_another_alphabet_is_told_in_the_chat_and_inline_that_only_french_is_understood(tmp_path):
    """ "Кто генеральный секретарь НАТО?" cannot be French: its writer, who may read none, was told
    in French only to rephrase it ("essayez de reformuler"), as a question in French that found nothing."""
    library = Library(tmp_path / "index", HashingEmbedder(), max_words=30)
    library.ingest([parse_text(BEAVER)])
    questions = ("Кто генеральный секретарь НАТО?", "من هو الأمين العام لحلف الناتو؟", "北约秘书长是谁？")

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            application.bot_data["service"].inline_typing = InlineTyping(pause=0.01)
            for question in questions:
                await handle(application, private_message(USER, question))
                await handle(application, typed(question))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert telegram.texts(USER) == [msg.e(IN_ENGLISH)] * len(questions)
        inline_answers = telegram.calls_to("answerInlineQuery")
        assert len(inline_answers) == len(questions)
        for call in inline_answers:
            (result,) = telegram.inline_answer(call.params["inline_query_id"])["results"]
            assert result["title"] == msg.INLINE_IN_ENGLISH_TITLE
    library.close()


def test_a_question_in_a_phones_bold_or_full_width_letters_is_answered_in_the_chat_and_inline(tmp_path):
    """A phone's "fancy fonts" type letters of other blocks ("𝐂𝐨𝐦𝐛𝐢𝐞𝐧", "Ｃｏｍｂｉｅｎ"): they were
    told apart from other alphabets, but searched as they are, they found none of the article's
    words. They are read as the plain letters they stand for."""
    library = Library(tmp_path / "index", HashingEmbedder(), max_words=30)
    library.ingest([parse_text(BEAVER)])
    questions = (
        "𝐂𝐨𝐦𝐛𝐢𝐞𝐧 𝐝𝐞 𝐟𝐚𝐦𝐢𝐥𝐥𝐞𝐬 𝐝𝐞 𝐜𝐚𝐬𝐭𝐨𝐫𝐬 𝐥𝐞𝐬 𝐧𝐚𝐭𝐮𝐫𝐚𝐥𝐢𝐬𝐭𝐞𝐬 𝐨𝐧𝐭-𝐢𝐥𝐬 𝐜𝐨𝐦𝐩𝐭𝐞́ 𝐜𝐞𝐭𝐭𝐞 𝐚𝐧𝐧𝐞́𝐞 ?",
        "Ｃｏｍｂｉｅｎ ｄｅ ｆａｍｉｌｌｅｓ ｄｅ ｃａｓｔｏｒｓ ｌｅｓ ｎａｔｕｒａｌｉｓｔｅｓ "
        "ｏｎｔ－ｉｌｓ ｃｏｍｐｔé ｃｅｔｔｅ ａｎｎéｅ ？",
    )

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            application.bot_data["service"].inline_typing = InlineTyping(pause=0.01)
            for question in questions:
                await handle(application, private_message(USER, question))
                assert "quarante familles" in telegram.texts(USER)[-1]
                await handle(application, typed(question))
                assert "quarante familles" in str(last_answer(telegram)["results"])

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
    library.close()


def test_a_web_address_typed_inline_says_how_to_add_its_page_and_searches_nothing(tmp_path):
    """As in the chat (`BARE_LINK`): searched, an address's "www" and "fr" found passages."""
    library = Library(tmp_path / "index", HashingEmbedder(), max_words=30)
    library.ingest([parse_text(BEAVER)])

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            application.bot_data["service"].inline_typing = InlineTyping(pause=0.01)
            await handle(application, typed("https://www.exemple.fr/castors-dordogne"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        hint = last_answer(telegram)
        assert hint["results"] in ([], "[]") and "/ingest" in str(hint["button"])
    library.close()


def test_uncertain_results_of_a_question_in_english_say_above_them_to_ask_in_french(tmp_path):
    """A library that quotes whatever comes closest (as the real model may, to a question in
    English): the results are listed, and the button above them, which the asker reads and never
    posts, says French questions find better; asked again, the same from the shared cache. A sure
    answer shows no button."""
    library = Library(tmp_path / "index", HashingEmbedder(), max_words=30, policy=RelevancePolicy(threshold=0.0))
    library.ingest([parse_text(BEAVER)])
    english = "How many beaver families did the naturalists count?"

    async def scenario(telegram: FakeTelegram, sure_from: float) -> None:
        state = tmp_path / f"sure-from-{sure_from}"  # a bot of its own, and its own cache
        state.mkdir()
        async with bot_in_process(telegram, library, state, sure_answer_threshold=sure_from) as (application, _):
            application.bot_data["service"].inline_typing = InlineTyping(pause=0.01)
            await handle(application, typed(english))
            await handle(application, typed(english))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram, 1.0))
        assert telegram.calls_to("answerInlineQuery")
        for call in telegram.calls_to("answerInlineQuery"):
            listed = telegram.inline_answer(call.params["inline_query_id"])
            assert listed["results"] and all(r["description"].startswith(msg.INLINE_UNSURE) for r in listed["results"])
            assert listed["button"]["text"] == msg.INLINE_ASK_IN_FRENCH
            assert "French" not in str([r["input_message_content"] for r in listed["results"]])
    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram, 0.0))
        listed = telegram.inline_answer(telegram.calls_to("answerInlineQuery")[-1].params["inline_query_id"])
        assert listed["results"] and "button" not in listed
    library.close()
