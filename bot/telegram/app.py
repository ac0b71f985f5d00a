"""`python -m bot serve`: builds the Application (long polling) and only wires it.

Handlers live by feature in `questions`, `ingest` and `admin`. Edited messages never
run anything: editing an old `/delete 3` must not delete again.
"""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InvalidCallbackData,
    MessageHandler,
    filters,
)

from bot.permissions import is_admin
from bot.service import open_library
from bot.settings import Settings
from bot.telegram import admin, ingest, questions
from bot.telegram import messages as msg
from bot.telegram.context import BotService, Context
from bot.telegram.errors import RedactToken, on_error, redact
from bot.telegram.sending import reply
from index.errors import LibraryError
from index.library import Library

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
# Seconds before each new attempt at registering the command menu after a failure.
COMMAND_MENU_RETRIES = (5, 30, 120, 600, 3600)
# Button data kept in memory (python-telegram-bot's cache, least recently used out).
BUTTONS_KEPT = 2048


async def cmd_help(update: Update, context: Context) -> None:
    user = update.effective_user
    admin_user = is_admin(user and user.id, context.service.settings)
    await reply(update.effective_message, msg.HELP + (msg.ADMIN_HELP if admin_user else ""))


async def register_commands(application: Application) -> None:
    """The command menu, with the admin commands for admins. A failure (Telegram down,
    a network error) must not stop the bot: it answers without a menu and tries again."""
    await _register_commands(application, attempt=0)


async def _register_commands(application: Application, attempt: int) -> None:
    bot = application.bot
    try:
        await bot.set_my_commands(PUBLIC_COMMANDS)
    except TelegramError as exc:
        if attempt >= len(COMMAND_MENU_RETRIES):
            log.warning("could not register the command menu (%s); giving up", exc)
            return
        delay = COMMAND_MENU_RETRIES[attempt]
        log.warning("could not register the command menu (%s); trying again in %s s", exc, delay)

        async def retry(context: Context) -> None:
            await _register_commands(context.application, attempt + 1)

        application.job_queue.run_once(retry, delay, name="register-commands")
        return
    for admin_id in application.bot_data["service"].settings.admin_user_ids:
        try:
            await bot.set_my_commands(PUBLIC_COMMANDS + ADMIN_COMMANDS, scope=BotCommandScopeChat(admin_id))
        except TelegramError as exc:  # an admin who never opened a chat with the bot
            log.warning("could not register admin commands for %s: %s", admin_id, exc)


def build_application(settings: Settings, library: Library) -> Application:
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                do_quote=False,
            )
        )
        .context_types(ContextTypes(context=Context))
        .arbitrary_callback_data(BUTTONS_KEPT)
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(True)
        .post_init(register_commands)
        .build()
    )
    application.bot_data["service"] = BotService.create(settings, library)
    new = filters.UpdateType.MESSAGE  # never edited messages
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    application.add_handlers(
        [
            CommandHandler(["start", "help", "aide"], cmd_help, filters=new),
            CommandHandler("ask", questions.cmd_ask, filters=new),
            CommandHandler("ingest", ingest.cmd_ingest, filters=new),
            MessageHandler(new & filters.Document.ALL & filters.CaptionRegex(ingest.INGEST_CAPTION), ingest.cmd_ingest),
            CommandHandler("stats", admin.cmd_stats, filters=new),
            CommandHandler("delete", admin.cmd_delete, filters=new),
            CommandHandler("articles", admin.cmd_articles, filters=new),
            CommandHandler("reindex", admin.cmd_reindex, filters=new),
            CallbackQueryHandler(questions.on_more, pattern=questions.AnswerPageButton),
            CallbackQueryHandler(questions.on_reference, pattern=questions.ArticleButton),
            CallbackQueryHandler(admin.on_articles_page, pattern=admin.ArticlesPageButton),
            CallbackQueryHandler(questions.on_expired_button, pattern=InvalidCallbackData),
            MessageHandler(new & private & filters.TEXT & ~filters.COMMAND, questions.on_private_text),
            MessageHandler(new & groups & filters.TEXT & ~filters.COMMAND, questions.on_group_text),
            MessageHandler(new & private & filters.Document.ALL, ingest.on_document_without_command),
        ]
    )
    application.add_error_handler(on_error)
    return application


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
    try:
        log.info("library: %s articles; starting long polling", library.stats().articles)
        build_application(settings, library).run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        raise LibraryError(
            "Telegram refuse le jeton TELEGRAM_BOT_TOKEN : vérifiez-le auprès de @BotFather "
            "(commande /token), puis relancez."
        ) from None
    except TelegramError as exc:
        raise LibraryError(f"Telegram est injoignable au démarrage : {redact(str(exc), token)}") from None
    finally:
        library.close()
    return 0
