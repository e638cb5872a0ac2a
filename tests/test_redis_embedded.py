"""The embedded Redis of DATA_DIR: one server per directory, whoever starts it, however it dies.

The owner process is a real subprocess killed with SIGKILL, so nothing is cleaned up by
Python: what remains is what a crashed bot leaves behind.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.config import Settings
from bot.redis_conn import RedisUnavailable, embedded_dir, open_redis
from bot.redis_server import embedded_owner, running_embedded_ports
from tests.harness import eventually

ROOT = Path(__file__).resolve().parent.parent

# A process that owns the embedded Redis of DATA_DIR (argv[1]), writes a key, says so on
# stdout and waits to be killed. argv[2] == "orphan": its server does not die with it
# (as on a system without PR_SET_PDEATHSIG), so a leftover server survives the kill.
OWNER = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from bot.redis_server import RedisServerProcess
    from redis.asyncio import Redis

    async def main() -> None:
        server = RedisServerProcess(
            Path(sys.argv[1]) / "redis", persistent=True, die_with_parent=sys.argv[2] != "orphan"
        )
        await server.astart()
        client = Redis.from_url(server.url, decode_responses=True)
        await client.set("kept", "до сбоя")
        await client.aclose()
        print("ready", server.pid, flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())
    """
)


def _settings(data_dir: Path) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir)


def _vestnik() -> list[str]:
    script = ROOT / ".venv" / "bin" / "vestnik"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def _pid_gone(pid: int) -> bool:
    """True when the process is gone or a zombie (dead, only waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


def _start_and_kill_owner(data_dir: Path, mode: str) -> int:
    """Run OWNER, wait until it wrote its key, SIGKILL it; return its server's pid."""
    proc = subprocess.Popen(
        [sys.executable, "-c", OWNER, str(data_dir), mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().split()
        assert line[:1] == ["ready"], line
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if proc.stdout:
            proc.stdout.close()
    return int(line[1])


async def _restart_finds_one_server_and_the_data(data_dir: Path) -> None:
    async with open_redis(_settings(data_dir), exclusive=True) as redis:
        assert await redis.get("kept") == "до сбоя"
        assert len(running_embedded_ports(embedded_dir(_settings(data_dir)))) == 1
    assert running_embedded_ports(embedded_dir(_settings(data_dir))) == []


async def test_server_dies_with_its_killed_owner(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux only")
    old = _start_and_kill_owner(tmp_path / "data", "normal")

    async def gone() -> bool:
        return _pid_gone(old)

    await eventually(gone, what="the killed owner's redis-server to exit")
    await _restart_finds_one_server_and_the_data(tmp_path / "data")


async def test_restart_after_sigkill_shuts_down_a_leftover_server(tmp_path: Path) -> None:
    old = _start_and_kill_owner(tmp_path / "data", "orphan")
    assert not _pid_gone(old)  # the leftover still runs on the same AOF
    await _restart_finds_one_server_and_the_data(tmp_path / "data")
    assert _pid_gone(old)


async def test_a_second_process_shares_the_owners_server(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "data")
    async with open_redis(settings, exclusive=True) as owner:
        await owner.set("k", "v")
        async with open_redis(settings) as guest:  # e.g. `vestnik import` beside the bot
            assert await guest.get("k") == "v"
            await guest.set("from-guest", "1")
        assert await owner.get("from-guest") == "1"  # the guest left the server running
        assert len(running_embedded_ports(embedded_dir(settings))) == 1
        with pytest.raises(RedisUnavailable, match=r"another Vestnik process .* REDIS_URL"):
            async with open_redis(settings, exclusive=True):
                pass


def _health(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DATA_DIR": str(data_dir)}
    return subprocess.run(
        [*_vestnik(), "health"],
        env=env,
        cwd=data_dir.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_health_checks_the_embedded_server(tmp_path: Path) -> None:
    """Without REDIS_URL, `vestnik health` fails unless a live bot's server answers."""
    data_dir = tmp_path / "data"
    before = await asyncio.to_thread(_health, data_dir)
    assert before.returncode == 1
    assert before.stdout.strip() == (
        f"unhealthy: no running Vestnik serves the embedded Redis in {data_dir / 'redis'}"
    )
    async with open_redis(_settings(data_dir), exclusive=True):
        assert embedded_owner(data_dir / "redis") is not None
        during = await asyncio.to_thread(_health, data_dir)
        assert (during.returncode, during.stdout, during.stderr) == (0, "", "")
    after = await asyncio.to_thread(_health, data_dir)
    assert after.returncode == 1


async def test_health_fails_when_the_owner_was_killed(tmp_path: Path) -> None:
    """A crashed bot whose server lingers is not healthy: the owner must be alive."""
    data_dir = tmp_path / "data"
    old = _start_and_kill_owner(data_dir, "orphan")
    try:
        done = await asyncio.to_thread(_health, data_dir)
        assert done.returncode == 1
        assert "unhealthy" in done.stdout
    finally:
        os.kill(old, signal.SIGTERM)
