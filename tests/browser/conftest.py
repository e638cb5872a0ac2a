"""Fixtures of the web view's browser tests: one Chromium per module, a sandbox per test."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

from sandbox.testing import RunningSandbox, running_sandbox
from tests.browser.webview import CHROME_FLAGS, TOKEN, Page, browser_paths


@pytest.fixture(scope="module")
def chrome() -> Iterator[WebDriver]:
    """One headless Chromium for the module, with a fresh profile directory."""
    browser, driver_path = browser_paths()
    with tempfile.TemporaryDirectory(prefix="webview-chrome-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in (*CHROME_FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=Service(driver_path))
        try:
            yield driver
        finally:
            driver.quit()


@pytest.fixture
async def sandbox() -> AsyncIterator[RunningSandbox]:
    """A fresh sandbox in this test's loop, with the test bot registered."""
    async with running_sandbox(bot_token=TOKEN) as running:
        yield running


@pytest.fixture
async def bot(sandbox: RunningSandbox) -> AsyncIterator[Bot]:
    """The newsroom's bot, talking to the sandbox over real HTTP."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(sandbox.base_url))
    client = Bot(TOKEN, session=session)
    yield client
    await client.session.close()


@pytest.fixture
async def page(chrome: WebDriver, sandbox: RunningSandbox) -> AsyncIterator[Page]:
    """The web view of this test's sandbox."""
    view = Page(chrome, sandbox.base_url)
    yield view
    await view.close()
