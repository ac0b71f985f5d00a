"""Every error the library raises on purpose, with a message a person can act on.

Messages are in French because they reach chat users and the CLI as they are.

    LibraryError
    ├── InputError             the input is not something we can ingest
    │   ├── EmptyInput         nothing left once cleaned
    │   ├── UnsupportedInput   binary, wrong type or undecodable
    │   ├── InputTooLarge      over the configured size cap
    │   └── FetchError         a URL could not be fetched, or was refused
    ├── NotFound               no article with that id
    ├── IndexMismatch          the index on disk was built with other settings
    ├── IndexCorrupted         the index directory is unreadable
    ├── ReindexRunning         another reindex of the same library is under way
    ├── AlreadyCopied          a copy's target holds the source's articles already
    ├── ModelError             the embedding model cannot be prepared or loaded
    └── DatabaseUnavailable    the PostgreSQL server cannot be reached or refuses the login
"""

from __future__ import annotations


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


class FetchError(InputError):
    pass


class NotFound(LibraryError):
    pass


class IndexMismatch(LibraryError):
    """The manifest disagrees with the settings; `reindex` resolves it."""


class IndexCorrupted(LibraryError):
    pass


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


class DatabaseUnavailable(LibraryError):
    """The PostgreSQL server named by a URL cannot be reached, or refuses the connection."""
