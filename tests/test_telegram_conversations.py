"""A conversation's messages as people send them: several at once, or a greeting before a
follow-up. The real application in this process (`tests.telegram_in_process`), fed by its
own long polling of the fake Bot API, over a real library on the hashing embedder."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from index.library import Library
from tests.conftest import HashingEmbedder
from tests.fake_telegram import FakeTelegram
from tests.telegram_in_process import (
    BEAVER,
    PREFECT,
    PREFECT_QUESTION,
    TOKEN,
    bot_in_process,
    chat_message,
    handle,
    library_of,
    private_message,
    two_article_library,
)

QUESTION = PREFECT_QUESTION


def replies_to(telegram: FakeTelegram, chat_id: int) -> list[str]:
    return [c.params["text"] for c in telegram.calls_to("sendMessage", chat_id)]


async def polled(telegram: FakeTelegram, application, users: list[int], replies: int) -> None:
    """The bot polling until each user has `replies` replies (a minute at most)."""
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(len(replies_to(telegram, u)) >= replies for u in users):
        await asyncio.sleep(0.1)
    await application.updater.stop()


def test_a_question_and_la_suite_sent_together_are_answered_in_order(tmp_path):
    library = two_article_library(tmp_path)
    users = list(range(500, 506))

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            for user in users:  # typed in quick succession, or queued while the bot restarted
                telegram.push(private_message(user, QUESTION))
                telegram.push(private_message(user, "La suite ?"))
            await polled(telegram, application, users, replies=2)

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        for user in users:
            answer, read_on = replies_to(telegram, user)
            assert QUESTION in answer and "Marie Dupont" in answer
            assert "↪ suite de « Qui a été nommée préfète" in read_on
    library.close()


def conversation(
    tmp_path, user: int, messages: tuple[str, ...], articles: tuple[str, ...] = (PREFECT, BEAVER)
) -> list[str]:
    """The bot's replies to `user`'s `messages`, sent one after the other in a private chat
    with a library of `articles` (the two-article library's)."""
    library = library_of(tmp_path, *articles)

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            for text in messages:
                telegram.push(private_message(user, text))
            await polled(telegram, application, [user], replies=len(messages))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        replies = replies_to(telegram, user)
    library.close()
    return replies


def test_a_follow_up_opened_by_a_greeting_or_thanks_follows_the_conversation(tmp_path):
    _, read_on, follow_up = conversation(
        tmp_path, 600, (QUESTION, "Bonjour, la suite ?", "Merci ! Et que fait-elle jeudi ?")
    )
    assert "<b>La suite ?</b>" in read_on and "↪ suite de « Qui a été nommée préfète" in read_on
    assert "↪ suite de" in follow_up and "port de Brest jeudi" in follow_up


def test_a_follow_up_on_a_year_its_article_never_names_is_told_so_not_answered_with_its_topic(tmp_path):
    _, follow_up = conversation(tmp_path, 610, (QUESTION, "Et en 2019 ?"))
    assert "Je n'ai rien trouvé sur « 2019 » dans l'article « Le préfet de région nommé »" in follow_up
    assert "Posez la question en entier" in follow_up and "Marie Dupont" not in follow_up


@pytest.mark.parametrize("other", ["Qui a écrit l'autre article ?", "De quoi parle l'autre article ?"])
def test_the_other_article_of_a_library_of_one_is_said_to_be_none_whatever_is_asked_of_it(tmp_path, other):
    """Asked who wrote it, the bot answered "De quel article ? Nommez son sujet…", where asked
    what it is about it says the library holds no other."""
    _, reply = conversation(tmp_path, 612, (QUESTION, other), articles=(PREFECT,))
    assert "La bibliothèque ne compte aucun autre article." in reply and "De quel article" not in reply


@pytest.mark.parametrize("follow_up", ["What did his son say in 2019?", "What is SA in 2019?", "What about 2019?"])
def test_a_question_in_english_read_as_a_follow_up_is_told_to_ask_in_french(tmp_path, follow_up):
    """An English question with a word French reads as pointing back ("son", "SA": "his", "its")
    was read with the conversation's article, and got "Je n'ai rien trouvé sur « 2019 » dans
    l'article…, posez la question en entier", in French its writer may not read: why nothing
    was found is the language, as for any other question in English."""
    _, reply = conversation(tmp_path, 611, (QUESTION, follow_up))
    assert "(I only understand questions in French.)" in reply
    assert "2019" not in reply and "Marie Dupont" not in reply


class HeldEmbedder(HashingEmbedder):
    """Embeds articles only once `release` is set: ingests that last as long as the test says."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def embed_passages(self, texts, progress=None):
        self.release.wait(60)
        return super().embed_passages(texts, progress)


def test_questions_are_answered_while_articles_are_being_added_even_the_asker_s_own(tmp_path):
    two_article_library(tmp_path).close()
    held = HeldEmbedder()
    library = Library(tmp_path / "index", held, max_words=30)
    adders, asker = list(range(700, 708)), 800  # more ingests at once than the bot has threads

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            for user in adders:
                telegram.push(
                    private_message(user, f"/ingest Le marché {user}\n\nLe marché ouvre samedi place {user}.")
                )
            telegram.push(private_message(asker, "/ingest Gare\n\nLa gare rouvre lundi après travaux."))
            telegram.push(private_message(asker, QUESTION))  # right after its own /ingest
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not any("Marie Dupont" in t for t in replies_to(telegram, asker)):
                await asyncio.sleep(0.1)
            answered_while_held = any("Marie Dupont" in t for t in replies_to(telegram, asker))
            held.release.set()  # the ingests may end now
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not all(
                any("Ajouté" in t for t in telegram.texts(user)) for user in [*adders, asker]
            ):
                await asyncio.sleep(0.1)
            await application.updater.stop()
            assert answered_while_held

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert any("Marie Dupont" in t for t in replies_to(telegram, asker))
        assert all(any("Ajouté" in t for t in telegram.texts(user)) for user in [*adders, asker])
    library.close()


def test_one_person_s_waiting_messages_never_take_the_places_of_other_chats():
    from telegram import Update

    from bot.telegram.ordering import OneConversationAtATime

    def update(chat_id: int) -> Update:
        return Update.de_json({"update_id": 1, **private_message(chat_id, "Bonjour ?")}, None)

    async def scenario() -> list[str]:
        processor = OneConversationAtATime(max_concurrent_updates=2)
        first_held, done = asyncio.Event(), []

        async def work(name: str, hold: bool = False) -> None:
            if hold:
                await asyncio.wait_for(first_held.wait(), 10)
            done.append(name)

        flood = [
            asyncio.create_task(processor.process_update(update(1), work(f"flood {n}", hold=n == 0))) for n in range(20)
        ]
        await asyncio.sleep(0.05)  # the first of one person's twenty messages is held, the others wait their turn
        await asyncio.wait_for(processor.process_update(update(2), work("other chat")), 5)
        first_held.set()
        await asyncio.gather(*flood)
        return done

    done = asyncio.run(scenario())
    assert done[0] == "other chat" and done[1:] == [f"flood {n}" for n in range(20)]


def test_a_busy_group_s_members_never_take_every_place_from_the_other_chats():
    """Three hundred members of one group ask at once; their answers all wait for the group's
    turn at Telegram (held here): a private question is still answered at once."""
    from telegram import Update

    from bot.telegram.ordering import OneConversationAtATime

    group = {"id": -100123, "type": "supergroup", "title": "Rédaction"}

    def update(message: dict) -> Update:
        return Update.de_json({"update_id": 1, **message}, None)

    async def scenario() -> tuple[list[str], int]:
        processor = OneConversationAtATime()  # 256 places to run
        group_s_turn, done, started = asyncio.Event(), [], []

        async def work(name: str, in_group: bool) -> None:
            if in_group:
                started.append(name)
                await asyncio.wait_for(group_s_turn.wait(), 10)
            done.append(name)

        members = [
            asyncio.create_task(processor.process_update(update(chat_message(group, m, "Qui ?")), work(f"{m}", True)))
            for m in range(1, 301)
        ]
        await asyncio.sleep(0.05)
        running_in_group = len(started)
        await asyncio.wait_for(processor.process_update(update(private_message(7, "Qui ?")), work("private", False)), 5)
        group_s_turn.set()
        await asyncio.gather(*members)
        return done, running_in_group

    done, running_in_group = asyncio.run(scenario())
    assert done[0] == "private" and len(done) == 301
    assert running_in_group == 20  # the group's places (it may be sent 20 messages a minute), of the 256


def test_thanks_typed_short_or_as_an_emoji_gets_its_reply_and_the_next_follow_up_still_follows(tmp_path):
    # "Merci bcp" was searched: "rien trouvé", then the follow-up was read as one of "Merci bcp".
    _, thanks, ok, follow_up = conversation(tmp_path, 620, (QUESTION, "Merci bcp", "👍", "Et que fait-elle jeudi ?"))
    assert thanks == "Avec plaisir ! Une autre question ?"
    assert ok == "Très bien. Posez une autre question quand vous voulez."
    assert "↪ suite de « Qui a été nommée préfète" in follow_up and "port de Brest jeudi" in follow_up


def test_a_question_corrected_by_editing_it_is_answered_as_corrected_an_old_one_edited_is_not(tmp_path):
    library = two_article_library(tmp_path)
    user = 630

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            typo = private_message(user, "Qui a été nomée à la région ?")["message"]
            telegram.push({"message": typo})
            await polled(telegram, application, [user], replies=1)
            now = int(time.time())
            corrected = {**typo, "text": QUESTION, "edit_date": now}
            old = private_message(user, "Que font les naturalistes ?")["message"]
            old_edited = {**old, "date": now - 3600, "text": "Quand a-t-elle visité Brest ?", "edit_date": now}
            command = {**old, "text": "/reindex", "edit_date": now + 1}
            for edited in (old_edited, command, corrected):
                telegram.push({"edited_message": edited})
            await polled(telegram, application, [user], replies=3)
            await asyncio.sleep(1)  # time for a reply to the others, were there one

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        replies = replies_to(telegram, user)
    library.close()
    # The question, the command edited told it is not run again, then the correction; nothing
    # for the old message.
    assert len(replies) == 3, replies
    assert replies[1].startswith("Je ne relance pas une commande modifiée : envoyez-la de nouveau"), replies[1]
    assert f"<b>{QUESTION}</b>" in replies[2] and "Marie Dupont" in replies[2]


def test_the_same_question_twice_in_one_message_is_answered_once(tmp_path):
    library = two_article_library(tmp_path)

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            await handle(application, private_message(630, f"{QUESTION} {QUESTION.lower()}"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        (answer,) = replies_to(telegram, 630)
        assert QUESTION in answer and "Marie Dupont" in answer
    library.close()


def test_a_question_with_its_page_s_address_after_it_is_answered_not_taken_for_a_link_shared(tmp_path):
    (answer,) = conversation(tmp_path, 640, (f"{QUESTION} https://www.ouest.example/bretagne/prefete",))
    assert "Marie Dupont" in answer and "en une phrase" not in answer


def test_a_message_of_four_questions_is_answered_three_times_and_told_which_to_ask_again(tmp_path):
    """Four questions in one message were searched as one, without a word."""
    library = two_article_library(tmp_path)
    asked = f"{QUESTION} Quelles fonctions occupait-elle ? Où sont les castors ? Combien de familles de castors ?"

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            await handle(application, private_message(700, asked))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        *answers, left = replies_to(telegram, 700)
        assert len(answers) == 3 and "Marie Dupont" in answers[0]  # each answered under its own words
        assert "Quelles fonctions occupait-elle ?" in answers[1] and "Où sont les castors ?" in answers[2]
        assert left == (
            "Je réponds à 3 questions par message au plus : posez à part la suivante, "
            "« Combien de familles de castors ? »."
        )
    library.close()
