"""Administration: /stats, /articles (paged), /delete ID (confirmed with a button), /reindex,
/feedback. Admins only."""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.permissions import is_admin
from bot.postgres_refusals import postgres_refusal
from bot.replies.cards import articles_matching
from bot.service import Abandoned, delete_article
from bot.telegram import group_share, under_way
from bot.telegram import messages as msg
from bot.telegram.context import BotService, Context
from bot.telegram.sending import StatusProgress, edit, reply
from index.errors import LibraryError, NotFound, no_space_left

log = logging.getLogger("bot.telegram")
ARTICLES_PER_PAGE = 20
Handler = Callable[[Update, Context], Awaitable[None]]


# Button data of a page of /articles (admins only: nothing to hide or to bind to a chat).
ARTICLES_PAGE = re.compile(r"^l\|(\d{1,9})$")
# Button data of /delete's question: the article's id, to delete ("d") or keep ("k"). Ids are
# never given again once deleted (AUTOINCREMENT, BIGSERIAL), so an old button names no other.
DELETE, KEEP = "d", "k"
DELETE_CHOICE = re.compile(rf"^(?P<choice>[{DELETE}{KEEP}])\|(?P<id>\d{{1,18}})$")


def admin_only(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def guarded(update: Update, context: Context) -> None:
        user = update.effective_user
        settings = context.service.settings
        if not is_admin(user and user.id, settings):
            if update.callback_query:
                await update.callback_query.answer(msg.REFUSED, show_alert=True)
                return
            message = update.effective_message
            anonymous = message.sender_chat is not None and message.sender_chat.id == message.chat_id
            if anonymous:
                await reply(message, msg.e(msg.REFUSED_ANONYMOUS))
            elif not settings.admin_user_ids and user is not None:
                # A bot with no admin yet: whoever tries its admin commands is most likely its
                # owner, who is told how to become one, with the id to write.
                await reply(message, msg.no_admin_yet_html(user.id))
            else:
                await reply(message, msg.e(msg.REFUSED))
            return
        await handler(update, context)

    return guarded


@admin_only
async def cmd_stats(update: Update, context: Context) -> None:
    stats = await asyncio.to_thread(context.service.library.stats)
    await reply(update.effective_message, msg.stats_html(stats))


@admin_only
async def cmd_delete(update: Update, context: Context) -> None:
    """Shows the article and asks before deleting it: a mistyped id, once deleted, is an
    article lost (its text is gone with it)."""
    message = update.effective_message
    if len(context.args or []) != 1 or not context.args[0].isdecimal() or len(context.args[0]) > 18:
        await reply(message, msg.DELETE_USAGE)
        return
    try:
        article = await asyncio.to_thread(context.service.library.article, int(context.args[0]))
    except NotFound:
        await reply(message, msg.no_such_article_html(context.args[0]))
        return
    await reply(
        message, msg.delete_question_html(article, zone=context.service.settings.zone), delete_markup(article.id)
    )


def delete_markup(article_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("🗑 Supprimer", callback_data=f"{DELETE}|{article_id}"),
                InlineKeyboardButton("Annuler", callback_data=f"{KEEP}|{article_id}"),
            ]
        ]
    )


@admin_only
async def on_delete_choice(update: Update, context: Context) -> None:
    """The answer to /delete's question; pressed again, or after another admin deleted the
    article, it says the article is no longer there."""
    query = update.callback_query
    if not group_share.within(context.chat_data, query.message, query.from_user.id):
        await query.answer(msg.GROUP_SLOW_DOWN)
        return
    await query.answer()
    chosen = DELETE_CHOICE.match(query.data)
    article_id = int(chosen["id"])
    if chosen["choice"] == KEEP:
        await edit(query.message, msg.kept_html(article_id))
        return
    try:
        service = context.service
        article = await asyncio.to_thread(delete_article, service.library, service.state, article_id)
    except NotFound:
        await edit(query.message, msg.no_such_article_html(str(article_id)))
        return
    await edit(query.message, msg.deleted_html(article))


