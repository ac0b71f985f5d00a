"""The manifest: what an index directory was built with, checked at every open."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from index.errors import IndexCorrupted, IndexMismatch

# 2: vectors stored in SQLite beside their passages, FAISS snapshots and a change log.
# 3: one vector per sentence instead of one per passage.
FORMAT_VERSION = 3
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class IndexConfig:
    """Everything that, if changed, makes stored vectors or terms meaningless."""

    model: str
    dimension: int
    max_words: int
    analyzer_version: int
    format_version: int = FORMAT_VERSION


_LABELS = {
    "model": "modèle d'embeddings",
    "dimension": "dimension des vecteurs",
    "max_words": "taille des passages (mots)",
    "analyzer_version": "version de l'analyse lexicale",
    "format_version": "format de la bibliothèque",
}


def write_atomic(path: Path, data: bytes | Callable[[BinaryIO], object]) -> None:
    """Write `data`, or what `data(file)` writes (a large file streamed rather than held
    whole in memory), under a name no other writer uses, flush to disk, then rename into place."""
    with replaced_atomically(path) as tmp, open(tmp, "wb") as file:
        if callable(data):
            data(file)
        else:
            file.write(data)


@contextlib.contextmanager
def replaced_atomically(path: Path) -> Iterator[Path]:
    """A name beside `path`, no other writer's, for the block to write the new file under
    (SQLite's backup writes one itself); then flushed to disk and renamed into place, so that
    `path` is the old file or the whole new one. The block failing, nothing is replaced."""
    handle, tmp = new_temporary(path.parent, prefix=f".{path.name}.")
    os.close(handle)
    try:
        yield tmp
        with contextlib.suppress(FileNotFoundError):  # as writing over it would, the file's mode kept
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_directory(path.parent)


def new_temporary(directory: Path, prefix: str, suffix: str = ".tmp") -> tuple[int, Path]:
    """A new file in `directory`, open for writing, under a name no other writer uses (as
    `tempfile.mkstemp` gives) but with the mode an ordinary write gives it (0666 less the
    umask), not mkstemp's 0600: renamed into place, a file made 0600 by `restore` run as an
    administrator, or by a bot whose group shares DATA_DIR, could not be read by the others."""
    while True:
        path = directory / f"{prefix}{secrets.token_hex(6)}{suffix}"
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), path
        except FileExistsError:
            continue


def sync_directory(directory: Path) -> None:
    """Make the names in `directory` durable (a rename is on disk only once its directory is
    synced: after a power loss the old name could come back). Not on Windows, which cannot."""
    if os.name != "posix":
        return
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def write_manifest(directory: Path, config: IndexConfig | dict) -> None:
    """Written when the directory is created or rebuilt (or, lost, from what its database
    recorded: `config` a dict of `IndexConfig`'s fields); counts live in the database."""
    fields = asdict(config) if isinstance(config, IndexConfig) else {key: config[key] for key in CONFIG_FIELDS}
    body = {**fields, "written_at": datetime.now(UTC).isoformat(timespec="seconds")}
    write_atomic(directory / MANIFEST, json.dumps(body, indent=2, ensure_ascii=False).encode())


CONFIG_FIELDS = tuple(IndexConfig.__dataclass_fields__)


def read_manifest(directory: Path) -> dict:
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or any(key not in manifest for key in CONFIG_FIELDS):
            raise ValueError("champs manquants")
        return manifest
    except (OSError, ValueError) as exc:
        raise IndexCorrupted(
            f"manifeste illisible dans {directory} ({exc}) : restaurez-le, "
            "ou reconstruisez la bibliothèque à partir des articles enregistrés"
        ) from exc


def _differing(manifest: dict, expected: IndexConfig) -> dict[str, object]:
    """The settings (by key, with the value expected) a library was built otherwise than."""
    return {key: value for key, value in asdict(expected).items() if manifest.get(key) != value}


def differences(manifest: dict, expected: IndexConfig) -> list[str]:
    """What differs between how a library was built and the settings, in French."""
    return [
        f"{_LABELS[key]} : bibliothèque « {manifest.get(key)} », réglages « {value} »"
        for key, value in _differing(manifest, expected).items()
    ]


def outdated_analyzer(manifest: dict, expected: IndexConfig) -> int | None:
    """The version of the lexical analysis of a library that differs from `expected` by that
    alone, an earlier one: its lexicon (each passage's terms) can be made again from the stored
    articles, without the model (`Backend.update_lexicon`). None for any other difference, a
    later analysis's among them (this version cannot read its terms as it made them)."""
    version = manifest.get("analyzer_version")
    if set(_differing(manifest, expected)) != {"analyzer_version"}:
        return None
    if not isinstance(version, int) or version >= expected.analyzer_version:
        return None
    return version


def verified(location: str, manifest: dict, expected: IndexConfig) -> dict:
    """`manifest`, unless the library at `location` was built otherwise than `expected`
    (`IndexMismatch`, which says whether an update of its lexicon is all it needs)."""
    found = differences(manifest, expected)
    if found:
        raise IndexMismatch(location, found, outdated_analyzer=outdated_analyzer(manifest, expected))
    return manifest


def check_manifest(directory: Path, expected: IndexConfig) -> dict:
    return verified(str(directory), read_manifest(directory), expected)
