"""The application's one entry into the library: built from `Settings`, used by
the CLI, the console chat and the Telegram bot alike."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bot.replies.upkeep import lexicon_update_said
from bot.settings import Settings
from index.background import french_background
from index.embeddings import Embedder, Progress, is_prepared, load_embedder
from index.errors import ArticleTooLong, InputError, PrivateAddress
from index.library import IngestResult, LexiconUpdate, Library
from index.ranking import RelevancePolicy
from index.storage import Backend
from index.store import ArticleRow
from index.web_addresses import typed_address

if TYPE_CHECKING:
    from bot.state import BotState
    from index.documents import Document

log = logging.getLogger("bot")
Status = Literal["added", "duplicate", "error"]
PREPARING_MODEL = "Préparation du modèle de langue (une seule fois : de 30 s à 2 min selon le processeur)…"


@dataclass(frozen=True)
class IngestOutcome:
    input: str
    status: Status
    article: ArticleRow | None = None
    error: str | None = None
    text_differs: bool = False  # a duplicate holding another version of its text (`IngestResult`)


class Abandoned(BaseException):
    """Long work given up because the process is stopping. A BaseException, as
    KeyboardInterrupt is: the handlers that count a feed entry's or a poll's failure let it
    through. What the work had not committed is not stored (an article is one transaction)."""


@dataclass
class StopRequest:
    """Set once a stopping process gives up its long work (`abandon`); the work checks it
    between its steps (`check`, or the progress callbacks of `checked`) and ends there."""

    abandoned: threading.Event = field(default_factory=threading.Event)

    def abandon(self) -> None:
        self.abandoned.set()

    def check(self) -> None:
        if self.abandoned.is_set():
            raise Abandoned

    def checked(self, progress: Progress) -> Progress:
        """`progress`, called only while the work goes on: it raises `Abandoned` once it is given up."""

        def reporting(done: int, total: int) -> None:
            self.check()
            progress(done, total)

        return reporting


def load_settings_embedder(settings: Settings, progress: Progress | None = None, *, lazily: bool = False) -> Embedder:
    """The settings' model; `lazily`: loaded at its first embedding (`index.embeddings.LazyEmbedder`)."""
    return load_embedder(
        settings.embedding_model,
        settings.model_cache_dir,
        batch_size=settings.embedding_batch_size,
        precision=settings.embedding_precision,
        progress=progress,
        lazily=lazily,
    )


def library_options(settings: Settings) -> dict:
    return {
        "max_words": settings.passage_max_words,
        "policy": RelevancePolicy(threshold=settings.relevance_threshold),
        "background": french_background(settings.model_cache_dir),
    }


def storage_of(settings: Settings) -> Path | Backend:
    """Where the library lives: PostgreSQL when `DATABASE_URL` is set, else `DATA_DIR/index`."""
    if settings.database_url is not None:
        from index.pg_backend import PgBackend

        return PgBackend(settings.database_url.get_secret_value())
    return settings.index_dir


def open_state(settings: Settings) -> BotState:
    """The bot's own state, beside the library (in PostgreSQL too when the library is there)."""
    from bot.state import BotState  # its nine parts' code: not loaded by commands that only read the library

    url = settings.database_url.get_secret_value() if settings.database_url is not None else None
    return BotState.open(settings.state_file, url)


def delete_article(library: Library, state: BotState, article_id: int) -> ArticleRow:
    """Delete an article for good: an admin's choice, which no feed listing the same story
    undoes (someone adding it by hand does). `NotFound` when there is no such article."""
    article = library.delete(article_id)
    state.article_deleted(article)
    return article


def open_library(
    settings: Settings,
    embedder: Embedder | None = None,
    notify: Callable[[str], None] | None = None,
    *,
    updates_lexicon: bool = True,
    on_lexicon_update: Callable[[LexiconUpdate], None] | None = None,
) -> Library:
    """The library of `settings`; `notify` hears about the one-time model preparation, and the
    update of a lexicon an earlier analysis made, which the library makes as it opens unless
    not to `updates_lexicon` (a command that only counts or lists: `stats` then says it is pending);
    `on_lexicon_update` is told of that update too, before `notify` (`serve`'s heartbeat names it)."""
    if embedder is None and notify and not is_prepared(settings.embedding_model, settings.model_cache_dir):
        notify(PREPARING_MODEL)
    embedder = embedder or load_settings_embedder(settings)

    def told(update: LexiconUpdate) -> None:
        if on_lexicon_update is not None:
            on_lexicon_update(update)
        if notify is not None:
            notify(lexicon_update_said(update))

    return Library(
        storage_of(settings),
        embedder,
        update_lexicon=updates_lexicon,
        on_lexicon_update=told,
        **library_options(settings),
    )


