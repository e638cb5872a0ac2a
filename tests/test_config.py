"""Configuration: defaults, parsing, and one clear line with exit code 2 on bad values."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings, load_settings


def _clear_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout
    for name in ("BOT_TOKEN", "REDIS_URL", "TIMEZONE", "ADMIN_IDS", "DEFAULT_LOCALE", "RUBRICS"):
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
        ("ADMIN_IDS", "alice,bob", "ADMIN_IDS"),
        ("DEFAULT_LOCALE", "fr", "DEFAULT_LOCALE"),
        ("DELIVERY__GLOBAL_PER_SEC", "-1", "DELIVERY__GLOBAL_PER_SEC"),
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
