"""Delivery of updates to the bot's webhook, as Telegram does after setWebhook.

Updates are POSTed as JSON, one at a time and in order, with the header
``X-Telegram-Bot-Api-Secret-Token`` when a secret was set. A 2xx answer confirms the update; any
other answer or a connection error is recorded in getWebhookInfo (``last_error_date``,
``last_error_message``) and the update is retried after a short, growing delay. A bot may
answer a delivery with a method call in the response body (JSON or multipart with a ``method``
field); that call is executed like any other.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from emulator.changes import ChangeSignal
from emulator.files import UploadedFile
from emulator.updates import UpdateQueue
from emulator.wire import read_multipart

ReplyHandler = Callable[[str, dict[str, Any], dict[str, UploadedFile]], Awaitable[None]]
# A header's name, not a secret (bandit B105).
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # nosec B105
_MAX_RETRY_DELAY = 5.0

log = logging.getLogger(__name__)


class WebhookDelivery:
    """The webhook settings and the task that pushes pending updates to the URL."""

    def __init__(
        self,
        queue: UpdateQueue,
        changes: ChangeSignal,
        on_reply: ReplyHandler,
        wall_clock: Callable[[], float],
        *,
        retry_delay: float = 0.2,
    ) -> None:
        self._queue = queue
        self._changes = changes
        self._on_reply = on_reply
        self._wall_clock = wall_clock
        self._retry_delay = retry_delay
        self._task: asyncio.Task[None] | None = None
        self.url = ""
        self.secret_token: str | None = None
        self.max_connections: int | None = None
        self.ip_address: str | None = None
        self.has_custom_certificate = False
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self.delivered = 0

    @property
    def active(self) -> bool:
        return bool(self.url)

    async def configure(self, params: dict[str, Any]) -> None:
        """Apply setWebhook's parameters and (re)start delivery."""
        await self.disable()
        self.url = params["url"]
        self.secret_token = params.get("secret_token")
        self.max_connections = params.get("max_connections")
        self.ip_address = params.get("ip_address")
        self.has_custom_certificate = "certificate" in params
        self.last_error_date = self.last_error_message = None
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def disable(self) -> None:
        """Stop delivering; pending updates stay queued for getUpdates."""
        self.url = ""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def info(self) -> dict[str, Any]:
        """The WebhookInfo object of getWebhookInfo."""
        info: dict[str, Any] = {
            "url": self.url,
            "has_custom_certificate": self.has_custom_certificate,
            "pending_update_count": len(self._queue),
        }
        optional = {
            "ip_address": self.ip_address,
            "last_error_date": self.last_error_date,
            "last_error_message": self.last_error_message,
            "max_connections": self.max_connections if self.url else None,
            "allowed_updates": sorted(self._queue.allowed) if self._queue.allowed else None,
        }
        info.update({key: value for key, value in optional.items() if value is not None})
        return info

    async def _run(self) -> None:
        delay = self._retry_delay
        async with aiohttp.ClientSession() as session:
            while True:
                await self._changes.wait_for(lambda: len(self._queue) > 0, timeout=None)
                update = self._queue.peek(1)[0]
                if await self._deliver(session, update):
                    self._queue.acknowledge(update["update_id"])
                    self.delivered += 1
                    self._changes.notify()
                    delay = self._retry_delay
                else:
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, _MAX_RETRY_DELAY)

    async def _deliver(self, session: aiohttp.ClientSession, update: dict[str, Any]) -> bool:
        headers = {SECRET_HEADER: self.secret_token} if self.secret_token else {}
        try:
            async with session.post(self.url, json=update, headers=headers) as response:
                if not 200 <= response.status < 300:
                    self._failed(
                        f"Wrong response from the webhook: {response.status} {response.reason}"
                    )
                    return False
                await self._reply(response)
                return True
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            self._failed(f"Connection failed: {error}")
            return False

    async def _reply(self, response: aiohttp.ClientResponse) -> None:
        if response.content_type == "application/json":
            body = await response.json()
            files: dict[str, UploadedFile] = {}
        elif response.content_type == "multipart/form-data":
            body, files = await read_multipart(
                aiohttp.MultipartReader(response.headers, response.content)
            )
        else:
            return
        if isinstance(body, dict) and isinstance(body.get("method"), str):
            params = {key: value for key, value in body.items() if key != "method"}
            await self._on_reply(body["method"], params, files)

    def _failed(self, message: str) -> None:
        log.debug("webhook delivery to %s failed: %s", self.url, message)
        self.last_error_date = int(self._wall_clock())
        self.last_error_message = message
