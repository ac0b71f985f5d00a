"""The bot's life as an operator sees it: `python -m bot serve` stopped by a signal (a restart,
`docker stop`, Ctrl-C) while it works, and started again on the same data."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.state import BotState
from bot.telegram import feed_messages as fmsg
from bot.telegram import messages as msg
from bot.telegram import under_way
from index.directory import write_lock
from index.documents import parse_text
from index.ingest import article_keys
from index.library import READY_FOR_QUESTIONS
from tests.conftest import SAMPLE
from tests.fake_telegram import BOT_ID, FakeTelegram
from tests.feed_fixtures import STORIES, Story, rss
from tests.http_fixtures import FeedSite, Site
from tests.telegram_in_process import PREFECT, bot_in_process, two_article_library
from tests.telegram_in_process import TOKEN as IN_PROCESS_TOKEN
from tests.test_formats import ENDLESS_PDF_FORM, pdf_of_one_page_drawing_a_form
from tests.test_replicas import free_port
from tests.test_telegram_bot import ADMIN, TOKEN, ask, bot_environment, exited, running_bot, serve_until_it_stops

pytestmark = pytest.mark.slow

# An article whose embedding takes far longer than the grace a stopping bot gives its work
# (some 40 s on a 2-core machine): 150 paragraphs of the sample, each made its own.
LONG_ARTICLE = "\n\n".join(
    f"{SAMPLE.read_text(encoding='utf-8')} Paragraphe {i} : la réunion reprendra demain." for i in range(150)
)
# Room for it: bytes, and words (some 100,000, over the 50,000 an article may hold by default).
ROOMY = {"INGEST_MAX_BYTES": "5000000", "ARTICLE_MAX_WORDS": "500000"}
# The grace the work under way has when the bot is told to stop: 5 s by default (kept by the
# SIGTERM during a long ingest); 1 s where a test waits for it to run out only to see what is
# given up then, and how (`STOP_GRACE_SECONDS`). Each exit is bounded as the default's is, by
# `docker stop`'s 10 s: a bot stopped right after its start also waits for the step of its
# warm-up under way (README, "Stopping and restarting"), some seconds on a loaded machine.
DEFAULT_GRACE = Settings.model_fields["stop_grace_seconds"].default
SHORT_GRACE = 1.0


def publish_a_long_story(site: FeedSite) -> None:
    """A feed of one story long enough that its first poll is still adding it a moment later."""
    story = Story(
        "conseil-municipal",
        "Le conseil municipal adopte son budget",
        STORIES[0].published,
        tuple(LONG_ARTICLE.split("\n\n")[:40]),
        "Le budget est adopté.",
    )
    site.publish(f"/articles/{story.slug}", "text/html; charset=utf-8", story.page())
    site.publish("/rss.xml", "application/rss+xml; charset=utf-8", rss(site.origin, [story]))


def warmed_up(log_path: Path) -> None:
    """Wait until the bot's start-up warm-up is over (its log says so; bounded: two minutes). A
    bot stopped during it waits for the warm-up step under way, seconds on a loaded machine (a
    test running beside it): a test that times how soon work under way is given up at a second
    signal must not time that step too."""
    deadline = time.monotonic() + 120
    while READY_FOR_QUESTIONS not in log_path.read_text(encoding="utf-8"):  # bounded by the deadline
        assert time.monotonic() < deadline, "the bot's warm-up did not end within two minutes"
        time.sleep(0.1)


def stopped(process: subprocess.Popen, *signals: signal.Signals) -> float:
    """Send `signals` half a second apart; the seconds until the process has exited (bounded:
    the test fails if it has not within a minute)."""
    started = time.monotonic()
    for number, sent in enumerate(signals):
        if number:  # apart; after the last one, waited for below (a pause there added 0.5 s to each test)
            time.sleep(0.5)
        process.send_signal(sent)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the bot did not exit within a minute of being told to stop")
    return time.monotonic() - started


def articles_in_library(telegram: FakeTelegram) -> str:
    return ask(telegram, ADMIN, ADMIN, "/stats", "Bibliothèque").split("Articles : ")[1].split("\n")[0]


@pytest.mark.parametrize(
    ("signals", "within"),
    [((signal.SIGTERM,), DEFAULT_GRACE + 5), ((signal.SIGINT, signal.SIGINT), 5)],
    ids=["SIGTERM", "Ctrl-C twice"],
)
def test_a_bot_stopped_during_a_long_ingest_exits_within_seconds_and_its_user_is_told(
    tmp_path, model_cache, signals, within
):
    with FakeTelegram(TOKEN) as telegram:
        with running_bot(telegram, tmp_path, model_cache, **ROOMY) as (process, log_path):
            warmed_up(log_path)
            after = telegram.last_id()
            document = telegram.add_file("compte-rendu.txt", LONG_ARTICLE.encode())
            telegram.user_message(ADMIN, ADMIN, caption="/ingest", document=document)
            telegram.wait_for_text(ADMIN, "phrases", after=after)  # its passages being embedded
            took = stopped(process, *signals)
            assert process.returncode == 0
            assert took < within  # `docker stop` kills after 10 s: the work was given up before
            assert telegram.texts(ADMIN, after) == [msg.INGEST_ABANDONED]  # told, not left at "⏳ 12 %"
            stopping = log_path.read_text().split("stopping;")[-1]
            assert "Traceback" not in stopping and "destroyed but it is pending" not in stopping
        with running_bot(telegram, tmp_path, model_cache, **ROOMY):  # started again: nothing half-added
            assert articles_in_library(telegram) == "0"


def test_a_bot_stopped_while_a_page_downloads_exits_within_its_grace_and_its_user_is_told(tmp_path, model_cache):
    """A page's download held the exit up to FETCH_TIMEOUT_SECONDS, past `docker stop`'s 10 s."""
    with (
        FakeTelegram(TOKEN) as telegram,
        Site({}) as site,
        running_bot(
            telegram, tmp_path, model_cache, FETCH_TIMEOUT_SECONDS="60", STOP_GRACE_SECONDS=str(SHORT_GRACE)
        ) as (process, _),
    ):
        after = telegram.last_id()
        telegram.user_message(ADMIN, ADMIN, f"/ingest {site.origin}/trickle")  # a byte every 0.1 s, for 30 s
        telegram.wait_for_text(ADMIN, "Téléchargement", after=after)
        signalled = time.monotonic()
        assert stopped(process, signal.SIGTERM) < DEFAULT_GRACE + 5
        assert telegram.texts(ADMIN, after) == [msg.INGEST_ABANDONED]
        # Given up once the grace set is over, not the default's.
        (told,) = [c for c in telegram.calls_to("editMessageText", ADMIN) if c.params["text"] == msg.INGEST_ABANDONED]
        assert told.at - signalled < DEFAULT_GRACE


def test_a_bot_stopped_while_a_pdf_is_read_exits_within_its_grace_and_its_user_is_told(tmp_path, model_cache):
    """Reading a PDF (in a process of its own) held the exit up to its time limit, 90 s."""
    pdf = pdf_of_one_page_drawing_a_form(5_000, ENDLESS_PDF_FORM)  # hours of reading
    grace = {"STOP_GRACE_SECONDS": str(SHORT_GRACE)}
    with FakeTelegram(TOKEN) as telegram, running_bot(telegram, tmp_path, model_cache, **grace) as (process, _):
        after = telegram.last_id()
        telegram.user_message(ADMIN, ADMIN, caption="/ingest", document=telegram.add_file("formulaire.pdf", pdf))
        telegram.wait_for(lambda: telegram.calls_to("getFile"), timeout=60)
        time.sleep(1)  # downloaded, and being read
        assert stopped(process, signal.SIGTERM) < DEFAULT_GRACE + 5
        assert telegram.texts(ADMIN, after) == [msg.INGEST_ABANDONED]


def test_a_reindex_under_way_when_the_bot_stops_ends_with_a_word_to_the_admin(tmp_path, model_cache):
    with FakeTelegram(TOKEN) as telegram:
        with running_bot(telegram, tmp_path, model_cache) as (process, _):
            ask(telegram, ADMIN, ADMIN, "/ingest OTAN : réunion\n" + SAMPLE.read_text(encoding="utf-8"), "Ajouté")
            after = telegram.last_id()
            telegram.user_message(ADMIN, ADMIN, "/reindex")
            telegram.wait_for_text(ADMIN, "Reconstruction de la bibliothèque", after=after)
            stopped(process, signal.SIGTERM)
            # Done within the grace, or given up: never left at "préparation…" (the loop closed under it).
            assert telegram.texts(ADMIN, after)[-1] in (
                "✅ Bibliothèque reconstruite : 1 article, 4 passages.",
                msg.REINDEX_ABANDONED,
            )
        with running_bot(telegram, tmp_path, model_cache):
            assert articles_in_library(telegram) == "1"


def test_a_feed_being_polled_when_the_bot_stops_is_polled_again_after_the_restart(tmp_path, model_cache):
    with FakeTelegram(TOKEN) as telegram, FeedSite() as site:
        publish_a_long_story(site)
        with running_bot(telegram, tmp_path, model_cache, **ROOMY) as (process, log_path):
            warmed_up(log_path)
            after = telegram.last_id()
            telegram.user_message(ADMIN, ADMIN, f"/follow {site.origin}/rss.xml")
            telegram.wait_for_text(ADMIN, "ajout de ses articles", after=after)
            assert stopped(process, signal.SIGINT, signal.SIGINT) < 5
            assert telegram.texts(ADMIN, after) == [fmsg.FIRST_POLL_ABANDONED]
        with running_bot(telegram, tmp_path, model_cache, **ROOMY):
            # The feed is followed still, and its next poll adds the article the stop gave up.
            deadline = time.monotonic() + 180
            while articles_in_library(telegram) != "1":  # bounded by the deadline
                assert time.monotonic() < deadline, "the feed's article was never added"
                time.sleep(2)


def test_a_second_bot_on_the_same_data_is_refused_and_the_first_serves_on(tmp_path, model_cache):
    """Telegram hands a bot's messages to one long-polling process: a second one started by
    mistake (a manual run beside the service) would take them in turn with the first, each
    logging Telegram's refusals for ever."""
    with FakeTelegram(TOKEN) as telegram, running_bot(telegram, tmp_path, model_cache) as (first, _):
        env = {**bot_environment(telegram, tmp_path, model_cache), "PYTHONFAULTHANDLER": "1"}
        second = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
        _, said = exited(second, timeout=60)
        assert second.returncode == 2
        assert "un autre « python -m bot serve »" in said and str(tmp_path) in said
        assert "Traceback" not in said
        assert first.poll() is None and telegram.conflicts == 0
        assert "citant des articles" in ask(telegram, 81, 81, "/start", "citant des articles")


