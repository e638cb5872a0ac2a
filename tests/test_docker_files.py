"""The Docker files agree with the settings: what compose hands the bot, and what it keeps.

`docker compose up` must work from a fresh clone (no `.env`) and after `cp .env.example
.env`, without `.env` moving the containers' own paths and addresses; the image is built
and run for real in `tests/docker/` (a Docker engine needed there, not here).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]
from pydantic import BaseModel

from bot.config import Settings

ROOT = Path(__file__).resolve().parent.parent
# Settings the containers fix for themselves, whatever `.env` says.
CONTAINER_OWN = {
    "REDIS_URL": "redis://redis:6379/0",
    "DATA_DIR": "/data",
    "SANDBOX_HOST": "0.0.0.0",
    "SANDBOX_PORT": "8081",
}
_ASSIGNMENT = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$")
_INTERPOLATION = re.compile(r"^\$\{([A-Z0-9_]+):-([^}]*)\}$")


def example_settings() -> dict[str, str]:
    """Every variable `.env.example` documents (commented-out ones too), with its value."""
    found: dict[str, str] = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        match = _ASSIGNMENT.match(line.strip())
        if match:
            found[match.group(1)] = match.group(2)
    return found


def active_example_lines() -> dict[str, str]:
    """What `cp .env.example .env` sets (commented-out lines set nothing)."""
    return {
        key: value
        for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
        if (match := _ASSIGNMENT.match(line)) and not line.startswith("#")
        for key, value in [match.groups()]
    }


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def bot_environment(dot_env: dict[str, str]) -> dict[str, str]:
    """The bot container's environment as compose interpolates it from `dot_env`."""
    result: dict[str, str] = {}
    for key, value in compose()["services"]["bot"]["environment"].items():
        match = _INTERPOLATION.match(str(value))
        result[key] = (dot_env.get(match.group(1)) or match.group(2)) if match else str(value)
    return result


def environment_names() -> list[str]:
    """Every variable the settings read: `NAME`, or `GROUP__NAME` for a nested group."""
    names: list[str] = []
    for name, field in Settings.model_fields.items():
        group = field.annotation
        if isinstance(group, type) and issubclass(group, BaseModel):
            names += [f"{name.upper()}__{sub.upper()}" for sub in group.model_fields]
        else:
            names.append(name.upper())
    return names


def test_every_setting_is_documented_and_passed_to_the_bot() -> None:
    documented = example_settings()
    fields = set(environment_names())
    assert fields <= set(documented), fields - set(documented)
    passed = compose()["services"]["bot"]["environment"]
    assert set(passed) == set(documented), set(documented) ^ set(passed)
    for key, value in passed.items():
        if key in CONTAINER_OWN:
            assert str(value) == CONTAINER_OWN[key], key
        else:
            assert str(value) == f"${{{key}:-}}", key  # from .env or the shell, else default


def test_compose_needs_no_env_file_and_publishes_the_demo_on_this_machine_only() -> None:
    bot = compose()["services"]["bot"]
    assert "env_file" not in bot  # a fresh clone without .env starts
    assert bot["ports"] == ["127.0.0.1:${SANDBOX_PORT:-8081}:8081"]
    assert "/data" in [volume.split(":")[1] for volume in bot["volumes"]]


def test_env_from_the_example_keeps_the_containers_own_paths_and_addresses() -> None:
    dot_env = active_example_lines()
    assert "DATA_DIR" not in dot_env and "SANDBOX_HOST" not in dot_env
    environment = bot_environment(dot_env)
    for key, value in CONTAINER_OWN.items():
        assert environment[key] == value
    settings = Settings(_env_file=None, **_as_fields(environment))
    assert (str(settings.data_dir), settings.sandbox_host) == ("/data", "0.0.0.0")
    assert settings.redis_url == "redis://redis:6379/0"
    assert settings.bot_token is None  # the offline demo
    assert settings.rubrics[0] == "Политика"
    # the same without any .env: every setting at its default
    bare = Settings(_env_file=None, **_as_fields(bot_environment({})))
    assert bare.telegram_api_url == "https://api.telegram.org"
    assert bare.delivery.chat_per_min == 20


def _as_fields(environment: dict[str, str]) -> dict[str, Any]:
    """Environment variables as Settings keyword arguments, empty ones left out (as the
    settings do with empty variables)."""
    fields: dict[str, Any] = {}
    for key, value in environment.items():
        if not value:
            continue
        group, _, name = key.lower().rpartition("__")
        if group:
            fields.setdefault(group, {})[name] = value
        else:
            fields[name] = value
    return fields


def test_empty_environment_variables_mean_the_default(monkeypatch: Any) -> None:
    for name in ("TELEGRAM_API_URL", "ARTICLE_RETENTION_DAYS", "DELIVERY__CHAT_PER_MIN"):
        monkeypatch.setenv(name, "")
    settings = Settings(_env_file=None)
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert (settings.article_retention_days, settings.delivery.chat_per_min) == (365, 20)


def test_the_build_context_leaves_out_secrets_and_local_state() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".git", ".venv", "data", "tests", "**/__pycache__", "appendonlydir"):
        assert entry in ignored, entry
