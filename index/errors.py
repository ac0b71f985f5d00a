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


class ModelError(LibraryError):
    pass


class DatabaseUnavailable(LibraryError):
    """The PostgreSQL server named by a URL cannot be reached, or refuses the connection."""
