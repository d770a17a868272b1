"""Settings of the tool, one object for everything configurable outside scenarios.

Precedence: command-line flag > environment (``LOGISTICS_*``) > config file >
default. The config file is ``logistics.toml`` in the working folder, or the file
named by ``LOGISTICS_CONFIG``.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

CONFIG_ENV = "LOGISTICS_CONFIG"
DEFAULT_CONFIG_FILE = Path("logistics.toml")


def _default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


class Settings(BaseSettings):
    """Where caches and results go, how large derived caches may grow, and how many
    processes solve in parallel."""

    model_config = SettingsConfigDict(env_prefix="LOGISTICS_", extra="forbid", frozen=True)

    cache_dir: Path = Field(default=Path("~/.cache/bergen-logistics"),
                            description="road networks and travel matrices")
    cache_limit_mb: float = Field(default=5000.0, gt=0,
                                  description="cached matrices and contraction hierarchies"
                                  " together; least recently used go first")
    results_dir: Path = Field(default=Path("results"), description="result folders")
    workers: int = Field(default_factory=_default_workers, ge=1, le=64,
                         description="processes solving independent routing problems")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config_file = Path(os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG_FILE)
        return (init_settings, env_settings,
                TomlConfigSettingsSource(settings_cls, toml_file=config_file))


def get_settings(**overrides: object) -> Settings:
    """Settings with command-line ``overrides`` (None values are ignored)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
