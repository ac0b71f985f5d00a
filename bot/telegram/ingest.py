"""/ingest: a URL, pasted text, a document, or a reply to a message or forwarded post.
One status message tells the user what is happening and ends with the outcome."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime, tzinfo
from functools import partial

from telegram import Message, MessageEntity, MessageOriginChannel, Update
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot.chat_input import shared_link, shared_links
from bot.permissions import MAX_INGESTS_UNDER_WAY, is_admin, may_ingest, may_start_ingest
from bot.service import Abandoned, ingest_documents, read_pasted, read_text
from bot.settings import Settings
from bot.telegram import messages as msg
from bot.telegram import under_way
from bot.telegram.context import Context
from bot.telegram.errors import report_failure, report_library_outage
from bot.telegram.pieces import expect, forget, gathered, joined
from bot.telegram.sending import StatusProgress, reply, typing
from index.documents import Document
from index.errors import InputError, database_unavailable, no_space_left
from index.fetching import fetch_url
from index.numbers import french
from index.sources import parse_bytes
from index.web_addresses import typed_address

INGEST_CAPTION = re.compile(r"^/ingest(?:@(?P<bot>\w+))?(?:\s|$)", re.IGNORECASE)
Say = Callable[[str], Awaitable[None]]
Loader = Callable[[], Document]  # what reads an article, off the event loop
_LINK_ENTITIES = (MessageEntity.URL, MessageEntity.TEXT_LINK)


def message_links(message: Message) -> list[str]:
    """The links a message's entities carry: its URLs, and the addresses behind its text links."""
    if message.text:
        entities = message.parse_entities(_LINK_ENTITIES)
    else:
        entities = message.parse_caption_entities(_LINK_ENTITIES)
    return [entity.url or text for entity, text in entities.items()]


def command_argument(message: Message) -> str:
    """What follows the command, keeping the line breaks of pasted text."""
    text = message.text or message.caption or ""
    return INGEST_CAPTION.sub("", text, count=1) if INGEST_CAPTION.match(text) else ""


def origin_link(message: Message) -> str | None:
    """The public `t.me` link of a message: the channel post it forwards, or the message itself
    in a public group or channel. None in a private chat, whose `username` is the user's own:
    "t.me/username/42" opens no message there, and would show every reader who added it."""
    origin = message.forward_origin
    if isinstance(origin, MessageOriginChannel):
        return f"https://t.me/{origin.chat.username}/{origin.message_id}" if origin.chat.username else None
    if message.chat.type != ChatType.PRIVATE and message.chat.username:
        return f"https://t.me/{message.chat.username}/{message.message_id}"
    return None


# The largest file Telegram lets a bot download (getFile refuses more: "file is too big"),
# whatever INGEST_MAX_BYTES allows pages fetched by URL.
TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024
TOO_BIG_FOR_TELEGRAM = (
    "Telegram ne transmet aux bots que les fichiers de 20 Mo au plus. Envoyez plutôt /ingest suivi d'un "
    "lien vers le document, ou une version plus légère du fichier"
)


async def document_bytes(message: Message, settings: Settings) -> tuple[bytes, str]:
    document = message.document
    name = document.file_name or "document"  # its suffix aside: `parse_bytes` reads the file by its content
    if document.file_size and document.file_size > settings.ingest_max_bytes:
        raise InputError(
            f"le fichier fait {french(document.file_size)} octets, "
            f"au-delà de la limite de {french(settings.ingest_max_bytes)} octets"
        )
    if document.file_size and document.file_size > TELEGRAM_DOWNLOAD_LIMIT:
        raise InputError(f"le fichier fait {french(document.file_size / 1024**2, 1)} Mo : {TOO_BIG_FOR_TELEGRAM}")
    try:
        file = await document.get_file()
    except BadRequest as exc:
        if "too big" not in exc.message.lower():  # its size unsaid, and Telegram's limit changed
            raise
        raise InputError(f"le fichier est trop gros : {TOO_BIG_FOR_TELEGRAM}") from None
    return bytes(await file.download_as_bytearray()), name