def test_a_second_webhook_bot_of_the_same_replica_is_refused_and_forgotten_beats_are_removed(tmp_path, model_cache):
    """Two `serve --webhook` of one bot on one machine and one DATA_DIR, neither with a REPLICA
    of its own, would write one beat over the other's: the second is refused at its start, the
    first's beat its own. And the first, as it starts, removes the beats that nothing has written
    for over a week (the one file of earlier versions, a replica replaced under another name),
    never a recent one nor another bot's."""
    week_ago, bot_id = time.time() - 8 * 86_400, TOKEN.partition(":")[0]
    stale = [tmp_path / f"heartbeat-{bot_id}.json", tmp_path / f"heartbeat-{bot_id}-old-container.json"]
    kept = [tmp_path / f"heartbeat-{bot_id}-web-2.json", tmp_path / "heartbeat-999-old-container.json"]
    for beat in stale + kept:
        beat.write_text("{}")
        os.utime(beat, (week_ago, week_ago))
    os.utime(kept[0])  # written just now
    webhook = {
        "WEBHOOK_URL": "https://bot.example/telegram",
        "WEBHOOK_SECRET_TOKEN": "s3cret",
        "WEBHOOK_LISTEN": "127.0.0.1",
    }
    with FakeTelegram(TOKEN) as telegram:
        first_port, second_port = free_port(), free_port()
        with running_bot(telegram, tmp_path, model_cache, "--webhook", **webhook, WEBHOOK_PORT=str(first_port)) as (
            first,
            _,
        ):
            assert not any(beat.exists() for beat in stale) and all(beat.exists() for beat in kept)
            env = bot_environment(telegram, tmp_path, model_cache, **webhook, WEBHOOK_PORT=str(second_port))
            returncode, _, said = serve_until_it_stops(env, tmp_path, "--webhook")
            assert returncode == 2 and "Traceback" not in said
            own = f"heartbeat-{bot_id}-{socket.gethostname()}.json"
            assert f"un autre « python -m bot serve » de ce bot écrit déjà son battement {own}" in said
            assert "REPLICA" in said
            assert json.loads((tmp_path / own).read_text())["pid"] == first.pid
            assert first.poll() is None


