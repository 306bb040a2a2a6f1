"""Each sender's updates handled one after another, different senders' at the same time.

Long polling and the webhook both hand every update to `InOrder.submit`: an update waits
for the one before it from the same sender (chained tasks, so the order is the order of
submission, whatever the scheduler does), then for one of a few slots, since each update
holds a database connection or two.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiogram.types import Update

Handle = Callable[[Update], Awaitable[None]]


def sender_key(update: Update) -> int:
    """Who an update comes from: its user, else its chat, else the update alone."""
    event = update.event
    user = getattr(event, "from_user", None)
    if user is not None:
        return int(user.id)
    chat = getattr(event, "chat", None)
    return int(chat.id) if chat is not None else update.update_id


class InOrder:
    def __init__(self, handle: Handle, concurrency: int) -> None:
        self._handle = handle
        self._slots = asyncio.Semaphore(concurrency)
        self._last: dict[int, asyncio.Task[None]] = {}  # each sender's newest update

    def submit(self, update: Update) -> asyncio.Task[None]:
        key = sender_key(update)
        task = asyncio.create_task(self._after(self._last.get(key), update))
        self._last[key] = task
        task.add_done_callback(lambda done: self._forget(key, done))
        return task

    async def _after(self, previous: asyncio.Task[None] | None, update: Update) -> None:
        if previous is not None:
            await asyncio.wait({previous})
        async with self._slots:
            await self._handle(update)

    def _forget(self, key: int, task: asyncio.Task[None]) -> None:
        if self._last.get(key) is task:
            del self._last[key]