async def read_ingest_input(
    message: Message, settings: Settings, say: Say, checkpoint: Callable[[], None]
) -> tuple[str, Callable[[], Document]]:
    """What to ingest, as a label and a blocking loader; InputError when there is nothing.
    `checkpoint`: what a page's download calls as it goes (`page_reader`)."""
    argument = command_argument(message).strip()
    if message.document:
        data, name = await document_bytes(message, settings)
        return name, document_reader(data, name, settings, checkpoint)
    if argument and (link := page_address(argument, message_links(message))):
        return await _page(link, settings, say, checkpoint)
    if argument and len(argument.split()) == 1:  # one word that is no address: no article either
        raise InputError(msg.not_an_address(argument))
    if argument:
        return await pasted(argument, settings, say, checkpoint)
    replied = message.reply_to_message
    if replied and is_ours(replied, message.get_bot().id):
        # The bot's own answer, or a quote posted through it in inline mode: its quotes are in the
        # library already, and added again they would be an article without a source, quoted
        # beside the one they come from.
        raise InputError(
            "ce message est l'une de mes réponses : ses citations viennent d'articles déjà dans la "
            "bibliothèque. Répondez /ingest au message de l'article lui-même."
        )
    if replied and replied.document:
        data, name = await document_bytes(replied, settings)
        return name, document_reader(data, name, settings, checkpoint)
    if replied and (link := page_address(replied.text or replied.caption or "", message_links(replied))):
        return await _page(link, settings, say, checkpoint)
    if replied and (replied.text or replied.caption):
        return "message", message_reader(replied, settings)
    raise InputError("le message auquel vous répondez n'a ni texte, ni lien, ni document à ajouter.")


async def pasted(text: str, settings: Settings, say: Say, checkpoint: Callable[[], None]) -> tuple[str, Loader]:
    """Text pasted after /ingest, read as an article (`say`, `checkpoint`: a page's, unused)."""
    return "texte collé", lambda: read_pasted(text, settings)


# Telegram's apps send a text longer than a message's 4096 characters (UTF-16 units) cut in
# several messages, each cut in the second half of the limit, where a paragraph, a line or a
# sentence ends; the first part alone carries /ingest. A text pasted after /ingest this long
# may be such a first part: its next parts are awaited (in a private chat: in a group, the bot
# in privacy mode is not sent them). Taken alone, the first part was added as the article,
# and each next part was answered as an article pasted to be added.
FIRST_PART_UNITS = 2048
# Seconds without another part after which the text is whole: the app sends them at once.
PARTS_SETTLE_SECONDS = 2.0
_SENTENCE_END = (".", "!", "?", "…", "»", '"', ":")


def may_be_continued(message: Message) -> bool:
    """Whether `message` (a /ingest with pasted text, in a private chat) may be the first part
    of a text Telegram's apps cut in several messages."""
    text = message.text or ""
    return message.chat.type == ChatType.PRIVATE and len(text.encode("utf-16-le")) // 2 >= FIRST_PART_UNITS


def joined_parts(parts: Sequence[str]) -> str:
    """A text cut in parts whole again. The spaces at a cut are lost: a part that ends a
    sentence is taken to end its paragraph, one that does not goes on in the next part's first
    line (a line break, which joins lines into a paragraph, and keeps a heading a line)."""
    text = parts[0].rstrip()
    for part in parts[1:]:
        text += ("\n\n" if text.endswith(_SENTENCE_END) else "\n") + part.strip()
    return text


def continues_long_text(message: Message, context: Context) -> bool:
    """Whether `message` is the next part of a long text sent with /ingest: then handed to it."""
    sender = message.from_user
    if sender is None or message.forward_origin is not None or not message.text:
        return False
    return joined(context.service.long_texts, (message.chat_id, sender.id), message)


def is_ours(message: Message, bot_id: int) -> bool:
    """Whether `message` is one of the bot's answers, or a quote posted through it inline."""
    return bot_id in {user.id for user in (message.from_user, message.via_bot) if user}


# Pages of one message added at most: each has a status message of its own, and a group gets
# 20 messages a minute from the bot.
MAX_LISTED_PAGES = 10


