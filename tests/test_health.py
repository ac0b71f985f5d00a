"""`python -m bot health`: what an orchestrator (Docker's HEALTHCHECK) asks of a running bot,
which listens on no port in long polling. It reads the heartbeat `serve` writes under DATA_DIR
and answers 0 (it works) or 1 (it does not, and why, in French)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from telegram.error import TimedOut

from bot.heartbeat import (
    Outage,
    Pulse,
    Vital,
    forgotten_beats,
    heartbeat_file,
    judge,
    library_outage,
    remove_forgotten_beats,
)
from bot.settings import Settings
from bot.state import BotState
from bot.telegram.app import the_only_one_beating
from bot.telegram.heartbeat import Heartbeat, WatchedRequest, check, databases_read
from index.errors import DatabaseUnavailable, database_unavailable
from index.library import Library
from tests.conftest import ROOT, HashingEmbedder
from tests.fake_telegram import FakeTelegram
from tests.test_replicas import free_port
from tests.test_telegram_bot import TOKEN, bot_environment, running_bot

PARIS = ZoneInfo("Europe/Paris")
HERE = "citebot-host"
NOW = 1_800_000_000.0  # 2027-01-15 08:00:00 UTC, 09:00:00 in Paris
EVERY = 30.0
POLL_WAIT_SECONDS = Settings.model_fields["telegram_poll_wait_seconds"].default  # a long poll's wait, unset


def beat_of(**changes) -> dict:
    """A beat as a long-polling bot serving for an hour writes it, every `EVERY` seconds, 5 s ago."""
    beat = {
        "state": "serving",
        "mode": "polling",
        "written_at": NOW - 5,
        "every_seconds": EVERY,
        "telegram_wait_seconds": POLL_WAIT_SECONDS,
        "started_at": NOW - 3600,
        "pid": 4321,
        "host": HERE,
        "telegram": {"answered_at": NOW - 2, "error": None},
        "library": {"answered_at": NOW - 5, "error": None},
    }
    return beat | changes


def verdict(beat: dict, alive: bool = True):
    return judge(beat, NOW, PARIS, host=HERE, alive=lambda pid: alive)


def test_a_bot_whose_beat_is_fresh_and_whose_telegram_and_library_answered_is_healthy():
    said = verdict(beat_of())
    assert said.healthy
    assert said.said == (
        "le bot fonctionne (long polling, processus 4321) : dernier signe de vie il y a 5 s, "
        "Telegram a répondu il y a 2 s, bibliothèque lue il y a 5 s"
    )


def test_a_bot_that_missed_three_beats_is_stuck_though_its_process_runs():
    said = verdict(beat_of(written_at=NOW - 180))
    assert not said.healthy
    assert said.said.startswith("aucun signe de vie depuis 3 min (08:57:00), attendu toutes les 30 s")


def test_telegram_failing_for_longer_than_three_beats_and_a_long_poll_is_said_with_its_error():
    failing = beat_of(telegram={"answered_at": NOW - 125, "error": "HTTP 502 : Bad Gateway"})
    said = verdict(failing)
    assert not said.healthy
    assert said.said == "Telegram injoignable depuis 2 min (08:57:55) : HTTP 502 : Bad Gateway"
    # A long poll waits 10 s for messages: so long without an answer is no outage.
    assert verdict(beat_of(telegram={"answered_at": NOW - 3 * EVERY - POLL_WAIT_SECONDS, "error": None})).healthy


def test_a_library_that_no_longer_reads_is_said_unreadable_with_its_error():
    unreadable = beat_of(library={"answered_at": NOW - 600, "error": "database disk image is malformed"})
    said = verdict(unreadable)
    assert not said.healthy
    assert said.said == "bibliothèque illisible depuis 10 min (08:50:00) : database disk image is malformed"
    hanging = verdict(beat_of(library={"answered_at": NOW - 600, "error": None}))
    assert hanging.said == "la bibliothèque ne répond plus depuis 10 min (08:50:00) : une lecture attend"


def test_a_starting_bot_whose_beats_keep_coming_is_alive_and_says_what_it_is_doing():
    """A large library's lexicon updated as the bot starts takes minutes, beyond Docker's start
    period (120 s): said unhealthy meanwhile, a supervisor would kill a bot at work. Its start-up
    beats keep coming, with the step under way; one that stops beating is stuck. Any other step
    takes seconds: a start that stays in one (Telegram unreachable) is not healthy, which Docker
    forgives during its start period only."""
    loading = verdict(beat_of(state="starting", started_at=NOW - 40, written_at=NOW - 40))
    # How long it has been loading says it all: a clock time in parentheses there ran into the
    # next ones, "depuis 40 s (08:59:20) (modèle et bibliothèque)". A beat of a version that
    # named no step was loading the model and the library.
    assert not loading.healthy
    assert loading.said == (
        "le bot démarre depuis 40 s : chargement du modèle et de la bibliothèque depuis 40 s ; "
        "dernier signe de vie il y a 40 s"
    )
    step = "mise à jour de l'index lexical (analyse version 3 → 4)"
    updating = verdict(
        beat_of(
            state="starting", started_at=NOW - 200, step=step, step_at=NOW - 190, step_lasts=True, written_at=NOW - 20
        )
    )
    assert updating.healthy
    connecting = verdict(
        beat_of(state="starting", started_at=NOW - 600, step="connexion à Telegram", step_at=NOW - 590, written_at=NOW)
    )
    assert not connecting.healthy and connecting.said.startswith("le bot démarre depuis 10 min : connexion à Telegram")
    assert updating.said == (f"le bot démarre depuis 3 min : {step} depuis 3 min ; dernier signe de vie il y a 20 s")
    stuck = verdict(
        beat_of(
            state="starting", started_at=NOW - 200, step=step, step_at=NOW - 190, step_lasts=True, written_at=NOW - 95
        )
    )
    assert not stuck.healthy and stuck.said.startswith("aucun signe de vie depuis 1 min (08:58:25)")


def test_a_stopped_bot_and_one_whose_process_is_gone_are_not_healthy():
    stopped = verdict(beat_of(state="stopped", written_at=NOW - 7200))
    assert not stopped.healthy and stopped.said == "le bot est arrêté depuis 2 h 00 (07:00:00)"
    gone = verdict(beat_of(), alive=False)
    assert not gone.healthy and gone.said.startswith("le bot ne tourne plus : son processus 4321 a disparu")
    assert gone.said.endswith("sans s'arrêter proprement ; dernier signe de vie il y a 5 s (08:59:55)")
    # On another machine (another container sharing the volume) its process cannot be looked for.
    assert verdict(beat_of(host="elsewhere"), alive=False).healthy


def test_the_beat_is_written_whole_with_what_the_bot_knows_of_itself(tmp_path):
    (tmp_path / "data").mkdir()  # as `serve` makes it, with the lock it holds there
    pulse = Pulse(heartbeat_file(tmp_path / "data", TOKEN, None), "polling", EVERY, POLL_WAIT_SECONDS)
    pulse.write()
    name = f"heartbeat-123456-{socket.gethostname()}.json"  # this bot's, this machine's
    assert pulse.path == tmp_path / "data" / name
    assert [p.name for p in pulse.path.parent.iterdir()] == [name]  # no temporary left
    pulse.serving(time.time())
    pulse.telegram.failed("HTTP 502 : Bad Gateway")
    pulse.write()
    beat = json.loads(pulse.path.read_text())
    assert beat["state"] == "serving" and beat["telegram"]["error"] == "HTTP 502 : Bad Gateway"
    assert judge(beat, time.time(), PARIS, host=pulse.host).healthy  # answered a moment ago


def test_a_beat_never_makes_data_dir_again_once_it_is_gone(tmp_path):
    """DATA_DIR's volume unmounted under a running bot: the beat is not written, and goes stale
    (`health` then says the bot is not working, which is right), rather than making an empty
    DATA_DIR where the bot's files would go on being written, hidden by the volume's return."""
    data = tmp_path / "data"
    data.mkdir()
    pulse = Pulse(heartbeat_file(data, TOKEN, None), "polling", EVERY, POLL_WAIT_SECONDS)
    pulse.write()
    data.rename(tmp_path / "unmounted")
    with pytest.raises(FileNotFoundError):
        pulse.write()
    assert not data.exists()


def test_only_beats_unwritten_for_a_week_are_forgotten_and_one_whose_bot_holds_it_is_kept(tmp_path):
    """A shared volume keeps the beat of every replica that ever ran (a container replaced
    under another host name), and the one file of earlier versions: gone after a week without
    a beat. Never the starting bot's own, nor one whose `serve` holds it still (its clock wrong)."""
    own, gone, recent = (tmp_path / f"heartbeat-123456-{name}.json" for name in ("here", "gone", "recent"))
    assert forgotten_beats({own: 0.0, gone: NOW - 8 * 86_400, recent: NOW - 6 * 86_400}, own, NOW) == [gone]
    held, earlier_version = tmp_path / "heartbeat-123456-held.json", tmp_path / "heartbeat-123456.json"
    week_ago = time.time() - 8 * 86_400
    for beat in (own, held, earlier_version):
        beat.write_text("{}")
        os.utime(beat, (week_ago, week_ago))
    with the_only_one_beating(held):  # as its running `serve` holds it
        assert remove_forgotten_beats(tmp_path, TOKEN, own, time.time()) == [earlier_version]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([own.name, held.name, f"{held.name}.lock"])


