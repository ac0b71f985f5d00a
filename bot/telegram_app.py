"""`python -m bot serve`: the Telegram bot (python-telegram-bot v22, long polling).

Handlers stay short: read the update, call the library off the event loop (model
work would otherwise freeze every other chat), send French HTML built by
`bot.telegram_format`. One error handler apologises, logs, and tells admins.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import re
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    MessageOriginChannel,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import telegram_format as fmt
from bot.permissions import QuestionRateLimiter, is_admin, may_ingest
from bot.service import ingest_documents, open_library
from bot.settings import Settings
from index.documents import Document
from index.errors import InputError, LibraryError, NotFound
from index.library import Library
from index.sources import SUPPORTED_SUFFIXES, fetch_url, is_url, parse_bytes

log = logging.getLogger("bot.telegram")

PUBLIC_COMMANDS = [
    BotCommand("ask", "Poser une question sur les articles"),
    BotCommand("ingest", "Ajouter un article (URL, texte, fichier)"),
    BotCommand("help", "Comment utiliser le bot"),
]
ADMIN_COMMANDS = [
    BotCommand("articles", "Lister les articles (admin)"),
    BotCommand("delete", "Supprimer un article : /delete ID (admin)"),
    BotCommand("reindex", "Reconstruire l'index (admin)"),
    BotCommand("stats", "Chiffres de la bibliothèque (admin)"),
]
HELP = """<b>Je réponds à vos questions en citant des articles de presse.</b>
Je ne rédige rien moi-même : chaque réponse est une citation exacte d'un article de la bibliothèque, \
avec son titre, sa date et sa source.

<b>Poser une question</b>
Écrivez-la simplement ici, par exemple :
<code>Qui est le secrétaire général de l'OTAN ?</code>
Dans un groupe : <code>/ask votre question</code>, mentionnez-moi, ou répondez à l'un de mes messages.

<b>Ajouter un article</b>
• <code>/ingest https://exemple.fr/article</code>
• <code>/ingest</code> suivi du texte collé (la première ligne peut être le titre, \
ou des lignes <code>titre:</code>, <code>date:</code>, <code>url:</code>)
• <code>/ingest</code> en réponse à un message, un message transféré d'une chaîne ou un document
• un document .txt, .md ou .html envoyé avec la légende <code>/ingest</code>"""
ADMIN_HELP = """

<b>Administration</b>
/articles — liste des articles · /delete ID — supprimer · /reindex — reconstruire l'index · /stats — chiffres"""
REFUSED = "Désolé, cette commande est réservée aux administrateurs de la bibliothèque."
SLOW_DOWN = "Vous posez beaucoup de questions d'un coup : patientez une minute, puis réessayez."
APOLOGY = "Désolé, une erreur inattendue m'a empêché de répondre. Réessayez dans un instant."
ARTICLES_PER_PAGE = 20
TYPING_AFTER_SECONDS = 0.5
_INGEST_CAPTION = re.compile(r"^/ingest(?:@\w+)?(?:\s|$)", re.IGNORECASE)


class BotService:
    """State shared by handlers: the library, settings, recent answers' pages, limits."""

    def __init__(self, settings: Settings, library: Library) -> None:
        self.settings = settings
        self.library = library
        self.limiter = QuestionRateLimiter(settings.questions_per_minute)
        self._answers: OrderedDict[int, list[fmt.AnswerPage]] = OrderedDict()
        self._keys = itertools.count(1)
        self.reindexing: asyncio.Task | None = None

    def remember(self, pages: list[fmt.AnswerPage]) -> int:
        key = next(self._keys)
        self._answers[key] = pages
        while len(self._answers) > 1000:
            self._answers.popitem(last=False)
        return key

    def recall(self, key: int) -> list[fmt.AnswerPage] | None:
        return self._answers.get(key)


def service_of(context: ContextTypes.DEFAULT_TYPE) -> BotService:
    return context.application.bot_data["service"]


async def retrying(send: Callable[[], object], attempts: int = 3):
    """Network errors are retried with a short back-off; Telegram's refusals are not."""
    for attempt in range(attempts):
        try:
            return await send()
        except NetworkError as exc:
            if isinstance(exc, BadRequest) or attempt == attempts - 1:
                raise
            await asyncio.sleep(0.5 * 2**attempt)
    return None