def listed_pages(message: Message) -> list[str]:
    """The pages of a message that lists several links and few other words ("/ingest URL1 URL2",
    or /ingest in reply to such a message), each to be added on its own: as pasted text, its
    links were refused as a text without paragraphs. Empty for anything else (one page, a
    text, a document, one of the bot's answers), which `read_ingest_input` reads."""
    argument = command_argument(message).strip()
    given = message if argument else message.reply_to_message
    if given is None or message.document or given.document or is_ours(given, message.get_bot().id):
        return []
    pages = shared_links(argument or given.text or given.caption or "", message_links(given))
    return pages if len(pages) > 1 else []


# An address of a scheme other than the web's, a word alone: "file:///C:/…", "ftp://…".
_OTHER_ADDRESS = re.compile(r"[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)


def page_address(text: str, links: Sequence[str]) -> str | None:
    """The page a message gives to add: the link it shares (`shared_link`), or its one word
    when that is a site's address typed without https:// ("lemonde.fr/politique/article", as
    /follow reads it), or an address of another kind ("file:///…" copied from a browser showing
    a saved page, "ftp://…"), which the download refuses saying which it takes: added as pasted
    text, each was refused as a text without paragraphs."""
    word = text.strip()
    return shared_link(text, links) or typed_address(word) or (word if _OTHER_ADDRESS.fullmatch(word) else None)


def gives_something(message: Message) -> bool:
    """Whether /ingest in `message` was given anything to add: words after it, a document, or
    a message it replies to. Without (the command tapped in the menu), it is told how to give
    one rather than shown an ingest that starts and fails."""
    return bool(message.document or command_argument(message).strip() or message.reply_to_message)


def document_reader(
    data: bytes, name: str, settings: Settings, checkpoint: Callable[[], None]
) -> Callable[[], Document]:
    """What reads a file sent through Telegram as an article: to be run off the event loop;
    `checkpoint` as a PDF is read (a stopping bot gives it up within its grace)."""
    return partial(
        parse_bytes,
        data,
        name=name,
        source=f"telegram:{name}",
        max_bytes=settings.ingest_max_bytes,
        checkpoint=checkpoint,
        limits=settings.reading_limits,
    )


def message_reader(message: Message, settings: Settings) -> Callable[[], Document]:
    """What reads a message's own words as an article: a channel's post forwarded as a
    followed channel's post is read (`as_channel_post`), anything else linked to its `t.me`
    link when it has one."""
    body, source = message.text or message.caption or "", origin_link(message)
    origin = message.forward_origin

    def read() -> Document:
        document = read_text(body, settings, source)
        if not isinstance(origin, MessageOriginChannel):
            return _with_source(document)
        return as_channel_post(
            document,
            link=source,
            posted=origin.date,
            channel=origin.chat.title,
            signed=origin.author_signature,
            zone=settings.zone,
        )

    return read


async def _page(
    url: str, settings: Settings, say: Say, checkpoint: Callable[[], None]
) -> tuple[str, Callable[[], Document]]:
    await say(msg.DOWNLOADING)
    return url, page_reader(url, settings, checkpoint)


def page_reader(url: str, settings: Settings, checkpoint: Callable[[], None]) -> Callable[[], Document]:
    """What reads the page at `url` as an article, with the settings' care (time limit, size
    cap, public addresses only): to be run off the event loop. `checkpoint` is called as the
    download goes (`StopRequest.check`: a stopping bot gives it up within its grace, rather
    than wait up to FETCH_TIMEOUT_SECONDS for the rest of the page)."""
    options = {
        "timeout": settings.fetch_timeout_seconds,
        "max_bytes": settings.ingest_max_bytes,
        "limits": settings.reading_limits,
    }
    return partial(fetch_url, url, allow_private=settings.ingest_allow_private_urls, checkpoint=checkpoint, **options)


def _with_source(document: Document) -> Document:
    return replace(document, url=document.url or document.source)


def as_channel_post(
    document: Document, *, link: str | None, posted: datetime, channel: str | None, signed: str | None, zone: tzinfo
) -> Document:
    """A channel's post as its readers know it, whether the channel is followed or one of its
    posts forwarded to the bot: dated the day the channel posted it (in `zone`: TIME_ZONE, the
    channel's day rather than UTC's), signed by its author's signature or else the channel's
    name, and linked to by its `t.me` link; what the text itself states ("date: …", "auteur: …"
    lines) comes first. A private channel's post has no link: its name and date are then all
    that tell a reader where the quote comes from."""
    return replace(
        document,
        url=document.url or link,
        date=document.date or posted.astimezone(zone).date().isoformat(),
        author=document.author or signed or channel,
    )


async def cmd_ingest(update: Update, context: Context) -> None:
    """/ingest, run beside the conversation: its sender's next question is answered meanwhile.
    A long text's next parts are awaited from here, before the task starts: they are the very
    next updates, and their handlers run as soon as this one returns."""
    message, service = update.effective_message, context.service
    sender = message.from_user and message.from_user.id
    if (
        may_be_continued(message)
        and sender
        and may_ingest(sender, service.settings)
        and may_start_ingest(sender, service.ingests_under_way[sender], service.settings)
    ):
        # Only for an /ingest that will add the text: refused, its sender's next messages,
        # taken for its parts, would go unanswered.
        key = (message.chat_id, sender)
        expect(service.long_texts, key, message)
        context.application.create_task(_ingest_awaiting_parts(message, context, key), update=update)
        return
    context.application.create_task(ingest_message(message, context), update=update)


async def _ingest_awaiting_parts(message: Message, context: Context, key: tuple[int, int]) -> None:
    """`ingest_message` for a text whose next parts are awaited, never leaving them awaited
    when it ends without gathering them (every message after would be taken for a part)."""
    try:
        await ingest_message(message, context)
    finally:
        forget(context.service.long_texts, key, message)


async def ingest_message(message: Message, context: Context) -> None:
    """What `message` carries (or the message it replies to) added to the library, with one
    status message that ends with the outcome; each page of a message that lists several links
    with its own (one status could not say which was added and which failed)."""
    service = context.service
    if not may_ingest(message.from_user and message.from_user.id, service.settings):
        await reply(message, msg.e(msg.INGEST_REFUSED))
        return
    if not gives_something(message):
        await reply(message, msg.INGEST_USAGE)
        return
    sender = message.from_user.id  # known: `may_ingest` refuses a message of no one
    under_way = service.ingests_under_way
    if not may_start_ingest(sender, under_way[sender], service.settings):
        await reply(message, msg.e(msg.INGEST_SLOW_DOWN.format(count=MAX_INGESTS_UNDER_WAY)))
        return
    under_way[sender] += 1
    try:
        await _ingest_given(message, context)
    finally:
        under_way[sender] -= 1
        if not under_way[sender]:
            del under_way[sender]
            service.ingest_turns.pop(sender, None)


async def _ingest_given(message: Message, context: Context) -> None:
    """What `ingest_message` adds, once the sender may: each page a message lists, or else
    the one article it carries."""
    service = context.service
    pages = listed_pages(message)
    if not pages:
        # A document of an album is named in its error: beside its album's other files, "cet
        # article" would not say which one failed.
        named = message.media_group_id and message.document and message.document.file_name
        read: ReadInput = partial(read_ingest_input, message)
        if may_be_continued(message) and message.from_user:
            key = (message.chat_id, message.from_user.id)
            parts = await gathered(service.long_texts, key, message, PARTS_SETTLE_SECONDS)
            if len(parts) > 1:
                read = partial(pasted, joined_parts([command_argument(message), *(p.text or "" for p in parts[1:])]))
        await ingest_one(message, context, read, named or None)
        return
    for url in pages[:MAX_LISTED_PAGES]:
        await ingest_one(message, context, partial(_page, url), url)
    if len(pages) > MAX_LISTED_PAGES:
        await reply(message, msg.e(msg.pages_left_out(len(pages) - MAX_LISTED_PAGES, MAX_LISTED_PAGES)))


ReadInput = Callable[[Settings, Say, Callable[[], None]], Awaitable[tuple[str, Loader]]]


async def ingest_one(message: Message, context: Context, read_input: ReadInput, named: str | None) -> None:
    """One article `read_input` gives added, its status message (a reply to `message`) edited
    as the work goes and ending with the outcome; `named`: what its error names, when "cet
    article" would not say which one failed."""
    service = context.service
    status = await reply(message, msg.INGEST_STARTED)
    progress = StatusProgress(status, msg.ingest_progress_html, asyncio.get_running_loop())
    say = progress.show  # every status after the progress lines sent before it
    told = False
    try:
        # Remembered until its status says the outcome: told by the next process if this one dies.
        async with under_way.remembered(service, status, "ingest") as remembered:
            outcome, failure = await _outcome_html(context, read_input, named, message, progress, remembered)
            await say(outcome)
            told = True
            if failure is not None:  # the user told first, in the one status message; admins get the details
                await report_failure(context, failure)
    except Exception as exc:
        # The library's database, or the bot's state remembering the work, out of reach: before
        # the work (nothing done), during it (its one transaction undone), or once its outcome
        # is said (then said already).
        if not database_unavailable(exc):
            raise
        if not told:
            await say(msg.error_html(msg.INGEST_LIBRARY_UNAVAILABLE))
        await report_library_outage(context, exc)


async def _outcome_html(
    context: Context,
    read_input: ReadInput,
    named: str | None,
    message: Message,
    progress: StatusProgress,
    remembered: under_way.Remembered,
) -> tuple[str, Exception | None]:
    """`ingest_one`'s work, and what its status message ends with: the article added, or why
    not, with the unexpected failure for the admins if it was one; a database out of reach is raised."""
    service, say = context.service, progress.show
    what = f"« {named} »" if named else None
    try:
        # Typing shown in a private chat (in a group the status line says it), all along the
        # wait for the sender's turn too.
        async with typing(message), _turn_of(message, context):
            label, load = await read_input(service.settings, say, service.stop.check)
            document = await service.run_long(load)
            await remembered.article_read(document)
            await say(msg.INDEXING)
            labelled = [(label, document)]
            ingest = partial(ingest_documents, article_max_words=service.settings.article_max_words, in_chat=True)
            outcome = (await service.run_long(ingest, service.library, labelled, service.stop.checked(progress)))[0]
    except Abandoned:
        return msg.INGEST_ABANDONED, None
    except InputError as exc:
        return msg.ingest_error_html(str(exc), what), None
    except Exception as exc:
        if database_unavailable(exc):
            raise
        return msg.error_html(msg.INGEST_NO_SPACE if no_space_left(exc) else msg.INGEST_FAILED), exc
    if outcome.article is None:  # refused as it was to be added (longer than an article may be)
        return msg.ingest_error_html(outcome.error or "", what), None
    return msg.ingest_html(outcome.status, outcome.article, text_differs=outcome.text_differs), None


def _turn_of(message: Message, context: Context) -> contextlib.AbstractAsyncContextManager[object]:
    """The sender's turn on the long-work threads: one of their articles read and added at a
    time (an admin's as they come). Everyone shares `LONG_WORK_THREADS`; someone's ten /ingest
    of long texts, each minutes of embedding, held them all, and everyone else's articles waited
    behind; now they hold one, and the others stay free for other people's."""
    sender = message.from_user and message.from_user.id
    if sender is None or is_admin(sender, context.service.settings):
        return contextlib.nullcontext()
    return context.service.ingest_turns.setdefault(sender, asyncio.Lock())


def asks_another_bot(caption: str | None, context: Context) -> bool:
    """Whether a caption is "/ingest@other_bot": in a group, that bot's business."""
    named = INGEST_CAPTION.match(caption or "")
    return bool(named and named["bot"] and named["bot"].lower() != (context.bot.username or "").lower())


async def on_ingest_caption(update: Update, context: Context) -> None:
    """A document sent with the caption /ingest: added, unless the caption names another bot."""
    if not asks_another_bot(update.effective_message.caption, context):
        await cmd_ingest(update, context)


async def on_document_without_command(update: Update, context: Context) -> None:
    await reply(update.effective_message, msg.DOCUMENT_HINT)
