"""`python -m bot backup` and `restore`: the two SQLite files that hold all that cannot be made
again, copied while the bot runs, and put back in place with the bot stopped.

    DATA_DIR/index/library.sqlite3 -> DEST/library.sqlite3   articles, passages, their vectors
    DATA_DIR/bot.sqlite3           -> DEST/bot.sqlite3       feeds, channels, feedback, answers

The rest of `DATA_DIR/index` is derived: the manifest is written again from the database, the
FAISS snapshots rebuilt from its vectors (without the model) when the library opens.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import tarfile
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from index.connections import open_read_only
from index.directory import DATABASE, InUse, ReindexLock, recover_swap
from index.errors import IndexMismatch, LibraryError
from index.manifest import replaced_atomically, sync_directory

STATE_DATABASE = "bot.sqlite3"
# Pages copied a step at a time (4 MB of SQLite's 4 KB pages), inside one read transaction.
STEP_PAGES = 1024
NOT_COPIED = (
    "Non copié, car reconstruit : le manifeste et les instantanés FAISS de DATA_DIR/index "
    "(refaits à partir de la base quand la bibliothèque s'ouvre), le modèle "
    "(python -m bot prepare-model)."
)


@dataclass(frozen=True)
class Database:
    """One of the two files kept: what it is for people, where it lives, its name in a backup."""

    label: str
    path: Path
    name: str


def databases(data_dir: Path) -> tuple[Database, Database]:
    return (
        Database("bibliothèque", data_dir / "index" / DATABASE, DATABASE),
        Database("état du bot", data_dir / STATE_DATABASE, STATE_DATABASE),
    )


def destination_refusal(data_dir: Path, destination: Path) -> str | None:
    """Why `destination` may not hold a backup of `data_dir`, or None. Inside `DATA_DIR/index`,
    a reindex or a restore replaces the folder whole, backup included; `DATA_DIR` itself, the
    state's copy would be written over the state."""
    data, index, where = data_dir.resolve(), (data_dir / "index").resolve(), destination.resolve()
    if where == index or where.is_relative_to(index):
        return f"{destination} est dans {data_dir / 'index'}, que reindex et restore remplacent en entier"
    if where == data:
        return f"{destination} est DATA_DIR lui-même : la copie de {STATE_DATABASE} y remplacerait l'original"
    return None


def copy_database(source: Path, target: Path, step_pages: int = STEP_PAGES) -> int:
    """Copy the SQLite database `source` to `target` (its bytes), consistently while other
    processes write in it: SQLite's backup API, `step_pages` at a time, inside one read
    transaction. The library and the state are in WAL mode, where a reader never blocks a
    writer, so the transaction keeps the copy to one moment without keeping anyone waiting;
    without it each write of another process restarts the copy from its first page, and under
    a steady ingest it never ended. The copy is written under a temporary name, checked
    (`integrity_problems`), made a file of its own (no write-ahead log beside it), then
    renamed: a backup in `target` is replaced only by a whole, sound one."""
    with replaced_atomically(target) as temporary:
        with (
            contextlib.closing(open_read_only(source, isolation_level=None, timeout=60)) as origin,
            contextlib.closing(sqlite3.connect(temporary, isolation_level=None)) as copy,
        ):
            origin.execute("BEGIN")
            origin.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the moment copied
            origin.backup(copy, pages=step_pages, sleep=0)
            origin.execute("COMMIT")
            copy.execute("PRAGMA journal_mode = DELETE")
            problems = integrity_problems(copy)
        if problems:
            raise LibraryError(f"la copie de {source} n'est pas intègre ({'; '.join(problems[:3])}) : rien n'est écrit")
    return target.stat().st_size


def integrity_problems(db: sqlite3.Connection) -> list[str]:
    """What SQLite's `PRAGMA integrity_check` finds wrong (nothing: a sound database)."""
    found = [row[0] for row in db.execute("PRAGMA integrity_check")]
    return [] if found == ["ok"] else found


@dataclass(frozen=True)
class Copied:
    label: str
    path: Path
    size: int