def test_a_starting_bot_beats_on_a_thread_of_its_own_while_no_event_loop_runs(tmp_path):
    """No event loop runs while the bot starts: without beats of its own, the first one, written
    as it began, went stale during a long start."""
    (tmp_path / "data").mkdir()
    pulse = Pulse(heartbeat_file(tmp_path / "data", TOKEN, None), "polling", 0.05, POLL_WAIT_SECONDS)
    heartbeat = Heartbeat(pulse)
    heartbeat.write_now()
    first = json.loads(pulse.path.read_text())["written_at"]
    heartbeat.beat_while_starting()
    try:
        for _ in range(400):  # 20 s at most
            if json.loads(pulse.path.read_text())["written_at"] > first:
                break
            time.sleep(0.05)
        beat = json.loads(pulse.path.read_text())
        assert beat["written_at"] > first and beat["state"] == "starting"
    finally:
        heartbeat.stop()


def test_health_says_a_starting_bot_alive_while_it_updates_an_earlier_analysis_s_lexicon(settings, embedder):
    """`serve` opening a library whose lexicon an earlier analysis made: while the update runs
    (minutes for a million passages), `health` says the bot starting, alive, and at what."""
    from bot.heartbeat import health as beat_health
    from bot.service import open_library
    from bot.telegram.app import open_serving_library
    from index.analysis import ANALYZER_VERSION
    from tests.test_atomic_writes import article
    from tests.test_lexicon_update import EARLIER, made_by_an_earlier_analysis

    with open_library(settings, embedder) as library:
        library.ingest([article(n) for n in range(3)])
    made_by_an_earlier_analysis(settings.index_dir)
    pulse = Pulse(heartbeat_file(settings.data_dir, TOKEN, None), "polling", EVERY, POLL_WAIT_SECONDS)
    heartbeat = Heartbeat(pulse)
    heartbeat.write_now()
    said_meanwhile = []

    def logged(line: str) -> None:  # as `serve` logs the update's start and end
        said_meanwhile.append((line, beat_health(pulse.path, time.time(), PARIS)))

    open_serving_library(settings, heartbeat, logged).close()
    (started, during), (done, after) = said_meanwhile
    assert started.startswith("Mise à jour de l'index lexical") and done.startswith("Index lexical à jour")
    assert during.healthy
    step = f"mise à jour de l'index lexical (analyse version {EARLIER} → {ANALYZER_VERSION}) depuis 0 s ;"
    assert during.said.startswith("le bot démarre depuis ") and step in during.said, during.said
    # The update done, the library opens on (the model loaded before it), a step of seconds:
    # said starting, not yet healthy, and at that step, not back at loading the model.
    assert not after.healthy and "ouverture de la bibliothèque depuis" in after.said, after.said
    assert "chargement du modèle" not in after.said


