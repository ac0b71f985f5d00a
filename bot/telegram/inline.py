"""Inline mode: `@bot question` typed in any chat lists the passages that answer, one per
result (the article's title, the answering sentence); choosing one posts the quote with
its title, date and a link that opens the page at the quote.

Enabled with @BotFather (`/setinline`; `/setinlinefeedback` to hear which result was
chosen). Results for the same question are reused for `INLINE_CACHE_SECONDS`, by every
process of the bot (`bot.state`) while the library holds the same articles, and by Telegram
(but for "rien trouvé", which an article added may make untrue at once); a query is searched once its user pauses in
the typing, and a question that runs a search counts against the user's per-minute limit,
once however far it is typed on (`bot.telegram.inline_typing`)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from datetime import tzinfo

from telegram import InlineQueryResultArticle, InlineQueryResultsButton, InputTextMessageContent, Update

from bot.chat_input import holds_words, is_bare_link
from bot.replies.answers import (
    IN_ENGLISH,
    NOTHING_TO_READ_ON,
    WHICH_ARTICLE,
    answered_articles,
    is_less_related,
    is_unsure,
    suggests_french,
)
from bot.replies.cards import detail_sentence
from bot.replies.quote_links import quote_context
from bot.small_talk import not_in_french, small_talk
from bot.telegram import messages as msg
from bot.telegram.context import Context
from bot.telegram.typography import french_spacing_html
from index.article_questions import Detail
from index.conversation import Topic
from index.library import Answer

MIN_QUESTION_CHARS = 3  # shorter: still being typed
NOTHING_FOUND_ID = "nothing"  # the one result of a question nothing answers


def inline_results(
    answer: Answer, sure_from: float, before_passages: Mapping[int, str] | None = None, *, zone: tzinfo
) -> list[dict]:
    """The results of an answer as plain data (what the shared cache keeps); each one's
    sentence marked uncertain below `sure_from` (SURE_ANSWER_THRESHOLD), or less related than a
    sure answer (`is_less_related`), and the text of the
    button above them, when there is one, under the first's "button" (a question in English:
    `bot.replies.answers.suggests_french`; not posted with any result); `before_passages`:
    each passage's article before it (`Library.texts_before`), for links that land on the quote;
    `zone`: TIME_ZONE, for the day an article was added."""
    mark = msg.INLINE_UNSURE if is_unsure(answer, sure_from) else ""
    if answer.detail is not None:  # "Qui a écrit l'article sur le castor ?": the article's card
        return _detail_results(answer, answer.detail, zone=zone)
    if not answer.found and answer.read_on is not None:  # no conversation here to read on in
        return [
            {
                "id": "read-on",
                "title": msg.INLINE_READ_ON_TITLE,
                "description": msg.INLINE_READ_ON_DESCRIPTION,
                "text": msg.e(NOTHING_TO_READ_ON),
            }
        ]
    if not answer.found and not_in_french(answer.question):  # "essayez d'autres mots" would not help
        return [
            {
                "id": NOTHING_FOUND_ID,
                "title": msg.INLINE_IN_ENGLISH_TITLE,
                "description": msg.INLINE_IN_ENGLISH_DESCRIPTION,
                "text": msg.e(IN_ENGLISH),
            }
        ]
    if not answer.found:
        return [
            {
                "id": NOTHING_FOUND_ID,
                "title": msg.INLINE_NOTHING_TITLE,
                "description": msg.INLINE_NOTHING_DESCRIPTION,
                "text": msg.inline_nothing_found_html(answer.question),
            }
        ]
    results = [
        {
            "id": str(result.passage_id),
            "title": msg.title_of(result.article, 100),
            "description": (msg.INLINE_LESS_RELATED if is_less_related(answer, result, sure_from) else mark)
            + msg.shorten(result.quote, 200),
            "text": msg.inline_quote_html(result, quote_context(result, before_passages or {}), zone=zone),
        }
        for result in answer.results
    ]
    if results and suggests_french(answer, sure_from):  # kept with the results, in the shared cache
        results[0]["button"] = msg.INLINE_ASK_IN_FRENCH
    return results


def _detail_results(answer: Answer, detail: Detail, *, zone: tzinfo) -> list[dict]:
    if not answer.found:  # no conversation here to say which article: its subject must
        return [
            {
                "id": "which",
                "title": msg.INLINE_WHICH_ARTICLE_TITLE,
                "description": msg.INLINE_WHICH_ARTICLE_DESCRIPTION,
                "text": msg.e(WHICH_ARTICLE),
            }
        ]
    return [
        {
            "id": f"article-{article.id}",
            "title": msg.title_of(article, 100),
            "description": msg.shorten(detail_sentence(article, detail, zone=zone), 200),
            "text": msg.detail_card_html(article, detail, zone=zone),
        }
        for article in answered_articles(answer)
    ]


def _articles(results: list[dict]) -> list[InlineQueryResultArticle]:
    return [
        InlineQueryResultArticle(
            id=r["id"],
            title=r["title"],
            description=r["description"],
            input_message_content=InputTextMessageContent(french_spacing_html(r["text"])),
        )
        for r in results
    ]


def cache_key(question: str, library_counts: tuple[int, int]) -> str:
    """The question as typed in any case and spacing, with the library's numbers of articles
    and passages (`Library.counts`): results kept before an article was added are not reused
    ("rien trouvé" on the article just added, from every replica or `python -m bot ingest`)."""
    articles, passages = library_counts
    return f"{articles}/{passages} " + " ".join(question.casefold().split())


def telegram_cache_seconds(results: list[dict], seconds: int) -> int:
    """How long Telegram may show these results again without asking: not at all for "rien
    trouvé" (asked again once the article is added, it would be for a minute); the bot's own
    cache answers it meanwhile, with no search."""
    return 0 if [r["id"] for r in results] == [NOTHING_FOUND_ID] else seconds


async def on_inline_query(update: Update, context: Context) -> None:
    query = update.inline_query
    service = context.service
    question = query.query.strip()
    seconds = service.settings.inline_cache_seconds
    # Being typed, no word yet, or "Bonjour" (`bot.small_talk`): the hint, no search.
    if len(question) < MIN_QUESTION_CHARS or not holds_words(question) or small_talk(question) is not None:
        await query.answer([], cache_time=seconds, button=_help_button(msg.INLINE_HINT))
        return
    if is_bare_link(question):  # a page to add, as in the chat (searched, "www" found passages): how
        await query.answer([], cache_time=seconds, button=_help_button(msg.INLINE_LINK_HINT))
        return
    user_id = query.from_user.id
    if not await service.inline_typing.settled(user_id, query.id):  # still being typed
        return
    key = cache_key(question, await asyncio.to_thread(service.library.counts))
    results = await asyncio.to_thread(service.state.cached_inline, key, seconds)
    if results is None:
        counted = service.inline_typing.counts(user_id, question)
        if counted and not await asyncio.to_thread(service.may_ask, user_id):
            await query.answer([], cache_time=0, is_personal=True, button=_help_button(msg.INLINE_SLOW_DOWN))
            return
        answer = await asyncio.to_thread(service.library.ask, question, service.settings.top_k)
        shown = [r.passage_id for r in answer.results] if answer.found and answer.detail is None else []
        before_passages = await asyncio.to_thread(service.library.texts_before, shown) if shown else {}
        settings = service.settings
        results = inline_results(answer, settings.sure_answer_threshold, before_passages, zone=settings.zone)
        await asyncio.to_thread(service.state.cache_inline, key, results)
    button = _help_button(results[0]["button"]) if results and "button" in results[0] else None
    await query.answer(_articles(results), cache_time=telegram_cache_seconds(results, seconds), button=button)


async def on_chosen_inline_result(update: Update, context: Context) -> None:
    """Which result a user posted (sent by Telegram once `/setinlinefeedback` is on): counted
    with the feedback, as a sign that the passage answered."""
    chosen = update.chosen_inline_result
    await asyncio.to_thread(
        context.service.state.record_inline_choice, chosen.from_user.id, chosen.query, chosen.result_id
    )


def posted_quote(text: str) -> str | None:
    """The quote of a message posted from our inline results, as Telegram gives its text back:
    « the quote », then its reference on the last line (`msg.inline_quote_html`); None for
    the other results one may post (an article's card, "rien trouvé")."""
    body, newline, _ = text.rpartition("\n")
    body = body.strip()
    if not newline or not (body.startswith("«") and body.endswith("»")):
        return None
    return body[1:-1].strip() or None


def posted_quote_topic(quote: str, searched: Answer) -> Topic:
    """What a follow-up to a posted `quote` reads in. The message carries neither its passage
    nor the question it was chosen for (Telegram tells the bot which result was chosen, but not
    which message that became), so the quote itself is searched (`searched`): the passage that
    holds it word for word gives its article, and "La suite ?" reads on from where it ends.
    When none does (its article deleted or changed since), its words alone are the topic: a
    follow-up is searched with them, never in the asker's own conversation."""
    words = quote.removesuffix("…").split()  # a long quote is shown cut, "…" after it
    pattern = re.compile(r"\s+".join(map(re.escape, words)))
    for result in searched.results if words else []:
        found = pattern.search(result.passage)
        if found is not None:
            # The quote is the sentence found, shown whole (its end known), or a part of it.
            within = result.quote_start <= found.start() < result.quote_end
            end = max(found.end(), result.quote_end) if within else found.end()
            return Topic(quote, (result.article.id,), (result.passage_id, end))
    return Topic(quote)


def _help_button(text: str) -> InlineQueryResultsButton:
    return InlineQueryResultsButton(text=text, start_parameter="aide")