# How long one of this process's threads may keep the interpreter while another waits for it
# (CPython's default: 5 ms). A question is short stretches of Python between native calls
# (SQLite, FAISS, the model), each of which lets the interpreter go and must wait to get it
# back; beside a writer's Python (reading, cleaning and cutting an article), each return
# waited up to the whole interval. README, "Performance", has the measurements.
SWITCH_INTERVAL_SECONDS = 0.0005


def ready_to_answer_for_long(library: Library) -> None:
    """What a process that answers for long (the bot, the console chat) does once its library
    is open: questions take the interpreter back promptly from the threads that write, and the
    library readies its faster ways for questions in the background
    (`Library.prepare_for_questions`)."""
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    library.prepare_for_questions()


def rebuild_library(settings: Settings, progress=None, embedder: Embedder | None = None) -> Library:
    embedder = embedder or load_settings_embedder(settings)
    return Library.rebuild(storage_of(settings), embedder, progress=progress, **library_options(settings))


def read_text(text: str, settings: Settings, source: str | None = None) -> Document:
    """Text typed or pasted (in the console, after /ingest, a message) as an article, within
    the settings' size and reading limits: a page's HTML pasted is read as a page."""
    from index.sources import parse_bytes

    limits = settings.reading_limits
    return parse_bytes(text.encode(), name=None, source=source, max_bytes=settings.ingest_max_bytes, limits=limits)


# A text typed after /ingest that is one line, no title above it, and fewer words than this
# (or a question) is a slip, not an article: "/ingest Ceci est court." was added as an article
# of three words, and "/ingest Qui dirige l'OTAN ?" as one titled with the question, which then
# answered every question like it. A brief of one sentence holds more ("Le marché de Noël de
# Strasbourg ouvrira le 22 novembre avec 300 chalets, a annoncé la mairie."), and a short text
# with its title line above it is taken as given.
PASTED_MIN_WORDS = 8


