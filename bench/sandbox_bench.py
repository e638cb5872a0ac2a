"""How many sendMessage calls per second the sandbox answers (limits off). Target: >= 5,000.

The sandbox runs alone in its own process (``sandbox.testing.sandbox_process``, uvloop when
installed). The load comes from two client processes with 16 keep-alive connections each,
released together once all are connected and warmed up. Every call is a channel post in HTML
parse mode with a text and a link of its own (a counter in both), so no cache hides the
parsing. Three passes:

- ``raw_json`` and ``raw_form``: a lean load generator (asyncio streams writing ready-made
  HTTP/1.1 requests, reading each answer and checking it), with JSON bodies and with the
  urlencoded form bodies aiogram sends;
- ``aiohttp_form``: aiohttp's client, as a Python bot would call, for comparison.

This machine has two cores, shared by the sandbox and its clients, so two figures per pass:

- ``*_calls_per_sec``: wall-clock calls/s all clients got answered, server and load generator
  on the same two cores (aiohttp's client needs about as much CPU per call as the sandbox, so
  it halves what the sandbox gets);
- ``*_calls_per_server_cpu_sec``: calls per CPU-second of the sandbox process (from
  ``/sandbox/stats``), independent of what else runs: what the sandbox answers on one core.

``meets_target`` judges the sandbox's own capacity, calls per server CPU-second with form
bodies (the slower kind), as ``articles_bench`` judges CPU time on this shared machine;
``wall_clock_meets_target`` judges the lean generator's wall-clock form-body figure, which other
work on the machine (a test suite running meanwhile) can pull down.

Run: ``python -m bench sandbox`` (or ``python -m bench.sandbox_bench``).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import re
import statistics
import time
import urllib.parse
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from typing import Any

import aiohttp

from sandbox import jsonutil
from sandbox.testing import sandbox_process

TOKEN = "700000:BENCH"
TARGET_PER_SEC = 5000.0
TEXT = (
    "<b>Токаев открыл логистический хаб в Алматы №{n}</b>\n"
    '<i>Фото: пресс-служба Акорды</i> — <a href="https://example.org/a/{n}">подробнее</a>'
)
WARMUP_CALLS = 20
_CONTENT_LENGTH = re.compile(rb"(?i)\r\ncontent-length: *(\d+)")


@dataclass(frozen=True, slots=True)
class Load:
    """What one client process does."""

    base_url: str
    chat_id: int
    calls: int
    connections: int
    body: str  # "json" or "form"
    client: str  # "raw" or "aiohttp"
    first_number: int


@dataclass(frozen=True, slots=True)
class ClientResult:
    """One client process's measurements (times from the shared monotonic clock)."""

    started: float
    finished: float
    cpu_seconds: float
    latencies: list[float]


def _payload(load: Load, n: int) -> dict[str, str]:
    return {"chat_id": str(load.chat_id), "text": TEXT.format(n=n), "parse_mode": "HTML"}


def _encoded(load: Load, n: int) -> tuple[str, bytes]:
    """(Content-Type, body) of call number ``n``."""
    payload = _payload(load, n)
    if load.body == "form":
        return "application/x-www-form-urlencoded", urllib.parse.urlencode(payload).encode()
    return "application/json", jsonutil.dumps(payload).encode()


async def _raw_connection(load: Load, numbers: range, latencies: list[float]) -> None:
    """One keep-alive connection sending ready-made requests one after the other."""
    url = urllib.parse.urlsplit(load.base_url)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    start_line = f"POST /bot{TOKEN}/sendMessage HTTP/1.1\r\nHost: {url.netloc}\r\n"
    try:
        for n in numbers:
            content_type, body = _encoded(load, n)
            head = (
                f"{start_line}Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
            )
            started = time.perf_counter()
            writer.write(head.encode() + body)
            response_head = await reader.readuntil(b"\r\n\r\n")
            length = _CONTENT_LENGTH.search(response_head)
            answer = await reader.readexactly(int(length[1]) if length else 0)
            if response_head[9:12] != b"200" or b'"ok":true' not in answer:
                raise RuntimeError(f"sendMessage answered {response_head[:12]!r}: {answer[:200]!r}")
            latencies.append(time.perf_counter() - started)
    finally:
        writer.close()
        await writer.wait_closed()


async def _aiohttp_connection(
    session: aiohttp.ClientSession, load: Load, numbers: range, latencies: list[float]
) -> None:
    url = f"{load.base_url}/bot{TOKEN}/sendMessage"
    for n in numbers:
        payload = _payload(load, n)
        form, body = (payload, None) if load.body == "form" else (None, payload)
        started = time.perf_counter()
        async with session.post(url, data=form, json=body) as resp:
            await resp.read()
            if resp.status != 200:
                raise RuntimeError(f"sendMessage answered {resp.status}")
        latencies.append(time.perf_counter() - started)


