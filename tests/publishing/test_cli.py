"""`vestnik channels | queue | ledger | retract` against the test Redis, in-process and once
as a real subprocess (a second process beside the "running bot" state in Redis)."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.redis_server import RedisServerProcess
from tests.publishing.conftest import World

A, B = -1001, -1002
ROOT = Path(__file__).resolve().parents[2]


async def run_cli(*argv: str) -> int:
    """`bot.cli.main` runs its own event loop: call it from a worker thread."""
    return await asyncio.to_thread(main, list(argv))


async def test_channels_lists_status_routing_slots_and_queue(
    world: World, cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    await world.channel(A, title="Политика KZ", routing=["politika"])
    await world.channel(B, title="Всё", status="inactive", inactive_reason="removed")
    await world.publisher().queue_article(await world.article("Новость"), A)
    assert await run_cli("channels") == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    first, second = (line.split("\t") for line in lines)
    assert first[:5] == [
        str(B),
        "Всё",
        "inactive (removed)",
        "routing=all",
        "slots=09:00 12:00 15:00 18:00",
    ]
    assert first[6:8] == ["queue=0", "timed=0"]
    assert second[:3] == [str(A), "Политика KZ", "active"]
    assert second[3] == "routing=politika" and second[6] == "queue=1"


async def test_queue_by_routing_at_a_time_and_breaking(
    world: World, cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    await world.channel(A, routing=["politika"])
    await world.channel(B, routing=["ekonomika"])
    article_id = await world.article("Курс тенге", rubric="Экономика")
    assert await run_cli("queue", article_id) == 0
    out = capsys.readouterr().out
    assert f"article {article_id} -> {B} [next_slot, queued]" in out
    assert str(A) not in out
    [post] = await world.publisher().list_queue(B)
    assert post.article_id == article_id

    other = await world.article("Выборы")
    assert await run_cli("queue", other, "--channel", str(A), "--at", "2099-01-01T09:30") == 0
    assert "[at, scheduled] at 2099-01-01 09:30:00 +0500" in capsys.readouterr().out

    urgent = await world.article("Молния")
    assert await run_cli("queue", urgent, "--channel", str(A), "--breaking") == 0
    assert "[breaking, dispatched]" in capsys.readouterr().out
    job = await world.outbox.get(f"post-{(await world.queue.links(urgent))[A]}")
    assert job is not None and job.pin and not job.silent
    assert job.post is not None and job.post.text.startswith("⚡️ Срочно: <b>Молния</b>")


async def test_queue_breaking_pins_where_the_channel_pins_breaking_news_as_the_desk_does(
    world: World, cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    await world.channel(A, routing=["politika"], pin_breaking=True)
    await world.channel(B, routing=["politika"], pin_breaking=False)
    urgent = await world.article("Молния")
    assert await run_cli("queue", urgent, "--breaking") == 0
    assert capsys.readouterr().out.count("[breaking, dispatched]") == 2
    links = await world.queue.links(urgent)
    pinned = {chat: (await world.outbox.get(f"post-{links[chat]}")) for chat in (A, B)}
    assert {chat: job.pin for chat, job in pinned.items() if job is not None} == {
        A: True,
        B: False,
    }


async def test_unknown_ids_print_a_clear_error_and_exit_1(
    world: World, cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    await world.channel(A)
    assert await run_cli("queue", "404") == 1
    assert "error: no article with id '404'" in capsys.readouterr().err
    article_id = await world.article("Есть")
    assert await run_cli("queue", article_id, "--channel", "-42") == 1
    assert "error: no channel with id -42" in capsys.readouterr().err
    assert await run_cli("ledger", "404") == 1
    assert "error: no article with id '404'" in capsys.readouterr().err
    assert await run_cli("retract", "404") == 1
    assert "error: no article with id '404'" in capsys.readouterr().err
    assert await run_cli("queue", article_id, "--at", "завтра") == 1
    assert "not an ISO time" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["queue", "ledger", "retract"])
async def test_a_file_path_instead_of_an_id_is_one_line_and_exit_1(
    world: World,
    cli_env: None,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    command: str,
) -> None:
    path = tmp_path / "Статьи за среду" / "новость 1.txt"
    path.parent.mkdir()
    path.write_text("Политика\n\nЗаголовок\n\nЛид.\n", encoding="utf-8")
    for value in (str(path), "C:\\news\\a.txt", "{x}"):
        assert await run_cli(command, value) == 1
        [line] = capsys.readouterr().err.splitlines()
        assert line.startswith(f"error: {value!r} is not an article id")
    assert await run_cli(command, str(path)) == 1
    assert f"to import this file run: vestnik import {path}" in capsys.readouterr().err


async def test_ledger_and_retract_in_a_separate_process(
    world: World, cli_env: None, redis_server: RedisServerProcess
) -> None:
    from tests.publishing.test_catchup_and_concurrency import deliver_all

    await world.channel(A, title="Главный")
    await world.channel(B, title="Второй")
    article_id = await world.article("Вышла в свет")
    publisher = world.publisher()
    await publisher.queue_article(article_id, A, "now")
    await deliver_all(world)
    await publisher.queue_article(article_id, B)

    env = {**os.environ, "REDIS_URL": redis_server.url, "REDIS_PREFIX": "vestnik"}
    vestnik = str(Path(sys.executable).with_name("vestnik"))
    ledger = await asyncio.create_subprocess_exec(
        vestnik, "ledger", article_id, env=env, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await ledger.communicate()
    assert ledger.returncode == 0, err.decode()
    text = out.decode()
    assert f"article {article_id}: Вышла в свет (Политика)" in text
    assert f"{A}\tГлавный\tpublished\t2026-11-25 07:00:00 +0500\tmessage 100" in text
    assert f"{B}\tВторой\twaiting as post" in text
    assert "queued" in text.split("events:")[1]

    assert await run_cli("retract", article_id) == 0
    # The CLI stamps its job with the real clock, not the test's virtual one.
    [delete] = await world.outbox.claim(max(world.clock.time(), time.time()) + 1, 10, "w", 30)
    assert (delete.kind, delete.chat_id, delete.message_id) == ("delete", A, 100)
    assert await world.queue.queue_length(B) == 0
