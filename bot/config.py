"""Application settings from the environment and `.env`.

Every setting is documented in `.env.example`. Nested groups use `__` as a delimiter
(`DELIVERY__GLOBAL_PER_SEC=30`). A variable set to an empty value counts as not set (its
default), so `docker-compose.yml` can pass every setting as `${NAME:-}`. `load_settings()`
turns any invalid value into one line naming the variable and exits with code 2: an
operator never reads a traceback for a typo.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

from bot.timezones import iana_name

DEFAULT_RUBRICS = (
    "Политика",
    "Экономика",
    "Общество",
    "В мире",
    "Происшествия",
    "Спорт",
    "Культура",
    "Технологии",
)
EXIT_CONFIG = 2
REDIS_SCHEMES = ("redis", "rediss", "unix")
# What @BotFather issues: the bot's numeric id, a colon, the secret (aiogram checks the same).
# Bot ids are positive, so the id never starts with 0 (`0:abc` is no token).
_TOKEN = re.compile(r"([0-9]+):[A-Za-z0-9_-]+")
_FIELD_IN_SETTINGS_ERROR = re.compile(r'field "([^"]+)"')


class DeliverySettings(BaseModel):
    """Telegram rate limits the delivery engine keeps to, across all processes."""

    global_per_sec: float = Field(30.0, gt=0)
    chat_per_min: float = Field(20.0, gt=0)
    private_per_sec: float = Field(1.0, gt=0)
    paid_broadcast: bool = False
    paid_per_sec: float = Field(1000.0, gt=0)
    max_attempts: int = Field(8, ge=1)
    lease_seconds: float = Field(30.0, gt=0)


class RetentionSettings(BaseModel):
    """How long Vestnik keeps records it no longer needs (`RETENTION__*`; see docs/storage.md).

    Days and hours count by the injected clock; the sweep runs every `sweep_minutes`.
    """

    ledger_days: int = Field(365, ge=1)
    ledger_summary_minutes: float = Field(30.0, gt=0)
    digest_ledger_days: int = Field(7, ge=1)
    stats_days: int = Field(400, ge=1)
    audit_days: int = Field(365, ge=1)
    post_days: int = Field(90, ge=1)
    draft_days: int = Field(30, ge=1)
    file_id_days: int = Field(90, ge=1)
    username_days: int = Field(180, ge=1)
    dialogue_hours: float = Field(168.0, gt=0)
    sweep_minutes: float = Field(60.0, gt=0)


class DeskSettings(BaseModel):
    """Limits that keep refused attempts from drowning the desk and its audit log."""

    refusals_per_hour: int = Field(20, ge=1)
    refusal_replies_per_minute: int = Field(5, ge=1)


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="__",
        env_ignore_empty=True,
        extra="ignore",
    )

    bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    redis_url: str | None = None
    redis_prefix: str = Field("vestnik", pattern=r"^[A-Za-z0-9_.-]+$")
    data_dir: Path = Path("data")
    timezone: str = "Asia/Almaty"
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    default_locale: Literal["ru", "en"] = "ru"
    rubrics: Annotated[list[str], NoDecode] = Field(default_factory=lambda: list(DEFAULT_RUBRICS))
    sandbox_host: str = "127.0.0.1"
    sandbox_port: int = Field(8081, ge=0, le=65535)
    article_retention_days: int = Field(365, ge=1)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    delivery: DeliverySettings = Field(default_factory=DeliverySettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    desk: DeskSettings = Field(default_factory=DeskSettings)

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None  # empty: the offline sandbox demo
        shape = _TOKEN.fullmatch(value.get_secret_value().strip())
        if not shape:
            raise ValueError(
                "expected <digits>:<secret> as issued by @BotFather (the value is not shown)"
            )
        if int(shape.group(1)) <= 0:
            raise ValueError(
                "the bot id before ':' must be a positive number, as @BotFather issues it "
                "(the value is not shown)"
            )
        return SecretStr(value.get_secret_value().strip())

    @field_validator("telegram_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"expected an http:// or https:// URL, found {value[:60]!r}")
        return value.strip().rstrip("/")

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None  # empty: the embedded redis-server under DATA_DIR
        return check_redis_url(value.strip())

    @field_validator("data_dir")
    @classmethod
    def _directory(cls, value: Path) -> Path:
        check_directory(value)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        name = iana_name(value)
        if name is None:  # `localtime` and `Factory` are no place's zone
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Almaty)")
        return name

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").split(",") if p.strip()]
            try:
                return [int(p) for p in parts]
            except ValueError as exc:
                raise ValueError("expected comma-separated Telegram user ids") from exc
        return value

    @field_validator("admin_ids")
    @classmethod
    def _positive_ids(cls, value: list[int]) -> list[int]:
        bad = [i for i in value if i <= 0]
        if bad:
            raise ValueError(f"Telegram user ids are positive numbers, found {bad[0]}")
        return value

    @field_validator("rubrics", mode="before")
    @classmethod
    def _split_rubrics(cls, value: object) -> object:
        if isinstance(value, str):
            return [p.strip() for p in value.split(",") if p.strip()]
        return value

    @field_validator("rubrics")
    @classmethod
    def _visible_rubrics(cls, value: list[str]) -> list[str]:
        for name in value:
            if not name.strip().lstrip("#").strip():
                raise ValueError(f"{name!r} is not a rubric name")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @property
    def tz(self) -> ZoneInfo:
        """The newsroom's default time zone."""
        return ZoneInfo(self.timezone)

    @property
    def offline(self) -> bool:
        """True when there is no token: the bot runs against the local sandbox."""
        return self.bot_token is None or not self.bot_token.get_secret_value()


