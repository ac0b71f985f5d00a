"""Shared fixtures: the real model (loaded once per session), fresh libraries on
disk, the sample article, a tiny hashing embedder for fast ranking tests, and
`python -m bot` run in a process or in this one; and how many pytest-xdist workers run them."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.settings import Settings
from bot.state import BotState
from index.analysis import terms
from index.cpu import usable_cores
from index.embeddings import DEFAULT_MODEL, DefaultModelEmbedder, load_embedder, prepare_model
from index.library import Library

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "bot" / "samples" / "otan-bruxelles-2023-02.txt"
SHARED_EVAL = ROOT.parent / "shared" / "eval"


# --- Workers (pytest-xdist; `-n auto --dist loadfile` in pyproject's addopts) -----------------
# Most of the suite waits on timers (polls, backoffs, stop graces, round trips to the fake
# servers) while the other cores idle: a second worker nearly halves the run on 2 cores. Past
# 4, the longest file (each runs whole on one worker, its module fixtures built once) bounds
# the run, and each worker holds a model and a PostgreSQL server of its own.
MAX_WORKERS = 4


def workers_for(cores: int, args: Sequence[str]) -> int:
    """The workers for a run of `args` on `cores`: none (the tests in this process) where there
    is one core, or where the run names test files or tests rather than folders (`pytest
    tests/test_x.py`: starting workers, each importing the bot, would take longer than its few
    tests); otherwise a worker per core, up to `MAX_WORKERS`."""
    if cores < 2 or (args and not any(Path(arg.partition("::")[0]).is_dir() for arg in args)):
        return 0
    return min(cores, MAX_WORKERS)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    return workers_for(usable_cores(), config.args)


def pytest_configure(config: pytest.Config) -> None:
    """The model prepared once, by the controller, before its workers start: with a cold model
    cache (a fresh machine, a new `REBUILD_VERSION`), each worker would otherwise rebuild it at
    once, and each rebuild ends by deleting the folder and renaming its own into place, while
    another worker (or a `python -m bot` it runs) loads from that folder. Prepared already, this
    only reads its marker. Without workers (`-n 0`, a run naming test files: `workers_for`), the
    one process prepares it when first loaded: pytest-xdist has resolved `-n auto` to a count of
    workers (its `pytest_cmdline_main`, before any `pytest_configure`)."""
    workers = config.getoption("numprocesses", None) or 0
    if workers and not hasattr(config, "workerinput") and not config.getoption("collectonly"):
        prepare_model(DEFAULT_MODEL, Settings().model_cache_dir)


class HashingEmbedder:
    """Bag of stemmed words hashed into 64 dimensions: deterministic, instant, and
    similar texts get similar vectors. For ranking logic only, never instead of the real model."""

    name = "test-hashing"
    dimension = 64

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in terms(text):
                out[row, int(hashlib.md5(term.encode()).hexdigest(), 16) % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)

    def embed_passages(self, texts: Sequence[str], progress=None) -> np.ndarray:
        return self._embed(texts)


@pytest.fixture(scope="session")
def model_cache() -> Path:
    return Settings().model_cache_dir


@pytest.fixture(scope="session")
def embedder(model_cache: Path) -> DefaultModelEmbedder:
    return load_embedder("intfloat/multilingual-e5-small", model_cache)


@pytest.fixture
def settings(tmp_path: Path, model_cache: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "data", model_cache_dir=model_cache)


@pytest.fixture
def library(tmp_path: Path, embedder) -> Library:
    lib = Library(tmp_path / "index", embedder, max_words=200)
    yield lib
    lib.close()


@pytest.fixture
def fast_library(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "fast-index", HashingEmbedder(), max_words=60)
    yield lib
    lib.close()


@pytest.fixture
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


# --- `python -m bot …`: in a process of its own (`run`), or in this one (`run_here`) ----------
def environment(data: Path, model_cache: Path) -> dict[str, str]:
    """What `python -m bot` reads in these tests: this run's DATA_DIR, the shared model."""
    return {**os.environ, "DATA_DIR": str(data), "MODEL_CACHE_DIR": str(model_cache), "PYTHONPATH": str(ROOT)}


@pytest.fixture
def run(tmp_path, model_cache):
    """`python -m bot ARGS` in a process of its own, as a user runs it: DATA_DIR in this test's
    folder, which is its working folder, and the shared model."""
    env = environment(tmp_path / "data", model_cache)

    def run(*args: str, stdin: str | None = None, extra_env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env | (extra_env or {}),
            cwd=tmp_path,
            timeout=300,
        )

    run.env, run.cwd = env, tmp_path
    return run


