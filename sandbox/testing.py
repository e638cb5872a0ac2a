"""Run the sandbox for tests and benchmarks: in the current loop, or as its own process."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from sandbox.app import create_app, state_of
from sandbox.client import SandboxClient
from sandbox.config import Clock, LimitsConfig, SandboxConfig
from sandbox.origin import warn_if_exposed
from sandbox.state import SandboxState

_ROOT = Path(__file__).resolve().parent.parent


class FakeClock:
    """A manual clock for the rate limiter: time moves only when a test calls ``advance``."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += seconds


@dataclass(slots=True)
class RunningSandbox:
    """A sandbox serving on ``base_url`` (what ``TelegramAPIServer.from_base`` takes)."""

    base_url: str
    client: SandboxClient
    app: web.Application

    @property
    def clock(self) -> Clock:
        """The rate limiter's time source (a :class:`FakeClock` when one was given)."""
        return self.state.config.clock

    @property
    def state(self) -> SandboxState:
        """Direct access to the in-memory state (in-process only)."""
        return state_of(self.app)


@contextlib.asynccontextmanager
async def running_sandbox(
    *,
    limits: bool = False,
    host: str = "127.0.0.1",
    port: int = 0,
    clock: Clock | None = None,
    config: SandboxConfig | None = None,
    bot_token: str | None = None,
    state_file: Path | None = None,
) -> AsyncIterator[RunningSandbox]:
    """Serve a fresh sandbox in the current event loop; stops cleanly on exit.

    ``limits`` switches the rate limiter on; ``clock`` replaces its time source; a
    ``bot_token`` is registered first so control calls act for that bot by default.
    ``state_file`` restores the world saved there and keeps saving it (see ``SandboxConfig``).
    """
    if config is None:
        config = SandboxConfig(limits=LimitsConfig(enabled=limits))
    if clock is not None:
        config.clock = clock
    if state_file is not None:
        config.state_file = state_file
    config.host = host
    app = create_app(config)
    runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = runner.addresses[0][1]
        warn_if_exposed(host, bound)
        client = SandboxClient(f"http://{host}:{bound}")
        try:
            if bot_token is not None:
                await client.register_bot(bot_token)
            yield RunningSandbox(client.base_url, client, app)
        finally:
            await client.close()
    finally:
        await runner.cleanup()


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def sandbox_process(
    *,
    limits: bool = False,
    host: str = "127.0.0.1",
    port: int = 0,
    uvloop: bool = True,
    startup_timeout: float = 15.0,
    state_file: Path | None = None,
) -> Iterator[str]:
    """Run ``python -m sandbox`` as a child process (its own CPU); yields its base URL.

    On exit the process is terminated (SIGTERM: a clean shutdown that saves ``state_file``).
    """
    port = port or free_port(host)
    command = [sys.executable, "-m", "sandbox", "--host", host, "--port", str(port)]
    if not limits:
        command.append("--no-limits")
    if not uvloop:
        command.append("--no-uvloop")
    if state_file is not None:
        command += ["--state", str(state_file)]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")])),
    }
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    base_url = f"http://{host}:{port}"
    try:
        _wait_until_up(base_url, process, startup_timeout)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"sandbox process exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/sandbox/limits", timeout=1):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise TimeoutError(f"sandbox did not start on {base_url} within {timeout}s")