def test_a_library_check_that_fails_keeps_the_error_and_never_raises(tmp_path):
    library = Library(tmp_path / "index", HashingEmbedder(), max_words=60)
    library.close()  # as unreadable as a library gets: every read refused
    vital = Vital(answered_at=0.0)
    asyncio.run(check(vital, lambda: asyncio.to_thread(library.counts), TOKEN)())
    assert vital.answered_at == 0.0 and "closed" in vital.error


def test_health_without_any_beat_says_the_bot_never_ran_here(tmp_path, model_cache):
    with FakeTelegram(TOKEN) as telegram:
        returncode, said = health(bot_environment(telegram, tmp_path, model_cache), tmp_path)
    assert returncode == 1
    assert said.startswith("aucun signe de vie : pas de battement dans")
    assert f"heartbeat-123456-{socket.gethostname()}.json" in said


def test_replicas_sharing_a_data_dir_each_have_their_own_beat_which_health_beside_each_reads(tmp_path, model_cache):
    """Two `serve --webhook` of one bot on one machine and one DATA_DIR, told apart by REPLICA:
    the one that stopped is said stopped, the other still healthy (one file, the last beat
    written spoke for both). Without REPLICA, the beat is this machine's: `health` with no
    argument reads it, as Docker's HEALTHCHECK does in each replica's container."""
    for replica, state in [("bot1", "serving"), ("bot2", "stopped"), (None, "serving")]:
        pulse = Pulse(heartbeat_file(tmp_path, TOKEN, replica), "webhook", EVERY, 0)
        if state == "serving":
            pulse.serving(time.time())
        else:
            pulse.stopped()
        pulse.write()
    with FakeTelegram(TOKEN) as telegram:
        env = bot_environment(telegram, tmp_path, model_cache)
        assert health(env | {"REPLICA": "bot1"}, tmp_path)[1].startswith("le bot fonctionne (webhook")
        assert health(env | {"REPLICA": "bot2"}, tmp_path)[1].startswith("le bot est arrêté depuis")
        assert health(env, tmp_path)[1].startswith("le bot fonctionne (webhook")
        assert health(env | {"REPLICA": "bot/1"}, tmp_path) == (
            2,
            "erreur : réglages invalides (environnement ou fichier .env) :\n  REPLICA : 1 à 64 caractères parmi "
            "A-Z, a-z, 0-9, _, . et - (il nomme le fichier du battement) (valeur : 'bot/1')\n",
        )


