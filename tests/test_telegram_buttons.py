"""The buttons under an answer, pressed long after it or over and over: what they show and
what they send. The real application in this process (`tests.telegram_in_process`) over a
real library on the hashing embedder."""

from __future__ import annotations

import asyncio

from bot.telegram import messages as msg
from index.documents import parse_text
from index.library import Library
from tests.conftest import HashingEmbedder
from tests.fake_telegram import FakeTelegram
from tests.telegram_in_process import ADMIN, TOKEN, bot_in_process, chat_message, handle, pressed, private_message

USER = 4242
PREFECT = (
    "Le préfet de région nommé\n\nMarie Dupont a été nommée préfète de la région Bretagne mercredi. "
    "Elle occupait auparavant le poste de directrice de cabinet du ministre de l'Intérieur.\n\n"
    "Marie Dupont, préfète de la région Bretagne, a visité le port de Brest jeudi. "
    "La préfète de région a rencontré les pêcheurs et les élus du Finistère pendant trois heures."
)
BEAVER = (
    "Le castor revient en Loire\n\nLe castor d'Europe a recolonisé trente kilomètres de berges de la Loire. "
    "Les naturalistes ont compté quarante familles de castors cette année."
)
QUESTION = "Qui a été nommée préfète de la région Bretagne ?"


def library_of(tmp_path, *texts: str) -> Library:
    library = Library(tmp_path / "index", HashingEmbedder(), max_words=30)
    library.ingest([parse_text(text) for text in texts])
    return library


def test_a_kept_page_quoting_an_article_deleted_since_is_not_shown_again(tmp_path):
    library = library_of(tmp_path, PREFECT, BEAVER)

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
    library = library_of(tmp_path, PREFECT, BEAVER)
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
