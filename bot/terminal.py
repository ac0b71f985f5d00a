"""What the command line and the console chat share: messages on stderr, progress
bars on a terminal, and opening the library with the one-time model preparation shown."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bot.service import PREPARING_MODEL, load_settings_embedder, open_library
from bot.settings import Settings
from index.embeddings import Embedder, is_prepared
from index.library import Library


@contextmanager
def progress_bar(description: str, unit: str) -> Iterator[Callable[[int, int], None] | None]:
    """A tqdm bar on a terminal; nothing when stderr is a pipe or a file."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(desc=description, unit=unit, file=sys.stderr, leave=False)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        bar.close()


def say(message: str) -> None:
    print(message, file=sys.stderr)


def embedder_for_terminal(settings: Settings, *, lazily: bool = False) -> Embedder:
    """The model, with a notice and a progress bar when it must first be prepared; `lazily`:
    loaded at its first embedding (`load_settings_embedder`)."""
    if is_prepared(settings.embedding_model, settings.model_cache_dir):
        return load_settings_embedder(settings, lazily=lazily)
    say(PREPARING_MODEL)
    with progress_bar("Préparation du modèle", "étape") as progress:
        return load_settings_embedder(settings, progress, lazily=lazily)


def open_for_terminal(settings: Settings, *, embeds: bool = True, updates_lexicon: bool = True) -> Library:
    """The library; `embeds=False` for a command that never embeds (`stats`, `articles`,
    `delete`…): the model is then loaded only if something embeds after all, and such a
    command does not wait for its load (README, "Start-up"). A lexicon an earlier analysis made
    is brought up to date, with a line before and after, unless not to `updates_lexicon` (a
    command that only counts or lists articles, which the lexicon does not serve)."""
    embedder = embedder_for_terminal(settings, lazily=not embeds)
    return open_library(settings, embedder, notify=say, updates_lexicon=updates_lexicon)
