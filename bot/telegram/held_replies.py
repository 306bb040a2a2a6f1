"""Replies flood control held back past the update's budget: queued in the outbox instead.

What each kind of call becomes (the outbox sends a text, or a photo by file id or URL):
- a text message, a photo by file id or URL: queued as it is, buttons included;
- a venue: its name and address as text;
- an edited text or caption: a new message with the new text, since the user pressed a
  button to see it (an old message edited minutes later would go unnoticed);
- a file built for the user (a certificate, a calendar, a CSV, a chart): not kept in the
  outbox; a short message asks the user to ask for it again;
- an edit of the buttons alone, a chat action: dropped, nothing is lost;
- anything else: not held (the caller sees Telegram's refusal).

Queued replies go at the top priority; once one is queued for a chat, that chat's later
replies in this process are queued behind it until the outbox has sent them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.methods import (
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    SendChatAction,
    SendDocument,
    SendMessage,
    SendPhoto,
    SendVenue,
    TelegramMethod,
)
from aiogram.types import Chat, Message
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.notices import replies
from bot.notices.registry import Notice
from bot.outbox import queue as outbox

log = logging.getLogger(__name__)
# How late the time of a reply may reach the database: one write for many updates' replies.
FLUSH_EVERY = 0.2


class OutboxHolder:
    """Queues held-back replies in the outbox and notes when each chat was answered."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        flush_every: float = FLUSH_EVERY,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._held: set[int] = set()  # chats with replies in the outbox, as far as we know
        self._flush_every = flush_every
        self._answered: dict[int, datetime] = {}  # noted, not yet written
        self._flushing: asyncio.Task[None] | None = None  # set only while it sleeps
        self._writing = asyncio.Lock()

    def holds(self, chat_id: int) -> bool:
        return chat_id in self._held

    async def still_holds(self, chat_id: int) -> bool:
        """Asks the outbox, and forgets the chat once its held replies are all sent."""
        async with self._sessions() as session:
            waiting = await outbox.has_unsent(session, chat_id, replies.KIND)
        if not waiting:
            self._held.discard(chat_id)
        return waiting

    async def hold(self, bot: Bot, method: TelegramMethod[Any], chat_id: int) -> Any:
        """Queues the reply and returns what the call returns; None when it cannot be held."""
        queued = _as_delivery(bot, method)
        if queued is None:
            if isinstance(method, EditMessageReplyMarkup | SendChatAction):
                return True
            return None
        notice, params = queued
        async with self._sessions() as session:
            await notice.queue(
                session,
                notice.key(),
                recipient_id=chat_id,
                params=params,
                now=self._clock.now(),
            )
            await session.commit()
        self._held.add(chat_id)
        return _stand_in(bot, method, chat_id)

    async def answered(self, chat_ids: set[int]) -> None:
        """Notes that the bot has just answered in these chats, written within FLUSH_EVERY."""
        # Real time, not the programme's clock: flood control counts real seconds.
        at = datetime.now(UTC)
        for chat in chat_ids:
            self._answered[chat] = at
        if self._flushing is None:
            self._flushing = asyncio.create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        await asyncio.sleep(self._flush_every)
        self._flushing = None
        await self.flush()

    async def close(self) -> None:
        """When the bot stops: what is noted is written now, and no write runs on after it."""
        if self._flushing is not None:
            # Cancelled while it sleeps only: a write cut off would leave its connection behind.
            self._flushing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flushing
            self._flushing = None
        await self.flush()  # waits for a write under way, then writes the rest

    async def flush(self) -> None:
        """Writes the replies noted so far in one statement."""
        async with self._writing:
            batch, self._answered = self._answered, {}
            if not batch:
                return
            try:
                async with self._sessions() as session:
                    # The latest time for all: a chat may wait a little longer, never less.
                    await outbox.record_replies(session, sorted(batch), at=max(batch.values()))
            except (SQLAlchemyError, OSError) as error:
                log.warning("could not note the replies to %d chat(s): %s", len(batch), error)


def _as_delivery(bot: Bot, method: TelegramMethod[Any]) -> tuple[Notice, dict[str, Any]] | None:
    if isinstance(method, SendDocument):
        return replies.FILE_LATER, {}
    if isinstance(method, SendPhoto):
        if not isinstance(method.photo, str):
            return replies.FILE_LATER, {}
        text = _html(bot, method.caption or "", method.parse_mode)
        return replies.DEFERRED, _params(bot, text, method.reply_markup, photo=method.photo)
    if isinstance(method, SendMessage | EditMessageText):
        text = _html(bot, method.text or "", method.parse_mode)
        return replies.DEFERRED, _params(bot, text, method.reply_markup)
    if isinstance(method, EditMessageCaption):
        text = _html(bot, method.caption or "", method.parse_mode)
        return replies.DEFERRED, _params(bot, text, method.reply_markup)
    if isinstance(method, SendVenue):
        text = f"<b>{html.escape(method.title)}</b>\n{html.escape(method.address)}"
        return replies.DEFERRED, _params(bot, text, method.reply_markup)
    return None


def _html(bot: Bot, text: str, parse_mode: Any) -> str:
    """The text as Telegram HTML, which is what the outbox sends."""
    mode = bot.session.prepare_value(parse_mode, bot=bot, files={})
    return text if mode == "HTML" else html.escape(text)


def _params(bot: Bot, text: str, markup: Any, photo: str | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {"text": text}
    if markup is not None:
        params["reply_markup"] = bot.session.prepare_value(
            markup, bot=bot, files={}, _dumps_json=False
        )
    if photo is not None:
        params["photo"] = photo
    return params


def _stand_in(bot: Bot, method: TelegramMethod[Any], chat_id: int) -> Any:
    """What the handler gets back for a queued reply: a message not yet sent (id 0)."""
    if method.__returning__ is bool or isinstance(method, EditMessageReplyMarkup):
        return True
    chat = Chat(id=chat_id, type="private")
    return Message(message_id=0, date=datetime.now(UTC), chat=chat).as_(bot)
