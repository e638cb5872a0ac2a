"""``python -m sandbox`` as its own process, the way benchmarks and the CLI run it."""

from __future__ import annotations

import json
import urllib.request

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
