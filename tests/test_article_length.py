"""An article holds at most ARTICLE_MAX_WORDS words, whichever way it comes in: a longer text
is refused before any of it is embedded (a 20 MB text is some 3 million words, an hour of the
model on a small CPU), nothing is stored, and its sender is told both counts and what to do."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

import pytest

from bot.feeds import FeedFollower
from bot.settings import Settings, settings_errors
from bot.state import BotState
from index.cleaning import Block
from index.documents import Document
from index.errors import ArticleTooLong
from index.ingest import within_article_words
from tests.fake_telegram import FakeTelegram
from tests.feed_fixtures import STORIES, publish_site
from tests.http_fixtures import FeedSite
from tests.telegram_in_process import TOKEN, bot_in_process, handle, private_message, two_article_library

USER = 700
# 17 words, then 5: 22 in all (the first line is the title, not counted: it is not embedded as text).
PASTED = (
    "Le marché de Noël\n\n"
    "Le marché de Noël de Strasbourg ouvrira le 22 novembre avec 300 chalets, a annoncé la mairie.\n\n"
    "Il fermera le 24 décembre."
)


def words(count: int) -> Document:
    return Document("Un rapport", (Block("paragraph", " ".join(["mot"] * count)),))


def test_a_text_over_the_limit_is_refused_with_both_counts_as_french_writes_them():
    with pytest.raises(ArticleTooLong) as refused:
        within_article_words(words(50_001), 50_000)
    assert (refused.value.words, refused.value.max_words) == (50_001, 50_000)
    assert str(refused.value) == "ce texte compte 50\u202f001 mots ; un article en compte au plus 50\u202f000"
    exactly = words(50_000)
    assert within_article_words(exactly, 50_000) is exactly  # the limit itself is allowed


def test_words_are_counted_across_paragraphs_headings_included():
    document = Document("T", (Block("heading", "Deux mots"), Block("paragraph", "trois mots ici")))
    assert within_article_words(document, 5) is document
    with pytest.raises(ArticleTooLong):
        within_article_words(document, 4)


def test_a_text_without_spaces_counts_a_word_every_twenty_characters_as_its_passages_are_cut():
    """Else 20 MB of letters without a space, one "word", went in: 5,000 passages to embed."""
    unspaced = Document("T", (Block("paragraph", "a" * 20_000),))
    with pytest.raises(ArticleTooLong) as refused:
        within_article_words(unspaced, 500)
    assert refused.value.words == 1_000


def test_the_limit_is_a_positive_number_of_words_said_in_french_otherwise():
    assert Settings(_env_file=None).article_max_words == 50_000
    for given in ("0", "-5", "beaucoup"):
        with pytest.raises(ValueError) as raised:
            Settings(_env_file=None, article_max_words=given)
        [said] = settings_errors(raised.value)
        assert said.startswith("ARTICLE_MAX_WORDS : ") and ("au moins 1" in said or "un entier" in said), said


def test_a_pasted_text_over_the_limit_is_refused_in_telegram_and_at_the_limit_added(tmp_path):
    library = two_article_library(tmp_path)

    async def send(telegram: FakeTelegram, limit: int) -> None:
        async with bot_in_process(telegram, library, tmp_path, article_max_words=limit) as (application, _):
            await handle(application, private_message(USER, f"/ingest {PASTED}"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(send(telegram, 21))
        refused = telegram.texts(USER)[-1]
        assert (
            "Je n'ai pas pu ajouter cet article : ce texte compte 22 mots ; un article en compte au plus 21. "
            "Envoyez-le en plusieurs parties." in refused
        ), refused
        assert "ARTICLE_MAX_WORDS" not in refused  # a setting the chat user cannot change
        assert library.stats().articles == 2  # nothing stored
        asyncio.run(send(telegram, 22))
        assert "Ajouté" in telegram.texts(USER)[-1]
    assert library.stats().articles == 3
    library.close()


def test_a_followed_feed_s_entry_over_the_limit_is_left_out_and_the_others_stored(tmp_path, library, caplog):
    long_story = replace(STORIES[1], paragraphs=STORIES[1].paragraphs * 10)  # some 850 words
    settings = Settings(
        _env_file=None, data_dir=tmp_path / "data", ingest_allow_private_urls=True, article_max_words=500
    )
    state = BotState.open(settings.state_file)
    with FeedSite() as site:
        publish_site(site, STORIES[:2])
        site.publish(f"/articles/{long_story.slug}", "text/html; charset=utf-8", long_story.page())
        follower = FeedFollower(library, state, settings)
        feed, _ = follower.follow(site.origin + "/rss/region.xml")
        with caplog.at_level(logging.INFO, logger="bot.feeds"):
            report = follower.poll(feed.id)
    state.close()
    assert not report.error and [library.article(i).title for i in report.added] == [STORIES[0].title]
    assert [a.title for a in library.articles()] == [STORIES[0].title]
    [line] = [r.getMessage() for r in caplog.records if long_story.slug in r.getMessage()]
    assert "un article en compte au plus 500" in line
    # Given up at once, as long at the next polls: the admins are told why, and the setting.
    [(link, why)] = report.given_up
    assert link.endswith(long_story.slug) and why.endswith(
        "au plus 500 (réglage ARTICLE_MAX_WORDS). Ajoutez-le en plusieurs parties."
    )