def check_redis_url(url: str) -> str:
    """`url` if redis-py can connect with it (redis://, rediss://, unix://), else ValueError.

    The message never repeats the URL: it may carry a password.
    """
    from redis.connection import parse_url

    scheme = urlsplit(url).scheme
    if scheme not in REDIS_SCHEMES:
        shown = f"{scheme!r}" if scheme else "none"
        raise ValueError(
            f"unsupported scheme {shown}: use redis://HOST:PORT/DB, rediss:// (TLS) "
            "or unix:///path/to/redis.sock"
        )
    try:
        parsed = parse_url(url)  # type: ignore[no-untyped-call]
    except ValueError as exc:
        raise ValueError(f"not a valid Redis URL: {exc}") from None
    if scheme == "unix" and not parsed.get("path"):
        raise ValueError("a unix:// URL needs the socket path, e.g. unix:///run/redis.sock")
    return url


def check_directory(path: Path) -> None:
    """ValueError unless `path` is a directory or could be created as one."""
    probe = Path(path)
    try:
        if probe.exists() and not probe.is_dir():
            raise ValueError(f"{str(path)!r} exists and is not a directory")
        for parent in probe.absolute().parents:
            if parent.exists():
                if not parent.is_dir():
                    raise ValueError(f"cannot be created: {str(parent)!r} is not a directory")
                return
    except OSError as exc:
        raise ValueError(f"cannot check {str(path)!r}: {exc.strerror or exc}") from None


def describe_error(exc: ValidationError) -> str:
    """One line naming the first bad variable and what is wrong with it."""
    err = exc.errors()[0]
    name = "__".join(str(p) for p in err["loc"]).upper() or "SETTINGS"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"configuration error: {name}: {msg}"


def describe_settings_error(exc: SettingsError) -> str:
    """One line for a value pydantic-settings could not even decode (`DELIVERY=notjson`)."""
    found = _FIELD_IN_SETTINGS_ERROR.search(str(exc))
    name = found.group(1).upper() if found else "SETTINGS"
    hint = ""
    if name == "DELIVERY":
        hint = " (set single values instead, e.g. DELIVERY__GLOBAL_PER_SEC=30)"
    elif name == "RETENTION":
        hint = " (set single values instead, e.g. RETENTION__LEDGER_DAYS=365)"
    return f"configuration error: {name}: expected a JSON object{hint}"


def describe_unreadable_env(exc: UnicodeDecodeError | OSError) -> str:
    """One line for a `.env` file that cannot be read."""
    if isinstance(exc, UnicodeDecodeError):
        why = f"not valid UTF-8 (byte {exc.object[exc.start]:#04x} at offset {exc.start})"
        return f"configuration error: .env: {why}; save it as UTF-8"
    return f"configuration error: .env: cannot be read: {exc.strerror or exc}"


def load_settings(**overrides: object) -> Settings:
    """Read settings; on invalid input print one clear line and exit with code 2."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        message = describe_error(exc)
    except SettingsError as exc:
        message = describe_settings_error(exc)
    except (UnicodeDecodeError, OSError) as exc:
        message = describe_unreadable_env(exc)
    print(message, file=sys.stderr)
    raise SystemExit(EXIT_CONFIG)
