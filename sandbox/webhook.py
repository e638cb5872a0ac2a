"""Webhook delivery: POST each pending update to the bot's URL, in order, retrying on failure."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus

import aiohttp

from sandbox import jsonutil
from sandbox.bots import BotState, Webhook
from sandbox.config import SandboxConfig
from sandbox.models import JsonDict
from sandbox.stats import Stats

log = logging.getLogger(__name__)

ReplyHandler = Callable[[BotState, JsonDict], Awaitable[None]]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookManager:
    """One sender task per bot with a webhook, sharing one HTTP client session."""

    def __init__(self, config: SandboxConfig, stats: Stats) -> None:
        self.config = config
        self.stats = stats
        self.on_reply: ReplyHandler | None = None
        self._session: aiohttp.ClientSession | None = None
        self._tasks: dict[int, asyncio.Task[None]] = {}

    def start(self, bot: BotState) -> None:
        """(Re)start delivering ``bot``'s updates to its webhook."""
        self.stop(bot)
        self._tasks[bot.id] = asyncio.get_running_loop().create_task(self._run(bot))

    def stop(self, bot: BotState) -> None:
        """Stop delivering (the webhook was deleted or replaced)."""
        task = self._tasks.pop(bot.id, None)
        if task is not None:
            task.cancel()
        bot.wake()

    async def close(self) -> None:
        """Cancel every sender and close the HTTP session (app shutdown)."""
        tasks = list(self._tasks.values())
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            timeout = aiohttp.ClientTimeout(total=self.config.webhook_timeout)
            self._session = aiohttp.ClientSession(timeout=timeout)
        return self._session

    async def _run(self, bot: BotState) -> None:
        while True:
            update = await bot.next_update()
            hook = bot.webhook
            if hook is None:
                return
            if await self._deliver(bot, hook, update):
                if bot.updates and bot.updates[0] is update:
                    bot.updates.popleft()
            else:
                await asyncio.sleep(self.config.webhook_retry_delay)

    async def _deliver(self, bot: BotState, hook: Webhook, update: JsonDict) -> bool:
        headers = {"Content-Type": "application/json"}
        if hook.secret_token:
            headers[SECRET_HEADER] = hook.secret_token
        try:
            async with self._client().post(
                hook.url, data=jsonutil.dumps(update).encode(), headers=headers
            ) as response:
                body = await response.read()
                if HTTPStatus.OK <= response.status < HTTPStatus.MULTIPLE_CHOICES:
                    self.stats.webhook_deliveries += 1
                    await self._reply(bot, body)
                    return True
                error = f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            error = "Connection refused" if isinstance(exc, OSError) else type(exc).__name__
        self.stats.webhook_failures += 1
        hook.last_error_date = int(self.config.wall_clock())
        hook.last_error_message = error
        return False

    async def _reply(self, bot: BotState, body: bytes) -> None:
        """Run a Bot API call the webhook answered with (``{"method": ..., ...}``)."""
        if not body.strip() or self.on_reply is None:
            return
        try:
            call = jsonutil.loads(body)
        except ValueError:
            return
        if isinstance(call, dict) and isinstance(call.get("method"), str):
            await self.on_reply(bot, call)
