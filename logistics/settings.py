"""Settings of the tool, one object for everything configurable outside scenarios.

Precedence: command-line flag > environment (``LOGISTICS_*``) > config file >
default. The config file is ``logistics.toml`` in the working folder, or the file
named by ``LOGISTICS_CONFIG``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from logistics.errors import InputError, Problem

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
        return (init_settings, env_settings,
                TomlConfigSettingsSource(settings_cls, toml_file=_config_file()))


def get_settings(**overrides: object) -> Settings:
    """Settings with command-line ``overrides`` (None values are ignored). A bad value
    is an :class:`InputError` naming the setting and where it came from."""
    given = {k: v for k, v in overrides.items() if v is not None}
    config_file = _config_file()
    try:
        return Settings(**given)  # type: ignore[arg-type]
    except ValidationError as error:
        problems = []
        for item in error.errors():
            name = str(item["loc"][0]) if item["loc"] else "(settings)"
            found = "unknown setting" if item["type"] == "extra_forbidden" else item.get("input")
            allowed = (f"one of {', '.join(Settings.model_fields)}"
                       if item["type"] == "extra_forbidden" else str(item["msg"]))
            problems.append(Problem(_origin(name, given, config_file), "", name,
                                    repr(found), allowed))
        raise InputError(problems) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError([Problem(str(config_file), "", "toml", str(error),
                                  "valid TOML")]) from None


def _config_file() -> Path:
    return Path(os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG_FILE)


def _origin(name: str, given: dict[str, object], config_file: Path) -> str:
    """Where setting ``name`` came from: flag > environment > config file."""
    if name in given:
        return f"command-line flag --{name.replace('_', '-')}"
    variable = f"LOGISTICS_{name.upper()}"
    if variable in os.environ:
        return f"environment variable {variable}"
    return f"config file {config_file}"