async def reply(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    return await retrying(
        lambda: message.reply_html(text, reply_markup=markup, disable_web_page_preview=True, do_quote=False)
    )


async def edit(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    try:
        await retrying(lambda: message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=markup))
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


@contextlib.asynccontextmanager
async def typing(message: Message, after: float = TYPING_AFTER_SECONDS) -> AsyncIterator[None]:
    """Show "typing…" while the work lasts (Telegram clears it after 5 s). Not for work done
    within `after` seconds, like most answers: the indicator would only flicker before the
    reply, and each one is a request counted against the bot's flood limit: with an indicator
    for every question, 20 users asking at once waited 414 / 1098 ms (p50 / p95) for their
    answers; without, 25–32 / 248–270 ms in three benchmark runs (README, "Performance")."""

    async def keep_typing() -> None:
        await asyncio.sleep(after)
        while True:
            with contextlib.suppress(TelegramError):
                await message.chat.send_action(ChatAction.TYPING)
            await asyncio.sleep(4)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()


# --- questions -----------------------------------------------------------------------


def answer_markup(key: int, pages: list[fmt.AnswerPage], page: int) -> InlineKeyboardMarkup:
    navigation = []
    if page > 0:
        navigation.append(InlineKeyboardButton("◀ Précédents", callback_data=f"more:{key}:{page - 1}"))
    if page + 1 < len(pages):
        navigation.append(InlineKeyboardButton("Plus de passages ▶", callback_data=f"more:{key}:{page + 1}"))
    titles = {r.article.id: r.article.title for r in pages[page].results}
    references = [[InlineKeyboardButton(f"📄 {title[:40]}", callback_data=f"ref:{a}")] for a, title in titles.items()]
    return InlineKeyboardMarkup([navigation, *references] if navigation else references)


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    service = service_of(context)
    message = update.effective_message
    question = question.strip()
    if not question:
        await reply(
            message, "Posez votre question après la commande, par exemple : <code>/ask Qui préside l'OTAN ?</code>"
        )
        return
    user = update.effective_user
    if user and not service.limiter.allow(user.id):
        await reply(message, fmt.e(SLOW_DOWN))
        return
    async with typing(message):
        answer = await asyncio.to_thread(service.library.ask, question, service.settings.top_k)
        empty = not answer.results and (await asyncio.to_thread(service.library.stats)).articles == 0
    if empty:
        await reply(message, fmt.empty_library_html())
    elif not answer.found:
        await reply(message, fmt.nothing_found_html())
    else:
        pages = fmt.answer_pages(answer, service.settings.results_per_page)
        key = service.remember(pages)
        await reply(message, pages[0].text, answer_markup(key, pages, 0))


async def on_more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    _, key, page = query.data.split(":")
    service = service_of(context)
    pages = service.recall(int(key))
    if pages is None or int(page) >= len(pages):
        await query.answer("Cette recherche a expiré : posez de nouveau la question.", show_alert=True)
        return
    await query.answer()
    await edit(query.message, pages[int(page)].text, answer_markup(int(key), pages, int(page)))


async def on_reference(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    article_id = int(query.data.split(":")[1])
    try:
        article = await asyncio.to_thread(service_of(context).library.article, article_id)
    except NotFound:
        await query.answer("Cet article a été retiré de la bibliothèque.", show_alert=True)
        return
    await query.answer()
    await reply(query.message, fmt.article_card_html(article))


async def cmd_ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_question(update, context, " ".join(context.args or []))


async def on_private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_question(update, context, update.effective_message.text)


async def on_group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
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


# --- ingestion -------------------------------------------------------------------------


def command_argument(message: Message) -> str:
    """What follows the command, keeping the line breaks of pasted text."""
    text = message.text or message.caption or ""
    return _INGEST_CAPTION.sub("", text, count=1) if _INGEST_CAPTION.match(text) else ""


def origin_link(message: Message) -> str | None:
    origin = message.forward_origin
    if isinstance(origin, MessageOriginChannel) and origin.chat.username:
        return f"https://t.me/{origin.chat.username}/{origin.message_id}"
    if message.chat.username:
        return f"https://t.me/{message.chat.username}/{message.message_id}"
    return None


async def document_bytes(message: Message, settings: Settings) -> tuple[bytes, str]:
    document = message.document
    name = document.file_name or "document"
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise InputError(f"type de fichier non pris en charge ({name}) : envoyez un .txt, .md ou .html")
    if document.file_size and document.file_size > settings.ingest_max_bytes:
        raise InputError(
            f"le fichier fait {document.file_size:,} octets, au-delà de la limite de {settings.ingest_max_bytes:,}"
        )
    file = await document.get_file()
    return bytes(await file.download_as_bytearray()), name


async def read_ingest_input(message: Message, settings: Settings, say) -> tuple[str, Callable[[], Document]]:
    """What to ingest, as a label and a blocking loader; InputError when there is nothing."""
    argument = command_argument(message).strip()
    limit = settings.ingest_max_bytes
    if message.document:
        data, name = await document_bytes(message, settings)
        return name, lambda: parse_bytes(data, name=name, source=f"telegram:{name}", max_bytes=limit)
    if argument and is_url(argument) and len(argument.split()) == 1:
        await say("⏳ Téléchargement de la page…")
        options = {"timeout": settings.fetch_timeout_seconds, "max_bytes": limit}
        allow = settings.ingest_allow_private_urls
        return argument, lambda: fetch_url(argument, allow_private=allow, **options)
    if argument:
        return "texte collé", lambda: parse_bytes(argument.encode(), name=None, source=None, max_bytes=limit)
    replied = message.reply_to_message
    if replied and replied.document:
        data, name = await document_bytes(replied, settings)
        return name, lambda: parse_bytes(data, name=name, source=f"telegram:{name}", max_bytes=limit)
    if replied and (replied.text or replied.caption):
        body, source = replied.text or replied.caption, origin_link(replied)
        return "message", lambda: _with_source(parse_bytes(body.encode(), name=None, source=source, max_bytes=limit))
    raise InputError(
        "rien à ajouter. Envoyez /ingest suivi d'une URL ou du texte, répondez /ingest à un message, "
        "ou envoyez un document avec la légende /ingest."
    )


def _with_source(document: Document) -> Document:
    return replace(document, url=document.url or document.source)


async def cmd_ingest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    service = service_of(context)
    message = update.effective_message
    if not may_ingest(update.effective_user and update.effective_user.id, service.settings):
        await reply(message, fmt.e("Désolé, seuls les administrateurs peuvent ajouter des articles ici."))
        return
    status = await reply(message, "⏳ Ajout de l'article…")

    async def say(text: str) -> None:
        await edit(status, text)

    try:
        async with typing(message):
            label, load = await read_ingest_input(message, service.settings, say)
            document = await asyncio.to_thread(load)
            await say("⏳ Découpage et indexation…")
            outcome = (await asyncio.to_thread(ingest_documents, service.library, [(label, document)]))[0]
    except InputError as exc:
        await say(fmt.error_html(f"Je n'ai pas pu ajouter cet article : {exc}"))
        return
    except Exception:
        await say(fmt.error_html("L'ajout a échoué à cause d'une erreur inattendue ; rien n'a été modifié."))
        raise  # to the error handler: log, apology, note to admins
    await say(fmt.ingest_html(outcome.status, outcome.article))


async def on_document_without_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update.effective_message, "Pour ajouter ce document, renvoyez-le avec la légende <code>/ingest</code>.")


# --- administration ---------------------------------------------------------------------


def admin_only(handler):
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        if not is_admin(user and user.id, service_of(context).settings):
            if update.callback_query:
                await update.callback_query.answer(REFUSED, show_alert=True)
            else:
                await reply(update.effective_message, fmt.e(REFUSED))
            return
        await handler(update, context)

    return guarded


@admin_only
async def cmd_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    stats = await asyncio.to_thread(service_of(context).library.stats)
    await reply(update.effective_message, fmt.stats_html(stats))


@admin_only
async def cmd_delete(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if len(context.args or []) != 1 or not context.args[0].isdigit():
        await reply(message, "Utilisation : <code>/delete ID</code> (les identifiants sont dans /articles).")
        return
    try:
        article = await asyncio.to_thread(service_of(context).library.delete, int(context.args[0]))
    except NotFound:
        await reply(message, fmt.e(f"Aucun article n'a l'identifiant {context.args[0]}."))
        return
    await reply(message, f"🗑 Supprimé : « {fmt.e(article.title)} », article {article.id}.")


def articles_markup(page: int, total: int) -> InlineKeyboardMarkup | None:
    buttons = []
    if page > 0:
        buttons.append(InlineKeyboardButton("◀ Page précédente", callback_data=f"articles:{page - 1}"))
    if (page + 1) * ARTICLES_PER_PAGE < total:
        buttons.append(InlineKeyboardButton("Page suivante ▶", callback_data=f"articles:{page + 1}"))
    return InlineKeyboardMarkup([buttons]) if buttons else None


async def articles_page(context: ContextTypes.DEFAULT_TYPE, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    library = service_of(context).library
    total = (await asyncio.to_thread(library.stats)).articles
    articles = await asyncio.to_thread(library.articles, page * ARTICLES_PER_PAGE, ARTICLES_PER_PAGE)
    return fmt.articles_page_html(articles, page, total, ARTICLES_PER_PAGE), articles_markup(page, total)


@admin_only
async def cmd_articles(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text, markup = await articles_page(context, 0)
    await reply(update.effective_message, text, markup)


@admin_only
async def on_articles_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    text, markup = await articles_page(context, int(query.data.split(":")[1]))
    await edit(query.message, text, markup)


@admin_only
async def cmd_reindex(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    service = service_of(context)
    if service.reindexing and not service.reindexing.done():
        await reply(update.effective_message, "Une réindexation est déjà en cours.")
        return
    status = await reply(update.effective_message, "🔄 Réindexation : préparation…")
    service.reindexing = asyncio.create_task(reindex(service, status))


async def reindex(service: BotService, status: Message) -> None:
    """Rebuild in a thread; edit one message with progress at most every 2 s."""
    loop = asyncio.get_running_loop()
    last = {"at": 0.0}

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last["at"] >= 2 and total:
            last["at"] = now
            text = f"🔄 Réindexation : {done} / {total} passages ({done / total:.0%})"
            asyncio.run_coroutine_threadsafe(edit(status, text), loop)

    try:
        stats = await asyncio.to_thread(service.library.reindex, progress)
    except LibraryError as exc:
        await edit(status, fmt.error_html(f"Réindexation impossible : {exc}"))
        return
    except Exception:
        log.exception("reindex failed")
        await edit(status, fmt.error_html("La réindexation a échoué ; l'index précédent est conservé."))
        return
    await edit(status, f"✅ Index reconstruit : {stats.articles} articles, {stats.passages} passages.")


# --- start, help, errors -----------------------------------------------------------------


async def cmd_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = update.effective_user
    admin = is_admin(user and user.id, service_of(context).settings)
    await reply(update.effective_message, HELP + (ADMIN_HELP if admin else ""))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        with contextlib.suppress(TelegramError):
            await update.effective_message.reply_text(APOLOGY, do_quote=False)
    settings = service_of(context).settings
    if settings.notify_admins_on_error:
        note = fmt.error_html(f"Erreur dans le bot : {type(context.error).__name__}: {context.error}"[:500])
        for admin in settings.admin_user_ids:
            with contextlib.suppress(TelegramError):
                await context.bot.send_message(admin, note, parse_mode=ParseMode.HTML)


async def register_commands(application: Application) -> None:
    bot = application.bot
    await bot.set_my_commands(PUBLIC_COMMANDS)
    for admin in application.bot_data["service"].settings.admin_user_ids:
        try:
            await bot.set_my_commands(PUBLIC_COMMANDS + ADMIN_COMMANDS, scope=BotCommandScopeChat(admin))
        except TelegramError as exc:  # an admin who never opened a chat with the bot
            log.warning("could not register admin commands for %s: %s", admin, exc)


def build_application(settings: Settings, library: Library) -> Application:
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(True)
        .post_init(register_commands)
        .build()
    )
    application.bot_data["service"] = BotService(settings, library)
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    application.add_handlers(
        [
            CommandHandler(["start", "help", "aide"], cmd_help),
            CommandHandler("ask", cmd_ask),
            CommandHandler("ingest", cmd_ingest),
            MessageHandler(filters.Document.ALL & filters.CaptionRegex(_INGEST_CAPTION), cmd_ingest),
            CommandHandler("stats", cmd_stats),
            CommandHandler("delete", cmd_delete),
            CommandHandler("articles", cmd_articles),
            CommandHandler("reindex", cmd_reindex),
            CallbackQueryHandler(on_more, pattern=r"^more:\d+:\d+$"),
            CallbackQueryHandler(on_reference, pattern=r"^ref:\d+$"),
            CallbackQueryHandler(on_articles_page, pattern=r"^articles:\d+$"),
            MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_private_text),
            MessageHandler(groups & filters.TEXT & ~filters.COMMAND, on_group_text),
            MessageHandler(private & filters.Document.ALL, on_document_without_command),
        ]
    )
    application.add_error_handler(on_error)
    return application


class RedactToken(logging.Filter):
    """The token is a password: it must never reach a log line."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg, record.args = message.replace(self.token, "<token>"), None
        return True


def serve(settings: Settings) -> int:
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    if not token:
        raise LibraryError(
            "TELEGRAM_BOT_TOKEN manquant : créez un bot avec @BotFather, puis mettez son jeton "
            "dans TELEGRAM_BOT_TOKEN (environnement ou fichier .env)."
        )
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(token))
    library = open_library(settings, notify=log.info)
    log.info("library: %s articles; starting long polling", library.stats().articles)
    application = build_application(settings, library)
    application.run_polling(allowed_updates=Update.ALL_TYPES)
    library.close()
    return 0
