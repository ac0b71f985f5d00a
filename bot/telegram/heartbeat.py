"""The running bot's heartbeat (`bot.heartbeat`): Telegram's answers watched as they come,
the library read, and the beat written, by a JobQueue job on the event loop.

Cheap and harmless by design: the library's check is its two counters (no model, no search),
each check runs alone (one still waiting is not started again), the file is written on a
thread, and nothing here ever raises into the bot: a beat that cannot be written is a line in
the log, and `health` says the beat is stale.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

from telegram.error import TimedOut
from telegram.request import HTTPXRequest

from bot.heartbeat import OPENING_STEP, Outage, Pulse, Vital
from bot.replies.upkeep import lexicon_update_step
from bot.state import BotState
from bot.telegram.context import Context
from bot.telegram.errors import redact, report_library_back, what_went_wrong
from index.library import LexiconUpdate, Library

log = logging.getLogger("bot.telegram")
# How long a beat waits for its checks' answers before it is written without them.
CHECK_WAIT_SECONDS = 5.0


def refusal(code: int, payload: bytes) -> str:
    """What Telegram's answer with HTTP status `code` said (its `description`), for the heartbeat."""
    try:
        description = json.loads(payload).get("description")
    except (ValueError, AttributeError):
        description = None
    return f"HTTP {code}" + (f" : {description}" if description else "")


class WatchedRequest(HTTPXRequest):
    """The connection the long polls go through (`get_updates_request`), telling `vital` of each
    answer and each failure: a poll that returns, even empty, is Telegram answering. The first
    answer after failures is logged (`outage`): python-telegram-bot tells of a poll that
    failed (`errors.on_error`), not of one that succeeds, nor of one that timed out."""

    def __init__(self, vital: Vital, outage: Outage, token: str, **options) -> None:
        super().__init__(**options)
        self._vital = vital
        self._outage = outage
        self._token = token

    async def do_request(self, *args, **kwargs) -> tuple[int, bytes]:
        try:
            code, payload = await super().do_request(*args, **kwargs)
        except Exception as exc:  # NetworkError, TimedOut: python-telegram-bot retries the poll
            said = what_went_wrong(exc, self._token)
            self._vital.failed(said)
            # A poll timed out (a network that drops packets) is retried at once and told to
            # no error handler, only to PTB's DEBUG log (`telegram.ext._utils.networkloop`,
            # PTB's PR #1007): said here as the other failures are there (`errors.on_error`).
            if isinstance(exc, TimedOut) and (line := self._outage.failed(said, time.monotonic())):
                log.warning(line)
            raise
        if code == 200:
            self._vital.answered(time.time())
            if back := self._outage.answered(time.monotonic()):
                log.info(back)
        else:
            self._vital.failed(redact(refusal(code, payload), self._token))
        return code, payload


def check(
    vital: Vital,
    checking: Callable[[], Awaitable[object]],
    token: str,
    answered: Callable[[], Awaitable[None]] | None = None,
) -> Callable[[], Awaitable[None]]:
    """`checking` run once, its outcome told to `vital`, and `answered` awaited when it answers
    (to say an outage over); never raises."""

    async def run() -> None:
        try:
            await checking()
        except Exception as exc:
            vital.failed(what_went_wrong(exc, token))
        else:
            vital.answered(time.time())
            if answered is not None:
                await answered()

    return run


