"""Typed readers for settings that come from environment variables.

Every setting of motcua is read here from the environment, with a safe default, so that the
embedded default (SQLite, local files) needs no configuration at all. `.env.example` lists them.
"""

import os
from pathlib import Path


class ImproperlyConfiguredEnvError(ValueError):
    """An environment variable holds a value the setting cannot take."""


def env_str(name: str, default: str = "") -> str:
    # FOO_FILE lets an operator keep a secret in a file (Docker/Kubernetes secrets).
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfiguredEnvError(f"{name}={raw!r}: expected true/false")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfiguredEnvError(f"{name}={raw!r}: expected an integer") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