# What `health` has no use for: the library and the vectors' libraries, the model's runtimes,
# page reading and Telegram. Docker runs it every 30 s, beside the bot, on the same cores.
NOT_FOR_HEALTH = (
    "numpy",
    "faiss",
    "index.library",
    "openvino",
    "onnxruntime",
    "torch",
    "sentence_transformers",
    "lxml",
    "trafilatura",
    "httpx",
    "telegram",
)
LOADED_AT_EXIT = f"""
import atexit, sys
atexit.register(lambda: print("loaded:", *[m for m in {NOT_FOR_HEALTH!r} if m in sys.modules], file=sys.stderr))
sys.argv = ["bot", *sys.argv[1:]]
from bot.__main__ import run
sys.exit(run())
"""


@pytest.mark.parametrize("command", [["health"], ["health", "--help"], ["--help"]], ids=" ".join)
def test_health_and_help_load_neither_the_library_nor_the_model_nor_telegram(tmp_path, model_cache, command):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATA_DIR": str(tmp_path), "MODEL_CACHE_DIR": str(model_cache)}
    done = subprocess.run(
        [sys.executable, "-c", LOADED_AT_EXIT, *command],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if command == ["health"]:  # it still judges: no beat here, and says so
        assert done.returncode == 1 and done.stderr.startswith("aucun signe de vie : pas de battement dans")
    else:
        assert done.returncode == 0 and done.stdout.startswith("utilisation : python -m bot")
    assert done.stderr.strip().splitlines()[-1] == "loaded:"


# --- the real bot ---------------------------------------------------------------------------
def health(env: dict, data) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "health"], env=env, cwd=data, capture_output=True, text=True, timeout=60
    )
    return done.returncode, done.stdout + done.stderr


def health_until(env: dict, data, judged: Callable[[int, str], bool], within: float) -> tuple[int, str, float]:
    """`python -m bot health` asked again until `judged(code, said)`, bounded by `within`
    seconds; what it said then, and after how long."""
    started = time.monotonic()
    while True:
        returncode, said = health(env, data)
        if judged(returncode, said):
            return returncode, said, time.monotonic() - started
        assert time.monotonic() - started < within, f"health still said, after {within} s: {said}"
        time.sleep(0.5)


def healthy(returncode: int, said: str) -> bool:
    return returncode == 0 and said.startswith("le bot fonctionne (long polling")


BEATING = {"HEARTBEAT_SECONDS": "1"}  # a beat a second: stale after 3 s