def back_up(data_dir: Path, destination: Path, replace: bool = False) -> list[Copied]:
    """Copy the library and the state of `data_dir` into `destination` (`copy_database`)."""
    refusal = destination_refusal(data_dir, destination)
    if refusal:
        raise LibraryError(f"sauvegarde refusée : {refusal}")
    present = [d for d in databases(data_dir) if d.path.exists()]
    if not present:
        raise LibraryError(f"rien à sauvegarder : ni {databases(data_dir)[0].path} ni {databases(data_dir)[1].path}")
    existing = [destination / d.name for d in databases(data_dir) if (destination / d.name).exists()]
    if existing and not replace:
        raise LibraryError(
            f"{destination} contient déjà une sauvegarde ({', '.join(p.name for p in existing)}) : "
            "choisissez un autre dossier, ou remplacez-la avec --force"
        )
    destination.mkdir(parents=True, exist_ok=True)
    copied = [Copied(d.label, destination / d.name, copy_database(d.path, destination / d.name)) for d in present]
    if replace:  # a state of an older backup beside this one's library would be restored with it
        for database in databases(data_dir):
            if database not in present:
                (destination / database.name).unlink(missing_ok=True)
    return copied


@dataclass(frozen=True)
class Restored:
    set_aside: Path | None  # what was in DATA_DIR before, kept (None: there was nothing)
    labels: list[str]
    rebuild_needed: str | None  # the restored library needs `reindex` (other settings): why
    # The version of the earlier analysis the restored library's lexicon was made with, which
    # the next command that searches or writes brings up to date (`check_opens` says it).
    outdated_analyzer: int | None = None


def restore(
    data_dir: Path, source: Path, check_opens: Callable[[], int | None], now: Callable[[], float] = time.time
) -> Restored:
    """Put the backup in `source` in place of the library and the state of `data_dir`, with no
    process having them open (`InUse`): each file is copied beside its place and checked
    first; what was in place is then set aside (renamed, never deleted) into
    `DATA_DIR/before-restore-<moment>/`, and put back if the restored library does not open
    (`check_opens`, called with the restored files in place, which returns the earlier
    analysis's version when the restored library's lexicon was made by one)."""
    library, state = databases(data_dir)
    backup_library, backup_state = source / library.name, source / state.name
    if not source.exists():  # a mistyped date: say so, rather than that a folder is not a backup
        raise LibraryError(f"dossier introuvable : {source} (celui d'une sauvegarde de python -m bot backup)")
    if _is_archive(source):  # a backup packed to be moved: never unpacked here ("../" or absolute members)
        raise LibraryError(
            f"{source} est une archive : extrayez-la (tar -xf, unzip), puis donnez le dossier de la sauvegarde "
            "qu'elle contient ; rien n'a été changé"
        )
    if not source.is_dir():  # the backup's library.sqlite3 given rather than its folder
        raise LibraryError(f"{source} n'est pas un dossier : donnez celui de la sauvegarde (python -m bot backup)")
    if not backup_library.is_file():
        raise LibraryError(f"pas de {library.name} dans {source} : ce n'est pas une sauvegarde de python -m bot backup")
    if source.resolve().is_relative_to(library.path.parent.resolve()):
        raise LibraryError(f"{source} est dans {library.path.parent}, que la restauration remplace")
    there_before = set(data_dir.iterdir()) if data_dir.is_dir() else set()
    with _nobody_has(data_dir):
        staging = data_dir / "index.restoring"
        shutil.rmtree(staging, ignore_errors=True)  # left by a restore that was killed
        staging.mkdir(parents=True)
        state_staging = data_dir / f".{state.name}.restoring"
        try:
            _check_backup(backup_library, staging / library.name, needs="articles")
            if backup_state.is_file():
                _check_backup(backup_state, state_staging, needs="feeds")
            for restored, replaced in (
                (staging, library.path.parent),
                (staging / library.name, library.path),
                (state_staging, state.path),
            ):
                if restored.exists():
                    _accessible_as(restored, replaced, data_dir)
            recover_swap(library.path.parent)  # as the next opening would: nothing of a reindex left half-way
            aside = data_dir / time.strftime("before-restore-%Y%m%d-%H%M%S", time.localtime(now()))
            aside.mkdir()
            moved = _set_aside(data_dir, aside)
            staging.rename(library.path.parent)
            if backup_state.is_file():
                state_staging.rename(state.path)
            sync_directory(data_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            state_staging.unlink(missing_ok=True)
            raise
        rebuild_needed = outdated_analyzer = None
        try:
            outdated_analyzer = check_opens()
        except IndexMismatch as exc:  # sound, but made with other settings: reindex rebuilds it
            rebuild_needed = str(exc)
        except (LibraryError, sqlite3.DatabaseError, OSError) as exc:
            _put_back(data_dir, aside, moved)
            raise LibraryError(
                f"la sauvegarde {source} ne s'ouvre pas ({exc}) : ce qui était en place y est remis, rien n'a changé"
            ) from exc
        except BaseException:
            _put_back(data_dir, aside, moved)
            raise
        _owned_as(library.path.parent, library.path.parent.rglob("*"))  # what opening it wrote: the manifest
    if not moved:  # restored into an empty DATA_DIR
        aside.rmdir()
    # The locks beside the library and the state, made by this restore where none was (into an
    # empty DATA_DIR), and the folder set aside: a bot that cannot open its locks cannot start.
    _owned_as(data_dir, set(data_dir.iterdir()) - there_before)
    return Restored(
        aside if moved else None,
        [library.label] + ([state.label] if backup_state.is_file() else []),
        rebuild_needed,
        outdated_analyzer,
    )


def _is_archive(path: Path) -> bool:
    """Whether `path` is a tar (compressed or not) or zip file: read only when a regular file
    (a pipe given would be waited on for ever)."""
    return path.is_file() and (tarfile.is_tarfile(path) or zipfile.is_zipfile(path))


@contextlib.contextmanager
def _nobody_has(data_dir: Path):
    """Held while the files are replaced: no process has the library or the state open, nor
    rebuilds the library (a `reindex` reads it before it opens it)."""
    library, state = databases(data_dir)
    holds = [InUse(library.path.parent), InUse(state.path)]
    taken = []
    try:
        for hold in holds:
            if not hold.exclusive():
                raise LibraryError(
                    f"la bibliothèque de {data_dir} est ouverte par un autre programme (le bot, ou une "
                    "commande python -m bot en cours) : arrêtez-le, puis relancez la restauration ; "
                    "rien n'a été changé"
                )
            taken.append(hold)
        with ReindexLock(library.path.parent):
            yield
    finally:
        for hold in taken:
            hold.release()


def _check_backup(backup: Path, target: Path, needs: str) -> None:
    """Copy `backup` to `target` and check the copy: sound, and holding the table `needs`."""
    try:
        copy_database(backup, target)
        with contextlib.closing(open_read_only(target)) as db:
            found = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (needs,)).fetchone()
    except (sqlite3.DatabaseError, LibraryError) as exc:
        raise LibraryError(f"la sauvegarde {backup} est illisible ou endommagée ({exc}) : rien n'a été changé") from exc
    if found is None:
        raise LibraryError(f"{backup} n'est pas une sauvegarde de python -m bot backup : rien n'a été changé")


