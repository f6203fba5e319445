"""Settings from the environment (prefix ASSISTANT_), read once per process."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    corpus_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / "indexes"
    embedder: str = "use-m3"
    chroma_url: str | None = None
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    host: str = "127.0.0.1"
    port: int = 7860
    # Changing documents needs these (the /admin page); without them there is no admin page,
    # and binding a non-loopback host refuses to start.
    admin_user: str = "admin"
    admin_password: SecretStr | None = None
    uploads_dir: Path = PROJECT_ROOT / "data" / "uploads"
    # Library tables a fresh process would otherwise rebuild (assistant.warmstart)
    cache_dir: Path = PROJECT_ROOT / "data" / "cache"
    # Host names the app answers to besides the bound host and loopback (comma-separated),
    # e.g. the name a reverse proxy forwards; origins allowed cross-origin calls (none).
    allowed_hosts: str = ""
    cors_origins: str = ""
    # POSTs (Gradio events, API answers, uploads, logins) per client; one chat question is a few
    # Gradio events (answer, progress, saving the conversation), so 300 is ~1 question a second
    rate_limit_per_minute: int = 300
    today: dt.date | None = None
    # What one file may cost at ingest (assistant.loaders.Limits).
    max_file_mb: float = 20
    max_pages: int = 500
    parse_timeout_s: float = 60
    parse_memory_mb: float = 1024

    def today_or_now(self) -> dt.date:
        return self.today or dt.date.today()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
