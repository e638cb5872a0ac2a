"""`vestnik import`, `preview` and `typograph`, in-process and as a real subprocess."""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis as sync_redis

from bot.article_format import parse_article
from bot.cli import main
from bot.cli.articles import running_embedded_url
from bot.redis_server import RedisServerProcess
from storage.keys import Keys

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "politika-tokayev-almaty-hub.txt"
KEYS = Keys("vestnik")


@pytest.fixture
def store(redis_server: RedisServerProcess) -> Iterator[sync_redis.Redis]:
    """A synchronous view of the test Redis (the CLI runs its own event loop), flushed."""
    client = sync_redis.Redis.from_url(redis_server.url, decode_responses=True)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def cli_env(
    monkeypatch: pytest.MonkeyPatch, redis_server: RedisServerProcess, tmp_path: Path
) -> dict[str, str]:
    """Environment of a CLI run against the test Redis (also returned for subprocesses)."""
    env = {
        "REDIS_URL": redis_server.url,
        "REDIS_PREFIX": "vestnik",
        "DATA_DIR": str(tmp_path / "data"),
        "LOG_LEVEL": "WARNING",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return env


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def edited_sample(find: str, replace: str) -> str:
    return SAMPLE.read_text(encoding="utf-8").replace(find, replace)


def test_import_prints_ids_duplicates_and_errors(
    cli_env: dict[str, str],
    store: sync_redis.Redis,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = write(tmp_path, "bad.txt", "Политика\n\nФото: assembly.kz\nЛид.\n")
    other = write(tmp_path, "other.txt", edited_sample("тысячи граждан", "сотни граждан"))
    crlf = write(tmp_path, "crlf.txt", SAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n"))
    code = main(["import", str(SAMPLE), str(bad), str(other), str(crlf), str(tmp_path / "no.txt")])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines() == [f"{SAMPLE}: 1", f"{other}: 2", f"{crlf}: duplicate of 1"]
    assert f"{bad}:3: expected the headline, found a photo credit" in err.splitlines()
    assert f"{tmp_path / 'no.txt'}: cannot read: No such file or directory" in err.splitlines()
    stored = json.loads(store.get(KEYS.article("1")) or "{}")
    assert stored["headline"] == parse_article(SAMPLE.read_bytes()).headline
    assert store.zcard(KEYS.articles_by_rubric("politika")) == 2
    assert store.hexists(KEYS.rubrics(), "ekonomika")  # RUBRICS defaults seeded on first use


def test_import_reports_updates_of_the_same_source(
    cli_env: dict[str, str],
    store: sync_redis.Redis,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    front = "---\nsource: https://example.kz/news/1\n---\n"
    first = write(tmp_path, "v1.txt", front + SAMPLE.read_text(encoding="utf-8"))
    second = write(tmp_path, "v2.txt", front + edited_sample("Ранее сообщалось", "Как известно"))
    assert main(["import", str(first)]) == 0
    assert main(["import", str(second)]) == 0
    assert capsys.readouterr().out.splitlines() == [f"{first}: 1", f"{second}: updated 1"]
    assert "Как известно" in (store.get(KEYS.article("1")) or "")
    assert store.zcard(KEYS.articles_all()) == 1


def test_all_good_files_exit_zero(
    cli_env: dict[str, str], store: sync_redis.Redis, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [DATA / "ekonomika-front-matter.txt", DATA / "v-mire-crlf-no-credit.txt"]
    assert main(["import", *map(str, files)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [f"{files[0]}: tenge-rate-1125", f"{files[1]}: 1"]
    assert store.zcard(KEYS.articles_by_rubric("v-mire")) == 1


def test_import_reuses_a_running_embedded_redis(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without REDIS_URL, a `make run` already serving DATA_DIR is used, not a second server."""
    data_dir = tmp_path / "data"
    server = RedisServerProcess(data_dir / "redis", persistent=True)
    server.start()
    try:
        assert running_embedded_url(data_dir / "redis") == server.url
        monkeypatch.delenv("REDIS_URL", raising=False)
        monkeypatch.delenv("BOT_TOKEN", raising=False)
        monkeypatch.setenv("DATA_DIR", str(data_dir))
        monkeypatch.chdir(tmp_path)
        assert main(["import", str(SAMPLE)]) == 0
        assert capsys.readouterr().out == f"{SAMPLE}: 1\n"
        client = sync_redis.Redis(port=server.port, decode_responses=True)
        try:
            assert client.exists(KEYS.article("1"))
        finally:
            client.close()
    finally:
        server.stop()
    assert running_embedded_url(data_dir / "redis") is None


def test_running_embedded_url_ignores_other_directories(
    redis_server: RedisServerProcess, tmp_path: Path
) -> None:
    assert running_embedded_url(tmp_path / "nothing-here") is None
    assert running_embedded_url(redis_server.directory) == redis_server.url


def test_typograph_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO('Акция "Таза Қазақстан" - это успех...\n'))
    assert main(["typograph"]) == 0
    out = capsys.readouterr().out
    assert "«Таза Қазақстан»" in out
    assert "\u00a0— " in out
    assert "…" in out and "..." not in out


def test_typograph_as_a_real_process_reads_bytes_with_a_bom(tmp_path: Path) -> None:
    """Bytes in, UTF-8 bytes out, whatever the locale; a Windows editor's BOM is dropped."""
    text = '"Таза Қазақстан" - это успех...\r\nВ 2024 г. - рекорд.\n'
    done = subprocess.run(
        [*_vestnik(), "typograph"],
        input=b"\xef\xbb\xbf" + text.encode("utf-8"),
        env={"PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": str(tmp_path)},
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout.decode("utf-8") == (
        "«Таза Қазақстан»\u00a0— это успех…\r\nВ\u00a02024\u00a0г.\u00a0— рекорд.\n"
    )


def test_typograph_refuses_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    done = subprocess.run(
        [*_vestnik(), "typograph"],
        input="Строка\nПривет".encode("cp1251"),
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.decode() == "<stdin>:1: the input is not valid UTF-8\n"


PREVIEW_HTML = (
    "<b>Токаев: Алматы становится международным хабом сотрудничества при\u00a0поддержке ООН</b>"
    "\n\n"
    "Во\u00a0время обращения к\u00a0участникам специальной сессии Генеральной Ассамблеи ООН, "
    "посвященной открытию Международного года добровольцев в\u00a0целях устойчивого развития, "
    "президент РК\u00a0Касым-Жомарт Токаев заявил, что в\u00a0Казахстане волонтерство стало "
    "неотъемлемой частью общественной жизни."
    "\n\n"
    "<i>Фото: assembly.kz</i>"
    "\n\n"
    "#Политика"
)


@pytest.fixture
def no_redis_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No REDIS_URL and no running embedded Redis: preview must work from the file alone."""
    for name in ("REDIS_URL", "BOT_TOKEN", "RUBRICS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_preview_prints_html_and_length(
    no_redis_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["preview", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    # 388 = what Telegram counts: the text without tags, each NBSP one character.
    assert out == PREVIEW_HTML + "\n\n--- sendMessage, 388 of 4096 characters\n"
    assert len(re.sub("<[^>]+>", "", PREVIEW_HTML)) == 388
    assert not (no_redis_env / "data").exists()  # no embedded Redis was started


def test_preview_shows_the_hashtag_that_will_be_sent(
    no_redis_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shouting = write(no_redis_env, "caps.txt", edited_sample("Политика\n", "ПОЛИТИКА\n"))
    assert main(["preview", "--json", str(shouting)]) == 0
    post = json.loads(capsys.readouterr().out)
    assert post["text"].startswith("<b>") and post["text"].endswith("\n\n#Политика")


def test_preview_reads_rubrics_registered_by_imports(
    cli_env: dict[str, str],
    store: sync_redis.Redis,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A rubric an earlier import registered decides the hashtag, as on import."""
    first = write(tmp_path, "nauka.txt", "Наука и техника\n\nЗаголовок\n\nЛид.\n")
    assert main(["import", str(first)]) == 0
    later = write(tmp_path, "NAUKA.txt", "НАУКА И ТЕХНИКА\n\nДругой заголовок\n\nЛид.\n")
    capsys.readouterr()
    assert main(["preview", "--json", str(later)]) == 0
    assert json.loads(capsys.readouterr().out)["text"].endswith("\n\n#НаукаИТехника")
    assert main(["import", str(later)]) == 0
    stored = json.loads(store.get(KEYS.article("2")) or "{}")
    assert stored["rubric"] == "Наука и техника"


def test_preview_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", "--json", str(DATA / "ekonomika-front-matter.txt")]) == 0
    post = json.loads(capsys.readouterr().out)
    assert set(post) == {"method", "text", "parse_mode", "photo", "length"}
    assert (post["method"], post["parse_mode"]) == ("sendPhoto", "HTML")
    assert post["photo"] == "https://example.kz/img/1.jpg"
    assert "&amp; пообещал &lt;пересмотр&gt;" in post["text"]
    assert 0 < post["length"] <= 1024


def test_preview_of_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path, "only-rubric.txt", "Политика\n")
    assert main(["preview", str(bad)]) == 1
    assert capsys.readouterr().err.startswith(f"{bad}:1: only the rubric")


def _vestnik() -> list[str]:
    script = ROOT / ".venv" / "bin" / "vestnik"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def test_real_subprocess_import(
    cli_env: dict[str, str], store: sync_redis.Redis, tmp_path: Path
) -> None:
    env = {**os.environ, **cli_env}
    bad = write(tmp_path, "empty.txt", "")
    done = subprocess.run(
        [*_vestnik(), "import", str(SAMPLE), str(bad)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout == f"{SAMPLE}: 1\n"
    assert f"{bad}: the file holds no article text" in done.stderr
    assert store.exists(KEYS.article("1"))


async def test_import_from_another_process_reaches_the_channel(
    redis_server: RedisServerProcess,
    store: sync_redis.Redis,  # flushed
    sandbox: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """End to end: a running bot, `vestnik import` beside it, the post lands in the channel.

    The CLI builds every feature, so the publishing routing listener queues the article for
    the channel; the running bot's scheduler then publishes it at the next slot.
    """
    from bot.clock import VirtualClock
    from tests.harness import running_app
    from tests.publishing.conftest import local
    from tests.publishing.test_e2e import register_channel

    for name, value in {"REDIS_URL": redis_server.url, "DATA_DIR": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    clock = VirtualClock(local("08:00"))
    async with running_app(redis_server.url, sandbox, clock=clock) as app:
        admin = await app.client.create_private_chat("Редактор")
        chat_id = await register_channel(app, "Вестник: Политика", admin["id"])
        code = await asyncio.to_thread(main, ["import", str(SAMPLE)])  # its own event loop
        assert code == 0
        queued = await app.services["publisher"].list_queue(chat_id)
        assert [p.article_id for p in queued] == ["1"]
        await clock.set(local("09:00"))
        await app.services["publisher"].tick()
        post = await app.wait_for_text(chat_id, "Токаев: Алматы становится")
        text = post.get("text") or post.get("caption") or ""
        assert "#Политика" in text and "Фото: assembly.kz" in text


def test_import_when_redis_goes_away_midway(tmp_path: Path) -> None:
    """One clear line per file that could not be stored, no traceback, exit 1.

    The second file is a FIFO: the CLI blocks reading it until the test has stopped Redis.
    """
    server = RedisServerProcess(tmp_path / "redis", persistent=False)
    server.start()
    fifo = tmp_path / "second.txt"
    os.mkfifo(fifo)
    third = write(tmp_path, "third.txt", "Спорт\n\nЗаголовок\n\nЛид.\n")
    env = {"PATH": "/usr/bin:/bin", "REDIS_URL": server.url, "DATA_DIR": str(tmp_path / "d")}
    proc = subprocess.Popen(
        [*_vestnik(), "import", str(SAMPLE), str(fifo), str(third)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == f"{SAMPLE}: 1\n"
        server.stop()
        fifo.write_text("Экономика\n\nЗаголовок\n\nЛид.\n", encoding="utf-8")
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        server.stop()
    assert proc.returncode == 1
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert [line.split(": Redis failed: ")[0] for line in lines] == [
        f"{fifo}: not imported",
        f"{third}: not imported",
    ]


def _add_channel(url: str, chat_id: int) -> None:
    """An active channel (routing every rubric), as the running bot registers one."""
    from redis.asyncio import Redis as AsyncRedis

    from storage.channels import ChannelRepo
    from storage.models.channel import Channel

    async def add() -> None:
        client = AsyncRedis.from_url(url, decode_responses=True)
        try:
            await ChannelRepo(client, KEYS).save(Channel(id=chat_id, title="Лента"))
        finally:
            await client.aclose()

    asyncio.run(add())


def test_import_with_a_channel_and_a_time_queues_it_and_keeps_it_from_readers(
    cli_env: dict[str, str],
    store: sync_redis.Redis,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _add_channel(cli_env["REDIS_URL"], -1001)
    timed = ["--channel", "-1001", "--at", "2099-11-25T14:30"]
    assert main(["import", str(SAMPLE), *timed]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{SAMPLE}: 1",
        f"{SAMPLE}: post 1 -> -1001 [at, scheduled] (not public until it is out)",
    ]
    assert json.loads(store.get(KEYS.article("1")) or "{}")["state"] == "embargoed"
    assert store.zcard(KEYS.articles_all()) == 0  # no reader list holds it
    assert store.zscore(KEYS.articles_embargoed(), "1") == float("inf")
    slot = write(tmp_path, "slot.txt", edited_sample("тысячи граждан", "сотни граждан"))
    assert main(["import", str(slot), "--channel", "-1001", "--next-slot"]) == 0
    assert "[next_slot, queued] (not public until it is out)" in capsys.readouterr().out
    plain = DATA / "ekonomika-front-matter.txt"
    assert main(["import", str(plain)]) == 0  # no plan: public at once, as before
    assert store.zrange(KEYS.articles_all(), 0, -1) == ["tenge-rate-1125"]


def test_import_plans_that_cannot_work_store_nothing(
    cli_env: dict[str, str], store: sync_redis.Redis, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_channel(cli_env["REDIS_URL"], -1001)
    assert main(["import", str(SAMPLE), "--at", "2099-11-25T14:30"]) == 1
    assert capsys.readouterr().err == "error: --at and --next-slot need --channel ID\n"
    assert main(["import", str(SAMPLE), "--channel", "-1001", "--at", "2001-01-01T10:00"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{SAMPLE}: not imported: 2001-01-01T10:00:00+")
    assert err.rstrip().endswith("is in the past")
    assert main(["import", str(SAMPLE), "--channel", "-1002"]) == 1
    assert capsys.readouterr().err == f"{SAMPLE}: not imported: no channel with id -1002\n"
    assert not store.exists(KEYS.article("1"))