@contextlib.contextmanager
def logging_as_it_was() -> Iterator[None]:
    """The log as a command run in this process found it, once it is done: the levels
    `bot.cli.configure_logging` sets (httpx, trafilatura… quietened), and any handler of its
    own, would otherwise hold for every test run after it in the same pytest process."""
    from bot.cli import CONFIGURED_LOGGERS

    loggers = [logging.getLogger(name) for name in CONFIGURED_LOGGERS]
    levels = [logger.level for logger in loggers]
    handlers = list(logging.root.handlers)
    # pytest's own handlers are on the root logger, where `logging.basicConfig` then does
    # nothing: the command's log would reach no stderr ("Traceback" never in what it said).
    # Set aside for the command's duration, it logs to stderr at its own level, as a process.
    for handler in handlers:
        logging.root.removeHandler(handler)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
        for handler in list(logging.root.handlers):
            logging.root.removeHandler(handler)
        for handler in handlers:
            logging.root.addHandler(handler)


@pytest.fixture
def run_here(run, monkeypatch, capsys):
    """`python -m bot ARGS` as `bot.cli.main(ARGS)` in this process, in the environment and
    folder `run` gives its processes: for what a command says and the code it exits with, each
    without an interpreter of its own to start and import the bot into (a second or more a
    command). `stdin`, as `run` takes it: what the command reads from a pipe. What only a
    process shows (a terminal, signals, the modules it loads, the
    encoding of its standard streams) is checked with `run`."""

    def run_here(*args: str, stdin: str | None = None, extra_env: dict | None = None) -> subprocess.CompletedProcess:
        from bot.cli import main

        capsys.readouterr()  # what came before is not this command's
        with monkeypatch.context() as this_command, logging_as_it_was():
            for name, value in (run.env | (extra_env or {})).items():
                this_command.setenv(name, value)
            this_command.chdir(run.cwd)
            if stdin is not None:
                this_command.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8"))
            switch_interval = sys.getswitchinterval()  # `chat` sets it for the process it answers in
            try:
                returncode = main(list(args))
            except SystemExit as refused:  # argparse's errors, as the process exits with them
                returncode = refused.code
            finally:
                sys.setswitchinterval(switch_interval)
        said = capsys.readouterr()
        return subprocess.CompletedProcess(["python", "-m", "bot", *args], returncode, said.out, said.err)

    return run_here


# --- PostgreSQL, for the backend that shares a library between machines ----------------
@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """A real PostgreSQL server with pgvector (module `pgserver`: README, "PostgreSQL"), started for the test
    session in a temporary directory and stopped at its end; it listens on a Unix socket only."""
    import pgserver  # a dev dependency: CI installs it, the tests never skip for lack of it

    # One server starting at a time on the machine: the test workers (pytest-xdist) each start
    # their own, and pgserver run as root first creates its system user unguarded (`useradd`
    # twice at once: one fails). The lock is each user's own: a file another user created
    # (mode 0644) could not be opened to write.
    with open(Path(tempfile.gettempdir()) / f"citebot-tests-pgserver-{os.getuid()}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        server = pgserver.get_server(tmp_path_factory.mktemp("postgres"), cleanup_mode="stop")
    yield server
    server.cleanup()


_databases = iter(range(1, 10**6))


@pytest.fixture
def database_url(postgres_server) -> str:
    """A fresh, empty database on the test server: its URL."""
    name = f"citebot_test_{next(_databases)}"
    postgres_server.psql(f"CREATE DATABASE {name};")
    yield postgres_server.get_uri(name)
    postgres_server.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE);")


@pytest.fixture(params=["sqlite", "postgresql"])
def storage(request, tmp_path):
    """Where a library lives, on each backend in turn: each call gives the same storage
    (an index directory, or a backend on the same PostgreSQL database)."""
    if request.param == "sqlite":
        return lambda: tmp_path / "idx"
    from index.pg_backend import PgBackend

    url = request.getfixturevalue("database_url")
    return lambda: PgBackend(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def two_bot_processes(request, tmp_path):
    """The bot state as two processes see it (the same SQLite file, or the same PostgreSQL
    database), on a clock the test moves: `(state, other_process, now)`, `now[0]` in seconds."""
    now = [1000.0]
    url = request.getfixturevalue("database_url") if request.param == "postgresql" else None
    states = [BotState.open(tmp_path / "bot.sqlite3", url, clock=lambda: now[0]) for _ in range(2)]
    yield states[0], states[1], now
    for state in states:
        state.close()