class Heartbeat:
    """The checks under way and the beats written, for one serving process."""

    def __init__(self, pulse: Pulse) -> None:
        self.pulse = pulse
        self._checks: dict[str, asyncio.Task] = {}
        self._write_failure: str | None = None
        # A thread of its own: behind the event loop's default threads, busy with a library
        # that hangs, the beat would wait with them and say the whole bot stuck.
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="heartbeat")
        self._started = threading.Event()  # set once serving or stopped: the start-up beats end

    def beat_while_starting(self) -> None:
        """Beats written every interval on a thread of their own until the bot serves (the
        JobQueue's beats take over) or stops (`started`): no event loop runs yet to write
        them, and a start of minutes (a large library's lexicon updated) would otherwise look
        stuck to `health`, its one beat stale."""

        def beating() -> None:
            while not self._started.wait(self.pulse.every_seconds):
                self.write_now()

        threading.Thread(target=beating, name="heartbeat-start-up", daemon=True).start()

    def started(self) -> None:
        """No more start-up beats: the bot serves (the JobQueue beats), or stops."""
        self._started.set()

    def doing(self, step: str, *, lasts: bool = False) -> None:
        """Starting, the bot does `step` (`Pulse.doing`): written at once, for `health` to say it."""
        self.pulse.doing(step, time.time(), lasts=lasts)
        self.write_now()

    def lexicon_update(self, update: LexiconUpdate) -> None:
        """The library's lexicon being brought up to date as it opens, then done (the
        library's `on_lexicon_update`): the start-up's step while it lasts, one as long as the
        library is large; then what the library does next, the model loaded already."""
        if update.seconds is None:
            self.doing(lexicon_update_step(update), lasts=True)
        else:
            self.doing(OPENING_STEP)

    def start_check(self, name: str, run: Callable[[], Awaitable[None]]) -> asyncio.Task:
        """`run` in the background unless the check `name` still waits for an answer: a
        library or a network that hangs gets one question, not one more at each beat."""
        under_way = self._checks.get(name)
        if under_way is None or under_way.done():
            under_way = self._checks[name] = asyncio.create_task(run(), name=f"heartbeat-{name}")
        return under_way

    def write_now(self) -> None:
        """The beat written; a failure (a full disk, DATA_DIR read-only) logged once, not at each beat."""
        try:
            self.pulse.write()
        except Exception as exc:
            said = str(exc)
            if said != self._write_failure:
                log.warning("could not write the heartbeat %s: %s", self.pulse.path, said)
            self._write_failure = said
        else:
            self._write_failure = None

    async def write(self) -> None:
        """`write_now` on the heartbeat's thread: a slow disk holds no update up."""
        await asyncio.get_running_loop().run_in_executor(self._writer, self.write_now)

    def stop(self) -> None:
        self.started()
        for task in self._checks.values():
            task.cancel()
        self._writer.shutdown(wait=False)


def databases_read(library: Library, state: BotState) -> Callable[[], Awaitable[object]]:
    """A read of each database an update may use, the library's and the bot's state's (one
    file apart from the library's in SQLite): an outage of either is told to users and the log
    alike (`errors.report_library_outage`), and is over only when both answer. Checked on the
    library alone, a state out of reach was said "available again" at each beat, and told to
    the admins again at the next message. The state first, as an update reads them: a library
    reopened on an empty mount point (DATA_DIR's volume gone) leaves its lock file there."""
    return lambda: asyncio.to_thread(lambda: (state.read_once(), library.counts()))


async def library_back_before_update(update: object, context: Context) -> None:
    """Before each update while the library is out of reach (`errors.report_library_outage`):
    its databases read again, and when they answer, the outage said over to the log and the
    admins (`errors.report_library_back`) with the first request that finds them back, rather
    than at the next beat, which only `serve` has."""
    service = context.service
    if service.library_outage.since is None:
        return
    try:
        await databases_read(service.library, service.state)()
    except Exception:  # still away: the update's own handler meets it, and its user is told
        return
    await report_library_back(context)


async def beat(context: Context) -> None:
    """The JobQueue's job, every HEARTBEAT_SECONDS: the library checked (in webhook mode, where
    no poll shows it, Telegram too), and the beat written with what the checks said so far."""
    service = context.service
    heartbeat = service.heartbeat
    if heartbeat is None:
        return
    token = service.settings.token
    try:
        pulse = heartbeat.pulse
        checks = [
            heartbeat.start_check(
                "library",
                check(
                    pulse.library,
                    databases_read(service.library, service.state),
                    token,
                    functools.partial(report_library_back, context),
                ),
            )
        ]
        if pulse.mode == "webhook":
            checks.append(heartbeat.start_check("telegram", check(pulse.telegram, context.bot.get_webhook_info, token)))
        # Their answers in this beat when they come at once (they do, but for a library or a
        # network that hangs, which the next beats will tell).
        await asyncio.wait(checks, timeout=min(pulse.every_seconds / 2, CHECK_WAIT_SECONDS))
        await heartbeat.write()
    except Exception:  # never the bot's error: its admins are not told, the log says it
        log.warning("heartbeat failed", exc_info=True)