@pytest.mark.slow
def test_a_serving_bot_is_healthy_a_frozen_one_is_not_and_a_killed_one_is_said_gone(tmp_path, model_cache):
    with FakeTelegram(TOKEN) as telegram:
        env = bot_environment(telegram, tmp_path, model_cache, **BEATING)
        with running_bot(telegram, tmp_path, model_cache, **BEATING) as (process, _):
            health_until(env, tmp_path, healthy, within=30)
            process.send_signal(signal.SIGSTOP)  # its event loop blocked, as by a call that never returns
            try:
                returncode, said, _ = health_until(
                    env, tmp_path, lambda code, said: "aucun signe de vie" in said, within=30
                )
                assert returncode == 1 and f"processus {process.pid}" in said
                assert "attendu toutes les 1 s" in said  # judged by the bot's own beat, not the default
            finally:
                process.send_signal(signal.SIGCONT)
            health_until(env, tmp_path, healthy, within=30)  # going again
            process.kill()
            process.wait(timeout=30)
            returncode, said = health(env, tmp_path)
            assert returncode == 1
            assert said.startswith(f"le bot ne tourne plus : son processus {process.pid} a disparu")


@pytest.mark.slow
def test_telegram_failing_the_polls_makes_the_bot_unhealthy_until_it_answers_again(tmp_path, model_cache):
    # Polls of a second (the fake Bot API answers within one): the default 10 s a long poll
    # waits would have health allow Telegram 13 s of silence, and the bot back off for as long.
    polling = BEATING | {"TELEGRAM_POLL_WAIT_SECONDS": "1"}
    with FakeTelegram(TOKEN) as telegram:
        env = bot_environment(telegram, tmp_path, model_cache, **polling)
        with running_bot(telegram, tmp_path, model_cache, **polling) as (process, _):
            health_until(env, tmp_path, healthy, within=30)
            telegram.failures["getUpdates"] = 10**6  # every poll from now on: 502 Bad Gateway
            returncode, said, _ = health_until(
                env, tmp_path, lambda code, said: "Telegram injoignable" in said, within=60
            )
            assert returncode == 1 and said.endswith(": HTTP 502 : Bad Gateway\n")
            # Telegram allowed three 1 s beats and the 1 s wait the bot polls with, which its beat
            # says (`judge` adds them: test_telegram_failing_for_longer_than_three_beats…), not
            # the default 10 s wait: a bound on how long health took to say it was a timed test.
            beat = json.loads(heartbeat_file(tmp_path, TOKEN, None).read_text(encoding="utf-8"))
            assert (beat["every_seconds"], beat["telegram_wait_seconds"]) == (1, 1)
            telegram.failures["getUpdates"] = 0
            # python-telegram-bot waits up to 30 s between polls after failures
            health_until(env, tmp_path, healthy, within=60)
            process.terminate()
            process.wait(timeout=30)
            returncode, said = health(env, tmp_path)
            assert returncode == 1 and said.startswith("le bot est arrêté depuis")


@pytest.mark.slow
def test_a_webhook_bot_asks_telegram_at_each_beat_and_is_unhealthy_while_it_gets_no_answer(tmp_path, model_cache):
    """Behind a webhook no poll shows that Telegram answers: the bot asks it (`getWebhookInfo`)."""
    webhook = {
        **BEATING,
        "WEBHOOK_URL": "https://bot.example/telegram",
        "WEBHOOK_SECRET_TOKEN": "s3cret",
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(free_port()),
    }
    with FakeTelegram(TOKEN) as telegram:
        env = bot_environment(telegram, tmp_path, model_cache, **webhook)
        with running_bot(telegram, tmp_path, model_cache, "--webhook", **webhook):
            health_until(env, tmp_path, lambda code, said: code == 0 and "(webhook" in said, within=30)
            telegram.failures["getWebhookInfo"] = 10**6
            returncode, said, _ = health_until(
                env, tmp_path, lambda code, said: "Telegram injoignable" in said, within=30
            )
            assert returncode == 1 and said.endswith(": Bad Gateway\n")
            telegram.failures["getWebhookInfo"] = 0
            health_until(env, tmp_path, lambda code, said: code == 0, within=30)


def test_telegram_out_of_reach_is_said_when_it_starts_reminded_every_five_minutes_and_said_when_it_ends():
    outage = Outage()
    assert outage.answered(0.0) is None  # answering all along: nothing to say
    said = [outage.failed("Bad Gateway", at) for at in (100.0, 101.0, 130.0, 399.0, 400.0, 401.0, 700.0)]
    assert said == [
        "Telegram out of reach: Bad Gateway; retrying",
        None,
        None,
        None,
        "Telegram still out of reach after 5 min: Bad Gateway; retrying",
        None,
        "Telegram still out of reach after 10 min: Bad Gateway; retrying",
    ]
    assert outage.answered(820.0) == "Telegram reachable again after 12 min"
    assert outage.answered(821.0) is None  # said once
    assert outage.failed("All connection attempts failed", 900.0) == (
        "Telegram out of reach: All connection attempts failed; retrying"
    )
    assert outage.answered(900.0 + 2 * 86_400) == "Telegram reachable again after 2 d"  # in English, as every log line


