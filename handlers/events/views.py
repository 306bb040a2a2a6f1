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
from handlers.shared.callbacks import (
    EventAct,
    EventFollow,
    EventGreenways,
    EventList,
    EventOpen,
)
from handlers.shared.keyboards import item_label, short_label

# Long texts are cut so that a page of events always fits in one message.
TITLE_LIMIT, DESCRIPTION_LIMIT = 200, 600


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def going_line(going: bool) -> str:
    """The RSVP's state, said in the text as well as on the button."""
    return _("✅ You're going.") if going else _("✖️ You're not going.")


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
        lines.append(going_line(True))
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


def _list_choice(page: int, greenway_id: int) -> EventList:
    return EventList(page=max(page, 0), greenway_id=greenway_id)


def page_markup(page: EventPage, locale: str, default: str) -> InlineKeyboardMarkup:
    """One button per event, named after it (✅ when the user is going), then the pages."""
    greenway_id = page.greenway.id if page.greenway is not None else 0
    rows = [
        [
            button(
                item_label("✅" if event.going else "ℹ️", pick(event.title, locale, default)),
                EventOpen(event_id=event.id, page=page.page, greenway_id=greenway_id),
            )
        ]
        for event in page.events
    ]
    navigation = []
    if page.page > 0:
        navigation.append(button("◀️", _list_choice(page.page - 1, greenway_id)))
    if page.page < page.pages - 1:
        navigation.append(button("▶️", _list_choice(page.page + 1, greenway_id)))
    rows.append(navigation)
    rows.append(
        [
            button(_("🌿 Greenway"), EventGreenways()),
            button(_("🔔 Follow"), EventFollow(target="menu")),
        ]
    )
    return markup(rows)


def card_text(
    event: EventInfo, locale: str, default: str, zone: ZoneInfo, now: datetime | None = None
) -> str:
    """One event's card: its details and, once answered, whether the user is going."""
    return event_text(event, locale, default, zone, now)


def rsvp_button(event_id: int, going: bool, *, page: int, greenway_id: int) -> InlineKeyboardButton:
    """A verb before answering ("I'll come"); after it, the undo ("Cancel").

    On a card (page >= 0) the actions are "join"/"leave", which show the card again; on a
    notice (page -1) "go"/"nogo", which keep the notice.
    """
    on_card = page >= 0
    if going:
        action = "leave" if on_card else "nogo"
        return button(
            _("↩️ Cancel"),
            EventAct(action=action, event_id=event_id, page=page, greenway_id=greenway_id),
        )
    action = "join" if on_card else "go"
    return button(
        _("🙋 I'll come"),
        EventAct(action=action, event_id=event_id, page=page, greenway_id=greenway_id),
    )


def card_markup(event: EventInfo, page: int, greenway_id: int) -> InlineKeyboardMarkup:
    def act(action: str) -> EventAct:
        return EventAct(action=action, event_id=event.id, page=page, greenway_id=greenway_id)

    tools = [button(_("🗺 Map"), act("map"))] if event.has_pin else []
    tools.append(button(_("📅 Add to calendar"), act("ics")))
    return markup(
        [
            [rsvp_button(event.id, event.going, page=page, greenway_id=greenway_id)],
            tools,
            [button(_("◀️ Events"), _list_choice(page, greenway_id))],
        ]
    )


def greenway_choice_markup(
    choices: tuple[GreenwayChoice, ...], locale: str, default: str
) -> InlineKeyboardMarkup:
    flat = [
        button(short_label(pick(choice.name, locale, default)), EventList(greenway_id=choice.id))
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
    return short_label(("🔔 " if on else "🔕 ") + label)


def following_markup(following: Following, locale: str, default: str) -> InlineKeyboardMarkup:
    flat = [
        button(
            _toggle(pick(choice.name, locale, default), choice.followed),
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
