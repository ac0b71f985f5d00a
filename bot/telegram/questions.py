"""Questions: answered in private chats, with /ask, or when addressed in a group;
the answer's pages and article cards behind buttons that only work in their chat."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity, Update

from bot.telegram import messages as msg
from bot.telegram.context import Context
from bot.telegram.sending import edit, reply, typing
from index.errors import NotFound


@dataclass(frozen=True)
class AnswerPageButton:
    """Callback data (kept by python-telegram-bot under an unguessable key): one page
    of one answer, valid only in the chat the answer was sent to."""

    chat_id: int
    pages: tuple[msg.AnswerPage, ...]
    page: int


@dataclass(frozen=True)
class ArticleButton:
    chat_id: int
    article_id: int


def answer_markup(chat_id: int, pages: tuple[msg.AnswerPage, ...], page: int) -> InlineKeyboardMarkup:
    navigation = []
    if page > 0:
        navigation.append(
            InlineKeyboardButton("◀ Précédents", callback_data=AnswerPageButton(chat_id, pages, page - 1))
        )
    if page + 1 < len(pages):
        navigation.append(
            InlineKeyboardButton("Plus de passages ▶", callback_data=AnswerPageButton(chat_id, pages, page + 1))
        )
    titles = {r.article.id: msg.title_of(r.article, 40) for r in pages[page].results}
    references = [
        [InlineKeyboardButton(f"📄 {title}", callback_data=ArticleButton(chat_id, article_id))]
        for article_id, title in titles.items()
    ]
    return InlineKeyboardMarkup([navigation, *references] if navigation else references)


async def answer_question(update: Update, context: Context, question: str) -> None:
    service = context.service
    message = update.effective_message
    question = question.strip()
    if not question:
        await reply(message, msg.ASK_USAGE)
        return
    user = update.effective_user
    if user and not service.limiter.allow(user.id):
        await reply(message, msg.e(msg.SLOW_DOWN))
        return
    async with typing(message):
        answer = await asyncio.to_thread(service.library.ask, question, service.settings.top_k)
        empty = not answer.results and (await asyncio.to_thread(service.library.stats)).articles == 0
    if empty:
        await reply(message, msg.empty_library_html())
    elif not answer.found:
        await reply(message, msg.nothing_found_html())
    else:
        pages = tuple(msg.answer_pages(answer, service.settings.results_per_page))
        await reply(message, pages[0].text, answer_markup(message.chat_id, pages, 0))


async def _in_its_chat(update: Update, chat_id: int) -> bool:
    if update.effective_chat is None or update.effective_chat.id != chat_id:
        await update.callback_query.answer(msg.OTHER_CHAT, show_alert=True)
        return False
    return True


async def on_more(update: Update, context: Context) -> None:
    query = update.callback_query
    button: AnswerPageButton = query.data
    if not await _in_its_chat(update, button.chat_id):
        return
    await query.answer()
    await edit(query.message, button.pages[button.page].text, answer_markup(button.chat_id, button.pages, button.page))


async def on_reference(update: Update, context: Context) -> None:
    query = update.callback_query
    button: ArticleButton = query.data
    if not await _in_its_chat(update, button.chat_id):
        return
    try:
        article = await asyncio.to_thread(context.service.library.article, button.article_id)
    except NotFound:
        await query.answer(msg.ARTICLE_GONE, show_alert=True)
        return
    await query.answer()
    await reply(query.message, msg.article_card_html(article))


async def on_expired_button(update: Update, context: Context) -> None:
    """A button whose data is no longer kept (evicted, or from before a restart)."""
    await update.callback_query.answer(msg.EXPIRED, show_alert=True)


async def cmd_ask(update: Update, context: Context) -> None:
    await answer_question(update, context, " ".join(context.args or []))


async def on_private_text(update: Update, context: Context) -> None:
    await answer_question(update, context, update.effective_message.text)


async def on_group_text(update: Update, context: Context) -> None:
    """In groups, answer only when addressed: a mention, or a reply to one of our messages."""
    message = update.effective_message
    username = (context.bot.username or "").lower()
    mentions = [
        text
        for entity, text in message.parse_entities([MessageEntity.MENTION]).items()
        if text.lower() == f"@{username}"
    ]
    replied = message.reply_to_message
    if mentions:
        await answer_question(update, context, re.sub(re.escape(mentions[0]), " ", message.text, flags=re.I))
    elif replied and replied.from_user and replied.from_user.id == context.bot.id:
        await answer_question(update, context, message.text)
