"""The buttons under an answer, pressed long after it or over and over: what they show and
what they send. The real application in this process (`tests.telegram_in_process`) over a
real library on the hashing embedder (on the model where what the relevance policy judges is
what a page shows)."""

from __future__ import annotations

import asyncio
import sqlite3

from bot.telegram import messages as msg
from bot.telegram.group_share import MEMBER_SHARE
from index.documents import parse_text
from tests.fake_telegram import FakeTelegram
from tests.telegram_in_process import (
    ADMIN,
    PREFECT_QUESTION,
    TOKEN,
    bot_in_process,
    chat_message,
    delete_as_admin,
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
            await delete_as_admin(application, telegram, 1)
            await handle(application, pressed(USER, message, more))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert "Supprimé" in telegram.calls_to("editMessageText", ADMIN)[-1].params["text"]
        assert not telegram.calls_to("editMessageText", USER)  # the page that quotes it stays unshown
        assert telegram.calls_to("answerCallbackQuery")[-1].params["text"] == msg.PAGE_GONE
    library.close()


def test_pressing_an_article_s_card_button_over_and_over_sends_no_more_cards_than_questions_allowed(tmp_path):
    library = two_article_library(tmp_path)
    reader = 32

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path, questions_per_minute=3) as (application, _):
            await handle(application, private_message(reader, QUESTION))
            message, card = telegram.button(reader, "📄")
            for _ in range(12):
                await handle(application, pressed(reader, message, card))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        sent = [c.params["text"] for c in telegram.calls_to("sendMessage", reader)]
        assert sum("Article 1 —" in text for text in sent) == 2  # the question was the first of three
        assert telegram.calls_to("answerCallbackQuery")[-1].params["text"] == msg.SLOW_DOWN
    library.close()


def test_a_card_button_forged_with_another_article_s_id_shows_no_card(tmp_path):
    """A card button carries its answer's token and the article's id: the same token with
    another id, which a modified client can send, is not a way to list the library card by card."""
    library = two_article_library(tmp_path)
    library.ingest([parse_text("titre: Note interne\n\nLa direction a validé le budget de l'année prochaine hier.")])
    reader = 34

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            await handle(application, private_message(reader, QUESTION))
            message, card = telegram.button(reader, "📄")
            token = card.split("|")[1]
            await handle(application, pressed(reader, message, f"a|{token}|3"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert not any("Note interne" in c.params["text"] for c in telegram.calls_to("sendMessage", reader))
        assert telegram.calls_to("answerCallbackQuery")[-1].params["text"] == msg.EXPIRED
    library.close()


def test_a_member_pressing_and_turning_pages_over_and_over_spends_only_their_share_of_the_group_s_messages(tmp_path):
    """Each page turned edits the answer and each card is a message: of the 20 messages a minute
    Telegram lets the bot send in a group, a member's presses beyond their share are answered
    with a request to slow down, and nothing is sent or edited for them; another member may
    still turn and press."""
    library = two_article_library(tmp_path)
    group = {"id": -100777, "type": "supergroup", "title": "Voisins"}
    hasty, other = 32, 33

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path, results_per_page=1) as (application, _):
            await handle(application, chat_message(group, 31, f"/ask {QUESTION}"))
            message, more = telegram.button(group["id"], "Plus de passages")
            _, card = telegram.button(group["id"], "📄")
            for _ in range(MEMBER_SHARE - 1):  # as fast as the bot takes them
                await handle(application, pressed(hasty, message, more))
            for _ in range(6):
                await handle(application, pressed(hasty, message, card))
            await handle(application, pressed(other, message, more))
            await handle(application, pressed(other, message, card))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert len(telegram.calls_to("editMessageText", group["id"])) == MEMBER_SHARE  # the other member's too
        answered = [c.params.get("text") for c in telegram.calls_to("answerCallbackQuery")]
        assert answered == [None] * MEMBER_SHARE + [msg.GROUP_SLOW_DOWN] * 5 + [None, None]
        sent = [c.params["text"] for c in telegram.calls_to("sendMessage", group["id"])]
        assert len(sent) == 3  # the answer, the hasty member's one card, the other's
    library.close()


def test_a_member_asking_on_and_on_in_a_group_is_told_once_to_wait_and_others_are_still_answered(tmp_path):
    library = two_article_library(tmp_path)
    group = {"id": -100778, "type": "supergroup", "title": "Quartier"}
    hasty, other = 35, 36

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            for _ in range(MEMBER_SHARE + 4):
                await handle(application, chat_message(group, hasty, f"/ask {QUESTION}"))
            await handle(application, chat_message(group, other, f"/ask {QUESTION}"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        sent = [c.params["text"] for c in telegram.calls_to("sendMessage", group["id"])]
        answers = [text for text in sent if "blockquote" in text]
        assert len(answers) == MEMBER_SHARE + 1  # the hasty member's share, and the other's answer
        assert sent.count(msg.e(msg.SLOW_DOWN)) == 1  # told once, then their questions go unanswered
        assert len(sent) == MEMBER_SHARE + 2
    library.close()


def test_in_a_private_chat_pages_turn_as_fast_as_the_reader_presses(tmp_path):
    library = two_article_library(tmp_path)
    reader = 34

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path, results_per_page=1) as (application, _):
            await handle(application, private_message(reader, QUESTION))
            message, more = telegram.button(reader, "Plus de passages")
            for _ in range(MEMBER_SHARE * 2):  # its own chat: the edits spend no one else's messages
                await handle(application, pressed(reader, message, more))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert len(telegram.calls_to("editMessageText", reader)) == MEMBER_SHARE * 2
        assert msg.GROUP_SLOW_DOWN not in [c.params.get("text") for c in telegram.calls_to("answerCallbackQuery")]
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


def test_an_article_s_card_says_the_day_it_was_added_by_the_bot_s_time_zone(tmp_path):
    """Added at 23:30 by UTC's clock, which the library records: the 26th in Paris."""
    library = two_article_library(tmp_path)
    with sqlite3.connect(tmp_path / "index" / "library.sqlite3") as database:
        database.execute("UPDATE articles SET added_at = '2026-11-25T23:30:00Z'")
    reader = 33

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path, time_zone="Europe/Paris") as (application, _):
            await handle(application, private_message(reader, QUESTION))
            message, card = telegram.button(reader, "📄")
            await handle(application, pressed(reader, message, card))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        card_text = telegram.calls_to("sendMessage", reader)[-1].params["text"]
        assert "ajouté le 26 novembre 2026" in card_text
    library.close()


def test_la_suite_is_offered_under_the_page_that_shows_the_quote_it_reads_on_from(tmp_path):
    """ "📖 La suite" reads on after the answer's first quote: under the next page, which quotes
    other passages (here the other article), it would have read on from a quote out of sight."""
    library = two_article_library(tmp_path)
    buttons: list[list[str]] = []

    def labels(message: dict) -> list[str]:
        return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path, results_per_page=1) as (application, _):
            await handle(application, private_message(USER, QUESTION))
            message, more = telegram.button(USER, "Plus de passages")
            buttons.append(labels(message))
            await handle(application, pressed(USER, message, more))
            message, back = telegram.button(USER, "◀ Précédents")
            buttons.append(labels(message))
            await handle(application, pressed(USER, message, back))
            buttons.append(labels(telegram.button(USER, "Plus de passages")[0]))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
    first, second, first_again = buttons
    assert "📖 La suite" in first and first_again == first
    assert "📖 La suite" not in second and "◀ Précédents" in second
    library.close()


