"""`python -m bot backup | restore`: the embedded library and the bot's state copied to a
folder and back."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from bot.backup import NOT_COPIED, back_up, restore
from bot.settings import Settings
from index.errors import LibraryError
from index.numbers import french


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    if settings.database_url is not None:
        raise LibraryError(postgres_backup(settings))
    destination = Path(args.destination)
    copied = back_up(settings.data_dir, destination, replace=args.force)
    if args.json:
        copies = [{"database": c.path.name, "file": str(c.path), "bytes": c.size} for c in copied]
        print(json.dumps({"destination": str(destination), "copied": copies}, ensure_ascii=False))
        return 0
    for copy in copied:
        size = french(copy.size / 1_000_000, 1)
        print(f"Sauvegardé : {copy.label} → {copy.path} ({size} Mo, intégrité vérifiée)")
    print(NOT_COPIED)
    print(f"Restaurer, le bot arrêté : python -m bot restore {destination}")
    return 0


def postgres_backup(settings: Settings) -> str:
    """What `backup` says with the library in PostgreSQL: its tool to use, with the URL without
    its password (pg_dump asks for it). DATA_DIR then holds nothing to keep: the serve lock, and
    what `migrate` left of the embedded library it copied, which no command reads any more."""
    from index.pg_backend import url_without_password

    url = url_without_password(settings.database_url.get_secret_value())
    left = settings.index_dir / "library.sqlite3"
    return (
        "la bibliothèque et l'état du bot sont dans PostgreSQL (DATABASE_URL), que cette commande ne copie "
        f"pas : sauvegardez la base avec pg_dump, par exemple\n  pg_dump --format=custom --file=citebot.dump '{url}'\n"
        "(pg_dump demande le mot de passe, ou le lit dans PGPASSWORD ; pg_restore le remet dans un serveur "
        f"avec pgvector). {settings.data_dir} ne contient rien d'autre à garder"
        + (f" ({left} est l'ancienne bibliothèque intégrée, que le bot ne lit plus)" if left.exists() else "")
    )


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    if settings.database_url is not None:
        raise LibraryError(
            "la bibliothèque est dans PostgreSQL (DATABASE_URL) : restaurez la base avec pg_restore "
            "(README, « Backups and upgrades »)"
        )
    if os.name != "posix":
        raise LibraryError("restore ne sait pas ici si le bot tourne : restaurez à la main (README, « Backups »)")

    def check_opens() -> int | None:
        from bot.service import open_state  # the library (not its model): only `restore` opens it here
        from bot.terminal import open_for_terminal

        # As it is: a lexicon an earlier analysis made is updated by the next command that
        # searches, which the restore says (`lexicon_update_pending`).
        with open_for_terminal(settings, embeds=False, updates_lexicon=False) as library:
            outdated = library.outdated_analyzer
        open_state(settings).close()
        return outdated

    restored = restore(settings.data_dir, Path(args.source), check_opens)
    print(f"Restauré depuis {args.source} : {', '.join(restored.labels)}.")
    if "état du bot" not in restored.labels:
        print("La sauvegarde n'avait pas d'état du bot : le bot en recommence un vide.")
    if restored.set_aside:
        kept = restored.set_aside
        print(f"Les fichiers d'avant sont gardés dans {kept} : supprimez-le quand vous n'en aurez plus besoin.")
    if restored.rebuild_needed:
        print(
            f"La bibliothèque restaurée est à reconstruire ({restored.rebuild_needed}) : lancez python -m bot reindex"
        )
    elif restored.outdated_analyzer is not None:
        from bot.replies.upkeep import lexicon_update_pending  # as `stats` says it; here, not for `backup`

        print(lexicon_update_pending(restored.outdated_analyzer))
    return 0
