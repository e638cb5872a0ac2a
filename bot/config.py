"""Application settings from the environment and `.env`.

Every setting is documented in `.env.example`. Nested groups use `__` as a delimiter
(`DELIVERY__GLOBAL_PER_SEC=30`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

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


class DeliverySettings(BaseModel):
    """Telegram rate limits the delivery engine keeps to, across all processes."""

    global_per_sec: float = Field(30.0, gt=0)
    chat_per_min: float = Field(20.0, gt=0)
    private_per_sec: float = Field(1.0, gt=0)
    paid_broadcast: bool = False
    paid_per_sec: float = Field(1000.0, gt=0)
    max_attempts: int = Field(8, ge=1)
    lease_seconds: float = Field(30.0, gt=0)


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="__",
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

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Almaty)") from exc
        return value

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

    @field_validator("rubrics", mode="before")
    @classmethod
    def _split_rubrics(cls, value: object) -> object:
        if isinstance(value, str):
            return [p.strip() for p in value.split(",") if p.strip()]
        return value

    @property
    def tz(self) -> ZoneInfo:
        """The newsroom's default time zone."""
        return ZoneInfo(self.timezone)

    @property
    def offline(self) -> bool:
        """True when there is no token: the bot runs against the local sandbox."""
        return self.bot_token is None or not self.bot_token.get_secret_value()


def describe_error(exc: ValidationError) -> str:
    """One line naming the first bad variable and what is wrong with it."""
    err = exc.errors()[0]
    name = "__".join(str(p) for p in err["loc"]).upper() or "SETTINGS"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"configuration error: {name}: {msg}"


def load_settings(**overrides: object) -> Settings:
    """Read settings; on invalid input print one clear line and exit with code 2."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        print(describe_error(exc), file=sys.stderr)
        raise SystemExit(2) from None
