"""Configuration: defaults, parsing, and one clear line with exit code 2 on bad values."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "politika-tokayev-almaty-hub.txt"
_VARIABLES = (
    "BOT_TOKEN",
    "TELEGRAM_API_URL",
    "REDIS_URL",
    "DATA_DIR",
    "TIMEZONE",
    "ADMIN_IDS",
    "DEFAULT_LOCALE",
    "RUBRICS",
    "LOG_LEVEL",
    "DELIVERY",
    "RETENTION",
)


def _clear_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout
    for name in _VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_defaults_run_offline_in_almaty(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _clear_env(monkeypatch, tmp_path)
    settings = Settings()
    assert settings.offline
    assert settings.timezone == "Asia/Almaty"
    assert settings.default_locale == "ru"
    assert "Политика" in settings.rubrics
    assert settings.telegram_api_url == "https://api.telegram.org"


def test_env_values_are_parsed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _clear_env(monkeypatch, tmp_path)
    monkeypatch.setenv("BOT_TOKEN", "42:secret")
    monkeypatch.setenv("ADMIN_IDS", "1, 2,3")
    monkeypatch.setenv("RUBRICS", "Политика, Спорт")
    monkeypatch.setenv("DELIVERY__GLOBAL_PER_SEC", "25")
    settings = Settings()
    assert not settings.offline
    assert "secret" not in repr(settings)
    assert settings.admin_ids == [1, 2, 3]
    assert settings.rubrics == ["Политика", "Спорт"]
    assert settings.delivery.global_per_sec == 25


def test_retention_settings_default_and_parse(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _clear_env(monkeypatch, tmp_path)
    defaults = Settings().retention
    assert (defaults.ledger_days, defaults.stats_days, defaults.post_days) == (365, 400, 90)
    monkeypatch.setenv("RETENTION__LEDGER_DAYS", "30")
    monkeypatch.setenv("RETENTION__DIALOGUE_HOURS", "12")
    settings = Settings()
    assert settings.retention.ledger_days == 30
    assert settings.retention.dialogue_hours == 12
    assert settings.retention.draft_days == defaults.draft_days


def test_every_retention_setting_is_in_the_env_example() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in Settings.model_fields["retention"].annotation.model_fields:  # type: ignore[union-attr]
        assert f"RETENTION__{name.upper()}=" in example, name


def test_dotenv_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _clear_env(monkeypatch, tmp_path)
    (tmp_path / ".env").write_text("TIMEZONE=Europe/Moscow\nADMIN_IDS=7\n", encoding="utf-8")
    settings = Settings()
    assert settings.timezone == "Europe/Moscow"
    assert settings.admin_ids == [7]


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("TIMEZONE", "Mars/Olympus", "TIMEZONE"),
        ("TIMEZONE", "localtime", "TIMEZONE: unknown time zone 'localtime'"),
        ("TIMEZONE", "Factory", "TIMEZONE: unknown time zone 'Factory'"),
        ("ADMIN_IDS", "alice,bob", "ADMIN_IDS"),
        ("DEFAULT_LOCALE", "fr", "DEFAULT_LOCALE"),
        ("DELIVERY__GLOBAL_PER_SEC", "-1", "DELIVERY__GLOBAL_PER_SEC"),
        ("DELIVERY", "notjson", "DELIVERY: expected a JSON object"),
        ("RETENTION__LEDGER_DAYS", "0", "RETENTION__LEDGER_DAYS: Input should be greater"),
        ("RETENTION", "notjson", "RETENTION: expected a JSON object (set single values"),
        ("REDIS_URL", "foo://bar", "REDIS_URL: unsupported scheme 'foo'"),
        ("REDIS_URL", "redis://localhost:port/0", "REDIS_URL: not a valid Redis URL"),
        ("REDIS_URL", "unix://", "REDIS_URL: a unix:// URL needs the socket path"),
        ("BOT_TOKEN", "abc", "BOT_TOKEN: expected <digits>:<secret>"),
        ("BOT_TOKEN", "12345:with space", "BOT_TOKEN: expected <digits>:<secret>"),
        ("BOT_TOKEN", "0:abc", "BOT_TOKEN: the bot id before ':' must be a positive number"),
        ("BOT_TOKEN", "000:abc", "BOT_TOKEN: the bot id before ':' must be a positive number"),
        ("BOT_TOKEN", "١٢٣:abc", "BOT_TOKEN: expected <digits>:<secret>"),
        ("TELEGRAM_API_URL", "notaurl", "TELEGRAM_API_URL: expected an http:// or https://"),
        ("TELEGRAM_API_URL", "ftp://x.kz", "TELEGRAM_API_URL: expected an http:// or https://"),
        ("DATA_DIR", "/etc/passwd", "DATA_DIR: '/etc/passwd' exists and is not a directory"),
        ("DATA_DIR", "/etc/passwd/sub", "DATA_DIR: cannot be created: '/etc/passwd'"),
        ("ADMIN_IDS", "5,-3", "ADMIN_IDS: Telegram user ids are positive numbers, found -3"),
        ("ADMIN_IDS", "0", "ADMIN_IDS: Telegram user ids are positive numbers, found 0"),
        ("RUBRICS", "Спорт,#", "RUBRICS: '#' is not a rubric name"),
    ],
)
def test_bad_value_exits_2_with_one_line(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    fragment: str,
) -> None:
    _clear_env(monkeypatch, tmp_path)
    monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as exc:
        load_settings()
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert fragment in err
    assert err.startswith("configuration error: ")


def test_the_token_is_never_echoed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _clear_env(monkeypatch, tmp_path)
    monkeypatch.setenv("BOT_TOKEN", "123:hunter2 xyzzy")
    with pytest.raises(SystemExit):
        load_settings()
    err = capsys.readouterr().err
    assert "hunter2" not in err and "xyzzy" not in err


def test_valid_urls_and_ids_are_accepted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _clear_env(monkeypatch, tmp_path)
    for url in ("redis://h:6379/0", "rediss://:pw@h:6380/1", "unix:///run/redis.sock"):
        assert Settings(redis_url=url).redis_url == url
    assert Settings(redis_url="").redis_url is None  # empty: the embedded server
    assert Settings(telegram_api_url="http://127.0.0.1:8081/").telegram_api_url == (
        "http://127.0.0.1:8081"
    )
    assert Settings(bot_token="").offline
    assert Settings(data_dir=tmp_path / "new" / "dir").data_dir == tmp_path / "new" / "dir"
    monkeypatch.setenv("LOG_LEVEL", "debug")
    assert Settings().log_level == "DEBUG"


def test_non_utf8_dotenv_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _clear_env(monkeypatch, tmp_path)
    (tmp_path / ".env").write_bytes("TIMEZONE=Europe/Moscow\n# Время\n".encode("cp1251"))
    with pytest.raises(SystemExit) as exc:
        load_settings()
    assert exc.value.code == 2
    assert capsys.readouterr().err == (
        "configuration error: .env: not valid UTF-8 (byte 0xc2 at offset 25); save it as UTF-8\n"
    )


def test_bad_value_in_a_real_process_has_no_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from bot.config import load_settings; load_settings()"],
        env={"TIMEZONE": "Nowhere/City", "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == (
        "configuration error: TIMEZONE: unknown time zone 'Nowhere/City' (e.g. Asia/Almaty)"
    )


def _vestnik() -> list[str]:
    script = ROOT / ".venv" / "bin" / "vestnik"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def _run_vestnik(
    tmp_path: Path, args: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DATA_DIR": str(tmp_path / "data")}
    return subprocess.run(
        [*_vestnik(), *args],
        env=base | env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (
            ["import", str(SAMPLE)],
            {"REDIS_URL": "foo://bar"},
            "configuration error: REDIS_URL: unsupported scheme 'foo': use redis://HOST:PORT/DB, "
            "rediss:// (TLS) or unix:///path/to/redis.sock",
        ),
        (
            ["import", str(SAMPLE)],
            {"DELIVERY": "notjson"},
            "configuration error: DELIVERY: expected a JSON object "
            "(set single values instead, e.g. DELIVERY__GLOBAL_PER_SEC=30)",
        ),
        (
            ["run"],
            {"BOT_TOKEN": "abc"},
            "configuration error: BOT_TOKEN: expected <digits>:<secret> as issued by @BotFather "
            "(the value is not shown)",
        ),
        (
            ["health"],
            {"DATA_DIR": "/etc/passwd"},
            "configuration error: DATA_DIR: '/etc/passwd' exists and is not a directory",
        ),
        (
            ["preview", str(SAMPLE)],
            {"TELEGRAM_API_URL": "notaurl"},
            "configuration error: TELEGRAM_API_URL: expected an http:// or https:// URL, "
            "found 'notaurl'",
        ),
    ],
    ids=["redis-scheme", "delivery-json", "token", "data-dir", "api-url"],
)
def test_vestnik_commands_exit_2_with_one_line(
    tmp_path: Path, args: list[str], env: dict[str, str], expected: str
) -> None:
    done = _run_vestnik(tmp_path, args, env)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [expected]
    assert done.stdout == ""


def test_dotenv_that_is_not_utf8_in_a_real_process(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"RUBRICS=\xcf\xee\xeb\xe8\xf2\xe8\xea\xe0\n")  # cp1251
    done = _run_vestnik(tmp_path, ["preview", str(SAMPLE)], {})
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "configuration error: .env: not valid UTF-8 (byte 0xcf at offset 8); save it as UTF-8"
    ]


def test_unreachable_redis_is_one_operator_line(tmp_path: Path) -> None:
    done = _run_vestnik(
        tmp_path, ["import", str(SAMPLE)], {"REDIS_URL": "redis://:pw@127.0.0.1:1/0"}
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("vestnik: Redis at redis://:***@127.0.0.1:1/0 does not answer: ")
    assert "Error 111" in line
    health = _run_vestnik(tmp_path, ["health"], {"REDIS_URL": "redis://127.0.0.1:1"})
    assert health.returncode == 1
    assert health.stdout.startswith("unhealthy: Redis at redis://127.0.0.1:1 does not answer")
