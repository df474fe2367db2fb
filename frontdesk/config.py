"""Settings from flags and the environment (FRONTDESK_*); defaults are in `paths`."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FRONTDESK_", extra="ignore")

    database_url: str | None = None
    terminal: str | None = None
