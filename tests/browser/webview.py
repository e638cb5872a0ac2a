"""Driving the sandbox's web view in headless Chromium: the page, waits, test pictures.

The sandbox runs in the test's event loop; every Selenium call is blocking, so each one goes
through ``asyncio.to_thread`` and the loop keeps serving the browser meanwhile.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import struct
import zlib
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from aiogram import Bot
from aiogram.types import Update
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

TOKEN = "123456:web-view-secret"
WAIT_SECONDS = 10.0
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
)

T = TypeVar("T")


def gradient_png(width: int, height: int) -> bytes:
    """A real PNG picture (a colour gradient), so the browser has an image to decode."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = (
        b"\x00" + bytes(v for x in range(width) for v in (40 + x * 150 // width, 120, 90 + y // 2))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", header),
            chunk(b"IDAT", zlib.compress(b"".join(rows))),
            chunk(b"IEND", b""),
        )
    )


def browser_paths() -> tuple[str, str]:
    """Chromium and chromedriver, or skip (locally) / fail (in CI) when they are missing."""
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    message = "headless Chromium is not installed (apt-get install chromium chromium-driver)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class Page:
    """The web view in the browser; every blocking Selenium call runs in a worker thread."""

    def __init__(self, driver: WebDriver, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url

    async def open(self, chat_id: int) -> None:
        """Load the page with ``chat_id`` selected and wait until its messages are shown."""
        await asyncio.to_thread(self.driver.get, f"{self.base_url}/#chat={chat_id}")
        await self.wait(lambda d: self._js(d, "return document.title") != "", "page title")

    async def wait(self, condition: Callable[[WebDriver], T], what: str) -> T:
        """Poll ``condition`` until it is truthy; fails with ``what`` after WAIT_SECONDS."""
        waiter = WebDriverWait(self.driver, WAIT_SECONDS, poll_frequency=0.05)
        return await asyncio.to_thread(waiter.until, condition, f"timed out waiting: {what}")

    async def texts(self, selector: str) -> list[str]:
        """``textContent`` of every element matching the CSS ``selector``."""
        return await asyncio.to_thread(self._texts, self.driver, selector)

    async def wait_texts(self, selector: str, what: str) -> list[str]:
        """Like :meth:`texts`, once at least one element matches."""
        return await self.wait(lambda d: self._texts(d, selector), what)

    async def js(self, script: str, *args: Any) -> Any:
        """Run ``script`` in the page and return its JSON-able result."""
        return await asyncio.to_thread(self._js, self.driver, script, *args)

    async def click(self, selector: str) -> None:
        """Click the first element matching ``selector``."""
        element = await asyncio.to_thread(self.driver.find_element, By.CSS_SELECTOR, selector)
        await asyncio.to_thread(element.click)

    async def type(self, selector: str, text: str) -> None:
        """Type ``text`` into the field matching ``selector``."""
        element = await asyncio.to_thread(self.driver.find_element, By.CSS_SELECTOR, selector)
        await asyncio.to_thread(element.send_keys, text)

    async def close(self) -> None:
        """Leave the page so its long-poll to the sandbox ends before the sandbox stops."""
        await asyncio.to_thread(self.driver.get, "about:blank")

    @staticmethod
    def _js(driver: WebDriver, script: str, *args: Any) -> Any:
        return driver.execute_script(script, *args)

    @staticmethod
    def _texts(driver: WebDriver, selector: str) -> list[str]:
        script = "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent)"
        result: list[str] = driver.execute_script(script, selector)
        return result


def row(message_id: int) -> str:
    """CSS selector of one message's row in the feed."""
    return f'.msg-row[data-message-id="{message_id}"]'


def picked_user_chat(name: str) -> Callable[[WebDriver], str | None]:
    """A wait condition: ``#chat=…`` once ``name`` is both picked and the open chat."""
    script = (
        "const p = document.getElementById('user-picker');"
        "const picked = p.selectedOptions[0] && p.selectedOptions[0].textContent;"
        "const open = document.getElementById('chat-title').textContent;"
        "return picked === arguments[0] && open === arguments[0]"
        " ? location.hash : null;"
    )

    def condition(driver: WebDriver) -> str | None:
        found: str | None = driver.execute_script(script, name)
        return found

    return condition


async def updates_of(bot: Bot, accept: Callable[[Update], bool]) -> Update:
    """The first update ``accept`` takes, long-polling getUpdates as the bot would."""
    offset: int | None = None
    deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
    while asyncio.get_running_loop().time() < deadline:
        for update in await bot.get_updates(offset=offset, timeout=1):
            offset = update.update_id + 1
            if accept(update):
                return update
    raise AssertionError("the bot got no matching update")