def test_a_webhook_port_already_taken_is_named_with_the_setting_that_chooses_it(tmp_path, model_cache):
    with FakeTelegram(TOKEN) as telegram, socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        webhook = {
            "WEBHOOK_URL": "https://bot.example/telegram",
            "WEBHOOK_SECRET_TOKEN": "s3cret",
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
        }
        returncode, _, said = serve_until_it_stops(
            bot_environment(telegram, tmp_path, model_cache, **webhook), tmp_path, "--webhook"
        )
    assert returncode == 2
    assert f"le port {port} de 127.0.0.1 est déjà pris" in said and "WEBHOOK_PORT" in said


def test_a_channel_post_being_added_when_the_bot_stops_is_given_up_in_time_and_named_in_the_log(tmp_path, model_cache):
    """A followed channel's post is told to no one: given up, it is named in the log, for an
    admin to add by hand (`/ingest` in reply to it), rather than hold the exit past `docker stop`."""
    story = Story("budget", "Le budget adopté", STORIES[0].published, tuple(LONG_ARTICLE.split("\n\n")), "")
    with FakeTelegram(TOKEN) as telegram, FeedSite() as site:
        site.publish(f"/articles/{story.slug}", "text/html; charset=utf-8", story.page())
        channel = telegram.add_channel("gazetteouest", "La Gazette en direct", bot_is_admin=True)
        grace = {"STOP_GRACE_SECONDS": str(SHORT_GRACE)}
        with running_bot(telegram, tmp_path, model_cache, **ROOMY, **grace) as (process, log_path):
            ask(telegram, ADMIN, ADMIN, "/follow @gazetteouest", "Chaîne suivie")
            post = telegram.channel_post(channel, f"Le budget est adopté {site.origin}/articles/{story.slug}")
            deadline = time.monotonic() + 60
            while not site.requests_to(f"/articles/{story.slug}"):  # bounded by the deadline
                assert time.monotonic() < deadline, "the post's page was never read"
                time.sleep(0.2)
            time.sleep(2)  # its passages being embedded
            assert stopped(process, signal.SIGTERM) < DEFAULT_GRACE + 5
            assert f"https://t.me/gazetteouest/{post['message_id']}" in log_path.read_text().split("stopping;")[-1]