async def _client(load: Load, ready: Event, go: Event) -> ClientResult:
    """Warm up every connection, wait for the start signal, then run the measured calls."""
    connector = aiohttp.TCPConnector(limit=load.connections)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def connection(numbers: range, latencies: list[float]) -> None:
            if load.client == "raw":
                await _raw_connection(load, numbers, latencies)
            else:
                await _aiohttp_connection(session, load, numbers, latencies)

        async def phase(first: int, per_connection: int, latencies: list[float]) -> None:
            await asyncio.gather(
                *(
                    connection(
                        range(first + c * per_connection, first + (c + 1) * per_connection),
                        latencies,
                    )
                    for c in range(load.connections)
                )
            )

        warmup_start = load.first_number - WARMUP_CALLS * load.connections
        await phase(warmup_start, WARMUP_CALLS, [])
        ready.set()
        await asyncio.to_thread(go.wait)
        latencies: list[float] = []
        cpu, started = time.process_time(), time.perf_counter()
        await phase(load.first_number, load.calls // load.connections, latencies)
        return ClientResult(started, time.perf_counter(), time.process_time() - cpu, latencies)


def _client_process(load: Load, ready: Event, go: Event, results: Any) -> None:
    """Entry point of a client process: drive the sandbox, send the measurements back."""
    results.put(asyncio.run(_client(load, ready, go)))


async def _setup(base_url: str) -> int:
    """A fresh world (the last pass's messages go) with one channel the bot posts in."""
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base_url}/sandbox/reset") as resp:
            resp.raise_for_status()
        async with session.post(f"{base_url}/sandbox/bots", json={"token": TOKEN}) as resp:
            resp.raise_for_status()
        body = {"type": "channel", "title": "Бенчмарк", "bot_status": "administrator"}
        async with session.post(f"{base_url}/sandbox/chats", json=body) as resp:
            resp.raise_for_status()
            chat: dict[str, Any] = await resp.json()
    return int(chat["id"])


async def _server_cpu(base_url: str) -> float:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{base_url}/sandbox/stats") as resp,
    ):
        stats: dict[str, Any] = await resp.json()
    return float(stats["process_cpu_seconds"])


def _drive(base_url: str, loads: list[Load]) -> tuple[list[ClientResult], float]:
    """Start one process per load, release them together; (results, server CPU seconds)."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    go = context.Event()
    readies = [context.Event() for _ in loads]
    processes = [
        context.Process(target=_client_process, args=(load, ready, go, results), daemon=True)
        for load, ready in zip(loads, readies, strict=True)
    ]
    for process in processes:
        process.start()
    deadline = time.monotonic() + 120
    while not all(ready.is_set() for ready in readies):
        if time.monotonic() > deadline or not all(p.is_alive() for p in processes):
            raise RuntimeError("a benchmark client did not get ready")
        time.sleep(0.05)
    cpu_before = asyncio.run(_server_cpu(base_url))
    go.set()
    collected = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join(30)
    return collected, asyncio.run(_server_cpu(base_url)) - cpu_before


def _summary(name: str, results: list[ClientResult], server_cpu: float) -> dict[str, float]:
    latencies = sorted(x for result in results for x in result.latencies)
    calls = len(latencies)
    wall = max(r.finished for r in results) - min(r.started for r in results)
    client_cpu = sum(r.cpu_seconds for r in results)
    return {
        f"{name}_calls_per_sec": round(calls / wall, 1),
        f"{name}_calls_per_server_cpu_sec": round(calls / server_cpu, 1),
        f"{name}_server_cpu_us_per_call": round(server_cpu / calls * 1e6, 1),
        f"{name}_client_cpu_us_per_call": round(client_cpu / calls * 1e6, 1),
        f"{name}_latency_p50_ms": round(statistics.median(latencies) * 1000, 2),
        f"{name}_latency_p99_ms": round(latencies[int(calls * 0.99) - 1] * 1000, 2),
    }


PASSES = (
    ("raw_json", "raw", "json"),
    ("raw_form", "raw", "form"),
    ("aiohttp_form", "aiohttp", "form"),
)


def run(
    total: int = 40_000, clients: int = 2, connections: int = 16, uvloop: bool = True
) -> dict[str, float | str]:
    """Start a sandbox process and fire ``total`` sendMessage calls per pass from ``clients``
    processes with ``connections`` keep-alive connections each; report calls/s, CPU per call
    of the sandbox and of the clients, latency percentiles, and whether the target is met."""
    report: dict[str, float | str] = {
        "calls_per_pass": float(total),
        "client_processes": float(clients),
        "connections": float(clients * connections),
    }
    with sandbox_process(limits=False, uvloop=uvloop) as base_url:
        for number, (name, client, body) in enumerate(PASSES):
            chat_id = asyncio.run(_setup(base_url))
            loads = [
                Load(base_url, chat_id, total // clients, connections, body, client, first)
                for first in (10_000_000 * (number + 1) + 1_000_000 * c for c in range(clients))
            ]
            results, server_cpu = _drive(base_url, loads)
            report.update(_summary(f"sendmessage_{name}", results, server_cpu))
    capacity = float(report["sendmessage_raw_form_calls_per_server_cpu_sec"])
    wall = float(report["sendmessage_raw_form_calls_per_sec"])
    report["target_per_sec"] = TARGET_PER_SEC
    report["meets_target"] = "yes" if capacity >= TARGET_PER_SEC else "NO"
    report["wall_clock_meets_target"] = "yes" if wall >= TARGET_PER_SEC else "NO"
    return report


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