def _accessible_as(restored: Path, replaced: Path, data_dir: Path) -> None:
    """Give `restored` the mode of the file it replaces, and its owner when the restore runs as
    root (only root can give a file away): a restore run by another user than the bot's must
    not leave the bot files it cannot open (the copies are made by the restoring user, with
    its umask).
    Where nothing is replaced, the mode the bot gives files it makes, and the owner of DATA_DIR."""
    try:
        before = replaced.stat()
        mode = stat.S_IMODE(before.st_mode)
    except FileNotFoundError:
        before = data_dir.stat()
        mode = (0o777 if restored.is_dir() else 0o666) & ~_umask()
    os.chmod(restored, mode)
    if _as_root():
        os.chown(restored, before.st_uid, before.st_gid)


def _owned_as(folder: Path, paths: Iterable[Path]) -> None:
    """`paths` owned as `folder` is, when the restore runs as root."""
    if not _as_root():
        return
    owner = folder.stat()
    for path in paths:
        os.chown(path, owner.st_uid, owner.st_gid, follow_symlinks=False)


def _umask() -> int:
    mask = os.umask(0o022)  # read by setting it: put back at once (the CLI runs one thread)
    os.umask(mask)
    return mask


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _set_aside(data_dir: Path, aside: Path) -> list[str]:
    """Move what is in place (the index folder, the state with its log) into `aside`."""
    moved = []
    for name in ("index", STATE_DATABASE, f"{STATE_DATABASE}-wal", f"{STATE_DATABASE}-shm"):
        if (data_dir / name).exists():
            (data_dir / name).rename(aside / name)
            moved.append(name)
    return moved


def _put_back(data_dir: Path, aside: Path, moved: list[str]) -> None:
    """Undo a restore whose library does not open: the restored copies removed, what was set
    aside back in its place."""
    shutil.rmtree(data_dir / "index", ignore_errors=True)
    for name in (STATE_DATABASE, f"{STATE_DATABASE}-wal", f"{STATE_DATABASE}-shm"):
        (data_dir / name).unlink(missing_ok=True)
    for name in moved:
        (aside / name).rename(data_dir / name)
    aside.rmdir()
    sync_directory(data_dir)