def test_two_bots_polling_from_different_data_are_told_to_the_admins_in_french_once(tmp_path, model_cache):
    """Beyond one DATA_DIR (another machine, another folder) no lock sees the other process:
    Telegram's refusals (409 Conflict at each poll) are what says it."""
    with FakeTelegram(TOKEN) as telegram:
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        with running_bot(telegram, tmp_path / "a", model_cache), running_bot(telegram, tmp_path / "b", model_cache):
            telegram.wait_for(lambda: telegram.calls_to("sendMessage", ADMIN), timeout=60)
            time.sleep(5)  # a few more polls refused
        notes = [call.params["text"] for call in telegram.calls_to("sendMessage", ADMIN)]
        assert telegram.conflicts > 2
        assert len(notes) == 2 and all("Un autre processus reçoit les messages de ce bot" in n for n in notes)
        for data in ("a", "b"):  # one line each, not a traceback at every refused poll
            log = (tmp_path / data / "bot.log").read_text()
            assert log.count("another process polls this bot") == 1 and "Traceback" not in log


def test_telegram_out_of_reach_is_one_log_line_when_polls_start_failing_and_one_when_they_answer_again(
    tmp_path, model_cache
):
    """Every failed long poll (502, a refused connection) logged a handler's traceback, each few
    seconds for as long as Telegram was out of reach: an outage the bot rides out is no bug."""
    with FakeTelegram(TOKEN) as telegram, running_bot(telegram, tmp_path, model_cache) as (_, log_path):
        ask(telegram, ADMIN, ADMIN, "/start", "citant des articles")  # polling, and answered
        telegram.failures["getUpdates"] = 10**6  # every poll from now on: 502 Bad Gateway
        deadline = time.monotonic() + 60
        # A few polls refused (the fake keeps no poll, but those it refuses): some 5 s of outage.
        while len([c for c, _ in telegram.refused if c.method == "getUpdates"]) < 4:  # bounded by the deadline
            assert time.monotonic() < deadline, "the bot stopped polling"
            time.sleep(0.2)
        telegram.failures["getUpdates"] = 0
        deadline = time.monotonic() + 60  # python-telegram-bot waits up to 30 s between failed polls
        while "Telegram reachable again" not in log_path.read_text():  # bounded by the deadline
            assert time.monotonic() < deadline, "the bot never said that Telegram answers again"
            time.sleep(0.2)
        assert "citant des articles" in ask(telegram, 81, 81, "/start", "citant des articles")
        log = log_path.read_text()
    assert log.count("Telegram out of reach: Bad Gateway; retrying") == 1
    assert log.count("Telegram reachable again after") == 1
    assert "Traceback" not in log and "NetworkError" not in log


