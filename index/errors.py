"""Every error the library raises on purpose, with a message a person can act on.

Messages are in French because they reach chat users and the CLI as they are.

    LibraryError
    ├── InputError             the input is not something we can ingest
    │   ├── EmptyInput         nothing left once cleaned
    │   ├── UnsupportedInput   binary, wrong type or undecodable
    │   ├── InputTooLarge      over the configured size cap
    │   │   └── ArticleTooLong more words than an article may hold
    │   └── FetchError         a URL could not be fetched, or was refused
    │       └── PrivateAddress a URL leads to a loopback or private address, not allowed
    ├── NotFound               no article with that id
    ├── RebuildNeeded          the articles are intact, what is derived from them unusable
    │   ├── IndexMismatch      the library was built with other settings
    │   └── IndexCorrupted     the record of how it was built is unreadable or lost
    ├── ReindexRunning         another reindex of the same library is under way
    ├── AlreadyCopied          a copy's target holds the source's articles already
    ├── ModelError             the embedding model cannot be prepared or loaded
    │   ├── ModelUnavailable   no model answers to the name given, or its package is missing
    │   └── PrecisionUnsupported  the precision asked for does not apply to the model
    └── DatabaseUnavailable    the PostgreSQL server cannot be reached, refuses the login, or
                               lacks a schema or the pgvector extension this user may not create;
                               or an open library's folder or database is gone (not made again)
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Sequence

from index.numbers import french


class LibraryError(Exception):
    """Base of every deliberate error of the `index` library."""


class InputError(LibraryError):
    """The input cannot be ingested; nothing was changed."""


class EmptyInput(InputError):
    pass


class UnsupportedInput(InputError):
    pass


class InputTooLarge(InputError):
    pass


class ArticleTooLong(InputTooLarge):
    """A text of `words` words, over the `max_words` an article may hold: refused before any
    of it is embedded (a 20 MB text is some 3 million words, an hour of embedding on a small
    CPU). The message names no setting: the application adds which of its own sets the limit."""

    def __init__(self, words: int, max_words: int) -> None:
        self.words, self.max_words = words, max_words
        super().__init__(f"ce texte compte {french(words)} mots ; un article en compte au plus {french(max_words)}")


class FetchError(InputError):
    """`status`: the HTTP status the site answered, when it refused (400 and over): a feed
    whose site says it is gone (410) is followed no more."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class PrivateAddress(FetchError):
    """Told apart so that whoever runs the library can be told how to allow such addresses,
    which a chat user may not."""


class NotFound(LibraryError):
    pass


class RebuildNeeded(LibraryError):
    """What is stored beside the articles (their vectors and terms, the record of the
    settings they were built with) cannot be used, while the articles themselves are intact:
    rebuilding the library from them (`Library.rebuild`) resolves it. The message says so;
    the application adds how its users start a rebuild (this library names no command)."""


class IndexMismatch(RebuildNeeded):
    """The library was built with other settings than those given: `differences` says which,
    in French ("taille des passages : index « 120 », réglages « 60 »"). `outdated_analyzer`:
    the version of the earlier lexical analysis it was built with, when that is the only
    difference (its lexicon alone is to be made again, which a `Library` does as it opens)."""

    def __init__(self, location: str, differences: Sequence[str], *, outdated_analyzer: int | None = None) -> None:
        super().__init__(
            f"la bibliothèque de {location} ne correspond plus aux réglages ({' ; '.join(differences)}) ; "
            "les articles enregistrés permettent de la reconstruire"
        )
        self.location, self.differences = location, tuple(differences)
        self.outdated_analyzer = outdated_analyzer


class IndexCorrupted(RebuildNeeded):
    """The record of how the library was built is unreadable, or lost with nothing to
    rebuild it from."""


class ReindexRunning(LibraryError):
    pass


class AlreadyCopied(LibraryError):
    """The target of a copy (`python -m bot migrate`) holds exactly the source's articles
    already: an earlier copy finished, whatever was to follow it (the bot's state) may not."""

    def __init__(self, message: str, articles: int) -> None:
        super().__init__(message)
        self.articles = articles


class ModelError(LibraryError):
    pass


class ModelUnavailable(ModelError):
    """No model can be loaded by the name `model`: `reason` says why (a folder that holds none,
    an id unknown, the package of the default model missing). The message names no setting:
    the application adds which of its own chooses the model."""

    def __init__(self, model: str, reason: str) -> None:
        self.model, self.reason = model, reason.rstrip(". ")  # a loader's sentence, said within ours
        super().__init__(f"impossible de charger le modèle d'embeddings « {model} » : {self.reason}")


class PrecisionUnsupported(ModelError):
    """The precision asked for (`precision`) applies to the default model only; `supported`
    are those another model can compute in. The application adds which setting chooses it."""

    def __init__(self, precision: str, supported: Sequence[str]) -> None:
        self.precision, self.supported = precision, tuple(supported)
        choices = f"{', '.join(self.supported[:-1])} ou {self.supported[-1]}"
        super().__init__(
            f"la précision {precision} ne s'applique qu'au modèle par défaut ; "
            f"choisissez {choices} pour un autre modèle"
        )


class DatabaseUnavailable(LibraryError):
    """The PostgreSQL server named by a URL cannot be reached, or refuses the connection; or
    the database lacks a schema or table that this user may not create (`create_missing`), or
    the pgvector extension (not installed on the server, or this user may not create it). Or
    the storage of a library open in this process is gone (its folder on a volume unmounted,
    its database's tables dropped): not created again empty, whose writes its return would hide."""


# PostgreSQL's error class for a server whose disk is full ("could not extend file"), which
# psycopg counts among its "operational" errors with a lost connection.
POSTGRES_DISK_FULL = "53100"


def no_space_left(error: BaseException) -> bool:
    """Whether `error` is a full disk's: the system's (ENOSPC: a file written), SQLite's
    (SQLITE_FULL: the database or its log could not grow) or a PostgreSQL server's (its
    SQLSTATE, read without importing psycopg, which only PostgreSQL libraries load)."""
    if isinstance(error, OSError):
        return error.errno == errno.ENOSPC
    if isinstance(error, sqlite3.Error):
        return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
    return getattr(error, "sqlstate", None) == POSTGRES_DISK_FULL


# SQLite's primary result codes of a database out of reach for now, its data sound: held by
# another process (BUSY: past the busy timeout; LOCKED), or its file that cannot be opened
# (CANTOPEN: its folder moved, a disk unmounted) or read (IOERR: the disk failing).
_SQLITE_AWAY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR})


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` says a database is out of reach for a while, rather than that what was
    asked of it failed: a SQLite file locked or that cannot be opened or read (`_SQLITE_AWAY`),
    a PostgreSQL server that cannot be reached (`DatabaseUnavailable`) or that cut the session
    (psycopg's `OperationalError`, told without importing psycopg). A full disk is not: it is
    said as such (`no_space_left`)."""
    if no_space_left(error):
        return False
    if isinstance(error, DatabaseUnavailable):
        return True
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        return code is not None and code & 0xFF in _SQLITE_AWAY  # an extended code's primary one
    return type(error).__module__.startswith("psycopg") and any(
        kind.__name__ == "OperationalError" for kind in type(error).__mro__
    )
