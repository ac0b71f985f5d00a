"""Two replicas of the bot behind a webhook, sharing one PostgreSQL library: the fake Bot
API delivers updates to them in turn, as a load balancer would, and users cannot tell
which replica answers."""

from __future__ import annotations

import contextlib
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import SAMPLE
from tests.fake_telegram import FakeTelegram
from tests.test_telegram_bot import ADMIN, TOKEN, USER, bot_environment

pytestmark = pytest.mark.slow

SECRET = "le-secret-du-webhook_42"
PUBLIC_URL = "https://citebot.example/telegram/updates"  # the load balancer's; never contacted
QUESTION = "Qui est le secrétaire général de l'OTAN ?"


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def replica(telegram: FakeTelegram, data, model_cache, database_url: str, port: int):
    env = bot_environment(
        telegram,
        data,
        model_cache,
        DATABASE_URL=database_url,
        WEBHOOK_URL=PUBLIC_URL,
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
        WEBHOOK_SECRET_TOKEN=SECRET,
        RESULTS_PER_PAGE="1",
    )
    with open(data / "bot.log", "a") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--webhook"], env=env, stderr=log, stdout=log, cwd=data
        )
        try:
            yield process
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def postgres_url(postgres_server):
    postgres_server.psql("CREATE DATABASE citebot_replicas;")
    yield postgres_server.get_uri("citebot_replicas")


@pytest.fixture(scope="module")
def replica_processes() -> list[tuple[subprocess.Popen, Path]]:
    """Each running replica and its log (filled by `replicas`), to say where they are if one hangs."""
    return []


@pytest.fixture(scope="module")
def replicas(tmp_path_factory, model_cache, postgres_url, replica_processes):
    with FakeTelegram(TOKEN) as telegram:
        ports = [free_port(), free_port()]
        with contextlib.ExitStack() as stack:
            for number, port in enumerate(ports):
                data = tmp_path_factory.mktemp(f"replica-{number}")
                process = stack.enter_context(replica(telegram, data, model_cache, postgres_url, port))
                replica_processes.append((process, data / "bot.log"))
            telegram.wait_for(lambda: len(telegram.calls_to("setWebhook")) >= 2, timeout=120)
            for port in ports:  # each webhook server listens just after registering
                telegram.wait_for(lambda port=port: listening(port), timeout=30)
            telegram.deliver_to = [f"http://127.0.0.1:{port}/telegram/updates" for port in ports]
            yield telegram


def where_they_are(processes: list[tuple[subprocess.Popen, Path]], postgres_server) -> str:
    """For a wait that timed out: each replica's threads (the bot writes them to its log on
    SIGUSR1), the end of its log, and what the database's sessions are waiting for."""
    for process, _ in processes:
        process.send_signal(signal.SIGUSR1)
    time.sleep(2)
    logs = "\n".join(f"--- {log}:\n{log.read_text(errors='replace')[-8000:]}" for _, log in processes)
    sessions = postgres_server.psql(
        "SELECT pid, state, wait_event_type, wait_event, now() - xact_start AS in_transaction, left(query, 120) "
        "FROM pg_stat_activity WHERE datname = 'citebot_replicas';"
    )
    waiting = postgres_server.psql("SELECT pid, locktype, relation::regclass, mode FROM pg_locks WHERE NOT granted;")
    return f"{logs}\n--- database sessions:\n{sessions}\n--- locks waited for:\n{waiting}"


def ask(telegram, chat_id, user_id, text, needle, **kwargs) -> str:
    after = telegram.last_id()
    telegram.user_message(chat_id, user_id, text, **kwargs)
    return telegram.wait_for_text(chat_id, needle, after=after)


def test_both_replicas_register_the_webhook_with_its_secret(replicas):
    registered = replicas.calls_to("setWebhook")
    assert {c.params["url"] for c in registered} == {PUBLIC_URL}
    assert {c.params["secret_token"] for c in registered} == {SECRET}


def test_an_update_without_the_secret_is_refused(replicas):
    request = urllib.request.Request(
        replicas.deliver_to[0], json.dumps({"update_id": 1}).encode(), {"Content-Type": "application/json"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


def test_an_article_added_on_one_replica_answers_on_the_other_and_its_buttons_work_on_both(replicas):
    telegram = replicas
    text = SAMPLE.read_text(encoding="utf-8")
    assert "Ajouté" in ask(telegram, ADMIN, ADMIN, "/ingest " + text, "Ajouté")  # delivered to one replica
    answer = ask(telegram, USER, USER, QUESTION, "blockquote")  # ... and this to the other
    assert "Stoltenberg" in answer
    deliveries = [endpoint for endpoint, status in telegram.deliveries if status == 200]
    assert set(deliveries) == set(telegram.deliver_to)  # both replicas served updates
    first = telegram.texts(USER)[-1]
    message, more = telegram.button(USER, "Plus de passages")
    telegram.callback(USER, USER, message, more)  # updates alternate: this press goes to one replica...
    second = telegram.wait_for(lambda: "suite (2)" in telegram.texts(USER)[-1] and telegram.texts(USER)[-1])
    message, back = telegram.button(USER, "◀ Précédents")
    telegram.callback(USER, USER, message, back)  # ... and this one to the other
    assert telegram.wait_for(lambda: telegram.texts(USER)[-1] == first) and second != first


def test_a_reindex_on_one_replica_leaves_the_other_answering_and_loses_no_write(
    replicas, replica_processes, postgres_server
):
    telegram = replicas
    after = telegram.last_id()
    telegram.user_message(ADMIN, ADMIN, "/reindex")  # on one replica
    telegram.wait_for_text(ADMIN, "Reconstruction", after=after)
    added = ask(  # on the other, while the reindex runs (or just after)
        telegram,
        501,
        501,
        "/ingest Le tramway de Brest\n\nLa seconde ligne du tramway de Brest ouvrira en 2026, a annoncé la "
        "métropole. Elle reliera la gare au technopôle de Plouzané.",
        "Ajouté",
    )
    assert "article 2" in added
    assert "Stoltenberg" in ask(telegram, 502, 502, QUESTION, "blockquote")  # answered meanwhile
    try:
        telegram.wait_for_text(ADMIN, "Bibliothèque reconstruite", after=after, timeout=120)
    except AssertionError:  # a hang seen twice in full-suite runs (stops 31 and 35): say where it is
        pytest.fail("the reindex did not finish within 120 s:\n" + where_they_are(replica_processes, postgres_server))
    for chat in (503, 504):  # one question to each replica: both have the rebuilt library and the new article
        assert "2026" in ask(telegram, chat, chat, "Quand ouvrira la seconde ligne du tramway de Brest ?", "blockquote")
    stats = ask(telegram, ADMIN, ADMIN, "/stats", "Articles")
    assert "Articles : 2" in stats
