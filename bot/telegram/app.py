"""`python -m bot serve [--webhook]`: builds the Application and only wires it; long polling,
or a webhook server (one of several replicas behind a load balancer, sharing PostgreSQL).

Handlers live by feature in `questions`, `inline`, `ingest`, `follow` and `admin`. Edited
messages never run anything: editing an old `/delete 3` must not delete again.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import faulthandler
import io
import logging
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from filelock import FileLock, Timeout
from telegram import BotCommand, BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChosenInlineResultHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.heartbeat import CONNECTING_STEP, Mode, Pulse, beat_lock, bot_id, heartbeat_file, remove_forgotten_beats
from bot.service import open_library, open_state, ready_to_answer_for_long
from bot.settings import Settings
from bot.state import BotState
from bot.telegram import admin, albums, follow, ingest, inline, questions, under_way
from bot.telegram.context import BotService, Context
from bot.telegram.errors import RedactToken, SaidOnceStopped, on_error, redact
from bot.telegram.heartbeat import Heartbeat, WatchedRequest, beat, library_back_before_update
from bot.telegram.ordering import OneConversationAtATime
from bot.telegram.rate_limits import ChatByChatRateLimiter
from index.errors import LibraryError
from index.library import Library

log = logging.getLogger("bot.telegram")

PUBLIC_COMMANDS = [
    BotCommand("ask", "Poser une question sur les articles"),
    BotCommand("ingest", "Ajouter un article (URL, texte, fichier)"),
    BotCommand("help", "Comment utiliser le bot"),
]
ADMIN_COMMANDS = [
    BotCommand("articles", "Lister les articles, ou les chercher : /articles mots (admin)"),
    BotCommand("delete", "Supprimer un article : /delete ID (admin)"),
    BotCommand("reindex", "Reconstruire la bibliothèque (admin)"),
    BotCommand("stats", "Chiffres de la bibliothèque (admin)"),
    BotCommand("follow", "Suivre un flux RSS/Atom ou une chaîne (admin)"),
    BotCommand("unfollow", "Ne plus suivre un flux ou une chaîne : /unfollow ID (admin)"),
    BotCommand("feeds", "Flux et chaînes suivis (admin)"),
    BotCommand("feedback", "Les 👍 et 👎 des utilisateurs (admin)"),
]
# Seconds before each new attempt at registering the command menu after a failure.
COMMAND_MENU_RETRIES = (5, 30, 120, 600, 3600)
# How often answers older than ANSWERS_KEPT_DAYS are forgotten.
FORGET_EVERY_SECONDS = 3600


async def forget_old_answers(context: Context) -> None:
    service = context.service
    moment = time.time() - service.settings.answers_kept_days * 86400
    await asyncio.to_thread(service.state.forget_before, moment)


async def start_up(application: Application) -> None:
    """Once the bot knows itself: how it stops, the command menu, the statuses of the work a
    process before it left under way, the feed jobs, the answers' retention, and the heartbeat (Telegram and
    the library have just answered)."""
    stop_gracefully(application)
    await register_commands(application)
    await under_way.start(application)
    await follow.schedule_feeds(application)
    application.job_queue.run_repeating(follow.sync_feeds, follow.SYNC_EVERY_SECONDS, name="sync-feeds")
    application.job_queue.run_repeating(forget_old_answers, FORGET_EVERY_SECONDS, first=1, name="forget-answers")
    heartbeat = application.bot_data["service"].heartbeat
    if heartbeat is not None:
        heartbeat.pulse.serving(time.time())
        heartbeat.started()
        await heartbeat.write()  # at once: a job's first run comes one interval later
        application.job_queue.run_repeating(beat, heartbeat.pulse.every_seconds, name="heartbeat")


def stop_gracefully(application: Application) -> None:
    """SIGINT and SIGTERM stop the bot as python-telegram-bot's own handler does (no update is
    taken any more; those under way and the work they started are awaited), but work still
    going `STOP_GRACE_SECONDS` (a setting) later, or at a second signal, is given up (`StopRequest`) and
    its users told: the process ends within seconds. Under PTB's handler an ingest held the
    exit for as long as it took (`docker stop` killed it, its user left with a progress
    line), and a second Ctrl-C closed the event loop under the work, told to no one."""
    loop = asyncio.get_running_loop()
    stop = application.bot_data["service"].stop
    grace = application.bot_data["service"].settings.stop_grace_seconds
    stopping = False

    def on_signal(signum: int) -> None:
        nonlocal stopping
        name = signal.Signals(signum).name
        if stopping:
            log.warning("%s again: the work under way is given up now", name)
            stop.abandon()
            return
        stopping = True
        log.warning(
            "%s: stopping; work under way has %s s to finish (a second signal gives it up now)",
            name,
            grace,
        )
        loop.call_later(grace, stop.abandon)
        raise SystemExit  # as PTB's own handler does: `run_polling` and `run_webhook` stop

    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, on_signal, signum)
        except NotImplementedError:  # an event loop without signals (Windows): PTB's way stays
            return


async def shut_down(application: Application) -> None:
    service = application.bot_data["service"]
    if service.heartbeat is not None:
        service.heartbeat.stop()
    service.close()


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

        # However late the job queue runs it: APScheduler drops a one-off job whose time passed
        # by over a second (its default grace), and a busy start (the model warming up beside it,
        # a loaded machine) left the menu unregistered for good, its retry "missed by 2.9 s".
        application.job_queue.run_once(retry, delay, name="register-commands", job_kwargs={"misfire_grace_time": None})
        return
    for admin_id in application.bot_data["service"].settings.admin_user_ids:
        try:
            await bot.set_my_commands(PUBLIC_COMMANDS + ADMIN_COMMANDS, scope=BotCommandScopeChat(admin_id))
        except TelegramError as exc:  # an admin who never opened a chat with the bot
            log.warning("could not register admin commands for %s: %s", admin_id, exc)


def build_application(
    settings: Settings, library: Library, state: BotState, *, alone: bool, heartbeat: Heartbeat | None = None
) -> Application:
    """`alone`: whether this process is the only one serving the bot (long polling), not one of
    its replicas (`serve --webhook`); `heartbeat`: what `serve` writes for `python -m bot health`."""
    token = settings.token
    service = BotService.create(settings, library, state, alone=alone, heartbeat=heartbeat)
    builder = ApplicationBuilder()
    if heartbeat is not None:  # each long poll's answer, or failure, is a sign of Telegram's health
        watched = WatchedRequest(heartbeat.pulse.telegram, service.polling_outage, token, connection_pool_size=1)
        builder = builder.get_updates_request(watched)
    application = (
        builder.token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                # PTB's own rule: a reply in a group is attached to the message it answers (among
                # members' messages, which question an answer is for), never in a private chat;
                # sent all the same if that message was deleted meanwhile.
                allow_sending_without_reply=True,
            )
        )
        .context_types(ContextTypes(context=Context))
        .rate_limiter(ChatByChatRateLimiter(max_retries=3))
        .concurrent_updates(OneConversationAtATime())
        .post_init(start_up)
        .post_shutdown(shut_down)
        .build()
    )
    application.bot_data["service"] = service
    new = filters.UpdateType.MESSAGE  # never edited messages
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    application.add_handlers(
        [
            MessageHandler(filters.StatusUpdate.MIGRATE, questions.on_chat_moved),
            MessageHandler(
                filters.StatusUpdate.NEW_CHAT_MEMBERS | filters.StatusUpdate.CHAT_CREATED, questions.on_joined
            ),
            CommandHandler(["start", "help", "aide"], questions.cmd_help, filters=new),
            CommandHandler("ask", questions.cmd_ask, filters=new),
            # Adding an article, or a feed's first poll, takes seconds to minutes: their
            # handlers run beside the conversation (`block=False`; /ingest starts its own task),
            # whose next question is answered meanwhile rather than after them (`ordering`).
            CommandHandler("ingest", ingest.cmd_ingest, filters=new),
            # Several files or photos sent at once: answered as one, once all have come (`albums`).
            MessageHandler(new & albums.IN_ALBUM, albums.on_album_member, block=False),
            MessageHandler(
                # A document, or a photo or video whose caption is the article (a channel's post)
                new
                & (filters.Document.ALL | filters.PHOTO | filters.VIDEO)
                & filters.CaptionRegex(ingest.INGEST_CAPTION),
                ingest.on_ingest_caption,
                block=False,
            ),
            CommandHandler("stats", admin.cmd_stats, filters=new),
            CommandHandler("delete", admin.cmd_delete, filters=new),
            CommandHandler("articles", admin.cmd_articles, filters=new),
            CommandHandler("reindex", admin.cmd_reindex, filters=new),
            CommandHandler("feedback", admin.cmd_feedback, filters=new),
            CommandHandler("follow", follow.cmd_follow, filters=new, block=False),
            CommandHandler("unfollow", follow.cmd_unfollow, filters=new),
            CommandHandler("feeds", follow.cmd_feeds, filters=new),
            CallbackQueryHandler(questions.on_more, pattern=rf"^{questions.PAGE}\|"),
            CallbackQueryHandler(questions.on_reference, pattern=rf"^{questions.ARTICLE}\|"),
            CallbackQueryHandler(questions.on_vote, pattern=rf"^{questions.VOTE}\|"),
            CallbackQueryHandler(questions.on_read_on, pattern=rf"^{questions.READ_ON}\|"),
            CallbackQueryHandler(admin.on_articles_page, pattern=admin.ARTICLES_PAGE),
            CallbackQueryHandler(admin.on_delete_choice, pattern=admin.DELETE_CHOICE),
            CallbackQueryHandler(questions.on_unknown_button),
            InlineQueryHandler(inline.on_inline_query),
            ChosenInlineResultHandler(inline.on_chosen_inline_result),
            MessageHandler(filters.UpdateType.CHANNEL_POST, follow.on_channel_post),
            MessageHandler(new & private & filters.TEXT & ~filters.COMMAND, questions.on_private_text),
            # A question corrected by editing it: answered again; a command edited is never run
            # again, its sender told to send it anew.
            MessageHandler(
                filters.UpdateType.EDITED_MESSAGE & private & filters.TEXT, questions.on_edited_private_text
            ),
            MessageHandler(new & groups & filters.TEXT & ~filters.COMMAND, questions.on_group_text),
            MessageHandler(new & private & filters.Document.ALL, ingest.on_document_without_command),
            MessageHandler(new & private & filters.COMMAND, questions.on_unknown_command),
            # Anything else a person sends (not the service messages of a chat: pins, members…).
            MessageHandler(new & private & ~filters.StatusUpdate.ALL & ~filters.TEXT, questions.on_other_message),
        ]
    )
    # Before the handlers above, each update checks whether a library out of reach is back.
    application.add_handler(TypeHandler(Update, library_back_before_update), group=-1)
    application.add_error_handler(on_error)
    return application


def webhook_listen_refusal(exc: OSError, listen: str, port: int) -> str | None:
    """Why the webhook's server may not listen, in French with the setting to change; None for
    another refusal of the system (a file's: it names it), which the command line says as it is.
    Python's own words ("Address already in use") named neither the port nor the setting."""
    if exc.filename is not None:
        return None
    where = f"le port {port} de {listen}"
    if exc.errno == errno.EADDRINUSE:
        return (
            f"{where} est déjà pris (un autre « serve --webhook » ?) : arrêtez ce qui l'occupe, "
            "ou choisissez un autre port dans WEBHOOK_PORT"
        )
    if exc.errno == errno.EACCES:
        return (
            f"{where} est réservé à l'administrateur du système (ports sous 1024) : choisissez-en un "
            "au-dessus dans WEBHOOK_PORT (8443 par défaut), derrière le proxy HTTPS"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{listen} n'est pas une adresse de cette machine : corrigez WEBHOOK_LISTEN (0.0.0.0 : toutes)"
    return None


@contextlib.contextmanager
def held_alone(lock_file: Path, refusal: str) -> Iterator[None]:
    """A lock `serve` holds for its life; while another process holds it, `serve` stops at once
    with `refusal` (in French)."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_file, blocking=False)
    try:
        lock.acquire()
    except Timeout:
        raise LibraryError(refusal) from None
    try:
        yield
    finally:
        lock.release()


def the_only_poller(data_dir: Path, token: str) -> contextlib.AbstractContextManager[None]:
    """Held by a long-polling `serve` for its life: Telegram hands a bot's messages to one
    long-polling process, and a second one on the same data (a manual run beside the service)
    took them in turn with the first, each logging Telegram's refusals and telling the admins
    of them for ever. Per bot (the token's public id), so that two bots may share a library."""
    name = f"serve-{number}.lock" if (number := bot_id(token)) else "serve.lock"
    return held_alone(
        data_dir / name,
        f"un autre « python -m bot serve » reçoit déjà les messages de ce bot avec les données de {data_dir} "
        "(Telegram ne les donne qu'à un seul processus en long polling) : arrêtez-le d'abord. Plusieurs "
        "processus pour un même bot : serve --webhook (README, « PostgreSQL and several replicas »).",
    )


def the_only_one_beating(beat: Path) -> contextlib.AbstractContextManager[None]:
    """Held by `serve` for its life (`bot.heartbeat.beat_lock` says why)."""
    return held_alone(
        beat_lock(beat),
        f"un autre « python -m bot serve » de ce bot écrit déjà son battement {beat.name} dans {beat.parent} : "
        "donnez à chacun le sien avec REPLICA (REPLICA=web-2), ou arrêtez l'autre d'abord.",
    )


def open_serving_library(settings: Settings, heartbeat: Heartbeat, notify: Callable[[str], None] = log.info) -> Library:
    """`serve`'s library, its lexicon brought up to date as it opens if an earlier analysis made
    it (`notify`: the lines before and after, in the log), the heartbeat saying that step
    meanwhile: minutes for a large library, during which `health` says the bot alive."""
    return open_library(settings, notify=notify, on_lexicon_update=heartbeat.lexicon_update)


def serve(settings: Settings, webhook: bool = False) -> int:
    token = settings.token
    if not token:
        raise LibraryError(
            "TELEGRAM_BOT_TOKEN manquant : créez un bot avec @BotFather, puis mettez son jeton "
            "dans TELEGRAM_BOT_TOKEN (environnement ou fichier .env)."
        )
    if webhook and not settings.webhook_url:
        raise LibraryError(
            "WEBHOOK_URL manquant : l'adresse HTTPS publique à laquelle Telegram enverra les messages "
            "(celle du bot, ou du répartiteur de charge devant ses réplicas)."
        )
    if webhook and not settings.webhook_secret_token:
        # Without it, anyone who reaches the webhook's port may post an update in an admin's
        # name (Telegram user ids are no secret): /delete, /follow, /reindex would obey.
        raise LibraryError(
            "WEBHOOK_SECRET_TOKEN manquant : sans lui, n'importe qui atteignant le port du webhook pourrait "
            "envoyer des messages au nom d'un administrateur. Choisissez 1 à 256 caractères parmi A-Z, a-z, "
            '0-9, _ et - (par exemple : python -c "import secrets; print(secrets.token_urlsafe(32))").'
        )
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(token))
    if logging.getLogger().level > logging.DEBUG:  # LOG_LEVEL=DEBUG keeps PTB's traceback
        logging.getLogger("telegram.ext").addFilter(SaidOnceStopped())  # the retry loop's logger
    if hasattr(signal, "SIGUSR1"):  # `kill -USR1 <pid>`: where each thread is, written to the log, and serving goes on
        # Not where stderr is no file (`serve` run in another program's process, a notebook's or
        # a test's, its output captured): it refused to start at all ("fileno"), for a dump.
        with contextlib.suppress(io.UnsupportedOperation):
            faulthandler.register(signal.SIGUSR1, all_threads=True)
    if webhook:  # replicas behind a load balancer share one bot (README, "PostgreSQL and several replicas")
        return _serve(settings, token, webhook)
    with the_only_poller(settings.data_dir, token):
        return _serve(settings, token, webhook)


def _serve(settings: Settings, token: str, webhook: bool) -> int:
    mode: Mode = "webhook" if webhook else "polling"
    # A webhook's Telegram is asked at each beat, and answers at once; a long poll waits for
    # messages (TELEGRAM_POLL_WAIT_SECONDS): so long may pass between two answers of a bot that works.
    wait = 0 if webhook else settings.telegram_poll_wait_seconds
    pulse = Pulse(heartbeat_file(settings.data_dir, token, settings.replica), mode, settings.heartbeat_seconds, wait)
    with the_only_one_beating(pulse.path):
        remove_forgotten_beats(settings.data_dir, token, pulse.path, time.time())
        heartbeat = Heartbeat(pulse)
        heartbeat.write_now()  # starting: the previous run's beat no longer speaks for this one
        heartbeat.beat_while_starting()
        try:
            return _serve_with(settings, token, webhook, heartbeat)
        finally:
            pulse.stopped()
            heartbeat.started()  # its start-up beats over, if it never served
            heartbeat.write_now()


def _serve_with(settings: Settings, token: str, webhook: bool, heartbeat: Heartbeat) -> int:
    # Each closed whatever comes after it, the state before the library: a state that did not
    # open (a damaged file) left the library open, and a restore run next in the same process
    # was refused as if another program had it.
    with open_serving_library(settings, heartbeat) as library:
        ready_to_answer_for_long(library)
        with contextlib.closing(open_state(settings)) as state:
            heartbeat.doing(CONNECTING_STEP)
            return _serve_application(settings, token, webhook, library, state, heartbeat)


def _serve_application(
    settings: Settings, token: str, webhook: bool, library: Library, state: BotState, heartbeat: Heartbeat
) -> int:
    """The bot served until it stops, what Telegram or the system refuses at the start said in French."""
    try:
        application = build_application(settings, library, state, alone=not webhook, heartbeat=heartbeat)
        if webhook:
            log.info(
                "library: %s articles; webhook on %s:%s for %s",
                library.stats().articles,
                settings.webhook_listen,
                settings.webhook_port,
                settings.webhook_url,
            )
            secret = settings.webhook_secret_token.get_secret_value() if settings.webhook_secret_token else None
            application.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
                webhook_url=settings.webhook_url,
                secret_token=secret,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            log.info("library: %s articles; starting long polling", library.stats().articles)
            application.run_polling(allowed_updates=Update.ALL_TYPES, timeout=settings.telegram_poll_wait_seconds)
    except InvalidToken:
        raise LibraryError(
            "Telegram refuse le jeton TELEGRAM_BOT_TOKEN : vérifiez-le auprès de @BotFather "
            "(commande /token), puis relancez."
        ) from None
    except (BadRequest, Forbidden) as exc:  # reached, but it refused what was asked (a WEBHOOK_URL in http…)
        raise LibraryError(f"Telegram refuse le démarrage du bot : {redact(str(exc), token)}") from None
    except TelegramError as exc:  # PTB's BadRequest is a NetworkError too: it goes first
        raise LibraryError(f"Telegram est injoignable au démarrage : {redact(str(exc), token)}") from None
    except OSError as exc:
        if webhook and (refusal := webhook_listen_refusal(exc, settings.webhook_listen, settings.webhook_port)):
            raise LibraryError(refusal) from None
        raise
    return 0
