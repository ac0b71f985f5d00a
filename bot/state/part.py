"""What every part of the bot's state (`bot.state`) works with: the one database that holds it
(`bot.state.database`), every write in one of its transactions, and the one clock every time
it keeps is read from."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Self

from bot.state.database import Database, open_database

# What a transaction runs its statements with (`Database.transaction`): what spans several
# features (`BotState`) hands it to each feature in turn, so that all of it is one transaction.
Run = Callable[..., list[tuple]]


class StatePart:
    def __init__(self, database: Database, clock: Callable[[], float] = time.time) -> None:
        self._sql = database
        self._clock = clock

    def now(self) -> float:
        """The state's clock (seconds, as `time.time`), which every time it keeps is read from."""
        return self._clock()

    @classmethod
    def open(cls, path: Path, database_url: str | None = None, clock: Callable[[], float] = time.time) -> Self:
        """In PostgreSQL when the library is there (`DATABASE_URL`), else in the SQLite file `path`."""
        return cls(open_database(path, database_url), clock)

    def _transaction(self):
        return self._sql.transaction()

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return self._sql.query(sql, params)

    def read_once(self) -> None:
        """One read of the state's database, as every update makes (the heartbeat's check): raises
        as any query would when it is out of reach (`index.errors.database_unavailable`)."""
        self._query("SELECT 1 FROM questions_asked LIMIT 1")

    def close(self) -> None:
        self._sql.close()
