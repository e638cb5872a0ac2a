"""Keep ``SandboxConfig.state_file`` current while the sandbox runs.

At startup the file is loaded (see :mod:`sandbox.persistence`); then, every
``state_save_interval`` seconds, the world is written again if anything may have changed,
and once more at a clean shutdown. "May have changed" is cheap to tell: a Bot API call or a
non-GET control request was served, or the event feed moved on (covers in-process changes).
A snapshot identical to the last one written is not written again.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler

from sandbox.persistence import encode, load_state, snapshot, write_atomically
from sandbox.state import SandboxState

log = logging.getLogger(__name__)

Marker = tuple[int, int]


class Autosave:
    """Loads the state file at start and writes it back when the world may have changed."""

    def __init__(self, state: SandboxState, path: Path, interval: float) -> None:
        if interval <= 0:
            raise ValueError("state_save_interval must be positive")
        self.state = state
        self.path = path
        self.interval = interval
        self.saves = 0
        self._requests = 0
        self._saved_marker: Marker | None = None
        self._saved_digest: bytes | None = None
        self._task: asyncio.Task[None] | None = None

    def note_request(self) -> None:
        """A request that may have changed the world was served."""
        self._requests += 1

    def _marker(self) -> Marker:
        return (self._requests, self.state.events.last_seq)

    def load(self) -> bool:
        """Restore the saved world (an unreadable file is set aside; see ``load_state``)."""
        loaded = load_state(self.state, self.path)
        self._saved_marker = self._marker() if loaded else None
        return loaded

    def save(self, *, only_if_changed: bool = True) -> bool:
        """Write the state file now; ``True`` when it was written. Raises OSError."""
        marker = self._marker()
        if only_if_changed and marker == self._saved_marker:
            return False
        payload = encode(snapshot(self.state))
        digest = hashlib.blake2b(payload, digest_size=16).digest()
        if only_if_changed and digest == self._saved_digest:
            self._saved_marker = marker
            return False
        write_atomically(self.path, payload)
        self._saved_marker, self._saved_digest = marker, digest
        self.saves += 1
        return True

    def save_logged(self, *, only_if_changed: bool = True) -> None:
        """:meth:`save`, with a failure logged instead of raised (the sandbox keeps serving)."""
        try:
            self.save(only_if_changed=only_if_changed)
        except OSError as exc:
            log.warning("could not save the sandbox state to %s: %s", self.path, exc)

    def start(self) -> None:
        """Begin the periodic saves."""
        self._task = asyncio.create_task(self._run(), name="sandbox-autosave")

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                self.save_logged()
            except Exception:
                log.exception("sandbox state autosave failed")

    async def stop(self) -> None:
        """Stop the periodic saves and write the final state (clean shutdown)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.save_logged(only_if_changed=False)


AUTOSAVE_KEY = web.AppKey("sandbox_autosave", Autosave)


def enable(app: web.Application, state: SandboxState, path: Path, interval: float) -> Autosave:
    """Persist ``state`` in ``path`` for the lifetime of ``app`` (load on startup, save after)."""
    autosave = app[AUTOSAVE_KEY] = Autosave(state, path, interval)
    app.middlewares.append(_track_requests)
    app.on_startup.append(_startup)
    app.on_cleanup.append(_cleanup)
    return autosave


def _may_change(request: web.Request) -> bool:
    """Bot API calls and control requests other than reads may change the world."""
    path = request.path
    return path.startswith("/bot") or (request.method != "GET" and path.startswith("/sandbox/"))


@web.middleware
async def _track_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Count requests that may have changed the world (after they ran, even if they failed)."""
    try:
        return await handler(request)
    finally:
        if _may_change(request):
            request.app[AUTOSAVE_KEY].note_request()


async def _startup(app: web.Application) -> None:
    autosave = app[AUTOSAVE_KEY]
    autosave.load()
    autosave.start()


async def _cleanup(app: web.Application) -> None:
    await app[AUTOSAVE_KEY].stop()
