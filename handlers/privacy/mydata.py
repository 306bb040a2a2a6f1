"""/mydata: what the bot holds about the person, in words, with the whole of it as a file."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from aiogram.types import BufferedInputFile, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import babel_locale, duration_text
from bot.services.people import privacy
from bot.telegram.context import Context
from handlers.staff.views import held_sentence

CAPTION_LIMIT = 1024  # Telegram's limit for a document's caption


def file_name(today: date) -> str:
    """Named for the person who downloads it, in their language, with the day it was made."""
    return _("my-data-quartiere-{date}.json").format(date=today.isoformat())


def _day(value: date, locale: str) -> str:
    return format_date(value, "d MMMM yyyy", locale=babel_locale(locale))


def _counted(summary: privacy.Summary) -> list[str]:
    """One whole sentence per kind of data held; nothing said of what is not held."""
    s = summary
    sentences = (
        (
            s.upcoming_shifts,
            ngettext("{count} shift coming up.", "{count} shifts coming up.", s.upcoming_shifts),
        ),
        (
            s.pending_reports,
            ngettext(
                "{count} hour report waiting for a tutor.",
                "{count} hour reports waiting for a tutor.",
                s.pending_reports,
            ),
        ),
        (
            s.projects,
            ngettext("You are in {count} project.", "You are in {count} projects.", s.projects),
        ),
        (
            s.greenways,
            ngettext("You follow {count} greenway.", "You follow {count} greenways.", s.greenways),
        ),
        (
            s.events,
            ngettext(
                "You said you would go to {count} event.",
                "You said you would go to {count} events.",
                s.events,
            ),
        ),
        (
            s.certificates,
            ngettext(
                "{count} hours certificate issued to you.",
                "{count} hours certificates issued to you.",
                s.certificates,
            ),
        ),
        (
            s.replies_to_tutors,
            ngettext(
                "{count} reply you sent to a tutor.",
                "{count} replies you sent to tutors.",
                s.replies_to_tutors,
            ),
        ),
        (
            s.messages,
            ngettext(
                "{count} message the bot sent you or will send you.",
                "{count} messages the bot sent you or will send you.",
                s.messages,
            ),
        ),
        (
            s.conversations,
            ngettext(
                "{count} conversation left unfinished.",
                "{count} conversations left unfinished.",
                s.conversations,
            ),
        ),
    )
    return [text.format(count=count) for count, text in sentences if count]


def summary_text(summary: privacy.Summary, locale: str) -> str:
    """The caption: a few plain sentences, then where the rest is."""
    lines = [_("<b>What I hold about you</b>")]
    if summary.empty:
        lines.append(_("Nothing but your Telegram id, while you write to me."))
    if summary.first_seen:
        lines.append(
            _("You have used the bot since {date}.").format(date=_day(summary.first_seen, locale))
        )
    if summary.registered_on:
        lines.append(
            _("You have been in the volunteer register since {date}.").format(
                date=_day(summary.registered_on, locale)
            )
        )
    if summary.approved_minutes:
        lines.append(
            _("Hours approved in {year}: {hours}.").format(
                year=summary.year, hours=duration_text(summary.approved_minutes, locale)
            )
        )
    lines += _counted(summary)
    lines += [held_sentence(role, scopes) for role, scopes in summary.staff_roles]
    if summary.removed_from_staff_on:
        lines.append(
            _(
                "You were removed from the staff on {date}: kept so that no catalogue "
                "appoints you again."
            ).format(date=_day(summary.removed_from_staff_on, locale))
        )
    closing = _("Everything, in detail, is in the attached file. /forget erases it.")
    # Never over Telegram's limit: the file holds it all anyway.
    while len("\n".join([*lines, closing])) > CAPTION_LIMIT and len(lines) > 1:
        lines.pop()
    return "\n".join([*lines, closing])


async def send_my_data(
    message: Message,
    ctx: Context,
    session: AsyncSession,
    conversations: privacy.ConversationStore | None,
) -> None:
    document = await privacy.my_data(session, ctx.user_id, conversations)
    payload = json.dumps(document, ensure_ascii=False, indent=2).encode()
    summary = privacy.summarise(document, ctx.now, ctx.zone)
    await message.answer_document(
        BufferedInputFile(payload, filename=file_name(_today(ctx.now, ctx.zone))),
        caption=summary_text(summary, ctx.locale),
    )


def _today(now: datetime, zone: ZoneInfo) -> date:
    return now.astimezone(zone).date()
