"""The Docker image and the compose demo, built and run by a real Docker engine.

Skipped, with the reason, where no engine answers (`docker info`) or the base images cannot
be had. Without Docker Hub, `tests/docker/offline_base_images.sh` builds stand-ins from
Debian's packages; `VESTNIK_DOCKER_PYTHON_IMAGE` and `VESTNIK_DOCKER_REDIS_IMAGE` name them.

- `docker run` of the image (no BOT_TOKEN, no REDIS_URL) serves the offline demo on its
  published port: the demo channel shows its post, `vestnik health` passes, the embedded
  Redis keeps its files to itself;
- `docker compose up` works from a fresh clone (no `.env`) and after `cp .env.example .env`
  (which used to move DATA_DIR and SANDBOX_HOST): the web view answers on the published port.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.testing import free_port

pytestmark = [pytest.mark.docker, pytest.mark.timeout(1800)]

ROOT = Path(__file__).resolve().parents[2]
PYTHON_IMAGE = os.environ.get("VESTNIK_DOCKER_PYTHON_IMAGE", "python:3.11-slim")
REDIS_IMAGE = os.environ.get("VESTNIK_DOCKER_REDIS_IMAGE", "redis:7-alpine")
DEMO_CHANNEL = -1001000000001
HEADLINE = "Токаев: Алматы становится международным хабом"
UP_TIMEOUT = 180.0


def run(*command: str, cwd: Path = ROOT, env: dict[str, str] | None = None, timeout: float = 900,
        check: bool = True) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """Run a command; on failure the assertion shows its output."""
    done = subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check:
        assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"
    return done


def engine_problem() -> str | None:
    """Why no Docker engine can be used here, or None."""
    if shutil.which("docker") is None:
        return "the docker CLI is not installed"
    try:
        info = run("docker", "info", "--format", "{{.ServerVersion}}", timeout=30, check=False)
    except subprocess.TimeoutExpired:
        return "`docker info` did not answer in 30 s"
    if info.returncode != 0:
        return f"no Docker engine answers: {(info.stderr or info.stdout).strip()[:200]}"
    return None


def have_image(name: str) -> str | None:
    """None when `name` is present or can be pulled, else why not."""
    if run("docker", "image", "inspect", name, check=False, timeout=30).returncode == 0:
        return None
    pulled = run("docker", "pull", name, check=False, timeout=300)
    if pulled.returncode == 0:
        return None
    return (
        f"cannot pull {name} ({pulled.stderr.strip()[:160]}); build local stand-ins with "
        "tests/docker/offline_base_images.sh and set VESTNIK_DOCKER_PYTHON_IMAGE and "
        "VESTNIK_DOCKER_REDIS_IMAGE"
    )


@pytest.fixture(scope="module")
def engine() -> None:
    problem = engine_problem()
    if problem is not None:
        pytest.skip(f"Docker tests need a running engine: {problem}")


@pytest.fixture(scope="module")
def image(engine: None) -> Iterator[str]:
    """The project's image, built from the working tree."""
    problem = have_image(PYTHON_IMAGE)
    if problem is not None:
        pytest.skip(problem)
    tag = f"vestnik-test:{uuid.uuid4().hex[:10]}"
    run("docker", "build", "--build-arg", f"PYTHON_IMAGE={PYTHON_IMAGE}", "-t", tag, ".")
    yield tag
    run("docker", "image", "rm", "-f", tag, check=False)


def get_json(url: str, host: str | None = None) -> Any:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def wait_for_demo_post(port: int, logs: Any) -> dict[str, Any]:
    """The demo channel's post, read through the published port, once it is there."""
    url = f"http://127.0.0.1:{port}/sandbox/chats/{DEMO_CHANNEL}/messages"
    deadline = time.monotonic() + UP_TIMEOUT
    while time.monotonic() < deadline:
        try:
            for message in get_json(url):
                if str(message.get("text") or message.get("caption") or "").startswith(HEADLINE):
                    return dict(message)
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(1)
    raise AssertionError(f"no demo post on port {port} in {UP_TIMEOUT:.0f} s:\n{logs()}")


def test_the_image_serves_the_offline_demo_on_its_published_port(image: str) -> None:
    port = free_port()
    name = f"vestnik-test-{uuid.uuid4().hex[:10]}"
    run("docker", "run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:8081", image)

    def logs() -> str:
        done = run("docker", "logs", name, check=False)
        return done.stdout + done.stderr

    try:
        post = wait_for_demo_post(port, logs)
        assert post["text"].split("\n")[0].startswith(HEADLINE)  # the headline comes first
        assert run("docker", "exec", name, "vestnik", "health", check=False).returncode == 0
        modes = run(
            "docker", "exec", name, "sh", "-c",
            "find /data/redis -mindepth 1 -exec stat -c '%a %n' {} +",
        ).stdout.split("\n")  # fmt: skip
        aof = [line for line in modes if "appendonly" in line]
        assert aof and all(line.split()[0] in ("600", "700") for line in modes if line), modes
        output = logs()
        assert "Traceback" not in output, output
        assert "Open http://localhost:8081/" in output
    finally:
        run("docker", "rm", "-f", name, check=False)


def compose_command() -> list[str]:
    """`docker compose` (v2) where the plugin is installed, else `docker-compose` (v1)."""
    if run("docker", "compose", "version", check=False, timeout=30).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.skip("neither `docker compose` nor `docker-compose` is installed")


def fresh_clone(target: Path) -> Path:
    """The working tree's project files as a fresh clone has them (no .env, no data)."""
    listed = run("git", "ls-files", "--cached", "--others", "--exclude-standard", "-z").stdout
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.mark.parametrize("dot_env", ["none", "from-example"])
def test_compose_demo_starts_and_publishes_the_web_view(
    engine: None, tmp_path: Path, dot_env: str
) -> None:
    for needed in (PYTHON_IMAGE, REDIS_IMAGE):
        problem = have_image(needed)
        if problem is not None:
            pytest.skip(problem)
    compose = compose_command()
    project = fresh_clone(tmp_path / "vestnik")
    assert not (project / ".env").exists()
    if dot_env == "from-example":
        shutil.copy(project / ".env.example", project / ".env")
    port = free_port()
    name = f"vestnik-test-{uuid.uuid4().hex[:8]}"
    env = {"PYTHON_IMAGE": PYTHON_IMAGE, "REDIS_IMAGE": REDIS_IMAGE, "SANDBOX_PORT": str(port)}
    command = [*compose, "-p", name]

    def logs() -> str:
        return run(*command, "logs", "--no-color", cwd=project, env=env, check=False).stdout

    try:
        run(*command, "up", "-d", "--build", cwd=project, env=env)
        post = wait_for_demo_post(port, logs)
        assert post["text"].split("\n")[0].startswith(HEADLINE)
        seen = run(*command, "exec", "-T", "bot", "sh", "-c",
                   'echo "$DATA_DIR $SANDBOX_HOST $REDIS_URL"', cwd=project, env=env)  # fmt: skip
        assert seen.stdout.split() == ["/data", "0.0.0.0", "redis://redis:6379/0"]
        page = urllib.request.urlopen(f"http://localhost:{port}/", timeout=5).read().decode()
        assert "Песочница Telegram" in page
        assert "Traceback" not in logs()
    finally:
        run(*command, "down", "-v", "--rmi", "local", cwd=project, env=env, check=False)
