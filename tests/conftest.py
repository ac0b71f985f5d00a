"""Shared fixtures: the real model (loaded once per session), fresh libraries on
disk, the sample article, and a tiny hashing embedder for fast ranking tests."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.settings import Settings
from bot.state import BotState
from index.analysis import terms
from index.embeddings import DefaultModelEmbedder, load_embedder
from index.library import Library

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "bot" / "samples" / "otan-bruxelles-2023-02.txt"
SHARED_EVAL = ROOT.parent / "shared" / "eval"


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


# --- PostgreSQL, for the backend that shares a library between machines ----------------
@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """A real PostgreSQL server with pgvector (module `pgserver`: README, "PostgreSQL"), started for the test
    session in a temporary directory and stopped at its end; it listens on a Unix socket only."""
    import pgserver  # a dev dependency: CI installs it, the tests never skip for lack of it

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
