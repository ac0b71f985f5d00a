"""When something goes wrong behind the bot: what chat users, channel readers and admins see.

The real application handles updates in this process (`tests.telegram_in_process`); the
library behind it is a stand-in that fails as a full disk would, since a real one cannot be
made to fail on cue.
"""

from __future__ import annotations

import asyncio
import logging
import time

from telegram.ext import ExtBot

from bot.telegram import messages as msg
from bot.telegram.sending import StatusProgress
from index.library import Answer, LibraryStats, Result
from index.store import ArticleRow
from tests.fake_telegram import BOT_USERNAME, FakeTelegram
from tests.telegram_in_process import (
    ADMIN,
    PREFECT_QUESTION,
    TOKEN,
    bot_in_process,
    handle,
    pressed,
    private_message,
    two_article_library,
)

USER = 2002
CHANNEL = -1001234
ARTICLE = ArticleRow(3, "Le castor revient", "2025-06", None, "https://exemple.fr/castor", None, "2026-01-01", 2)
PASSAGE = "Le castor d'Europe a recolonisé trente kilomètres de berges."


class FullDisk(OSError):
    def __init__(self) -> None:
        super().__init__(28, "No space left on device")


class FailingLibrary:
    """Answers from one article, lists `articles` of them, and fails to write or read one."""

    def __init__(self, articles: int = 1) -> None:
        self.count = articles

    def ask(self, question: str, top_k: int = 5, mode: str = "hybrid", topic=None) -> Answer:
        return Answer(question, True, [Result(1, 0.9, 1, ARTICLE, None, PASSAGE, 0, len(PASSAGE))], 0.99)

    def texts_before(self, passage_ids) -> dict[int, str]:
        return dict.fromkeys(passage_ids, "")  # its one passage opens its article

    def stats(self) -> LibraryStats:
        return LibraryStats(self.count, 2 * self.count, "stand-in", 384, 120, 0, "")

    def articles(self, offset: int = 0, limit: int = 20) -> list[ArticleRow]:
        return [ARTICLE] * max(min(limit, self.count - offset), 0)

    def article(self, article_id: int) -> ArticleRow:
        raise FullDisk

    def ingest(self, documents, progress=None, committed=None):
        raise FullDisk

    def reindex(self, progress=None):
        raise FullDisk


def test_a_followed_channel_s_post_that_fails_is_told_to_admins_and_never_to_the_channel(tmp_path):
    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, FailingLibrary(), tmp_path) as (application, state):
            state.add_channel(CHANNEL, "La Gazette", "gazette", ADMIN)
            chat = {"id": CHANNEL, "type": "channel", "title": "La Gazette", "username": "gazette"}
            text = "Le conseil municipal a voté le budget de la ville lundi soir, après trois heures de débat."
            await handle(application, {"channel_post": {"message_id": 5, "date": 0, "chat": chat, "text": text}})

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert not telegram.calls_to("sendMessage", CHANNEL)  # its readers are not the bot's users
        assert "No space left on device" in telegram.calls_to("sendMessage", ADMIN)[0].params["text"]


def test_a_failure_that_repeats_is_told_to_admins_once_and_each_user_still_gets_an_apology(tmp_path):
    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, FailingLibrary(), tmp_path) as (application, _):
            for user in (USER, USER + 1, USER + 2):
                await handle(application, private_message(user, "/ingest Le castor revient dans la vallée du Rhône."))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        notes = [c.params["text"] for c in telegram.calls_to("sendMessage", ADMIN)]
        assert len(notes) == 1 and "No space left on device" in notes[0]  # not one per user
        assert notes[0].startswith("⚠️ Plus de place sur le disque de la bibliothèque")  # theirs to free
        for user in (USER, USER + 1, USER + 2):
            assert telegram.calls_to("sendMessage", user)  # each is told their article was not added...
            told = telegram.calls_to("editMessageText", user)[-1].params["text"]
            assert told == msg.error_html(msg.INGEST_NO_SPACE)  # ...and why: not "an unexpected error"


