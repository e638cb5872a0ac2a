"""``python -m sandbox`` as its own process, the way benchmarks and the CLI run it."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

from sandbox.testing import sandbox_process


def _get(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=5) as resp:
        body: dict[str, object] = json.load(resp)
        return body


def test_sandbox_process_serves_both_apis() -> None:
    with sandbox_process(limits=True, uvloop=False) as base_url:
        assert _get(f"{base_url}/sandbox/limits")["enabled"] is True
        me = _get(f"{base_url}/bot42:SECRET/getMe")
        assert me["ok"] is True
        assert me["result"] == _get(f"{base_url}/bot42:other/getme")["result"]


def test_no_limits_flag() -> None:
    with sandbox_process(limits=False, uvloop=False) as base_url:
        assert _get(f"{base_url}/sandbox/limits")["enabled"] is False


_ROOT = Path(__file__).resolve().parents[2]
_PROBE = """
import sys
import sandbox.app
import sandbox.__main__
import sandbox.testing
app = sandbox.app.create_app()
leaked = sorted(
    name for name in sys.modules if name.split(".")[0] in ("bot", "handlers", "storage")
)
print(",".join(leaked))
"""


def test_the_sandbox_imports_nothing_of_the_bot() -> None:
    # A fresh interpreter: in this one the test suite has imported the bot already.
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == ""
