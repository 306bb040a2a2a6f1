"""The admin's progress message for each announcement, kept up to date by the scheduler.

Every few seconds the counts are read from the deliveries in SQL and the message is edited
when they changed; once nothing remains, a final report with the failures as CSV follows.
Nothing is kept between ticks that the database does not hold, so a restart resumes it.
"""

from __future__ import annotations

import logging
import time

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import BufferedInputFile
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.services.announcements import compose as announcements
from bot.settings import Settings
from handlers.broadcast.audience import label_of
from handlers.broadcast.views import progress_markup, progress_text, report_text

log = logging.getLogger(__name__)
# How often the progress message may change: often enough to follow, rarely enough to
# leave the rate to the announcement itself.
PROGRESS_EVERY = 3.0
IN_FLIGHT_SETTLE = 5.0  # seconds


class AnnouncementProgress:
    def __init__(
        self,
        bot: Bot,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        settings: Settings,
        i18n: I18n,
    ) -> None:
        self._bot = bot
        self._sessions = sessions
        self._clock = clock
        self._settings = settings
        self._i18n = i18n
        self._shown: dict[int, str] = {}  # the text each progress message shows now
        self._finished_at: dict[int, float] = {}

    async def tick(self) -> None:
        async with self._sessions() as session:
            for progress in await announcements.followed(session):
                try:
                    await self._update(session, progress)
                except TelegramAPIError as error:
                    log.warning("announcement %s: progress not shown: %s", progress.id, error)

    async def _update(self, session: AsyncSession, progress: announcements.Progress) -> None:
        assert progress.chat_id is not None and progress.message_id is not None
        locale = await announcements.locale_of(
            session, progress.chat_id, self._settings.default_locale
        )
        with self._i18n.context(), self._i18n.use_locale(locale):
            audience = await label_of(
                session, progress.audience, locale, self._settings.default_locale
            )
            text = progress_text(
                progress,
                audience,
                now=self._clock.now(),
                rate=self._settings.broadcast_rate,
                zone=self._settings.timezone,
            )
            if self._shown.get(progress.id) != text:
                await self._edit(progress, text)
            if progress.finished and self._settled(progress):
                await self._report(session, progress, audience)

    def _settled(self, progress: announcements.Progress) -> bool:
        """After a cancel, sends already on their way may still be recorded: wait for them."""
        if progress.cancelled_at is None:
            return True
        first_seen = self._finished_at.setdefault(progress.id, time.monotonic())
        return time.monotonic() - first_seen >= IN_FLIGHT_SETTLE

    async def _edit(self, progress: announcements.Progress, text: str) -> None:
        assert progress.chat_id is not None and progress.message_id is not None
        try:
            await self._bot.edit_message_text(
                text,
                chat_id=progress.chat_id,
                message_id=progress.message_id,
                reply_markup=progress_markup(progress),
            )
        except TelegramBadRequest as error:
            # After a restart the message may already show this text; a deleted one is gone.
            if "not modified" not in str(error):
                log.warning("announcement %s: progress message: %s", progress.id, error)
        self._shown[progress.id] = text

    async def _report(
        self, session: AsyncSession, progress: announcements.Progress, audience: str
    ) -> None:
        assert progress.chat_id is not None
        text = report_text(progress, audience)
        if progress.failed or progress.blocked:
            table = await announcements.failures_csv(session, progress.id)
            document = BufferedInputFile(
                table.encode("utf-8"), filename=f"announcement-{progress.id}-not-delivered.csv"
            )
            await self._bot.send_document(progress.chat_id, document, caption=text)
        else:
            await self._bot.send_message(progress.chat_id, text)
        await announcements.mark_reported(session, progress.id, self._clock.now())
        self._shown.pop(progress.id, None)
        self._finished_at.pop(progress.id, None)