def test_a_reindex_the_full_disk_stops_tells_the_admin_to_free_room_and_that_nothing_changed(tmp_path):
    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, FailingLibrary(), tmp_path) as (application, _):
            await handle(application, private_message(ADMIN, "/reindex"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        said = telegram.calls_to("editMessageText", ADMIN)[-1].params["text"]
        assert said.startswith("⚠️ Reconstruction impossible : plus de place sur le disque de la bibliothèque")
        assert "telle qu'elle était" in said


def test_a_button_that_fails_stops_spinning_and_its_user_gets_an_apology(tmp_path):
    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, FailingLibrary(), tmp_path) as (application, _):
            await handle(application, private_message(USER, "Où vit le castor ?"))
            message, data = telegram.button(USER, "📄")  # the article's card: reading it fails
            await handle(application, pressed(USER, message, data, query_id="77"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert [c.params["callback_query_id"] for c in telegram.calls_to("answerCallbackQuery")] == ["77"]
        assert telegram.calls_to("sendMessage", USER)[-1].params["text"] == msg.e(msg.APOLOGY)


def test_an_old_next_page_button_of_the_article_list_shows_its_last_page(tmp_path):
    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, FailingLibrary(articles=35), tmp_path) as (application, _):
            listing = telegram.api_sendMessage({"chat_id": ADMIN, "text": "Articles"})
            await handle(application, pressed(ADMIN, listing, "l|2"))  # page 3, made when there were more

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        shown = telegram.calls_to("editMessageText")[-1].params
        assert "page 2/2" in shown["text"] and "vide" not in shown["text"]
        assert "Page suivante" not in str(shown.get("reply_markup"))


def test_a_document_whose_caption_asks_another_bot_to_ingest_it_is_left_alone(tmp_path):
    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, FailingLibrary(), tmp_path) as (application, _):
            for caption in ("/ingest@autre_bot", f"/ingest@{BOT_USERNAME}"):
                document = telegram.add_file("note.txt", b"titre: Note\n\nLa cantine ferme vendredi.")
                await handle(application, private_message(USER, document=document, caption=caption))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        # Only the second was taken in (and failed on the full disk, which the user is told).
        assert [c.params["text"] for c in telegram.calls_to("sendMessage", USER)] == [msg.INGEST_STARTED]
        assert telegram.calls_to("editMessageText")[-1].params["text"] == msg.error_html(msg.INGEST_NO_SPACE)


def test_a_quote_posted_from_the_bot_s_inline_results_in_its_chat_is_not_taken_for_a_question(tmp_path):
    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, FailingLibrary(), tmp_path) as (application, _):
            posted = f"« {PASSAGE} »\nLe castor revient — juin 2025"
            await handle(application, private_message(USER, posted, via_bot=telegram.bot_user()))
            await handle(application, private_message(USER, "Où vit le castor ?"))  # a question still is one

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert len(telegram.calls_to("sendMessage", USER)) == 1


def test_the_outcome_of_long_work_stays_shown_after_a_progress_line_retried_on_a_network_error():
    async def scenario(telegram: FakeTelegram) -> str:
        bot = ExtBot(TOKEN, base_url=telegram.base_url)
        await bot.initialize()
        try:
            status = await bot.send_message(USER, msg.INGEST_STARTED)
            progress = StatusProgress(status, msg.ingest_progress_html, asyncio.get_running_loop(), every=0.0)
            telegram.failures["editMessageText"] = 1  # the last progress line meets one outage

            def work() -> None:  # the worker thread reports its end, then returns
                progress(120, 120)
                time.sleep(0.05)

            await asyncio.to_thread(work)
            await progress.show("✅ Ajouté")
            await asyncio.sleep(1.0)  # longer than a retried edit takes to land
            return telegram.messages[(USER, status.message_id)]["text"]
        finally:
            await bot.shutdown()

    with FakeTelegram(TOKEN) as telegram:
        assert asyncio.run(scenario(telegram)) == "✅ Ajouté"
        assert telegram.calls_to("editMessageText")[-1].params["text"] == "✅ Ajouté"


class LeakingLibrary(FailingLibrary):
    """Fails with an error that quotes a Bot API address, the bot's token in it."""

    def ingest(self, documents, progress=None, committed=None):
        raise RuntimeError(f"https://api.telegram.org/file/bot{TOKEN}/documents/file_7.pdf: connection reset")


def test_the_admins_note_on_a_failure_never_shows_the_bot_s_token(tmp_path):
    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, LeakingLibrary(), tmp_path) as (application, _):
            await handle(application, private_message(USER, "/ingest Le castor revient dans la vallée du Rhône."))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        [note] = [c.params["text"] for c in telegram.calls_to("sendMessage", ADMIN)]
        assert "connection reset" in note and TOKEN not in note and "&lt;token&gt;" in note
        assert not telegram.refused  # valid Telegram HTML


def test_while_the_database_is_out_of_reach_users_are_told_to_come_back_and_the_log_says_it_once(tmp_path, caplog):
    """The bot's database gone from under it (its folder moved: an unmounted disk, a restore
    under way), as a locked one or a PostgreSQL server down: each user reads that the library is
    away for a few minutes, not "une erreur inattendue"; the log and the admins are told once,
    not at each message; the articles are untouched."""
    library = two_article_library(tmp_path)
    data, moved = tmp_path / "state", tmp_path / "moved"

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, data) as (application, _):
            data.rename(moved)
            for user in (USER, USER + 1):
                await handle(application, private_message(user, PREFECT_QUESTION))
            await handle(application, private_message(USER + 2, "/ingest Le castor revient dans la vallée du Rhône."))
            moved.rename(data)

    with FakeTelegram(TOKEN) as telegram, caplog.at_level(logging.INFO):
        asyncio.run(scenario(telegram))
        for user in (USER, USER + 1):
            (said,) = telegram.texts(user)
            assert "bibliothèque est momentanément indisponible" in said and "quelques minutes" in said
        assert telegram.texts(USER + 2)[-1].startswith("⚠️ L'ajout n'a pas pu se faire : la bibliothèque est")
        said = [r for r in caplog.records if "unavailable" in r.getMessage()]
        assert len(said) == 1 and "unable to open database file" in said[0].getMessage()
        [note] = [c.params["text"] for c in telegram.calls_to("sendMessage", ADMIN)]
        assert note.startswith("⚠️ Bibliothèque injoignable")  # a database to bring back, not a bug
    assert library.stats().articles == 2
    library.close()