BRIDGE_WORKS = (
    "titre: Nantes : le pont Anne-de-Bretagne fermé six mois pour travaux\ndate: 2025-10-14\n\n"
    "Le pont Anne-de-Bretagne, qui relie le centre de Nantes à l'île de Nantes, sera fermé à la circulation "
    "à partir du 3 novembre, a annoncé lundi la maire Johanna Rolland.\n\n"
    "Les travaux, d'un montant de 24 millions d'euros, doivent permettre d'élargir les voies réservées aux "
    "vélos et aux piétons. Ils dureront six mois, selon Nantes Métropole.\n\n"
    "Les commerçants de l'île de Nantes craignent une baisse de fréquentation. Leur association, présidée "
    "par Marc Lebrun, demande une indemnisation."
)


def test_more_passages_from_another_article_than_a_sure_answer_s_say_they_are_less_related(
    tmp_path, library, sample_text
):
    """Shown plain, the OTAN article's Wagner quote read as a second answer to a question on
    Nantes's shopkeepers. On the model, whose relevance policy judges each passage."""
    library.ingest([parse_text(BRIDGE_WORKS), parse_text(sample_text)])
    pages: list[str] = []

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path, results_per_page=1) as (application, _):
            await handle(application, private_message(USER, "Qui préside l'association des commerçants ?"))
            for _ in range(2):  # the next two pages, by "Plus de passages ▶"
                message, more = telegram.button(USER, "Plus de passages")
                pages.append(message["text"])
                await handle(application, pressed(USER, message, more))
            pages.append(telegram.button(USER, "◀ Précédents")[0]["text"])

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
    answer, *further = pages
    assert "Marc Lebrun" in answer and "incertaine" not in answer
    assert msg.LESS_RELATED not in answer  # the answer's own passage is never marked
    assert all(page.count(msg.LESS_RELATED) == 1 and "— février 2023" in page for page in further), further
