"""The manifest: what an index directory was built with, checked at every open."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
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
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        yield Path(tmp)
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    sync_directory(path.parent)


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


def differences(manifest: dict, expected: IndexConfig) -> list[str]:
    """What differs between how a library was built and the settings, in French."""
    return [
        f"{_LABELS[key]} : bibliothèque « {manifest.get(key)} », réglages « {value} »"
        for key, value in asdict(expected).items()
        if manifest.get(key) != value
    ]


def check_manifest(directory: Path, expected: IndexConfig) -> dict:
    manifest = read_manifest(directory)
    found = differences(manifest, expected)
    if found:
        raise IndexMismatch(str(directory), found)
    return manifest
