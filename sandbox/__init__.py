"""A local Telegram Bot API server for tests, the offline demo and benchmarks.

It speaks the Bot API over HTTP (``/bot<token>/<method>``) and offers a JSON control API
under ``/sandbox/`` to play the other side: users, chats, channels. Never imports the bot.
"""

from sandbox.app import create_app
from sandbox.config import LimitsConfig, SandboxConfig

__all__ = ["LimitsConfig", "SandboxConfig", "create_app"]
