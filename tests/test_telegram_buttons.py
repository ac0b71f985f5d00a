"""The buttons under an answer, pressed long after it or over and over: what they show and
what they send. The real application in this process (`tests.telegram_in_process`) over a
real library on the hashing embedder."""

from __future__ import annotations

import asyncio

from bot.telegram import messages as msg
from bot.telegram.questions import PAGE_TURNS
from tests.fake_telegram import FakeTelegram
from tests.telegram_in_process import (
    ADMIN,
    PREFECT_QUESTION,
    TOKEN,
    bot_in_process,
    chat_message,
    handle,
    pressed,
    private_message,
    two_article_library,
)

USER = 4242
QUESTION = PREFECT_QUESTION


def test_a_kept_page_quoting_an_article_deleted_since_is_not_shown_again(tmp_path):
    library = two_article_library(tmp_path)

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path, results_per_page=1) as (application, _):
            await handle(application, private_message(USER, QUESTION))
            message, more = telegram.button(USER, "Plus de passages")
            await handle(application, private_message(ADMIN, "/delete 1"))
            await handle(application, pressed(USER, message, more))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert "Supprimé" in telegram.calls_to("sendMessage", ADMIN)[-1].params["text"]
        assert not telegram.calls_to("editMessageText")  # the page that quotes it stays unshown
        assert telegram.calls_to("answerCallbackQuery")[-1].params["text"] == msg.PAGE_GONE
    library.close()


def test_pressing_an_article_s_card_button_over_and_over_sends_no_more_cards_than_questions_allowed(tmp_path):
    library = two_article_library(tmp_path)
    group = {"id": -100777, "type": "supergroup", "title": "Voisins"}
    member = 32  # anyone in the group may press the buttons under another's answer

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path, questions_per_minute=5) as (application, _):
            await handle(application, chat_message(group, 31, f"/ask {QUESTION}"))
            message, card = telegram.button(group["id"], "📄")
            for _ in range(12):
                await handle(application, pressed(member, message, card))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        sent = [c.params["text"] for c in telegram.calls_to("sendMessage", group["id"])]
        assert sum("Article 1 —" in text for text in sent) == 5
        assert telegram.calls_to("answerCallbackQuery")[-1].params["text"] == msg.SLOW_DOWN
    library.close()


def test_a_member_turning_pages_over_and_over_spends_few_of_the_group_s_messages(tmp_path):
    """Each page turned edits the answer, one of the 20 messages a minute Telegram lets the
    bot send in a group: a member's presses beyond `PAGE_TURNS` in a short while are answered
    with a request to slow down, and nothing is edited for them; another member may still turn."""
    library = two_article_library(tmp_path)
    group = {"id": -100777, "type": "supergroup", "title": "Voisins"}
    hasty, other = 32, 33

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path, results_per_page=1) as (application, _):
            await handle(application, chat_message(group, 31, f"/ask {QUESTION}"))
            message, more = telegram.button(group["id"], "Plus de passages")
            for _ in range(12):  # as fast as the bot takes them
                await handle(application, pressed(hasty, message, more))
            await handle(application, pressed(other, message, more))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert len(telegram.calls_to("editMessageText", group["id"])) == PAGE_TURNS + 1  # the other member's too
        answered = [c.params.get("text") for c in telegram.calls_to("answerCallbackQuery")]
        assert answered == [None] * PAGE_TURNS + [msg.PAGE_SLOW_DOWN] * (12 - PAGE_TURNS) + [None]
        assert len(telegram.calls_to("sendMessage", group["id"])) == 1  # the answer alone
    library.close()


def test_in_a_private_chat_pages_turn_as_fast_as_the_reader_presses(tmp_path):
    library = two_article_library(tmp_path)
    reader = 34

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path, results_per_page=1) as (application, _):
            await handle(application, private_message(reader, QUESTION))
            message, more = telegram.button(reader, "Plus de passages")
            for _ in range(PAGE_TURNS * 2):  # its own chat: the edits spend no one else's messages
                await handle(application, pressed(reader, message, more))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert len(telegram.calls_to("editMessageText", reader)) == PAGE_TURNS * 2
        assert msg.PAGE_SLOW_DOWN not in [c.params.get("text") for c in telegram.calls_to("answerCallbackQuery")]
    library.close()


def test_a_group_moved_to_a_supergroup_keeps_its_buttons_and_its_conversations(tmp_path):
    library = two_article_library(tmp_path)
    old = {"id": -4242, "type": "group", "title": "Voisins"}
    new = {"id": -1004242, "type": "supergroup", "title": "Voisins"}
    member = 31

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            await handle(application, chat_message(old, member, f"/ask {QUESTION}"))
            # Telegram says it in both chats; later updates come with the new id.
            await handle(application, chat_message(old, member, migrate_to_chat_id=new["id"]))
            await handle(application, chat_message(new, member, migrate_from_chat_id=old["id"]))
            message, read_on = telegram.button(old["id"], "📖 La suite")
            await handle(application, pressed(member, message | {"chat": new}, read_on))
            await handle(application, chat_message(new, member, "/ask Et la suite ?"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert not any("autre conversation" in c.params.get("text", "") for c in telegram.calls)
        pressed_on, asked_on = [c.params["text"] for c in telegram.calls_to("sendMessage", new["id"])]
        for reply in (pressed_on, asked_on):
            assert f"↪ suite de « {QUESTION}" in reply, reply
    library.close()
