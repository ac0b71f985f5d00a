"""When something goes wrong: one apology to the user, a note to admins, the traceback
in the log, and the bot token never printed anywhere. Telegram out of reach for the long
polls is no failure of the bot: a line when it starts, and one when it ends."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import MutableMapping

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, ChatMigrated, Conflict, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.telegram import messages as msg
from bot.telegram.context import Context
from bot.telegram.sending import answer_press, send
from bot.telegram.typography import french_spacing_html
from index.errors import database_unavailable

log = logging.getLogger("bot.telegram")
# The same failure (its kind and message) is told to the admins once in this while: one that
# repeats (a state database locked by another process, a full disk, a feed's job failing at
# each poll, every user's question failing alike) would send them a note per update or poll.
# The log keeps each one.
REPEATED_NOTE_SECONDS = 600.0


def what_went_wrong(error: BaseException, token: str) -> str:
    """An error in one line, as the heartbeat and the log keep it: its own words, or its kind
    when it has none; never the token."""
    return redact(str(error) or type(error).__name__, token)[:300]


async def report_failure(context: Context, error: BaseException) -> None:
    """Log a handler's failure with its traceback and tell the admins in a short note, unless
    they were told of the same failure within `REPEATED_NOTE_SECONDS`."""
    log.error("error while handling an update", exc_info=error)
    settings = context.service.settings
    if settings.notify_admins_on_error and note_is_due(context.bot_data, error, time.monotonic()):
        token = settings.token
        # Never the token, as in the log (an error may quote a URL).
        await tell_admins(context, msg.failure_note_html(error, token))


async def report_library_outage(context: Context, error: BaseException) -> None:
    """A handler's failure on a database out of reach (`index.errors.database_unavailable`):
    its user was told to come back in a few minutes; the log says it once, with the cause and
    its traceback, and the admins get one note, when it starts (`BotService.library_outage`),
    rather than one per message for as long as it lasts."""
    service = context.service
    settings = service.settings
    token = settings.token
    line = service.library_outage.failed(what_went_wrong(error, token), time.monotonic())
    if line is None:
        return
    log.warning(line, exc_info=error)
    if settings.notify_admins_on_error:
        await tell_admins(context, msg.failure_note_html(error, token))


async def report_library_back(context: Context) -> None:
    """The library's databases answer again after an outage (`report_library_outage`): said
    once in the log ("Library available again after 3 min") and to the admins, who were told
    it was out of reach; nothing when there was no outage."""
    service = context.service
    line = service.library_outage.answered(time.monotonic())
    if line is None:
        return
    log.info(line)
    if service.settings.notify_admins_on_error:
        await tell_admins(context, msg.e(msg.LIBRARY_BACK))


async def report_another_poller(context: Context, refusal: Conflict) -> None:
    """Telegram refusing a poll (409) because another process polls the same bot: on another
    machine or with another DATA_DIR (on the same one, `serve` refuses to start). Said once in
    `REPEATED_NOTE_SECONDS`, in one line and to the admins in French: it came as a handler's
    traceback at every refused poll, each second, and an English note."""
    if not note_is_due(context.bot_data, refusal, time.monotonic()):
        return
    log.warning("Telegram refuses getUpdates (%s): another process polls this bot; stop one", refusal)
    if context.service.settings.notify_admins_on_error:
        await tell_admins(context, msg.ANOTHER_POLLER)


def out_of_reach(error: BaseException) -> bool:
    """A long poll that failed for the network or Telegram's servers (a refused connection,
    502 Bad Gateway), not for what it asked: python-telegram-bot's `BadRequest` is a
    `NetworkError` too."""
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


def report_polling_outage(context: Context, error: BaseException) -> None:
    """A failed long poll, while Telegram is out of reach: a line when it starts and a reminder
    now and then (`bot.heartbeat.Outage`), no traceback, and no note to the admins (sent through the
    Telegram that does not answer; `python -m bot health` says it meanwhile)."""
    service = context.service
    token = service.settings.token
    if line := service.polling_outage.failed(what_went_wrong(error, token), time.monotonic()):
        log.warning(line)


async def tell_admins(context: Context, note: str, only: int | None = None) -> None:
    """A note to each admin (`only`: to that one, while an admin); one Telegram refuses it for
    (no chat opened with the bot) is skipped."""
    admins = context.service.settings.admin_user_ids
    for admin in [only] if only in admins else admins:
        with contextlib.suppress(TelegramError):
            await send(context.bot, admin, note)


def note_is_due(bot_data: MutableMapping, error: BaseException, now: float) -> bool:
    """Whether the admins are to be told of `error` at `now` (a monotonic clock's seconds):
    not told of the same kind and message within `REPEATED_NOTE_SECONDS`. Recorded if so."""
    told: dict[tuple[str, str], float] = {
        failure: at for failure, at in bot_data.get("failures told", {}).items() if now - at < REPEATED_NOTE_SECONDS
    }
    bot_data["failures told"] = told
    failure = (type(error).__name__, str(error)[:500])
    if failure in told:
        return False
    told[failure] = now
    return True


def chat_closed_to_the_bot(error: BaseException) -> bool:
    """Telegram refused to let the bot write in the chat: flooding (its retries spent), the bot
    blocked, removed or muted there, the group moved to a supergroup. An apology there would
    be refused the same way, and the admins can do nothing about it: a log line says it."""
    return isinstance(error, RetryAfter | Forbidden | ChatMigrated) or (
        isinstance(error, BadRequest) and "not enough rights" in error.message.lower()
    )


async def on_error(update: object, context: Context) -> None:
    """The one error handler: an apology where the update came from, then the report. Never
    in a channel (its readers are not the bot's users: a followed channel's post that failed
    is the admins' business alone), and a button pressed stops spinning. Nothing but a log
    line when the chat refuses the bot's messages (`chat_closed_to_the_bot`)."""
    # From polling: python-telegram-bot's `run_polling` hands a failed long poll to the error
    # handlers without an update, a job or a task (each of which the other errors name).
    if update is None and context.job is None and context.coroutine is None:
        if isinstance(context.error, Conflict):
            await report_another_poller(context, context.error)
            return
        if out_of_reach(context.error):
            report_polling_outage(context, context.error)
            return
    closed = chat_closed_to_the_bot(context.error)
    away = database_unavailable(context.error)
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(update, Update):
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):  # already answered by the handler: refused, harmless
                await answer_press(update.callback_query)
        if not closed and update.effective_message and not (chat and chat.type == ChatType.CHANNEL):
            with contextlib.suppress(TelegramError):
                said = msg.LIBRARY_UNAVAILABLE if away else msg.APOLOGY
                await update.effective_message.reply_text(french_spacing_html(msg.e(said)))
    if closed:
        log.warning("chat %s refused the bot's message: %s", chat.id if chat else "?", context.error)
        return
    if away:
        await report_library_outage(context, context.error)
        return
    await report_failure(context, context.error)


class SaidOnceStopped(logging.Filter):
    """PTB's retry loop logs the error that ends the bot's start-up (Telegram out of reach,
    the token refused), with its traceback, then raises it: `serve` says it once, in French,
    on its way out. Only those records are left out: the loop that fetches updates retries
    for ever, and what it logs stays."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith("%s") and "Aborting" in record.msg)


class RedactToken(logging.Filter):
    """The token is a password: it must never reach a log line, tracebacks included
    (a failed request's URL carries it)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.token:
            return True
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.token in record.exc_text:
            record.exc_text = record.exc_text.replace(self.token, "<token>")
        return True


def redact(text: str, token: str) -> str:
    return text.replace(token, "<token>") if token else text