def read_pasted(text: str, settings: Settings) -> Document:
    """Text typed or pasted after /ingest (the console, a chat message) as an article
    (`read_text`), unless it is one short line or a question (`PASTED_MIN_WORDS`)."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if len(lines) == 1 and lines[0].rstrip().endswith("?"):
        raise InputError("ce texte est une question, pas un article ; posez-la sans /ingest.")
    if len(lines) == 1 and (words := len(lines[0].split())) < PASTED_MIN_WORDS:
        raise InputError(
            f"ce texte de {words} mots est bien court pour un article ; collez l'article entier après "
            "/ingest (son titre sur la première ligne, au besoin), ou l'adresse de sa page."
        )
    return read_text(text, settings)


def not_found_hint(value: str, file_suffixes: Collection[str]) -> str:
    """What a name that is neither a file nor a folder may have meant: a site's address typed
    without https:// ("lemonde.fr/article", which `/ingest` in the bot reads as one) is shown
    written whole; a file name with a typo ("artcle.txt", a name of `file_suffixes`), or of any
    type of file Python knows ("photo.jpg", "données.csv"), is no site."""
    from index.sources import file_type  # with read_input's readers, not with a question's answer

    address = typed_address(value)
    suffix = Path(value.split("/", 1)[0]).suffix.lower()
    if address and suffix not in file_suffixes and file_type(f"x{suffix}") is None:
        return f"ni fichier, ni dossier ; une page web ? donnez son adresse entière : {address}"
    return "ni fichier, ni dossier, ni URL http(s)"


def read_input(
    value: str, settings: Settings, progress: Callable[[int, int], None] | None = None
) -> list[tuple[str, Document | InputError]]:
    """One command-line input (path, directory, URL or '-') as labelled documents or errors;
    `progress(done, total)` after each file of a directory (reading PDFs takes a while)."""
    # Imported here: the HTTP client and document parsers are for ingesting, and a question
    # answered from the command line should not pay for loading them (README, "Performance").
    from index.bounded_reading import read_at_most
    from index.decoding import readable
    from index.fetching import fetch_url
    from index.sources import SUPPORTED_SUFFIXES, SUPPORTED_TYPES_TEXT, expand_paths, parse_bytes, read_file
    from index.web_addresses import is_url

    def attempt(label: str, load: Callable[[], Document]) -> tuple[str, Document | InputError]:
        try:
            return label, load()
        except InputError as exc:
            return label, exc
        except Exception as exc:  # a parser's own failure on one file must not stop the others
            log.warning("could not read %s", label, exc_info=True)
            return label, InputError(f"lecture impossible ({type(exc).__name__} : {exc})")

    max_bytes, limits = settings.ingest_max_bytes, settings.reading_limits
    if value == "-":

        def standard_input() -> Document:
            data = read_at_most(sys.stdin.buffer, max_bytes=max_bytes, named="l'entrée standard")
            return parse_bytes(data, name=None, source=None, max_bytes=max_bytes, limits=limits)

        return [attempt("-", standard_input)]
    if is_url(value):
        label, fetched = attempt(
            value,
            lambda: fetch_url(
                value,
                timeout=settings.fetch_timeout_seconds,
                max_bytes=max_bytes,
                allow_private=settings.ingest_allow_private_urls,
                limits=limits,
            ),
        )
        if isinstance(fetched, PrivateAddress):  # told to whoever runs the library, never to a chat user
            fetched = PrivateAddress(f"{fetched} Pour les accepter, réglez INGEST_ALLOW_PRIVATE_URLS=true.")
        return [(label, fetched)]
    if not value.strip():  # `Path("")` is the current folder: an empty variable would add all of it
        return [(value, InputError("chemin vide : donnez un fichier, un dossier, une URL ou « - »"))]
    path = Path(value)
    try:
        exists = path.exists()
        files = list(expand_paths(path)) if exists else []
    except OSError as exc:  # a name too long, a folder that may not be read: this input alone fails
        return [(value, InputError(f"illisible : {value} ({exc.strerror or exc})"))]
    if not exists:
        return [(value, InputError(f"introuvable : {value} ({not_found_hint(value, SUPPORTED_SUFFIXES)})"))]
    if not files:
        return [(value, InputError(f"aucun fichier lisible dans {value} : {SUPPORTED_TYPES_TEXT}"))]
    read = []
    for done, f in enumerate(files, start=1):
        read.append(attempt(readable(str(f)), lambda f=f: read_file(f, max_bytes=max_bytes, limits=limits)))
        if progress is not None:
            progress(done, len(files))
    return read


def refusal(error: InputError, *, in_chat: bool = False) -> str:
    """Why an input was not added, as its sender reads it: the library's French, and for a
    limit the application sets, what to do, with the setting's name for an operator (not for
    a chat user, who cannot change it)."""
    if isinstance(error, ArticleTooLong):
        if in_chat:
            return f"{error}. Envoyez-le en plusieurs parties."
        return f"{error} (réglage ARTICLE_MAX_WORDS). Ajoutez-le en plusieurs parties."
    return str(error)


def ingest_documents(
    library: Library,
    labelled: Sequence[tuple[str, Document | InputError]],
    progress=None,
    committed: Callable[[list[IngestOutcome]], None] | None = None,
    *,
    article_max_words: int,
    in_chat: bool = False,
) -> list[IngestOutcome]:
    """Ingest the documents among `labelled`; errors are reported in place, in order (in a
    chat user's words when `in_chat`: `refusal`). A document over `article_max_words` words is
    one of them, refused before anything is embedded. `committed` is told the outcomes of each
    batch once it is stored (with the unreadable inputs before them): what stays in the library
    if a later batch fails."""
    from index.ingest import within_article_words  # not loaded by a question (`read_input`)

    def within_limit(item: Document | InputError) -> Document | InputError:
        if isinstance(item, InputError):
            return item
        try:
            return within_article_words(item, article_max_words)
        except ArticleTooLong as exc:
            return exc

    labelled = [(label, within_limit(item)) for label, item in labelled]
    unreported = iter(labelled)
    outcomes: list[IngestOutcome] = []

    def stored(results: list[IngestResult]) -> None:
        batch = []
        for result in results:
            for label, item in unreported:  # the unreadable inputs before this result's document, then it
                if isinstance(item, InputError):
                    batch.append(refused(label, item, in_chat=in_chat))
                    continue
                batch.append(IngestOutcome(label, result.status, result.article, text_differs=result.text_differs))
                break
        outcomes.extend(batch)
        if committed is not None:
            committed(batch)

    library.ingest([item for _, item in labelled if not isinstance(item, InputError)], progress, stored)
    # The unreadable inputs after the last document.
    outcomes.extend(refused(label, item, in_chat=in_chat) for label, item in unreported)
    return outcomes


def refused(label: str, error: InputError, *, in_chat: bool = False) -> IngestOutcome:
    """The outcome of an input that was not added, and why (`refusal`)."""
    return IngestOutcome(label, "error", error=refusal(error, in_chat=in_chat))
