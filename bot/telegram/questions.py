"""Questions: answered in private chats, with /ask, or when addressed in a group; the
answer's pages, article cards and 👍/👎 behind buttons that only work in their chat.

An answer is stored with its pages (`bot.state`) and its buttons carry its unguessable
token, so they keep working after a restart, and from another process of the same bot."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Mapping
from functools import partial

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import ChatType

from bot.chat_input import asks_to_answer, follows_on, what_is_said
from bot.permissions import is_admin
from bot.replies.answers import BARE_LINK, NO_QUESTION, NOTHING_FOUND, declined_reply, questions_left
from bot.small_talk import REPLIES
from bot.state.answers import ShownResult, StoredAnswer, StoredPage
from bot.telegram import group_share
from bot.telegram import messages as msg
from bot.telegram.context import Context
from bot.telegram.ingest import continues_long_text
from bot.telegram.inline import posted_quote, posted_quote_topic
from bot.telegram.sending import answer_press, edit, react, reply, send, typing
from index.conversation import Topic
from index.errors import NotFound
from index.library import Answer

log = logging.getLogger("bot.telegram")

# Button data: "<kind>|<answer token>|<argument>", within Telegram's 64 bytes.
PAGE, ARTICLE, VOTE, READ_ON = "p", "a", "v", "r"
BUTTON = re.compile(
    r"^(?:(?P<kind>[par])\|(?P<token>[\w-]{1,40})\|(?P<number>\d{1,18})|v\|(?P<vote_token>[\w-]{1,40})\|(?P<vote>[+-]))$"
)
# What the "📖 La suite" button asks, as the asker would type it (`index.article_questions`).
READ_ON_QUESTION = "La suite ?"


def answer_markup(answer: StoredAnswer, page: int) -> InlineKeyboardMarkup:
    navigation = []
    if page > 0:
        navigation.append(InlineKeyboardButton("◀ Précédents", callback_data=f"{PAGE}|{answer.token}|{page - 1}"))
    if page + 1 < len(answer.pages):
        navigation.append(InlineKeyboardButton("Plus de passages ▶", callback_data=f"{PAGE}|{answer.token}|{page + 1}"))
    # What the article says after the answer's first quote: only under the page that shows it.
    # Under a later page, which quotes other passages (often another article), the button read
    # on from a quote no longer in sight.
    if answer.read_on_from is not None and page == 0:
        navigation.append(InlineKeyboardButton("📖 La suite", callback_data=f"{READ_ON}|{answer.token}|0"))
    references = [
        [InlineKeyboardButton(f"📄 {title}", callback_data=f"{ARTICLE}|{answer.token}|{article_id}")]
        for article_id, title in answer.pages[page].articles
    ]
    votes = [
        InlineKeyboardButton("👍", callback_data=f"{VOTE}|{answer.token}|+"),
        InlineKeyboardButton("👎", callback_data=f"{VOTE}|{answer.token}|-"),
    ]
    return InlineKeyboardMarkup([row for row in (navigation, *references, votes) if row])


def stored_pages(
    answer: Answer, per_page: int, sure_from: float, before_passages: Mapping[int, str] | None = None
) -> tuple[list[StoredPage], list[ShownResult]]:
    """An answer's messages and what they show, as the state keeps them (`sure_from`:
    SURE_ANSWER_THRESHOLD; `before_passages`: as `msg.answer_pages` takes them)."""
    pages = [
        StoredPage(page.text, tuple({r.article.id: msg.title_of(r.article, 40) for r in page.results}.items()))
        for page in msg.answer_pages(answer, per_page, sure_from, before_passages)
    ]
    shown = [
        ShownResult(
            r.article.id, r.article.title, r.article.url or r.article.source, r.article.date, r.passage, r.quote
        )
        for r in answer.results
    ]
    return pages, shown


async def answer_question(
    update: Update,
    context: Context,
    text: str,
    *,
    may_be_article: bool = False,
    usage: str = msg.ASK_USAGE,
    topic: Topic | None = None,
) -> None:
    """Answer the questions of `text` (`bot.chat_input.what_is_said`), or say why there is none;
    `may_be_article`: in a private chat, where an article may be sent to be added; `usage`: how
    to ask, for a message that asks nothing (after "/ask", or the bot's name in a group);
    `topic`: what they follow (a quote posted from our inline results, replied to)."""
    message = update.effective_message
    said = what_is_said(text, may_be_article=may_be_article)
    if said.aside is not None and not await _within_share(message, context, asker_id(message)):
        return  # "@bot", "merci"… said on and on in a group: the group's messages are not theirs
    match said.aside:
        case None:
            pass
        case "blank":
            await reply(message, usage)
            return
        case "no words":
            await reply(message, msg.e(NO_QUESTION))
            return
        case "pasted article":
            await reply(message, msg.ARTICLE_HINT)
            return
        case "link":
            await reply(message, msg.e(BARE_LINK))
            return
        case "help":
            await _help(update, context)
            return
        case talk if talk in msg.GROUP_ACKNOWLEDGEMENTS and message.chat.type != ChatType.PRIVATE:
            await react(message, msg.GROUP_ACKNOWLEDGEMENTS[talk])  # "merci" in a group: no message for all
            return
        case talk:
            await reply(message, msg.e(REPLIES[talk]))
            return
    for asked in said.questions:  # several in a row: each answered in turn
        if not await _answer_one(update, context, asked, named=len(said.questions) > 1, topic=topic):
            return
    if said.left and await _within_share(message, context, asker_id(message)):  # one more message in a group
        await reply(message, msg.e(questions_left(said.left)))


def asker_id(message: Message) -> int | None:
    """Whose question it is, for the per-user limit and the conversation: its sender, or the
    chat it was sent on behalf of (an anonymous group admin, a channel), since Telegram shows
    all of those as one shared user."""
    if message.sender_chat is not None:
        return message.sender_chat.id
    return message.from_user.id if message.from_user else None


async def _answer_one(
    update: Update, context: Context, question: str, *, named: bool, topic: Topic | None = None
) -> bool:
    """Answer one question (`named`: one of several, so a reply that finds nothing says which;
    an answer always names its question; `topic`: what it follows, else the answer of ours it
    replies to, else its asker's conversation). False when the next ones are not to be
    answered: the user must slow down, or the library is empty."""
    service = context.service
    message = update.effective_message
    asker = asker_id(message)
    if not await _within_share(message, context, asker):
        return False
    if asker is not None and not await asyncio.to_thread(service.may_ask, asker):
        await _refused(message, context, asker)
        return False
    if topic is None and (replied_to := await _replied_answer(message, context)) is not None:
        topic = replied_to.conversation
    async with typing(message):
        answer = await asyncio.to_thread(service.ask, message.chat_id, asker, question, topic)
        empty = not answer.results and (await asyncio.to_thread(service.library.stats)).articles == 0
    if empty:
        await reply(message, msg.empty_library_html())
        return False  # the next questions would be told the same
    await _send_answer(message, context, answer, named=named)
    return True


async def _within_share(message: Message, context: Context, member: int | None) -> bool:
    """Whether the bot may send one more message for `member` where `message` was sent: in a
    group, within their share of its messages (`group_share`), counted; told once a window
    when not, their later messages meanwhile unanswered. Always in a private chat."""
    if member is None or group_share.within(context.chat_data, message, member):
        return True
    await _refused(message, context, member)
    return False


async def _refused(message: Message, context: Context, member: int) -> None:
    """`member` asked too much: told to wait, in a group once a window (telling them is one
    more of the group's messages)."""
    in_a_group = message.chat.type != ChatType.PRIVATE
    if not in_a_group or group_share.first_refusal(context.chat_data, member, time.monotonic()):
        await reply(message, msg.e(msg.SLOW_DOWN))


async def _send_answer(message: Message, context: Context, answer: Answer, *, named: bool) -> None:
    """`answer` in the chat of `message`: its passages page by page with their buttons, an
    article's card, or why nothing is quoted (`named`: the question named above it)."""
    service = context.service
    if answer.detail is not None:  # "Qui a écrit l'article ?": its card
        for text in msg.details_html(answer, zone=service.settings.zone):
            await reply(message, text)
    elif not answer.found:
        said = declined_reply(answer) or NOTHING_FOUND  # "La suite ?" at the article's end, "Et en 2010 ?"…
        await reply(message, msg.nothing_found_html(answer.question if named else None, said))
    else:
        settings = service.settings

        def pages_of_answer() -> tuple[list[StoredPage], list[ShownResult]]:
            # What the articles say above the quotes, read once for the answer's links
            # (`quote_link`, whose checks read through an article: off the event loop too).
            before_passages = service.library.texts_before([r.passage_id for r in answer.results])
            return stored_pages(answer, settings.results_per_page, settings.sure_answer_threshold, before_passages)

        pages, shown = await asyncio.to_thread(pages_of_answer)
        in_conversation = answer.follows or answer.read_on is not None  # "Et en 2020 ?", "La suite ?"
        save = partial(service.state.save_answer, says_more=answer.says_more, in_conversation=in_conversation)
        token = await asyncio.to_thread(save, message.chat_id, answer.question, pages, shown, answer.topic)
        stored = StoredAnswer(
            token,
            message.chat_id,
            answer.question,
            tuple(pages),
            tuple(shown),
            answer.topic,
            answer.says_more,
            in_conversation,
        )
        await reply(message, pages[0].text, answer_markup(stored, 0))


async def _replied_answer(message: Message, context: Context) -> StoredAnswer | None:
    """The answer of ours `message` replies to (its page with buttons), in this chat: a question
    sent in reply to it follows what it was about ("Et en 2020 ?" under an answer of the day
    before, or under another member's in a group), rather than its asker's latest question."""
    replied = message.reply_to_message
    if replied is None or not _sent_by_us(replied, context):
        return None
    markup = replied.reply_markup
    buttons = [button for row in markup.inline_keyboard for button in row] if markup else []
    found = (BUTTON.match(button.callback_data) for button in buttons if isinstance(button.callback_data, str))
    token = next((match["token"] or match["vote_token"] for match in found if match), None)
    stored = await asyncio.to_thread(context.service.state.answer, token) if token else None
    return stored if stored is not None and stored.chat_id == message.chat_id else None


async def _pressed(update: Update, context: Context) -> tuple[StoredAnswer, str] | None:
    """The answer a button belongs to and the button's argument, or None once the user was
    told why not: expired (forgotten, or from an older version) or from another chat."""
    query = update.callback_query
    match = BUTTON.match(query.data or "")
    token = match and (match["token"] or match["vote_token"])
    answer = await asyncio.to_thread(context.service.state.answer, token) if token else None
    if answer is None:
        await answer_press(query, msg.EXPIRED, show_alert=True)
        return None
    if update.effective_chat is None or update.effective_chat.id != answer.chat_id:
        await answer_press(query, msg.OTHER_CHAT, show_alert=True)
        return None
    return answer, match["number"] or match["vote"]


async def on_more(update: Update, context: Context) -> None:
    query = update.callback_query
    pressed = await _pressed(update, context)
    if pressed is None:
        return
    answer, argument = pressed
    page = int(argument)
    if page >= len(answer.pages):
        await answer_press(update.callback_query, msg.EXPIRED, show_alert=True)
        return
    # A page is kept as it was sent (30 days): an article it quotes may have been deleted since,
    # and what was removed is not shown again.
    if not await asyncio.to_thread(_all_in_library, context, [id_ for id_, _ in answer.pages[page].articles]):
        await answer_press(update.callback_query, msg.PAGE_GONE, show_alert=True)
        return
    if not group_share.within(context.chat_data, query.message, query.from_user.id):  # a page it would edit
        await answer_press(query, msg.GROUP_SLOW_DOWN)
        return
    await answer_press(update.callback_query)
    await edit(update.callback_query.message, answer.pages[page].text, answer_markup(answer, page))


def _all_in_library(context: Context, article_ids: list[int]) -> bool:
    try:
        for article_id in article_ids:
            context.service.library.article(article_id)
    except NotFound:
        return False
    return True


async def on_reference(update: Update, context: Context) -> None:
    pressed = await _pressed(update, context)
    if pressed is None:
        return
    stored, argument = pressed
    query = update.callback_query
    article_id = int(argument)
    # Only the cards of the articles the answer shows: its token with another id, forged, would
    # list the whole library card by card, which only admins may list (/articles).
    if all(article_id not in dict(page.articles) for page in stored.pages):
        await answer_press(query, msg.EXPIRED, show_alert=True)
        return
    # Each press sends a message (in a group, anyone's): counted as a question, as "📖 La suite".
    if not await _press_counted_as_question(update, context):
        return
    try:
        article = await asyncio.to_thread(context.service.library.article, article_id)
    except NotFound:
        await answer_press(query, msg.ARTICLE_GONE, show_alert=True)
        return
    await answer_press(query)
    await reply(query.message, msg.article_card_html(article, zone=context.service.settings.zone))


async def _press_counted_as_question(update: Update, context: Context) -> bool:
    """Whether a button press that sends a message may go on, counted as a question of its
    user's: within the group's share and the user's rate, else the press is told why not (in
    an alert) and False."""
    query, user = update.callback_query, update.effective_user
    if user and not group_share.within(context.chat_data, query.message, user.id):
        await answer_press(query, msg.GROUP_SLOW_DOWN, show_alert=True)
        return False
    if user and not await asyncio.to_thread(context.service.may_ask, user.id):
        await answer_press(query, msg.SLOW_DOWN, show_alert=True)
        return False
    return True


async def on_read_on(update: Update, context: Context) -> None:
    """ "📖 La suite" under an answer: what the article says after its first quote, as "La
    suite ?" typed after it would, in a new message (with its own button, to read on)."""
    pressed = await _pressed(update, context)
    if pressed is None:
        return
    stored, _ = pressed
    query = update.callback_query
    read_on_from = stored.read_on_from
    if read_on_from is None:  # an answer saved before the button existed
        await answer_press(query, msg.EXPIRED, show_alert=True)
        return
    user = update.effective_user
    # A press asks what typing "La suite ?" would, and sends a message as it does: it counts
    # as a question, so that pressing on and on cannot flood the chat.
    if not await _press_counted_as_question(update, context):
        return
    async with typing(query.message):  # reading on is quick: the press is answered after it
        answer = await asyncio.to_thread(
            context.service.ask, query.message.chat_id, user.id if user else None, READ_ON_QUESTION, read_on_from
        )
    if answer.read_on == "gone":  # said in the box, as a page or a card of a deleted article is
        await answer_press(query, msg.ARTICLE_GONE, show_alert=True)
        return
    await answer_press(query)
    await _send_answer(query.message, context, answer, named=False)


async def on_vote(update: Update, context: Context) -> None:
    """👍 / 👎 under an answer: kept with the question, the passages shown and their quotes."""
    pressed = await _pressed(update, context)
    if pressed is None:
        return
    answer, argument = pressed
    user = update.effective_user
    await asyncio.to_thread(context.service.state.record_vote, answer, user.id, 1 if argument == "+" else -1)
    await answer_press(update.callback_query, msg.THANKS_UP if argument == "+" else msg.THANKS_DOWN)


async def on_unknown_button(update: Update, context: Context) -> None:
    """A button this version does not know (an older version's, or forged)."""
    await answer_press(update.callback_query, msg.EXPIRED, show_alert=True)


async def on_chat_moved(update: Update, context: Context) -> None:
    """A group became a supergroup: Telegram says so in both chats (the old one names the new
    id, the new one the old); the first to come moves the answers and conversations, the
    other finds nothing left to move."""
    message = update.effective_message
    if message.migrate_to_chat_id:
        old, new = message.chat_id, message.migrate_to_chat_id
    else:
        old, new = message.migrate_from_chat_id, message.chat_id
    moved = await asyncio.to_thread(context.service.state.move_chat, old, new)
    log.info("chat %s moved to %s (%d stored answers with it)", old, new, moved)


async def on_joined(update: Update, context: Context) -> None:
    """The bot added to a group, or a group created with it: it says once how to ask there."""
    message = update.effective_message
    if message.group_chat_created or any(member.id == context.bot.id for member in message.new_chat_members):
        await send(context.bot, message.chat_id, msg.GROUP_WELCOME)


async def cmd_help(update: Update, context: Context) -> None:
    """/help, /start, /aide: `_help`."""
    message = update.effective_message
    if await _within_share(message, context, asker_id(message)):  # not /help sent on and on in a group
        await _help(update, context)


async def _help(update: Update, context: Context) -> None:
    """/help, and help asked for in words: what the bot does, and for an administrator the
    commands that are theirs."""
    user = update.effective_user
    admin_user = is_admin(user and user.id, context.service.settings)
    in_group = update.effective_chat.type != ChatType.PRIVATE
    await reply(update.effective_message, msg.help_html(context.bot.username, admin_user, in_group))


async def cmd_ask(update: Update, context: Context) -> None:
    asked = " ".join(context.args or [])
    await answer_question(update, context, _what_is_asked(asked, update.effective_message, context))


def _what_is_asked(words: str, message: Message, context: Context) -> str:
    """What `/ask` or the bot's name asks: the `words` after it, or, when they only ask the bot to
    answer ("", "tu peux répondre ?", "une idée ?": `asks_to_answer`), the question of the member's
    message it replies to ("" when none: the member is told how to ask)."""
    if words and not asks_to_answer(words):
        return words
    return _replied_question(message, context)


def _replied_question(message: Message, context: Context) -> str:
    """The text of the message `message` replies to, when that is someone's question: "/ask" (or
    "@bot" alone, or "@bot tu peux répondre ?") in reply to a member's message asks it for them.
    Never one of our answers."""
    replied = message.reply_to_message
    if replied is None or _posted_through_us(replied, context):
        return ""
    if _sent_by_us(replied, context):
        return ""
    return replied.text or ""


async def on_unknown_command(update: Update, context: Context) -> None:
    """A command the bot does not have, in a private chat (in groups it may be another bot's)."""
    await reply(update.effective_message, msg.UNKNOWN_COMMAND)


async def on_other_message(update: Update, context: Context) -> None:
    """A photo, a voice note, a sticker… in a private chat: what the bot reads instead; but a
    channel's post forwarded with its photo (most news posts have one) is an article, whose
    text is its caption, and is answered as a forwarded text post is."""
    message = update.effective_message
    await reply(message, msg.ARTICLE_HINT if message.forward_origin and message.caption else msg.TEXT_ONLY)


async def on_private_text(update: Update, context: Context) -> None:
    """A private message is a question, unless it is a forwarded post or as long as an article
    (`bot.chat_input.reads_as_article`): what someone sends to add it, who is told how."""
    message = update.effective_message
    if _posted_through_us(message, context):
        return  # a quote the user posted from our inline results: an answer already, no question
    if update.message is not None and continues_long_text(message, context):
        return  # the next part of a long text sent with /ingest: added with it
    if message.forward_origin is not None:
        await reply(message, msg.ARTICLE_HINT)
        return
    await answer_question(update, context, message.text, may_be_article=True)


# A question corrected this soon after it was sent (a typo, a word changed) is answered again,
# as corrected: unanswered, the correction met silence. An older message edited is history
# being tidied, not a question asked now; an edit never runs a command (`app`).
EDITED_QUESTION_MINUTES = 15


async def on_edited_private_text(update: Update, context: Context) -> None:
    """A private message edited soon after it was sent: a question answered as it now reads; a
    command (a link's typo fixed in `/ingest …`) not run again, an edited `/delete 3` or `/reindex`
    being no order given now, but said so, with how to run it: silent, the bot left its sender
    waiting for the corrected page to be added."""
    message = update.edited_message
    if message is None or message.text is None or not _edited_soon(message):
        return
    if message.text.lstrip().startswith("/"):
        await reply(message, msg.EDITED_COMMAND)
        return
    await on_private_text(update, context)


def _edited_soon(message: Message) -> bool:
    """Whether `message` was edited within `EDITED_QUESTION_MINUTES` of being sent."""
    edited = message.edit_date or message.date
    return (edited - message.date).total_seconds() <= EDITED_QUESTION_MINUTES * 60


def without_mention(text: str, mention: str) -> str:
    """The question of a message that addresses the bot by its @username, without it and the
    comma or colon that set it apart: "@bot, la suite ?" asks "la suite ?" (", la suite ?" was
    searched as a question), "Qui est-ce, @bot ?" asks "Qui est-ce ?"."""
    text = re.sub(rf"{re.escape(mention)}(?!\w)\s*[,:;]?", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"\s*[,:;]\s*(?=[?!.…]|$)", " ", text)  # the comma left before the question mark
    text = re.sub(r"^[\s,:;]+", "", text)  # or at the start
    return re.sub(r"[^\S\n]+", " ", text).strip()


def _sent_by_us(message: Message, context: Context) -> bool:
    """Whether `message` is one of the bot's own (an answer, a hint)."""
    return message.from_user is not None and message.from_user.id == context.bot.id


def _posted_through_us(message: Message, context: Context) -> bool:
    """Whether `message` was posted from our inline results (`@bot question`, a result chosen)."""
    return message.via_bot is not None and message.via_bot.id == context.bot.id


async def on_group_text(update: Update, context: Context) -> None:
    """In groups, answer only when addressed: a mention, or a reply to one of our messages."""
    message = update.effective_message
    if _posted_through_us(message, context):
        # A quote a member posted from our inline results, perhaps in reply to one of our
        # answers: an answer already, not a question (searched, it would be quoted back).
        return
    mentions, others = _mentions(message, context)
    replied = message.reply_to_message
    # A quote a member posted from our inline results, replied to: what a follow-up reads in.
    quote = posted_quote(replied.text or "") if replied and _posted_through_us(replied, context) else None
    if mentions:
        asked = without_mention(message.text, mentions[0])
        usage = msg.mention_usage_html(context.bot.username)  # "@bot" alone: the example names it too
        topic = await _posted_quote_topic(quote, context) if quote else None
        await answer_question(update, context, _what_is_asked(asked, message, context), usage=usage, topic=topic)
    elif replied and _sent_by_us(replied, context) and not others:
        # A reply to one of ours that names another member ("@max regarde ça") is said to them.
        await answer_question(update, context, message.text)
    elif quote and not others and what_is_said(message.text, may_be_article=False).questions:
        # "La suite ?", "Et quand ?" under it ask the bot; a thanks, a remark or a question of
        # its own is said to the member who posted it (and a thanks not even searched for).
        topic = await _posted_quote_topic(quote, context)
        if follows_on(message.text, topic):
            await answer_question(update, context, message.text, topic=topic)


async def _posted_quote_topic(quote: str, context: Context) -> Topic:
    """The topic of a `quote` posted from our inline results (`inline.posted_quote_topic`): the
    quote searched by its words alone, which finds the passage that holds it, without the
    model's time."""
    library, top_k = context.service.library, context.service.settings.top_k
    searched = await asyncio.to_thread(library.ask, quote, top_k, "lexical")
    return posted_quote_topic(quote, searched)


def _mentions(message: Message, context: Context) -> tuple[list[str], bool]:
    """How `message` names the bot (its @username as typed, each time) and whether it names
    anyone else: an @username, or a member without one (a name linked to their account)."""
    username = (context.bot.username or "").lower()
    ours, others = [], False
    for entity, text in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        if entity.type == MessageEntity.MENTION and text.lower() == f"@{username}":
            ours.append(text)
        elif entity.user is None or entity.user.id != context.bot.id:
            others = True
    return ours, others
