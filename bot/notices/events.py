"""The greenway event notices, rendered in the recipient's language when they are sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import current_locale, event_when, near_span, near_when, ngettext, rendering_now
from bot.i18n import gettext as _
from bot.notices import buttons
from bot.notices.buttons import button, markup
from bot.notices.i18n import picked
from bot.notices.places import map_markup, map_row
from bot.notices.registry import Notice
from bot.outbox.queue import BULK, NORMAL, URGENT
from bot.outbox.rendered import Rendered


def _describe(item: dict[str, Any], zone: ZoneInfo) -> tuple[str, str, str]:
    """Title, "when" and where of an event, from a notice's parameters."""
    start = datetime.fromisoformat(str(item["start"]))
    end = datetime.fromisoformat(str(item["end"]))
    when = event_when(start, end, current_locale(), zone)
    return picked(item["title"]), when, picked(item.get("place"))


def _details(params: dict[str, Any], near: bool = True) -> tuple[str, str]:
    """The event's lines; when sent, one of today or tomorrow says so in words
    ("tomorrow at 10:00, until 12:00"), unless `near` is False."""
    zone = ZoneInfo(str(params["zone"]))
    title, when, where = _describe(params, zone)
    now = rendering_now()
    if near and now is not None:
        start = datetime.fromisoformat(str(params["start"]))
        end = datetime.fromisoformat(str(params["end"]))
        when = near_span(start, end, now, current_locale(), zone) or when
    lines = [f"<b>{title}</b>", f"🗓 {when}"] + ([f"📍 {where}"] if where else [])
    return title, "\n".join(lines)


def _not_coming(params: dict[str, Any]) -> str:
    return buttons.event_act(action="nogo", event_id=int(params["event_id"]))


def event_new(params: dict[str, Any]) -> Rendered:
    greenway = picked(params["greenway"])
    _title, details = _details(params)
    text = _("🌿 A new event on the {greenway}:").format(greenway=greenway) + "\n\n" + details
    go = button(_("🙋 I'll come"), buttons.event_act(action="go", event_id=int(params["event_id"])))
    return Rendered(text, markup([[go], map_row(params)]))


def event_changed(params: dict[str, Any]) -> Rendered:
    _title, details = _details(params)
    text = _("An event you said you will come to has changed. It is now:") + "\n\n" + details
    nogo = button(
        _("↩️ I can't come after all"),
        buttons.event_act(action="nogo", event_id=int(params["event_id"])),
    )
    return Rendered(text, markup([[nogo], map_row(params)]))


def event_cancelled(params: dict[str, Any]) -> Rendered:
    _title, details = _details(params)
    return Rendered(
        _("An event you said you will come to has been cancelled:")
        + "\n\n"
        + details
        + "\n\n"
        + _("Find other events with /events."),
        map_markup(params),
    )


def event_reminder(params: dict[str, Any]) -> Rendered:
    _title, details = _details(params, near=False)  # the line below says it in words
    text = _("⏰ A reminder: you said you will come to") + "\n\n" + details
    now = rendering_now()
    if now is not None:
        start = datetime.fromisoformat(str(params["start"]))
        near = near_when(start, now, current_locale(), ZoneInfo(str(params["zone"])))
        text += "\n" + _("It starts {when}.").format(when=near)
    nogo = button(
        _("↩️ I can't come after all"),
        buttons.event_act(action="nogo", event_id=int(params["event_id"])),
    )
    return Rendered(text, markup([[nogo], map_row(params)]))


def event_digest(params: dict[str, Any]) -> Rendered:
    zone = ZoneInfo(str(params["zone"]))
    lines = [_("<b>This week's greenway events</b>")]
    for item in params["events"]:
        shorter = {key: _shortened(item.get(key)) for key in ("title", "place")}
        title, when, where = _describe({**item, **shorter}, zone)
        lines.append(f"\n<b>{title}</b>\n🗓 {when}" + (f"\n📍 {where}" if where else ""))
    more = int(params.get("more", 0))
    if more:
        lines.append(
            "\n" + ngettext("…and {count} more.", "…and {count} more.", more).format(count=more)
        )
    lines.append("\n" + _("Say you will come in /events."))
    return Rendered("\n".join(lines))


# The digest lists up to fifteen events: long titles and places are cut there to fit.
DIGEST_TEXT_LIMIT = 100


def _shortened(texts: dict[str, str] | None) -> dict[str, str] | None:
    if texts is None:
        return None
    return {
        language: text if len(text) <= DIGEST_TEXT_LIMIT else text[: DIGEST_TEXT_LIMIT - 1] + "…"
        for language, text in texts.items()
    }


def _new_key(event_id: int, telegram_id: int) -> str:
    return f"event-new:{event_id}:user:{telegram_id}"


# An import lists only real changes, so the import's moment keeps keys unique even when an
# event is moved back and forth, or cancelled, restored, cancelled.
def _changed_key(event_id: int, telegram_id: int, imported_at: datetime) -> str:
    return f"event-changed:{event_id}:user:{telegram_id}:{imported_at.isoformat()}"


def _cancelled_key(event_id: int, telegram_id: int, imported_at: datetime) -> str:
    return f"event-cancelled:{event_id}:user:{telegram_id}:{imported_at.isoformat()}"


def _reminder_family(event_id: int, telegram_id: int) -> tuple[str, ...]:
    """All of one user's reminders of one event."""
    return (f"reminder:event:{event_id}:user:{telegram_id}:",)


def _reminder_key(event_id: int, telegram_id: int, offset: timedelta, start: datetime) -> str:
    """Holds the event's start, so a moved event gets new reminders."""
    [family] = _reminder_family(event_id, telegram_id)
    return f"{family}{int(offset.total_seconds())}:{start.astimezone(UTC).isoformat()}"


def _digest_key(week: str, telegram_id: int) -> str:
    return f"digest:{week}:user:{telegram_id}"


NEW = Notice("event.new", "event-new", NORMAL, event_new, _new_key)
CHANGED = Notice("event.changed", "event-change", URGENT, event_changed, _changed_key)
CANCELLED = Notice("event.cancelled", "event-change", URGENT, event_cancelled, _cancelled_key)
REMINDER = Notice(
    "event.reminder", "reminder", URGENT, event_reminder, _reminder_key, _reminder_family
)
DIGEST = Notice("event.digest", "digest", BULK, event_digest, _digest_key)
NOTICES = (NEW, CHANGED, CANCELLED, REMINDER, DIGEST)
