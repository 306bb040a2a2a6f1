"""The greenway event notices, rendered in the recipient's language when they are sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.notices import buttons
from bot.notices.buttons import Markup, button, markup
from bot.notices.formats import event_when
from bot.notices.i18n import _, current_locale, ngettext, picked
from bot.outbox.rendered import Rendered, Renderer


def _describe(item: dict[str, Any], zone: ZoneInfo) -> tuple[str, str, str]:
    """Title, "when" and where of an event, from a notice's parameters."""
    start = datetime.fromisoformat(str(item["start"]))
    end = datetime.fromisoformat(str(item["end"]))
    when = event_when(start, end, current_locale(), zone)
    return picked(item["title"]), when, picked(item.get("place"))


def _details(params: dict[str, Any]) -> tuple[str, str]:
    title, when, where = _describe(params, ZoneInfo(str(params["zone"])))
    lines = [f"<b>{title}</b>", f"🗓 {when}"] + ([f"📍 {where}"] if where else [])
    return title, "\n".join(lines)


def _one_button(label: str, action: str, event_id: int) -> Markup:
    return markup([[button(label, buttons.event_act(action=action, event_id=event_id))]])


def event_new(params: dict[str, Any]) -> Rendered:
    greenway = picked(params["greenway"])
    _title, details = _details(params)
    text = _("🌿 A new event on the {greenway}:").format(greenway=greenway) + "\n\n" + details
    return Rendered(text, _one_button(_("✅ I'll come"), "go", int(params["event_id"])))


def event_changed(params: dict[str, Any]) -> Rendered:
    _title, details = _details(params)
    text = _("An event you said you will come to has changed. It is now:") + "\n\n" + details
    return Rendered(text, _one_button(_("✖️ I won't come"), "nogo", int(params["event_id"])))


def event_cancelled(params: dict[str, Any]) -> Rendered:
    _title, details = _details(params)
    return Rendered(
        _("An event you said you will come to has been cancelled:")
        + "\n\n"
        + details
        + "\n\n"
        + _("Find other events with /events.")
    )


def event_reminder(params: dict[str, Any]) -> Rendered:
    _title, details = _details(params)
    text = _("⏰ A reminder: you said you will come to") + "\n\n" + details
    return Rendered(text, _one_button(_("✖️ I won't come"), "nogo", int(params["event_id"])))


def event_digest(params: dict[str, Any]) -> Rendered:
    zone = ZoneInfo(str(params["zone"]))
    lines = [_("<b>This week's greenway events</b>")]
    for item in params["events"]:
        title, when, where = _describe(item, zone)
        lines.append(f"\n<b>{title}</b>\n🗓 {when}" + (f"\n📍 {where}" if where else ""))
    more = int(params.get("more", 0))
    if more:
        lines.append(
            "\n" + ngettext("…and {count} more.", "…and {count} more.", more).format(count=more)
        )
    lines.append("\n" + _("Say you will come in /events."))
    return Rendered("\n".join(lines))


# cache: the renderer registry, filled at import and only read
EVENT_RENDERERS: dict[str, Renderer] = {
    "event.new": event_new,
    "event.changed": event_changed,
    "event.cancelled": event_cancelled,
    "event.reminder": event_reminder,
    "event.digest": event_digest,
}
