"""How many sendMessage calls per second the sandbox answers (limits off).

The sandbox runs in its own process (``sandbox.testing.sandbox_process``) so it does not share
a CPU-bound loop with the load generator; the bench process drives it with many concurrent
keep-alive aiohttp requests. Run: ``python -m bench.sandbox_bench``.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import aiohttp

from sandbox.testing import sandbox_process

TOKEN = "700000:BENCH"
TEXT = (
    "<b>Токаев открыл логистический хаб в Алматы</b>\n"
    '<i>Фото: пресс-служба Акорды</i> — <a href="https://example.org/a">подробнее</a>'
)


async def _setup(session: aiohttp.ClientSession, base_url: str) -> int:
    async with session.post(f"{base_url}/sandbox/bots", json={"token": TOKEN}) as resp:
        resp.raise_for_status()
    body = {"type": "channel", "title": "Бенчмарк", "bot_status": "administrator"}
    async with session.post(f"{base_url}/sandbox/chats", json=body) as resp:
        resp.raise_for_status()
        chat: dict[str, Any] = await resp.json()
    return int(chat["id"])


async def _worker(
    session: aiohttp.ClientSession,
    url: str,
    payload: dict[str, Any],
    count: int,
    latencies: list[float],
    form: bool,
) -> None:
    body = {"data": {k: str(v) for k, v in payload.items()}} if form else {"json": payload}
    for _ in range(count):
        started = time.perf_counter()
        async with session.post(url, **body) as resp:
            await resp.read()
            if resp.status != 200:
                raise RuntimeError(f"sendMessage answered {resp.status}")
        latencies.append(time.perf_counter() - started)


async def _server_cpu(session: aiohttp.ClientSession, url: str) -> float:
    stats_url = url.split("/bot", 1)[0] + "/sandbox/stats"
    async with session.get(stats_url) as resp:
        stats: dict[str, Any] = await resp.json()
    return float(stats["process_cpu_seconds"])


async def _measure(
    session: aiohttp.ClientSession,
    url: str,
    payload: dict[str, Any],
    total: int,
    concurrency: int,
    form: bool,
) -> dict[str, float]:
    """Warm up, then ``total`` calls from ``concurrency`` workers; calls/s and latency."""
    warmup: list[float] = []
    await asyncio.gather(
        *(_worker(session, url, payload, 10, warmup, form) for _ in range(concurrency))
    )
    latencies: list[float] = []
    per_worker = max(1, total // concurrency)
    cpu_before = await _server_cpu(session, url)
    started = time.perf_counter()
    await asyncio.gather(
        *(_worker(session, url, payload, per_worker, latencies, form) for _ in range(concurrency))
    )
    elapsed = time.perf_counter() - started
    cpu = await _server_cpu(session, url) - cpu_before
    latencies.sort()
    kind = "form" if form else "json"
    return {
        # CPU the sandbox process spent per call: stable even when other work shares the cores.
        f"sendmessage_{kind}_server_cpu_us_per_call": round(cpu / len(latencies) * 1e6, 1),
        f"sendmessage_{kind}_calls_per_server_cpu_sec": round(len(latencies) / cpu, 1),
        f"sendmessage_{kind}_calls_per_sec": round(len(latencies) / elapsed, 1),
        f"sendmessage_{kind}_latency_p50_ms": round(statistics.median(latencies) * 1000, 2),
        f"sendmessage_{kind}_latency_p99_ms": round(
            latencies[int(len(latencies) * 0.99) - 1] * 1000, 2
        ),
    }


async def _drive(base_url: str, total: int, concurrency: int) -> dict[str, float]:
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        chat_id = await _setup(session, base_url)
        url = f"{base_url}/bot{TOKEN}/sendMessage"
        payload = {"chat_id": chat_id, "text": TEXT, "parse_mode": "HTML"}
        results: dict[str, float] = {"requests": float(total), "concurrency": float(concurrency)}
        results.update(await _measure(session, url, payload, total, concurrency, form=False))
        # aiogram sends urlencoded/multipart forms: measure that path too.
        results.update(await _measure(session, url, payload, total, concurrency, form=True))
    return results


def run(total: int = 20_000, concurrency: int = 64, uvloop: bool = True) -> dict[str, float]:
    """Start a sandbox process, fire ``total`` sendMessage calls (JSON, then form bodies),
    report calls/s and latency percentiles."""
    with sandbox_process(limits=False, uvloop=uvloop) as base_url:
        return asyncio.run(_drive(base_url, total, concurrency))


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