def articles_markup(page: int, total: int) -> InlineKeyboardMarkup | None:
    """Previous and next page; and, in a list of many pages, its first and last (the articles
    added last are on the last page: a library of hundreds was dozens of presses away)."""
    last = max((total - 1) // ARTICLES_PER_PAGE, 0)
    buttons = []
    if page > 0:
        buttons.append(InlineKeyboardButton("◀ Page précédente", callback_data=f"l|{page - 1}"))
    if page < last:
        buttons.append(InlineKeyboardButton("Page suivante ▶", callback_data=f"l|{page + 1}"))
    ends = []
    if page > 1:
        ends.append(InlineKeyboardButton("⏮ Première page", callback_data="l|0"))
    if page < last - 1:
        ends.append(InlineKeyboardButton("Dernière page ⏭", callback_data=f"l|{last}"))
    rows = [row for row in (buttons, ends) if row]
    return InlineKeyboardMarkup(rows) if rows else None


async def articles_page(context: Context, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """The `page`-th page of the list, or its last page when articles deleted since the
    button was made leave fewer."""
    library = context.service.library
    total = (await asyncio.to_thread(library.stats)).articles
    page = max(min(page, (total - 1) // ARTICLES_PER_PAGE), 0)
    articles = await asyncio.to_thread(library.articles, page * ARTICLES_PER_PAGE, ARTICLES_PER_PAGE)
    return msg.articles_page_html(articles, page, total, ARTICLES_PER_PAGE), articles_markup(page, total)


@admin_only
async def cmd_articles(update: Update, context: Context) -> None:
    """The list's first page; `/articles WORDS`, the articles whose title or link holds them."""
    words = " ".join(context.args or [])
    if not words:
        text, markup = await articles_page(context, 0)
        await reply(update.effective_message, text, markup)
        return
    found = articles_matching(await asyncio.to_thread(context.service.library.articles), words)
    await reply(update.effective_message, msg.articles_found_html(words, found, ARTICLES_PER_PAGE))


@admin_only
async def on_articles_page(update: Update, context: Context) -> None:
    query = update.callback_query
    if not group_share.within(context.chat_data, query.message, query.from_user.id):
        await query.answer(msg.GROUP_SLOW_DOWN)
        return
    await query.answer()
    text, markup = await articles_page(context, int(ARTICLES_PAGE.match(query.data)[1]))
    await edit(query.message, text, markup)


@admin_only
async def cmd_feedback(update: Update, context: Context) -> None:
    state = context.service.state
    counts = await asyncio.to_thread(state.feedback_counts)
    rejected = await asyncio.to_thread(state.votes, -1, 5)
    await reply(update.effective_message, msg.feedback_html(counts, rejected))


@admin_only
async def cmd_reindex(update: Update, context: Context) -> None:
    service = context.service
    if service.reindex_running:
        await reply(update.effective_message, msg.REINDEX_RUNNING)
        return
    status = await reply(update.effective_message, msg.REINDEX_STARTED)
    # Through the application: a stopping bot waits for it (or gives it up) before it exits.
    service.reindexing = context.application.create_task(reindex(service, status))


async def reindex(service: BotService, status: Message) -> None:
    """Rebuild in a worker thread, editing one status message with progress; questions
    and ingests go on meanwhile (the rebuild takes in what they change). Its status is
    remembered until it says the outcome: told by the next process if this one dies."""
    async with under_way.remembered(service, status, "reindex"):
        progress = StatusProgress(status, msg.reindex_progress_html, asyncio.get_running_loop())
        try:
            report = await service.run_long(service.library.reindex, service.stop.checked(progress))
        except Abandoned:
            await progress.show(msg.REINDEX_ABANDONED)
            return
        except LibraryError as exc:
            await progress.show(msg.reindex_error_html(str(exc)))
            return
        except Exception as exc:
            if no_space_left(exc):  # a rebuild writes a whole new copy: room to make, not a fault
                log.warning("reindex stopped by a full disk: %s", exc)
                await progress.show(msg.reindex_error_html(msg.REINDEX_NO_SPACE))
                return
            if (refused := postgres_refusal(exc)) is not None:  # a right the role lacks, a timeout: said
                log.warning("reindex refused by PostgreSQL: %s", exc)
                await progress.show(msg.reindex_error_html(refused))
                return
            log.exception("reindex failed")
            await progress.show(msg.error_html(msg.REINDEX_FAILED))
            return
        await progress.show(
            msg.reindex_done_html(report.articles, report.passages, report.added_meanwhile, report.deleted_meanwhile)
        )
