"""What announcements look like to the admin following them (to recipients: bot/notices)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import get_i18n, ngettext
from aiogram.utils.i18n import gettext as _
from babel.dates import format_datetime, format_timedelta

from bot.i18n import pick
from bot.services.announcements import audiences
from bot.services.announcements import compose as announcements
from bot.telegram.tuning.inline_keyboards import button, markup
from handlers.shared.callbacks import AnnouncementCancel
from handlers.shared.keyboards import LANGUAGE_NAMES


def group_label(group: audiences.Group, locale: str, default: str) -> str:
    name = html.escape(pick(group.name, locale, default))
    kind = group.part.kind
    if kind is audiences.Kind.QUARTIERE:
        return _("quartiere {name}").format(name=name)
    if kind is audiences.Kind.PROJECT:
        return _("volunteers of {project}").format(project=name)
    if kind is audiences.Kind.GREENWAY:
        return _("subscribers of {greenway}").format(greenway=name)
    if kind is audiences.Kind.LANG:
        return _("language {language}").format(language=LANGUAGE_NAMES.get(name, name))
    if kind is audiences.Kind.VOLUNTEERS:
        return _("all volunteers")
    return _("everyone")


def audience_label(groups: Sequence[audiences.Group], locale: str, default: str) -> str:
    return " + ".join(group_label(group, locale, default) for group in groups)


def when_text(moment: datetime, zone: ZoneInfo) -> str:
    """A day and time as people say it, e.g. "Saturday 5 December, 18:30"."""
    locale = get_i18n().current_locale
    return format_datetime(moment.astimezone(zone), "EEEE d MMMM, HH:mm", locale=locale)


def people(count: int) -> str:
    return ngettext("{count} person", "{count} people", count).format(count=count)


def progress_text(
    progress: announcements.Progress,
    audience: str,
    *,
    now: datetime,
    rate: float,
    zone: ZoneInfo,
) -> str:
    """The admin's one progress message: counts, time left, and how it ended."""
    locale = get_i18n().current_locale
    lines = [
        _("📣 <b>Announcement #{number}</b> to {audience}").format(
            number=progress.id, audience=audience
        ),
        _("{people} in all").format(people=people(progress.recipients)),
        _("Sent: {sent} · Failed: {failed} · Blocked: {blocked} · Remaining: {remaining}").format(
            sent=progress.sent,
            failed=progress.failed,
            blocked=progress.blocked,
            remaining=progress.remaining,
        ),
    ]
    if progress.cancelled_at is not None:
        lines.append(
            ngettext(
                "Cancelled: {count} message not sent.",
                "Cancelled: {count} messages not sent.",
                progress.cancelled,
            ).format(count=progress.cancelled)
        )
    if progress.finished:
        lines.append(_("Finished."))
    elif progress.send_at > now:
        lines.append(_("Goes out on {when}.").format(when=when_text(progress.send_at, zone)))
    else:
        left = format_timedelta(
            timedelta(seconds=max(1.0, progress.remaining / rate)), locale=locale
        )
        lines.append(_("About {time} left.").format(time=left))
    return "\n".join(lines)


def progress_markup(progress: announcements.Progress) -> InlineKeyboardMarkup | None:
    if progress.finished or progress.cancelled_at is not None:
        return None
    data = AnnouncementCancel(announcement_id=progress.id)
    return markup([[button(_("✖️ Cancel the sending"), data)]])


def report_text(progress: announcements.Progress, audience: str) -> str:
    return _(
        "📣 Announcement #{number} to {audience} is over. Sent: {sent} · failed: {failed} · "
        "blocked the bot: {blocked} · cancelled: {cancelled}."
    ).format(
        number=progress.id,
        audience=audience,
        sent=progress.sent,
        failed=progress.failed,
        blocked=progress.blocked,
        cancelled=progress.cancelled,
    )


def recent_line(progress: announcements.Progress, audience: str, zone: ZoneInfo) -> str:
    when = when_text(progress.send_at, zone)
    line = _(
        "#{number} · {when} · {audience} · sent: {sent} of {total} · failed: {failed} · "
        "blocked: {blocked} · remaining: {remaining}"
    ).format(
        number=progress.id,
        when=when,
        audience=audience,
        sent=progress.sent,
        total=progress.recipients,
        failed=progress.failed,
        blocked=progress.blocked,
        remaining=progress.remaining,
    )
    if progress.cancelled_at is not None:
        line += " " + _("(cancelled)")
    return line
