"""The bot's heartbeat: what `python -m bot serve` writes under DATA_DIR every HEARTBEAT_SECONDS
to show it is alive and working, and what `python -m bot health` makes of it.

Long polling listens on no port, so an orchestrator (Docker's HEALTHCHECK, systemd, a cron
job) cannot ask the bot how it is: the running bot writes it down instead, and `health`
reads that file alone (no model, no library, no Telegram: it answers in about a second, as a
health check must). The file is written by a JobQueue job, on the event loop: a loop blocked
writes nothing, and the beat goes stale. Before the loop runs, while the bot starts (the model
loaded, a library's lexicon brought up to date: minutes for a large one), a thread of its own
writes it, with the step under way, until the bot serves. It says when Telegram last answered
(a long poll returned, or in webhook mode a `getWebhookInfo`) and when the library last answered a read,
with the error each gave since: polling dead after network errors, a library gone unreadable,
each shows as a time too long ago. Nothing here imports telegram: `health` stays quick.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Literal

from filelock import FileLock, Timeout

from index.manifest import write_atomic

log = logging.getLogger(__name__)

# A beat, or a vital sign's answer, missed this many times over is a bot not working: one
# beat late is a busy moment (a slow disk, a long garbage collection), three are not.
MISSED_BEATS = 3
Mode = Literal["polling", "webhook"]
State = Literal["starting", "serving", "stopped"]
# While the long polls keep failing, a line in the log this often says that it lasts.
OUTAGE_REMINDER_SECONDS = 300.0
# What a starting bot does first, and said of a beat that names no step (an earlier version's).
LOADING_STEP = "chargement du modèle et de la bibliothèque"
# After a lexicon's update, which the library makes first as it opens (the model loaded before
# it): its passages and vectors opened.
OPENING_STEP = "ouverture de la bibliothèque"
# Then, once the library is open: Telegram asked who the bot is, the webhook registered.
CONNECTING_STEP = "connexion à Telegram"
# A beat not written for this long is a replica's gone for good (a container replaced, under
# another host name): removed by the next `serve` of the bot, so that a shared volume does
# not fill with them. A week: no bot stopped for maintenance, or a holiday, is gone so long.
GONE_AFTER_SECONDS = 7 * 86_400.0


def bot_id(token: str) -> str | None:
    """The token's public part, the bot's id ("123456" of "123456:ABC…"), which names the bot's
    files in DATA_DIR so that two bots may share one; None for a token without one."""
    public = token.partition(":")[0]
    return public if public.isdecimal() else None


def heartbeat_file(data_dir: Path, token: str, replica: str | None) -> Path:
    """Per bot (the token's public id), as `serve`'s lock: two bots may share a DATA_DIR. And per
    replica (`replica`, the REPLICA setting, else this machine's host name): replicas of one bot
    sharing a DATA_DIR each write their own, where one file held whichever beat came last, and
    `health`, run beside a replica (in its container, on its machine, with its settings), reads
    that one's with no argument."""
    bot = f"-{number}" if (number := bot_id(token)) else ""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", replica or socket.gethostname())
    return data_dir / f"heartbeat{bot}-{name}.json"


def beat_lock(beat: Path) -> Path:
    """Held by the `serve` that writes `beat`, for its life: two `serve --webhook` of one bot on
    one machine and one DATA_DIR, without a REPLICA of their own, would write the same beat, each
    over the other's, and `health` would say of both whatever the last one wrote."""
    return beat.with_name(beat.name + ".lock")


def beats_of_the_bot(data_dir: Path, token: str) -> list[Path]:
    """The beats of this bot in `data_dir`, every replica's, and the one file earlier versions
    wrote for all (`heartbeat-<bot id>.json`). None for a token without a bot id: its beats'
    names could not be told from other bots'."""
    number = bot_id(token)
    if number is None:
        return []
    return [*data_dir.glob(f"heartbeat-{number}-*.json"), *data_dir.glob(f"heartbeat-{number}.json")]


def forgotten_beats(written: Mapping[Path, float], own: Path, now: float) -> list[Path]:
    """Of beats and when each was last written (`written`), those not written for
    `GONE_AFTER_SECONDS` at `now`, never `own`."""
    return sorted(beat for beat, at in written.items() if beat != own and now - at > GONE_AFTER_SECONDS)


def remove_forgotten_beats(data_dir: Path, token: str, own: Path, now: float) -> list[Path]:
    """Remove this bot's beats not written for a week (`forgotten_beats`), with their locks:
    each only while its lock is taken here, so never one whose `serve` still runs (its clock
    wrong, its disk gone read-only) or is starting now. Returns those removed."""
    written: dict[Path, float] = {}
    for beat in beats_of_the_bot(data_dir, token):
        with contextlib.suppress(OSError):  # removed meanwhile by another replica starting
            written[beat] = beat.stat().st_mtime
    removed = []
    for beat in forgotten_beats(written, own, now):
        lock = FileLock(beat_lock(beat), blocking=False)
        try:
            lock.acquire()
        except Timeout:
            continue
        try:
            beat.unlink(missing_ok=True)
            beat_lock(beat).unlink(missing_ok=True)
        finally:
            lock.release()
        log.info("removed %s: no beat written for %s", beat.name, elapsed(now - written[beat], day="d"))
        removed.append(beat)
    return removed


@dataclass
class Vital:
    """Something the bot needs in order to work (Telegram, the library): when it last
    answered, and what went wrong since, if anything did (None once it answers again)."""

    answered_at: float
    error: str | None = None

    def answered(self, now: float) -> None:
        self.answered_at, self.error = now, None

    def failed(self, error: str) -> None:
        self.error = error

    def as_json(self) -> dict:
        return {"answered_at": self.answered_at, "error": self.error}


@dataclass
class Outage:
    """Whether something the bot needs answers, as the log tells it: a line when it stops
    (with the cause), one every `OUTAGE_REMINDER_SECONDS` while it stays away (unless
    `reminded` is False), one when it answers again. Each method returns the line to log, if
    any: in English, as every log line (`python -m bot health` says the outage in French).
    By default, Telegram's long polls: python-telegram-bot retries a failed poll by itself
    (after 1 s, then longer, up to 30 s), and each failure came as a handler's traceback."""

    subject: str = "Telegram"
    away: str = "out of reach"
    back: str = "reachable again"
    meanwhile: str = "; retrying"
    reminded: bool = True
    since: float | None = None  # when it stopped answering (a monotonic clock's seconds)
    said_at: float = 0.0

    def failed(self, error: str, now: float) -> str | None:
        if self.since is None:
            self.since = self.said_at = now
            return f"{self.subject} {self.away}: {error}{self.meanwhile}"
        if not self.reminded or now - self.said_at < OUTAGE_REMINDER_SECONDS:
            return None
        self.said_at = now
        return f"{self.subject} still {self.away} after {elapsed(now - self.since, day='d')}: {error}{self.meanwhile}"

    def answered(self, now: float) -> str | None:
        if self.since is None:
            return None
        lasted, self.since = now - self.since, None
        return f"{self.subject} {self.back} after {elapsed(lasted, day='d')}"


def library_outage() -> Outage:
    """The library's database (or the bot's state beside it) out of reach: said once, with its
    cause, when users' messages start failing on it (each user is told in French), and once
    when the heartbeat's check of the library answers again; no reminder, which each user's
    message would otherwise bring back every 5 minutes for as long as it lasts."""
    return Outage("Library", "unavailable", "available again", meanwhile="", reminded=False)


@dataclass
class Pulse:
    """The running bot's signs of life, kept in memory as they come and written at each beat
    (`write`). `telegram_wait_seconds`: how long Telegram may rightly take to answer (a long
    poll waits that long for messages before it returns empty)."""

    path: Path
    mode: Mode
    every_seconds: float
    telegram_wait_seconds: float
    started_at: float = field(default_factory=time.time)
    state: State = "starting"
    # While starting, what it does (`doing`), and since when: a step of minutes (a large
    # library's lexicon brought up to date) is told apart from a start that is stuck.
    step: str = LOADING_STEP
    step_at: float = field(init=False)
    # Whether the step lasts as long as the library is large (its lexicon updated), not a few
    # seconds that only a fault would stretch: the one step `health` says healthy meanwhile.
    step_lasts: bool = False
    pid: int = field(default_factory=os.getpid)
    host: str = field(default_factory=socket.gethostname)
    telegram: Vital = field(init=False)
    library: Vital = field(init=False)
    _writing: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.telegram, self.library = Vital(self.started_at), Vital(self.started_at)
        self.step_at = self.started_at

    def doing(self, step: str, now: float, *, lasts: bool = False) -> None:
        """Starting, it does `step` from `now` on (a French phrase, "mise à jour de l'index lexical …");
        `lasts`: a step as long as the library is large (`step_lasts`)."""
        self.step, self.step_at, self.step_lasts = step, now, lasts

    def serving(self, now: float) -> None:
        """Started: Telegram (getMe, the webhook's registration) and the library (opened) just answered."""
        self.state = "serving"
        self.telegram.answered(now)
        self.library.answered(now)

    def stopped(self) -> None:
        self.state = "stopped"

    def write(self) -> None:
        """The beat, stamped now, written whole or not at all (`health` never reads half a file).
        One write at a time: a beat written on a thread cannot land after the last one. Its
        folder, DATA_DIR, is made as `serve` starts, never by a beat: gone (a volume unmounted),
        the beat fails and goes stale, as it should, rather than making an empty DATA_DIR where
        the bot's files would be written and the volume's return would hide them."""
        with self._writing:
            beat = {
                "state": self.state,
                "mode": self.mode,
                "written_at": time.time(),
                "every_seconds": self.every_seconds,
                "telegram_wait_seconds": self.telegram_wait_seconds,
                "started_at": self.started_at,
                "step": self.step,
                "step_at": self.step_at,
                "step_lasts": self.step_lasts,
                "pid": self.pid,
                "host": self.host,
                "telegram": self.telegram.as_json(),
                "library": self.library.as_json(),
            }
            write_atomic(self.path, json.dumps(beat, ensure_ascii=False).encode())


@dataclass(frozen=True)
class Verdict:
    healthy: bool
    said: str


def running(pid: int) -> bool:
    """Whether a process of that id exists on this machine (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def elapsed(seconds: float, *, day: str = "j") -> str:
    """A while as a French operator reads it: "45 s", "3 min", "2 h 05", "3 j" (`day`: "d" for
    a log line, in English)."""
    seconds = max(int(seconds), 0)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d}"
    return f"{seconds // 86400} {day}"


def judge(beat: Mapping, now: float, zone: tzinfo, *, host: str, alive: Callable[[int], bool] = running) -> Verdict:
    """What the beat `beat` says of the bot at `now`: healthy, or the first reason it is not, in
    French. The bot's own interval is the yardstick (the one it wrote), not this process's
    settings. `host`: this machine's name; the bot's process is looked for (`alive`) only on
    the machine it ran on (a container has its own)."""

    def since(moment: float) -> str:
        return f"{elapsed(now - moment)} ({datetime.fromtimestamp(moment, zone):%H:%M:%S})"

    every = float(beat["every_seconds"])
    written_at = float(beat["written_at"])
    pid = int(beat["pid"])
    if beat["state"] == "stopped":
        return Verdict(False, f"le bot est arrêté depuis {since(written_at)}")
    if beat["host"] == host and not alive(pid):
        return Verdict(
            False,
            f"le bot ne tourne plus : son processus {pid} a disparu sans s'arrêter proprement ; "
            f"dernier signe de vie il y a {since(written_at)}",
        )
    if now - written_at > MISSED_BEATS * every:
        return Verdict(
            False,
            f"aucun signe de vie depuis {since(written_at)}, attendu toutes les {every:g} s : "
            f"le bot est bloqué (processus {pid})",
        )
    if beat["state"] == "starting":
        # Healthy while its beats keep coming through a step as long as the library is large (its
        # lexicon updated: minutes, beyond Docker's start period), so that no supervisor kills a
        # bot at work; any other step takes seconds, and a start that stays there (Telegram
        # unreachable, a model that does not load) is said unhealthy once the start period is
        # over, as before. How long alone: a clock time in parentheses would run into the
        # step's own (each line has one pair of parentheses at most).
        started = float(beat["started_at"])
        step = beat.get("step", LOADING_STEP)  # a beat of a version that named no step
        step_at = float(beat.get("step_at", started))
        return Verdict(
            bool(beat.get("step_lasts", False)),
            f"le bot démarre depuis {elapsed(now - started)} : {step} depuis {elapsed(now - step_at)} ; "
            f"dernier signe de vie il y a {elapsed(now - written_at)}",
        )
    limits = {
        "telegram": MISSED_BEATS * every + float(beat["telegram_wait_seconds"]),
        "library": MISSED_BEATS * every,
    }
    silent = {name: float(beat[name]["answered_at"]) for name in limits}
    for name, limit in limits.items():
        if now - silent[name] <= limit:
            continue
        error = beat[name]["error"]
        if name == "telegram":
            cause = f" : {error}" if error else " : aucune réponse à ses requêtes"
            return Verdict(False, f"Telegram injoignable depuis {since(silent[name])}{cause}")
        if error:
            return Verdict(False, f"bibliothèque illisible depuis {since(silent[name])} : {error}")
        return Verdict(False, f"la bibliothèque ne répond plus depuis {since(silent[name])} : une lecture attend")
    how = "long polling" if beat["mode"] == "polling" else "webhook"
    return Verdict(
        True,
        f"le bot fonctionne ({how}, processus {pid}) : dernier signe de vie il y a {elapsed(now - written_at)}, "
        f"Telegram a répondu il y a {elapsed(now - silent['telegram'])}, "
        f"bibliothèque lue il y a {elapsed(now - silent['library'])}",
    )


def health(path: Path, now: float, zone: tzinfo) -> Verdict:
    """`python -m bot health`: the verdict of the heartbeat at `path`, read as it is."""
    try:
        beat = json.loads(path.read_bytes())
    except FileNotFoundError:
        return Verdict(
            False,
            f"aucun signe de vie : pas de battement dans {path} (le bot n'a jamais démarré avec ce DATA_DIR, "
            "ce TELEGRAM_BOT_TOKEN et ce REPLICA)",
        )
    except OSError as exc:
        return Verdict(False, f"battement illisible ({exc.strerror or exc}) : {path}")
    except ValueError:
        return Verdict(False, f"battement illisible (pas du JSON) : {path}")
    try:
        return judge(beat, now, zone, host=socket.gethostname())
    except (KeyError, TypeError, ValueError):
        return Verdict(False, f"battement illisible (d'une autre version du bot ?) : {path}")