def as_first_process() -> list[str]:
    """The command prefix that runs a program as the first process (PID 1) of a namespace of its
    own, as a container's command runs; [] where the system does not allow it."""
    try:
        probe = subprocess.run(["unshare", "--pid", "--fork", "--kill-child", "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return []
    # --kill-child: the program is killed with `unshare`, should the test have to kill it.
    return ["unshare", "--pid", "--fork", "--kill-child"] if probe.returncode == 0 else []


@pytest.mark.skipif(not as_first_process(), reason="needs `unshare --pid` (Linux, with the right to use it)")
def test_a_stop_signal_during_start_up_ends_serve_even_as_a_container_s_first_process(tmp_path, model_cache):
    """`docker stop` sends SIGTERM to the container's first process, which the system does not
    end for a signal it has no handler for: while the bot loaded its model and library, it was
    ignored, and Docker killed the bot 10 s later."""
    with FakeTelegram(TOKEN) as telegram:
        log_path = tmp_path / "bot.log"
        with open(log_path, "w") as log:
            wrapper = subprocess.Popen(
                [*as_first_process(), sys.executable, "-m", "bot", "serve"],
                env=bot_environment(telegram, tmp_path, model_cache),
                stdout=log,
                stderr=log,
                cwd=tmp_path,
            )
            try:
                deadline = time.monotonic() + 60
                while not log_path.read_text():  # the settings read: starting (bounded by the deadline)
                    assert time.monotonic() < deadline and wrapper.poll() is None, "the bot never started"
                    time.sleep(0.05)
                assert not telegram.calls_to("setMyCommands")  # still starting up
                (bot,) = [
                    int(child)
                    for task in (Path("/proc") / str(wrapper.pid) / "task").iterdir()
                    for child in (task / "children").read_text().split()
                ]
                os.kill(bot, signal.SIGTERM)
                try:
                    wrapper.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    pytest.fail("the bot went on starting after SIGTERM")
            finally:
                if wrapper.poll() is None:
                    wrapper.kill()
                    wrapper.wait(timeout=30)
        assert wrapper.returncode == 130 and "interrompu" in log_path.read_text()
        assert not telegram.calls_to("setMyCommands")


def test_an_ingest_cut_by_a_kill_is_told_at_the_next_start_and_the_library_is_intact(tmp_path, model_cache):
    """SIGKILL (or a crash, the system out of memory) gives the bot no time to tell anyone: its
    "⏳" status stayed for ever, its user never learning that the article was not added."""
    with FakeTelegram(TOKEN) as telegram:
        with running_bot(telegram, tmp_path, model_cache, **ROOMY) as (process, _):
            ask(telegram, ADMIN, ADMIN, "/ingest OTAN : réunion\n" + SAMPLE.read_text(encoding="utf-8"), "Ajouté")
            after = telegram.last_id()
            document = telegram.add_file("compte-rendu.txt", LONG_ARTICLE.encode())
            telegram.user_message(ADMIN, ADMIN, caption="/ingest", document=document)
            telegram.wait_for_text(ADMIN, "phrases", after=after)  # its passages being embedded
            process.kill()
            process.wait(timeout=30)
            (left,) = telegram.texts(ADMIN, after)
            assert left.startswith("⏳ Ajout")
        with running_bot(telegram, tmp_path, model_cache, **ROOMY):
            telegram.wait_for(lambda: telegram.texts(ADMIN, after) == [msg.INGEST_INTERRUPTED], timeout=60)
            assert articles_in_library(telegram) == "1"  # the one added before, and nothing half-added
            assert "Bruxelles" in ask(telegram, ADMIN, ADMIN, "Où sont réunis les membres de l'OTAN ?", "Bruxelles")


def test_a_bot_started_after_an_upgrade_of_the_lexical_analysis_updates_its_lexicon_then_answers(
    tmp_path, model_cache, run_here
):
    """The update is made as the library opens, before the bot asks Telegram for messages: its
    log says when it starts and when it is done; the question then finds its passage."""
    from index.analysis import ANALYZER_VERSION
    from tests.test_lexicon_update import EARLIER, made_by_an_earlier_analysis

    # The library the bot serves, made by `ingest` in this process (no bot to start and stop for it).
    added = run_here("ingest", str(SAMPLE), extra_env={"DATA_DIR": str(tmp_path)})
    assert added.returncode == 0, added.stderr
    made_by_an_earlier_analysis(tmp_path / "index")
    with FakeTelegram(TOKEN) as telegram, running_bot(telegram, tmp_path, model_cache) as (_, log_path):
        started = log_path.read_text().split(f"Mise à jour de l'index lexical (analyse version {EARLIER} → ")
        assert len(started) == 2 and started[1].startswith(f"{ANALYZER_VERSION})…"), started
        assert "Index lexical à jour : 4 passages en" in started[1]
        assert "Stoltenberg" in ask(telegram, ADMIN, ADMIN, "Qui est le secrétaire général de l'OTAN ?", "Stoltenberg")


DEAD = "a-process-killed"  # the process id a dead process's statuses were left under


def told_at_the_next_start(
    tmp_path: Path,
    library: object,
    statuses_left: int,
    left_by_the_dead: Callable[[BotState, list[int]], None],
    clock: Callable[[], float] = time.time,
) -> list[str]:
    """What the next start says in each of `statuses_left` "⏳" messages whose work a killed
    process left under way (`left_by_the_dead` records them, in the bot's state, as it had),
    each told once: no other process takes them over after."""

    async def scenario(telegram: FakeTelegram) -> list[int]:
        async with bot_in_process(telegram, library, tmp_path, clock=clock) as (application, state):
            sent = [await application.bot.send_message(ADMIN, msg.INDEXING) for _ in range(statuses_left)]
            statuses = [message.message_id for message in sent]
            left_by_the_dead(state, statuses)
            await under_way.tell_interrupted(application, silent_for=None)
            assert state.take_over_statuses(BOT_ID, "the-next-process", None) == []  # told once
            return statuses

    with FakeTelegram(IN_PROCESS_TOKEN) as telegram:
        statuses = asyncio.run(scenario(telegram))
        return [telegram.messages[(ADMIN, status)]["text"] for status in statuses]


def test_ingests_a_dead_process_left_are_told_as_the_library_has_them(tmp_path):
    """What the user is told at the next start is what the library holds: an article stored just
    before the death (its "✅ Ajouté" never sent) is said added, one that was there before
    already is said to be, and one whose process died before storing it is to be sent again."""
    library = two_article_library(tmp_path)
    tramway = parse_text("Le tramway de Brest prolongé\n\nLa deuxième ligne du tramway de Brest ouvrira en 2026.")
    later = [0.0]  # seconds the state's clock is ahead

    def left_by_the_dead(state: BotState, statuses: list[int]) -> None:
        stored, before, unread = statuses
        state.status_started(BOT_ID, ADMIN, stored, DEAD, "ingest")
        state.ingest_read(BOT_ID, ADMIN, stored, *article_keys(tramway))
        library.ingest([tramway])  # stored; then the process died before it could say so
        later[0] = 5  # the library's articles were there before this one started
        state.status_started(BOT_ID, ADMIN, before, DEAD, "ingest")
        state.ingest_read(BOT_ID, ADMIN, before, *article_keys(parse_text(PREFECT)))
        state.status_started(BOT_ID, ADMIN, unread, DEAD, "ingest")  # died while the page downloaded

    told = told_at_the_next_start(tmp_path, library, 3, left_by_the_dead, clock=lambda: time.time() + later[0])
    assert told[0].startswith("✅ Ajouté : « Le tramway de Brest prolongé »") and "article 3" in told[0]
    assert told[1].startswith("Cet article est déjà dans la bibliothèque : « Le préfet de région nommé »")
    assert told[2] == msg.INGEST_INTERRUPTED
    assert library.stats().articles == 3
    library.close()


def test_a_reindex_cut_by_a_kill_is_told_at_the_next_start_and_the_library_is_intact(tmp_path, model_cache):
    """Its "🔄 Reconstruction …" stayed for ever: the admin never learnt whether the library was
    rebuilt, nor that it was as before."""
    with FakeTelegram(TOKEN) as telegram:
        with running_bot(telegram, tmp_path, model_cache) as (process, log_path):
            ask(telegram, ADMIN, ADMIN, "/ingest OTAN : réunion\n" + SAMPLE.read_text(encoding="utf-8"), "Ajouté")
            # Another process writing (`python -m bot ingest`): the rebuild waits for it, under way.
            with write_lock(tmp_path / "index"):
                after = telegram.last_id()
                telegram.user_message(ADMIN, ADMIN, "/reindex")
                deadline = time.monotonic() + 60
                while f"acquired on {tmp_path / 'index.reindex.lock'}" not in log_path.read_text():  # bounded
                    assert time.monotonic() < deadline, "the reindex never started"
                    time.sleep(0.1)
                process.kill()
                process.wait(timeout=30)
            assert telegram.texts(ADMIN, after) == [msg.REINDEX_STARTED]
        with running_bot(telegram, tmp_path, model_cache):
            telegram.wait_for(lambda: telegram.texts(ADMIN, after) == [msg.REINDEX_INTERRUPTED], timeout=60)
            assert articles_in_library(telegram) == "1"
            assert "Bruxelles" in ask(telegram, ADMIN, ADMIN, "Où sont réunis les membres de l'OTAN ?", "Bruxelles")


def test_a_follow_cut_by_a_kill_in_its_first_poll_is_told_followed_at_the_next_start(tmp_path, model_cache):
    """Its "⏳ Flux trouvé : ajout de ses articles…" stayed for ever: the admin never learnt that
    the feed was followed, and might have followed it again."""
    with FakeTelegram(TOKEN) as telegram, FeedSite() as site:
        publish_a_long_story(site)
        with running_bot(telegram, tmp_path, model_cache, **ROOMY) as (process, _):
            after = telegram.last_id()
            telegram.user_message(ADMIN, ADMIN, f"/follow {site.origin}/rss.xml")
            telegram.wait_for_text(ADMIN, "ajout de ses articles", after=after)
            process.kill()
            process.wait(timeout=30)
            assert telegram.texts(ADMIN, after) == [fmsg.FIRST_POLL]
        with running_bot(telegram, tmp_path, model_cache, **ROOMY):
            telegram.wait_for(lambda: telegram.texts(ADMIN, after)[0] != fmsg.FIRST_POLL, timeout=60)
            (told,) = telegram.texts(ADMIN, after)
            assert "est suivi, ses articles seront ajoutés à son prochain relevé" in told and "(flux 1)" in told
            ask(telegram, ADMIN, ADMIN, f"/follow {site.origin}/rss.xml", "Ce flux est déjà suivi")  # followed, once


def test_reindexes_and_follows_a_dead_process_left_are_told_as_the_state_has_them(tmp_path):
    """A rebuild cut short leaves the library as it was; a follow is told followed when its feed
    was stored before the death (and is followed still), otherwise to be sent again."""
    library = two_article_library(tmp_path)

    def left_by_the_dead(state: BotState, statuses: list[int]) -> None:
        rebuilt, polled, unfollowed, unread = statuses
        state.status_started(BOT_ID, ADMIN, rebuilt, DEAD, "reindex")
        feed, _ = state.add_feed("https://journal.example/rss.xml", "Le Journal", 60, ADMIN)
        state.status_started(BOT_ID, ADMIN, polled, DEAD, "follow")
        state.feed_followed(BOT_ID, ADMIN, polled, feed.id)  # died during its first poll
        gone, _ = state.add_feed("https://autre.example/rss.xml", "L'Autre", 60, ADMIN)
        state.status_started(BOT_ID, ADMIN, unfollowed, DEAD, "follow")
        state.feed_followed(BOT_ID, ADMIN, unfollowed, gone.id)
        state.remove_feed(gone.id)  # unfollowed by another admin since
        state.status_started(BOT_ID, ADMIN, unread, DEAD, "follow")  # died while the feed was read

    told = told_at_the_next_start(tmp_path, library, 4, left_by_the_dead)
    assert told[0] == msg.REINDEX_INTERRUPTED
    assert told[1] == (
        "⚠️ Le bot s'est arrêté pendant le premier relevé du flux « Le Journal » (flux 1) : "
        "il est suivi, ses articles seront ajoutés à son prochain relevé."
    )
    assert told[2] == told[3] == fmsg.FOLLOW_INTERRUPTED
    assert library.stats().articles == 2
    library.close()


def test_among_replicas_only_the_statuses_of_one_gone_silent_are_taken_over(tmp_path):
    """Replicas (`serve --webhook`) all run ingests, rebuilds and follows: one starting must leave
    the others' alone."""
    now = [1000.0]
    state = BotState.open(tmp_path / "bot.sqlite3", clock=lambda: now[0])
    state.status_started(BOT_ID, ADMIN, 1, "running-replica", "ingest")
    state.status_started(BOT_ID, ADMIN, 2, "killed-replica", "reindex")
    state.status_started(BOT_ID + 1, ADMIN, 3, "killed-replica", "follow")  # another bot's: not ours to edit
    now[0] += under_way.SILENT_SECONDS - 1
    state.statuses_alive("running-replica")
    assert state.take_over_statuses(BOT_ID, "new-replica", under_way.SILENT_SECONDS) == []
    now[0] += 2
    (taken,) = state.take_over_statuses(BOT_ID, "new-replica", under_way.SILENT_SECONDS)
    assert (taken.message_id, taken.kind) == (2, "reindex")
    assert state.take_over_statuses(BOT_ID, "another-replica", under_way.SILENT_SECONDS) == []  # taken once
    state.close()
