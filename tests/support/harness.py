"""The production dispatcher and a real Bot, talking to the emulator without a network.

A test makes the emulator's users act (send text, a location, press a button), then calls
`process()`, which fetches the pending updates with getUpdates and handles them exactly as
the polling loop does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot, Dispatcher
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import FixedClock
from bot.runtime.monitor import PollingMonitor
from bot.runtime.polling import Poller
from bot.settings import Settings
from emulator import BotApiEmulator


@dataclass
class BotHarness:
    emulator: BotApiEmulator
    bot: Bot
    dispatcher: Dispatcher
    sessions: async_sessionmaker[AsyncSession]
    clock: FixedClock
    settings: Settings
    _offset: int | None = field(default=None, init=False)

    async def process(self) -> None:
        """Handles every update the emulator's users have produced so far."""
        poller = Poller(self.bot, self.dispatcher, PollingMonitor(60), timeout=0)
        while updates := await self.bot.get_updates(offset=self._offset, timeout=0):
            await poller.handle_batch(updates)
            self._offset = updates[-1].update_id + 1

    async def say(self, user_id: int, text: str, **options: Any) -> list[dict[str, Any]]:
        """The user writes `text`; returns the messages the bot sent in that chat in reply."""
        before = self.emulator.bot_message_count(user_id)
        self.emulator.user_sends_text(user_id, text, **options)
        await self.process()
        return self.emulator.bot_messages(user_id, include_deleted=True)[before:]

    async def send_location(
        self, user_id: int, latitude: float, longitude: float, **options: Any
    ) -> list[dict[str, Any]]:
        before = self.emulator.bot_message_count(user_id)
        self.emulator.user_sends_location(user_id, latitude, longitude, **options)
        await self.process()
        return self.emulator.bot_messages(user_id, include_deleted=True)[before:]

    async def press(
        self, user_id: int, message: dict[str, Any], label: str
    ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """Presses the inline button labelled exactly `label` on a bot message.

        Returns the callback answer and the new messages the bot sent.
        """
        before = self.emulator.bot_message_count(user_id)
        query_id = self.emulator.user_presses_label(user_id, message["message_id"], label)
        await self.process()
        answer = self.emulator.callback_answer(query_id)
        return answer, self.emulator.bot_messages(user_id, include_deleted=True)[before:]


@dataclass
class LiveBot(BotHarness):
    """The bot polling the emulator over real HTTP on 127.0.0.1, as in production.

    `process()` waits until the bot has confirmed every update the users produced, which
    the polling loop does only after handling them.
    """

    timeout: float = 10.0

    async def process(self) -> None:
        emulator = self.emulator
        await emulator.wait_until(lambda: not emulator.pending_updates(), timeout=self.timeout)


def button_labels(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    return [button["text"] for row in rows for button in row]