def test_the_library_out_of_reach_is_said_once_with_its_cause_and_once_when_it_answers_again():
    """Each user's message that meets it would otherwise bring a line (or a reminder) back."""
    outage = library_outage()
    said = [outage.failed("database is locked", at) for at in (100.0, 101.0, 400.0, 1000.0)]
    assert said == ["Library unavailable: database is locked", None, None, None]
    assert outage.answered(1020.0) == "Library available again after 15 min"
    assert outage.answered(1021.0) is None


def test_the_library_is_said_available_again_only_once_the_bot_s_state_answers_too(tmp_path):
    """The state's database (bot.sqlite3) out of reach is an outage as the library's is: the
    beat's check read the library alone, said "available again" at each beat, and the next
    user's message said the outage and told the admins once more."""
    library = Library(tmp_path / "index", HashingEmbedder(), max_words=30)
    state = BotState.open(tmp_path / "state" / "bot.sqlite3")
    vital, said_back = Vital(60.0), []

    async def back() -> None:  # where the bot says the outage over (`errors.report_library_back`)
        said_back.append(True)

    (tmp_path / "state").rename(tmp_path / "away")
    try:
        asyncio.run(check(vital, databases_read(library, state), "", back)())
        assert not said_back and vital.error is not None
        (tmp_path / "away").rename(tmp_path / "state")
        asyncio.run(check(vital, databases_read(library, state), "", back)())
        assert said_back == [True] and vital.error is None
    finally:
        state.close()
        library.close()


def test_a_database_out_of_reach_is_told_from_a_failure_of_what_was_asked_of_it(tmp_path):
    psycopg = pytest.importorskip("psycopg")
    held = sqlite3.connect(tmp_path / "held.sqlite3", isolation_level=None)
    held.execute("CREATE TABLE t (x)")
    held.execute("BEGIN EXCLUSIVE")
    waiting = sqlite3.connect(tmp_path / "held.sqlite3", timeout=0)
    with pytest.raises(sqlite3.OperationalError) as locked:
        waiting.execute("SELECT * FROM t")
    with pytest.raises(sqlite3.OperationalError) as missing_folder:
        sqlite3.connect(tmp_path / "moved" / "bot.sqlite3")
    with pytest.raises(sqlite3.OperationalError) as wrong_query:
        waiting.execute("SELECT nothing FROM nowhere")
    held.rollback()
    for connection in (held, waiting):
        connection.close()
    assert database_unavailable(locked.value) and database_unavailable(missing_folder.value)
    assert database_unavailable(DatabaseUnavailable("impossible de joindre PostgreSQL"))
    assert database_unavailable(psycopg.OperationalError("server closed the connection unexpectedly"))
    assert database_unavailable(psycopg.errors.AdminShutdown("terminating connection"))
    assert not database_unavailable(wrong_query.value)  # the statement's fault: an unexpected error
    assert not database_unavailable(OSError(28, "No space left on device"))  # said as a full disk
    assert not database_unavailable(ValueError("3 vectors for the sentences of 'Le castor'"))


def test_a_long_poll_that_times_out_on_a_network_that_drops_packets_is_a_log_line_as_other_outages(caplog):
    """python-telegram-bot retries a timed-out poll at once and tells it to no error handler:
    the bot said nothing at INFO of a network that swallowed its polls."""
    silent = socket.create_server(("127.0.0.1", 0))  # connects, then never a byte back
    vital, outage = Vital(0.0), Outage()
    request = WatchedRequest(vital, outage, TOKEN, connection_pool_size=1, read_timeout=0.3)
    url = f"http://127.0.0.1:{silent.getsockname()[1]}/bot{TOKEN}/getUpdates"

    async def poll_twice() -> None:
        await request.initialize()
        try:
            for _ in range(2):
                with pytest.raises(TimedOut):
                    await request.do_request(url, "POST")
        finally:
            await request.shutdown()

    with silent, caplog.at_level(logging.INFO, logger="bot.telegram"):
        asyncio.run(poll_twice())
    lines = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "bot.telegram"]
    assert lines == [("WARNING", "Telegram out of reach: Timed out; retrying")]  # once, until it answers
    assert vital.error == "Timed out" and outage.since is not None