def test_a_library_folder_gone_while_the_bot_runs_is_an_outage_not_a_new_empty_library(tmp_path, caplog):
    """The library's folder gone from under a running bot (a volume unmounted, a folder moved
    away): questions are told the library is away, as a database out of reach, not "rien
    trouvé"; an article sent meanwhile is refused rather than stored in a new empty library
    that the folder's return would hide; once it is back, questions are answered from it."""
    library = two_article_library(tmp_path)
    folder, away = tmp_path / "index", tmp_path / "unmounted"

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path / "state") as (application, _):
            folder.rename(away)
            for user in (USER, USER + 1):
                await handle(application, private_message(user, PREFECT_QUESTION))
            await handle(application, private_message(ADMIN, "/ingest Le castor revient dans la vallée du Rhône."))
            assert not folder.exists()
            away.rename(folder)
            await handle(application, private_message(USER + 2, PREFECT_QUESTION))

    with FakeTelegram(TOKEN) as telegram, caplog.at_level(logging.INFO):
        asyncio.run(scenario(telegram))
        for user in (USER, USER + 1):
            (said,) = telegram.texts(user)
            assert "bibliothèque est momentanément indisponible" in said
        *_, refused, back = telegram.texts(ADMIN)
        assert refused.startswith("⚠️ L'ajout n'a pas pu se faire : la bibliothèque est")
        assert back == "✅ Bibliothèque de nouveau joignable."
        assert len([r for r in caplog.records if "Library unavailable" in r.getMessage()]) == 1
        assert "Marie Dupont" in telegram.texts(USER + 2)[-1]
    assert library.stats().articles == 2
    library.close()


def test_the_log_and_the_admins_are_told_once_when_the_library_answers_again_after_an_outage(tmp_path, caplog):
    """Told "Bibliothèque injoignable", the admins heard nothing when it came back (and a bot
    without a heartbeat never saw the outage end): the first message that finds it back
    says so, once, to the log and to them; its user is answered."""
    library = two_article_library(tmp_path)
    folder, away = tmp_path / "index", tmp_path / "unmounted"

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path / "state") as (application, _):
            folder.rename(away)
            for user in (USER, USER + 1):  # the second finds it away still: nothing said back
                await handle(application, private_message(user, PREFECT_QUESTION))
            away.rename(folder)
            for user in (USER + 2, USER + 3):
                await handle(application, private_message(user, PREFECT_QUESTION))

    with FakeTelegram(TOKEN) as telegram, caplog.at_level(logging.INFO):
        asyncio.run(scenario(telegram))
        notes = [c.params["text"] for c in telegram.calls_to("sendMessage", ADMIN)]
        assert len(notes) == 2 and notes[0].startswith("⚠️ Bibliothèque injoignable")
        assert notes[1] == "✅ Bibliothèque de nouveau joignable."
        assert len([r for r in caplog.records if "Library available again" in r.getMessage()]) == 1
        for user in (USER + 2, USER + 3):
            assert "Marie Dupont" in telegram.texts(user)[-1]
    assert library.stats().articles == 2
    library.close()


def test_a_data_dir_unmounted_while_the_bot_runs_is_an_outage_and_no_state_is_made_in_its_place(tmp_path, caplog):
    """The volume holding DATA_DIR unmounted under a running bot: its mount point is left,
    empty. Users are told the library is away, not that something unexpected happened: the
    bot's threads that open the state database afresh find it gone, rather than making an
    empty one there (its tables missing) whose writes the volume's return would hide. Once
    it is back, questions are answered again."""
    data, away = tmp_path / "data", tmp_path / "unmounted"
    library = two_article_library(data)

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, data) as (application, _):
            data.rename(away)
            data.mkdir()  # the mount point, empty
            for user in range(USER, USER + 6):  # more users than the threads that may hold a connection
                await handle(application, private_message(user, PREFECT_QUESTION))
            assert not (data / "bot.sqlite3").exists()
            data.rmdir()
            away.rename(data)
            await handle(application, private_message(USER + 9, PREFECT_QUESTION))

    with FakeTelegram(TOKEN) as telegram, caplog.at_level(logging.INFO):
        asyncio.run(scenario(telegram))
        for user in range(USER, USER + 6):
            (said,) = telegram.texts(user)
            assert "bibliothèque est momentanément indisponible" in said
        assert not [r for r in caplog.records if r.getMessage() == "error while handling an update"]
        assert len([r for r in caplog.records if "Library unavailable" in r.getMessage()]) == 1
        assert "Marie Dupont" in telegram.texts(USER + 9)[-1]
    assert library.stats().articles == 2
    library.close()
