"""The offline demo end to end: `vestnik run` without a token, as a newcomer starts it.

The real console script runs in its own process with the sandbox, embedded Redis and the bot;
the test reads the demo channel through the sandbox's control API, stops the process with a
signal, starts it again on the same DATA_DIR and checks the demo is kept, not seeded twice.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.demo import DEMO_CHANNEL_ID, DEMO_READER_ID
from sandbox.client import SandboxClient
from tests.harness import eventually

STARTUP_TIMEOUT = 40.0
SHUTDOWN_TIMEOUT = 20.0
_BANNER = re.compile(r"Open (http://\S+?)/ to read")
_HEADLINE = "<b>Токаев: Алматы становится международным хабом"

pytestmark = pytest.mark.timeout(150)


@dataclass
class Demo:
    """A running `vestnik run` process and the sandbox URL its banner printed."""

    process: asyncio.subprocess.Process
    base_url: str


def _command() -> list[str]:
    script = Path(sys.executable).with_name("vestnik")
    if script.exists():
        return [str(script), "run"]
    return [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", "run"]


def _environment(data_dir: Path) -> dict[str, str]:
    """The caller's environment without any Vestnik setting, plus the demo's own."""
    ours = {name.upper() for name in Settings.model_fields}
    env = {
        key: value
        for key, value in os.environ.items()
        if key.upper() not in ours and not key.upper().startswith("DELIVERY__")
    }
    env.update(
        BOT_TOKEN="",
        DATA_DIR=str(data_dir),
        SANDBOX_HOST="127.0.0.1",
        SANDBOX_PORT="0",  # a free port; the banner tells which
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    return env


async def _banner_url(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    async with asyncio.timeout(STARTUP_TIMEOUT):
        while True:
            line = await process.stdout.readline()
            if not line:
                raise AssertionError(f"`vestnik run` exited early with {await process.wait()}")
            found = _BANNER.search(line.decode("utf-8", "replace"))
            if found:
                return found.group(1)


@asynccontextmanager
async def demo(workdir: Path, log: Path) -> AsyncIterator[Demo]:
    """Start the demo in `workdir` (no .env there) and wait for its banner."""
    with log.open("ab") as errors:
        process = await asyncio.create_subprocess_exec(
            *_command(),
            cwd=workdir,
            env=_environment(workdir / "data"),
            stdout=asyncio.subprocess.PIPE,
            stderr=errors,
        )
    try:
        yield Demo(process, await _banner_url(process))
    finally:
        if process.returncode is None:
            with suppress(ProcessLookupError):
                process.kill()
            await process.wait()


async def _stop(running: Demo, sig: signal.Signals) -> int:
    """Send `sig` and wait, bounded, for the process to exit; its exit code."""
    running.process.send_signal(sig)
    assert running.process.stdout is not None
    async with asyncio.timeout(SHUTDOWN_TIMEOUT):
        await running.process.stdout.read()  # drain, so the child never blocks on the pipe
        return await running.process.wait()


def _sample_posts(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m for m in messages if _HEADLINE in (m.get("html") or "") and not m["deleted"]]


async def _chat_with_bot(client: SandboxClient) -> None:
    """The reader writes /start and the bot answers: the bot is up and working."""
    sent = await client.send_user_message(DEMO_READER_ID, "/start")
    await client.wait_for_message(
        DEMO_READER_ID,
        lambda m: m["from"]["is_bot"] and m["message_id"] > sent["message_id"],
        timeout=20,
    )


async def test_vestnik_run_offline_shows_the_demo_and_keeps_it(tmp_path: Path) -> None:
    log = tmp_path / "vestnik.log"
    async with demo(tmp_path, log) as first, SandboxClient(first.base_url) as client:
        channel = await client.chat(DEMO_CHANNEL_ID)
        assert channel["title"] == "Вестник: Политика"
        assert channel["bot"]["status"] == "administrator"

        async def posted() -> list[dict[str, Any]]:
            return _sample_posts(await client.messages(DEMO_CHANNEL_ID))

        post = (await eventually(posted, timeout=30, what="the sample post in the channel"))[0]
        assert "#Политика" in post["html"]
        assert "<i>Фото: assembly.kz</i>" in post["html"]
        await _chat_with_bot(client)
        assert await _stop(first, signal.SIGINT) == 0, log.read_text()

    async with demo(tmp_path, log) as second, SandboxClient(second.base_url) as client:
        await _chat_with_bot(client)  # by now a second seeding would have posted again
        assert len(_sample_posts(await client.messages(DEMO_CHANNEL_ID))) == 1
        assert (await client.chat(DEMO_CHANNEL_ID))["bot"]["status"] == "administrator"
        assert await _stop(second, signal.SIGTERM) == 0, log.read_text()


_LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ ")


async def test_a_taken_sandbox_port_is_one_line_naming_port_and_setting(tmp_path: Path) -> None:
    taken = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = taken.sockets[0].getsockname()[1]
    env = {**_environment(tmp_path / "data"), "SANDBOX_PORT": str(port)}
    try:
        process = await asyncio.create_subprocess_exec(
            *_command(), cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        async with asyncio.timeout(STARTUP_TIMEOUT):
            out, err = await process.communicate()
    finally:
        taken.close()
        await taken.wait_closed()
    assert process.returncode == 1
    errors = err.decode()
    assert "Traceback" not in errors
    [line] = [line for line in errors.splitlines() if not _LOG_LINE.match(line)]
    assert line == (
        f"vestnik: the sandbox cannot listen on 127.0.0.1:{port}: port {port} is taken by "
        "another program; set SANDBOX_PORT to a free port in .env (e.g. SANDBOX_PORT=8082), "
        "or stop that program"
    )
    assert b"Vestnik is running" not in out
