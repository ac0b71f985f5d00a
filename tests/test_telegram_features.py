"""What users expect of a Telegram bot that knows a news library, played against the real
`python -m bot serve` and the fake Bot API: inline mode, followed feeds and channels,
buttons that survive a restart, 👍/👎 exported as an evaluation set, links that land on
the quote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT
from tests.fake_telegram import BOT_USERNAME, FakeTelegram
from tests.feed_fixtures import STORIES, publish_site
from tests.http_fixtures import FeedSite
from tests.test_telegram_bot import ADMIN, TOKEN, ask, running_bot

pytestmark = pytest.mark.slow

SETTINGS = {
    "QUESTIONS_PER_MINUTE": "4",
    "RESULTS_PER_PAGE": "1",
}
BRIDGE = "Quand le pont de Saint-Nazaire sera-t-il fermé ?"


@pytest.fixture(scope="module")
def site():
    with FeedSite() as running:
        publish_site(running, STORIES[:2])
        yield running


@pytest.fixture(scope="module")
def telegram():
    with FakeTelegram(TOKEN) as fake:
        yield fake


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return tmp_path_factory.mktemp("bot-data")


@pytest.fixture(scope="module")
def bot(telegram, data, model_cache, site):
    with running_bot(telegram, data, model_cache, **SETTINGS) as running:
        # The library the tests ask about: the region's feed, followed by an admin.
        ask(telegram, ADMIN, ADMIN, f"/follow {site.origin}/rss/region.xml", "Flux suivi")
        yield running


def wait_until(condition, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:  # bounded by the deadline
        if value := condition():
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def cli(data, model_cache, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATA_DIR": str(data), "MODEL_CACHE_DIR": str(model_cache)}
    return subprocess.run([sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, timeout=300)


def feeds(telegram) -> str:
    return ask(telegram, ADMIN, ADMIN, "/feeds", "Flux suivis")


def articles_in_library(telegram) -> int:
    stats = ask(telegram, ADMIN, ADMIN, "/stats", "Bibliothèque")
    return int(stats.split("Articles : ")[1].split("\n")[0])


def test_following_a_feed_adds_its_articles(bot, telegram, site):
    # Its later polls, at an interval the test sets, are played in this process
    # (`tests/test_feeds.py`): a user may ask for one a minute at the fastest.
    status = telegram.wait_for_text(ADMIN, "Flux suivi")
    assert "La Gazette de l&#x27;Ouest - Région" in status or "La Gazette de l'Ouest - Région" in status
    assert "2 articles ajoutés" in status
    answer = ask(telegram, 51, 51, BRIDGE, "blockquote")
    assert "10 et du 11 mars" in answer
    ask(telegram, 53, 53, "/follow https://exemple.fr/rss", "réservée aux administrateurs")


def test_a_followed_channel_s_posts_become_articles_with_their_link(bot, telegram):
    ask(telegram, ADMIN, ADMIN, "/follow @inconnue", "Je ne trouve pas")
    private = telegram.add_channel("sansbot", "Sans le bot", bot_is_admin=False)
    assert "administrateur" in ask(telegram, ADMIN, ADMIN, "/follow @sansbot", "pas administrateur")
    channel = telegram.add_channel("gazetteouest", "La Gazette en direct", bot_is_admin=True)
    ask(telegram, ADMIN, ADMIN, "/follow https://t.me/gazetteouest", "Chaîne suivie")
    before = articles_in_library(telegram)
    telegram.channel_post(private, "Le marché de Noël de Nantes ouvrira le 22 novembre sur la place Royale.")
    post = telegram.channel_post(
        channel,
        "La ligne de tramway de Brest sera prolongée jusqu'au quartier de Bellevue d'ici 2027, a voté le conseil "
        "de la métropole jeudi. Le chantier coûtera 180 millions d'euros.",
    )
    wait_until(lambda: articles_in_library(telegram) == before + 1, timeout=30)  # the followed channel's only
    answer = ask(telegram, 54, 54, "Jusqu'où la ligne de tramway de Brest sera-t-elle prolongée ?", "blockquote")
    assert "Bellevue" in answer and f"https://t.me/gazetteouest/{post['message_id']}" in answer
    assert "Noël" not in ask(telegram, ADMIN, ADMIN, "/articles", "Articles")  # not followed: not ingested
    assert not telegram.calls_to("sendMessage", channel["id"])  # nothing is said in the channel


def test_inline_mode_lists_passages_and_posts_the_chosen_quote(bot, telegram, site):
    query_id = telegram.inline_query(61, BRIDGE)
    answer = telegram.inline_answer(query_id)
    results = answer["results"]
    assert results and results[0]["title"] == STORIES[0].title
    assert "10 et du 11 mars" in results[0]["description"]
    posted = results[0]["input_message_content"]["message_text"]
    assert "<b>" in posted and "Le pont de Saint-Nazaire fermé deux nuits pour travaux" in posted
    assert f'href="{site.origin}/articles/{STORIES[0].slug}#:~:text=' in posted  # lands on the quote
    assert int(answer["cache_time"]) == 60

    nothing = telegram.inline_answer(telegram.inline_query(61, "Quelle est la recette de la tarte Tatin ?"))
    assert [r["id"] for r in nothing["results"]] == ["nothing"]
    assert "rien trouvé" in nothing["results"][0]["input_message_content"]["message_text"]

    # A question on an article's details names its subject: the article's card is posted.
    query = telegram.inline_query(64, "Quand a été publié l'article sur le pont de Saint-Nazaire ?")
    card = telegram.inline_answer(query)["results"][0]
    assert card["title"] == STORIES[0].title and "est daté du 3 mars 2025." in card["description"]
    posted = card["input_message_content"]["message_text"]
    assert f"<b>{STORIES[0].title}</b>\nDate : 3 mars 2025" in posted and f"{site.origin}/articles/" in posted

    for unfinished in ("Qu", "???", "Bonjour !"):  # still being typed, no word, or no question: a hint
        hint = telegram.inline_answer(telegram.inline_query(61, unfinished))
        assert hint["results"] == [] and "Tapez une question" in hint["button"]["text"]

    telegram.chosen_inline_result(61, results[0]["id"], BRIDGE)
    assert "citations publiées dans d'autres conversations : 1" in wait_until(
        lambda: (text := ask(telegram, ADMIN, ADMIN, "/feedback", "Retours")) and "conversations : 1" in text and text,
        timeout=20,
    )


def test_a_follow_up_question_is_answered_from_the_article_the_conversation_is_about(bot, telegram):
    opening = "Qui chantera à la soirée d'ouverture du festival de Cornouaille ?"
    ask(telegram, 77, 77, opening, "Nolwenn Korbell")
    reply = ask(telegram, 77, 77, "D'où est-elle originaire ?", "Douarnenez")
    assert f"<i>↪ suite de « {opening} »</i>" in reply  # the asker sees what it was read with
    # Someone else, who asked nothing before, gets no conversation: "elle" is nobody.
    other = ask(telegram, 78, 78, "D'où est-elle originaire ?", "")
    assert "suite de" not in other


def test_la_suite_reads_the_article_on_from_the_last_quote_to_its_end(bot, telegram):
    ask(telegram, 79, 79, "Qui chantera à la soirée d'ouverture du festival de Cornouaille ?", "Nolwenn Korbell")
    then = ask(telegram, 79, 79, "La suite ?", "Les billets seront mis en vente")
    assert "<i>↪ suite de « Qui chantera" in then and "<b>Les billets seront mis en vente le 1er avril." in then
    assert "l'article s'arrête là" in ask(telegram, 79, 79, "Dis-m'en plus", "s'arrête")
    # Someone who asked nothing is told how it works.
    assert "posez d'abord une question" in ask(telegram, 80, 80, "La suite ?", "lecture poursuivre")


def test_the_la_suite_button_under_an_answer_reads_on_in_a_new_message_until_the_article_ends(bot, telegram):
    ask(telegram, 81, 81, "Qui chantera à la soirée d'ouverture du festival de Cornouaille ?", "Nolwenn Korbell")
    message, read_on = telegram.button(81, "📖 La suite")
    after = telegram.last_id()
    telegram.callback(81, 81, message, read_on)
    then = telegram.wait_for_text(81, "Les billets seront mis en vente", after=after)
    assert "🔎 <b>La suite ?</b>" in then and "<i>↪ suite de « Qui chantera" in then
    # That sentence ends the article: its answer has the other buttons, none to read on.
    newest, _ = telegram.button(81, "👍")
    assert newest["message_id"] > message["message_id"]
    labels = [button["text"] for row in newest["reply_markup"]["inline_keyboard"] for button in row]
    assert not any(label.startswith("📖") for label in labels)
    # The first answer's button still reads on from its own quote.
    after = telegram.last_id()
    telegram.callback(81, 81, message, read_on)
    assert "Les billets seront mis en vente" in telegram.wait_for_text(81, "Les billets", after=after)


def test_la_suite_presses_count_as_questions_under_the_per_user_limit(bot, telegram):
    ask(telegram, 82, 82, "Qui chantera à la soirée d'ouverture du festival de Cornouaille ?", "Nolwenn Korbell")
    message, read_on = telegram.button(82, "📖 La suite")
    for _ in range(3):  # with the question, the 4 a minute this bot allows: each reads on
        after = telegram.last_id()
        telegram.callback(82, 82, message, read_on)
        telegram.wait_for_text(82, "Les billets seront mis en vente", after=after)
    after = telegram.last_id()
    pressed = telegram.callback(82, 82, message, read_on)  # the fifth in the minute
    answered = telegram.wait_for(
        lambda: [c for c in telegram.calls_to("answerCallbackQuery") if c.params.get("callback_query_id") == pressed]
    )
    alert = answered[0].params
    assert "patientez" in alert["text"] and alert.get("show_alert") in (True, "true", "True")
    assert telegram.texts(82, after=after) == []  # nothing more read to the chat


def test_people_asking_on_behalf_of_a_chat_each_have_their_own_allowance(bot, telegram):
    """Telegram shows every anonymous group admin as one user (and people posting as a channel
    as that channel): their questions count for the chat they speak for, not for all of them."""
    anonymous_admin = 1087968824  # the "Group" user each anonymous admin's messages come from
    for group in (-91, -92):
        speaking_for = {"id": group, "type": "supergroup", "title": f"Groupe {group}"}
        for _ in range(3):  # 3 + 3 questions: beyond the 4 a minute one asker has
            after = telegram.last_id()
            telegram.user_message(group, anonymous_admin, f"/ask@{BOT_USERNAME} {BRIDGE}", sender_chat=speaking_for)
            assert "patientez" not in telegram.wait_for(lambda g=group, a=after: telegram.texts(g, a))[0]


def test_inline_answers_are_reused_and_the_per_user_limit_applies(bot, telegram):
    for _ in range(6):  # the same question: answered from the cache, never limited
        assert telegram.inline_answer(telegram.inline_query(62, BRIDGE))["results"]
    answers = [
        telegram.inline_answer(telegram.inline_query(63, f"{word} du pont de Saint-Nazaire ?"))
        for word in ("Dates", "Horaires", "Travaux", "Déviation", "Joints", "Fermeture")
    ]
    assert all(a["results"] for a in answers[:4])
    assert not answers[-1]["results"] and "patientez" in answers[-1]["button"]["text"].lower()


def test_answer_buttons_still_work_after_a_restart(telegram, data, model_cache, site, bot):
    ask(telegram, 71, 71, BRIDGE, "blockquote")
    message, more = telegram.button(71, "Plus de passages")
    process, _ = bot
    process.terminate()
    process.wait(timeout=30)
    with running_bot(telegram, data, model_cache, **SETTINGS):
        before = telegram.texts(71)[-1]
        telegram.callback(71, 71, message, more)
        edited = wait_until(lambda: telegram.texts(71)[-1] != before and telegram.texts(71)[-1], timeout=30)
        assert "suite (2)" in edited
        telegram.callback(71, 71, message, "p|plusvalable0000|1")  # unknown: answered politely
        telegram.wait_for(
            lambda: any("expiré" in c.params.get("text", "") for c in telegram.calls_to("answerCallbackQuery"))
        )
        # Feedback on an answer from before the restart, exported as an evaluation set.
        _, up = telegram.button(71, "👍")
        telegram.callback(71, 71, message, up)
        ask(telegram, 72, 72, "Combien de spectateurs le festival de Cornouaille a-t-il accueillis ?", "blockquote")
        message, down = telegram.button(72, "👎")
        telegram.callback(72, 72, message, down)
        text = wait_until(
            lambda: (t := ask(telegram, ADMIN, ADMIN, "/feedback", "Retours")) and "👎 1" in t and t, timeout=20
        )
        assert "👍 1" in text and "spectateurs le festival de Cornouaille" in text
        export = data / "retours" / "questions.jsonl"
        result = cli(data, model_cache, "feedback", "export", str(export))
        assert result.returncode == 0, result.stderr
        approved = [json.loads(line) for line in export.read_text().splitlines()]
        assert [q["question"] for q in approved] == [BRIDGE]
        assert approved[0]["answers"][0] in approved[0]["context"] and "mars" in approved[0]["answers"][0]
        articles = [json.loads(line) for line in (export.parent / "articles.jsonl").read_text().splitlines()]
        assert [a["article_id"] for a in articles] == [approved[0]["article_id"]]
        review = [json.loads(line) for line in (export.parent / "questions.review.jsonl").read_text().splitlines()]
        assert [r["question"] for r in review] == [
            "Combien de spectateurs le festival de Cornouaille a-t-il accueillis ?"
        ]
        again = cli(data, model_cache, "feedback", "export", str(export))  # never replaces files unasked
        assert again.returncode == 2 and "--force" in again.stderr and export.read_text().count("\n") == 1
        assert cli(data, model_cache, "feedback", "export", str(export), "--force").returncode == 0
        measured = cli(data, model_cache, "eval", str(export), "--json")
        assert measured.returncode == 0, measured.stderr
        assert json.loads(measured.stdout)["retrieval"][-1]["hit_at_1"] == 1.0
