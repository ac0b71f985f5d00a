"""What a PostgreSQL server refused, said in French for whoever can act on it (the command
line's error line, an admin's /reindex status): psycopg's errors, which are not the library's
own (`index.errors`), by their class."""

from __future__ import annotations

import sys

from index.errors import no_space_left


def postgres_refusal(exc: Exception) -> str | None:
    """What the PostgreSQL server refused, in French with its own words, or None for an
    error of another kind (psycopg is imported only by commands on a PostgreSQL library)."""
    psycopg = sys.modules.get("psycopg")
    if psycopg is None or not isinstance(exc, psycopg.Error):
        return None
    said = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return (
            f"PostgreSQL refuse l'opération à cet utilisateur ({said}) : donnez-lui les droits que liste le "
            "README (« PostgreSQL and several replicas ») ; réindexer et migrer demandent aussi celui de créer "
            "des schémas dans la base (GRANT CREATE ON DATABASE …)"
        )
    # Before the connection's own failures: psycopg counts a statement cancelled and a lock
    # not obtained in time as "operational" errors too, on a session that is still there.
    if isinstance(exc, psycopg.errors.QueryCanceled):
        return (
            f"PostgreSQL a interrompu l'opération, trop longue ({said}) : réessayez, ou relevez le "
            "statement_timeout de la base ou de l'utilisateur"
        )
    if isinstance(exc, psycopg.errors.LockNotAvailable):
        return (
            f"PostgreSQL n'a pas obtenu à temps un verrou ({said}) : une autre opération sur la "
            "bibliothèque le tenait (lock_timeout) : réessayez dans un moment"
        )
    if no_space_left(exc):  # "operational" for psycopg, but nothing to retry until room is made
        return (
            f"le disque du serveur PostgreSQL est plein ({said}) : libérez-y de la place puis relancez ; "
            "ce qui a été enregistré avant reste dans la bibliothèque"
        )
    if isinstance(exc, psycopg.OperationalError):
        return f"la connexion à PostgreSQL a été perdue ({said}) : réessayez"
    return f"PostgreSQL a refusé l'opération ({said})"
