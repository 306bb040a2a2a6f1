"""How greenway events look: the /events page, its buttons, and the following menu."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.i18n import event_when, near_span, pick
from bot.services.events.info import EventInfo
from bot.services.events.upcoming import EventPage, Following, GreenwayChoice
from bot.telegram.tuning.inline_keyboards import button, in_rows, markup
from handlers.shared.callbacks import EventAct, EventFollow, EventGreenways, EventList

# Long texts are cut so that a page of events always fits in one message.
TITLE_LIMIT, DESCRIPTION_LIMIT = 200, 600


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def event_text(
    event: EventInfo, locale: str, default: str, zone: ZoneInfo, now: datetime | None = None
) -> str:
    title = html.escape(_short(pick(event.title, locale, default), TITLE_LIMIT))
    greenway = html.escape(_short(pick(event.greenway_name, locale, default), TITLE_LIMIT))
    near = None if now is None else near_span(event.start_at, event.end_at, now, locale, zone)
    lines = [
        f"<b>{title}</b> · {greenway}",
        "🗓 " + (near or event_when(event.start_at, event.end_at, locale, zone)),
    ]
    if event.place:
        lines.append("📍 " + html.escape(_short(pick(event.place, locale, default), TITLE_LIMIT)))
    description = pick(event.description, locale, default)
    if description:
        lines.append(html.escape(_short(description, DESCRIPTION_LIMIT)))
    if event.going:
        lines.append(_("✅ You said you will come."))
    return "\n".join(lines)


def page_text(
    page: EventPage, locale: str, default: str, zone: ZoneInfo, now: datetime | None = None
) -> str:
    heading = [_("<b>Greenway events</b>")]
    if page.greenway is not None:
        name = html.escape(pick(page.greenway.name, locale, default))
        heading.append(_("Greenway: {name}").format(name=name))
    if not page.events:
        heading.append(_("No upcoming events at the moment."))
        return "\n".join(heading)
    heading.append(_("Page {page} of {pages}").format(page=page.page + 1, pages=page.pages))
    parts = ["\n".join(heading)]
    for number, event in enumerate(page.events, start=1):
        parts.append(f"{number}. {event_text(event, locale, default, zone, now)}")
    return "\n\n".join(parts)


def event_buttons(
    event: EventInfo, number: int, page: int, greenway_id: int
) -> list[InlineKeyboardButton]:
    def act(action: str) -> EventAct:
        return EventAct(action=action, event_id=event.id, page=page, greenway_id=greenway_id)

    row = [
        button(_("✖️ {number}: I won't come").format(number=number), act("nogo"))
        if event.going
        else button(_("✅ {number}: I'll come").format(number=number), act("go"))
    ]
    if event.has_pin:
        row.append(button(f"📍 {number}", act("map")))
    row.append(button(f"📅 {number}", act("ics")))
    return row


def page_markup(page: EventPage) -> InlineKeyboardMarkup:
    greenway_id = page.greenway.id if page.greenway is not None else 0
    rows = [
        event_buttons(event, number, page.page, greenway_id)
        for number, event in enumerate(page.events, start=1)
    ]
    navigation = []
    if page.page > 0:
        navigation.append(button("◀️", EventList(page=page.page - 1, greenway_id=greenway_id)))
    if page.page < page.pages - 1:
        navigation.append(button("▶️", EventList(page=page.page + 1, greenway_id=greenway_id)))
    rows.append(navigation)
    rows.append(
        [
            button(_("🌿 Greenway"), EventGreenways()),
            button(_("🔔 Follow"), EventFollow(target="menu")),
        ]
    )
    return markup(rows)


def greenway_choice_markup(
    choices: tuple[GreenwayChoice, ...], locale: str, default: str
) -> InlineKeyboardMarkup:
    flat = [
        button(pick(choice.name, locale, default)[:60], EventList(greenway_id=choice.id))
        for choice in choices
    ]
    return markup([*in_rows(flat, 2), [button(_("All greenways"), EventList())]])


def following_text(following: Following, locale: str, default: str) -> str:
    lines = [
        _("<b>Following greenways</b>"),
        _(
            "You hear of every new event on the greenways you follow. "
            "Press one to follow it or to leave it."
        ),
        "",
    ]
    if following.every_greenway:
        lines.append(_("You follow every greenway, also those added later."))
    else:
        names = [
            html.escape(pick(g.name, locale, default)) for g in following.greenways if g.followed
        ]
        lines.append(
            _("You follow: {names}.").format(names=", ".join(names))
            if names
            else _("You follow no greenway yet.")
        )
    lines.append(
        _("The weekly digest of events comes on Mondays.")
        if following.digest
        else _("You do not get the weekly digest.")
    )
    return "\n".join(lines)


def _toggle(label: str, on: bool) -> str:
    return ("🔔 " if on else "🔕 ") + label


def following_markup(following: Following, locale: str, default: str) -> InlineKeyboardMarkup:
    flat = [
        button(
            _toggle(pick(choice.name, locale, default)[:56], choice.followed),
            EventFollow(target="greenway", greenway_id=choice.id, on=not choice.followed),
        )
        for choice in following.greenways
    ]
    every, digest = following.every_greenway, following.digest
    return markup(
        [
            *in_rows(flat, 2),
            [button(_toggle(_("All greenways"), every), EventFollow(target="all", on=not every))],
            [
                button(
                    _toggle(_("Weekly digest"), digest), EventFollow(target="digest", on=not digest)
                )
            ],
            [button(_("◀️ Events"), EventList())],
        ]
    )
